"""Forms of the rectification flow. They check shapes only (required, lengths, choices); the rules (dates in
order, the catalogue, the extension cap, four-eyes) live in the services, whose errors appear beside the
field they name."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.forms.renderers import Layout

from tolerance import roles
from tolerance.forms import HeldUploadsFormMixin, ListFormSet, MultipleFileField
from tolerance.models import Department
from workflows.form_fields import YES_NO, long_text
from workflows.formsets import FormSetRows
from workflows.rectification.catalogue import CatalogueItemKind, Severity
from workflows.rectification.models import AcceptanceResult, ActivityKind, LeadSource

GAP_EXTRA_ROWS = 3


class DeclarationForm(HeldUploadsFormMixin, forms.Form):
    """The 自查申报表: the activity, the company and the account, with the documents held."""

    held_purpose = "rectification_declaration"
    upload_fields = ("files",)

    title = forms.CharField(label=_("Case title"), max_length=200)
    activity_kind = forms.ChoiceField(label=_("Activity"), choices=ActivityKind.choices)
    company_name = forms.CharField(label=_("Company"), max_length=200)
    company_uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=18)
    role = forms.CharField(label=_("Role in the company"), max_length=100)
    equity_percent = forms.DecimalField(
        label=_("Equity (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    started_on = forms.DateField(label=_("Activity started on"))
    ended_on = forms.DateField(label=_("Activity ended on (if it has)"), required=False)
    account = long_text(_("Account of the activity: approvals held, income, results used"), 4000)
    files = MultipleFileField(label=_("Supporting documents"), required=False)

    def files_uploaded(self):
        return self.uploads_held("files")


class FilingForm(DeclarationForm):
    """An officer files from a lead: the same declaration, naming the researcher and the source."""

    held_purpose = "rectification_filing"
    # The browser's own "required" bubble is neither Chinese nor always visible inside viewflow's fields:
    # the server names every missing field at the field instead.
    use_required_attribute = False

    subject = forms.ModelChoiceField(label=_("Subject"), queryset=None)
    lead_source = forms.ChoiceField(label=_("Lead source"), choices=LeadSource.choices)
    declared_on = forms.DateField(label=_("Lead received on"), initial=timezone.localdate)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.RESEARCHER, profile__institution=institution, is_active=True)
            .select_related("profile")
            .order_by("pk")
        )
        self.fields["subject"].label_from_instance = lambda user: user.profile.real_name or user.username


class AcceptanceForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AcceptanceResult.choices, widget=forms.RadioSelect)
    reason = long_text(_("Reason"), 2000, required=False)


class VerificationForm(forms.Form):
    facts_verified = long_text(_("Verified facts (registry, personnel, IP and finance records)"), 4000)
    discrepancies = long_text(_("Discrepancies with the declaration"), 4000, required=False)
    false_declaration = forms.ChoiceField(
        label=_("Did the declaration conceal a material fact?"), choices=YES_NO, widget=forms.RadioSelect
    )


class GapRowForm(forms.Form):
    code = forms.CharField(label=_("Gap code"), max_length=10, required=False)
    finding = forms.CharField(
        label=_("Finding"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False)
    remedy = forms.CharField(
        label=_("Remedy"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.IntegerField(label=_("Deadline (in the gap's unit)"), min_value=1, max_value=365, required=False)
    verifier = forms.ChoiceField(label=_("Verifying department"), choices=Department.choices, required=False)
    co_verifiers = forms.MultipleChoiceField(
        label=_("Other verifying departments"),
        choices=Department.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def has_changed(self):
        # The severity and verifier selects always post a value: a row counts only once its code is given.
        return bool(self.data.get(self.add_prefix("code"), "").strip()) if self.is_bound else super().has_changed()

    def clean(self):
        data = super().clean()
        if data.get("code"):
            for name in ("finding", "remedy", "deadline", "severity", "verifier"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Required for each gap."))
        return data


GapFormSet = forms.formset_factory(GapRowForm, formset=ListFormSet, extra=GAP_EXTRA_ROWS)


class ClassificationForm(forms.Form):
    negative_codes = forms.MultipleChoiceField(
        label=_("Negative list items that apply"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, catalogue, items, **kwargs):
        super().__init__(*args, **kwargs)
        initial = [
            {
                "code": item.gap.code,
                "finding": item.finding,
                "severity": item.severity,
                "remedy": item.remedy,
                "deadline": item.deadline,
                "verifier": item.verifier,
                "co_verifiers": [v.department for v in item.verifiers.all() if v.department != item.verifier],
            }
            for item in items
        ]
        self.gaps = GapFormSet(self.data if self.is_bound else None, prefix="gaps", initial=initial or None)
        self.formsets = {"gaps": self.gaps}
        self.fields["negative_codes"].choices = [
            (item.code, f"{item.code} {item.title}")
            for item in catalogue.items.filter(kind=CatalogueItemKind.NEGATIVE).order_by("order")
        ]

    @property
    def layout(self):
        return Layout(
            FormSetRows(self.gaps, title=_("Gaps found"), add_label=_("Add another gap")),
            "negative_codes",
        )

    def clean(self):
        data = super().clean()
        if not self.gaps.is_valid():
            raise forms.ValidationError(_("Correct the gaps as marked."))
        return data

    def rows(self):
        return [
            {**row.cleaned_data, "code": row.cleaned_data["code"].strip().upper()} for row in self.gaps.filled_forms()
        ]


class ConfirmGapsForm(forms.Form):
    confirmed = forms.ChoiceField(
        label=_("Confirm the gap list and the plan?"), choices=YES_NO, widget=forms.RadioSelect
    )
    reason = long_text(_("Reason for returning it"), 2000, required=False)


class StatementForm(forms.Form):
    confirmed = forms.ChoiceField(
        label=_("Do you confirm the gap list?"),
        choices=[("yes", _("I confirm the gaps as notified")), ("no", _("I state a different view"))],
        widget=forms.RadioSelect,
    )
    text = long_text(_("Your statement (which gaps you contest and why)"), 4000, required=False)


class StatementAnswerForm(forms.Form):
    answer = long_text(_("The office's answer to the statement"), 4000)
    reopens = forms.ChoiceField(
        label=_("Send the gap list back to classification?"), choices=YES_NO, widget=forms.RadioSelect
    )


class CommitmentForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I accept the approved plan and undertake to complete each item by its deadline")
    )


class NoticeForm(forms.Form):
    confirm = forms.BooleanField(label=_("Issue the rectification notice and start the item deadlines"))


class EvidenceForm(HeldUploadsFormMixin, forms.Form):
    held_purpose = "rectification_evidence"
    upload_fields = ("files",)

    note = long_text(_("What the files show"), 2000)
    files = MultipleFileField(label=_("Evidence files"), required=False)

    def files_uploaded(self):
        return self.uploads_held("files")


class ItemReviewForm(forms.Form):
    accepted = forms.ChoiceField(label=_("Accept the item?"), choices=YES_NO, widget=forms.RadioSelect)
    note = long_text(_("Note (the reasons, if returned)"), 2000, required=False)


class ExtensionRequestForm(forms.Form):
    length = forms.IntegerField(label=_("Extension (in the item's unit)"), min_value=1, max_value=365)
    reason = long_text(_("Reasons"), 2000)


class ExtensionDecisionForm(forms.Form):
    granted = forms.ChoiceField(label=_("Grant the extension?"), choices=YES_NO, widget=forms.RadioSelect)
    reason = long_text(_("Reason"), 2000, required=False)


class SupplementForm(HeldUploadsFormMixin, forms.Form):
    held_purpose = "rectification_supplement"
    upload_fields = ("files",)

    note = long_text(_("What you supplied"), 2000)
    files = MultipleFileField(label=_("Supplementary files"), required=False)

    def files_uploaded(self):
        return self.uploads_held("files")


class SuspensionForm(forms.Form):
    reason = long_text(_("The investigation of the same facts (body, reference, date)"), 2000)


class ResumptionForm(forms.Form):
    note = long_text(_("Why the case is resumed"), 2000)


class TerminationForm(forms.Form):
    result = long_text(_("Result of the discipline inspection"), 2000)


class ReferralReceiptForm(forms.Form):
    note = long_text(_("Receipt note (how the body will deal with it)"), 2000)
