from django.contrib import admin

from tolerance.models import Attachment, Case, CaseSubject, Institution, Profile, WorkingDayOverride


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "publicity_working_days", "appeal_working_days", "committee_quorum_percent"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "real_name", "institution", "department"]
    list_filter = ["institution"]
    search_fields = ["real_name", "user__username", "staff_number"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]


class CaseSubjectInline(admin.TabularInline):
    model = CaseSubject
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the workflows, which record audit events."""

    list_display = ["number", "title", "institution", "case_type", "stage"]
    list_filter = ["institution", "case_type", "stage"]
    search_fields = ["number", "title"]
    inlines = [CaseSubjectInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "case", "sha256", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["sha256", "original_name", "case__number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
