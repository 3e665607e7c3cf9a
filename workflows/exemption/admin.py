"""The tolerance list is edited in the admin; every save goes through the policy services so it is
audited, and items a case relied on cannot be changed (a new version is published instead).

The freeze is checked when the forms are validated, so a refused edit shows as a form error and nothing
is saved; the service checks it again under a lock, for an edit racing a case that cites the item.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from workflows.exemption.policy import (
    policy_item_frozen_message,
    policy_item_is_frozen,
    policy_item_save,
    policy_version_save,
)
from workflows.exemption.tolerance_list import PolicyItem, PolicyVersion


class PolicyItemForm(forms.ModelForm):
    """Refuses any save of an item a case relied on."""

    class Meta:
        model = PolicyItem
        fields = ["version", "kind", "code", "order", "audience", "title", "text"]

    def clean(self):
        cleaned = super().clean()
        if self._refuses_frozen() and policy_item_is_frozen(self.instance):
            raise ValidationError(policy_item_frozen_message(), code="frozen")
        return cleaned

    def _refuses_frozen(self):
        return self.instance.pk is not None


class PolicyItemInlineForm(PolicyItemForm):
    """In the version's page unchanged rows are not saved, so only a changed frozen row is refused."""

    def _refuses_frozen(self):
        return super()._refuses_frozen() and self.has_changed()


class PolicyItemInline(admin.TabularInline):
    model = PolicyItem
    form = PolicyItemInlineForm
    extra = 0
    fields = ["kind", "code", "order", "audience", "title", "text"]
    can_delete = False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = [
        "institution",
        "number",
        "title",
        "effective_from",
        "status",
        "approval_doc_no",
        "negative_mitigable",
    ]
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
            except ValidationError as error:  # only when a case cited the item since the form was validated
                messages.error(request, f"{item.code}: {' '.join(error.messages)}")


@admin.register(PolicyItem)
class PolicyItemAdmin(admin.ModelAdmin):
    form = PolicyItemForm
    list_display = ["code", "title", "kind", "audience", "version"]
    list_filter = ["version__institution", "kind", "audience"]
    search_fields = ["code", "title", "text"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            policy_item_save(item=obj, changed_by=request.user)
        except ValidationError as error:  # only when a case cited the item since the form was validated
            messages.error(request, " ".join(error.messages))
