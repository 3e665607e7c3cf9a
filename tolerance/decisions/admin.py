from django.contrib import admin

from tolerance.admin_base import ReadOnlyAdmin
from tolerance.decisions.models import Decision


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Read-only: decisions change only through the services (issue, supersede, revoke)."""

    list_display = ["document_number", "case", "kind", "outcome", "issue_date", "status"]
    list_filter = ["institution", "kind", "status"]
    search_fields = ["document_number", "case__number", "verification_code"]
