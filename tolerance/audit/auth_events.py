"""Logins, failed logins and logouts, recorded from Django's auth signals.

Each signal handler is its own small transaction: the login itself (session, last_login) is Django's.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.audit.throttle import anonymous_event_allowed

_MAX_USERNAME = 150


def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(action=AuditAction.LOGIN, actor=user, target=user)


def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    with transaction.atomic():
        audit_record(action=AuditAction.LOGOUT, actor=user, target=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in `credentials`; only the username tried is kept.
    username = str(credentials.get("username", ""))[:_MAX_USERNAME]
    # Bounded per client address like anonymous 403s; the lockout itself is django-axes' (settings.py).
    if not anonymous_event_allowed(request, group="audit.login_failed"):
        return
    with transaction.atomic():
        audit_record(action=AuditAction.LOGIN_FAILED, payload={"username": username})


def connect():
    user_logged_in.connect(_logged_in, dispatch_uid="audit.logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="audit.logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="audit.login_failed")
