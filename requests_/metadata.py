"""Remove the metadata of a disclosure attachment before it is stored, and show
what metadata a stored file still carries.

A file published by the portal must not publish its author, the last editor, a
comment or a keyword typed into the file's properties: they are often a person's
name, phone or ID number and are never read by whoever approves the text.

- DOCX and XLSX are rebuilt member by member (the standard library's ``zipfile``
  and lxml): the core properties (``docProps/core.xml``: author, lastModifiedBy,
  title, subject, keywords, description, category, ...) and the app properties
  (``docProps/app.xml``: company, manager, template, ...) are emptied; the custom
  properties (``docProps/custom.xml``) are removed with their relationship and
  content type; a DOCX loses its comments parts (``word/comments*.xml``,
  ``word/people.xml``) and the comment anchors in its text, and every tracked
  change keeps its text but not who made it or when (``w:author`` becomes
  ``Author`` as Word's own inspector writes it; ``w:initials`` and ``w:date``
  go); an XLSX keeps its cell comments but not their authors (``xl/comments*.xml``
  authors, ``xl/persons``).
- A PDF is rewritten by pypdf without its document information dictionary
  (``/Info``), its XMP metadata stream (``/Metadata``, in the catalogue and on
  pages), page ``/PieceInfo`` and the author (``/T``) of its annotations.

A file that cannot be cleaned (an encrypted PDF) is refused with the reason.
The input has passed ``portal.uploads.admit`` (no entity declarations, bounded
sizes), and lxml still parses with entities and the network off.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from lxml import etree
from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.errors import DependencyError, FileNotDecryptedError
from pypdf.generic import NameObject

from django.utils.translation import gettext_lazy as _

from portal.uploads import CORRUPT, Upload, sniff_type

CANNOT_CLEAN_ENCRYPTED = _(
    "PDF文件已加密，无法去除其中的元数据（作者、主题等属性），请上传未加密的文件。"
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"<cp:coreProperties"
    b' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    b' xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"<Properties"
    b' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
NEUTRAL_AUTHOR = "Author"
REPLACED = {"docProps/core.xml": CORE_XML, "docProps/app.xml": APP_XML}
REMOVED = re.compile(
    r"^(docProps/custom\.xml|word/comments[A-Za-z]*\.xml|word/people\.xml)$"
)
# Excel writes xl/comments1.xml, openpyxl xl/comments/comment1.xml.
SHEET_COMMENTS = re.compile(r"xl/(comments[^/]*|comments/[^/]+)\.xml")
COMMENT_ANCHORS = {f"{{{W}}}{tag}" for tag in ("commentRangeStart", "commentRangeEnd")}
COMMENT_REFERENCE = f"{{{W}}}commentReference"
CHANGE_ATTRIBUTES = (f"{{{W}}}initials", f"{{{W}}}date")
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=_PARSER)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- Office ----------------------------------------------------------------------


def _rels_base(name: str) -> str:
    """Return the folder a .rels member's targets are relative to."""
    folder, _rels, _file = name.rpartition("_rels/")
    return folder.rstrip("/")


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target)) if base else target


def _clean_rels(name: str, data: bytes, removed: set[str]) -> bytes:
    root = _parse(data)
    base = _rels_base(name)
    for rel in list(root):
        if rel.get("TargetMode") == "External":
            continue
        if _target(base, rel.get("Target", "")) in removed:
            root.remove(rel)
    return _serialize(root)


def _clean_content_types(data: bytes, removed: set[str]) -> bytes:
    root = _parse(data)
    for override in list(root):
        if override.get("PartName", "").lstrip("/") in removed:
            root.remove(override)
    return _serialize(root)


def _clean_word_part(data: bytes) -> bytes:
    """Drop comment anchors and the who/when of tracked changes from a part."""
    root = _parse(data)
    for element in list(root.iter(*COMMENT_ANCHORS, COMMENT_REFERENCE)):
        element.getparent().remove(element)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if f"{{{W}}}author" in element.attrib:
            element.set(f"{{{W}}}author", NEUTRAL_AUTHOR)
        for attribute in CHANGE_ATTRIBUTES:
            element.attrib.pop(attribute, None)
    return _serialize(root)


def _clean_sheet_comments(data: bytes) -> bytes:
    root = _parse(data)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "author":
            element.text = ""
    return _serialize(root)


def _clean_persons(data: bytes) -> bytes:
    root = _parse(data)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "person":
            for attribute in ("displayName", "userId", "providerId"):
                if attribute in element.attrib:
                    element.set(attribute, "")
    return _serialize(root)


def _clean_member(name: str, data: bytes, removed: set[str]) -> bytes:
    if name in REPLACED:
        return REPLACED[name]
    if name == "[Content_Types].xml":
        return _clean_content_types(data, removed)
    if name.endswith(".rels"):
        return _clean_rels(name, data, removed)
    if name.startswith("word/") and name.endswith(".xml"):
        return _clean_word_part(data)
    if SHEET_COMMENTS.fullmatch(name):
        return _clean_sheet_comments(data)
    if name.startswith("xl/persons/") and name.endswith(".xml"):
        return _clean_persons(data)
    return data


def _clean_office(upload: Upload) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(upload.data))
    with source:
        infos = source.infolist()
        removed = {info.filename for info in infos if REMOVED.match(info.filename)}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                if info.filename in removed or info.is_dir():
                    continue
                data = _clean_member(info.filename, source.read(info), removed)
                target.writestr(info.filename, data)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------


def _pdf_reader(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    # An owner password alone still opens with the empty user password.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise FileNotDecryptedError("encrypted")
    return reader


def _clean_pdf(upload: Upload) -> bytes:
    try:
        reader = _pdf_reader(upload.data)
        writer = PdfWriter(clone_from=reader)
    except (FileNotDecryptedError, DependencyError) as exc:
        raise upload.refuse(CANNOT_CLEAN_ENCRYPTED, "file_encrypted") from exc
    except Exception as exc:  # pypdf raises many types on malformed input.
        raise upload.refuse(CORRUPT, "file_corrupt") from exc
    try:
        writer.metadata = None
        writer.xmp_metadata = None
        writer.root_object.pop(NameObject("/PieceInfo"), None)
        for page in writer.pages:
            page.pop(NameObject("/Metadata"), None)
            page.pop(NameObject("/PieceInfo"), None)
            for annotation in page.get("/Annots", None) or []:
                annotation.get_object().pop(NameObject("/T"), None)
        # What was unlinked above would otherwise still be written out.
        writer.compress_identical_objects(
            remove_duplicates=False, remove_unreferenced=True
        )
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # pypdf raises many types on malformed input.
        raise upload.refuse(CORRUPT, "file_corrupt") from exc
    return out.getvalue()


def clean(upload: Upload) -> bytes:
    """Return the file without its metadata, or raise ``UploadRefused`` saying why."""
    if upload.kind == "pdf":
        return _clean_pdf(upload)
    if upload.kind in ("docx", "xlsx"):
        try:
            return _clean_office(upload)
        except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError) as exc:
            raise upload.refuse(CORRUPT, "file_corrupt") from exc
    return upload.data


# --- what remains ----------------------------------------------------------------


def _leaves(data: bytes) -> Iterator[str]:
    """Yield "name: text" for every element holding text, and named attributes."""
    root = _parse(data)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        text = (element.text or "").strip()
        if text and not len(element):
            yield f"{local}: {text}"


def _attributes(data: bytes, names: tuple[str, ...]) -> Iterator[str]:
    root = _parse(data)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key, value in element.attrib.items():
            local = etree.QName(key).localname
            if local in names and value.strip() not in ("", NEUTRAL_AUTHOR):
                yield f"{local}: {value.strip()}"


def _custom_properties(data: bytes) -> Iterator[str]:
    for prop in _parse(data):
        value = "".join(prop.itertext()).strip()
        if value:
            yield f"{prop.get('name', '')}: {value}"


def _office_metadata(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = info.filename
            if name == "docProps/custom.xml":
                yield from _custom_properties(archive.read(info))
            elif name.startswith("docProps/") and name.endswith(".xml"):
                yield from _leaves(archive.read(info))
            elif re.fullmatch(r"word/[^/]+\.xml", name):
                yield from _attributes(archive.read(info), ("author", "initials"))
            elif SHEET_COMMENTS.fullmatch(name):
                root = _parse(archive.read(info))
                for element in root.iter():
                    if isinstance(element.tag, str) and (
                        etree.QName(element).localname == "author"
                        and (element.text or "").strip()
                    ):
                        yield f"author: {element.text.strip()}"
            elif name.startswith("xl/persons/"):
                yield from _attributes(
                    archive.read(info), ("displayName", "userId", "providerId")
                )


def _pdf_metadata(data: bytes) -> Iterator[str]:
    reader = _pdf_reader(data)
    for key, value in (reader.metadata or {}).items():
        if str(value).strip():
            yield f"{str(key).lstrip('/')}: {value}"
    xmp = reader.trailer["/Root"].get("/Metadata")
    if xmp is not None:
        yield from _xmp_text(xmp.get_object().get_data())
    for page in reader.pages:
        if "/Metadata" in page:
            yield from _xmp_text(page["/Metadata"].get_object().get_data())
        for annotation in page.get("/Annots", None) or []:
            author = annotation.get_object().get("/T")
            if author:
                yield f"T: {author}"


def _xmp_text(data: bytes) -> Iterator[str]:
    try:
        yield from _leaves(data)
    except etree.XMLSyntaxError:
        text = data.decode("utf-8", errors="replace").strip()
        if text:
            yield text


def metadata_text(data: bytes) -> str:
    """Render the metadata a PDF, DOCX or XLSX carries as text, one item a line.

    For a stored (cleaned) attachment this is normally empty; the personal-data
    screen reads it to catch whatever the cleaner missed. A file that cannot be
    read yields what could be read before the failure.
    """
    kind = sniff_type(data)
    lines: list[str] = []
    try:
        if kind == "pdf":
            lines.extend(_pdf_metadata(data))
        elif kind in ("docx", "xlsx"):
            lines.extend(_office_metadata(data))
    except Exception:  # noqa: S110 - a damaged file leaves what was read.
        pass
    return "\n".join(lines)


# --- attachments stored before cleaning -------------------------------------------


def clean_stored_attachment(attachment: Any) -> str:
    """Clean a stored attachment's file; return "" or why it could not be cleaned.

    The cleaned file replaces the stored one (under a new generated name), and the
    text is read again from it. ``attachment`` is a ``DisclosureAttachment`` (or
    its historical model in a migration).
    """
    from django.core.files.base import ContentFile

    from portal.uploads import UploadRefused, admit
    from requests_.extract import KINDS, extract_upload

    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    try:
        upload = admit(data, attachment.original_name or "attachment", kinds=KINDS)
        cleaned = clean(upload)
        result = extract_upload(replace(upload, data=cleaned))
    except UploadRefused as exc:
        return exc.message
    old_name = attachment.file.name
    attachment.file.save(f"attachment.{upload.kind}", ContentFile(cleaned), save=False)
    attachment.size = len(cleaned)
    attachment.extracted_text = result.text
    attachment.extraction_warnings = [str(w) for w in result.warnings]
    attachment.metadata_text = metadata_text(cleaned)
    attachment.metadata_removed = True
    attachment.save(
        update_fields=[
            "file",
            "size",
            "extracted_text",
            "extraction_warnings",
            "metadata_text",
            "metadata_removed",
        ]
    )
    attachment.file.storage.delete(old_name)
    return ""


__all__ = [
    "CANNOT_CLEAN_ENCRYPTED",
    "clean",
    "clean_stored_attachment",
    "metadata_text",
]
