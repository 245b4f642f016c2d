"""The outbox in the admin: superusers inspect it, and never read an address."""

from __future__ import annotations

import pytest

from django.db import transaction

from messaging.services import message_enqueue
from tests.requests_ import factories

pytestmark = pytest.mark.django_db


def test_the_admin_lists_messages_without_address_or_body(matrix):
    request, _ = factories.register(matrix.user("editor_a"), matrix.agency_a)
    with transaction.atomic():
        message = message_enqueue(
            to=factories.APPLICANT_EMAIL,
            subject="答复书",
            body="欧阳志远：经查……",
            request=request,
            kind="letter",
        )
    client = matrix.client("superuser")
    listing = client.get("/admin/messaging/message/").content.decode()
    detail = client.get(f"/admin/messaging/message/{message.pk}/change/")
    assert detail.status_code == 200
    for html in (listing, detail.content.decode()):
        assert request.tracking_code in html
        assert factories.APPLICANT_EMAIL not in html
        assert "欧阳志远" not in html
    assert "待发送" in listing
