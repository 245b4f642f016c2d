"""Applicant identity: encrypted at rest, shown only to the handling agency's
staff, and never in public pages, the public API, search documents, audit events
or logs."""

from __future__ import annotations

import json
import logging

import pytest

from django.db import connection

from portal.models import AuditEvent
from requests_ import services
from requests_.search_source import DisclosureDocumentSource
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db

SECRETS = (
    fx.APPLICANT_NAME,
    fx.APPLICANT_ID,
    fx.APPLICANT_PHONE,
    fx.APPLICANT_EMAIL,
    fx.APPLICANT_ADDRESS,
)


def _leaks(text: str) -> list[str]:
    return [value for value in SECRETS if value in text]


@pytest.fixture
def published(matrix, caplog):
    """A disclosure converted from a request, published through the services."""
    caplog.set_level(logging.DEBUG)
    return fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )


def test_identity_is_encrypted_at_rest(published):
    """The database holds ciphertext, not the applicant's name or numbers."""
    request = published.source_requests.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_name, applicant_id_number, applicant_phone, "
            "applicant_email, applicant_address FROM requests__disclosurerequest "
            "WHERE id = %s",
            [request.pk],
        )
        row = cursor.fetchone()
    assert not _leaks(" ".join(row))
    assert request.applicant_name == fx.APPLICANT_NAME


def test_identity_not_in_public_pages_or_public_api(matrix, published, client):
    """The disclosure page, the home page and the public API show nothing of it."""
    pages = [
        client.get(f"/disclosures/{published.index_no}/"),
        client.get(f"/api/v1/disclosures/{published.index_no}/"),
        client.get("/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert not _leaks(response.content.decode())


def test_identity_not_on_the_applicants_status_page(matrix, client):
    """Even the status link shows the request, not who made it."""
    request, secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    response = client.get(f"/requests/track/{request.tracking_code}/{secret}/")
    assert response.status_code == 200
    assert not _leaks(response.content.decode())


def test_identity_not_in_search_documents(published):
    """The documents the search app receives carry no applicant data."""
    source = DisclosureDocumentSource()
    documents = source.public_documents([str(published.pk)]) + list(
        source.iter_public_documents()
    )
    assert documents
    for document in documents:
        assert not _leaks(
            json.dumps(document.__dict__, default=str, ensure_ascii=False)
        )


def test_identity_not_in_audit_events_or_logs(matrix, published, caplog):
    """No event of the whole flow, rendered as the history shows it, and no log
    line contains the applicant's identity."""
    events = AuditEvent.objects.all()
    assert events.count() > 5
    for event in events:
        rendered = json.dumps(
            [event.verb, event.object_repr, event.note, event.before, event.after],
            ensure_ascii=False,
            default=str,
        )
        assert not _leaks(rendered)
    assert not _leaks(caplog.text)


def test_identity_not_in_staff_history_page(matrix, published):
    """The workspace history of the request (events) has no identity either, while
    the identity panel itself shows it to the agency's editor."""
    request = published.source_requests.get()
    html = matrix.client("editor_a").get(f"/workspace/requests/{request.pk}/").content
    page = html.decode()
    assert fx.APPLICANT_NAME in page
    history = page[page.index('id="history-title"') :]
    assert not _leaks(history)


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("editor_a", True),
        ("reviewer_a", True),
        ("superuser", False),
        ("coordinator", False),
    ],
)
def test_identity_shown_only_to_the_handling_agencys_staff(matrix, actor, sees):
    """Editors and reviewers of the agency see it in full; the city coordinator and
    a superuser oversee the request with it masked (page and API; the full matrix
    is in tests/security/test_identity.py)."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    client = matrix.client(actor)
    page = client.get(f"/workspace/requests/{request.pk}/").content.decode()
    api = client.get(f"/api/v1/requests/{request.pk}/").json()
    assert (fx.APPLICANT_ID in page) is sees
    assert (api["applicant"]["applicant_id_number"] == fx.APPLICANT_ID) is sees
    assert api["applicant_masked"] is not sees


def test_sensitive_post_parameters_hide_identity_in_error_reports(rf):
    """The public form marks identity fields so Django's error reports mask them."""
    from requests_.views import public

    request = rf.post("/requests/new/", {"applicant_name": fx.APPLICANT_NAME})
    request.session = {}
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    public.apply(request)
    assert "applicant_name" in request.sensitive_post_parameters


def test_changing_keys_keeps_old_data_readable(matrix, settings):
    """With a new key first, data written under the old key still decrypts."""
    from cryptography.fernet import Fernet

    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    settings.GONGKAI_FIELD_KEYS = [
        Fernet.generate_key().decode(),
        *settings.GONGKAI_FIELD_KEYS,
    ]
    request.refresh_from_db()
    assert request.applicant_name == fx.APPLICANT_NAME
    _ = services  # the services wrote the row above
