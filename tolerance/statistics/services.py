"""The writes of the statistics pages: every export is an audit event; an annual report is sealed."""

from django.db import transaction

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.spreadsheets import table_bytes
from tolerance.statistics.registry import StatisticsTable


def statistics_table_export(*, user, table: StatisticsTable, format: str, filters: dict) -> bytes:
    """One table of the statistics page as CSV or XLSX, exactly the figures the page shows."""
    data = table_bytes(format=format, header=[str(column) for column in table.columns], rows=table.rows)
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT_MADE,
            actor=user,
            payload={"what": f"statistics:{table.key}", "format": format, "filters": filters, "rows": len(table.rows)},
        )
    return data


def annual_report_export(*, user, data: bytes, year: int, institution) -> bytes:
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT_MADE,
            actor=user,
            payload={
                "what": "annual_report",
                "format": "xlsx",
                "year": year,
                "institution": institution.code if institution is not None else "",
            },
        )
    return data
