"""Tables leaving the site as CSV or XLSX (openpyxl): one writer for every export."""

import csv
import io

from openpyxl import Workbook

# Spreadsheet programs run cells starting with these as formulas.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def table_bytes(*, format: str, header: list[str], rows) -> bytes:
    """`rows` (lists of values) under `header`, every cell text and safe from formula injection."""
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(title) for title in header])
        writer.writerows([safe_cell(value) for value in row] for row in rows)
        # With a byte-order mark, Excel opens the Chinese text as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([safe_cell(title) for title in header])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"Unknown table format {format!r}")
