from django.contrib import admin

from tolerance.decisions.models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions change only through the services (issue, supersede, revoke)."""

    list_display = ["document_number", "case", "kind", "outcome", "issue_date", "status"]
    list_filter = ["institution", "kind", "status"]
    search_fields = ["document_number", "case__number", "verification_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
