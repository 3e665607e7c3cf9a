"""Which held uploads a user may use: only their own, for the form they were uploaded with."""

from tolerance.models import PendingUpload


def pending_uploads_of(owner, *, purpose: str, ids) -> list[PendingUpload]:
    if not owner.is_authenticated:
        return []
    return list(PendingUpload.objects.filter(owner=owner, purpose=purpose, pk__in=ids))
