"""Forms of the licensing flow and its pages. Bounds mirror the models, so bad input is a form error
beside its field and never a 500; business rules live in the services, whose errors land beside the
field they name."""

import re
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.forms import MultipleFileField
from tolerance.models import Company
from workflows.form_fields import MONEY, long_text
from workflows.licensing.ledger import ElectionChoice, PaymentDue, Receipt
from workflows.licensing.models import LicenceType, PaymentMode, Result, ReviewResult, TriggerMode

# An amount a person enters: positive, fen at most.
AMOUNT = {**MONEY, "min_value": Decimal("0.01")}
CODE_SPLIT = re.compile(r"[\s,，、;；]+")


def _codes(value: str, pattern: str, message) -> list[str]:
    codes = [code for code in CODE_SPLIT.split(value.strip()) if code]
    for code in codes:
        if not re.fullmatch(pattern, code):
            raise forms.ValidationError(message % {"code": code})
    return codes


class DateInput(forms.DateInput):
    input_type = "date"


class TermsForm(forms.Form):
    """The terms a licence is asked for: the officer's filing and the company's application share them."""

    title = forms.CharField(label=_("Case title"), max_length=200)
    intended_use = long_text(_("Intended use"), 2000)
    licence_type = forms.ChoiceField(label=_("Licence type"), choices=LicenceType.choices)
    fields_of_use = forms.CharField(
        label=_("Fields of use"), max_length=400, help_text=_("IPC codes separated by commas, or * for every field.")
    )
    territories = forms.CharField(
        label=_("Territories"),
        max_length=400,
        help_text=_("Six-digit region codes separated by commas (450000 Guangxi), or * for the whole country."),
    )
    start_on = forms.DateField(label=_("Licence starts on"), widget=DateInput)
    end_on = forms.DateField(label=_("Licence ends on"), widget=DateInput)
    free_use_months = forms.IntegerField(label=_("Free-use period (months)"), min_value=0, max_value=120)
    trigger_mode = forms.ChoiceField(label=_("Trigger"), choices=TriggerMode.choices)
    trigger_date = forms.DateField(label=_("Trigger date"), required=False, widget=DateInput)
    trigger_milestone = forms.ChoiceField(label=_("Trigger milestone"), required=False)
    trigger_revenue = forms.DecimalField(label=_("Trigger: cumulative net sales (yuan)"), required=False, **AMOUNT)
    payment_mode = forms.ChoiceField(label=_("Payment"), choices=PaymentMode.choices)
    fee_total = forms.DecimalField(label=_("Licence fee or cap (yuan)"), **AMOUNT)
    instalments = forms.IntegerField(label=_("Number of instalments"), min_value=1, max_value=60, initial=1)
    royalty_percent = forms.DecimalField(
        label=_("Royalty rate (percent of net sales)"), required=False, max_digits=5, decimal_places=2, min_value=0
    )
    valuation_reference = forms.CharField(label=_("Valuation report"), max_length=200, required=False)

    def __init__(self, *args, milestone_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trigger_milestone"].choices = [("", "—")] + [(code, code) for code in milestone_codes]

    def clean_fields_of_use(self):
        return _codes(
            self.cleaned_data["fields_of_use"],
            r"\*|[A-H](\d{2}([A-Z](\d{1,4}(/\d{2,6})?)?)?)?",
            _("“%(code)s” is not an IPC code."),
        )

    def clean_territories(self):
        return _codes(self.cleaned_data["territories"], r"\*|\d{6}", _("“%(code)s” is not a six-digit region code."))

    def terms(self) -> dict:
        """The terms as the services take them (the service applies the policy's rules)."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in TERM_FIELDS},
            "instalments": data["instalments"] or 1,
        }


TERM_FIELDS = [
    "intended_use",
    "licence_type",
    "fields_of_use",
    "territories",
    "start_on",
    "end_on",
    "free_use_months",
    "trigger_mode",
    "trigger_date",
    "trigger_milestone",
    "trigger_revenue",
    "payment_mode",
    "fee_total",
    "royalty_percent",
    "valuation_reference",
]


class FilingForm(TermsForm):
    company = forms.ModelChoiceField(label=_("Licensee"), queryset=Company.objects.order_by("name"))
    results = forms.ModelMultipleChoiceField(label=_("Results licensed"), queryset=Result.objects.none())
    inventors = forms.ModelMultipleChoiceField(
        label=_("Inventors"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"].queryset = Result.objects.filter(institution=institution).order_by("number")
        self.fields["inventors"].queryset = researchers_of(institution)
        self.fields["inventors"].label_from_instance = person_label


def researchers_of(institution):
    return get_user_model().objects.filter(groups__name=roles.RESEARCHER, profile__institution=institution)


def person_label(user):
    return user.profile.real_name or user.username


class ApplicationForm(TermsForm):
    """The company's application: results from the institutions' listed results, and its documents."""

    results = forms.ModelMultipleChoiceField(
        label=_("Results licensed"),
        queryset=Result.objects.filter(listed=True).select_related("institution").order_by("institution", "number"),
        error_messages={"invalid_choice": _("“%(value)s” is not a result listed for licensing.")},
    )
    documents = MultipleFileField(
        label=_("Company documents"),
        help_text=_("Business licence, latest financial statements, and anything else the office asks for."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"].label_from_instance = lambda r: f"{r.institution.name_zh} {r.number} {r.title}"


class ApplicationAcceptForm(forms.Form):
    inventors = forms.ModelMultipleChoiceField(
        label=_("Inventors"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inventors"].queryset = researchers_of(institution)
        self.fields["inventors"].label_from_instance = person_label


class ApplicationDeclineForm(forms.Form):
    reason = long_text(_("Reason for declining"), 2000)


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Result of the review"), choices=ReviewResult.choices, widget=forms.RadioSelect)
    ownership_clear = forms.BooleanField(label=_("Ownership clear, no dispute"), required=False)
    inventors_consent = forms.BooleanField(label=_("Every inventor consents"), required=False)
    consent_file = forms.FileField(label=_("Written consent (pledgee or co-owners)"), required=False)
    proceed_reason = long_text(_("Reason for proceeding past the warnings"), 2000, required=False)
    reason = long_text(_("Reason for refusing"), 2000, required=False)
    related_party = forms.BooleanField(
        label=_("Related party: an inventor, an officer or a relative holds shares in the licensee"), required=False
    )
    related_party_disclosure = long_text(_("Related-party disclosure"), 2000, required=False)


class HigherApprovalForm(forms.Form):
    granted = forms.ChoiceField(
        label=_("Resolution of the body"),
        choices=[("yes", _("Approved")), ("no", _("Not approved"))],
        widget=forms.RadioSelect,
    )
    met_on = forms.DateField(label=_("Meeting date"), widget=DateInput)
    minutes_number = forms.CharField(label=_("Minutes number"), max_length=60)
    minutes_file = forms.FileField(label=_("Minutes"))


class ContractForm(forms.Form):
    contract_number = forms.CharField(label=_("Contract number"), max_length=60)
    effective_on = forms.DateField(label=_("Contract effective on"), widget=DateInput)
    contract_file = forms.FileField(label=_("Signed contract"))


class CnipaRecordForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed with CNIPA on"), widget=DateInput)
    record_number = forms.CharField(label=_("CNIPA record number"), max_length=60)


class UsageReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    units = forms.IntegerField(label=_("Units produced or sold"), min_value=0, max_value=10**9)
    net_sales = forms.DecimalField(label=_("Net sales (yuan)"), **MONEY)
    milestone = forms.ChoiceField(label=_("Milestone reached"), required=False)
    note = long_text(_("Progress and problems"), 4000)
    evidence = forms.FileField(label=_("Supporting file"), required=False)

    def __init__(self, *args, milestone_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [("", "—")] + [(code, code) for code in milestone_codes]


class PaymentEvidenceForm(forms.Form):
    evidence = forms.FileField(label=_("Payment voucher"))
    description = forms.CharField(label=_("Description"), max_length=200)


class ReceiptForm(forms.Form):
    due = forms.ModelChoiceField(label=_("Instalment"), queryset=None)
    amount = forms.DecimalField(label=_("Amount received (yuan)"), **AMOUNT)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=60)
    corrects = forms.ModelChoiceField(label=_("Corrects receipt"), queryset=None, required=False)
    correction_reason = long_text(_("Reason for the correction"), 2000, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].queryset = PaymentDue.objects.filter(case=case).order_by("sequence")
        self.fields["corrects"].queryset = Receipt.objects.filter(due__case=case, corrected_by__isnull=True)


class EndForm(forms.Form):
    """Exit, termination and conversion: when, and why."""

    notified_on = forms.DateField(label=_("Notice given on"), widget=DateInput)
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput)
    reason = long_text(_("Reason"), 2000)


class ConvertForm(forms.Form):
    converted_to = forms.CharField(label=_("New licence contract"), max_length=200)
    reason = long_text(_("Reason"), 2000)


class AcceptForm(forms.Form):
    report = forms.ModelChoiceField(label=_("Usage report"), queryset=None)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = case.usage_reports.filter(accepted_at__isnull=True)


class TerminateForm(forms.Form):
    reason = long_text(_("Reason"), 2000)


class ConfirmForm(forms.Form):
    """An action with nothing to enter: the button confirms it."""


class ElectionForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your election"), choices=ElectionChoice.choices, widget=forms.RadioSelect)
    exit_effective_on = forms.DateField(label=_("Exit takes effect on"), required=False, widget=DateInput)
    note = long_text(_("Note"), 2000, required=False)


class RecordCancelForm(forms.Form):
    cancelled_on = forms.DateField(label=_("Cancelled with CNIPA on"), widget=DateInput)
    reference = forms.CharField(label=_("CNIPA reference"), max_length=60)
