"""Changing the gap catalogue. Every change, from the admin or the loader, is a policy.changed event, and an
item a case relied on is frozen (publish a new version instead)."""

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
from workflows.rectification.catalogue import CatalogueItem, CatalogueItemKind, CatalogueVersion

POLICY_DIR = settings.BASE_DIR / "fixtures" / "policy"
FIXTURE_PATTERN = "{code}-ZG-v*.json"
ITEM_FIELDS = (
    "code",
    "title",
    "basis",
    "default_severity",
    "remedy",
    "evidence_required",
    "deadline",
    "deadline_unit",
    "verifier",
    "extra_verifiers",
)


def catalogue_current(institution: Institution, on=None) -> CatalogueVersion | None:
    """The version in force on `on` (today by default): the highest number already effective."""
    on = on or timezone.localdate()
    return CatalogueVersion.objects.filter(institution=institution, effective_from__lte=on).order_by("-number").first()


def catalogue_item_is_frozen(item: CatalogueItem) -> bool:
    return item.pk is not None and (item.case_items.exists() or item.negative_hit_in.exists())


def catalogue_version_save(*, version: CatalogueVersion, changed_by) -> CatalogueVersion:
    created = version.pk is None
    with transaction.atomic():
        version.full_clean()
        version.save()
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=changed_by,
            target=version,
            payload={
                "change": "catalogue_version_created" if created else "catalogue_version_updated",
                "institution": version.institution.code,
                "number": version.number,
                "title": version.title,
                "effective_from": str(version.effective_from),
                "settings": version.settings,
            },
        )
    return version


def catalogue_item_save(*, item: CatalogueItem, changed_by) -> CatalogueItem:
    """Create or update one item; an item a case relied on is frozen."""
    created = item.pk is None
    with transaction.atomic():
        before = None
        if not created:
            stored = CatalogueItem.objects.select_for_update().get(pk=item.pk)
            if catalogue_item_is_frozen(stored):
                raise ValidationError(
                    _("This item has been relied on by a case; publish a new version instead of editing it.")
                )
            before = {name: getattr(stored, name) for name in ITEM_FIELDS}
        item.full_clean()
        item.save()
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=changed_by,
            target=item,
            payload={
                "change": "catalogue_item_created" if created else "catalogue_item_updated",
                "institution": item.version.institution.code,
                "version": item.version.number,
                "kind": item.kind,
                "before": before,
                "after": {name: getattr(item, name) for name in ITEM_FIELDS},
            },
        )
    return item


def catalogue_load(*, institution: Institution, path: Path, loaded_by=None) -> CatalogueVersion | None:
    """Load a version from a fixture file; a version already present is left untouched (returns None)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if CatalogueVersion.objects.filter(institution=institution, number=data["number"]).exists():
        return None
    with transaction.atomic():
        version = catalogue_version_save(
            version=CatalogueVersion(
                institution=institution,
                number=data["number"],
                title=data["title"],
                effective_from=data["effective_from"],
                source=data.get("source", ""),
                settings=data["settings"],
            ),
            changed_by=loaded_by,
        )
        for kind, key in ((CatalogueItemKind.GAP, "gaps"), (CatalogueItemKind.NEGATIVE, "negative_list")):
            for order, row in enumerate(data[key], start=1):
                catalogue_item_save(
                    item=CatalogueItem(version=version, kind=kind, order=order, **row), changed_by=loaded_by
                )
    return version


def catalogue_load_all(institution: Institution) -> list:
    return [
        catalogue_load(institution=institution, path=path)
        for path in sorted(POLICY_DIR.glob(FIXTURE_PATTERN.format(code=institution.code)))
    ]
