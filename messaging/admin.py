"""Read-only admin of the outbox: what is queued, sent and failed, and why.

The address, the body and the attachments are left out: the outbox is not a
mailbox, and the admin is no back door to applicants' letters. Messages change
only through the sender and the services (``send_messages --retry-failed``, the
dashboard's 重新发送).
"""

from __future__ import annotations

from django.contrib import admin

from messaging.models import Digest, Message
from portal.admin import ReadOnlyAdmin


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "attempts",
        "request",
        "recipient_user",
        "created_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    fields = [*list_display[1:], "next_attempt_at"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "items", "message"]
    list_filter = ["day"]
