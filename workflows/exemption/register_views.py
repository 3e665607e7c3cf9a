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
from tolerance.selectors.cases import cases_visible_to
from tolerance.spreadsheets import CONTENT_TYPES
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.exemption import confirmations, corrections, ledger, results, typical_cases
from workflows.exemption.determinations import subject_name
from workflows.exemption.models import ConfirmationResult, ExemptionOutcome
from workflows.form_fields import long_text


class NoteForm(forms.Form):
    note = long_text(gettext_lazy("Note"), 2000, required=False)


class ConfirmationForm(forms.Form):
    ref_no = forms.CharField(label=gettext_lazy("Reference number"), max_length=100)
    confirmed_on = forms.DateField(label=gettext_lazy("Confirmed on"))
    result = forms.ChoiceField(
        label=gettext_lazy("Result"), choices=ConfirmationResult.choices, widget=forms.RadioSelect
    )
    note = long_text(gettext_lazy("Note"), 2000, required=False)


class CorrectionForm(forms.Form):
    done_on = forms.DateField(label=gettext_lazy("Corrected on"))
    note = long_text(gettext_lazy("What was corrected and how it was checked"), 2000)


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
        if request.GET.get("format") == "ledger":
            return self.ledger_export()
        return super().get(request, *args, **kwargs)

    def corrections(self):
        today = timezone.localdate()
        return [
            {
                "row": order,
                "name": subject_name(order.subject),
                "state": _("verified")
                if order.verified_at
                else (_("overdue") if today > order.due else _("awaiting correction")),
            }
            for order in corrections.correction_orders_visible_to(self.request.user).order_by("-id")[:500]
        ]

    def get_context_data(self, **kwargs):
        applications, referrals = self.rows()
        return {
            **super().get_context_data(**kwargs),
            "corrections": self.corrections(),
            "ledger": ledger.ledger_rows(self.request.user)[:500],
            "title": _("Register of the application of exemption results"),
            "applications": applications,
            "referrals": referrals,
            "note_form": NoteForm(),
            "outcomes": dict(ExemptionOutcome.choices),
            "typical_cases": typical_cases.typical_cases_allowed(self.request.user),
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

    def ledger_export(self):
        rows = ledger.ledger_rows(self.request.user)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="exemption-ledger.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([str(label) for label in ledger.LEDGER_COLUMNS.values()])
        for row in rows:
            writer.writerow([row[key] for key in ledger.LEDGER_COLUMNS])
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT_MADE,
                actor=self.request.user,
                payload={"export": "exemption_ledger", "format": "csv", "rows": len(rows)},
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
        rows = {
            "applications": applications,
            "referrals": referrals,
            "corrections": corrections.correction_orders_visible_to(request.user),
        }[self.model_rows]
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


class VerifyCorrectionView(RegisterActionView):
    model_rows = "corrections"
    form_class = CorrectionForm
    title = gettext_lazy("Verify the correction")
    success_text = gettext_lazy("Correction verified.")

    def perform(self, form):
        corrections.correction_verify(
            order=self.row,
            verified_by=self.request.user,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
        )


class ExternalConfirmationView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    """F12: the officer records the confirming body's answer for one person of a visible case."""

    form_class = ConfirmationForm
    template_name = "workflows/exemption/register_action.html"

    def dispatch(self, request, *args, **kwargs):
        case = cases_visible_to(request.user).filter(pk=kwargs["case_pk"], exemption__isnull=False).first()
        self.subject = case and next(
            (link for link in confirmations.subjects_needing_confirmation(case) if link.pk == kwargs["subject_pk"]),
            None,
        )
        if not self.subject:
            raise Http404
        self.row = self.subject
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        title = _("Record the confirmation of %(body)s for %(name)s") % {
            "body": confirmations.confirmation_rule(self.subject.case).get("body", ""),
            "name": subject_name(self.subject),
        }
        return {**super().get_context_data(**kwargs), "row": self.subject, "title": title}

    def perform(self, form):
        confirmations.external_confirmation_record(
            case=self.subject.case, subject=self.subject, recorded_by=self.request.user, **form.cleaned_data
        )

    def performed(self, form):
        messages.success(self.request, _("Confirmation recorded."))
        return redirect(reverse("cases:detail", args=[self.subject.case_id]))


class TypicalCasesExportView(generic.View):
    """The anonymised 典型案例 export (CSV or XLSX); the service refuses anyone but the institution's officers."""

    def get(self, request, format):
        if format not in CONTENT_TYPES:
            raise Http404
        data = typical_cases.typical_cases_export(user=request.user, format=format)
        response = HttpResponse(data, content_type=CONTENT_TYPES[format])
        name = f"typical-cases-{timezone.localdate().isoformat()}.{format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
