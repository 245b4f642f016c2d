"""Several senders draining the outbox at once on PostgreSQL send each message once.

Each message is claimed by a conditional UPDATE of its lease before it is sent;
a second sender's UPDATE waits for the first's commit, sees the lease moved and
takes nothing. The messages go to a real SMTP server started by the test.
"""

from __future__ import annotations

import pytest

from messaging import sending
from messaging.models import Message
from messaging.services import message_enqueue
from tests.concurrency.conftest import race, requires_postgresql
from tests.messaging.smtp import smtp_server, use_smtp

pytestmark = [
    requires_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGES = 12
SENDERS = 4


def test_concurrent_senders_send_every_message_exactly_once(settings):
    settings.GONGKAI_MESSAGES_DELIVERY = "worker"  # only the racing senders send
    with smtp_server() as (inbox, port):
        use_smtp(settings, port)
        for number in range(1, MESSAGES + 1):
            message_enqueue(
                to=f"staff{number}@example.gov.cn",
                subject=f"第{number}封",
                body="正文",
                kind="digest",
            )
        outcome = race([sending.send_due for _ in range(SENDERS)])

    assert outcome.errors == {}
    assert sum(result.sent for result in outcome.winners) == MESSAGES
    assert sorted(inbox.subjects()) == sorted(
        f"第{n}封" for n in range(1, MESSAGES + 1)
    )
    assert len(inbox.subjects()) == MESSAGES
    assert (
        sorted(Message.objects.values_list("status", "attempts"))
        == [("sent", 1)] * MESSAGES
    )
