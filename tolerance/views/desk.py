"""The desk: the case list over every case type with search, filters, highlighting and export, and the
registers (台账) case types declare. Every row comes from cases_visible_to (tolerance.selectors.desk)."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from tolerance.db_routing import ReplicaReadsMixin
from tolerance.registers import register_spec, register_specs
from tolerance.selectors.desk import desk_filter, desk_page
from tolerance.services.case_exports import cases_export
from tolerance.spreadsheets import CONTENT_TYPES

_MAX_PAGE = 10_000


def _page_number(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 5 and int(value) else 1


class RegisterMixin:
    def get_register(self):
        code = self.kwargs.get("register")
        if code is None:
            return None
        spec = register_spec(code)
        if spec is None:
            raise Http404
        return spec


class CaseListView(ReplicaReadsMixin, RegisterMixin, TemplateView):
    template_name = "tolerance/case_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        register = self.get_register()
        filterset = desk_filter(self.request.user, self.request.GET, register=register)
        page = min(_page_number(self.request.GET.get("page", "")), _MAX_PAGE)
        rows, has_next = desk_page(filterset, page)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            rows=rows,
            register=register,
            registers=register_specs(),
            query=query.urlencode(),
            page=page,
            next_page=page + 1 if has_next else None,
            previous_page=page - 1 if page > 1 else None,
            register_columns=[title for title, _value in register.columns] if register else [],
        )
        for row in rows:
            row.extra = [value(row.case) for _title, value in register.columns] if register else []
        return context


class CaseExportView(ReplicaReadsMixin, RegisterMixin, View):
    def get(self, request, format, register=None):
        if format not in CONTENT_TYPES:
            raise Http404
        spec = self.get_register()
        filterset = desk_filter(request.user, request.GET, register=spec)
        data = cases_export(user=request.user, filterset=filterset, format=format, register=spec)
        name = f"{spec.code if spec else 'cases'}-{timezone.localdate().isoformat()}.{format}"
        response = HttpResponse(data, content_type=CONTENT_TYPES[format])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
