"""Every change to the outbox: enqueue a message, record what sending did.

``message_enqueue`` is the one door other apps use to send e-mail. It writes the
message inside the caller's transaction and arranges for it to be sent after
commit (``messaging.sending``); a mail server that is down or slow never fails
or rolls back the caller's work, and ``manage.py send_messages`` retries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from messaging.models import Message, MessageAttachment
from portal.errors import DomainError

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
