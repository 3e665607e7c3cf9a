"""Filing cases and allocating their numbers."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.case_types import DRAFT_STAGE, case_type_spec
from tolerance.models import Case, CaseNumberSequence, CaseStageSpell, CaseSubject, Institution
from tolerance.selectors.cases import cases_visible_to, user_institution_id, user_is_case_staff
from tolerance.services.search import case_search_text_mark
from tolerance.text import text_validate
from tolerance.working_days import working_days_between


@dataclass(frozen=True)
class SubjectSpec:
    user: object
    role_in_case: str = ""
    audience: str = ""
    post: str = ""
    leadership_level: str = ""


def case_number_format(*, institution_code: str, case_type: str, year: int, sequence: int) -> str:
    """How a case number reads, e.g. GUET-MZ-2026-0001 (bulk seeding writes numbers the same way)."""
    return f"{institution_code}-{case_type}-{year}-{sequence:04d}"


def case_number_allocate(*, institution: Institution, case_type: str, year: int) -> tuple[int, str]:
    """Take the next number for (institution, type, year) inside the caller's transaction.

    The sequence row stays locked until the caller commits, so two officers filing at once get
    consecutive numbers; if the filing rolls back, so does the increment, leaving no gap.
    """
    locked = CaseNumberSequence.objects.select_for_update().filter(
        institution=institution, case_type=case_type, year=year
    )
    sequence = locked.first()
    if sequence is None:  # the year's first case of this type: create the row, then lock it like the others
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.get_or_create(institution=institution, case_type=case_type, year=year)
        except IntegrityError:
            pass  # created by a concurrent filer; the locked read below sees it
        sequence = locked.get()
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value, case_number_format(
        institution_code=institution.code, case_type=case_type, year=year, sequence=sequence.last_value
    )


def _check_subjects(institution, subjects, *, staff_subjects=False):
    """The subject rules, once for every way a case is filed. An error about one subject is given under
    "subjects" with that subject's position (params["index"]), so a form can show it on the right row."""
    if not subjects:
        raise ValidationError({"subjects": _("Please name at least one subject.")})
    seen = set()
    for index, spec in enumerate(subjects):
        user = spec.user
        problem = None
        if user.pk in seen:
            problem = _("Subject “%(name)s” is listed twice.")
        elif staff_subjects and not (user.is_active and user_institution_id(user) == institution.pk):
            problem = _("“%(name)s” is not an active member of this institution and cannot be a subject of the case.")
        elif staff_subjects:
            pass
        elif not roles.has_role(user, roles.RESEARCHER, roles.LICENSEE_CONTACT):
            problem = _("“%(name)s” is not a researcher or licensee contact and cannot be a subject of the case.")
        elif roles.has_role(user, roles.RESEARCHER) and user_institution_id(user) != institution.pk:
            problem = _("Researcher “%(name)s” does not belong to this institution.")
        if problem:
            raise ValidationError(
                {"subjects": ValidationError(problem, code="subject", params={"name": str(user), "index": index})}
            )
        seen.add(user.pk)


def case_file(
    *,
    institution: Institution,
    case_type: str,
    title: str,
    filed_by,
    subjects: list[SubjectSpec],
    payload=None,
    staff_subjects: bool = False,
    process=None,
) -> Case:
    """Create a case with its number and subjects, and record that it was filed.

    Flow-specific data is saved by the caller in the same transaction; this is the part all types share.
    `staff_subjects`: any active member of the institution may be named (leaders and managers too), not
    only researchers and licensee contacts. `process`: the flow's process, saved already, for the case row.
    """
    if case_type_spec(case_type) is None:
        raise ValidationError(_("Unknown case type."))
    title = (title or "").strip()
    text_validate(title, label=_("case title"))
    if not title:
        raise ValidationError(_("Please enter the case title."))
    if len(title) > 200:
        raise ValidationError(_("The case title must not be longer than 200 characters."))
    if not institution.is_active:
        raise ValidationError(_("This institution is deactivated; no cases can be filed."))
    if not filed_by.is_superuser and user_institution_id(filed_by) != institution.pk:
        raise ValidationError(_("You can only file cases for your own institution."))
    _check_subjects(institution, subjects, staff_subjects=staff_subjects)
    with transaction.atomic():
        year = timezone.localdate().year
        sequence, number = case_number_allocate(institution=institution, case_type=case_type, year=year)
        case = Case.objects.create(
            institution=institution,
            case_type=case_type,
            year=year,
            sequence=sequence,
            number=number,
            title=title,
            filed_by=filed_by,
            stage=DRAFT_STAGE,
            stage_entered_on=timezone.localdate(),
            process=process,
        )
        CaseStageSpell.objects.create(case=case, stage=DRAFT_STAGE, entered_on=case.stage_entered_on)
        CaseSubject.objects.bulk_create(
            [
                CaseSubject(
                    case=case,
                    user=spec.user,
                    role_in_case=spec.role_in_case,
                    audience=spec.audience,
                    post=spec.post,
                    leadership_level=spec.leadership_level,
                )
                for spec in subjects
            ]
        )
        audit_record(
            action=AuditAction.CASE_FILED,
            actor=filed_by,
            case=case,
            target=case,
            payload={
                "number": number,
                "case_type": case_type,
                "title": title,
                "subjects": [
                    {"user": spec.user.get_username(), "role": spec.role_in_case}
                    | ({"audience": spec.audience, "post": spec.post} if spec.audience else {})
                    for spec in subjects
                ],
                **(payload or {}),
            },
        )
        case_search_text_mark(case)
    return case


def case_stage_set(*, case: Case, stage: str, next_due=None) -> None:
    """Update the plain-language status researchers see; called by flows inside their own transaction.

    A change of stage closes the case's open stage spell and opens the next (the statistics' dated facts);
    a new deadline in the same stage does not. The open spell's entry day rides on the case row, so the
    close is one UPDATE without reading the spell."""
    fields = ["stage", "next_due", "updated_at"]
    if stage != case.stage:
        today = timezone.localdate()
        open_spells = CaseStageSpell.objects.filter(case=case, left_on__isnull=True)
        if case.stage_entered_on is not None:
            open_spells.update(left_on=today, working_days=working_days_between(case.stage_entered_on, today))
        else:  # a case whose row predates the column and the backfill (bulk seeds): read the spell
            for spell in open_spells:
                spell.left_on = today
                spell.working_days = working_days_between(spell.entered_on, today)
                spell.save(update_fields=["left_on", "working_days"])
        CaseStageSpell.objects.create(case=case, stage=stage, entered_on=today)
        case.stage_entered_on = today
        fields.append("stage_entered_on")
    case.stage = stage
    case.next_due = next_due
    case.save(update_fields=fields)


def case_relate(*, case: Case, number: str, related_by) -> Case:
    """Link `case` with the case numbered `number` (both ways). Staff of the case's institution may link it
    to any case they can see; a case is never linked to itself or twice. Audited on both cases."""
    if not user_is_case_staff(related_by, case):
        raise ValidationError(_("Only staff of the case's institution can link cases."))
    text_validate(number, label=_("case number"), field="number")
    other = cases_visible_to(related_by).filter(number=number.strip()).first()
    if other is None:
        raise ValidationError({"number": _("No case you can see has this number.")})
    if other.pk == case.pk:
        raise ValidationError({"number": _("A case cannot be related to itself.")})
    if case.related_cases.filter(pk=other.pk).exists():
        raise ValidationError({"number": _("These cases are already related.")})
    with transaction.atomic():
        case.related_cases.add(other)
        for this, that in ((case, other), (other, case)):
            audit_record(
                action=AuditAction.CASE_UPDATED,
                actor=related_by,
                case=this,
                target=this,
                payload={"change": "related_case_added", "related": that.number},
            )
    return other
