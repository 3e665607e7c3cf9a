"""The rectification pages outside the task lists: the researcher's self-declaration, a department's
opinion, and per item the subject's evidence and extension request, the verifier's acceptance and the
officer's decision on an extension. Each finds its case through the visibility selector (404 otherwise),
checks who may act (403), says why not now instead of the form, and calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from tolerance import roles
from tolerance.models import Case, CaseType
from tolerance.selectors.cases import case_get_visible, is_case_subject
from tolerance.selectors.departments import departments_of
from tolerance.views.held_uploads import HeldUploadsMixin
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.access import is_case_officer
from workflows.driver import flow_start
from workflows.rectification import commitment, forms, intake, items, results, services, statement
from workflows.rectification.flow import RectificationFlow
from workflows.rectification.models import (
    ExtensionDecision,
    ItemExtension,
    ItemStatus,
    LeadSource,
    Origin,
    RectificationItem,
    RectificationStage,
)
from workflows.rectification.views import declaration_from
from workflows.steps.referrals import Referral, referrals_of_type


class RectificationPage(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    template_name = "workflows/action.html"
    title = ""
    success_text = ""
    model = None

    def get_object(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.get_object()
        # The object is only as visible as its case: 404 otherwise, so its existence is not revealed.
        self.case = case_get_visible(request.user, pk=self.case_id())
        if not self.may(request.user):
            raise PermissionDenied
        self.not_now = self.why_not_now()
        return super().dispatch(request, *args, **kwargs)

    def case_id(self):
        return self.object.case_id

    def may(self, user) -> bool:
        raise NotImplementedError(f"{type(self).__name__} must define may(user).")

    def why_not_now(self) -> str:
        return ""

    def post(self, request, *args, **kwargs):
        if self.not_now:
            form = self.get_form()
            form.add_error(None, self.not_now)
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.case, "title": self.title, "not_now": self.not_now}

    def performed(self, form):
        messages.success(self.request, self.success_text)
        return redirect("cases:detail", pk=self.case.pk)


class ItemPage(RectificationPage):
    model = RectificationItem

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "item": self.object,
            "summary_template": "workflows/rectification/item_summary.html",
            "item_evidence": self.object.evidence.select_related("attachment").order_by("-pk"),
        }

    def why_not_now(self):
        if self.case.stage != RectificationStage.RECTIFYING:
            return _("The case is not in its rectification stage.")
        return ""


class EvidenceView(HeldUploadsMixin, ItemPage):
    form_class = forms.EvidenceForm
    title = gettext_lazy("Submit the evidence of an item")
    success_text = gettext_lazy("The evidence has been submitted to the verifier.")

    def may(self, user):
        return is_case_subject(user, self.case)

    def why_not_now(self):
        if self.object.status not in (ItemStatus.OPEN, ItemStatus.RETURNED):
            return _("This item is not waiting for evidence.")
        return super().why_not_now()

    def perform(self, form):
        items.evidence_submit(
            item=self.object,
            submitted_by=self.request.user,
            note=form.cleaned_data["note"],
            files=form.files_uploaded(),
        )


class ItemReviewView(ItemPage):
    form_class = forms.ItemReviewForm
    title = gettext_lazy("Accept or return an item")
    success_text = gettext_lazy("The item has been reviewed.")

    def may(self, user):
        return items.item_may_verify(user, self.object)

    def why_not_now(self):
        if self.object.status != ItemStatus.SUBMITTED:
            return _("This item has no evidence waiting for acceptance.")
        return super().why_not_now()

    def perform(self, form):
        items.item_review(
            item=self.object,
            reviewed_by=self.request.user,
            accepted=form.cleaned_data["accepted"] == "yes",
            note=form.cleaned_data["note"],
        )


class ExtensionRequestView(ItemPage):
    form_class = forms.ExtensionRequestForm
    title = gettext_lazy("Request an extension of an item")
    success_text = gettext_lazy("The extension request has been sent to the office.")

    def may(self, user):
        return is_case_subject(user, self.case)

    def perform(self, form):
        items.extension_request(
            item=self.object,
            requested_by=self.request.user,
            length=form.cleaned_data["length"],
            reason=form.cleaned_data["reason"],
        )


class ExtensionDecisionView(RectificationPage):
    model = ItemExtension
    form_class = forms.ExtensionDecisionForm
    title = gettext_lazy("Decide an extension request")
    success_text = gettext_lazy("The extension request has been decided.")

    def case_id(self):
        return self.object.item.case_id

    def may(self, user):
        return is_case_officer(user, self.case)

    def why_not_now(self):
        if self.object.decision != ExtensionDecision.PENDING:
            return _("This request has already been decided.")
        return ""

    def perform(self, form):
        items.extension_decide(
            extension=self.object,
            decided_by=self.request.user,
            granted=form.cleaned_data["granted"] == "yes",
            reason=form.cleaned_data["reason"],
        )


class ReferralReceiptView(RectificationPage):
    model = Referral
    form_class = forms.ReferralReceiptForm
    title = gettext_lazy("Acknowledge receipt of the referral")
    success_text = gettext_lazy("Receipt acknowledged.")

    def get_object(self):
        return get_object_or_404(referrals_of_type(CaseType.RECTIFICATION), pk=self.kwargs["pk"])

    def may(self, user):
        return self.object.to_department in departments_of(user, self.case.institution)

    def why_not_now(self):
        if self.object.received_at is not None:
            return _("This has already been acknowledged.")
        return ""

    def perform(self, form):
        results.referral_receipt(referral=self.object, user=self.request.user, note=form.cleaned_data["note"])


class CasePage(RectificationPage):
    """An officer's action on the whole case: suspend, resume, or close on the inspection's result."""

    model = Case

    def get_object(self):
        return get_object_or_404(Case.objects.filter(case_type=CaseType.RECTIFICATION), pk=self.kwargs["pk"])

    def case_id(self):
        return self.object.pk

    def may(self, user):
        return is_case_officer(user, self.case)


class SupplementView(HeldUploadsMixin, CasePage):
    form_class = forms.SupplementForm
    title = gettext_lazy("Supply the materials asked for")
    success_text = gettext_lazy("The materials have been supplied; the office checks the declaration again.")

    def may(self, user):
        return is_case_subject(user, self.case)

    def why_not_now(self):
        if intake.supplement_pending(self.case) is None or self.case.stage != RectificationStage.SUPPLEMENT:
            return _("No supplement is being asked for on this case.")
        return ""

    def perform(self, form):
        intake.supplement_submit(
            case=self.case, submitted_by=self.request.user, note=form.cleaned_data["note"], files=form.files_uploaded()
        )


class PlanPage(CasePage):
    """A subject's page on the case's gap list and plan: the items are shown above the form."""

    def may(self, user):
        return is_case_subject(user, self.case)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "summary_template": "workflows/rectification/plan_summary.html",
            "plan_items": self.case.rectification_items.select_related("gap").prefetch_related("verifiers"),
        }


class StatementView(PlanPage):
    """The subject confirms the notified gap list or states their view (陈述与确认)."""

    form_class = forms.StatementForm
    title = gettext_lazy("Confirm the gap list or state your view")
    success_text = gettext_lazy("Your answer on the gap list has been recorded.")

    def why_not_now(self):
        if self.case.stage != RectificationStage.STATEMENT:
            return _("No statement on the gap list is awaited on this case.")
        return ""

    def perform(self, form):
        statement.statement_submit(
            case=self.case,
            stated_by=self.request.user,
            confirmed=form.cleaned_data["confirmed"] == "yes",
            text=form.cleaned_data["text"],
        )


class CommitmentView(PlanPage):
    """The subject signs the 整改承诺书: acceptance of the approved plan, sealed."""

    form_class = forms.CommitmentForm
    title = gettext_lazy("Sign the rectification commitment")
    success_text = gettext_lazy("The commitment has been signed and sealed.")

    def why_not_now(self):
        if commitment.commitment_pending(self.case, self.request.user) is None:
            return _("No rectification plan is waiting for your signature.")
        return ""

    def perform(self, form):
        commitment.commitment_sign(case=self.case, signed_by=self.request.user)


class SuspendView(CasePage):
    form_class = forms.SuspensionForm
    title = gettext_lazy("Suspend the case (中止)")
    success_text = gettext_lazy("The case is suspended; its deadlines are frozen.")

    def why_not_now(self):
        if self.case.stage not in intake.SUSPENDABLE:
            return _("A case at this stage cannot be suspended.")
        return ""

    def perform(self, form):
        intake.case_suspend(case=self.case, suspended_by=self.request.user, reason=form.cleaned_data["reason"])


class ResumeView(CasePage):
    form_class = forms.ResumptionForm
    title = gettext_lazy("Resume the suspended case")
    success_text = gettext_lazy("The case is resumed; its deadlines run again.")

    def why_not_now(self):
        if self.case.stage != RectificationStage.SUSPENDED:
            return _("The case is not suspended.")
        return ""

    def perform(self, form):
        intake.case_resume(case=self.case, resumed_by=self.request.user, note=form.cleaned_data["note"])


class TerminateView(ResumeView):
    form_class = forms.TerminationForm
    title = gettext_lazy("Close the case on the discipline inspection's result")
    success_text = gettext_lazy("The case is closed.")

    def perform(self, form):
        intake.case_terminate(case=self.case, closed_by=self.request.user, result=form.cleaned_data["result"])


class DeclareView(InCasesMenuMixin, HeldUploadsMixin, ServiceFormMixin, generic.FormView):
    """A researcher's self-declaration (自查申报) of past entrepreneurship, through the portal."""

    form_class = forms.DeclarationForm
    template_name = "workflows/rectification/declare.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            roles.has_role(request.user, roles.RESEARCHER) and request.user.profile.institution_id
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        user = self.request.user
        declaration = declaration_from(
            form.cleaned_data, lead_source=LeadSource.SELF_DECLARATION, declared_on=timezone.localdate()
        )
        self.case = flow_start(
            RectificationFlow,
            user,
            lambda process: services.rectification_file(
                process=process,
                institution=user.profile.institution,
                filed_by=user,
                subject=user,
                declaration=declaration,
                origin=Origin.SELF_DECLARED,
                files=form.files_uploaded(),
            ),
        )

    def performed(self, form):
        messages.success(self.request, _("Declaration %(number)s submitted.") % {"number": self.case.number})
        return redirect(reverse("cases:detail", args=[self.case.pk]))
