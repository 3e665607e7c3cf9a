"""The register's pages, for the officers of an institution: the entries with their state and a form to
record an approved activity, and the year's roster (花名册) for 人社 as CSV."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View, generic

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.db_routing import ReplicaReadsMixin
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.access import can_file
from workflows.rectification import register_services
from workflows.rectification.register import RegisterEntry, RegisterKind

PAGE_SIZE = 100


class RegisterEntryForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=None)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RegisterKind.choices)
    company_name = forms.CharField(label=gettext_lazy("Company"), max_length=200)
    company_uscc = forms.CharField(label=gettext_lazy("Unified social credit code"), max_length=18, min_length=18)
    project = forms.CharField(label=gettext_lazy("Project and results used"), max_length=300)
    approval_document = forms.CharField(label=gettext_lazy("Approval document"), max_length=100)
    approved_on = forms.DateField(label=gettext_lazy("Approved on"))
    start_on = forms.DateField(label=gettext_lazy("Period starts"))
    end_on = forms.DateField(label=gettext_lazy("Period ends"))

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.RESEARCHER, profile__institution=institution, is_active=True)
            .select_related("profile")
            .order_by("pk")
        )
        self.fields["person"].label_from_instance = lambda user: user.profile.real_name or user.username


class OfficerOnly:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_file(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def entries_of(user):
    return RegisterEntry.objects.filter(institution_id=user.profile.institution_id)


class RegisterView(OfficerOnly, InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    form_class = RegisterEntryForm
    template_name = "workflows/rectification/register.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "institution": self.request.user.profile.institution}

    def get_context_data(self, **kwargs):
        entries = entries_of(self.request.user).select_related("person__profile").order_by("end_on", "pk")
        return {**super().get_context_data(**kwargs), "entries": entries[:PAGE_SIZE]}

    def perform(self, form):
        register_services.register_entry_add(recorded_by=self.request.user, **form.cleaned_data)

    def performed(self, form):
        messages.success(self.request, _("The register entry has been recorded."))
        return redirect("rectification_pages:register")


class RosterExportView(OfficerOnly, ReplicaReadsMixin, View):
    """Everyone whose approved period ran during the year, for the year-end roster to 人社."""

    def get(self, request, year):
        entries = (
            entries_of(request.user)
            .filter(Q(start_on__year__lte=year) & (Q(end_on__year__gte=year) | Q(returned_on__year__gte=year)))
            .select_related("person__profile")
            .order_by("person__profile__real_name", "start_on")
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="roster-{year}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Name"),
                _("Staff number"),
                _("Kind"),
                _("Company"),
                _("Unified social credit code"),
                _("Period starts"),
                _("Period ends"),
                _("Extensions used"),
                _("Status"),
            ]
        )
        rows = 0
        for entry in entries:
            writer.writerow(
                [
                    entry.person.profile.real_name,
                    entry.person.profile.staff_number,
                    entry.get_kind_display(),
                    entry.company_name,
                    entry.company_uscc,
                    entry.start_on,
                    entry.end_on,
                    entry.extensions_used,
                    entry.get_status_display(),
                ]
            )
            rows += 1
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT_MADE,
                actor=request.user,
                target=request.user.profile.institution,
                payload={"export": "rectification_roster", "year": year, "rows": rows},
            )
        return response
