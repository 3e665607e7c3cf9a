"""How often an anonymous visitor may add an event to the chain: every append queues on its head, so a
script sending refused requests or wrong passwords must not be able to flood it. Events past the rate
are not recorded (the refusal itself still happens); signed-in users' events are always recorded."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def anonymous_event_allowed(request, *, group: str) -> bool:
    """Counts one event of `group` for the request's client address; False once past the rate.

    Without a request (a login from code) there is no address to count, and the event is recorded.
    """
    if request is None or not hasattr(request, "META"):
        return True
    return not is_ratelimited(
        request, group=group, key="ip", rate=settings.AUDIT_ANONYMOUS_DENIALS_RATE, increment=True
    )
