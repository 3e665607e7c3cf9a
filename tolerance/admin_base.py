from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class BoundedChangeList(ChangeList):
    """Django's change list, but a date in the query string it cannot represent is a bad filter, not a 500.

    The date hierarchy turns `?…__year=9999` into the range [9999-01-01, 10000-01-01), and that upper
    bound raises ValueError or OverflowError outside the try that catches bad dates. The admin answers
    IncorrectLookupParameters by showing the unfiltered list with its "?e=1" error marker.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class BoundedAdmin(admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return BoundedChangeList


class ReadOnlyAdmin(BoundedAdmin):
    """For records that change only through services with their audit events: browse, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
