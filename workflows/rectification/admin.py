"""The gap catalogue is edited in the admin; every save goes through the catalogue services, so it is
audited and an item a case relied on is refused (publish a new version instead), as a form error."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.models import Department
from workflows.rectification.catalogue import CatalogueItem, CatalogueVersion
from workflows.rectification.policy import catalogue_item_is_frozen, catalogue_item_save, catalogue_version_save


class CatalogueItemForm(forms.ModelForm):
    extra_verifiers = forms.MultipleChoiceField(
        label=gettext_lazy("Other verifying departments"),
        choices=Department.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CatalogueItem
        fields = [
            "kind",
            "code",
            "order",
            "title",
            "basis",
            "default_severity",
            "remedy",
            "evidence_required",
            "deadline",
            "deadline_unit",
            "verifier",
            "extra_verifiers",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and self.has_changed() and catalogue_item_is_frozen(self.instance):
            raise ValidationError(
                _("This item has been relied on by a case; publish a new version instead of editing it."), code="frozen"
            )
        return cleaned


class CatalogueItemInline(admin.StackedInline):
    model = CatalogueItem
    form = CatalogueItemForm
    extra = 0
    can_delete = False


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    list_display = ["institution", "number", "title", "effective_from"]
    list_filter = ["institution"]
    inlines = [CatalogueItemInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        catalogue_version_save(version=obj, changed_by=request.user)

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            try:
                catalogue_item_save(item=item, changed_by=request.user)
            except ValidationError as error:  # a case relied on the item since the form was validated
                messages.error(request, f"{item.code}: {' '.join(error.messages)}")
