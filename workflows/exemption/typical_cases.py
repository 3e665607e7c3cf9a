"""The anonymised 典型案例 export (X4): the institution's decided exemption cases — the facts, the entries
relied on and each person's outcome — with the people's names removed, for publicity and training. Only
the institution's officers take it (the facts are the case file's), and each export is audited as one."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import CaseType
from tolerance.selectors.cases import cases_visible_to, user_institution_id
from tolerance.spreadsheets import table_bytes
from workflows.access import is_officer_of
from workflows.exemption.determinations import subject_name
from workflows.exemption.models import ExemptionDetails
from workflows.exemption.statistics import decisions_in_force, people_decided


def _anonymised(text: str, names: list[tuple[str, str]]) -> str:
    """`text` with each (name, pseudonym) name replaced; longest first, so 张三丰 is not left
    as "<person 1>丰" by a colleague called 张三."""
    for name, pseudonym in sorted(names, key=lambda pair: -len(pair[0])):
        text = text.replace(name, pseudonym)
    return text


def _rows(cases):
    decisions = decisions_in_force(cases)
    issued = dict(decisions.values_list("case_id", "issue_date"))
    people = defaultdict(list)
    for determination in (
        people_decided(cases, decisions).select_related("evaluation", "subject__user__profile").order_by("subject_id")
    ):
        people[determination.evaluation.case_id].append(determination)
    details = (
        ExemptionDetails.objects.filter(case_id__in=issued)
        .select_related("case__filed_by__profile")
        .prefetch_related("cited_entries")
    )
    for detail in sorted(details, key=lambda d: (issued[d.case_id], d.case_id)):
        persons = people[detail.case_id]
        pseudonyms = {
            determination.subject_id: _("person %(n)d") % {"n": n} for n, determination in enumerate(persons, 1)
        }
        names = []
        for determination in persons:
            link, pseudonym = determination.subject, pseudonyms[determination.subject_id]
            names += [(subject_name(link), pseudonym), (link.user.get_username(), pseudonym)]
        filer = detail.case.filed_by
        filer_name = getattr(getattr(filer, "profile", None), "real_name", "") or filer.get_username()
        names += [(filer_name, _("the officer")), (filer.get_username(), _("the officer"))]
        yield (
            [
                issued[detail.case_id].year,
                detail.get_route_display(),
                _anonymised(detail.failure_description, [pair for pair in names if pair[0]]),
                detail.loss_amount,
                "；".join(f"{entry.code} {entry.title}" for entry in detail.cited_entries.all()),
                "；".join(
                    f"{pseudonyms[d.subject_id]}（{d.subject.get_audience_display() or _('audience not stated')}）："
                    f"{d.get_outcome_display()}"
                    for d in persons
                ),
                issued[detail.case_id].isoformat(),
            ],
            detail.case.number,
        )


def typical_cases_allowed(user) -> bool:
    """An officer of an institution (the register page offers the export to them only)."""
    institution_id = user_institution_id(user)
    return institution_id is not None and is_officer_of(user, institution_id)


def typical_cases_export(*, user, format: str) -> bytes:
    """The decided cases of the officer's institution as CSV or XLSX, names removed; refused to anyone
    but an officer of an institution (a supervisor reads figures, not facts)."""
    if not typical_cases_allowed(user):
        raise PermissionDenied(_("Only an officer of the institution can export its typical cases."))
    cases = cases_visible_to(user).filter(case_type=CaseType.EXEMPTION, institution_id=user_institution_id(user))
    rows, numbers = [], []
    for row, number in _rows(cases):
        rows.append(row)
        numbers.append(number)
    header = [
        _("Year decided"),
        _("conversion route"),
        _("Facts"),
        _("loss (yuan)"),
        _("tolerance list entries relied on"),
        _("Outcome for each person"),
        _("Decided on"),
    ]
    data = table_bytes(format=format, header=header, rows=rows)
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT_MADE,
            actor=user,
            payload={"what": "exemption:typical_cases", "format": format, "rows": len(rows), "cases": numbers},
        )
    return data
