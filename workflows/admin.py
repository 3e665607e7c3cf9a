"""The tolerance list is edited in the admin; every save goes through the policy services so it is
audited, and items a case relied on cannot be changed (a new version is published instead)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from workflows.models import PolicyItem, PolicyVersion
from workflows.services.policy import policy_item_save, policy_version_save


class PolicyItemInline(admin.TabularInline):
    model = PolicyItem
    extra = 0
    fields = ["kind", "code", "order", "audience", "title", "text"]
    can_delete = False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["institution", "number", "title", "effective_from", "negative_mitigable"]
    list_filter = ["institution"]
    inlines = [PolicyItemInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        policy_version_save(version=obj, changed_by=request.user)

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            try:
                policy_item_save(item=item, changed_by=request.user)
            except ValidationError as error:
                messages.error(request, f"{item.code}: {' '.join(error.messages)}")


@admin.register(PolicyItem)
class PolicyItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "audience", "version"]
    list_filter = ["version__institution", "kind", "audience"]
    search_fields = ["code", "title", "text"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            policy_item_save(item=obj, changed_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
