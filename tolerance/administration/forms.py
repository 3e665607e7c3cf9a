from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.models import CaseTypePolicy, CasSignOn, CommitteeSeat, DepartmentContact, Profile
from tolerance.services.accounts import DIRECT_ROLES

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    """A person's profile; a new person also gets a login name."""

    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        validators=[RegexValidator(r"^[\w.@+-]+\Z", _("Use letters, digits and @ . + - _ only."))],
    )

    class Meta:
        model = Profile
        fields = ["real_name", "staff_number", "department", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_number"].required = True
        if self.instance.pk is not None:
            del self.fields["username"]

    def _get_validation_exclusions(self):
        # The service checks the staff number against the institution and saves user and profile together.
        return {*super()._get_validation_exclusions(), "user", "institution"}


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, roles.ROLE_LABELS[name]) for name in DIRECT_ROLES],
        help_text=_(
            "Committee roles follow the committee roster, the department-contact role the department contacts."
        ),
    )


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        profile = getattr(user, "profile", None)
        if profile is None:
            return user.get_username()
        return f"{profile.real_name}（{profile.staff_number or user.get_username()}）"


class _InstitutionPeopleMixin:
    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = _PersonChoice(
            label=self.fields["user"].label,
            queryset=get_user_model()
            .objects.filter(profile__institution=institution, is_active=True)
            .select_related("profile")
            .order_by("profile__staff_number"),
        )

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "institution"}


class SeatForm(_InstitutionPeopleMixin, forms.ModelForm):
    class Meta:
        model = CommitteeSeat
        fields = ["user", "position", "term_starts_on", "term_ends_on"]
        widgets = {"term_starts_on": _DATE, "term_ends_on": _DATE}


class ContactForm(_InstitutionPeopleMixin, forms.ModelForm):
    class Meta:
        model = DepartmentContact
        fields = ["department", "user", "is_active"]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CaseTypePolicy
        fields = [
            "document_number_prefix",
            "publicity_days",
            "publicity_day_count",
            "objection_days",
            "appeal_working_days",
            "supplement_working_days",
            "committee_quorum_percent",
            "vote_threshold_percent",
        ]


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Staff list (CSV or XLSX)"),
        error_messages={"required": _("Please choose a file to upload.")},
        help_text=_(
            "Columns: staff number, name, department, e-mail, phone, institution code, login name "
            "(the header row names them; login name is optional)."
        ),
    )


class SignOnForm(forms.ModelForm):
    server_url = forms.URLField(
        label=CasSignOn._meta.get_field("server_url").verbose_name,
        help_text=CasSignOn._meta.get_field("server_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = CasSignOn
        fields = ["is_enabled", "server_url", "version", "staff_number_attribute", "name_attribute"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "institution"}
