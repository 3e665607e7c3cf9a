"""A person's roles and permissions changing → permission.granted / permission.revoked events.

Recorded from m2m_changed on User.groups (a role) and User.user_permissions (a single permission),
whichever way the change was made (admin, seed_demo, shell): Django sends these signals inside the
transaction of the change itself, so the event commits or rolls back with it. Role definitions (the
permissions of each group) are code, synced by tolerance.roles after every migrate, and not recorded.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.request_context import current_user, identity_forget


def _label(item) -> dict:
    if isinstance(item, Group):
        return {"role": item.name}
    return {"permission": f"{item.content_type.app_label}.{item.codename}"}


def _record(action, user, granted):
    audit_record(
        action=action, actor=current_user(), target=user, payload={"user": user.get_username(), **_label(granted)}
    )


def _changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # post_clear no longer knows what was there.
        instance._audit_removed = list(_related(instance, sender, reverse))
        return
    if action == "pre_remove":
        # pk_set names everything asked to be removed, held or not: keep only what is really taken away.
        held = {item.pk for item in _related(instance, sender, reverse)}
        instance._audit_removed = list(model._default_manager.filter(pk__in=set(pk_set) & held).order_by("pk"))
        return
    if action in ("post_clear", "post_remove"):
        pairs = [_pair(instance, other, reverse) for other in getattr(instance, "_audit_removed", [])]
        action_taken = AuditAction.PERMISSION_REVOKED
    elif action == "post_add" and pk_set:
        others = model._default_manager.filter(pk__in=pk_set)
        if model is Permission:
            others = others.select_related("content_type")
        pairs = [_pair(instance, other, reverse) for other in others.order_by("pk")]
        action_taken = AuditAction.PERMISSION_GRANTED
    else:
        return
    for user, granted in pairs:
        _forget_identity(user)
        _record(action_taken, user, granted)


def _forget_identity(user):
    """Roles read earlier (tolerance.roles caches them on the user, the request caches the audit identity)
    must not outlive the change."""
    user.__dict__.pop("_tolerance_roles", None)
    identity_forget(user.pk)


def _pair(instance, other, reverse):
    """(user, role or permission), whichever side the change was made from."""
    return (other, instance) if reverse else (instance, other)


def _related(instance, through, reverse):
    if reverse:
        return instance.user_set.all()
    manager = instance.groups if through is get_user_model().groups.through else instance.user_permissions
    return manager.select_related("content_type") if manager.model is Permission else manager.all()


def connect():
    User = get_user_model()
    m2m_changed.connect(_changed, sender=User.groups.through, dispatch_uid="audit.user_groups")
    m2m_changed.connect(_changed, sender=User.user_permissions.through, dispatch_uid="audit.user_permissions")
