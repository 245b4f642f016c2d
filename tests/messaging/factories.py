"""Helpers that queue messages through the service, as the letters app does."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from messaging.models import Message
from messaging.services import Attachment, message_enqueue
from tests.requests_.factories import APPLICANT_EMAIL


def queued_letter(
    request: Any,
    body: str,
    subject: str = "答复书",
    attachments: tuple[Attachment, ...] = (),
) -> Message:
    """Queue a letter to the request's applicant in a transaction of its own."""
    with transaction.atomic():
        return message_enqueue(
            to=APPLICANT_EMAIL,
            subject=subject,
            body=body,
            attachments=attachments,
            request=request,
            kind="letter",
        )
