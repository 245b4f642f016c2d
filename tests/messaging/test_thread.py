"""The default delivery: after commit a short-lived thread sends the message, so
the request that queued it never waits on the mail server."""

from __future__ import annotations

import threading

import pytest

from django.db import transaction

from messaging.services import message_enqueue
from tests.messaging.smtp import smtp_server, use_smtp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def join_senders() -> None:
    for thread in threading.enumerate():
        if thread.name == "messaging-send":
            thread.join(60)
            assert not thread.is_alive()


def test_after_commit_a_thread_sends_the_message(settings):
    settings.GONGKAI_MESSAGES_DELIVERY = "thread"
    with smtp_server() as (inbox, port):
        use_smtp(settings, port)
        with transaction.atomic():
            message = message_enqueue(
                to="staff@example.gov.cn",
                subject="线程发送",
                body="正文",
                kind="digest",
            )
            # Nothing leaves before the transaction commits.
            assert [
                t for t in threading.enumerate() if t.name == "messaging-send"
            ] == []
        join_senders()
    assert inbox.subjects() == ["线程发送"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
