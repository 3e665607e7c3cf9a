"""Changing the tolerance list. Every change, from the admin or the loader, is a policy.changed event."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Institution
from workflows.exemption.tolerance_list import (
    POLICY_STATUSES_IN_FORCE,
    PolicyItem,
    PolicyItemKind,
    PolicyStatus,
    PolicyVersion,
)

POLICY_DIR = settings.BASE_DIR / "fixtures" / "policy"


def policy_version_current(institution: Institution, on=None) -> PolicyVersion | None:
    """The version in force on `on` (today by default): the highest approved number already effective."""
    on = on or timezone.localdate()
    return (
        PolicyVersion.objects.filter(
            institution=institution, effective_from__lte=on, status__in=POLICY_STATUSES_IN_FORCE
        )
        .order_by("-number")
        .first()
    )


def _item_snapshot(item: PolicyItem) -> dict:
    return {
        "version": item.version.number,
        "kind": item.kind,
        "code": item.code,
        "order": item.order,
        "audience": item.audience,
        "title": item.title,
        "text": item.text,
        "applies_to": item.applies_to,
        "per_subject": item.per_subject,
        "source_refs": item.source_refs,
        "checks": item.checks,
    }


def _version_snapshot(version: PolicyVersion) -> dict:
    return {
        "number": version.number,
        "title": version.title,
        "effective_from": version.effective_from.isoformat(),
        "source": version.source,
        "negative_mitigable": version.negative_mitigable,
        "status": version.status,
        "approved_by": version.approved_by,
        "approval_doc_no": version.approval_doc_no,
        "approved_on": version.approved_on.isoformat() if version.approved_on else None,
        "rules": version.rules,
    }


def policy_version_save(*, version: PolicyVersion, changed_by) -> PolicyVersion:
    """Create or update a version's header (items are saved with policy_item_save)."""
    created = version.pk is None
    with transaction.atomic():
        version.full_clean()
        version.save()
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=changed_by,
            target=version,
            payload={
                "change": "version_created" if created else "version_updated",
                "institution": version.institution.code,
                **_version_snapshot(version),
            },
        )
    return version


def policy_item_frozen_message() -> str:
    return _("This item has been relied on by a case; publish a new version instead of editing it.")


def policy_item_is_frozen(item: PolicyItem) -> bool:
    """An item a case cited or recorded a finding on can no longer be edited (forms check this up front)."""
    return item.pk is not None and (item.cited_by.exists() or item.findings.exists())


def policy_item_save(*, item: PolicyItem, changed_by) -> PolicyItem:
    """Create or update one item. Items already relied on by a case are frozen: add a new version."""
    created = item.pk is None
    with transaction.atomic():
        before = None
        if not created:
            stored = PolicyItem.objects.select_for_update().get(pk=item.pk)
            if policy_item_is_frozen(stored):
                raise ValidationError(policy_item_frozen_message())
            before = _item_snapshot(stored)
        item.full_clean()
        item.save()
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=changed_by,
            target=item,
            payload={
                "change": "item_created" if created else "item_updated",
                "institution": item.version.institution.code,
                "before": before,
                "after": _item_snapshot(item),
            },
        )
    return item


def policy_load(*, institution: Institution, path: Path, loaded_by=None) -> PolicyVersion | None:
    """Load a version from a fixture file; a version already present is left untouched (returns None)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if PolicyVersion.objects.filter(institution=institution, number=data["number"]).exists():
        return None
    kinds = {
        "entries": PolicyItemKind.ENTRY,
        "conditions": PolicyItemKind.CONDITION,
        "negative_list": PolicyItemKind.NEGATIVE,
        "mitigating_factors": PolicyItemKind.MITIGATING,
        "exempting_grounds": PolicyItemKind.EXEMPTING,
    }
    with transaction.atomic():
        version = PolicyVersion(
            institution=institution,
            number=data["number"],
            title=data["title"],
            effective_from=data["effective_from"],
            source=data.get("source", ""),
            negative_mitigable=data.get("negative_mitigable", False),
            status=data.get("status", PolicyStatus.IN_FORCE),
            approved_by=data.get("approved_by", ""),
            approval_doc_no=data.get("approval_doc_no", ""),
            approved_on=data.get("approved_on"),
            rules=data.get("rules", {}),
        )
        # A file that states no status is a list from before approvals were recorded (version 1).
        version.predates_approvals = "status" not in data
        version = policy_version_save(version=version, changed_by=loaded_by)
        for key, kind in kinds.items():
            for order, row in enumerate(data.get(key, []), start=1):
                policy_item_save(
                    item=PolicyItem(
                        version=version,
                        kind=kind,
                        code=row["code"],
                        order=order,
                        audience=row.get("audience", ""),
                        title=row["title"],
                        text=row["text"],
                        applies_to=row.get("applies_to", []),
                        per_subject=row.get("per_subject", False),
                        source_refs=row.get("source_refs", []),
                        checks=row.get("checks", {}),
                    ),
                    changed_by=loaded_by,
                )
    return version
