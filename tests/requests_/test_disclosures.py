"""Disclosures: index numbers, editing, four eyes, scheduling, withdrawal, outbox."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest

from django.db import connection, transaction
from django.utils import timezone

from portal.errors import (
    DomainError,
    FourEyesViolation,
    InvalidTransition,
    PermissionDenied,
)
from requests_ import services
from requests_.models import Disclosure
from requests_.services import disclosures
from search.models import OutboxEntry
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def test_index_numbers_are_per_agency_and_year_with_five_digit_serials(matrix):
    """<code>/<year>-<serial>: serials count per agency and per year."""
    with transaction.atomic():
        a1 = disclosures.next_index_no(matrix.agency_a, 2025)
        a2 = disclosures.next_index_no(matrix.agency_a, 2025)
        a2026 = disclosures.next_index_no(matrix.agency_a, 2026)
        b1 = disclosures.next_index_no(matrix.agency_b, 2025)
    assert (a1, a2, a2026, b1) == (
        "310101000/2025-00001",
        "310101000/2025-00002",
        "310101000/2026-00001",
        "310104000/2025-00001",
    )


def test_index_number_skips_numbers_already_taken(matrix):
    """An imported number that a counter would issue next is skipped, not reused."""
    Disclosure.objects.create(
        agency=matrix.agency_a, index_no="310101000/2025-00001", title="旧信息"
    )
    with transaction.atomic():
        assert (
            disclosures.next_index_no(matrix.agency_a, 2025) == "310101000/2025-00002"
        )


def test_index_number_is_unique_in_the_database(matrix):
    """Two disclosures cannot share an index number."""
    from django.db import IntegrityError

    Disclosure.objects.create(agency=matrix.agency_a, index_no="310101000/2025-00009")
    with pytest.raises(IntegrityError), transaction.atomic():
        Disclosure.objects.create(
            agency=matrix.agency_a, index_no="310101000/2025-00009"
        )


def test_index_number_never_changes_on_edit(matrix):
    """Editing a draft cannot touch its index number."""
    editor = matrix.user("editor_a")
    draft = fx.converted_draft(editor, matrix.agency_a)
    number = draft.index_no
    with pytest.raises(DomainError):
        services.disclosure_update(actor=editor, disclosure=draft, index_no="x/1")
    draft = services.disclosure_update(actor=editor, disclosure=draft, title="新名称")
    assert draft.index_no == number


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need a server database"
)
def test_index_numbers_are_unique_under_concurrency(matrix):
    """Eight threads issuing numbers at once get eight different serials."""
    from django.db import connections

    results, errors = [], []
    barrier = threading.Barrier(8)

    def issue():
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(disclosures.next_index_no(matrix.agency_a, 2030))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [f"310101000/2030-{n:05d}" for n in range(1, 9)]


def test_edit_only_drafts_by_editors(matrix):
    """A submitted disclosure is frozen; another agency's editor may not edit."""
    editor = matrix.user("editor_a")
    draft = fx.converted_draft(editor, matrix.agency_a, body="正文")
    with pytest.raises(PermissionDenied):
        services.disclosure_update(
            actor=matrix.user("editor_b"), disclosure=draft, body="x"
        )
    services.disclosure_update(actor=editor, disclosure=draft, topic=fx.topic())
    submitted = services.disclosure_submit(actor=editor, disclosure=draft)
    with pytest.raises(DomainError) as exc:
        services.disclosure_update(actor=editor, disclosure=submitted, body="x")
    assert exc.value.message == disclosures.NOT_EDITABLE


def test_submit_needs_topic_and_content(matrix):
    """A draft without topic or without body and attachments cannot be submitted."""
    editor = matrix.user("editor_a")
    request = fx.replied(editor, matrix.agency_a)
    request = services.conversion_decide(
        actor=editor, request=request, decision="convert"
    )
    with pytest.raises(DomainError) as exc:
        services.disclosure_submit(actor=editor, disclosure=request.disclosure)
    assert exc.value.message == disclosures.TOPIC_REQUIRED
    services.disclosure_update(
        actor=editor, disclosure=request.disclosure, topic=fx.topic()
    )
    with pytest.raises(DomainError) as exc:
        services.disclosure_submit(actor=editor, disclosure=request.disclosure)
    assert exc.value.message == disclosures.CONTENT_REQUIRED


def test_four_eyes_author_cannot_approve(matrix):
    """The author (even a superuser) cannot approve their own draft."""
    boss = matrix.user("superuser")
    draft = fx.submitted(boss, matrix.agency_a)
    with pytest.raises(FourEyesViolation):
        services.disclosure_approve(actor=boss, disclosure=draft)
    services.disclosure_approve(actor=matrix.user("reviewer_a"), disclosure=draft)


def test_four_eyes_last_editor_cannot_approve(matrix):
    """Whoever last changed the content cannot approve it either."""
    editor, boss = matrix.user("editor_a"), matrix.user("superuser")
    draft = fx.converted_draft(editor, matrix.agency_a, body="正文")
    services.disclosure_update(actor=boss, disclosure=draft, topic=fx.topic())
    services.disclosure_submit(actor=editor, disclosure=draft)
    with pytest.raises(FourEyesViolation):
        services.disclosure_approve(actor=boss, disclosure=draft)


def test_only_reviewers_approve(matrix):
    """Editors and coordinators do not approve disclosures."""
    draft = fx.submitted(matrix.user("editor_a"), matrix.agency_a)
    for actor in ("editor_b", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.disclosure_approve(actor=matrix.user(actor), disclosure=draft)


def test_return_sends_back_to_draft_with_reason(matrix):
    """A returned disclosure is a draft again, with the reviewer's reason."""
    draft = fx.submitted(matrix.user("editor_a"), matrix.agency_a)
    reviewer = matrix.user("reviewer_a")
    with pytest.raises(DomainError):
        services.disclosure_return(actor=reviewer, disclosure=draft, reason="")
    draft = services.disclosure_return(
        actor=reviewer, disclosure=draft, reason="请补充文号"
    )
    assert draft.status == "draft"
    assert draft.return_reason == "请补充文号"


def test_publish_now_writes_the_outbox_in_the_same_transaction(matrix):
    """Approval publishes at once and leaves one upsert row in the outbox."""
    disclosure = fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )
    assert disclosure.is_public()
    row = OutboxEntry.objects.get(doc_type="disclosure", object_id=str(disclosure.pk))
    assert row.action == "upsert"


def test_publish_at_a_future_time_is_visible_only_from_then(matrix, client):
    """A scheduled disclosure is not public (404) until its time; the check is
    made when the page is read, no timer involved."""
    draft = fx.submitted(matrix.user("editor_a"), matrix.agency_a)
    later = timezone.now() + dt.timedelta(days=2)
    disclosure = services.disclosure_approve(
        actor=matrix.user("reviewer_a"), disclosure=draft, publish_at=later
    )
    assert disclosure.status == "published"
    assert not disclosure.is_public()
    assert disclosure.is_public(now=later + dt.timedelta(seconds=1))
    assert client.get(f"/disclosures/{disclosure.index_no}/").status_code == 404
    assert OutboxEntry.objects.filter(
        object_id=str(disclosure.pk), action="upsert"
    ).exists()
    Disclosure.objects.filter(pk=disclosure.pk).update(
        publish_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(f"/disclosures/{disclosure.index_no}/").status_code == 200


def test_publish_time_in_the_past_is_refused(matrix):
    """A back-dated publication time is refused."""
    draft = fx.submitted(matrix.user("editor_a"), matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        services.disclosure_approve(
            actor=matrix.user("reviewer_a"),
            disclosure=draft,
            publish_at=timezone.now() - dt.timedelta(days=1),
        )
    assert exc.value.message == disclosures.PUBLISH_IN_PAST


def test_withdrawal_needs_reason_leaves_tombstone_and_deletes_from_index(
    matrix, client
):
    """Withdrawal answers 410 with the reason on the old address and queues a delete."""
    disclosure = fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )
    with pytest.raises(DomainError):
        services.disclosure_withdraw(
            actor=matrix.user("coordinator"), disclosure=disclosure, reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.disclosure_withdraw(
            actor=matrix.user("editor_a"), disclosure=disclosure, reason="x"
        )
    services.disclosure_withdraw(
        actor=matrix.user("coordinator"), disclosure=disclosure, reason="已被新文件替代"
    )
    response = client.get(f"/disclosures/{disclosure.index_no}/")
    assert response.status_code == 410
    assert "已被新文件替代" in response.content.decode()
    assert OutboxEntry.objects.filter(
        object_id=str(disclosure.pk), action="delete"
    ).exists()
    with pytest.raises(InvalidTransition):
        services.disclosure_withdraw(
            actor=matrix.user("coordinator"), disclosure=disclosure, reason="again"
        )


def test_attachments_only_pdf_docx_xlsx_with_text_extracted(matrix):
    """A PDF's text is extracted and stored; other types and fakes are refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = matrix.user("editor_a")
    draft = fx.converted_draft(editor, matrix.agency_a)
    attachment = services.disclosure_attachment_add(
        actor=editor,
        disclosure=draft,
        upload=fx.pdf_upload("Budget 2024 total 3200", "../../预算.pdf"),
    )
    assert "Budget 2024" in attachment.extracted_text
    assert attachment.original_name == "预算.pdf"
    assert re.search(r"disclosures/\d{4}/[0-9a-f]{32}\.pdf$", attachment.file.name)
    for name, data in (
        ("a.exe", b"MZ"),
        ("b.pdf", b"not a pdf"),
        ("c.docx", b"%PDF-1.4"),
    ):
        with pytest.raises(DomainError):
            services.disclosure_attachment_add(
                actor=editor, disclosure=draft, upload=SimpleUploadedFile(name, data)
            )
    services.disclosure_attachment_remove(actor=editor, attachment=attachment)
    assert not draft.attachments.exists()


def test_docx_and_xlsx_attachments_are_extracted_and_screened(matrix):
    """Word and Excel attachments have their text stored and screened too."""

    from docx import Document
    from openpyxl import Workbook

    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = matrix.user("editor_a")
    draft = fx.converted_draft(editor, matrix.agency_a, body="详见附件。")
    document = Document()
    document.add_paragraph("补偿名单：王某，身份证11010519491231002X")
    word = services.disclosure_attachment_add(
        actor=editor,
        disclosure=draft,
        upload=SimpleUploadedFile("名单.docx", fx.saved(document)),
    )
    workbook = Workbook()
    workbook.active.append(["联系电话", "13812345678"])
    sheet = services.disclosure_attachment_add(
        actor=editor,
        disclosure=draft,
        upload=SimpleUploadedFile("统计表.xlsx", fx.saved(workbook)),
    )
    assert "11010519491231002X" in word.extracted_text
    assert "13812345678" in sheet.extracted_text
    kinds = set(draft.screening_hits.values_list("location", "kind"))
    assert (f"attachment:{word.pk}", "resident_id") in kinds
    assert (f"attachment:{sheet.pk}", "mobile") in kinds
