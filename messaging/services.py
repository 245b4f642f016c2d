"""Every change to the outbox: enqueue a message, record what sending did.

``message_enqueue`` is the one door other apps use to send e-mail. It writes the
message inside the caller's transaction and arranges for it to be sent after
commit (``messaging.sending``); a mail server that is down or slow never fails
or rolls back the caller's work, and ``manage.py send_messages`` retries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from messaging.models import (
    Digest,
    DigestPreference,
    Message,
    MessageAttachment,
    MessageKind,
    MessageStatus,
)
from portal.audit_labels import chinese_date
from portal.errors import DomainError, InvalidTransition, PermissionDenied
from portal.workflow import lock

Attachment = tuple[str, bytes, str]

NO_ADDRESS = _("邮件缺少收件地址。")
BAD_ATTACHMENT = _("附件须为（文件名、内容字节、类型）。")


def _checked_attachments(attachments: Iterable[Any]) -> list[Attachment]:
    checked = []
    for item in attachments:
        try:
            filename, content, mimetype = item
        except (TypeError, ValueError) as exc:
            raise DomainError(BAD_ATTACHMENT, code="bad_attachment") from exc
        if not isinstance(content, bytes | bytearray | memoryview):
            raise DomainError(BAD_ATTACHMENT, code="bad_attachment")
        checked.append((str(filename), bytes(content), str(mimetype)))
    return checked


@transaction.atomic
def message_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[Attachment] = (),
    request: Any = None,
    kind: str,
    recipient_user: Any = None,
) -> Message:
    """Queue one e-mail to ``to``; it leaves after the caller's transaction commits.

    ``attachments`` are (filename, bytes, mimetype). ``request`` puts the message
    on that request's history once it is sent or has failed for good. Sending
    failures never surface here: the message stays queued with its error.
    """
    address = " ".join((to or "").split())
    if not address:
        raise DomainError(NO_ADDRESS, code="no_address")
    files = _checked_attachments(attachments)
    message = Message.objects.create(
        kind=str(kind)[:32],
        to=address,
        subject=" ".join(str(subject).split())[:255],
        body=str(body),
        request=request,
        recipient_user=recipient_user,
    )
    MessageAttachment.objects.bulk_create(
        MessageAttachment(
            message=message, filename=name[:255], content=data, mimetype=mime[:127]
        )
        for name, data, mime in files
    )
    from messaging import sending

    transaction.on_commit(lambda: sending.send_after_commit([message.pk]))
    return message


# --- Failed messages ----------------------------------------------------------------

NOT_FAILED = _("只有发送失败的邮件可以重新发送。")
NO_RIGHT_TO_RETRY = _("您无权处理这封邮件。")


@transaction.atomic
def message_retry(*, actor: Any, message: Message) -> Message:
    """Queue a failed message once more with a fresh count of attempts."""
    from messaging import permissions, sending
    from portal import audit

    message = lock(message, "request__agency")
    if not permissions.can_retry_message(actor, message):
        raise PermissionDenied(NO_RIGHT_TO_RETRY)
    if message.status != MessageStatus.FAILED:
        raise InvalidTransition(NOT_FAILED)
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = None
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(
        actor=actor,
        verb="message.retry",
        obj=message.request,
        agency=message.request.agency,
        after={"kind": message.kind, "message": message.pk},
    )
    transaction.on_commit(lambda: sending.send_after_commit([message.pk]))
    return message


# --- The daily digest ---------------------------------------------------------------


@transaction.atomic
def digest_preference_set(*, actor: Any, receive_digest: bool) -> DigestPreference:
    """Switch ``actor``'s own daily digest on or off."""
    from messaging import permissions

    if not permissions.can_set_digest_preference(actor):
        raise PermissionDenied()
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(
        user=actor
    )
    preference.receive_digest = bool(receive_digest)
    preference.save()
    return preference


def digest_text(user: Any, day: dt.date, sections: list) -> tuple[str, str]:
    """Return the subject and body of ``user``'s digest for ``day``."""
    total = sum(section.total for section in sections)
    subject = _("政务公开每日待办（%(day)s）：共 %(n)s 项") % {
        "day": chinese_date(day),
        "n": total,
    }
    name = user.get_full_name() or user.get_username()
    lines = [
        _("%(name)s，您好：") % {"name": name},
        "",
        _("截至 %(day)s，以下事项等待您处理：") % {"day": chinese_date(day)},
    ]
    for section in sections:
        lines += ["", f"{section.title}（{section.total}）"]
        lines += [f"- {line}" for line in section.lines]
        if section.total > len(section.lines):
            more = section.total - len(section.lines)
            lines.append(_("- 另有 %(n)s 项，请在工作台查看") % {"n": more})
    lines += [
        "",
        _("如不需要每日摘要，可在工作台点击您的姓名，在“每日待办摘要”中关闭。"),
    ]
    return str(subject), "\n".join(str(line) for line in lines)


@transaction.atomic
def digest_send(*, user: Any, day: dt.date) -> Digest | None:
    """Queue ``user``'s digest for ``day`` once; None if not due or already made.

    The ``Digest`` row (one per person per day) makes a second run on the same
    day do nothing, even when two runs overlap. A day with nothing to do sends
    nothing but is recorded all the same.
    """
    from messaging import selectors

    if not user.email or not selectors.receives_digest(user):
        return None
    digest, created = Digest.objects.get_or_create(user=user, day=day)
    if not created:
        return None
    sections = selectors.digest_sections(user, day)
    digest.items = sum(section.total for section in sections)
    if digest.items:
        subject, body = digest_text(user, day, sections)
        digest.message = message_enqueue(
            to=user.email,
            subject=subject,
            body=body,
            kind=MessageKind.DIGEST,
            recipient_user=user,
        )
    digest.save(update_fields=["items", "message"])
    return digest


def digests_send(*, day: dt.date) -> list[Digest]:
    """Queue the digest of every staff member who wants one, each in its own
    transaction (one person's trouble never holds up the others')."""
    from messaging import selectors

    made = []
    for user in selectors.digest_recipients():
        digest = digest_send(user=user, day=day)
        if digest is not None:
            made.append(digest)
    return made
