"""Attachment text extraction, and the personal-data screen run on attachments.

Every file is a real file built here: a PDF written object by object (Chinese in
the standard Adobe font STSong-Light, which needs no embedding), a DOCX from
python-docx and an XLSX from openpyxl.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter

from portal.uploads import TOO_MUCH_UNCOMPRESSED, WRONG_TYPE, upload_limits
from requests_.extract import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    TOO_LARGE,
    UNSAFE_XML,
    ExtractedText,
    UploadRefused,
    extract_text,
    sniff_type,
)
from requests_.screening import find_personal_data
from tests.requests_ import factories as fx
from tests.requests_.factories import mod11_2

VALID_ID = "31010119850615123" + mod11_2("31010119850615123")


# --- building real files ------------------------------------------------------------

FONT_OBJECTS = [
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
    b" /Encoding /WinAnsiEncoding >>",
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light"
    b" /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
    b" /FontDescriptor 6 0 R /DW 1000 >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
    b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
    b" /CapHeight 880 /StemV 93 >>",
]


def _pdf_string(font: str, text: str) -> str:
    if font == "F1":  # Helvetica: a literal string of ASCII.
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return f"<{text.encode('utf-16-be').hex().upper()}>"  # UniGB-UCS2-H codes.


def build_pdf(pages: list[list[tuple[str, str]]]) -> bytes:
    """Write a PDF by hand: one (font, text) pair per line, F1 ASCII, F2 Chinese."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", *FONT_OBJECTS]
    kids = []
    for lines in pages:
        stream = "\n".join(
            f"BT /{font} 12 Tf 72 {760 - 20 * i} Td {_pdf_string(font, text)} Tj ET"
            for i, (font, text) in enumerate(lines)
        ).encode("ascii")
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >>"
            b" /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    refs = " ".join(f"{kid} 0 R" for kid in kids)
    objects[1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


@pytest.fixture
def reply_pdf() -> bytes:
    return build_pdf(
        [
            [
                ("F2", "关于张三政府信息公开申请的答复"),
                ("F2", f"申请人张三（身份证号{VALID_ID}，联系电话13800138000）"),
                ("F1", "Tel: 021-64581234  E-mail: zhangsan@example.com"),
            ],
            [("F2", "二、本机关依法予以公开，详见附件。")],
        ]
    )


@pytest.fixture
def reply_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "经办人电话 021-64581234"
    document.add_heading("政府信息公开申请答复书", level=1)
    document.add_paragraph("李四：本机关于2025年3月1日收到您的申请。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["姓名", "身份证号", "电话"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["李四", VALID_ID, "139 1234 5678"], strict=True
    ):
        cell.text = text
    document.add_paragraph("特此告知。")
    return fx.saved(document)


@pytest.fixture
def reply_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "申请人名单"
    sheet.append(["序号", "姓名", "身份证号", "手机", "受理日期"])
    sheet.append([1, "王五", VALID_ID, 13912345678, "2025-03-01"])
    sheet.append([2, "赵六", "110105194912310021", None, None])
    hidden = workbook.create_sheet("备注")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "联系邮箱"
    hidden["B1"] = "wangwu@example.com"
    return fx.saved(workbook)


def write_zip(path: Path, members: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path.read_bytes()


UNSUPPORTED_TYPE = WRONG_TYPE % {"kinds": "PDF、Word（DOCX）、Excel（XLSX）"}


def raises_code(data: bytes, filename: str, code: str, **limits: int) -> str:
    """Assert the door's refusal; return its reason (the message names the file)."""
    with pytest.raises(UploadRefused) as caught:
        extract_text(data, filename, limits=upload_limits(**limits))
    assert caught.value.code == code
    assert caught.value.message.startswith(f"文件“{filename}”")
    return caught.value.reason


# --- PDF ------------------------------------------------------------------------


def test_personal_data_inside_an_attached_pdf_is_found(reply_pdf: bytes) -> None:
    """The ID, phones and e-mail on a PDF's pages reach the screen."""
    extracted = extract_text(reply_pdf, "答复书.pdf", "application/pdf")
    assert extracted.kind == "pdf"
    assert extracted.pages == 2
    assert extracted.warnings == []
    assert "关于张三政府信息公开申请的答复" in extracted.text
    assert "本机关依法予以公开" in extracted.text
    hits = find_personal_data(extracted.text, applicant_terms=["张三"])
    assert [(h.kind, h.value) for h in hits if h.kind != "applicant"] == [
        ("resident_id", VALID_ID),
        ("mobile", "13800138000"),
        ("landline", "021-64581234"),
        ("email", "zhangsan@example.com"),
    ]
    assert sum(h.kind == "applicant" for h in hits) == 2


def test_pdf_with_an_invalid_checksum_id_has_no_id_hit() -> None:
    """A PDF with a wrong check character yields no resident-ID hit."""
    data = build_pdf([[("F2", "申请人（身份证号110105194912310021）")]])
    text = extract_text(data, "a.pdf").text
    assert "110105194912310021" in text
    assert find_personal_data(text) == []


def test_pdf_without_text_warns_the_reviewer() -> None:
    """A scanned (text-less) PDF is accepted but flagged for manual checking."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    extracted = extract_text(out.getvalue(), "scan.pdf")
    assert extracted.text.strip() == ""
    assert any("人工" in warning for warning in extracted.warnings)


def _encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(build_pdf([[("F1", "13800138000")]]))))
    writer.encrypt(user_password, "owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_is_refused() -> None:
    """A PDF that needs a password to open cannot be screened, so it is refused."""
    assert (
        raises_code(_encrypted_pdf("open-me"), "a.pdf", "file_encrypted") == ENCRYPTED
    )


def test_pdf_with_owner_password_only_is_read() -> None:
    """Printing restrictions alone do not stop reading (empty user password)."""
    assert "13800138000" in extract_text(_encrypted_pdf(""), "a.pdf").text


def test_truncated_pdf_is_refused_as_corrupt(reply_pdf: bytes) -> None:
    """A PDF header on garbage is refused with the corrupt code."""
    data = b"%PDF-1.7\n" + b"\x00garbage" * 50
    assert raises_code(data, "a.pdf", "file_corrupt") == CORRUPT


# --- DOCX -----------------------------------------------------------------------


def test_personal_data_in_a_docx_table_cell_is_found(reply_docx: bytes) -> None:
    """Paragraphs, table cells (tab-joined) and headers are all read."""
    extracted = extract_text(reply_docx, "答复书.docx")
    assert (extracted.kind, extracted.pages, extracted.sheets) == ("docx", None, None)
    lines = extracted.text.splitlines()
    assert "政府信息公开申请答复书" in lines
    assert f"李四\t{VALID_ID}\t139 1234 5678" in lines
    assert lines.index("特此告知。") > lines.index("姓名\t身份证号\t电话")
    hits = find_personal_data(extracted.text)
    assert [(h.kind, h.value) for h in hits] == [
        ("resident_id", VALID_ID),
        ("mobile", "139 1234 5678"),
        ("landline", "021-64581234"),  # From the page header.
    ]


def test_docx_content_controls_and_text_boxes_are_read(tmp_path: Path) -> None:
    """Form fields (w:sdt) hold applicant data in many templates; they are read."""
    body = (
        "<w:body><w:sdt><w:sdtContent><w:p><w:r><w:t>手机</w:t></w:r>"
        "<w:ins><w:r><w:t>13800138000</w:t></w:r></w:ins></w:p>"
        "</w:sdtContent></w:sdt></w:body>"
    )
    data = _minimal_docx(tmp_path, body)
    extracted = extract_text(data, "form.docx")
    assert extracted.text == "手机13800138000"


def _minimal_docx(tmp_path: Path, body: str, doctype: str = "") -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return write_zip(
        tmp_path / "minimal.docx",
        {
            "[Content_Types].xml": (
                b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org'
                b'/package/2006/content-types"><Default Extension="rels" ContentType='
                b'"application/vnd.openxmlformats-package.relationships+xml"/>'
                b'<Default Extension="xml" ContentType="application/xml"/><Override '
                b'PartName="/word/document.xml" ContentType="application/vnd.openxml'
                b'formats-officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": (
                b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships"><Relationship Id="r1"'
                b' Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/officeDocument" Target="word/document.xml"/>'
                b"</Relationships>"
            ),
            "word/document.xml": (
                f'<?xml version="1.0"?>{doctype}<w:document {ns}>{body}</w:document>'
            ).encode(),
        },
    )


def test_docx_with_a_doctype_is_refused(tmp_path: Path) -> None:
    """Entity declarations (billion laughs) never occur in Office files."""
    doctype = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>'
    data = _minimal_docx(tmp_path, "<w:body><w:p/></w:body>", doctype)
    assert raises_code(data, "a.docx", "unsafe_xml") == UNSAFE_XML


# --- XLSX -----------------------------------------------------------------------


def test_personal_data_in_every_sheet_of_a_workbook_is_found(reply_xlsx: bytes) -> None:
    """Every sheet, hidden ones included, is read; numbers read as people write them."""
    extracted = extract_text(reply_xlsx, "名单.xlsx")
    assert (extracted.kind, extracted.sheets) == ("xlsx", 2)
    lines = extracted.text.splitlines()
    assert lines[0] == "【申请人名单】"
    assert f"1\t王五\t{VALID_ID}\t13912345678\t2025-03-01" in lines
    assert "2\t赵六\t110105194912310021" in lines
    assert "联系邮箱\twangwu@example.com" in lines
    assert any("备注" in warning for warning in extracted.warnings)
    hits = find_personal_data(extracted.text)
    assert [(h.kind, h.value) for h in hits] == [
        ("resident_id", VALID_ID),
        ("mobile", "13912345678"),
        ("email", "wangwu@example.com"),
    ]


# --- type detection and refusals ------------------------------------------------


def test_type_is_sniffed_from_content(
    reply_pdf: bytes, reply_docx: bytes, reply_xlsx: bytes
) -> None:
    """Magic bytes and the ZIP directory decide, not the name."""
    assert sniff_type(reply_pdf) == "pdf"
    assert sniff_type(reply_docx) == "docx"
    assert sniff_type(reply_xlsx) == "xlsx"
    assert sniff_type(b"") is None
    assert sniff_type(b"PK\x03\x04 not really a zip") is None
    assert sniff_type(b"\xef\xbb\xbf\r\n" + reply_pdf) == "pdf"


def test_misnamed_office_file_is_read_with_a_warning(reply_docx: bytes) -> None:
    """A DOCX called .pdf is still a DOCX; the reviewer is told the name lies."""
    extracted = extract_text(reply_docx, "答复书.pdf", "application/pdf")
    assert extracted.kind == "docx"
    assert "DOCX" in extracted.warnings[0]


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
        b"<!DOCTYPE html><html><body>Save as %PDF-1.7 here</body></html>",
        b"GIF89a\x01\x00\x01\x00",
    ],
    ids=["exe", "html", "gif"],
)
def test_other_files_named_pdf_are_refused(data: bytes) -> None:
    """An executable or a web page renamed to .pdf is refused."""
    message = raises_code(data, "答复书.pdf", "file_type")
    assert message == UNSUPPORTED_TYPE


def test_a_zip_that_is_no_office_file_is_refused(tmp_path: Path) -> None:
    """A plain archive (or an ODF text) is neither DOCX nor XLSX."""
    data = write_zip(tmp_path / "a.zip", {"readme.txt": b"13800138000"})
    assert raises_code(data, "a.docx", "file_type") == UNSUPPORTED_TYPE
    odt = write_zip(tmp_path / "b.odt", {"content.xml": b"<office:document/>"})
    assert raises_code(odt, "b.docx", "file_type") == UNSUPPORTED_TYPE


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    """200 MB of zeros in a ~200 KB DOCX is refused from the ZIP directory."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    data = path.read_bytes()
    assert len(data) < 1024 * 1024
    assert sniff_type(data) == "docx"
    message = raises_code(data, "bomb.docx", "archive_too_large")
    assert message == TOO_MUCH_UNCOMPRESSED % {"size": "200", "limit": "100"}


def test_uncompressed_limit_is_a_parameter(reply_xlsx: bytes) -> None:
    """A stricter limit refuses an ordinary workbook."""
    raises_code(reply_xlsx, "a.xlsx", "archive_too_large", max_uncompressed=1000)


def test_size_limit_defaults_to_20_mb(reply_pdf: bytes) -> None:
    """Over 20 MB is refused before any parsing; the limit is a parameter."""
    big = b"%PDF-1.7\n" + bytes(20 * 1024 * 1024)
    message = raises_code(big, "big.pdf", "file_too_large")
    assert message == TOO_LARGE % {"limit": "20"}
    raises_code(reply_pdf, "a.pdf", "file_too_large", max_bytes=100)


def test_empty_file_is_refused() -> None:
    """Nothing uploaded is not an attachment."""
    assert raises_code(b"", "a.pdf", "file_empty") == EMPTY


def test_upload_refused_is_a_domain_error() -> None:
    """The API renders it like every other domain error, naming the field."""
    error = UploadRefused(CORRUPT, code="file_corrupt", filename="a.pdf")
    message = f"文件“a.pdf”：{CORRUPT}"
    assert error.as_dict() == {
        "code": "file_corrupt",
        "message": message,
        "fields": {"file": [message]},
    }
    assert isinstance(ExtractedText("", "pdf").warnings, list)
