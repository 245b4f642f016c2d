"""One door for every uploaded file.

Disclosure attachments, the reply letter, both spreadsheet imports and the input
file of a background job all pass ``admit`` before anything else reads them, and
read tables through ``table_rows`` / ``jsonl_records``, so one set of guards holds
everywhere:

- the size of the upload;
- for a ZIP (DOCX, XLSX): the number of members, their total uncompressed size and
  each member's compression ratio, read from the directory before anything is
  inflated (``zipfile`` never inflates a member beyond its declared size);
- every member is then streamed in chunks (with an overlap, so a token split
  between chunks is still seen) and refused if it holds ``<!DOCTYPE`` or
  ``<!ENTITY`` anywhere, in UTF-8, UTF-16 or UTF-32: Office files never declare
  entities, and a declaration after a long comment is still a declaration;
- a spreadsheet's declared dimension is ignored (openpyxl read-only mode and
  ``reset_dimensions``), and rows, columns and cell length are capped while the
  rows stream, so a sheet claiming ``A1:XFD1048576`` or holding one cell in
  column XFD per row is refused at the first offending row;
- CSV and JSON Lines: the same caps, and an encoding that cannot be read is named;
- extracted text is capped (``check_text``).

A refusal is ``UploadRefused``, one ``DomainError`` whose message names the file
and, where it applies, the archive member, the sheet, the row and the column (or
the page). The type is decided by the content, never by the name or the browser's
content type, both of which the uploader controls.

The limits are the module constants below; a deployment may override any of them
with the ``GONGKAI_UPLOAD_LIMITS`` setting (a dict keyed by ``Limits`` field).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import PurePath
from typing import Any, Literal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError

Kind = Literal["pdf", "docx", "xlsx", "csv", "jsonl"]
OFFICE_KINDS: tuple[Kind, ...] = ("docx", "xlsx")
ALL_KINDS: tuple[Kind, ...] = ("pdf", "docx", "xlsx", "csv", "jsonl")
SUFFIXES: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx", ".xlsm"),
    "csv": (".csv",),
    "jsonl": (".jsonl", ".ndjson", ".json"),
}
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "csv": "CSV",
    "jsonl": "JSON Lines",
}

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Small members may compress far better than that (an empty sheet, a style list);
# below this size a high ratio costs nothing and is not judged.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 256
MAX_CELL_CHARS = 100_000
MAX_TEXT_CHARS = 2_000_000
MAX_LINE_CHARS = 1_000_000
MAX_PDF_PAGE_CONTENT_BYTES = 16 * 1024 * 1024
SCAN_CHUNK_BYTES = 64 * 1024
PDF_HEADER_WINDOW = 1024
# Readers accept a header after some whitespace or a BOM; nothing else may precede it.
PDF_LEADING_JUNK = b"\x00\t\n\r\f \xef\xbb\xbf"
XML_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"}

# --- messages ------------------------------------------------------------------------

FILE_AT = _("文件“%(name)s”")
MEMBER_AT = _("中的“%(member)s”")
SHEET_AT = _("工作表“%(sheet)s”")
ROW_AT = _("第%(row)d行")
COLUMN_AT = _("第%(column)s列")
PAGE_AT = _("第%(page)d页")

TOO_LARGE = _("超过%(limit)s MB的上限。")
EMPTY = _("文件为空。")
WRONG_TYPE = _("此处只接受%(kinds)s文件（按文件内容判断，而非文件名）。")
NAME_MISMATCH = _("文件扩展名与实际内容（%(kind)s）不符。")
CORRUPT = _("文件已损坏或格式无效，无法读取。")
ENCRYPTED = _("PDF文件已加密，无法读取。请上传未加密的文件。")
TOO_MANY_MEMBERS = _(
    "压缩包有%(count)d个条目，超过%(limit)d个的上限，可能是恶意文件，已拒绝。"
)
TOO_MUCH_UNCOMPRESSED = _(
    "解压后共%(size)s MB，超过%(limit)s MB的上限，可能是恶意压缩文件，已拒绝。"
)
RATIO_TOO_HIGH = _(
    "压缩比为%(ratio)d:1，超过%(limit)d:1的上限，可能是压缩炸弹，已拒绝。"
)
UNSAFE_XML = _(
    "含有XML的DOCTYPE或ENTITY声明（可被用于实体扩展攻击，Office文件从不包含），已拒绝。"
)
UNSAFE_ENCODING = _("XML声明了不受支持的编码“%(encoding)s”，已拒绝。")
TOO_MANY_ROWS = _("超过%(limit)d行的上限，请拆分后再上传。")
TOO_MANY_COLUMNS = _("超过%(limit)d列的上限。")
CELL_TOO_LONG = _("内容有%(length)d个字符，超过%(limit)d个的上限。")
LINE_TOO_LONG = _("这一行有%(length)d个字符，超过%(limit)d个的上限。")
TEXT_TOO_LONG = _("提取出的文字超过%(limit)d个字符的上限。")
PAGE_TOO_COMPLEX = _("页面内容解压后超过%(limit)s MB的上限，已拒绝。")
BAD_ENCODING = _("无法识别的文字编码，请另存为UTF-8（或GB18030）编码后再上传。")
BAD_CSV = _("CSV格式错误：%(error)s。")


# --- limits --------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The caps one upload is held to; see the module constants."""

    max_bytes: int = MAX_UPLOAD_BYTES
    max_members: int = MAX_ARCHIVE_MEMBERS
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES
    max_ratio: int = MAX_COMPRESSION_RATIO
    ratio_floor: int = RATIO_FLOOR_BYTES
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS
    max_text_chars: int = MAX_TEXT_CHARS
    max_line_chars: int = MAX_LINE_CHARS
    max_page_content: int = MAX_PDF_PAGE_CONTENT_BYTES


def upload_limits(**narrower: int) -> Limits:
    """Return the limits: the constants, the setting, then a caller's own caps.

    A caller may only tighten what the deployment allows: each of ``narrower``
    takes effect when it is below the configured value.
    """
    configured = getattr(settings, "GONGKAI_UPLOAD_LIMITS", None) or {}
    names = {f.name for f in fields(Limits)}
    base = replace(Limits(), **{k: int(v) for k, v in configured.items() if k in names})
    return replace(
        base,
        **{k: min(v, getattr(base, k)) for k, v in narrower.items() if k in names},
    )


# --- the error -----------------------------------------------------------------------


def display_name(filename: str) -> str:
    """Return the last component of an uploaded name, printable, for messages."""
    base = PurePath((filename or "").replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable())
    return cleaned[:100] or "upload"


def column_letter(index: int) -> str:
    """Name a 1-based column as a spreadsheet does (1 → A, 16384 → XFD)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class UploadRefused(DomainError):
    """An uploaded file was refused by one of the door's guards.

    The message names the file and, where it applies, the archive member, the
    sheet, the row, the column and the page; each is also kept as an attribute.
    """

    def __init__(
        self,
        reason: object,
        *,
        code: str,
        filename: str,
        member: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        page: int | None = None,
        field: str | None = "file",
    ) -> None:
        parts = [str(FILE_AT % {"name": filename})]
        if member:
            parts.append(str(MEMBER_AT % {"member": member}))
        if sheet:
            parts.append(str(SHEET_AT % {"sheet": sheet}))
        if row is not None:
            parts.append(str(ROW_AT % {"row": row}))
        if column:
            parts.append(str(COLUMN_AT % {"column": column}))
        if page is not None:
            parts.append(str(PAGE_AT % {"page": page}))
        super().__init__(f"{''.join(parts)}：{reason}", code=code, field=field)
        self.reason = str(reason)
        self.filename = filename
        self.member = member
        self.sheet = sheet
        self.row = row
        self.column = column
        self.page = page


@dataclass(frozen=True)
class Upload:
    """A file that passed the door: its bytes, the kind its content shows."""

    name: str
    data: bytes
    kind: Kind
    limits: Limits
    field: str | None = "file"

    def refuse(self, reason: object, code: str, **where: Any) -> UploadRefused:
        """Return the door's error for this file at ``where``."""
        return UploadRefused(
            reason, code=code, filename=self.name, field=self.field, **where
        )


# --- sniffing ------------------------------------------------------------------------


def is_pdf(data: bytes) -> bool:
    return data[:PDF_HEADER_WINDOW].lstrip(PDF_LEADING_JUNK).startswith(b"%PDF-")


def office_kind(names: Collection[str]) -> Kind | None:
    """Tell a DOCX from an XLSX by the parts it holds (neither, or both: None)."""
    is_docx = "word/document.xml" in names
    is_xlsx = "xl/workbook.xml" in names
    if is_docx == is_xlsx:
        return None
    return "docx" if is_docx else "xlsx"


def sniff_type(data: bytes) -> Kind | None:
    """Return "pdf", "docx" or "xlsx" judged by the content alone, else None.

    Only a look: the archive is opened but not inflated; ``admit`` guards it.
    """
    if is_pdf(data):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return office_kind(set(archive.namelist()))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


# --- the archive guards --------------------------------------------------------------

_TOKENS = (b"<!DOCTYPE", b"<!ENTITY")
_CODECS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
UNSAFE_PATTERNS = tuple(
    token.decode("ascii").encode(codec) for token in _TOKENS for codec in _CODECS
)
SCAN_OVERLAP = max(len(p) for p in UNSAFE_PATTERNS) - 1
_ENCODING_RE = re.compile(r"""encoding\s*=\s*["']([^"']{1,40})["']""")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unknown compression method
)


def _declared_encoding(head: bytes) -> str | None:
    """Return the encoding an XML declaration names, lower-cased, if any."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    elif head[:2] in (b"<\x00", b"\x00<"):
        codec = "utf-16-le" if head[:1] == b"<" else "utf-16-be"
        text = head.decode(codec, errors="ignore")
    else:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("<?xml"):
        return None
    declaration = text[: text.find("?>") + 2 if "?>" in text else 200]
    match = _ENCODING_RE.search(declaration)
    return match.group(1).strip().lower() if match else None


def _scan_member(
    upload_name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, field: str | None
) -> None:
    """Stream one member and refuse it if an entity declaration occurs anywhere."""
    member = info.filename
    tail = b""
    first = True
    with archive.open(info) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            if first:
                encoding = _declared_encoding(chunk[:400])
                if encoding is not None and encoding not in XML_ENCODINGS:
                    raise UploadRefused(
                        UNSAFE_ENCODING % {"encoding": encoding},
                        code="unsafe_xml",
                        filename=upload_name,
                        member=member,
                        field=field,
                    )
                first = False
            window = tail + chunk.upper()
            if any(pattern in window for pattern in UNSAFE_PATTERNS):
                raise UploadRefused(
                    UNSAFE_XML,
                    code="unsafe_xml",
                    filename=upload_name,
                    member=member,
                    field=field,
                )
            tail = window[-SCAN_OVERLAP:]


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.3g}"


def check_archive(
    data: bytes, name: str, limits: Limits, field: str | None
) -> Kind | None:
    """Guard a ZIP and return the Office kind it holds (or None).

    The directory is judged first (member count, declared total, each member's
    ratio), then every member is streamed through the entity scan.
    """

    def refuse(reason: object, code: str, **where: Any) -> UploadRefused:
        return UploadRefused(reason, code=code, filename=name, field=field, **where)

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise refuse(CORRUPT, "file_corrupt") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise refuse(
                TOO_MANY_MEMBERS % {"count": len(infos), "limit": limits.max_members},
                "archive_members",
            )
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed:
            reason = TOO_MUCH_UNCOMPRESSED % {
                "size": _mb(total),
                "limit": _mb(limits.max_uncompressed),
            }
            raise refuse(reason, "archive_too_large")
        for info in infos:
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                reason = RATIO_TOO_HIGH % {"ratio": ratio, "limit": limits.max_ratio}
                raise refuse(reason, "archive_ratio", member=info.filename)
        try:
            for info in infos:
                _scan_member(name, archive, info, field)
        except UploadRefused:
            raise
        except _ZIP_ERRORS as exc:
            raise refuse(CORRUPT, "file_corrupt") from exc
        return office_kind({info.filename for info in infos})


# --- the door ------------------------------------------------------------------------


def admit(
    data: bytes,
    filename: str,
    *,
    kinds: Collection[Kind] = ALL_KINDS,
    limits: Limits | None = None,
    field: str | None = "file",
    name_must_match: bool = False,
    wrong_type: object | None = None,
) -> Upload:
    """Pass ``data`` through the door, or raise ``UploadRefused``.

    ``kinds`` are the kinds the caller accepts; a CSV or JSON Lines file is
    recognised by its name only when its content is neither a PDF nor a ZIP.
    ``name_must_match`` also refuses a file whose extension lies about its
    content. ``wrong_type`` replaces the generic type message.
    """
    limits = limits or upload_limits()
    name = display_name(filename)

    def refuse(reason: object, code: str) -> UploadRefused:
        return UploadRefused(reason, code=code, filename=name, field=field)

    if len(data) > limits.max_bytes:
        raise refuse(TOO_LARGE % {"limit": _mb(limits.max_bytes)}, "file_too_large")
    if not data:
        raise refuse(EMPTY, "file_empty")
    suffix = PurePath(name).suffix.lower()
    kind: Kind | None
    if is_pdf(data):
        kind = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        kind = check_archive(data, name, limits, field)
    else:
        kind = next((k for k in ("csv", "jsonl") if suffix in SUFFIXES[k]), None)  # type: ignore[assignment]
    if kind is None or kind not in kinds:
        labels = "、".join(KIND_LABELS[k] for k in kinds)
        raise refuse(wrong_type or WRONG_TYPE % {"kinds": labels}, "file_type")
    if name_must_match and suffix not in SUFFIXES[kind]:
        raise refuse(
            wrong_type or NAME_MISMATCH % {"kind": KIND_LABELS[kind]}, "file_type"
        )
    return Upload(name=name, data=data, kind=kind, limits=limits, field=field)


def admit_file(
    file: Any, *, limits: Limits | None = None, name: str | None = None, **options: Any
) -> Upload:
    """Read an uploaded file object (no further than one byte past the cap) and
    ``admit`` it; the file is left at its start for whoever stores it."""
    limits = limits or upload_limits()
    file.seek(0)
    data = file.read(limits.max_bytes + 1)
    file.seek(0)
    return admit(
        data, name if name is not None else file.name, limits=limits, **options
    )


def check_text(upload: Upload, length: int, **where: Any) -> None:
    """Refuse the file once the text extracted from it passes the cap."""
    if length > upload.limits.max_text_chars:
        raise upload.refuse(
            TEXT_TOO_LONG % {"limit": upload.limits.max_text_chars},
            "text_too_long",
            **where,
        )


def check_page_content(upload: Upload, size: int, page: int) -> None:
    """Refuse a PDF page whose content stream inflates past the cap."""
    if size > upload.limits.max_page_content:
        reason = PAGE_TOO_COMPLEX % {"limit": _mb(upload.limits.max_page_content)}
        raise upload.refuse(reason, "pdf_page_too_large", page=page)


# --- tables --------------------------------------------------------------------------


def _check_row(upload: Upload, number: int, row: Any, sheet: str | None) -> None:
    caps = upload.limits
    if number > caps.max_rows:
        raise upload.refuse(
            TOO_MANY_ROWS % {"limit": caps.max_rows},
            "too_many_rows",
            sheet=sheet,
            row=number,
        )
    if len(row) > caps.max_columns:
        raise upload.refuse(
            TOO_MANY_COLUMNS % {"limit": caps.max_columns},
            "too_many_columns",
            sheet=sheet,
            row=number,
            column=column_letter(len(row)),
        )
    for index, value in enumerate(row, start=1):
        if isinstance(value, str) and len(value) > caps.max_cell_chars:
            raise upload.refuse(
                CELL_TOO_LONG % {"length": len(value), "limit": caps.max_cell_chars},
                "cell_too_long",
                sheet=sheet,
                row=number,
                column=column_letter(index),
            )


@contextmanager
def open_workbook(upload: Upload) -> Iterator[Any]:
    """Open an admitted XLSX read-only (streaming), closed on leaving."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(
            io.BytesIO(upload.data), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many types on malformed input.
        raise upload.refuse(CORRUPT, "file_corrupt") from exc
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_rows(
    upload: Upload, sheet: Any, *, name_sheet: bool = True
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield (row number, values) of a read-only sheet, guarded while streaming.

    The sheet's declared ``<dimension>`` is dropped first: a file may claim
    ``A1:XFD1048576`` and openpyxl would pad every row to it. Rows then carry
    only the cells they hold; a row reaching past the column cap, a row number
    past the row cap, or a cell past the length cap stops the reading there.
    """
    sheet.reset_dimensions()
    # openpyxl raises many types on malformed input.
    yield from _guarded_rows(
        upload,
        sheet.iter_rows(values_only=True),
        sheet=sheet.title if name_sheet else None,
        errors=Exception,
        reason=lambda exc: CORRUPT,
    )


def _guarded_rows(
    upload: Upload,
    rows: Iterator[Any],
    *,
    sheet: str | None,
    errors: type[Exception],
    reason: Callable[[Exception], object],
) -> Iterator[tuple[int, Any]]:
    """Number the rows of a reader and check each against the caps as it comes.

    A reader error (one of ``errors``) is refused as a corrupt file at the row
    the reader stopped at, with ``reason(error)`` as the message.
    """
    number = 0
    while True:
        try:
            row = next(rows, None)
        except errors as exc:
            raise upload.refuse(
                reason(exc), "file_corrupt", sheet=sheet, row=number + 1
            ) from exc
        if row is None:
            return
        number += 1
        _check_row(upload, number, row, sheet)
        yield number, row


def _decode(upload: Upload, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            return upload.data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Name the line of the first byte that is not UTF-8.
    try:
        upload.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = upload.data.count(b"\n", 0, exc.start) + 1
    else:  # pragma: no cover - decoded above
        line = 1
    raise upload.refuse(BAD_ENCODING, "file_encoding", row=line)


def _csv_rows(upload: Upload) -> Iterator[tuple[int, list[str]]]:
    # Excel on Chinese Windows saves CSV as GB18030 unless told otherwise.
    text = _decode(upload, ("utf-8-sig", "gb18030"))
    yield from _guarded_rows(
        upload,
        csv.reader(io.StringIO(text, newline="")),
        sheet=None,
        errors=csv.Error,
        reason=lambda exc: BAD_CSV % {"error": exc},
    )


def table_rows(upload: Upload) -> Iterator[tuple[int, tuple[Any, ...] | list[str]]]:
    """Yield (row number, values) of a CSV or of an XLSX's first sheet, guarded."""
    if upload.kind == "csv":
        yield from _csv_rows(upload)
        return
    if upload.kind != "xlsx":
        raise upload.refuse(WRONG_TYPE % {"kinds": "CSV、Excel（XLSX）"}, "file_type")
    with open_workbook(upload) as workbook:
        if not workbook.worksheets:
            raise upload.refuse(CORRUPT, "file_corrupt")
        yield from sheet_rows(upload, workbook.worksheets[0], name_sheet=False)


def jsonl_records(upload: Upload) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Yield (line number, object) of a JSON Lines file; None for a bad line.

    Blank lines are skipped; the line count, each line's length, the number of
    keys and every string value are capped like a sheet's rows and cells.
    """
    text = _decode(upload, ("utf-8-sig",))
    caps = upload.limits
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if number > caps.max_rows:
            raise upload.refuse(
                TOO_MANY_ROWS % {"limit": caps.max_rows}, "too_many_rows", row=number
            )
        if len(line) > caps.max_line_chars:
            raise upload.refuse(
                LINE_TOO_LONG % {"length": len(line), "limit": caps.max_line_chars},
                "cell_too_long",
                row=number,
            )
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            record = None
        if not isinstance(record, dict):
            yield number, None
            continue
        _check_record(upload, number, record)
        yield number, record


def _check_record(upload: Upload, number: int, record: dict[str, Any]) -> None:
    caps = upload.limits
    if len(record) > caps.max_columns:
        raise upload.refuse(
            TOO_MANY_COLUMNS % {"limit": caps.max_columns},
            "too_many_columns",
            row=number,
        )
    for key, value in record.items():
        if isinstance(value, str) and len(value) > caps.max_cell_chars:
            raise upload.refuse(
                CELL_TOO_LONG % {"length": len(value), "limit": caps.max_cell_chars},
                "cell_too_long",
                row=number,
                column=str(key)[:40],
            )


__all__ = [
    "ALL_KINDS",
    "Limits",
    "Upload",
    "UploadRefused",
    "admit",
    "check_page_content",
    "check_text",
    "jsonl_records",
    "open_workbook",
    "sheet_rows",
    "sniff_type",
    "table_rows",
    "upload_limits",
]
