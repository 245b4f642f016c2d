"""The outbox against a real SMTP server: delivery, outage, retries, refusal."""

from __future__ import annotations

import datetime as dt
import io
import socket
from io import StringIO

import docx
import pytest

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from messaging import sending
from messaging.models import Message, MessageStatus
from messaging.services import message_enqueue
from portal.audit import events_for
from portal.audit_labels import in_words
from tests.messaging.factories import queued_letter
from tests.messaging.smtp import free_port, smtp_server, use_smtp
from tests.requests_ import factories

pytestmark = pytest.mark.django_db

REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUBJECT = "黄府信公复〔2026〕12号 政府信息公开申请答复书"
BODY = (
    "欧阳子钰：\n"
    "本机关于2026年11月2日收到您提出的政府信息公开申请。"
    "经查，现将所申请信息提供给您。\n"
    "如对本答复不服，可以自收到本答复之日起六十日内申请行政复议。"
)


def letter_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("政府信息公开申请答复书")
    document.add_paragraph("黄府信公复〔2026〕12号")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def enqueue_letter(request, capture, attachment: bytes = b"") -> Message:
    """Queue a letter-like message in a transaction and run its after-commit."""
    with capture(execute=True):
        return queued_letter(
            request,
            BODY,
            subject=SUBJECT,
            attachments=(("答复书.docx", attachment or letter_docx(), DOCX),),
        )


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_messages", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def message_events(request) -> list[tuple[str, dict]]:
    return [
        (event.verb, event.after)
        for event in events_for(request)
        .filter(verb__startswith="message.")
        .order_by("id")
    ]


@pytest.fixture
def request_a(matrix):
    request, _ = factories.register(matrix.user("editor_a"), matrix.agency_a)
    return request


def test_a_letter_reaches_a_real_smtp_server_intact(
    settings, request_a, django_capture_on_commit_callbacks
):
    """Subject and Chinese body read back as written; the DOCX bytes are equal."""
    attachment = letter_docx()
    with smtp_server() as (inbox, port):
        use_smtp(settings, port)
        message = enqueue_letter(
            request_a, django_capture_on_commit_callbacks, attachment
        )

    assert inbox.envelopes == [
        ("gongkai@huangpu.example.gov.cn", ["ouyang.zy@example.com"])
    ]
    received = inbox.messages[0]
    assert inbox.subjects() == [SUBJECT]
    assert received["To"] == "ouyang.zy@example.com"
    text = received.get_body(preferencelist=("plain",))
    assert text.get_content_charset() == "utf-8"
    # SMTP carries lines ending in CRLF.
    assert text.get_content().replace("\r\n", "\n") == BODY
    files = list(received.iter_attachments())
    assert [f.get_filename() for f in files] == ["答复书.docx"]
    assert files[0].get_content_type() == DOCX
    assert files[0].get_content() == attachment
    assert docx.Document(io.BytesIO(files[0].get_content())).paragraphs[1].text == (
        "黄府信公复〔2026〕12号"
    )

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert message.sent_at is not None
    assert message_events(request_a) == [
        (
            "message.sent",
            {"kind": "letter", "message": message.pk, "attempts": 1, "last_error": ""},
        )
    ]


def test_an_outage_keeps_the_message_and_a_later_run_sends_it(
    settings, request_a, django_capture_on_commit_callbacks, monkeypatch
):
    """Server down: the request's transaction commits, the message waits with its
    error; server up and the back-off over: send_messages delivers it."""
    port = free_port()
    use_smtp(settings, port)
    start = timezone.now()
    monkeypatch.setattr(sending, "now", lambda: start)
    message = enqueue_letter(request_a, django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert message.last_error == REFUSED
    assert message.next_attempt_at == start + dt.timedelta(seconds=60)
    assert message_events(request_a) == []

    with smtp_server(port) as (inbox, _):
        # Still inside the back-off: nothing is tried.
        assert run() == "sent 0, deferred 0, failed 0\n"
        assert inbox.messages == []
        later = start + dt.timedelta(seconds=61)
        monkeypatch.setattr(sending, "now", lambda: later)
        assert run() == "sent 1, deferred 0, failed 0\n"

    assert inbox.subjects() == [SUBJECT]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    assert message.sent_at == later
    assert message_events(request_a) == [
        (
            "message.sent",
            {"kind": "letter", "message": message.pk, "attempts": 2, "last_error": ""},
        )
    ]


def test_retries_are_bounded_and_end_in_failed_on_the_history(
    settings, request_a, django_capture_on_commit_callbacks, monkeypatch
):
    """Six attempts with back-offs of 1, 2, 4, 8, 16 minutes; then failed, once."""
    use_smtp(settings, free_port())
    clock = [timezone.now()]
    monkeypatch.setattr(sending, "now", lambda: clock[0])
    message = enqueue_letter(request_a, django_capture_on_commit_callbacks)
    waits = []
    for _ in range(5):
        message.refresh_from_db()
        waits.append(int((message.next_attempt_at - clock[0]).total_seconds()))
        clock[0] = message.next_attempt_at
        run()
    assert waits == [60, 120, 240, 480, 960]

    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        "failed",
        6,
        None,
    )
    clock[0] += dt.timedelta(days=30)
    assert run() == "sent 0, deferred 0, failed 0\n"
    message.refresh_from_db()
    assert message.attempts == 6
    (failed,) = in_words(events_for(request_a).filter(verb="message.failed"))
    assert (failed.verb, failed.actor) == ("邮件发送失败", "系统")
    assert [(c.label, c.after) for c in failed.changes] == [
        ("邮件类别", "答复文书"),
        ("邮件编号", str(message.pk)),
        ("尝试次数", "6"),
        ("最近错误", REFUSED),
    ]
    assert message_events(request_a) == [
        (
            "message.failed",
            {"kind": "letter", "message": message.pk, "attempts": 6}
            | {"last_error": REFUSED},
        )
    ]


class RefusingInbox:
    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        return "550 5.1.1 mailbox unavailable"


def test_a_refused_address_fails_at_once_without_naming_it(
    settings, request_a, django_capture_on_commit_callbacks
):
    """A 5xx refusal will not change with time; the error keeps only the code."""
    from aiosmtpd.controller import Controller

    controller = Controller(RefusingInbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        message = enqueue_letter(request_a, django_capture_on_commit_callbacks)
    finally:
        controller.stop()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "failed",
        1,
        "SMTPRecipientsRefused: 550",
    )
    assert [verb for verb, _ in message_events(request_a)] == ["message.failed"]


def enqueue_and_fail(request) -> None:
    with transaction.atomic():
        message_enqueue(
            to=factories.APPLICANT_EMAIL,
            subject=SUBJECT,
            body=BODY,
            request=request,
            kind="letter",
        )
        raise RuntimeError("the letter was not issued")


def test_nothing_is_queued_or_sent_when_the_callers_transaction_rolls_back(
    settings, request_a, django_capture_on_commit_callbacks
):
    """The message belongs to the caller's transaction."""
    with smtp_server() as (inbox, port):
        use_smtp(settings, port)
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
        ):
            enqueue_and_fail(request_a)
    assert callbacks == []
    assert Message.objects.count() == 0
    assert inbox.messages == []


def test_an_issued_reply_letter_reaches_the_applicant(
    settings, matrix, django_capture_on_commit_callbacks, monkeypatch
):
    """letters.letter_issue queues the letter; after commit the applicant's
    mailbox holds its text and a DOCX whose number is the letter's."""
    from letters import services as letters
    from tests.letters import builders

    monkeypatch.setattr(
        letters, "now", lambda: timezone.make_aware(dt.datetime(2099, 3, 15, 10, 0))
    )
    builders.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    with smtp_server() as (inbox, port):
        use_smtp(settings, port)
        with django_capture_on_commit_callbacks(execute=True):
            letter, _ = builders.issued_reply(matrix.user("editor_a"), matrix.agency_a)

    assert letter.number == "黄府信公复〔2099〕1号"
    assert [to for _, to in inbox.envelopes] == [["ouyang.zy@example.com"]]
    assert inbox.subjects() == [
        "上海市黄浦区人民政府政府信息公开申请答复书 黄府信公复〔2099〕1号"
    ]
    received = inbox.messages[0]
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert text.splitlines()[:2] == [
        "上海市黄浦区人民政府政府信息公开申请答复书",
        "黄府信公复〔2099〕1号",
    ]
    (attachment,) = received.iter_attachments()
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(attachment.get_content())).paragraphs
    ]
    assert "黄府信公复〔2099〕1号" in paragraphs
    (message,) = Message.objects.all()
    assert (message.kind, message.status, message.request_id) == (
        "letter",
        "sent",
        letter.request_id,
    )


def test_a_silent_server_costs_one_timeout_and_the_message_waits(
    settings, request_a, django_capture_on_commit_callbacks
):
    """A relay that accepts the connection and never greets: EMAIL_TIMEOUT ends
    the wait, and the message is deferred like any outage."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        use_smtp(settings, silent.getsockname()[1])
        settings.EMAIL_TIMEOUT = 1
        message = enqueue_letter(request_a, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "queued",
        1,
        "SMTPServerDisconnected: Connection unexpectedly closed: timed out",
    )
