"""Forms of the exemption flow. Bounds mirror the models so bad input is a form error, never a 500;
rules (dates, reasons, four-eyes) live in the services, whose errors appear beside the field they name."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from viewflow.forms.renderers import Layout

from tolerance import roles
from tolerance.forms import HeldUploadsFormMixin, ListFormSet, MultipleFileField
from workflows.exemption.models import ExemptionOutcome, IntakeResult, TransferRoute
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind
from workflows.form_fields import MONEY, YES_NO, long_text
from workflows.formsets import FormSetRows

EVIDENCE_CATEGORIES = {
    "minutes": _("Minutes of the collective decision"),
    "publicity": _("Publicity records"),
    "valuation": _("Valuation report"),
    "contract": _("Contracts"),
    "fund_flow": _("Fund flows"),
    "conflict": _("Conflict-of-interest declarations"),
    "cause": _("Account of the unforeseeable cause"),
}
# Empty subject rows the filing page offers; with script, "add another" adds more.
SUBJECT_EXTRA_ROWS = 3


class SubjectForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Subject"), queryset=None, required=False)
    role = forms.CharField(label=_("Role in the case"), max_length=100, required=False)

    def __init__(self, *args, researchers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = researchers
        self.fields["user"].label_from_instance = lambda user: user.profile.real_name or user.username

    def clean(self):
        data = super().clean()
        # Which subjects may be named, and only once, is the filing service's rule (case_file).
        if data.get("user") and not data.get("role"):
            self.add_error("role", _("Give this subject's role."))
        if data.get("role") and not data.get("user") and "user" not in self.errors:
            self.add_error("user", _("Choose the person with this role."))
        return data


SubjectFormSet = forms.formset_factory(SubjectForm, formset=ListFormSet, extra=SUBJECT_EXTRA_ROWS)


class FilingForm(HeldUploadsFormMixin, forms.Form):
    held_purpose = "exemption_filing"
    upload_fields = tuple(f"evidence_{category}" for category in EVIDENCE_CATEGORIES)

    title = forms.CharField(label=_("Case title"), max_length=200)
    result_title = forms.CharField(label=_("Research result"), max_length=200)
    route = forms.ChoiceField(label=_("Conversion route"), choices=TransferRoute.choices)
    counterparty = forms.CharField(label=_("Counterparty"), max_length=200)
    contract_number = forms.CharField(label=_("Contract number"), max_length=60)
    contract_amount = forms.DecimalField(label=_("Contract amount (yuan)"), **MONEY)
    contract_signed_on = forms.DateField(label=_("Contract signed on"))
    failed_on = forms.DateField(label=_("Failure established on"))
    failure_description = long_text(_("What failed, and why"), 4000)
    loss_amount = forms.DecimalField(label=_("Loss (yuan)"), **MONEY)
    cited_entries = forms.ModelMultipleChoiceField(label=_("Tolerance list entries relied on"), queryset=None)

    def __init__(self, *args, institution, policy_version, **kwargs):
        super().__init__(*args, **kwargs)
        researchers = (
            get_user_model()
            .objects.filter(groups__name=roles.RESEARCHER, profile__institution=institution, is_active=True)
            .select_related("profile")
            .order_by("pk")
        )
        self.subjects = SubjectFormSet(
            self.data if self.is_bound else None, prefix="subjects", form_kwargs={"researchers": researchers}
        )
        self.formsets = {"subjects": self.subjects}
        self.fields["cited_entries"].queryset = PolicyItem.objects.filter(
            version=policy_version, kind=PolicyItemKind.ENTRY
        )
        for category, label in EVIDENCE_CATEGORIES.items():
            field = f"evidence_{category}"
            # The minutes are required unless kept from an earlier submission.
            required = category == "minutes" and not self.held_in(field)
            self.fields[field] = MultipleFileField(label=label, required=required)

    @property
    def layout(self):
        names = [field.name for field in self.visible_fields()]
        evidence = names.index(self.upload_fields[0])
        return Layout(
            *names[:evidence],
            FormSetRows(self.subjects, title=_("Subjects"), add_label=_("Add another subject")),
            *names[evidence:],
        )

    def clean(self):
        data = super().clean()
        if not self.subjects.is_valid():
            raise forms.ValidationError(_("Correct the subjects as marked."))
        return data

    def subjects_given(self):
        return [(row.cleaned_data["user"], row.cleaned_data["role"]) for row in self.subjects.filled_forms()]

    def evidence(self):
        return {category: self.uploads_held(f"evidence_{category}") for category in EVIDENCE_CATEGORIES}


class CompletenessForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=IntakeResult.choices, widget=forms.RadioSelect)
    reason = long_text(_("Reason (what is missing, or why refused)"), 2000, required=False)


class SupplementForm(HeldUploadsFormMixin, forms.Form):
    held_purpose = "exemption_supplement"
    upload_fields = ("files",)

    note = long_text(_("What was supplemented"), 2000)
    files = MultipleFileField(label=_("Supplementary files"), required=False)

    def files_uploaded(self):
        return self.uploads_held("files")


class InvestigationForm(forms.Form):
    """One finding (holds? + note + evidence) per condition, negative item and mitigating factor."""

    def __init__(self, *args, items, attachments, initial_findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        # One list of the case's attachments for every item's evidence field: a queryset per field would
        # cost a query per item to render and another to validate.
        self.attachments = {str(attachment.pk): attachment for attachment in attachments}
        evidence_choices = [(pk, str(attachment)) for pk, attachment in self.attachments.items()]
        labels = {
            PolicyItemKind.CONDITION: _("Condition met?"),
            PolicyItemKind.NEGATIVE: _("Applies?"),
            PolicyItemKind.MITIGATING: _("Present?"),
        }
        for item in self.items:
            found = initial_findings.get(item.pk)
            self.fields[f"holds_{item.pk}"] = forms.ChoiceField(
                label=f"{item.code} {item.title} — {labels[item.kind]}",
                choices=YES_NO,
                widget=forms.RadioSelect,
                initial=None if found is None else ("yes" if found.holds else "no"),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Finding"),
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=found.note if found else "",
            )
            self.fields[f"evidence_{item.pk}"] = forms.MultipleChoiceField(
                label=_("Evidence"),
                choices=evidence_choices,
                required=False,
                initial=[str(attachment.pk) for attachment in found.evidence.all()] if found else [],
            )

    def findings(self):
        return [
            {
                "item": item,
                "holds": self.cleaned_data[f"holds_{item.pk}"] == "yes",
                "note": self.cleaned_data[f"note_{item.pk}"],
                "evidence": [self.attachments[pk] for pk in self.cleaned_data[f"evidence_{item.pk}"]],
            }
            for item in self.items
        ]


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ExemptionOutcome.choices, widget=forms.RadioSelect)
    override_reason = long_text(_("Reason for overriding the proposal"), 2000, required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].initial = proposal
