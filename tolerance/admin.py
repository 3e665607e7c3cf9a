from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.admin_base import BoundedAdmin, ReadOnlyAdmin
from tolerance.case_types import case_type_specs
from tolerance.models import (
    Attachment,
    Case,
    CaseSubject,
    CaseTypePolicy,
    CasSignOn,
    DepartmentContact,
    Institution,
    Profile,
    WorkingDayOverride,
)
from tolerance.selectors.cases import cases_visible_to
from tolerance.services.policy import policy_delete, policy_save
from tolerance.working_days import statutory_is_working_day


class PolicyAdmin(BoundedAdmin):
    """Admin for policy data: every save and delete goes through the policy service, which audits it."""

    def save_model(self, request, obj, form, change):
        policy_save(actor=request.user, instance=obj)

    def delete_model(self, request, obj):
        policy_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            policy_delete(actor=request.user, instance=obj)


@admin.register(Institution)
class InstitutionAdmin(PolicyAdmin):
    list_display = ["code", "name_zh", "hr_contact_email", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    fields = ["code", "name_zh", "name_en", "hr_contact_email", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        # Case numbers already issued carry the code; changing it would break their meaning.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseTypePolicy)
class CaseTypePolicyAdmin(PolicyAdmin):
    list_display = [
        "institution",
        "case_type",
        "document_number_prefix",
        "publicity_days",
        "publicity_day_count",
        "objection_days",
        "appeal_working_days",
        "committee_quorum_percent",
        "vote_threshold_percent",
    ]
    list_filter = ["institution", "case_type"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "case_type":
            # Only the case types that exist in this deployment can be configured; anything else is refused.
            return forms.ChoiceField(
                label=db_field.verbose_name, choices=[(spec.code, spec.label) for spec in case_type_specs()]
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(PolicyAdmin):
    """A profile's institution decides which cases its user sees, so changes to it are audited."""

    list_display = ["user", "real_name", "institution", "department"]
    list_filter = ["institution"]
    search_fields = ["real_name", "user__username", "staff_number"]


@admin.register(DepartmentContact)
class DepartmentContactAdmin(PolicyAdmin):
    """Who acts for a department decides who receives a case's work, so changes to it are audited."""

    list_display = ["institution", "department", "user", "is_active"]
    list_filter = ["institution", "department", "is_active"]
    search_fields = ["user__username", "user__profile__real_name"]


@admin.register(CasSignOn)
class CasSignOnAdmin(PolicyAdmin):
    """Which server vouches for an institution's people decides who can sign in, so changes are audited."""

    list_display = ["institution", "is_enabled", "server_url", "version"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(PolicyAdmin):
    list_display = ["date", "is_working_day", "statutory_calendar", "note"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"

    @admin.display(description=_("National calendar says working day"), boolean=True)
    def statutory_calendar(self, obj):
        return statutory_is_working_day(obj.date)


class CaseSubjectInline(admin.TabularInline):
    model = CaseSubject
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: cases change only through the workflows, which record audit events."""

    list_display = ["number", "title", "institution", "case_type", "stage"]
    list_filter = ["institution", "case_type", "stage"]
    search_fields = ["number", "title"]
    inlines = [CaseSubjectInline]

    def get_queryset(self, request):
        # Staff with view permission see only the cases the site itself would show them.
        return super().get_queryset(request).filter(pk__in=cases_visible_to(request.user).values("pk"))


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "case", "sha256", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["sha256", "original_name", "case__number"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case__in=cases_visible_to(request.user))


admin.site.site_header = _("Tolerance Case Management")
admin.site.site_title = _("Tolerance Case Management")


# The statistics register their own policy's admin (the small-cell threshold).
from tolerance.statistics import admin as statistics_admin  # noqa: E402, F401
