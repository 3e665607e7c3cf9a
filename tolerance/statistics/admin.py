"""The statistics policy in the admin (the small-cell threshold), saved through the audited policy service."""

from django.contrib import admin

from tolerance.admin import PolicyAdmin
from tolerance.statistics.models import StatisticsPolicy


@admin.register(StatisticsPolicy)
class StatisticsPolicyAdmin(PolicyAdmin):
    list_display = ["__str__", "small_cell_threshold"]
    fields = ["small_cell_threshold"]

    def has_add_permission(self, request):
        # One row for the deployment (the masking reads pk 1); without it the default, 3, applies.
        return super().has_add_permission(request) and not StatisticsPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)
