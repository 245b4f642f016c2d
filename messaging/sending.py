"""Send queued messages through Django's e-mail framework, with retries.

A message is claimed by moving its ``next_attempt_at`` a lease ahead in one
conditional UPDATE, so two workers (or a worker and the after-commit sender)
never both send it, on SQLite and PostgreSQL alike; the SMTP conversation runs
outside any transaction, and its result is settled in a short one. A worker that
dies mid-send leaves the lease to expire, and the message is tried again.

A failed attempt keeps the message queued with the error and a growing back-off;
after ``MAX_ATTEMPTS`` (or at once when the server refuses the address for good)
it is marked failed, shown on the dashboard of the staff who can act on its
request, and recorded on the request's history, as is every message sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from messaging.models import Message, MessageStatus
from portal import audit

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
# Longer than any SMTP conversation (EMAIL_TIMEOUT) could last.
LEASE = dt.timedelta(minutes=10)
BATCH_SIZE = 50
ERROR_LENGTH = 500

DELIVERY_MODES = ("thread", "inline", "worker")
# What settling writes; the encrypted address and body are left alone.
SETTLED_FIELDS = ["status", "attempts", "next_attempt_at", "last_error", "sent_at"]


@dataclass
class SendResult:
    """How many messages a run sent, deferred and gave up on."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def now() -> dt.datetime:
    """Return the current time (the one clock of this module, for tests)."""
    return timezone.now()


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait after failed attempt number ``attempts`` (doubling, capped)."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def _due(moment: dt.datetime):
    return Message.objects.filter(status=MessageStatus.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment)
    )


def _claim(pk: int, moment: dt.datetime) -> bool:
    """Take the message for this worker by moving its lease; False if taken."""
    return bool(_due(moment).filter(pk=pk).update(next_attempt_at=moment + LEASE))


def error_text(exc: BaseException, message: Message) -> str:
    """Describe a failure by its kind and the server's code, never the address."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        text = f"SMTPRecipientsRefused: {', '.join(map(str, codes))}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"{type(exc).__name__}: {exc.smtp_code}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if message.to:
        text = text.replace(message.to, "***")
    return text[:ERROR_LENGTH]


def _permanent(exc: BaseException) -> bool:
    """A 5xx refusal of every recipient will not change with time."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return False


def email_for(message: Message) -> EmailMessage:
    """Build the Django e-mail of ``message`` (plain text, attachments as given)."""
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
    )
    for item in message.attachments.all():
        email.attach(item.filename, bytes(item.content), item.mimetype)
    return email


def _audit(message: Message, *, sent: bool) -> None:
    """Put the outcome on the request's history: kind, number, attempts, error."""
    if message.request_id is None:
        return
    request = message.request
    facts = {
        "actor": None,
        "obj": request,
        "agency": request.agency,
        "after": {
            "kind": message.kind,
            "message": message.pk,
            "attempts": message.attempts,
            "last_error": message.last_error,
        },
    }
    if sent:
        audit.record(verb="message.sent", **facts)
    else:
        audit.record(verb="message.failed", **facts)


@transaction.atomic
def _settle(pk: int, error: BaseException | None, moment: dt.datetime) -> str:
    """Record one attempt's result; return the message's new status word."""
    # Only the message's row: the request is read, not locked (and PostgreSQL
    # cannot lock the nullable side of the join).
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("request__agency")
        .get(pk=pk)
    )
    message.attempts += 1
    if error is None:
        message.status = MessageStatus.SENT
        message.sent_at = moment
        message.next_attempt_at = None
        message.last_error = ""
        message.save(update_fields=SETTLED_FIELDS)
        _audit(message, sent=True)
        return "sent"
    message.last_error = error_text(error, message)
    if message.attempts >= MAX_ATTEMPTS or _permanent(error):
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
        message.save(update_fields=SETTLED_FIELDS)
        _audit(message, sent=False)
        return "failed"
    message.next_attempt_at = moment + backoff(message.attempts)
    message.save(update_fields=SETTLED_FIELDS)
    return "deferred"


def _send_one(connection_, pk: int) -> BaseException | None:
    try:
        message = Message.objects.get(pk=pk)
        connection_.send_messages([email_for(message)])
    except Exception as exc:  # kept on the row
        return exc
    return None


def _send_claimed(claimed: list[int], result: SendResult) -> None:
    """Send the claimed messages over one connection and settle each."""
    connection_ = get_connection(fail_silently=False)
    opened: BaseException | None = None
    try:
        connection_.open()
    except Exception as exc:  # any failure defers the batch
        opened = exc
    try:
        for pk in claimed:
            error = opened or _send_one(connection_, pk)
            word = _settle(pk, error, now())
            setattr(result, word, getattr(result, word) + 1)
            if error is not None:
                result.errors.append(type(error).__name__)
    finally:
        if opened is None:
            try:
                connection_.close()
            except Exception:  # the messages are settled already
                logger.warning("messaging: closing the mail connection failed")


def send_due(
    *, limit: int = BATCH_SIZE, ids: Iterable[int] | None = None
) -> SendResult:
    """Send up to ``limit`` due messages (only ``ids`` when given), one by one.

    One SMTP connection serves the batch; a failure to open it counts as an
    attempt of each message claimed, which then waits for its back-off.
    """
    moment = now()
    candidates = _due(moment).order_by("id")
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    result = SendResult()
    pks = list(candidates.values_list("pk", flat=True)[:limit])
    claimed = [pk for pk in pks if _claim(pk, moment)]
    if claimed:
        _send_claimed(claimed, result)
    if result.errors:
        logger.warning(
            "messaging: %s deferred, %s failed (%s)",
            result.deferred,
            result.failed,
            result.errors[0],
        )
    return result


def send_all() -> SendResult:
    """Send batches until nothing due is left or a batch sends nothing."""
    total = SendResult()
    while True:
        batch = send_due()
        total.sent += batch.sent
        total.deferred += batch.deferred
        total.failed += batch.failed
        total.errors += batch.errors
        if not batch.sent:
            return total


def retry_failed() -> int:
    """Queue messages that failed for good once more, with a fresh count."""
    return Message.objects.filter(status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, attempts=0, next_attempt_at=None
    )


def _send_quietly(ids: list[int]) -> None:
    try:
        send_due(ids=ids)
    except Exception:  # send_messages retries whatever is left
        logger.warning("messaging: sending after commit failed", exc_info=True)


def _send_in_thread(ids: list[int]) -> None:
    try:
        _send_quietly(ids)
    finally:
        close_old_connections()
        connection.close()


def send_after_commit(ids: list[int]) -> None:
    """Try the new messages now, as ``GONGKAI_MESSAGES_DELIVERY`` says.

    ``thread`` (the default) sends from a short-lived thread, so the response
    never waits on the mail server; ``inline`` sends before returning (tests);
    ``worker`` leaves everything to ``manage.py send_messages --loop``.
    """
    mode = getattr(settings, "GONGKAI_MESSAGES_DELIVERY", "thread")
    if mode == "inline":
        _send_quietly(ids)
    elif mode == "thread":
        # Not a daemon: a command that queued mail (seed_demo, send_digests) waits
        # for it at exit instead of cutting the conversation off mid-message.
        threading.Thread(
            target=_send_in_thread, args=(ids,), name="messaging-send", daemon=False
        ).start()
