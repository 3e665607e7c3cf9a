"""Who is judged on what: the rows of an investigation (an item for the case, or for one person), the
computed publicity facts of C3, and the version's rules as the services read them.

A version whose rules say `determination_per_subject` judges each responsible person on their own (v2);
an older version judges the case once, and reads exactly as it did.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tolerance.models import Case, CaseSubject
from tolerance.working_days import add_working_days
from workflows.exemption.models import PublicityVenueKind
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind

KIND_ORDER = [PolicyItemKind.CONDITION, PolicyItemKind.NEGATIVE, PolicyItemKind.EXEMPTING, PolicyItemKind.MITIGATING]


def version_rules(case: Case) -> dict:
    return case.exemption.policy_version.rules or {}


def is_per_subject(case: Case) -> bool:
    return bool(version_rules(case).get("determination_per_subject"))


def case_subjects(case: Case) -> list[CaseSubject]:
    return list(case.subject_links.select_related("user__profile").order_by("id"))


def subject_name(link: CaseSubject) -> str:
    profile = getattr(link.user, "profile", None)
    return (profile.real_name if profile else "") or link.user.get_username()


def masked_name(name: str) -> str:
    """张三丰 → 张**: the surname stays, so colleagues recognise the case without reading the name."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


@dataclass(frozen=True)
class PublicityCheck:
    """What the price publicity venues show against C3's numbers (calendar days, counted inclusively)."""

    met: bool
    days: dict
    min_days: int
    missing: list
    text: str


def publicity_check(details, checks: dict) -> PublicityCheck | None:
    if "publicity_min_days" not in checks:
        return None
    min_days = checks["publicity_min_days"]
    required = checks.get("venues_required", [])
    days: dict[str, int] = {}
    for venue in details.publicity_venues.all():
        days[venue.kind] = max(days.get(venue.kind, 0), venue.calendar_days)
    missing = [kind for kind in required if kind not in days]
    short = [kind for kind in required if kind in days and days[kind] < min_days]
    unhandled = details.objections_received and not details.objection_handling.strip()
    parts = [
        _("%(venue)s: %(days)d calendar days") % {"venue": PublicityVenueKind(kind).label, "days": count}
        for kind, count in days.items()
    ]
    parts += [_("%(venue)s: not publicised") % {"venue": PublicityVenueKind(kind).label} for kind in missing]
    if unhandled:
        parts.append(_("objections received and their handling not recorded"))
    text = _("Computed from the recorded publicity (at least %(min)d days required): %(facts)s.") % {
        "min": min_days,
        "facts": "；".join(parts) or _("no publicity recorded"),
    }
    return PublicityCheck(
        met=not missing and not short and not unhandled, days=days, min_days=min_days, missing=missing, text=text
    )


@dataclass(frozen=True)
class EmergencyCheck:
    """Whether an emergency decision by one person counts as the collective decision of C2: it must have
    been reported within the version's working days and the collective procedure completed afterwards."""

    met: bool
    text: str


def emergency_check(details, checks: dict) -> EmergencyCheck | None:
    if not checks.get("emergency_counts_as_met") or not details.emergency:
        return None
    limit = checks.get("emergency_report_working_days")
    problems = []
    if not details.reported_on:
        problems.append(_("not reported"))
    elif limit is not None and details.decided_on and details.reported_on > add_working_days(details.decided_on, limit):
        problems.append(_("reported later than %(days)d working days after the decision") % {"days": limit})
    if not details.procedure_completed_on:
        problems.append(_("the collective procedure was not completed afterwards"))
    facts = _(
        "Emergency decision of %(decided)s (%(reason)s), reported on %(reported)s, procedure completed on %(completed)s"
    ) % {
        "decided": details.decided_on or "—",
        "reason": details.emergency_reason,
        "reported": details.reported_on or "—",
        "completed": details.procedure_completed_on or "—",
    }
    if problems:
        return EmergencyCheck(
            met=False, text=_("%(facts)s: %(problems)s.") % {"facts": facts, "problems": "；".join(problems)}
        )
    return EmergencyCheck(met=True, text=_("%(facts)s: counts as the collective decision.") % {"facts": facts})


def emergency_excuses(details, items) -> bool:
    """A recorded emergency that meets C2's conditions: a failed C2 or C3 then does not force N8."""
    return any((check := emergency_check(details, item.checks)) is not None and check.met for item in items)


def not_applicable_reason(item: PolicyItem, details) -> str:
    """Why the item does not apply to this case at all (by its conversion's facts), or ""."""
    for field, values in item.checks.get("not_applicable_when", {}).items():
        value = getattr(details, field, "")
        if value and value in values:
            display = getattr(details, f"get_{field}_display", None)
            label = display() if display else value
            return _("Not applicable: %(fact)s.") % {"fact": label}
    return ""


@dataclass(frozen=True)
class InvestigationRow:
    item: PolicyItem
    subject: CaseSubject | None
    not_applicable: str = ""
    computed: PublicityCheck | EmergencyCheck | None = None
    # Codes whose failure, with no emergency that excuses it, means this item applies (N8 after C2/C3):
    # the investigator must find it applying or say why not.
    forced_by: tuple = ()

    @property
    def key(self) -> str:
        return str(self.item.pk) if self.subject is None else f"{self.item.pk}_{self.subject.pk}"


def investigation_rows(case: Case, items, subjects: list[CaseSubject]) -> list[InvestigationRow]:
    """Every finding the investigation needs, in reading order: case-level facts first within each kind,
    then each person's. Items that apply to nobody named are left out."""
    details = case.exemption
    per_subject = is_per_subject(case)
    rows = []
    ordered = sorted(items, key=lambda item: (KIND_ORDER.index(item.kind), item.order, item.code))
    excused = emergency_excuses(details, ordered)
    for item in ordered:
        concerned = [s for s in subjects if item.applies_to_audience(s.audience)]
        if not concerned:
            continue
        reason = not_applicable_reason(item, details)
        forced_by = () if excused else tuple(item.checks.get("applies_when_not_met", ()))
        if per_subject and item.per_subject:
            rows += [
                InvestigationRow(item=item, subject=s, not_applicable=reason, forced_by=forced_by) for s in concerned
            ]
        else:
            computed = publicity_check(details, item.checks) or emergency_check(details, item.checks)
            rows.append(
                InvestigationRow(item=item, subject=None, not_applicable=reason, computed=computed, forced_by=forced_by)
            )
    return rows
