from tolerance.notifications.models import Notification


def notifications_for(user):
    """The user's notifications, newest first. Only ever the user's own."""
    return Notification.objects.filter(recipient=user).select_related("case").order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
