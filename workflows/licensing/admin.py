"""The licensing ledger in the admin: results and companies are edited there; policy versions are
read-only (a change is a new version file, loaded by `manage.py load_policy`)."""

from django.contrib import admin

from workflows.licensing.models import LicensingPolicyVersion, Result


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "institution", "legal_status", "expires_on"]
    list_filter = ["institution", "legal_status"]
    search_fields = ["number", "title"]


@admin.register(LicensingPolicyVersion)
class LicensingPolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["institution", "number", "effective_from"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
