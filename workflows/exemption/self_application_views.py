"""X3: the person's own application through the portal and the officer's answer: adopted (the filing
page, pre-filled from it, files the case) or declined with a reason. Each page finds the application
through self_applications_visible_to (404 otherwise), checks who may act (403) and calls one service."""

import copy

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from tolerance.forms import MultipleFileField
from tolerance.services.cases import SubjectSpec
from tolerance.views.held_uploads import HeldUploadsMixin
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.access import is_officer_of
from workflows.exemption import self_applications
from workflows.exemption.application_models import SelfApplicationStatus
from workflows.exemption.flow import ExemptionFlow
from workflows.exemption.forms import EVIDENCE_CATEGORIES, FilingForm, SubjectFormSet
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyAudience, PolicyItem, PolicyItemKind
from workflows.exemption.views import conversion_of
from workflows.form_fields import long_text


class ApplyForm(forms.Form):
    role_in_case = forms.CharField(label=gettext_lazy("Your role in the conversion"), max_length=100)
    audience = forms.ChoiceField(label=gettext_lazy("Leader, manager or researcher"), choices=PolicyAudience.choices)
    post = forms.CharField(label=gettext_lazy("Post (e.g. 副校长, 科研处处长)"), max_length=100, required=False)

    def __init__(self, *args, policy_version, **kwargs):
        super().__init__(*args, **kwargs)
        # The facts are the filing form's own fields, with its bounds and labels.
        for name in [*self_applications.FACTS, "cited_entries"]:
            self.fields[name] = copy.deepcopy(FilingForm.base_fields[name])
        self.fields["cited_entries"].queryset = PolicyItem.objects.filter(
            version=policy_version, kind=PolicyItemKind.ENTRY
        )
        for category, label in EVIDENCE_CATEGORIES.items():
            self.fields[f"evidence_{category}"] = MultipleFileField(label=label, required=False)

    def documents(self):
        return {category: self.cleaned_data[f"evidence_{category}"] or [] for category in EVIDENCE_CATEGORIES}


class DeclineForm(forms.Form):
    reason = long_text(gettext_lazy("Reason for declining"), 2000)


class AdoptionForm(FilingForm):
    """The officer's filing form, pre-filled from the application; its evidence counts as filed."""

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = self_applications.filing_initial(application)
            self.subjects = SubjectFormSet(
                initial=[self_applications.filing_subject(application)],
                prefix="subjects",
                form_kwargs=self.subjects.form_kwargs,
            )
            self.formsets["subjects"] = self.subjects
        if any(row["category"] == "minutes" for row in application.documents):
            self.fields["evidence_minutes"].required = False


class ApplyView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    form_class = ApplyForm
    template_name = "workflows/exemption/self_apply.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self_applications.may_apply(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        version = policy_version_current(self.request.user.profile.institution)
        return {**super().get_form_kwargs(), "policy_version": version}

    def perform(self, form):
        data = form.cleaned_data
        self.application = self_applications.self_application_submit(
            submitted_by=self.request.user,
            facts={name: data[name] for name in self_applications.FACTS},
            role_in_case=data["role_in_case"],
            audience=data["audience"],
            post=data["post"],
            cited_entries=data["cited_entries"],
            documents=form.documents(),
        )

    def performed(self, form):
        messages.success(self.request, _("Application filed; the office adopts it as a case or tells you why not."))
        return redirect("exemption_register:self_application", pk=self.application.pk)


class ApplicationMixin:
    def get_application(self):
        return get_object_or_404(
            self_applications.self_applications_visible_to(self.request.user).select_related(
                "institution", "case", "submitted_by__profile"
            ),
            pk=self.kwargs["pk"],
        )

    def deciding(self, application) -> bool:
        user = self.request.user
        return (
            is_officer_of(user, application.institution_id)
            and user.pk != application.submitted_by_id
            and application.status == SelfApplicationStatus.WAITING
        )


class ApplicationListView(InCasesMenuMixin, generic.TemplateView):
    template_name = "workflows/exemption/self_applications.html"

    def get_context_data(self, **kwargs):
        rows = self_applications.self_applications_visible_to(self.request.user).select_related(
            "submitted_by__profile", "case"
        )
        return {
            **super().get_context_data(**kwargs),
            "applications": rows.order_by("-id")[:200],
            "may_apply": self_applications.may_apply(self.request.user),
        }


class ApplicationDetailView(InCasesMenuMixin, ApplicationMixin, ServiceFormMixin, generic.FormView):
    """The application; for an officer who may decide, the adopt link and the decline form (POST here)."""

    template_name = "workflows/exemption/self_application.html"
    form_class = DeclineForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = self.get_application()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.deciding(self.application):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "application": self.application,
            "entries": self.application.cited_entries.order_by("order"),
            "deciding": self.deciding(self.application),
        }

    def perform(self, form):
        self_applications.self_application_decline(
            application=self.application, declined_by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def performed(self, form):
        messages.success(self.request, _("Application declined; the applicant is told the reason."))
        return redirect("exemption_register:self_application", pk=self.application.pk)


class AdoptView(InCasesMenuMixin, ApplicationMixin, HeldUploadsMixin, ServiceFormMixin, generic.FormView):
    """The filing page pre-filled from the application; filing it adopts the application."""

    form_class = AdoptionForm
    template_name = "workflows/exemption/self_application_adopt.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = self.get_application()
            if not self.deciding(self.application):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "institution": self.application.institution,
            "policy_version": self.application.policy_version,
            "application": self.application,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "application": self.application}

    def perform(self, form):
        with transaction.atomic():
            self.case = ExemptionFlow.start_application.run(
                application=self.application,
                adopted_by=self.request.user,
                conversion=conversion_of(form),
                subjects=[SubjectSpec(**row) for row in form.subjects_given()],
                evidence=form.evidence(),
            )

    def performed(self, form):
        messages.success(self.request, _("Application adopted as case %(number)s.") % {"number": self.case.number})
        return redirect("cases:detail", pk=self.case.pk)
