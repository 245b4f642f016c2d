"""Export a published list version in the public column layout (XLSX and CSV).

Cells go through ``portal.exports``: no cell can begin a formula.
"""

from __future__ import annotations

import io

from negative_list.models import ListVersion
from negative_list.projection import item_values
from negative_list.services.imports import PUBLIC_COLUMNS
from portal.exports import append_row, csv_bytes

# The projection field under each public column, in the columns' order.
COLUMN_FIELDS = ("position", "category_name", "title", "scope", "basis", "notes")


def version_rows(version: ListVersion) -> list[list[str | int]]:
    """Return the header and one row per entry, as the public table shows them."""
    rows: list[list[str | int]] = [list(PUBLIC_COLUMNS)]
    for item in version.items.select_related("entry").order_by("position"):
        values = item_values(item)
        rows.append([values[name] for name in COLUMN_FIELDS])
    return rows


def filename(version: ListVersion, extension: str) -> str:
    return f"negative-list-{version.agency.code}-v{version.number}.{extension}"


def to_csv(version: ListVersion) -> bytes:
    """Return UTF-8 CSV with a BOM, so Excel opens the Chinese correctly."""
    return csv_bytes(version_rows(version))


COLUMN_WIDTHS = (6, 14, 28, 60, 40, 30)


def to_xlsx(version: ListVersion) -> bytes:
    """Return an XLSX workbook with one sheet holding the list."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"第{version.number}版"
    for row in version_rows(version):
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
