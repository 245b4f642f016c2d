"""Lay the figures out as the national template prints them.

One layout serves the page, the XLSX and the CSV: header rows and body rows of
cells with their column and row spans, exactly as published (the 表三 corner
note spanning three columns and three rows, 申请人情况 over seven columns,
三、本年度办理结果 down twenty-two rows ...). ``place`` turns the spans into grid
positions for the writers that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from requests_.models import AppealKind
from requests_.reports.annual import (
    APPEAL_KIND_LABELS,
    APPEAL_RESULT_LABELS,
    APPLICANTS_LABEL,
    BALANCE_NOTE,
    CONVERSION,
    CONVERSION_ROWS,
    LAWSUIT_LABEL,
    ORGANISATIONS_LABEL,
    TABLE3,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE3_TITLE,
    TABLE4,
    TABLE4_COLUMNS,
    TABLE4_RESULTS,
    TABLE4_TITLE,
    TOTAL,
    TOTAL_LABEL,
    AnnualReport,
)

# Cell roles: "note" (the corner text), "col" and "row" (header cells with that
# scope), "value" (a figure).
NOTE, COL, ROW, VALUE = "note", "col", "row", "value"

# Build the drill-down address of a cell from (table, row key, column key).
Linker = Callable[[str, str, str], str]


@dataclass
class Cell:
    text: str | int | float | None
    role: str = VALUE
    colspan: int = 1
    rowspan: int = 1
    url: str = ""


@dataclass
class TableLayout:
    key: str
    title: str
    head: list[list[Cell]]
    body: list[list[Cell]]
    caption: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((c + cell.colspan for _r, c, cell in place(self.head)), default=0)


def place(rows: list[list[Cell]]) -> Iterator[tuple[int, int, Cell]]:
    """Yield (row, column, cell) as an HTML table would position the cells."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            yield r, c, cell
            taken.update(
                (r + dr, c + dc)
                for dr in range(cell.rowspan)
                for dc in range(cell.colspan)
            )
            c += cell.colspan


def _value(count: int, table: str, row: str, column: str, link: Linker | None) -> Cell:
    url = link(table, row, column) if link and count else ""
    return Cell(count, VALUE, url=url)


# --- 表三 ------------------------------------------------------------------------

LABEL_DEPTH = 3  # 一/二/三/四 · （一）…（七） · 1.…8.


def _table3_head() -> list[list[Cell]]:
    organisations = [Cell(column.label, COL) for column in TABLE3_COLUMNS[1:-1]]
    return [
        [
            Cell(BALANCE_NOTE, NOTE, colspan=LABEL_DEPTH, rowspan=3),
            Cell(APPLICANTS_LABEL, COL, colspan=len(TABLE3_COLUMNS)),
        ],
        [
            Cell(TABLE3_COLUMNS[0].label, COL, rowspan=2),
            Cell(ORGANISATIONS_LABEL, COL, colspan=len(organisations)),
            Cell(TABLE3_COLUMNS[-1].label, COL, rowspan=2),
        ],
        organisations,
    ]


def _label_cells(index: int) -> list[Cell]:
    """Return the row-header cells that start on row ``index`` of 表三."""
    path = TABLE3_ROWS[index].path
    cells = []
    for level in range(len(path)):
        prefix = path[: level + 1]
        if index and TABLE3_ROWS[index - 1].path[: level + 1] == prefix:
            continue  # covered by the span of a cell above
        rowspan = 1
        while (
            index + rowspan < len(TABLE3_ROWS)
            and TABLE3_ROWS[index + rowspan].path[: level + 1] == prefix
        ):
            rowspan += 1
        last = level == len(path) - 1
        colspan = LABEL_DEPTH - level if last else 1
        cells.append(Cell(path[level], ROW, colspan=colspan, rowspan=rowspan))
    return cells


def table3_layout(report: AnnualReport, link: Linker | None = None) -> TableLayout:
    """Return 表三 with the template's merged header and row-label cells."""
    body = []
    for index, row in enumerate(TABLE3_ROWS):
        values = [
            _value(report.table3[row.key][col.key], TABLE3, row.key, col.key, link)
            for col in TABLE3_COLUMNS
        ]
        body.append(_label_cells(index) + values)
    return TableLayout(TABLE3, TABLE3_TITLE, _table3_head(), body)


# --- 表四 ------------------------------------------------------------------------


def _results_row(rowspan: int) -> list[Cell]:
    labels = [APPEAL_RESULT_LABELS.get(r, TOTAL_LABEL) for r in TABLE4_RESULTS]
    return [Cell(label, COL, rowspan=rowspan) for label in labels]


def _table4_head() -> list[list[Cell]]:
    span = len(TABLE4_COLUMNS) // len(AppealKind)
    return [
        [
            Cell(APPEAL_KIND_LABELS[AppealKind.REVIEW], COL, colspan=span),
            Cell(LAWSUIT_LABEL, COL, colspan=2 * span),
        ],
        [
            *_results_row(rowspan=2),
            *(
                Cell(APPEAL_KIND_LABELS[kind], COL, colspan=span)
                for kind in (AppealKind.LAWSUIT_DIRECT, AppealKind.LAWSUIT_AFTER_REVIEW)
            ),
        ],
        _results_row(rowspan=1) * 2,
    ]


def table4_layout(report: AnnualReport, link: Linker | None = None) -> TableLayout:
    """Return 表四: three header rows over one row of fifteen figures."""
    values = [
        _value(report.table4[column.key], TABLE4, "appeals", column.key, link)
        for column in TABLE4_COLUMNS
    ]
    return TableLayout(TABLE4, TABLE4_TITLE, _table4_head(), [values])


# --- Conversion and check ------------------------------------------------------


def _days(value: float | None) -> str | float:
    return "—" if value is None else value


def conversion_layout(report: AnnualReport, link: Linker | None = None) -> TableLayout:
    """Return the conversion figures as a two-column table (item, figure)."""
    figures = report.conversion
    body = [
        [
            Cell(str(row.label), ROW),
            _value(figures.counts[row.key], CONVERSION, row.key, TOTAL, link),
        ]
        for row in CONVERSION_ROWS
    ]
    body += [
        [
            Cell(str(_("答复至发布的天数中位数（自然日）")), ROW),
            Cell(_days(figures.median_calendar_days)),
        ],
        [
            Cell(str(_("答复至发布的天数中位数（工作日）")), ROW),
            Cell(_days(figures.median_working_days)),
        ],
    ]
    notes = []
    if figures.unknown_years:
        years = "、".join(str(y) for y in figures.unknown_years)
        notes.append(
            str(
                _("%(years)s 年的节假日安排尚未录入，其工作日按周一至周五计算。")
                % {"years": years}
            )
        )
    return TableLayout(
        CONVERSION,
        str(_("依申请公开转为主动公开情况")),
        [[Cell(str(_("项目")), COL), Cell(str(_("数量")), COL)]],
        body,
        notes=notes,
    )


def check_layout(report: AnnualReport) -> TableLayout:
    """Return the per-column check 一 + 二 = 三（七）+ 四."""
    yes, no = str(_("相符")), str(_("不相符"))
    body = [
        [
            Cell(line.label, ROW),
            Cell(line.received),
            Cell(line.settled),
            Cell(yes if line.balanced else no),
        ]
        for line in report.check.lines
    ]
    head = [
        [
            Cell(str(_("申请人类型")), COL),
            Cell(str(_("一 + 二")), COL),
            Cell(str(_("三（七）+ 四")), COL),
            Cell(str(_("勾稽关系")), COL),
        ]
    ]
    return TableLayout("check", str(_("勾稽关系校验")), head, body)


def issue_rows(report: AnnualReport) -> list[list[str]]:
    """Return the records to fix as rows (with a header), for the exports."""
    rows = [
        [
            str(_("查询码")),
            str(_("办理机关")),
            str(_("收到日期")),
            str(_("答复（办结）日期")),
            str(_("问题")),
        ]
    ]
    for issue in report.check.issues:
        rows.append(
            [
                issue.tracking_code,
                issue.agency,
                issue.received_on.isoformat(),
                issue.decided_on.isoformat() if issue.decided_on else "",
                issue.message,
            ]
        )
    return rows
