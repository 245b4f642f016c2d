"""Text extraction from disclosure attachments (PDF, DOCX, XLSX).

The text feeds the search index and, before approval, the personal-data screen, so
an attachment the portal cannot read must be refused rather than published
unscreened. The type is decided by the content (magic bytes and the ZIP directory),
never by the file name or the browser's content type, both of which the uploader
controls. Archives are checked before they are opened: their declared uncompressed
size (a zip bomb), the number of entries, and any DOCTYPE in their XML (entity
expansion).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

import docx
import openpyxl
from docx.opc.part import XmlPart
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError

Kind = Literal["pdf", "docx", "xlsx"]

MAX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
XML_PROLOG_BYTES = 64 * 1024
# Readers accept a header after some whitespace or a BOM; nothing else may precede it.
PDF_HEADER_WINDOW = 1024
PDF_LEADING_JUNK = b"\x00\t\n\r\f \xef\xbb\xbf"

TOO_LARGE = _("文件过大：附件不能超过%(limit)s MB。")
EMPTY = _("文件为空。")
UNSUPPORTED_TYPE = _(
    "不支持的文件类型：附件只能是PDF、Word（DOCX）或Excel（XLSX）文件。"
)
ZIP_BOMB = _("文件解压后过大或包含的条目过多，可能是恶意压缩文件，已拒绝。")
UNSAFE_XML = _("文件包含不安全的XML声明（DOCTYPE），已拒绝。")
ENCRYPTED = _("PDF文件已加密，无法读取。请上传未加密的文件。")
CORRUPT = _("文件已损坏或格式无效，无法读取其中的文字。")

WARN_EXTENSION = _("文件扩展名与实际内容（%(kind)s）不符。")
WARN_PAGE_FAILED = _("第%(page)d页的文字无法提取。")
WARN_NO_TEXT = _("未能提取到任何文字（可能是扫描件），请人工检查其中的个人信息。")
WARN_PAGES_WITHOUT_TEXT = _(
    "%(count)d页没有可提取的文字（可能是扫描图片），请人工检查。"
)
WARN_HIDDEN_SHEET = _("工作表“%(sheet)s”是隐藏的，但会随文件一起公开。")

EXTENSIONS = {"pdf": (".pdf",), "docx": (".docx",), "xlsx": (".xlsx",)}


class ExtractionError(DomainError):
    """An attachment was refused: wrong type, too large, unsafe or unreadable."""

    def __init__(self, message: object, code: str) -> None:
        super().__init__(message, code=code, field="attachment")


@dataclass
class ExtractedText:
    """The text of one attachment and what the reviewer should know about it.

    ``pages`` is set for a PDF, ``sheets`` for a workbook; ``warnings`` are Chinese
    sentences for the reviewer (scanned pages, hidden sheets, a misleading name).
    """

    text: str
    kind: Kind
    pages: int | None = None
    sheets: int | None = None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Sniffing


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _office_kind(archive: zipfile.ZipFile) -> Kind | None:
    names = set(archive.namelist())
    is_docx = "word/document.xml" in names
    is_xlsx = "xl/workbook.xml" in names
    if is_docx == is_xlsx:  # Neither, or a crafted file claiming to be both.
        return None
    return "docx" if is_docx else "xlsx"


def sniff_type(data: bytes) -> Kind | None:
    """Return "pdf", "docx" or "xlsx" judged by the content alone, else None."""
    if data[:PDF_HEADER_WINDOW].lstrip(PDF_LEADING_JUNK).startswith(b"%PDF-"):
        return "pdf"
    archive = _open_zip(data)
    if archive is None:
        return None
    with archive:
        return _office_kind(archive)


# ---------------------------------------------------------------------------
# Archive guards


_ROOT_TAG_RE = re.compile(r"<[A-Za-z_]")


def _prolog_is_safe(head: bytes) -> bool:
    """Tell whether the XML before the root element declares no DOCTYPE.

    A DOCTYPE can only precede the root element, so the prolog is all that needs
    reading; Office documents never carry one.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    root = _ROOT_TAG_RE.search(text)
    prolog = (text[: root.start()] if root else text).upper()
    return "<!DOCTYPE" not in prolog and "<!ENTITY" not in prolog


def _check_archive(archive: zipfile.ZipFile, max_uncompressed: int) -> None:
    """Refuse an archive whose directory promises too much or whose XML is unsafe.

    The declared sizes bound what ``zipfile`` will inflate (it stops at the declared
    size and fails the CRC), so checking them before opening is enough.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ExtractionError(ZIP_BOMB, "zip_bomb")
    if sum(info.file_size for info in infos) > max_uncompressed:
        raise ExtractionError(ZIP_BOMB, "zip_bomb")
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as member:
                head = member.read(XML_PROLOG_BYTES)
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise ExtractionError(CORRUPT, "corrupt") from exc
        if not _prolog_is_safe(head):
            raise ExtractionError(UNSAFE_XML, "unsafe_xml")


# ---------------------------------------------------------------------------
# PDF


def _pdf_text(data: bytes) -> ExtractedText:
    """Read every page; a page that fails or holds no text becomes a warning."""
    try:
        reader = PdfReader(io.BytesIO(data))
        # An owner password alone still opens with the empty user password.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ExtractionError(ENCRYPTED, "encrypted")
        pages = list(reader.pages)
    except ExtractionError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise ExtractionError(ENCRYPTED, "encrypted") from exc
    except Exception as exc:  # pypdf raises many types on malformed input.
        raise ExtractionError(CORRUPT, "corrupt") from exc
    texts: list[str] = []
    warnings: list[str] = []
    blank = 0
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # One broken page must not hide the rest.
            warnings.append(str(WARN_PAGE_FAILED % {"page": number}))
            text = ""
        blank += not text.strip()
        texts.append(text)
    if blank and blank < len(pages):
        warnings.append(str(WARN_PAGES_WITHOUT_TEXT % {"count": blank}))
    return ExtractedText("\n\f".join(texts), "pdf", pages=len(pages), warnings=warnings)


# ---------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _docx_blocks(element: Iterable[Any]) -> Iterator[str]:
    """Yield the lines of a WordprocessingML container in document order.

    Walk the XML instead of python-docx's paragraph list so content controls
    (w:sdt, common in application forms), tracked changes, text boxes, headers,
    footers, footnotes and comments are read too: all of them are published with
    the file.
    """
    for child in element:
        if child.tag == _W + "p":
            yield _docx_paragraph(child)
        elif child.tag == _W + "tbl":
            yield from _docx_table(child)
        elif isinstance(child.tag, str):
            yield from _docx_blocks(child)


def _docx_paragraph(paragraph: Iterable[Any]) -> str:
    parts: list[str] = []
    for child in paragraph:
        tag = child.tag
        if tag in (_W + "t", _W + "delText"):
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag in (_W + "p", _W + "tbl"):  # Inside a text box.
            parts.append("\n" + "\n".join(_docx_blocks([child])) + "\n")
        elif tag == _MC_FALLBACK:
            continue  # The same text box again, for older readers.
        elif isinstance(tag, str):
            parts.append(_docx_paragraph(child))
    return "".join(parts)


def _docx_cells(row: Iterable[Any]) -> Iterator[Any]:
    for child in row:
        if child.tag == _W + "tc":
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _docx_cells(child)


def _docx_rows(table: Iterable[Any]) -> Iterator[Any]:
    for child in table:
        if child.tag == _W + "tr":
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _docx_rows(child)


def _docx_table(table: Iterable[Any]) -> Iterator[str]:
    """Yield one line per row, cells joined by tabs, like the workbook text."""
    for row in _docx_rows(table):
        cells = [
            " ".join(line for line in _docx_blocks(cell) if line)
            for cell in _docx_cells(row)
        ]
        yield "\t".join(cells)


DOCX_TEXT_PARTS = ("header", "footer", "footnotes", "endnotes", "comments")


def _docx_text(data: bytes) -> ExtractedText:
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_blocks(document.element.body))
        for part in document.part.package.iter_parts():
            name = str(part.partname).rsplit("/", 1)[-1]
            if isinstance(part, XmlPart) and name.startswith(DOCX_TEXT_PARTS):
                lines.extend(_docx_blocks(part.element))
    except Exception as exc:  # python-docx and lxml raise many types.
        raise ExtractionError(CORRUPT, "corrupt") from exc
    return ExtractedText("\n".join(lines), "docx")


# ---------------------------------------------------------------------------
# XLSX


def _cell_text(value: object) -> str:
    """Render a cell as a person reads it: 13800138000, not 13800138000.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _xlsx_text(data: bytes) -> ExtractedText:
    lines: list[str] = []
    warnings: list[str] = []
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
        try:
            for sheet in workbook.worksheets:
                if sheet.sheet_state != "visible":
                    warnings.append(str(WARN_HIDDEN_SHEET % {"sheet": sheet.title}))
                # A stale <dimension> would cut rows off; read what is there.
                sheet.reset_dimensions()
                lines.append(f"【{sheet.title}】")
                for row in sheet.iter_rows(values_only=True):
                    cells = [_cell_text(value) for value in row]
                    while cells and not cells[-1]:
                        cells.pop()
                    if cells:
                        lines.append("\t".join(cells))
            sheets = len(workbook.worksheets)
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many types on malformed input.
        raise ExtractionError(CORRUPT, "corrupt") from exc
    return ExtractedText("\n".join(lines), "xlsx", sheets=sheets, warnings=warnings)


# ---------------------------------------------------------------------------
# Entry point


def extract_text(
    data: bytes,
    filename: str,
    content_type: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> ExtractedText:
    """Return the text of a PDF, DOCX or XLSX attachment, or raise ``ExtractionError``.

    ``filename`` and ``content_type`` only produce a warning when they disagree with
    the content: both come from the uploader and decide nothing.
    """
    del content_type  # Accepted for the callers' convenience; never trusted.
    if len(data) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):g}"
        raise ExtractionError(TOO_LARGE % {"limit": limit}, "too_large")
    if not data:
        raise ExtractionError(EMPTY, "empty")
    kind = sniff_type(data)
    if kind is None:
        raise ExtractionError(UNSUPPORTED_TYPE, "unsupported_type")
    if kind == "pdf":
        result = _pdf_text(data)
    else:
        archive = _open_zip(data)
        if archive is None:  # pragma: no cover - sniff_type opened it already.
            raise ExtractionError(CORRUPT, "corrupt")
        with archive:
            _check_archive(archive, max_uncompressed_bytes)
        result = _docx_text(data) if kind == "docx" else _xlsx_text(data)
    if not (filename or "").lower().endswith(EXTENSIONS[kind]):
        result.warnings.insert(0, str(WARN_EXTENSION % {"kind": kind.upper()}))
    if not result.text.strip():
        result.warnings.append(str(WARN_NO_TEXT))
    return result
