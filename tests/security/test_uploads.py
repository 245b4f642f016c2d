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
