"""The actor matrix over messages: retrying a failed one, the dashboard panel,
the digest preference page; through the real client."""

from __future__ import annotations

import pytest

from messaging.models import DigestPreference, Message, MessageStatus
from portal.audit import events_for
from tests.conftest import ACTORS, outcomes
from tests.messaging.factories import queued_letter
from tests.messaging.smtp import free_port, use_smtp
from tests.requests_ import factories

pytestmark = pytest.mark.django_db

# Editors of the request's agency and the city-wide coordinator act on its mail;
# the reviewer reads the request but does not handle it.
ACTING = ("editor_a", "coordinator", "superuser")


@pytest.fixture
def failed_a(matrix, settings):
    """A letter to the applicant of an agency-A request that failed for good."""
    use_smtp(settings, free_port())
    request, _ = factories.register(matrix.user("editor_a"), matrix.agency_a)
    message = queued_letter(request, "正文")
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=6, last_error="SMTPRecipientsRefused: 550"
    )
    return message


@pytest.mark.parametrize(
    ("actor", "status"),
    list(outcomes(ACTING, ok=302, refused=403, outsider=404).items()),
)
def test_retry_a_failed_message(matrix, failed_a, actor, status):
    response = matrix.client(actor).post(f"/workspace/messages/{failed_a.pk}/retry/")
    assert response.status_code == status
    failed_a.refresh_from_db()
    if actor in ACTING:
        assert (failed_a.status, failed_a.attempts) == ("queued", 0)
        assert [e.verb for e in events_for(failed_a.request)][:1] == ["message.retry"]
    else:
        assert (failed_a.status, failed_a.attempts) == ("failed", 6)
        assert not events_for(failed_a.request).filter(verb="message.retry").exists()


def test_retry_refuses_a_message_that_has_not_failed(matrix, failed_a):
    Message.objects.filter(pk=failed_a.pk).update(status=MessageStatus.QUEUED)
    response = matrix.client("editor_a").post(
        f"/workspace/messages/{failed_a.pk}/retry/", follow=True
    )
    assert "只有发送失败的邮件可以重新发送。" in response.content.decode()


@pytest.mark.parametrize("actor", ACTORS[1:])
def test_failed_messages_panel_shows_to_those_who_act(matrix, failed_a, actor):
    html = matrix.client(actor).get("/workspace/").content.decode()
    shown = "发送失败的邮件" in html
    assert shown == (actor in ACTING)
    if shown:
        assert f"/workspace/messages/{failed_a.pk}/retry/" in html
        assert "SMTPRecipientsRefused: 550" in html
        # The panel names the request, never the applicant's address.
        assert factories.APPLICANT_EMAIL not in html


@pytest.mark.parametrize(
    ("actor", "status"),
    [(actor, 302 if actor == "anonymous" else 200) for actor in ACTORS],
)
def test_digest_preference_page(matrix, actor, status):
    """Everyone signed in sets their own preference, and only their own."""
    client = matrix.client(actor)
    assert client.get("/workspace/me/digest/").status_code == status
    client.post("/workspace/me/digest/", {})
    expected = [] if actor == "anonymous" else [(actor, False)]
    assert (
        list(DigestPreference.objects.values_list("user__username", "receive_digest"))
        == expected
    )
