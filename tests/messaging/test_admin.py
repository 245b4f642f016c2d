"""The outbox in the admin: superusers inspect it, and never read an address."""

from __future__ import annotations

import pytest

from tests.messaging.factories import queued_letter
from tests.requests_ import factories

pytestmark = pytest.mark.django_db


def test_the_admin_lists_messages_without_address_or_body(matrix):
    request, _ = factories.register(matrix.user("editor_a"), matrix.agency_a)
    message = queued_letter(request, "欧阳志远：经查……")
    client = matrix.client("superuser")
    listing = client.get("/admin/messaging/message/").content.decode()
    detail = client.get(f"/admin/messaging/message/{message.pk}/change/")
    assert detail.status_code == 200
    for html in (listing, detail.content.decode()):
        assert request.tracking_code in html
        assert factories.APPLICANT_EMAIL not in html
        assert "欧阳志远" not in html
    assert "待发送" in listing
