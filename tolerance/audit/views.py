from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views import View

from tolerance.audit.exports import EXPORT_FORMATS, case_trail_export
from tolerance.audit.selectors import user_may_export_trail
from tolerance.selectors.cases import case_get_visible


class CaseTrailExportView(View):
    """Officers of the case's institution and supervisors download the case's trail with its hashes."""

    def get(self, request, pk, export_format):
        if export_format not in EXPORT_FORMATS:
            raise Http404
        case = case_get_visible(request.user, pk=pk)
        if not user_may_export_trail(request.user, case):
            raise PermissionDenied
        content = case_trail_export(case=case, user=request.user, export_format=export_format)
        response = HttpResponse(content, content_type=EXPORT_FORMATS[export_format])
        response["Content-Disposition"] = f'attachment; filename="audit-{case.number}.{export_format}"'
        return response
