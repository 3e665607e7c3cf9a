from django.contrib import admin

from tolerance.admin_base import ReadOnlyAdmin
from tolerance.decisions.models import Decision
from tolerance.decisions.selectors import decisions_visible_to


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Read-only: decisions change only through the services (issue, supersede, revoke)."""

    list_display = ["document_number", "case", "kind", "outcome", "issue_date", "status"]
    list_filter = ["institution", "kind", "status"]
    search_fields = ["document_number", "case__number", "verification_code"]

    def get_queryset(self, request):
        # Staff with view permission see only the decisions the site itself would show them.
        return super().get_queryset(request) & decisions_visible_to(request.user)
