"""Attack family: hostile uploads, and the one door every upload passes.

Each guard of ``portal.uploads`` meets a crafted file of a few kilobytes, built
here, that would otherwise cost minutes of CPU or gigabytes of memory (or expand
an entity): the test asserts the refusal and its message (file, member, row,
column named), never a time. Then each of the five upload paths (negative-list
import, column import, disclosure attachments, the reply letter, a job's input)
is driven through the real client with the same hostile workbook and answers with
the door's error code.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import openpyxl
import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from negative_list.models import Entry
from negative_list.services import imports as nl_imports
from portal import uploads
from portal.jobs import job_submit, run_pending
from portal.models import Job
from portal.uploads import UploadRefused, admit
from requests_.extract import extract_text
from requests_.jobs import DISCLOSURE_IMPORT
from requests_.models import Disclosure, DisclosureAttachment
from requests_.services import imports as rq_imports
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
XML_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_OPEN = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
ENTITY_BOMB = (
    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
UNSAFE_XML_MESSAGE = "文件“{name}”中的“{member}”：" + str(uploads.UNSAFE_XML)


# --- building files -----------------------------------------------------------------


def workbook_bytes(rows: list[list[object]] | None = None) -> bytes:
    """Return a real XLSX written by openpyxl (a negative-list header by default)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows or [list(nl_imports.PUBLIC_COLUMNS)]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def replace_members(data: bytes, members: dict[str, bytes]) -> bytes:
    """Rewrite a ZIP with some members replaced (or added), deflated."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in members:
                target.writestr(info.filename, source.read(info))
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: bytes, dimension: bytes = b"") -> bytes:
    return (
        XML_HEAD
        + SHEET_OPEN
        + dimension
        + b"<sheetData>"
        + rows
        + (b"</sheetData></worksheet>")
    )


def doctype_after_comment_xlsx() -> bytes:
    """A workbook whose sheet declares entities after a 70 kB comment.

    The old guards read only the first 64 kB of each member, so the declaration
    passed and the entity was expanded into a cell.
    """
    comment = b"<!--" + b"x" * 70_000 + b"-->"
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row>'
    body = XML_HEAD + comment + ENTITY_BOMB + SHEET_OPEN
    body += b"<sheetData>" + rows + b"</sheetData></worksheet>"
    return replace_members(workbook_bytes(), {SHEET: body})


HOSTILE = doctype_after_comment_xlsx()


def pdf_bytes_with_content(content: bytes) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(content)
    stream = stream.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_all(data: bytes, name: str, **options) -> None:
    """Pass the door, then read the whole file as its consumer would."""
    upload = admit(data, name, **options)
    if upload.kind in ("csv", "xlsx"):
        list(uploads.table_rows(upload))
    elif upload.kind == "jsonl":
        list(uploads.jsonl_records(upload))
    else:
        extract_text(data, name)


def refusal(data: bytes, name: str, **options) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        read_all(data, name, **options)
    return caught.value


# --- each guard, with a crafted file ------------------------------------------------


def test_the_crafted_files_are_small():
    """The hostile workbook is a few kilobytes, the cost it carries is not."""
    assert len(HOSTILE) < 10_000


def test_doctype_after_a_70_kb_comment_is_refused_naming_the_member():
    """The whole member is scanned, not its first bytes."""
    error = refusal(HOSTILE, "清单.xlsx")
    assert error.code == "unsafe_xml"
    assert error.member == SHEET
    assert error.message == UNSAFE_XML_MESSAGE.format(name="清单.xlsx", member=SHEET)


def test_entity_split_across_two_scan_chunks_is_found():
    """A token straddling the boundary between two streamed chunks is still seen."""
    split = uploads.SCAN_CHUNK_BYTES - len(XML_HEAD) - 4 - 3  # "<!E" | "NTITY"
    strings = (
        XML_HEAD
        + b"<!--"
        + b"y" * split
        + b'<!ENTITY e "boom">'
        + (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    )
    assert strings.index(b"<!ENTITY") < uploads.SCAN_CHUNK_BYTES
    assert strings.index(b"<!ENTITY") + 8 > uploads.SCAN_CHUNK_BYTES
    data = replace_members(workbook_bytes(), {SHARED: strings})
    error = refusal(data, "a.xlsx")
    assert (error.code, error.member) == ("unsafe_xml", SHARED)


def test_entity_in_a_docx_part_is_refused():
    """A DOCX from python-docx with an entity declared in its document part."""
    document = docx.Document()
    document.add_paragraph("正文")
    out = io.BytesIO()
    document.save(out)
    part = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("word/document.xml")
    hostile = part.replace(b"?>", b"?>" + ENTITY_BOMB.replace(b"worksheet", b"w"), 1)
    data = replace_members(out.getvalue(), {"word/document.xml": hostile})
    error = refusal(data, "答复书.docx")
    assert error.code == "unsafe_xml"
    assert error.message == UNSAFE_XML_MESSAGE.format(
        name="答复书.docx", member="word/document.xml"
    )


def test_entity_declared_in_utf16_is_refused():
    """UTF-16 XML hides the ASCII bytes of the declaration; the scan reads it too."""
    body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    data = replace_members(workbook_bytes(), {SHARED: body.encode("utf-16")})
    error = refusal(data, "a.xlsx")
    assert (error.code, error.member) == ("unsafe_xml", SHARED)


def test_xml_in_an_unexpected_encoding_is_refused():
    """UTF-7 could spell a declaration no byte scan sees; Office never uses it."""
    body = b'<?xml version="1.0" encoding="UTF-7"?><x/>'
    error = refusal(replace_members(workbook_bytes(), {SHARED: body}), "a.xlsx")
    assert error.code == "unsafe_xml"
    assert "UTF-7".lower() in error.message


def test_zip_bomb_by_ratio_is_refused_from_the_directory():
    """10 MB of zeros in a 10 kB member: the ratio alone refuses it."""
    data = replace_members(workbook_bytes(), {"xl/media/zeros.bin": bytes(10 << 20)})
    assert len(data) < 30_000
    error = refusal(data, "a.xlsx")
    assert error.code == "archive_ratio"
    assert error.member == "xl/media/zeros.bin"
    assert error.message.startswith("文件“a.xlsx”中的“xl/media/zeros.bin”：压缩比为")


def test_too_many_members_are_refused():
    """An archive of a thousand and one empty members is refused by count."""
    members = {f"x/{n}": b"" for n in range(uploads.MAX_ARCHIVE_MEMBERS + 1)}
    data = replace_members(workbook_bytes(), members)
    error = refusal(data, "a.xlsx")
    assert error.code == "archive_members"
    assert str(uploads.MAX_ARCHIVE_MEMBERS) in error.message


def test_total_uncompressed_size_is_capped():
    """Members each under the ratio floor still add up past the total cap."""
    caps = uploads.upload_limits(max_uncompressed=2 << 20)
    members = {f"xl/media/{n}.bin": bytes(900_000) for n in range(3)}
    data = replace_members(workbook_bytes(), members)
    error = refusal(data, "a.xlsx", limits=caps)
    assert error.code == "archive_too_large"


def test_huge_declared_dimension_is_ignored():
    """A sheet claiming A1:XFD1048576 is read as the three cells it holds.

    openpyxl pads every row to the declared dimension: 16,384 cells a row, and
    the issue's 1.6 kB file took 34 s and 2.6 GB.
    """
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>7</v></c></row>'
        % (n, n, n, n)
        for n in (1, 2, 3)
    )
    dimension = b'<dimension ref="A1:XFD1048576"/>'
    data = replace_members(workbook_bytes(), {SHEET: sheet_xml(rows, dimension)})
    assert len(data) < 10_000
    assert nl_imports.read_rows(data, "清单.xlsx") == [
        ["1", "7"],
        ["2", "7"],
        ["3", "7"],
    ]
    assert extract_text(data, "a.xlsx").text.splitlines()[1:] == [
        "1\t7",
        "2\t7",
        "3\t7",
    ]


def test_a_cell_in_column_xfd_is_refused_at_the_first_row():
    """One cell per row in column XFD would pad each row to 16,384 cells."""
    rows = b"".join(
        b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n) for n in range(1, 1001)
    )
    data = replace_members(workbook_bytes(), {SHEET: sheet_xml(rows)})
    assert len(data) < 10_000
    error = refusal(data, "清单.xlsx")
    assert error.code == "too_many_columns"
    assert (error.row, error.column) == (1, "XFD")
    assert error.message == "文件“清单.xlsx”第1行第XFD列：" + str(
        uploads.TOO_MANY_COLUMNS % {"limit": uploads.MAX_COLUMNS}
    )


def test_a_giant_cell_is_refused_naming_row_and_column():
    """A cell past the length cap stops the reading at that cell."""
    giant = b"a" * (uploads.MAX_CELL_CHARS + 1)
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>'
        + giant
        + b"</t></is></c></row>"
    )
    data = replace_members(workbook_bytes(), {SHEET: sheet_xml(rows)})
    assert len(data) < 10_000
    error = refusal(data, "清单.xlsx")
    assert error.code == "cell_too_long"
    assert (error.row, error.column) == (2, "B")
    assert error.message.startswith("文件“清单.xlsx”第2行第B列：内容有100001个字符")


def test_too_many_rows_are_refused_even_across_a_gap():
    """One cell in the last row of a sheet is a million empty rows before it."""
    rows = b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    data = replace_members(workbook_bytes(), {SHEET: sheet_xml(rows)})
    error = refusal(data, "清单.xlsx")
    assert error.code == "too_many_rows"
    assert error.row == uploads.MAX_ROWS + 1
    assert error.message == f"文件“清单.xlsx”第{uploads.MAX_ROWS + 1}行：" + str(
        uploads.TOO_MANY_ROWS % {"limit": uploads.MAX_ROWS}
    )


def test_over_long_text_is_refused():
    """Three parts each under the ratio floor add up past the text cap."""
    document = docx.Document()
    document.add_paragraph("a" * 900_000)
    section = document.sections[0]
    section.header.paragraphs[0].text = "b" * 900_000
    section.footer.paragraphs[0].text = "c" * 900_000
    out = io.BytesIO()
    document.save(out)
    assert len(out.getvalue()) < 60_000
    error = refusal(out.getvalue(), "报告.docx")
    assert error.code == "text_too_long"
    assert error.message == "文件“报告.docx”：" + str(
        uploads.TEXT_TOO_LONG % {"limit": uploads.MAX_TEXT_CHARS}
    )


def test_a_pdf_page_inflating_past_the_cap_is_refused_before_parsing():
    """A 17 MB content stream in a few kilobytes: refused by its size, page named."""
    data = pdf_bytes_with_content(b"0 0 m\n" * (3 << 20))
    assert len(data) < 60_000
    error = refusal(data, "a.pdf")
    assert (error.code, error.page) == ("pdf_page_too_large", 1)
    assert error.message.startswith("文件“a.pdf”第1页：")


def test_size_cap():
    """Over the cap is refused before anything is parsed."""
    error = refusal(
        b"%PDF-1.7\n" + bytes(100), "a.pdf", limits=uploads.upload_limits(max_bytes=50)
    )
    assert error.code == "file_too_large"


def test_csv_caps_and_encoding_are_named():
    """CSV: columns, cell length and an unreadable encoding name the row."""
    wide = ("a," * 300 + "\n").encode()
    error = refusal(b"x,y\n" + wide, "清单.csv")
    assert (error.code, error.row, error.column) == (
        "too_many_columns",
        2,
        "KO",
    )  # 301 fields
    long_cell = b"x,y\n1," + b"z" * (uploads.MAX_CELL_CHARS + 1) + b"\n"
    error = refusal(long_cell, "清单.csv")
    assert (error.code, error.row, error.column) == ("cell_too_long", 2, "B")
    error = refusal("类别,事项\n1,2\n".encode() + b"\xff\xfe\xff\n", "清单.csv")
    assert (error.code, error.row) == ("file_encoding", 3)
    assert error.message == "文件“清单.csv”第3行：" + str(uploads.BAD_ENCODING)


def test_jsonl_value_length_is_capped():
    """A JSON Lines value past the cell cap names the line and the key."""
    line = '{"title": "%s"}' % ("t" * (uploads.MAX_CELL_CHARS + 1))
    error = refusal(('{"title": "a"}\n' + line).encode(), "column.jsonl")
    assert (error.code, error.row, error.column) == ("cell_too_long", 2, "title")


# --- every path uses the door -------------------------------------------------------


def hostile_upload(name: str = "清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, HOSTILE, content_type="application/octet-stream")


def test_negative_list_import_page_and_api_use_the_door(matrix):
    """The form shows the door's message; the API answers its code; nothing stored."""
    client = matrix.client("editor_a")
    response = client.post(
        "/workspace/negative-list/import/",
        {"agency": matrix.agency_a.pk, "file": hostile_upload()},
    )
    message = UNSAFE_XML_MESSAGE.format(name="清单.xlsx", member=SHEET)
    assert escape(message) in response.content.decode()
    api = client.post(
        f"/api/v1/negative-lists/agencies/{matrix.agency_a.code}/import/",
        {"file": hostile_upload()},
    )
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "unsafe_xml"
    assert api.json()["error"]["message"] == message
    assert Entry.objects.count() == 0
    assert Job.objects.count() == 0


def test_column_import_page_uses_the_door(matrix):
    """The column import refuses the workbook before any job is queued."""
    response = matrix.client("coordinator").post(
        "/workspace/disclosures/import/",
        {"agency": matrix.agency_a.pk, "file": hostile_upload("专栏.xlsx")},
    )
    message = UNSAFE_XML_MESSAGE.format(name="专栏.xlsx", member=SHEET)
    assert escape(message) in response.content.decode()
    assert Job.objects.count() == 0
    assert Disclosure.objects.count() == 0


def test_column_import_command_uses_the_door(tmp_path):
    """The management command reads its file through the same door."""
    path = tmp_path / "column.xlsx"
    path.write_bytes(HOSTILE)
    with pytest.raises(UploadRefused) as caught:
        rq_imports.read_rows(path)
    assert caught.value.code == "unsafe_xml"


def test_disclosure_attachment_form_and_api_use_the_door(matrix):
    """An attachment is refused with the door's code and message; nothing stored."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a)
    client = matrix.client("editor_a")
    api = client.post(
        f"/api/v1/staff/disclosures/{draft.pk}/attachments/",
        {"file": hostile_upload("附件.xlsx")},
    )
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "unsafe_xml"
    message = UNSAFE_XML_MESSAGE.format(name="附件.xlsx", member=SHEET)
    assert api.json()["error"]["fields"] == {"file": [message]}
    page = client.post(
        f"/workspace/disclosures/{draft.pk}/attachments/",
        {"file": hostile_upload("附件.xlsx")},
        follow=True,
    )
    assert escape(message) in page.content.decode()
    assert DisclosureAttachment.objects.count() == 0


def test_reply_letter_uses_the_door(matrix):
    """The reply letter (a request's attachment) meets the same door and code."""
    request, _ = rq.register(matrix.user("editor_a"), matrix.agency_a)
    response = matrix.client("editor_a").post(
        f"/api/v1/requests/{request.pk}/reply/",
        {
            "outcome": "disclosed",
            "reply_text": "现予公开。",
            "reply_letter": hostile_upload("答复书.pdf"),
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unsafe_xml"
    message = UNSAFE_XML_MESSAGE.format(name="答复书.pdf", member=SHEET)
    assert error["fields"] == {"reply_letter": [message]}
    request.refresh_from_db()
    assert not request.reply_letter
    assert request.replied_on is None


def test_job_submit_refuses_an_input_that_fails_the_door(matrix):
    """Nothing is queued or stored for a job whose input fails the door."""
    with pytest.raises(UploadRefused) as caught:
        job_submit(
            kind=DISCLOSURE_IMPORT,
            actor=matrix.user("coordinator"),
            title="导入",
            agency=matrix.agency_a,
            input_name="专栏.xlsx",
            input_data=HOSTILE,
        )
    assert caught.value.code == "unsafe_xml"
    assert Job.objects.count() == 0


def test_job_run_reads_its_input_through_the_door(matrix, settings):
    """A queued job whose stored input is hostile fails with the door's message,
    shown on its page; nothing is imported."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    coordinator = matrix.user("coordinator")
    job = Job(
        kind=DISCLOSURE_IMPORT,
        agency=matrix.agency_a,
        created_by=coordinator,
        title="导入主动公开信息：专栏.xlsx",
        params={"filename": "专栏.xlsx"},
    )
    # Stored as a file queued before the door existed would be.
    job.input_file.save("专栏.xlsx", ContentFile(HOSTILE), save=True)
    run_pending()
    job.refresh_from_db()
    message = UNSAFE_XML_MESSAGE.format(name="专栏.xlsx", member=SHEET)
    assert job.state == Job.State.FAILED
    assert job.error == message
    page = matrix.client("coordinator").get(f"/workspace/jobs/{job.pk}/")
    assert escape(message) in page.content.decode()
    assert Disclosure.objects.count() == 0


def _through(path: str, matrix) -> None:
    from requests_ import services

    editor, coordinator = matrix.user("editor_a"), matrix.user("coordinator")
    if path == "negative_list":
        nl_imports.entries_import(
            actor=editor, agency=matrix.agency_a, data=HOSTILE, filename="a.xlsx"
        )
    elif path == "column":
        rq_imports.read_upload(HOSTILE, "a.xlsx")
    elif path == "attachment":
        draft = rq.converted_draft(editor, matrix.agency_a)
        services.disclosure_attachment_add(
            actor=editor, disclosure=draft, upload=hostile_upload("a.xlsx")
        )
    elif path == "letter":
        request, _ = rq.register(editor, matrix.agency_a)
        rq.reply(editor, request, reply_letter=hostile_upload("a.pdf"))
    else:
        job_submit(
            kind=DISCLOSURE_IMPORT,
            actor=coordinator,
            title="x",
            input_name="a.xlsx",
            input_data=HOSTILE,
        )


@pytest.mark.parametrize(
    "path", ["negative_list", "column", "attachment", "letter", "job"]
)
def test_every_path_refuses_the_same_file_with_the_same_code(matrix, path):
    """One file, five doors that are one door: the same code everywhere."""
    with pytest.raises(UploadRefused) as caught:
        _through(path, matrix)
    assert caught.value.code == "unsafe_xml"
    assert re.fullmatch(
        r"文件“a\.(xlsx|pdf)”中的“xl/worksheets/sheet1\.xml”：.+", caught.value.message
    )
