"""Text extraction from disclosure attachments (PDF, DOCX, XLSX).

The text feeds the search index and, before approval, the personal-data screen, so
an attachment the portal cannot read must be refused rather than published
unscreened. Every file first passes ``portal.uploads.admit`` (the one door: size,
archive and XML entity guards, the type decided by the content); here the text is
read with the door's caps on rows, columns, cells, page content and text length.
``metadata_text`` (from ``requests_.metadata``) renders what metadata a file
still carries, for the screen.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

import docx
from docx.opc.part import XmlPart
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.uploads import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    TOO_LARGE,
    UNSAFE_XML,
    WRONG_TYPE,
    Limits,
    Upload,
    UploadRefused,
    sniff_type,
)
from requests_.metadata import metadata_text

Kind = Literal["pdf", "docx", "xlsx"]
KINDS: tuple[Kind, ...] = ("pdf", "docx", "xlsx")

WARN_EXTENSION = _("文件扩展名与实际内容（%(kind)s）不符。")
WARN_PAGE_FAILED = _("第%(page)d页的文字无法提取。")
WARN_NO_TEXT = _("未能提取到任何文字（可能是扫描件），请人工检查其中的个人信息。")
WARN_PAGES_WITHOUT_TEXT = _(
    "%(count)d页没有可提取的文字（可能是扫描图片），请人工检查。"
)
WARN_HIDDEN_SHEET = _("工作表“%(sheet)s”是隐藏的，但会随文件一起公开。")


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
# PDF


def _pdf_pages(upload: Upload) -> list[Any]:
    try:
        reader = PdfReader(io.BytesIO(upload.data))
        # An owner password alone still opens with the empty user password.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise upload.refuse(ENCRYPTED, "file_encrypted")
        return list(reader.pages)
    except UploadRefused:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise upload.refuse(ENCRYPTED, "file_encrypted") from exc
    except Exception as exc:  # pypdf raises many types on malformed input.
        raise upload.refuse(CORRUPT, "file_corrupt") from exc


def _page_text(upload: Upload, page: Any, number: int) -> str:
    """Return a page's text; its content is measured before it is parsed."""
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    uploads.check_page_content(upload, size, number)
    return page.extract_text() or ""


def _pdf_text(upload: Upload) -> ExtractedText:
    """Read every page; a page that fails or holds no text becomes a warning."""
    pages = _pdf_pages(upload)
    texts: list[str] = []
    warnings: list[str] = []
    blank = total = 0
    for number, page in enumerate(pages, start=1):
        try:
            text = _page_text(upload, page, number)
        except UploadRefused:
            raise
        except Exception:  # One broken page must not hide the rest.
            warnings.append(str(WARN_PAGE_FAILED % {"page": number}))
            text = ""
        total += len(text)
        uploads.check_text(upload, total, page=number)
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


def _docx_children(parent: Iterable[Any], tag: str) -> Iterator[Any]:
    """Yield the ``tag`` children of ``parent``, also inside content controls."""
    for child in parent:
        if child.tag == _W + tag:
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _docx_children(child, tag)


def _docx_table(table: Iterable[Any]) -> Iterator[str]:
    """Yield one line per row, cells joined by tabs, like the workbook text."""
    for row in _docx_children(table, "tr"):
        cells = [
            " ".join(line for line in _docx_blocks(cell) if line)
            for cell in _docx_children(row, "tc")
        ]
        yield "\t".join(cells)


DOCX_TEXT_PARTS = ("header", "footer", "footnotes", "endnotes", "comments")


def _docx_text(upload: Upload) -> ExtractedText:
    try:
        document = docx.Document(io.BytesIO(upload.data))
        lines = list(_docx_blocks(document.element.body))
        for part in document.part.package.iter_parts():
            name = str(part.partname).rsplit("/", 1)[-1]
            if isinstance(part, XmlPart) and name.startswith(DOCX_TEXT_PARTS):
                lines.extend(_docx_blocks(part.element))
    except Exception as exc:  # python-docx and lxml raise many types.
        raise upload.refuse(CORRUPT, "file_corrupt") from exc
    text = "\n".join(lines)
    uploads.check_text(upload, len(text))
    return ExtractedText(text, "docx")


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


def _xlsx_text(upload: Upload) -> ExtractedText:
    lines: list[str] = []
    warnings: list[str] = []
    total = 0
    with uploads.open_workbook(upload) as workbook:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                warnings.append(str(WARN_HIDDEN_SHEET % {"sheet": sheet.title}))
            lines.append(f"【{sheet.title}】")
            for number, row in uploads.sheet_rows(upload, sheet):
                cells = [_cell_text(value) for value in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    line = "\t".join(cells)
                    total += len(line) + 1
                    uploads.check_text(upload, total, sheet=sheet.title, row=number)
                    lines.append(line)
        sheets = len(workbook.worksheets)
    return ExtractedText("\n".join(lines), "xlsx", sheets=sheets, warnings=warnings)


# ---------------------------------------------------------------------------
# Entry point


def extract_upload(upload: Upload) -> ExtractedText:
    """Return the text of a PDF, DOCX or XLSX that passed the door."""
    if upload.kind == "pdf":
        result = _pdf_text(upload)
    elif upload.kind == "docx":
        result = _docx_text(upload)
    elif upload.kind == "xlsx":
        result = _xlsx_text(upload)
    else:
        labels = "、".join(uploads.KIND_LABELS[k] for k in KINDS)
        raise upload.refuse(WRONG_TYPE % {"kinds": labels}, "file_type")
    if not upload.name.lower().endswith(uploads.SUFFIXES[upload.kind]):
        kind = upload.kind.upper()
        result.warnings.insert(0, str(WARN_EXTENSION % {"kind": kind}))
    if not result.text.strip():
        result.warnings.append(str(WARN_NO_TEXT))
    return result


def extract_text(
    data: bytes,
    filename: str,
    content_type: str | None = None,
    *,
    limits: Limits | None = None,
) -> ExtractedText:
    """Return the text of a PDF, DOCX or XLSX attachment, or raise ``UploadRefused``.

    ``filename`` and ``content_type`` only produce a warning when they disagree with
    the content: both come from the uploader and decide nothing.
    """
    del content_type  # Accepted for the callers' convenience; never trusted.
    upload = uploads.admit(data, filename, kinds=KINDS, limits=limits)
    return extract_upload(upload)


__all__ = [
    "CORRUPT",
    "EMPTY",
    "ENCRYPTED",
    "TOO_LARGE",
    "UNSAFE_XML",
    "ExtractedText",
    "UploadRefused",
    "extract_text",
    "extract_upload",
    "metadata_text",
    "sniff_type",
]
