"""Exporting the desk's filtered case list (or a register) as CSV or XLSX, recorded in the audit trail."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.selectors.cases import user_is_supervisor_only
from tolerance.selectors.desk import desk_rows
from tolerance.spreadsheets import table_bytes


def _people(case) -> str:
    return "、".join(
        (link.user.profile.real_name if hasattr(link.user, "profile") else "") or link.user.get_username()
        for link in case.subject_links.all()
    )


def _header(register, *, with_people: bool):
    return [
        _("Case number"),
        _("Case title"),
        _("Case type"),
        _("Institution"),
        _("Current stage"),
        _("Due by"),
        *([_("Subjects"), _("Officer")] if with_people else []),
        _("Filed at"),
        *[str(title) for title, _value in (register.columns if register else [])],
    ]


def _row(case, register, *, with_people: bool):
    filer = getattr(case.filed_by, "profile", None)
    people = [_people(case), (filer.real_name if filer else "") or case.filed_by.get_username()]
    return [
        case.number,
        case.title,
        case.case_type_label,
        case.institution.name_zh,
        case.stage_label,
        case.next_due.isoformat() if case.next_due else "",
        *(people if with_people else []),
        case.filed_at.strftime("%Y-%m-%d"),
        *[value(case) for _title, value in (register.columns if register else [])],
    ]


def cases_export(*, user, filterset, format: str, register=None) -> bytes:
    """Exactly the rows the desk shows for these filters, every page of them. A supervisor's export names
    nobody (data minimisation: the people of a case are part of its file, which a supervisor reads only on
    the page of a case referred to them)."""
    with_people = not user_is_supervisor_only(user)
    cases = desk_rows(filterset)
    if with_people:
        cases = cases.prefetch_related("subject_links__user__profile")
    with translation.override(translation.get_language()):
        rows = [_row(case, register, with_people=with_people) for case in cases]
        data = table_bytes(format=format, header=_header(register, with_people=with_people), rows=rows)
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT_MADE,
            actor=user,
            payload={
                "what": f"register:{register.code}" if register else "cases",
                "format": format,
                "filters": {key: value for key, value in filterset.data.items() if key != "format" and value},
                "rows": len(rows),
                "cases": [row[0] for row in rows],
            },
        )
    return data
