"""Attack family: hostile uploads.

Uploads are the disclosure attachments, the reply letter and the negative-list
import. Each is judged by its content, not its name or declared type (an HTML page
renamed ``.pdf``, an SVG with script, a DOCX renamed ``.xlsx`` are refused), is
size-limited, is stored under a generated name whatever the uploader called it
(``../../etc/passwd``, control characters), and is only ever served as a download
(``Content-Disposition: attachment`` + ``nosniff``), never inline.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from negative_list.services import imports
from portal.errors import DomainError
from requests_ import services
from requests_.models import DisclosureAttachment
from requests_.services import disclosures
from requests_.services.disclosures import ATTACHMENT_TYPE, safe_name
from requests_.services.workflow import LETTER_NOT_PDF
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db

HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    b'onload="alert(1)"><script>alert(2)</script></svg>'
)
PDF_LOOKALIKE = b"%PDF-1.4\n<html><script>alert(1)</script></html>"


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def draft(matrix):
    return rq.converted_draft(matrix.user("editor_a"), matrix.agency_a)


def add(matrix, draft, file):
    return services.disclosure_attachment_add(
        actor=matrix.user("editor_a"), disclosure=draft, upload=file
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", HTML),  # renamed HTML
        ("report.html", HTML),
        ("drawing.svg", SVG),
        ("drawing.pdf", SVG),  # renamed SVG
        ("table.xlsx", docx_bytes()),  # a DOCX renamed .xlsx
        ("letter.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_attachment_type_is_judged_by_content(matrix, draft, name, data):
    """Anything that is not really a PDF, DOCX or XLSX is refused, nothing stored."""
    with pytest.raises(DomainError) as caught:
        add(matrix, draft, upload(name, data, "application/pdf"))
    assert caught.value.field == "file"
    assert DisclosureAttachment.objects.count() == 0


def test_attachment_refused_through_the_workspace_form(matrix, draft):
    """The workspace form shows the clear message and stores nothing."""
    client = matrix.client("editor_a")
    response = client.post(
        f"/workspace/disclosures/{draft.pk}/attachments/",
        {"file": upload("报告.pdf", HTML, "application/pdf")},
        follow=True,
    )
    assert str(ATTACHMENT_TYPE) in response.content.decode()
    assert DisclosureAttachment.objects.count() == 0


def test_attachment_refused_through_the_api(matrix, draft):
    """The API answers 400 in the error shape for an SVG with script."""
    client = matrix.client("editor_a")
    response = client.post(
        f"/api/v1/staff/disclosures/{draft.pk}/attachments/",
        {"file": upload("x.svg", SVG, "image/svg+xml")},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_type"
    assert DisclosureAttachment.objects.count() == 0


def test_oversized_attachment_is_refused(matrix, draft, monkeypatch):
    """A file over the size limit is refused before it is read."""
    monkeypatch.setattr(disclosures, "MAX_ATTACHMENT_BYTES", 1024)
    big = rq.pdf_bytes("x") + b"%" + b"0" * 2048
    with pytest.raises(DomainError) as caught:
        add(matrix, draft, upload("big.pdf", big))
    assert caught.value.code == "file_too_large"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/passwd.pdf",
        "a\x00b\r\nContent-Type: text/html\r\n.pdf",
        '"><script>.pdf',
    ],
)
def test_hostile_names_never_become_paths(matrix, draft, name):
    """The file is stored under a generated name; the shown name is path-free."""
    attachment = add(matrix, draft, upload(name, rq.pdf_bytes("hello")))
    stored = PurePosixPath(attachment.file.name)
    assert stored.parts[0] == "disclosures"
    assert ".." not in stored.parts
    assert len(stored.stem) == 32  # a uuid4 hex, nothing of the uploader's name
    shown = attachment.original_name
    for bad in ("/", "\\", "\x00", "\r", "\n", '"', "<", ">"):
        assert bad not in shown


def test_safe_name_strips_paths_and_controls():
    """safe_name keeps the last component and only printable, harmless characters."""
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\boot.ini") == "boot.ini"
    assert safe_name("a\x00\x1fb.pdf") == "ab.pdf"
    assert safe_name("..") == "attachment"
    assert len(safe_name("长" * 400 + ".pdf")) <= 150


def test_attachment_downloads_are_never_inline(matrix, draft):
    """Staff and public downloads are attachments with nosniff and a PDF type."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    attachment = add(matrix, draft, upload("../../公开 附件.pdf", rq.pdf_bytes("hi")))
    staff = matrix.client("editor_a").get(
        f"/workspace/disclosures/{draft.pk}/attachments/{attachment.pk}/"
    )
    submitted = services.disclosure_submit(actor=editor, disclosure=draft)
    published = services.disclosure_approve(actor=reviewer, disclosure=submitted)
    public = Client().get(
        f"/disclosures/{published.index_no}/attachments/{attachment.pk}/"
    )
    for response in (staff, public):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "/" not in response["Content-Disposition"].split("filename*=")[0]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"


def test_reply_letter_must_really_be_a_pdf(matrix):
    """An HTML page renamed .pdf or an SVG is refused as the reply letter."""
    editor = matrix.user("editor_a")
    request, _ = rq.register(editor, matrix.agency_a)
    for name, data in (("letter.pdf", HTML), ("letter.svg", SVG), ("x.html", HTML)):
        with pytest.raises(DomainError) as caught:
            services.request_reply(
                actor=editor,
                request=request,
                outcome="disclosed",
                reply_text="现予公开。",
                reply_letter=upload(name, data),
            )
        assert caught.value.message == f"文件“{name}”：{LETTER_NOT_PDF}"
        assert caught.value.field == "reply_letter"


def test_reply_letter_stored_under_generated_name_and_downloaded(matrix):
    """The letter's stored name comes from the tracking code; downloads are safe."""
    editor = matrix.user("editor_a")
    request, secret = rq.register(editor, matrix.agency_a)
    replied = services.request_reply(
        actor=editor,
        request=request,
        outcome="disclosed",
        reply_text="现予公开。",
        reply_letter=upload("../../etc/passwd.pdf", rq.pdf_bytes("letter")),
    )
    stored = PurePosixPath(replied.reply_letter.name)
    assert ".." not in stored.parts
    assert "passwd" not in stored.name
    assert stored.name.startswith(f"reply-{replied.tracking_code}")
    for response in (
        matrix.client("editor_a").get(f"/workspace/requests/{replied.pk}/letter/"),
        Client().get(f"/requests/track/{replied.tracking_code}/{secret}/letter/"),
    ):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("清单.xlsx", HTML),  # renamed HTML
        ("清单.xlsx", docx_bytes()),  # an archive, but no workbook
        ("清单.svg", SVG),
        ("清单.html", HTML),
    ],
)
def test_import_file_is_judged_by_content(name, data):
    """The negative-list import refuses anything that is not a workbook or CSV."""
    with pytest.raises(DomainError) as caught:
        imports.read_rows(data, name)
    assert caught.value.code == "file_type"
    assert caught.value.message == f"文件“{name}”：{imports.FILE_UNREADABLE}"


def test_import_refuses_entity_expansion_and_oversize(monkeypatch):
    """A workbook with a DOCTYPE is refused; so is a file over the size limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>',
        )
    with pytest.raises(DomainError) as caught:
        imports.read_rows(buffer.getvalue(), "清单.xlsx")
    assert caught.value.code == "unsafe_xml"
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 10)
    with pytest.raises(DomainError) as caught:
        imports.read_rows("类别,事项\n".encode() * 10, "清单.csv")
    assert caught.value.code == "file_too_large"


def test_import_upload_through_the_workspace_refuses_renamed_html(matrix):
    """The workspace import page shows the message for an HTML file named .xlsx."""
    client = matrix.client("editor_a")
    response = client.post(
        "/workspace/negative-list/import/",
        {"agency": matrix.agency_a.pk, "file": upload("清单.xlsx", HTML)},
    )
    assert response.status_code in (200, 400)
    assert str(imports.FILE_UNREADABLE) in response.content.decode()


# --- attachments leave clean ----------------------------------------------------------
# Every file below carries an ID number and a phone only in its metadata; after the
# upload through the staff client and publication, the public download must hold
# neither (read back with python-docx / openpyxl / pypdf, and as raw bytes of every
# archive member), while the document's own text survives.

ID_NUMBER = "110101199003077578"
PHONE = "13812345678"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def every_byte(data: bytes) -> bytes:
    """Return the file's bytes followed by every archive member, inflated."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return data + b"".join(archive.read(name) for name in archive.namelist())


def leaks(data: bytes) -> bool:
    raw = every_byte(data)
    return any(
        needle.encode(codec) in raw
        for needle in (ID_NUMBER, PHONE)
        for codec in ("ascii", "utf-16-le", "utf-16-be")
    )


def docx_with_metadata() -> bytes:
    """A python-docx document with personal data in its properties, a comment,
    a tracked change and its app properties (company, manager)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    props = document.core_properties
    props.author = f"张三 {ID_NUMBER}"
    props.last_modified_by = f"张三 {PHONE}"
    props.comments = f"申请人身份证号{ID_NUMBER}"
    props.keywords = f"{ID_NUMBER};{PHONE}"
    props.title = f"答复 {PHONE}"
    props.subject = ID_NUMBER
    props.category = PHONE
    paragraph = document.add_paragraph("本机关决定予以公开。")
    document.add_comment(
        paragraph.runs, text="请核对", author=f"李四 {PHONE}", initials="LS"
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins xmlns:w="{W_NS}" w:id="90" w:author="王五 {PHONE}"'
            ' w:date="2025-03-01T08:00:00Z"><w:r><w:t>补充内容。</w:t></w:r></w:ins>'
        )
    )
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        app = archive.read("docProps/app.xml").replace(
            b"</Properties>",
            f"<Company>某局 {PHONE}</Company><Manager>{ID_NUMBER}</Manager>"
            "</Properties>".encode(),
        )
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members["docProps/app.xml"] = app
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def xlsx_with_metadata() -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["项目", "金额"])
    sheet.append(["道路维修", 3200])
    sheet["A2"].comment = Comment("已复核", f"赵六 {ID_NUMBER}")
    workbook.properties.creator = f"赵六 {ID_NUMBER}"
    workbook.properties.lastModifiedBy = PHONE
    workbook.properties.keywords = PHONE
    workbook.properties.description = ID_NUMBER
    workbook.custom_doc_props.append(StringProperty(name="经办人电话", value=PHONE))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.xmp import XmpInformation

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(rq.pdf_bytes("Budget 2024 total 3200"))))
    writer.add_metadata(
        {"/Author": f"Zhang San {ID_NUMBER}", "/Subject": PHONE, "/Keywords": PHONE}
    )
    xmp = XmpInformation.create()
    xmp.dc_creator = [f"Zhang San {ID_NUMBER}"]
    xmp.dc_description = {"x-default": PHONE}
    writer.xmp_metadata = xmp
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def publish_and_download(matrix, draft, attachment) -> bytes:
    """Publish the draft (editor submits, reviewer approves); fetch the public file."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    submitted = services.disclosure_submit(actor=editor, disclosure=draft)
    published = services.disclosure_approve(actor=reviewer, disclosure=submitted)
    response = Client().get(
        f"/disclosures/{published.index_no}/attachments/{attachment.pk}/"
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_docx_metadata_is_removed_before_publication(matrix, draft):
    """Core and app properties, the comment and the tracked change's author are
    gone from the published DOCX; its text, tracked insertion included, stays."""
    import docx

    original = docx_with_metadata()
    assert leaks(original)  # The test file really carries the data.
    page = matrix.client("editor_a").post(
        f"/workspace/disclosures/{draft.pk}/attachments/",
        {"file": upload("答复书.docx", original, "application/octet-stream")},
        follow=True,
    )
    assert page.status_code == 200
    attachment = DisclosureAttachment.objects.get()
    assert attachment.metadata_removed
    assert attachment.metadata_text == ""
    published = publish_and_download(matrix, draft, attachment)
    assert not leaks(published)
    document = docx.Document(io.BytesIO(published))
    props = document.core_properties
    assert (props.author, props.last_modified_by, props.comments) == ("", "", "")
    assert (props.keywords, props.title, props.subject, props.category) == (
        "",
        "",
        "",
        "",
    )
    assert len(document.comments) == 0
    assert document.paragraphs[0].text == "本机关决定予以公开。"
    body = zipfile.ZipFile(io.BytesIO(published)).read("word/document.xml")
    assert "补充内容。".encode() in body
    assert b"commentReference" not in body
    assert b"w:date=" not in body
    names = zipfile.ZipFile(io.BytesIO(published)).namelist()
    assert not [n for n in names if n.startswith("word/comments")]
    assert "本机关决定予以公开。" in attachment.extracted_text


def test_xlsx_properties_and_comment_authors_are_removed(matrix, draft):
    """Core, custom properties and the comment's author go; cells and the
    comment's text stay."""
    import openpyxl

    from requests_.extract import metadata_text

    original = xlsx_with_metadata()
    assert leaks(original)
    assert ID_NUMBER in metadata_text(original)
    assert "经办人电话: 13812345678" in metadata_text(original).splitlines()
    response = matrix.client("editor_a").post(
        f"/api/v1/staff/disclosures/{draft.pk}/attachments/",
        {"file": upload("预算.xlsx", original, "application/octet-stream")},
    )
    assert response.status_code == 201
    attachment = DisclosureAttachment.objects.get()
    published = publish_and_download(matrix, draft, attachment)
    assert not leaks(published)
    workbook = openpyxl.load_workbook(io.BytesIO(published))
    assert ID_NUMBER not in (workbook.properties.creator or "")
    assert workbook.properties.keywords is None
    assert workbook.properties.description is None
    assert len(workbook.custom_doc_props) == 0
    sheet = workbook.active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["项目", "金额"],
        ["道路维修", 3200],
    ]
    assert sheet["A2"].comment.text == "已复核"
    assert "赵六" not in str(sheet["A2"].comment.author)
    assert metadata_text(published) == ""


def test_pdf_info_and_xmp_are_removed(matrix, draft):
    """The Info dictionary and the XMP stream are gone; the page text stays."""
    from pypdf import PdfReader

    original = pdf_with_metadata()
    assert leaks(original)
    response = matrix.client("editor_a").post(
        f"/api/v1/staff/disclosures/{draft.pk}/attachments/",
        {"file": upload("预算.pdf", original)},
    )
    assert response.status_code == 201
    attachment = DisclosureAttachment.objects.get()
    assert attachment.metadata_text == ""
    published = publish_and_download(matrix, draft, attachment)
    assert not leaks(published)
    reader = PdfReader(io.BytesIO(published))
    assert not reader.metadata
    assert reader.xmp_metadata is None
    assert "Budget 2024 total 3200" in reader.pages[0].extract_text()


def test_encrypted_pdf_cannot_be_cleaned_and_is_refused(matrix, draft):
    """A PDF that needs a password is refused with the reason; nothing stored."""
    from pypdf import PdfReader, PdfWriter

    from requests_.metadata import CANNOT_CLEAN_ENCRYPTED

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(rq.pdf_bytes("secret"))))
    writer.encrypt("open-me", "owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    response = matrix.client("editor_a").post(
        f"/api/v1/staff/disclosures/{draft.pk}/attachments/",
        {"file": upload("加密.pdf", out.getvalue())},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "file_encrypted"
    assert error["message"] == f"文件“加密.pdf”：{CANNOT_CLEAN_ENCRYPTED}"
    assert DisclosureAttachment.objects.count() == 0


def test_attachment_stored_before_cleaning_blocks_approval_until_cleaned(matrix, draft):
    """A file stored with its metadata cannot be approved or downloaded publicly;
    clean_attachment_metadata cleans it, and then it can."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from requests_.services.disclosures import ATTACHMENT_NOT_CLEANED

    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    attachment = add(matrix, draft, upload("答复书.docx", docx_with_metadata()))
    # Put the uncleaned file back as the portal stored it before cleaning existed.
    attachment.file.save("legacy.docx", ContentFile(docx_with_metadata()))
    DisclosureAttachment.objects.filter(pk=attachment.pk).update(metadata_removed=False)
    submitted = services.disclosure_submit(actor=editor, disclosure=draft)
    with pytest.raises(DomainError) as caught:
        services.disclosure_approve(actor=reviewer, disclosure=submitted)
    assert caught.value.code == "attachment_metadata"
    assert caught.value.message == ATTACHMENT_NOT_CLEANED % {"names": "答复书.docx"}
    call_command("clean_attachment_metadata")
    attachment.refresh_from_db()
    assert attachment.metadata_removed
    with attachment.file.open("rb") as handle:
        assert not leaks(handle.read())
    published = services.disclosure_approve(actor=reviewer, disclosure=submitted)
    response = Client().get(
        f"/disclosures/{published.index_no}/attachments/{attachment.pk}/"
    )
    assert not leaks(b"".join(response.streaming_content))


def test_public_download_refuses_an_uncleaned_file(matrix, draft):
    """A published attachment still marked uncleaned is not served (404)."""
    attachment = add(matrix, draft, upload("a.pdf", rq.pdf_bytes("hello")))
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    submitted = services.disclosure_submit(actor=editor, disclosure=draft)
    published = services.disclosure_approve(actor=reviewer, disclosure=submitted)
    url = f"/disclosures/{published.index_no}/attachments/{attachment.pk}/"
    assert Client().get(url).status_code == 200
    DisclosureAttachment.objects.filter(pk=attachment.pk).update(metadata_removed=False)
    assert Client().get(url).status_code == 404
