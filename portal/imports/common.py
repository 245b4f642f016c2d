"""What the file imports share: reading a sheet through the upload door, naming
its columns, checking its rows, and the one error type that lists every problem
by row and column (the agency and staff imports here, the disclosure import in
``requests_.services.imports``).

A file is read whole and validated whole before anything is written; one wrong
cell means nothing changes. Rows are numbered as the spreadsheet shows them (the
header is row 1) and columns are named by the header the file itself carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.errors import DomainError

IMPORT_KINDS = ("xlsx", "csv")
# A city has hundreds of agencies and thousands of staff: far below these.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_UNCOMPRESSED = 50 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000

UNSUPPORTED_FORMAT = _("不支持的文件格式：请使用 .xlsx 或 .csv。")
FILE_EMPTY = _("文件中没有数据行。")
MISSING_COLUMNS = _("缺少列：%(columns)s。")
REQUIRED = _("不能为空。")
TOO_LONG = _("超过 %(n)s 个字符。")
FILE_INVALID = _("文件有 %(n)s 处错误，未导入任何内容。")
ROW_ERROR = _("第 %(row)s 行，%(column)s 列：%(message)s")
HEADER = "—"


@dataclass(frozen=True)
class RowError:
    """One problem in a file: its row as the spreadsheet numbers it, its column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return ROW_ERROR % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportInvalid(DomainError):
    """The file was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(FILE_INVALID % {"n": len(errors)}, code="import_invalid")
        self.errors = errors

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "fields": {"file": [str(e) for e in self.errors]}}


@dataclass(frozen=True)
class Column:
    """A column of an import: its key, the header the template writes, the other
    headers accepted for it, and the explanation on the template's second sheet."""

    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool
    help: str = ""


@dataclass
class Sheet:
    """A read file: ``headers`` maps each key to the header as written."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]

    def column(self, key: str) -> str:
        return self.headers.get(key, key)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _header_key(text: str, columns: tuple[Column, ...]) -> str | None:
    name = text.replace(" ", "").replace("\u3000", "").lower()
    for column in columns:
        if name in {column.key, column.header, *column.aliases}:
            return column.key
    return None


def read_table(
    upload: uploads.Upload, cell: Any = _cell
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Return an admitted upload's header texts and its rows that are not blank,
    each row as (its number in the sheet, its cells read by ``cell``)."""
    rows = uploads.table_rows(upload)
    first = next(rows, None)
    header = [_cell(v) for v in (first[1] if first else ())]
    read = ((number, [cell(v) for v in values]) for number, values in rows)
    return header, ((n, cells) for n, cells in read if any(c != "" for c in cells))


def read_sheet(data: bytes, filename: str, columns: tuple[Column, ...]) -> Sheet:
    """Read an upload's first sheet into rows of {column key: text}.

    The file passes the upload door (``portal.uploads``): its type judged by
    content, its size, archive and XML guards, rows and cells capped while
    streaming; a refusal there names the file, row and column.
    """
    upload = uploads.admit(
        data,
        filename,
        kinds=IMPORT_KINDS,
        limits=uploads.upload_limits(
            max_bytes=MAX_IMPORT_BYTES,
            max_uncompressed=MAX_IMPORT_UNCOMPRESSED,
            max_rows=MAX_IMPORT_ROWS,
        ),
        wrong_type=UNSUPPORTED_FORMAT,
    )
    return to_sheet(*read_table(upload), columns)


def to_sheet(
    written: list[str],
    rows: Iterable[tuple[int, list[str]]],
    columns: tuple[Column, ...],
) -> Sheet:
    """Name the cells of ``rows`` by ``columns``, matched on the ``written`` header.

    ``rows`` are (number in the sheet, cells) without the header and blank rows;
    a required column missing from the header, or no row, is an ``ImportInvalid``.
    """
    keys = [_header_key(text, columns) for text in written]
    headers: dict[str, str] = {}
    for key, text in zip(keys, written, strict=True):
        if key is not None:
            headers.setdefault(key, text)
    missing = [c.header for c in columns if c.required and c.key not in headers]
    if missing:
        message = MISSING_COLUMNS % {"columns": "、".join(missing)}
        raise ImportInvalid([RowError(1, HEADER, str(message))])
    result = []
    for number, cells in rows:
        record = {key: "" for key in headers}
        for key, text in zip(keys, cells, strict=False):
            if key is not None and not record.get(key):
                record[key] = text
        result.append((number, record))
    if not result:
        raise ImportInvalid([RowError(2, HEADER, str(FILE_EMPTY))])
    return Sheet(headers=headers, rows=result)


Row = TypeVar("Row")


class SheetCheck(Generic[Row]):
    """Validate a read sheet against itself and the rows already stored.

    A subclass parses each row in ``run`` and reports each problem with ``error``;
    ``actor`` None is the operator at the command line.
    """

    def __init__(self, sheet: Sheet, actor: User | None) -> None:
        self.sheet = sheet
        self.actor = actor
        self.errors: list[RowError] = []

    def error(self, row: int, key: str, message: object) -> None:
        self.errors.append(RowError(row, self.sheet.column(key), str(message)))

    def run(self) -> list[Row]:
        raise NotImplementedError

    @classmethod
    def validate(cls, sheet: Sheet, *, actor: User | None = None) -> list[Row]:
        """Check every row; return the parsed rows or raise ``ImportInvalid``."""
        check = cls(sheet, actor)
        rows = check.run()
        if check.errors:
            raise ImportInvalid(check.errors)
        return rows


def check_text(
    errors: list[RowError],
    sheet: Sheet,
    row: int,
    values: Mapping[str, str],
    limits: Mapping[str, int],
    required: tuple[str, ...] = (),
) -> None:
    """Append an error for each required cell left empty and each text too long."""
    for key in required:
        if not values.get(key):
            errors.append(RowError(row, sheet.column(key), str(REQUIRED)))
    for key, bound in limits.items():
        if len(values.get(key, "")) > bound:
            errors.append(
                RowError(row, sheet.column(key), str(TOO_LONG % {"n": bound}))
            )
