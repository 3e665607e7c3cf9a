"""The company's application through the portal and the officer's answer: accepted into the flow (the
case starts at the review) or declined with a reason. Each page checks who may act, calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from tolerance.models import Institution
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.access import is_officer_of
from workflows.licensing import applications, forms
from workflows.licensing.application_models import ApplicationStatus
from workflows.licensing.flow import LicensingFlow
from workflows.licensing.policy import LicensingPolicy, licensing_version_current
from workflows.licensing.selectors import applications_visible_to, page_of


def _milestone_codes() -> list[str]:
    """Every milestone any institution's current policy lists: the form offers them, the service checks
    the chosen one against the policy of the institution applied to."""
    codes = []
    for institution in Institution.objects.order_by("pk"):
        try:
            version = licensing_version_current(institution)
        except ValidationError:
            continue
        codes += [code for code in LicensingPolicy.from_data(version.data).milestone_codes if code not in codes]
    return codes


class ApplyView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    form_class = forms.ApplicationForm
    template_name = "workflows/licensing/apply.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and applications.contact_company(request.user) is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "milestone_codes": _milestone_codes()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": applications.contact_company(self.request.user)}

    def perform(self, form):
        data = form.cleaned_data
        self.application = applications.application_submit(
            submitted_by=self.request.user,
            title=data["title"],
            results=data["results"],
            terms=form.terms(),
            documents=data["documents"],
        )

    def performed(self, form):
        messages.success(self.request, _("Application filed; the technology transfer office will answer it."))
        return redirect("licence_pages:application", pk=self.application.pk)


class ApplicationListView(InCasesMenuMixin, generic.TemplateView):
    """Newest first, paged on the id without a count, so a page costs the same at any number."""

    template_name = "workflows/licensing/applications.html"

    def get_context_data(self, **kwargs):
        visible = applications_visible_to(self.request.user).select_related("company", "institution", "case")
        page = page_of(visible.order_by("-id"), self.request.GET.get("page", ""))
        return {**super().get_context_data(**kwargs), **page, "applications": page["rows"]}


class ApplicationMixin:
    def get_application(self):
        return get_object_or_404(
            applications_visible_to(self.request.user).select_related("company", "institution", "case"),
            pk=self.kwargs["pk"],
        )


class ApplicationDetailView(InCasesMenuMixin, ApplicationMixin, generic.TemplateView):
    template_name = "workflows/licensing/application.html"

    def get_context_data(self, **kwargs):
        application = self.get_application()
        deciding = (
            is_officer_of(self.request.user, application.institution_id)
            and application.status == ApplicationStatus.WAITING
        )
        return {
            **super().get_context_data(**kwargs),
            "application": application,
            "results": application.results.order_by("number"),
            "documents": application.documents.all(),
            "accept_form": forms.ApplicationAcceptForm(institution=application.institution) if deciding else None,
            "decline_form": forms.ApplicationDeclineForm() if deciding else None,
        }


class DecideView(InCasesMenuMixin, ApplicationMixin, ServiceFormMixin, generic.FormView):
    """Accept or decline (POST only); an error shows the application page again with the message."""

    template_name = "workflows/licensing/application.html"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.application = self.get_application()
        if not is_officer_of(request.user, self.application.institution_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        accept = kwargs.get("form") if self.accepting else None
        decline = kwargs.get("form") if not self.accepting else None
        return {
            **super().get_context_data(**kwargs),
            "application": self.application,
            "results": self.application.results.order_by("number"),
            "documents": self.application.documents.all(),
            "accept_form": accept or forms.ApplicationAcceptForm(institution=self.application.institution),
            "decline_form": decline or forms.ApplicationDeclineForm(),
        }


class AcceptView(DecideView):
    accepting = True

    def get_form(self, form_class=None):
        return forms.ApplicationAcceptForm(institution=self.application.institution, **self.get_form_kwargs())

    def perform(self, form):
        with transaction.atomic():
            self.case = LicensingFlow.start_application.run(
                application=self.application,
                accepted_by=self.request.user,
                inventors=list(form.cleaned_data["inventors"]),
            )

    def performed(self, form):
        messages.success(self.request, _("Application accepted as case %(number)s.") % {"number": self.case.number})
        return redirect(reverse("cases:detail", args=[self.case.pk]))


class DeclineView(DecideView):
    accepting = False
    form_class = forms.ApplicationDeclineForm

    def perform(self, form):
        applications.application_decline(
            application=self.application, declined_by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def performed(self, form):
        messages.success(self.request, _("Application declined; the company is told the reason."))
        return redirect("licence_pages:application", pk=self.application.pk)
