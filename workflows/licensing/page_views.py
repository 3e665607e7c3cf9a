"""The pages of the licence actions and the licensee's portal. Each page checks its action, calls one
service and returns to the case page; the portal lists what the viewer may see (cases_visible_to)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.views import generic

from tolerance.models import CaseType
from tolerance.selectors.cases import cases_visible_to
from tolerance.services.attachments import attachment_add
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.licensing import applications, closure, election, forms, pages, payments, services
from workflows.licensing.ledger import DueStatus, PaymentDue
from workflows.licensing.policy import licensing_policy
from workflows.licensing.selectors import applications_visible_to, page_of
from workflows.steps.participation import CaseActionView


class ReportView(CaseActionView):
    action = pages.REPORT
    form_class = forms.UsageReportForm
    success_text = _("Usage report filed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "milestone_codes": licensing_policy(self.case).milestone_codes}

    def perform(self, form):
        payments.report_submit(case=self.case, submitted_by=self.request.user, **form.cleaned_data)


class AcceptView(CaseActionView):
    action = pages.ACCEPT
    success_text = _("Report accepted.")

    form_class = forms.AcceptForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def perform(self, form):
        payments.report_accept(case=self.case, report=form.cleaned_data["report"], accepted_by=self.request.user)


class EvidenceView(CaseActionView):
    action = pages.EVIDENCE
    form_class = forms.PaymentEvidenceForm
    success_text = _("Payment evidence uploaded; the finance office will record the receipt.")

    def perform(self, form):
        with transaction.atomic():
            attachment_add(
                case=self.case,
                uploaded_by=self.request.user,
                uploaded=form.cleaned_data["evidence"],
                category="licensing_payment",
                description=form.cleaned_data["description"],
            )


class ReceiptView(CaseActionView):
    action = pages.RECEIPT
    form_class = forms.ReceiptForm
    success_text = _("Receipt recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def perform(self, form):
        payments.receipt_record(recorded_by=self.request.user, **form.cleaned_data)


class CnipaView(CaseActionView):
    action = pages.CNIPA
    form_class = forms.CnipaRecordForm
    success_text = _("CNIPA record saved.")

    def perform(self, form):
        services.cnipa_record_file(case=self.case, recorded_by=self.request.user, **form.cleaned_data)


class ExitView(CaseActionView):
    action = pages.EXIT
    form_class = forms.EndForm
    success_text = _("Exit recorded.")

    def perform(self, form):
        closure.licence_exit(case=self.case, by=self.request.user, **form.cleaned_data)


class ConvertView(CaseActionView):
    action = pages.CONVERT
    form_class = forms.ConvertForm
    success_text = _("Licence converted.")

    def perform(self, form):
        closure.licence_convert(case=self.case, by=self.request.user, **form.cleaned_data)


class CompleteView(CaseActionView):
    action = pages.COMPLETE
    form_class = forms.ConfirmForm
    success_text = _("Licence completed.")

    def perform(self, form):
        closure.licence_complete(case=self.case, by=self.request.user)


class TerminateView(CaseActionView):
    action = pages.TERMINATE
    success_text = _("Licence terminated.")

    form_class = forms.TerminateForm

    def perform(self, form):
        closure.licence_terminate(case=self.case, by=self.request.user, reason=form.cleaned_data["reason"])


class ElectView(CaseActionView):
    action = pages.ELECT
    form_class = forms.ElectionForm
    success_text = _("Election recorded.")

    def perform(self, form):
        election.election_record(case=self.case, by=self.request.user, **form.cleaned_data)


class RecordCancelView(CaseActionView):
    action = pages.RECORD_CANCEL
    form_class = forms.RecordCancelForm
    success_text = _("CNIPA record cancellation saved.")

    def perform(self, form):
        election.record_cancel(case=self.case, by=self.request.user, **form.cleaned_data)


class PortalView(InCasesMenuMixin, generic.TemplateView):
    """Every licence the viewer may see, with what is due and when: the licensee's portal. Paged on the
    case id (newest first, no count), and the dues read for the shown page only, so the page costs the
    same at any number of licences."""

    template_name = "workflows/licensing/portal.html"

    def get_context_data(self, **kwargs):
        visible = (
            cases_visible_to(self.request.user)
            .filter(case_type=CaseType.PAY_AFTER_USE)
            .select_related("company")
            .order_by("-id")
        )
        page = page_of(visible, self.request.GET.get("page", ""))
        cases = page["rows"]
        dues = {}
        shown = PaymentDue.objects.filter(case__in=[case.pk for case in cases], status=DueStatus.OPEN)
        for due in shown.order_by("due_on"):
            dues.setdefault(due.case_id, []).append(due)
        return {
            **super().get_context_data(**kwargs),
            **page,
            "rows": [(case, dues.get(case.pk, [])) for case in cases],
            "may_apply": applications.contact_company(self.request.user) is not None,
            "sees_applications": applications_visible_to(self.request.user).exists(),
        }
