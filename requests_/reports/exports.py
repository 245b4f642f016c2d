"""Write the annual report as XLSX (the template's layout) and CSV (UTF-8 with BOM).

Both writers take the layouts of ``requests_.reports.layout``, so the exported
labels, spans and figures are those of the page. Cells go through
``portal.exports``: no cell can begin a formula.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from portal.exports import SafeCsvWriter, write_cell
from requests_.reports.annual import AnnualReport
from requests_.reports.layout import (
    COL,
    NOTE,
    ROW,
    TableLayout,
    check_layout,
    conversion_layout,
    issue_rows,
    place,
    table3_layout,
    table4_layout,
)

# Sheet names (at most 31 characters, no ":" or "/").
SHEET_TABLE3 = "收到和处理政府信息公开申请情况"
SHEET_TABLE4 = "行政复议、行政诉讼情况"
SHEET_CONVERSION = "依申请转主动公开"
SHEET_CHECK = "勾稽关系校验"
# The first header row of every table sheet; row 1 is the title, row 2 the scope.
FIRST_TABLE_ROW = 3


def subtitle(report: AnnualReport) -> str:
    """Return the line naming the scope and the year of the report."""
    return _("填报机关：%(scope)s　统计年度：%(year)s年") % {
        "scope": report.query.scope_label,
        "year": report.query.year,
    }


def filename(report: AnnualReport, extension: str) -> str:
    agency = report.query.agency
    code = agency.code if agency else "city"
    suffix = "" if report.query.subunits or agency is None else "-own"
    return f"annual-report-{code}{suffix}-{report.query.year}.{extension}"


def _layouts(report: AnnualReport) -> list[tuple[str, TableLayout]]:
    return [
        (SHEET_TABLE3, table3_layout(report)),
        (SHEET_TABLE4, table4_layout(report)),
        (SHEET_CONVERSION, conversion_layout(report)),
        (SHEET_CHECK, check_layout(report)),
    ]


# --- XLSX -----------------------------------------------------------------------


def _write_layout(sheet, layout: TableLayout, heading: str) -> int:
    """Write ``layout`` below a title and ``heading``; return the next free row."""
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = layout.width
    write_cell(sheet, 1, 1, layout.title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=width)
    write_cell(sheet, 2, 1, heading)
    sheet.merge_cells(start_row=2, end_row=2, start_column=1, end_column=width)
    last = FIRST_TABLE_ROW
    for r, c, cell in place(layout.head + layout.body):
        row, column = FIRST_TABLE_ROW + r, 1 + c
        end_row, end_column = row + cell.rowspan - 1, column + cell.colspan - 1
        for y in range(row, end_row + 1):
            for x in range(column, end_column + 1):
                sheet.cell(y, x).border = border
        target = write_cell(sheet, row, column, cell.text)
        is_label = cell.role in (NOTE, COL, ROW)
        target.font = Font(bold=cell.role == COL)
        target.alignment = Alignment(
            horizontal="left" if cell.role == ROW else "center",
            vertical="center",
            wrap_text=is_label,
        )
        if end_row > row or end_column > column:
            sheet.merge_cells(
                start_row=row,
                end_row=end_row,
                start_column=column,
                end_column=end_column,
            )
        last = max(last, end_row)
    for note in layout.notes:
        last += 1
        write_cell(sheet, last, 1, note)
    return last + 1


LABEL_WIDTHS = {"t3": (12, 14, 34), "conversion": (44,), "check": (16,)}
VALUE_WIDTH = 12


def _widths(sheet, key: str, width: int) -> None:
    from openpyxl.utils import get_column_letter

    labels = LABEL_WIDTHS.get(key, ())
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            labels[index - 1] if index <= len(labels) else VALUE_WIDTH
        )


def to_xlsx(report: AnnualReport) -> bytes:
    """Return a workbook: one sheet per table, then the records to fix."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = subtitle(report)
    for name, layout in _layouts(report):
        sheet = workbook.create_sheet(name)
        next_row = _write_layout(sheet, layout, heading)
        _widths(sheet, layout.key, layout.width)
        if layout.key == "check":
            next_row += 1
            write_cell(sheet, next_row, 1, _("需要更正的记录")).font = Font(bold=True)
            for offset, values in enumerate(issue_rows(report), start=1):
                for column, value in enumerate(values, start=1):
                    write_cell(sheet, next_row + offset, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV -------------------------------------------------------------------------


def layout_grid(layout: TableLayout) -> list[list[str | int | float]]:
    """Return the layout as a grid: a merged cell's text in its top-left corner."""
    rows = layout.head + layout.body
    placed = list(place(rows))
    height = max((r + cell.rowspan for r, _c, cell in placed), default=0)
    width = max((c + cell.colspan for _r, c, cell in placed), default=0)
    grid: list[list[str | int | float]] = [[""] * width for _row in range(height)]
    for r, c, cell in placed:
        grid[r][c] = "" if cell.text is None else cell.text
    return grid


def to_csv(report: AnnualReport) -> bytes:
    """Return every table, one after the other, as UTF-8 CSV with a BOM.

    Excel needs the BOM to read the Chinese; each table is preceded by its title
    and laid out like the template, a merged cell's label in its first cell.
    """
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow([subtitle(report)])
    for _name, layout in _layouts(report):
        writer.writerow([])
        writer.writerow([layout.title])
        writer.writerows(layout_grid(layout))
        for note in layout.notes:
            writer.writerow([note])
    writer.writerow([])
    writer.writerow([_("需要更正的记录")])
    writer.writerows(issue_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
