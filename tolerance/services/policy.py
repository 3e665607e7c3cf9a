"""Changes to policy data (institution settings, the working-day calendar), each recorded in the audit trail.

Policy data decides deadlines and outcomes of cases, so who changed which number, from what to what, must
be answerable later: every write goes through here, whichever screen it comes from.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import CaseTypePolicy


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _field_values(instance: models.Model) -> dict:
    return {field.name: _plain(field.value_from_object(instance)) for field in instance._meta.concrete_fields}


def policy_save(*, actor, instance: models.Model) -> models.Model:
    """Save a validated policy record and record which fields changed, with their old and new values."""
    with transaction.atomic():
        model = type(instance)
        before = None
        if instance.pk is not None:
            stored = model._default_manager.select_for_update().filter(pk=instance.pk).first()
            before = _field_values(stored) if stored is not None else None
        instance.save()
        after = _field_values(instance)
        changes = {
            name: [None if before is None else before[name], value]
            for name, value in after.items()
            if name != "id" and (before is None or before[name] != value)
        }
        if before is not None and not changes:
            return instance
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=actor,
            target=instance,
            payload={
                "model": model._meta.label,
                "object": str(instance),
                "operation": "created" if before is None else "changed",
                "changes": changes,
            },
        )
    return instance


def policy_delete(*, actor, instance: models.Model) -> None:
    """Delete a policy record (only those the rules allow to go, e.g. a calendar override) and record it."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=actor,
            target=instance,
            payload={
                "model": instance._meta.label,
                "object": str(instance),
                "operation": "deleted",
                "values": {name: value for name, value in _field_values(instance).items() if name != "id"},
            },
        )
        instance.delete()


def case_type_policy_save(*, actor, institution, policy):
    """An institution administrator changes their institution's policy numbers of a case type."""
    if policy.institution_id != institution.pk:
        raise ValidationError(_("Choose a policy of your own institution."))
    clash = CaseTypePolicy.objects.filter(
        institution=institution, document_number_prefix=policy.document_number_prefix
    ).exclude(pk=policy.pk)
    if clash.exists():
        raise ValidationError({"document_number_prefix": _("Another case type of your institution uses this prefix.")})
    policy.full_clean()
    return policy_save(actor=actor, instance=policy)
