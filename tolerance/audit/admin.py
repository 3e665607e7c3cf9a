"""Read-only admin: the audit trail can be searched here, never edited."""

from django.contrib import admin

from tolerance.admin_base import ReadOnlyAdmin
from tolerance.audit.models import AuditCheckpoint, AuditEvent
from tolerance.audit.selectors import events_visible_to


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "occurred_at", "action", "actor_username", "actor_name", "case_number", "case_sequence")
    list_filter = ("action",)
    search_fields = ("=sequence", "=case_number", "actor_username", "actor_name", "event_hash", "target_id")
    date_hierarchy = "occurred_at"
    # An exact count over millions of events makes every page slow.
    show_full_result_count = False
    exclude = ("canonical",)

    def get_queryset(self, request):
        # Staff with view permission see only the trails of cases the site itself shows them in full.
        return super().get_queryset(request) & events_visible_to(request.user)


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sequence", "event_hash", "key_fingerprint")
    exclude = ("canonical", "signature")
