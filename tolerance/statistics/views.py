"""The statistics page (charts and tables, with CSV/XLSX of each table) and the annual report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tolerance.decisions.models import Decision
from tolerance.decisions.services import DecisionIssueError
from tolerance.file_store import file_store_read
from tolerance.models import Institution
from tolerance.selectors.cases import case_get_visible, user_institution_id
from tolerance.spreadsheets import CONTENT_TYPES
from tolerance.statistics.annual import ANNUAL_REPORT_KIND, annual_report_issue, annual_report_xlsx, annual_tables
from tolerance.statistics.charts import bar_chart_svg
from tolerance.statistics.referrals import (
    SupervisorReferralForm,
    case_refer_to_supervisor,
    case_referred_to,
    user_may_refer_to_supervisor,
)
from tolerance.statistics.registry import Period
from tolerance.statistics.rollup import statistics_rollup_current
from tolerance.statistics.selectors import (
    StatisticsFilterForm,
    StatisticsScope,
    statistics_table,
    statistics_tables,
    user_may_see_statistics,
    user_sees_all_institutions,
)
from tolerance.statistics.services import annual_report_export, statistics_table_export
from tolerance.views.site_menu import InCasesMenuMixin


class StatisticsAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not user_may_see_statistics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def filters(self):
        """The validated filters; bad input is shown on the form and the page counts everything visible."""
        form = StatisticsFilterForm(self.request.GET or None, user=self.request.user)
        data = form.cleaned_data if form.is_valid() else {}
        scope = StatisticsScope(institution=data.get("institution"), case_type=data.get("case_type") or "")
        # The day the stored figures were built on is the page's "today" (overdue, running, arrears).
        self.rollup = statistics_rollup_current()
        period = Period(year_from=data.get("year_from"), year_to=data.get("year_to"), today=self.rollup.as_of)
        filters = {key: str(value) for key, value in (data or {}).items() if value}
        return form, scope, period, filters


class StatisticsView(InCasesMenuMixin, StatisticsAccessMixin, TemplateView):
    template_name = "statistics/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, scope, period, _filters = self.filters()
        tables = statistics_tables(self.request.user, scope, period)
        context.update(
            form=form,
            rollup=self.rollup,
            query=self.request.GET.urlencode(),
            sections=[(table, bar_chart_svg(table)) for table in tables],
            report_years=range(timezone.localdate().year - 1, timezone.localdate().year - 8, -1),
            report_institutions=_report_institutions(self.request.user),
            reports=_reports_for(self.request.user),
        )
        return context


class StatisticsExportView(StatisticsAccessMixin, View):
    def get(self, request, key, format):
        if format not in CONTENT_TYPES:
            raise Http404
        _form, scope, period, filters = self.filters()
        table = statistics_table(request.user, scope, period, key)
        if table is None:
            raise Http404
        data = statistics_table_export(user=request.user, table=table, format=format, filters=filters)
        response = HttpResponse(data, content_type=CONTENT_TYPES[format])
        response["Content-Disposition"] = f'attachment; filename="statistics-{key}.{format}"'
        return response


def _report_institutions(user):
    if user_sees_all_institutions(user):
        return Institution.objects.order_by("code")
    return Institution.objects.filter(pk=user_institution_id(user))


def _reports_for(user):
    reports = Decision.objects.filter(kind=ANNUAL_REPORT_KIND).select_related("institution")
    if not user_sees_all_institutions(user):
        reports = reports.filter(institution_id=user_institution_id(user))
    return reports.order_by("-issued_at")[:20]


def _report_scope(request):
    """(institution or None for the deployment, year) from the form; None when the input is not allowed."""
    year_text = request.POST.get("year") or request.GET.get("year") or ""
    code = request.POST.get("institution") or request.GET.get("institution") or ""
    if not (year_text.isascii() and year_text.isdigit() and 2000 <= int(year_text) < timezone.localdate().year):
        return None
    if code:
        institution = _report_institutions(request.user).filter(code=code).first()
        if institution is None:
            return None
    elif user_sees_all_institutions(request.user):
        institution = None
    else:
        return None
    return institution, int(year_text)


class AnnualReportIssueView(StatisticsAccessMixin, View):
    def post(self, request):
        scope = _report_scope(request)
        if scope is None:
            messages.error(request, _("Please choose a past year and an institution you may report on."))
            return redirect("statistics:page")
        institution, year = scope
        try:
            report = annual_report_issue(user=request.user, institution=institution, year=year)
        except DecisionIssueError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("statistics:page")
        messages.success(request, _("Annual report %(number)s issued.") % {"number": report.document_number})
        return redirect("statistics:page")


class AnnualReportXlsxView(StatisticsAccessMixin, View):
    def get(self, request):
        scope = _report_scope(request)
        if scope is None:
            raise Http404
        institution, year = scope
        tables = annual_tables(request.user, institution=institution, year=year)
        heading = f"{year} {institution.name_zh if institution else _('All institutions')}"
        data = annual_report_export(
            user=request.user, data=annual_report_xlsx(tables, heading=heading), year=year, institution=institution
        )
        response = HttpResponse(data, content_type=CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.xlsx"'
        return response


class AnnualReportPdfView(StatisticsAccessMixin, View):
    def get(self, request, pk):
        reports = Decision.objects.filter(kind=ANNUAL_REPORT_KIND)
        if not user_sees_all_institutions(request.user):
            reports = reports.filter(institution_id=user_institution_id(request.user))
        report = get_object_or_404(reports, pk=pk)
        response = HttpResponse(file_store_read(report.storage_name), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.document_number}.pdf"'
        return response


class CaseReferToSupervisorView(View):
    """移送主管部门: the case's officers refer it to a supervisor body, which then reads its file."""

    def post(self, request, pk):
        case = case_get_visible(request.user, pk=pk)
        if not user_may_refer_to_supervisor(request.user, case):
            raise PermissionDenied
        form = SupervisorReferralForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
            return redirect("cases:detail", pk=case.pk)
        try:
            referral = case_refer_to_supervisor(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The case was referred to %(body)s.") % {"body": referral.supervisor_body})
        return redirect("cases:detail", pk=case.pk)


def referral_panel_context(request, case):
    """The case page's "referred to the supervisor" section: the referrals made, and the form for the
    case's officers; shown to them and to the supervisors the case was referred to."""
    may_refer = user_may_refer_to_supervisor(request.user, case)
    if not (may_refer or case_referred_to(request.user, case)):
        return None
    referrals = case.supervisor_referrals.select_related("referred_by")
    return {"referrals": referrals, "referral_form": SupervisorReferralForm() if may_refer else None}
