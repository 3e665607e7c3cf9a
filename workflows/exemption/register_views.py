"""The result register (容错认定结果运用台账): every person's outcome as sent to each department, its
acknowledgement or overdue state, and the referrals with their letters; CSV export for the offices."""

import csv

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.exemption import results
from workflows.exemption.determinations import subject_name
from workflows.exemption.models import ExemptionOutcome
from workflows.form_fields import long_text


class NoteForm(forms.Form):
    note = long_text(gettext_lazy("Note"), 2000, required=False)


def _state(row, acknowledged_at, today):
    if acknowledged_at is not None:
        return _("acknowledged")
    return _("overdue") if today > row.ack_due else _("awaiting acknowledgement")


class RegisterView(InCasesMenuMixin, generic.TemplateView):
    template_name = "workflows/exemption/register.html"

    def rows(self):
        applications, referrals = results.register_rows_visible_to(self.request.user)
        today = timezone.localdate()
        return (
            [
                {"row": a, "name": subject_name(a.subject), "state": _state(a, a.acknowledged_at, today)}
                for a in applications.order_by("-sent_at", "case_id", "subject_id", "department")[:500]
            ],
            [
                {"row": r, "name": subject_name(r.subject), "state": _state(r, r.received_at, today)}
                for r in referrals.order_by("-id")[:500]
            ],
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        applications, referrals = self.rows()
        return {
            **super().get_context_data(**kwargs),
            "title": _("Register of the application of exemption results"),
            "applications": applications,
            "referrals": referrals,
            "note_form": NoteForm(),
            "outcomes": dict(ExemptionOutcome.choices),
        }

    def export(self):
        applications, _referrals = self.rows()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="result-register.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [_("Case number"), _("Person"), _("Outcome"), _("Department"), _("Sent"), _("Due"), _("State"), _("Note")]
        )
        for entry in applications:
            row = entry["row"]
            writer.writerow(
                [
                    row.case.number,
                    entry["name"],
                    dict(ExemptionOutcome.choices).get(row.outcome, row.outcome),
                    row.get_department_display(),
                    timezone.localtime(row.sent_at).date().isoformat(),
                    row.ack_due.isoformat(),
                    entry["state"],
                    row.note,
                ]
            )
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT_MADE,
                actor=self.request.user,
                payload={"export": "exemption_result_register", "format": "csv", "rows": len(applications)},
            )
        return response


class RegisterActionView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    """One action on one row of the register; the service decides who may take it."""

    form_class = NoteForm
    template_name = "workflows/exemption/register_action.html"
    model_rows = None
    success_text = ""

    def dispatch(self, request, *args, **kwargs):
        applications, referrals = results.register_rows_visible_to(request.user)
        rows = applications if self.model_rows == "applications" else referrals
        self.row = rows.filter(pk=kwargs["pk"]).first()
        if self.row is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "row": self.row, "title": self.title}

    def performed(self, form):
        messages.success(self.request, self.success_text)
        return redirect(reverse("exemption_register:register"))


class AcknowledgeResultView(RegisterActionView):
    model_rows = "applications"
    title = gettext_lazy("Acknowledge the application of the result")
    success_text = gettext_lazy("Acknowledged.")

    def perform(self, form):
        results.result_acknowledge(application=self.row, user=self.request.user, note=form.cleaned_data["note"])


class AcknowledgeReferralView(RegisterActionView):
    model_rows = "referrals"
    title = gettext_lazy("Acknowledge receipt of the referral")
    success_text = gettext_lazy("Receipt acknowledged.")

    def perform(self, form):
        results.referral_acknowledge(referral=self.row, user=self.request.user, note=form.cleaned_data["note"])


class ReferralLetterView(RegisterActionView):
    model_rows = "referrals"
    title = gettext_lazy("Issue the referral letter")
    success_text = gettext_lazy("Referral letter issued.")

    def perform(self, form):
        results.referral_letter_issue(referral=self.row, issued_by=self.request.user)
