"""Forms of the exemption flow. Bounds mirror the models so bad input is a form error, never a 500;
rules (dates, reasons, four-eyes) live in the services, whose errors appear beside the field they name."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow.forms.renderers import Layout

from tolerance import roles
from tolerance.forms import HeldUploadsFormMixin, ListFormSet, MultipleFileField
from tolerance.models import LeadershipLevel
from workflows.exemption.investigation import Confirmation
from workflows.exemption.models import (
    ExemptionOutcome,
    IntakeResult,
    LossKind,
    PricingMethod,
    PublicityVenueKind,
    ReductionKind,
    TransferRoute,
    TriggerSource,
)
from workflows.exemption.tolerance_list import PolicyAudience, PolicyItem, PolicyItemKind
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
    audience = forms.ChoiceField(
        label=_("Leader, manager or researcher"), choices=[("", "—"), *PolicyAudience.choices], required=False
    )
    post = forms.CharField(label=_("Post (e.g. 副校长, 科研处处长)"), max_length=100, required=False)
    leadership_level = forms.ChoiceField(label=_("Leadership level"), choices=LeadershipLevel.choices, required=False)

    def __init__(self, *args, researchers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = researchers
        self.fields["user"].label_from_instance = lambda user: user.profile.real_name or user.username

    def clean(self):
        data = super().clean()
        # Which subjects may be named, and only once, is the filing service's rule (case_file).
        if data.get("user") and not data.get("role"):
            self.add_error("role", _("Give this subject's role."))
        described = data.get("role") or data.get("audience") or data.get("post")
        if described and not data.get("user") and "user" not in self.errors:
            self.add_error("user", _("Choose the person with this role."))
        return data


SubjectFormSet = forms.formset_factory(SubjectForm, formset=ListFormSet, extra=SUBJECT_EXTRA_ROWS)


class VenueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Venue"), choices=[("", "—"), *PublicityVenueKind.choices], required=False)
    name = forms.CharField(label=_("Venue name"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("From"), required=False)
    # "To" alone is also an e-mail's recipient (收件人) in the core catalog: the context keeps them apart.
    ends_on = forms.DateField(label=pgettext_lazy("end of a date range", "To"), required=False)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not self.errors:
            for name in ("kind", "starts_on", "ends_on"):
                if not data.get(name):
                    self.add_error(name, _("This field is required."))
        return data


VenueFormSet = forms.formset_factory(VenueForm, formset=ListFormSet, extra=2)


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
    pricing_method = forms.ChoiceField(
        label=_("Pricing method"), choices=[("", "—"), *PricingMethod.choices], required=False
    )
    objections_received = forms.ChoiceField(
        label=_("Objections received during the price publicity?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    objection_handling = long_text(_("How the objections were handled"), 2000, required=False)
    decided_by_body = forms.CharField(
        label=_("Decided by (e.g. 学校成果转化领导小组会议)"), max_length=200, required=False
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False)
    emergency = forms.ChoiceField(
        label=_("Decided by one person in an emergency?"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    emergency_reason = long_text(_("The emergency"), 2000, required=False)
    reported_on = forms.DateField(label=_("Emergency decision reported on"), required=False)
    procedure_completed_on = forms.DateField(label=_("Collective procedure completed on"), required=False)
    trigger_source = forms.ChoiceField(
        label=_("Why the case started"), choices=[("", "—"), *TriggerSource.choices], required=False
    )
    accountability_ref = forms.CharField(
        label=_("Reference of the audit finding or proceedings"), max_length=100, required=False
    )
    loss_kind = forms.ChoiceField(label=_("Kind of loss"), choices=[("", "—"), *LossKind.choices], required=False)
    ledger_ref = forms.CharField(label=_("Separate ledger number (单列台账)"), max_length=60, required=False)

    def __init__(self, *args, institution, policy_version, subjects_initial=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any active member of the institution may be responsible: leaders and managers as well as
        # researchers (the 建设方案's "相关责任人"); who is which is said on the row.
        people = (
            get_user_model()
            .objects.filter(profile__institution=institution, is_active=True)
            .exclude(groups__name=roles.LICENSEE_CONTACT)
            .select_related("profile")
            .order_by("pk")
        )
        self.subjects = SubjectFormSet(
            self.data if self.is_bound else None,
            prefix="subjects",
            form_kwargs={"researchers": people},
            initial=list(subjects_initial) or None,
        )
        self.venues = VenueFormSet(self.data if self.is_bound else None, prefix="venues")
        self.formsets = {"subjects": self.subjects, "publicity_venues": self.venues}
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
            FormSetRows(self.venues, title=_("Price publicity"), add_label=_("Add another venue")),
            *names[evidence:],
        )

    def clean(self):
        data = super().clean()
        if not self.subjects.is_valid():
            raise forms.ValidationError(_("Correct the subjects as marked."))
        if not self.venues.is_valid():
            raise forms.ValidationError(_("Correct the publicity venues as marked."))
        return data

    def subjects_given(self):
        return [
            {
                "user": row.cleaned_data["user"],
                "role_in_case": row.cleaned_data["role"],
                "audience": row.cleaned_data["audience"],
                "post": row.cleaned_data["post"],
                "leadership_level": row.cleaned_data["leadership_level"],
            }
            for row in self.subjects.filled_forms()
        ]

    def venues_given(self):
        return [
            {key: row.cleaned_data[key] for key in ("kind", "name", "starts_on", "ends_on")}
            for row in self.venues.filled_forms()
        ]

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


class ExpiredSupplementForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Decision"),
        choices=[("extend", _("Extend the deadline")), ("refuse", _("Refuse the filing as incomplete"))],
        widget=forms.RadioSelect,
    )
    working_days = forms.IntegerField(label=_("Extend by (working days)"), min_value=1, max_value=365, required=False)
    reason = long_text(_("Reason"), 2000)


class InvestigationForm(forms.Form):
    """One finding (holds? + note + evidence) per row: an item for the case, or for one person it applies to.

    Rows not applicable by the conversion's route have no fields; rows whose facts the system computed
    start from the computation and ask for a reason to depart from it.
    """

    def __init__(self, *args, rows, attachments, initial_findings, subject_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if not row.not_applicable]
        self.not_applicable = [row for row in rows if row.not_applicable]
        # One list of the case's attachments for every row's evidence field: a queryset per field would
        # cost a query per row to render and another to validate.
        self.attachments = {str(attachment.pk): attachment for attachment in attachments}
        evidence_choices = [(pk, str(attachment)) for pk, attachment in self.attachments.items()]
        labels = {
            PolicyItemKind.CONDITION: _("Condition met?"),
            PolicyItemKind.NEGATIVE: _("Applies?"),
            PolicyItemKind.MITIGATING: _("Present?"),
            PolicyItemKind.EXEMPTING: _("Present?"),
        }
        for row in self.rows:
            item, key = row.item, row.key
            found = initial_findings.get((item.pk, row.subject.pk if row.subject else None))
            who = subject_names[row.subject.pk] + "：" if row.subject else ""
            initial = None if found is None else ("yes" if found.holds else "no")
            if initial is None and row.computed is not None:
                initial = "yes" if row.computed.met else "no"
            self.fields[f"holds_{key}"] = forms.ChoiceField(
                label=f"{who}{item.code} {item.title} — {labels[item.kind]}",
                choices=YES_NO,
                widget=forms.RadioSelect,
                initial=initial,
                help_text=row.computed.text if row.computed else "",
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Finding"),
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=found.note if found else (row.computed.text if row.computed else ""),
            )
            self.fields[f"evidence_{key}"] = forms.MultipleChoiceField(
                label=_("Evidence"),
                choices=evidence_choices,
                required=False,
                initial=[str(attachment.pk) for attachment in found.evidence.all()] if found else [],
            )
            if heads := item.checks.get("sub_checklist"):
                self.fields[f"checklist_{key}"] = forms.MultipleChoiceField(
                    label=_("Heads of duty shown"),
                    choices=[(head, head) for head in heads],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    initial=found.checklist if found else [],
                )
            if row.forced_by:
                self.fields[f"holds_{key}"].help_text = _(
                    "Applies when %(codes)s is not met and no emergency is recorded."
                ) % {"codes": "、".join(row.forced_by)}
            if row.computed is not None or row.forced_by:
                self.fields[f"override_{key}"] = forms.CharField(
                    label=_("Reason for departing from the computed facts")
                    if row.computed is not None
                    else _("Reason it does not apply although those conditions failed"),
                    max_length=2000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def findings(self):
        return [
            {
                "item": row.item,
                "subject": row.subject,
                "holds": self.cleaned_data[f"holds_{row.key}"] == "yes",
                "note": self.cleaned_data[f"note_{row.key}"],
                "evidence": [self.attachments[pk] for pk in self.cleaned_data[f"evidence_{row.key}"]],
                "override_reason": self.cleaned_data.get(f"override_{row.key}", ""),
                "checklist": self.cleaned_data.get(f"checklist_{row.key}", []),
            }
            for row in self.rows
        ]


class EvaluationForm(forms.Form):
    """The second officer's confirmation of each person's proposed outcome (one row for a case judged once)."""

    def __init__(self, *args, proposals, subject_names, scope_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for proposal in proposals:
            suffix = f"_{proposal.subject.pk}" if proposal.subject else ""
            who = subject_names[proposal.subject.pk] + "：" if proposal.subject else ""
            self.fields[f"outcome{suffix}"] = forms.ChoiceField(
                label=f"{who}{_('Outcome')}",
                choices=ExemptionOutcome.choices,
                widget=forms.RadioSelect,
                initial=proposal.evaluation.proposal,
                help_text=proposal.evaluation.summary,
            )
            self.fields[f"override_reason{suffix}"] = long_text(
                _("Reason for overriding the proposal"), 2000, required=False
            )
            if proposal.subject is None:
                continue
            if scope_options:
                self.fields[f"scope{suffix}"] = forms.MultipleChoiceField(
                    label=_("Liability heads concerned"),
                    choices=[(option, option) for option in scope_options],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.fields[f"reduction{suffix}"] = forms.ChoiceField(
                    label=_("Kind of reduction (for reduced liability)"),
                    choices=[("", "—"), *ReductionKind.choices],
                    required=False,
                )
                self.fields[f"remaining{suffix}"] = long_text(
                    _("Liability that remains (for reduced liability)"), 2000, required=False
                )
            self.fields[f"correction{suffix}"] = long_text(
                _("Correction order (items to correct)"), 2000, required=False
            )

    def confirmations(self):
        rows = []
        for proposal in self.proposals:
            suffix = f"_{proposal.subject.pk}" if proposal.subject else ""
            data = self.cleaned_data
            rows.append(
                Confirmation(
                    subject=proposal.subject,
                    outcome=data[f"outcome{suffix}"],
                    override_reason=data[f"override_reason{suffix}"],
                    liability_scope=tuple(data.get(f"scope{suffix}", ())),
                    reduction_kind=data.get(f"reduction{suffix}", ""),
                    remaining_liability=data.get(f"remaining{suffix}", ""),
                    correction_items=data.get(f"correction{suffix}", ""),
                )
            )
        return rows
