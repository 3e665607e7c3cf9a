"""Forms of the exemption flow. Bounds mirror the models so bad input is a form error, never a 500;
rules (dates, reasons, four-eyes) live in the services, whose errors appear beside the field they name."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tolerance import roles
from workflows.exemption.models import ExemptionOutcome, IntakeResult, TransferRoute
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind
from workflows.form_fields import MONEY, YES_NO, long_text

EVIDENCE_CATEGORIES = {
    "minutes": _("Minutes of the collective decision"),
    "publicity": _("Publicity records"),
    "valuation": _("Valuation report"),
    "contract": _("Contracts"),
    "fund_flow": _("Fund flows"),
    "conflict": _("Conflict-of-interest declarations"),
    "cause": _("Account of the unforeseeable cause"),
}
SUBJECT_SLOTS = 3


class FilingForm(forms.Form):
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
        for slot in range(1, SUBJECT_SLOTS + 1):
            self.fields[f"subject_{slot}"] = forms.ModelChoiceField(
                label=_("Subject %(n)d") % {"n": slot},
                queryset=researchers,
                required=slot == 1,
            )
            self.fields[f"subject_{slot}"].label_from_instance = lambda user: user.profile.real_name or user.username
            self.fields[f"role_{slot}"] = forms.CharField(
                label=_("Role of subject %(n)d") % {"n": slot},
                max_length=100,
                required=slot == 1,
            )
        self.fields["cited_entries"].queryset = PolicyItem.objects.filter(
            version=policy_version, kind=PolicyItemKind.ENTRY
        )
        for category, label in EVIDENCE_CATEGORIES.items():
            self.fields[f"evidence_{category}"] = forms.FileField(label=label, required=category == "minutes")

    def clean(self):
        data = super().clean()
        chosen = [(data.get(f"subject_{n}"), data.get(f"role_{n}", "")) for n in range(1, SUBJECT_SLOTS + 1)]
        users = [user for user, _role in chosen if user]
        if len(users) != len(set(users)):
            raise forms.ValidationError(_("Each subject can be named once."))
        for n, (user, role) in enumerate(chosen, start=1):
            if user and not role:
                self.add_error(f"role_{n}", _("Give this subject's role."))
        return data

    def subjects(self):
        return [
            (self.cleaned_data[f"subject_{n}"], self.cleaned_data[f"role_{n}"])
            for n in range(1, SUBJECT_SLOTS + 1)
            if self.cleaned_data.get(f"subject_{n}")
        ]

    def evidence(self):
        return {category: self.cleaned_data.get(f"evidence_{category}") for category in EVIDENCE_CATEGORIES}


class CompletenessForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=IntakeResult.choices, widget=forms.RadioSelect)
    reason = long_text(_("Reason (what is missing, or why refused)"), 2000, required=False)


class SupplementForm(forms.Form):
    note = long_text(_("What was supplemented"), 2000)
    file_1 = forms.FileField(label=_("Supplementary file"), required=False)
    file_2 = forms.FileField(label=_("Another supplementary file"), required=False)

    def files_uploaded(self):
        return [f for f in (self.cleaned_data.get("file_1"), self.cleaned_data.get("file_2")) if f]


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
