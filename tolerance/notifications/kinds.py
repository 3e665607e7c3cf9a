"""The kinds of notification. The shared ones are declared here; a case type adds its own with
`register_notification_kind` from its `setup.register()`, so the per-kind e-mail settings list every kind."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str


TASK_AVAILABLE = "task_available"
DEADLINE_NEAR = "deadline_near"
OVERDUE = "overdue"
OBJECTION_LODGED = "objection_lodged"
APPEAL_LODGED = "appeal_lodged"
PUBLICITY_OPENED = "publicity_opened"
PUBLICITY_CLOSED = "publicity_closed"
DECISION_ISSUED = "decision_issued"

_KINDS: dict[str, NotificationKind] = {}


def register_notification_kind(code: str, label) -> NotificationKind:
    """Declare a kind (idempotent for the same label, so `ready()` may run twice in tests)."""
    kind = NotificationKind(code=code, label=label)
    existing = _KINDS.get(code)
    if existing is not None and existing.label != label:
        raise ValueError(f"Notification kind {code!r} is already registered with another label.")
    _KINDS[code] = kind
    return kind


def notification_kind(code: str) -> NotificationKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown notification kind {code!r}; register it first.") from None


def notification_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


for _code, _label in (
    (TASK_AVAILABLE, _("A task is waiting for you")),
    (DEADLINE_NEAR, _("A deadline is near")),
    (OVERDUE, _("Overdue")),
    (OBJECTION_LODGED, _("An objection was lodged")),
    (APPEAL_LODGED, _("An appeal was lodged")),
    (PUBLICITY_OPENED, _("Publicity opened")),
    (PUBLICITY_CLOSED, _("Publicity closed")),
    (DECISION_ISSUED, _("A decision was issued")),
):
    register_notification_kind(_code, _label)
