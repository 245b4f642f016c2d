"""Import a negative list kept in a spreadsheet (XLSX or CSV) as draft entries.

The whole file is validated first; if any row is wrong nothing is imported and
every problem names its row and column as the spreadsheet shows them, in the
``ImportInvalid`` every file import raises (``portal.imports.common``). The
columns are the published layout: 序号 · 类别 · 事项名称 · 具体范围 ·
不予公开的法律政策依据 · 说明 (责任处室 optional).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from negative_list import permissions
from negative_list.models import Entry, Exemption, Provision
from negative_list.services.entries import EntryContent, create_entry_unchecked
from portal import uploads
from portal.errors import PermissionDenied
from portal.imports.common import (
    HEADER,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_UNCOMPRESSED,
    Column,
    ImportInvalid,
    RowError,
    SheetCheck,
    check_text,
    to_sheet,
)
from portal.models import Agency
from portal.validation import limit

COLUMN_SERIAL = "序号"
COLUMN_CATEGORY = "类别"
COLUMN_TITLE = "事项名称"
COLUMN_SCOPE = "具体范围"
COLUMN_BASIS = "不予公开的法律政策依据"
COLUMN_NOTES = "说明"
COLUMN_UNIT = "责任处室"
PUBLIC_COLUMNS = (
    COLUMN_SERIAL,
    COLUMN_CATEGORY,
    COLUMN_TITLE,
    COLUMN_SCOPE,
    COLUMN_BASIS,
    COLUMN_NOTES,
)
# The columns by key (the entry's own field names where they are one); the other
# headers agencies use for the same columns in their own sheets are accepted.
COLUMNS = (
    Column("serial", COLUMN_SERIAL, (), False),
    Column("category", COLUMN_CATEGORY, (), True),
    Column("title", COLUMN_TITLE, ("事项", "事项名称/内容", "事项内容"), True),
    Column("scope", COLUMN_SCOPE, ("不予公开的具体范围",), True),
    Column("basis", COLUMN_BASIS, ("不予公开依据", "依据", "法律政策依据"), True),
    Column("notes", COLUMN_NOTES, ("备注",), False),
    Column("responsible_unit", COLUMN_UNIT, (), False),
)
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
CATEGORY_ALIASES = {
    "商业秘密": "third_party",
    "个人隐私": "third_party",
    "第三方合法权益": "third_party",
    "三安全一稳定": "security_stability",
    "内部事务": "internal_affairs",
    "过程性信息": "process_info",
    "行政执法案卷": "enforcement_file",
    "行政执法案卷信息": "enforcement_file",
    "法律法规禁止公开": "law_prohibited",
    "行政查询": "administrative_query",
}
MAX_ROWS = 2000

FILE_UNREADABLE = _("无法读取文件：请上传 .xlsx 或 .csv 格式的清单。")
MAX_IMPORT_ENTRIES = 1_000
FILE_TOO_LONG = _("文件超过%(max)d行，请拆分后导入。")
UNKNOWN_CATEGORY = _("无法识别类别“%(value)s”。")
UNKNOWN_PROVISION = _("依据目录中没有“%(value)s”，请先由政务公开办录入目录。")
NO_PROVISION_FOUND = _("未能识别依据，请按“《法律法规名称》第X条”填写。")


@dataclass
class ParsedRow:
    row: int
    cells: dict[str, str]
    content: EntryContent | None = None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """Return the sheet as rows of strings; the first row is the header.

    The file passes the upload door (``portal.uploads``): size, archive and XML
    guards, the declared sheet dimension ignored, rows, columns and cells capped
    while reading; a refusal names the file, row and column.
    """
    upload = uploads.admit(
        data,
        filename,
        kinds=("xlsx", "csv"),
        limits=uploads.upload_limits(
            max_bytes=MAX_IMPORT_BYTES,
            max_uncompressed=MAX_IMPORT_UNCOMPRESSED,
            max_members=MAX_IMPORT_ENTRIES,
        ),
        wrong_type=FILE_UNREADABLE,
    )
    return [[_cell(value) for value in row] for _, row in uploads.table_rows(upload)]


# --- matching categories and provisions ----------------------------------------------

_CITATION_RE = re.compile(r"(《[^》]+》)([^《；;\n]*)")
_ARTICLE_RE = re.compile(
    r"第[一二三四五六七八九十百零〇两\d]+条(?:第[一二三四五六七八九十\d]+款)?"
)


def _law_key(law: str) -> str:
    law = law.strip().strip("《》")
    law = re.sub(r"[（(]\d{4}年?[^）)]*[）)]$", "", law)
    return law.removeprefix("中华人民共和国")


class Catalogue:
    """Look categories and provisions up by the words spreadsheets use."""

    def __init__(self) -> None:
        self.categories: dict[str, Exemption] = {}
        for exemption in Exemption.objects.all():
            for key in (exemption.code, exemption.name, exemption.short_name):
                self.categories[key] = exemption
        for alias, code in CATEGORY_ALIASES.items():
            if code in self.categories:
                self.categories[alias] = self.categories[code]
        self.provisions: dict[str, list[Provision]] = {}
        for provision in Provision.objects.all():
            self.provisions.setdefault(_law_key(provision.law), []).append(provision)

    def category(self, value: str) -> Exemption | None:
        return self.categories.get(value.strip())

    def provision(self, law: str, article: str) -> Provision | None:
        candidates = self.provisions.get(_law_key(law), [])
        exact = [p for p in candidates if p.article == article]
        if not exact and article:
            exact = [p for p in candidates if p.article.startswith(article)]
        exact.sort(key=lambda p: p.is_repealed())  # in force first
        return exact[0] if exact else None

    def citations(self, text: str) -> list[tuple[str, str, str]]:
        """Return (law, article, as written) for each citation in a cell."""
        found = []
        for law, rest in _CITATION_RE.findall(text):
            articles = _ARTICLE_RE.findall(rest) or [""]
            found.extend((law, article, f"{law}{article}") for article in articles)
        return found


# --- validation ----------------------------------------------------------------------


# The limits of the entry's texts (portal.validation), per column of the file.
LIMITS = {
    "title": limit("entry", "title"),
    "scope": limit("entry", "scope"),
    "responsible_unit": limit("entry", "responsible_unit"),
    "notes": limit("entry", "notes"),
    "basis": limit("entry", "scope"),
}


class _Check(SheetCheck[ParsedRow]):
    """Check each row's texts, its category and its citations in the catalogue."""

    def run(self) -> list[ParsedRow]:
        catalogue = Catalogue()
        parsed_rows = []
        for number, cells in self.sheet.rows:
            parsed = ParsedRow(row=number, cells=cells)
            self._validate_row(parsed, catalogue)
            parsed_rows.append(parsed)
        return parsed_rows

    def _validate_row(self, parsed: ParsedRow, catalogue: Catalogue) -> None:
        before = len(self.errors)
        check_text(self.errors, self.sheet, parsed.row, parsed.cells, LIMITS, REQUIRED)
        category = self._category(parsed, catalogue)
        provisions = self._basis(parsed, catalogue)
        if len(self.errors) == before and category is not None:
            cells = parsed.cells
            parsed.content = EntryContent(
                category=category,
                title=cells["title"],
                scope=cells["scope"],
                provisions=tuple(provisions),
                responsible_unit=cells.get("responsible_unit", ""),
                notes=cells.get("notes", ""),
            )

    def _category(self, parsed: ParsedRow, catalogue: Catalogue) -> Exemption | None:
        value = parsed.cells.get("category")
        if not value:
            return None
        category = catalogue.category(value)
        if category is None:
            self.error(parsed.row, "category", UNKNOWN_CATEGORY % {"value": value})
        return category

    def _basis(self, parsed: ParsedRow, catalogue: Catalogue) -> list[Provision]:
        value = parsed.cells.get("basis")
        if not value:
            return []
        citations = catalogue.citations(value)
        if not citations:
            self.error(parsed.row, "basis", NO_PROVISION_FOUND)
        provisions: list[Provision] = []
        for law, article, written in citations:
            provision = catalogue.provision(law, article)
            if provision is None:
                self.error(parsed.row, "basis", UNKNOWN_PROVISION % {"value": written})
            elif provision not in provisions:
                provisions.append(provision)
        return provisions


def validate_rows(rows: list[list[str]]) -> list[ParsedRow]:
    """Validate every row (the first is the header); raise ``ImportInvalid``
    listing every problem by row and column."""
    header, *body = rows or [[]]
    if len(body) > MAX_ROWS:
        message = FILE_TOO_LONG % {"max": MAX_ROWS}
        raise ImportInvalid([RowError(1, HEADER, str(message))])
    numbered = ((n, cells) for n, cells in enumerate(body, start=2) if any(cells))
    return _Check.validate(to_sheet(header, numbered, COLUMNS))


@transaction.atomic
def entries_import(
    *,
    actor: User | None,
    agency: Agency,
    data: bytes,
    filename: str,
    progress: Callable[[list[ParsedRow]], Iterable[ParsedRow]] | None = None,
) -> list[Entry]:
    """Import a spreadsheet as draft entries of ``agency``: all rows or none.

    ``actor`` None means the management command run by an operator.
    ``progress`` wraps the validated rows to count them as they are written.
    """
    if actor is not None and not permissions.can_import_entries(actor, agency):
        raise PermissionDenied()
    parsed_rows = validate_rows(read_rows(data, filename))
    return [
        create_entry_unchecked(
            actor=actor, agency=agency, content=parsed.content, verb="import"
        )
        for parsed in (progress(parsed_rows) if progress else parsed_rows)
    ]
