"""Import an existing column (CSV, XLSX or JSON Lines) as published disclosures.

The whole file is read and validated before anything is written; one wrong row
means nothing is imported, and every error names its row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.imports.common import (
    HEADER,
    MISSING_COLUMNS,
    REQUIRED,
    TOO_LONG,
    ImportInvalid,
    RowError,
    read_table,
)
from portal.models import Agency, Topic
from portal.services import agency_create
from portal.validation import TEXT_LIMITS
from requests_.models import (
    Disclosure,
    DisclosureSource,
    DisclosureStatus,
    IndexCounter,
)
from requests_.models.disclosure import INDEX_NO_RE
from requests_.search_source import DOC_TYPE
from requests_.services._common import record
from requests_.services.disclosures import next_index_no

COLUMNS = (
    "index_no",
    "title",
    "body",
    "agency",
    "topic",
    "doc_no",
    "written_on",
    "published_on",
    "keywords",
    "summary",
)
IMPORT_KINDS = ("csv", "xlsx", "jsonl")
# The disclosure's text limits (portal.validation), plus the index number's column.
MAX_LENGTHS = {**TEXT_LIMITS["disclosure"], "index_no": 64}

UNSUPPORTED_FORMAT = _("不支持的文件格式：请使用 .csv、.xlsx 或 .jsonl。")
BAD_DATE = _("无法识别的日期“%(value)s”，请使用 2025-03-01 的格式。")
UNKNOWN_AGENCY = _("找不到机构“%(value)s”（可加 --create-agencies 自动创建）。")
UNKNOWN_TOPIC = _("找不到主题分类“%(value)s”。")
BAD_INDEX_NO = _("索引号“%(value)s”格式不对，应为“机构代码/年份-序号”。")
DUPLICATE_INDEX_NO = _("索引号“%(value)s”已存在。")
DUPLICATE_IN_FILE = _("索引号“%(value)s”在文件中重复（第 %(row)s 行）。")
BAD_JSON = _("不是有效的 JSON 对象。")
NO_ROOT = _("系统中还没有市政府，无法自动创建机构。")


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]
    agency: Agency | None = None
    new_agency: str = ""
    topic: Topic | None = None
    written_on: dt.date | None = None
    published_on: dt.date | None = None
    cleaned: dict[str, str] = field(default_factory=dict)


# --- Reading -----------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value
    return "" if value is None else str(value).strip()


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Return (row number, {column: value}) for every data row of the file."""
    return read_upload(path.read_bytes(), path.name)


def read_upload(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """Return (row number, {column: value}) for every data row of an upload.

    The file passes the upload door (``portal.uploads``) and is read through its
    guarded readers; a refusal names the file, row and column.
    """
    upload = uploads.admit(
        data, filename, kinds=IMPORT_KINDS, wrong_type=UNSUPPORTED_FORMAT
    )
    if upload.kind == "jsonl":
        return _jsonl_rows(upload)
    header, rows = read_table(upload, _cell)
    _check_header(header)
    return [
        (n, {h: value for h, value in zip(header, cells, strict=False) if h})
        for n, cells in rows
    ]


def _jsonl_rows(upload: uploads.Upload) -> list[tuple[int, dict[str, Any]]]:
    result = []
    errors = []
    for n, line in uploads.jsonl_records(upload):
        if line is None:
            errors.append(RowError(n, HEADER, str(BAD_JSON)))
            continue
        result.append((n, {k: _cell(v) for k, v in line.items()}))
    if errors:
        raise ImportInvalid(errors)
    return result


def _check_header(header: Iterable[str]) -> None:
    missing = [c for c in ("title", "agency") if c not in set(header)]
    if missing:
        message = MISSING_COLUMNS % {"columns": "、".join(missing)}
        raise ImportInvalid([RowError(1, HEADER, str(message))])


# --- Validation --------------------------------------------------------------------


def parse_date(value: Any) -> dt.date | None:
    """Read 2025-03-01, 2025/3/1, 2025.3.1 or 2025年3月1日 (or a spreadsheet date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", value
    )
    if match is None:
        raise ValueError(value)
    return dt.date(*(int(part) for part in match.groups()))


class _Lookup:
    def __init__(self) -> None:
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.all():
            self.agencies.setdefault(agency.code, agency)
            self.agencies.setdefault(agency.name, agency)
            if agency.short_name:
                self.agencies.setdefault(agency.short_name, agency)
        self.topics: dict[str, Topic] = {}
        for topic in Topic.objects.all():
            self.topics.setdefault(topic.code, topic)
            self.topics.setdefault(topic.name, topic)


def _text(parsed: ParsedRow, errors: list[RowError], name: str) -> None:
    value = parsed.values.get(name, "")
    value = (
        value.isoformat() if isinstance(value, dt.date) else str(value or "").strip()
    )
    if name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
        errors.append(
            RowError(parsed.row, name, str(TOO_LONG % {"n": MAX_LENGTHS[name]}))
        )
    parsed.cleaned[name] = value


def _check_index_no(parsed: ParsedRow, seen: dict[str, int]) -> list[RowError]:
    index_no = parsed.cleaned["index_no"]
    if not index_no:
        return []
    row = parsed.row
    message = None
    if not re.fullmatch(INDEX_NO_RE, index_no):
        message = BAD_INDEX_NO % {"value": index_no}
    elif index_no in seen:
        message = DUPLICATE_IN_FILE % {"value": index_no, "row": seen[index_no]}
    elif Disclosure.objects.filter(index_no=index_no).exists():
        message = DUPLICATE_INDEX_NO % {"value": index_no}
    seen.setdefault(index_no, row)
    return [RowError(row, "index_no", str(message))] if message else []


def _check_references(
    parsed: ParsedRow, lookup: _Lookup, create_agencies: bool
) -> list[RowError]:
    values, row = parsed.cleaned, parsed.row
    errors = []
    if values["agency"]:
        parsed.agency = lookup.agencies.get(values["agency"])
        if parsed.agency is None and create_agencies:
            parsed.new_agency = values["agency"]
        elif parsed.agency is None:
            message = UNKNOWN_AGENCY % {"value": values["agency"]}
            errors.append(RowError(row, "agency", str(message)))
    if values["topic"]:
        parsed.topic = lookup.topics.get(values["topic"])
        if parsed.topic is None:
            message = UNKNOWN_TOPIC % {"value": values["topic"]}
            errors.append(RowError(row, "topic", str(message)))
    return errors


def _validate_row(
    parsed: ParsedRow,
    lookup: _Lookup,
    create_agencies: bool,
    seen: dict[str, int],
) -> list[RowError]:
    errors: list[RowError] = []
    for name in COLUMNS:
        _text(parsed, errors, name)
    errors.extend(
        RowError(parsed.row, name, str(REQUIRED))
        for name in ("title", "agency")
        if not parsed.cleaned[name]
    )
    errors.extend(_check_references(parsed, lookup, create_agencies))
    for name in ("written_on", "published_on"):
        try:
            setattr(parsed, name, parse_date(parsed.values.get(name)))
        except (ValueError, TypeError):
            message = BAD_DATE % {"value": parsed.cleaned[name]}
            errors.append(RowError(parsed.row, name, str(message)))
    errors.extend(_check_index_no(parsed, seen))
    return errors


def validate_rows(
    rows: list[tuple[int, dict[str, Any]]], *, create_agencies: bool = False
) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; return the parsed rows and every error found."""
    lookup = _Lookup()
    seen: dict[str, int] = {}
    parsed_rows: list[ParsedRow] = []
    errors: list[RowError] = []
    for number, values in rows:
        parsed = ParsedRow(number, values)
        errors.extend(_validate_row(parsed, lookup, create_agencies, seen))
        parsed_rows.append(parsed)
    needs_root = create_agencies and any(p.new_agency for p in parsed_rows)
    if needs_root and not Agency.objects.filter(parent__isnull=True).exists():
        errors.append(RowError(parsed_rows[0].row, "agency", str(NO_ROOT)))
    return parsed_rows, errors


# --- Writing -----------------------------------------------------------------------


def _create_agency(value: str) -> Agency:
    """Create an agency named (or coded) ``value`` under the city, as a department."""
    root = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    looks_like_code = re.fullmatch(r"[0-9A-Za-z]{2,32}", value) is not None
    return agency_create(
        actor=None,
        code=value if looks_like_code else f"X{zlib.crc32(value.encode()):010d}",
        name=value,
        kind=Agency.Kind.DEPARTMENT,
        parent=root,
        sort_order=900,
    )


def _reserve(index_no: str, agency: Agency) -> None:
    """Advance the agency's counter past an imported number of its own pattern."""
    match = re.fullmatch(rf"{re.escape(agency.code)}/(\d{{4}})-(\d+)", index_no)
    if match is None:
        return
    year, serial = int(match.group(1)), int(match.group(2))
    counter, _ = IndexCounter.objects.select_for_update().get_or_create(
        agency=agency, year=year
    )
    if counter.last_serial < serial:
        counter.last_serial = serial
        counter.save(update_fields=["last_serial"])


@transaction.atomic
def disclosures_import(
    *,
    rows: list[tuple[int, dict[str, Any]]],
    create_agencies: bool = False,
    progress: Callable[[Iterable[ParsedRow]], Iterable[ParsedRow]] | None = None,
) -> list[Disclosure]:
    """Validate every row, then publish them all, or raise ``ImportInvalid``."""
    from search.outbox import enqueue

    parsed_rows, errors = validate_rows(rows, create_agencies=create_agencies)
    if errors:
        raise ImportInvalid(errors)
    created_agencies: dict[str, Agency] = {}
    now = timezone.now()
    result = []
    for parsed in progress(parsed_rows) if progress else parsed_rows:
        agency = parsed.agency
        if agency is None:
            agency = created_agencies.get(parsed.new_agency)
            if agency is None:
                agency = created_agencies[parsed.new_agency] = _create_agency(
                    parsed.new_agency
                )
        published_on = parsed.published_on or timezone.localdate()
        values = parsed.cleaned
        if values["index_no"]:
            index_no = values["index_no"]
            _reserve(index_no, agency)
        else:
            index_no = next_index_no(agency, published_on.year)
        publish_at = timezone.make_aware(
            dt.datetime.combine(published_on, dt.time(0, 0))
        )
        disclosure = Disclosure.objects.create(
            agency=agency,
            index_no=index_no,
            title=values["title"],
            body=values["body"],
            summary=values["summary"],
            keywords=values["keywords"],
            doc_no=values["doc_no"],
            topic=parsed.topic,
            written_on=parsed.written_on,
            source=DisclosureSource.IMPORT,
            status=DisclosureStatus.PUBLISHED,
            approved_at=now,
            publish_at=publish_at,
        )
        enqueue(doc_type=DOC_TYPE, object_id=disclosure.pk, action="upsert")
        record(actor=None, verb="disclosure.import", obj=disclosure)
        result.append(disclosure)
    return result


def import_file(path: Path, **kwargs: Any) -> list[Disclosure]:
    return disclosures_import(rows=read_rows(path), **kwargs)


__all__ = [
    "ImportInvalid",
    "RowError",
    "disclosures_import",
    "import_file",
    "read_rows",
    "read_upload",
]
