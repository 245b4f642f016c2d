"""Attack family: mass assignment through the API.

A signed-in editor sends extra fields the input serializers do not declare —
``status``, ``index_no``, ``tracking_code``, ``serial``, ``created_by``, ``agency``
of another scope, ``is_superuser`` — hoping the API writes them. The nested Input
serializers name every writable field; everything else is dropped, and the agency
a write lands in is checked by the service against the actor's roles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from negative_list.models import Entry, Exemption, Provision
from portal.models import Membership, Role
from requests_.models import Disclosure, DisclosureRequest
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db


def entry_body(**extra):
    return {
        "category": Exemption.objects.get(code="process_info").pk,
        "title": "内部讨论记录",
        "scope": "尚未形成决定的讨论记录",
        "provisions": [Provision.objects.first().pk],
        **extra,
    }


def test_entry_create_ignores_status_serial_code_and_author(matrix):
    """Extra fields on entry creation are ignored: a draft by the caller, numbered
    by the service."""
    client = matrix.client("editor_a")
    response = client.post(
        "/api/v1/negative-lists/entries/create/",
        entry_body(
            agency=matrix.agency_a.code,
            status="published",
            serial=999,
            code="HACKED-001",
            created_by=matrix.user("superuser").pk,
            published_version=1,
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.DRAFT
    assert entry.serial != 999
    assert entry.code != "HACKED-001"
    assert entry.created_by == matrix.user("editor_a")
    assert entry.published_version is None


def test_entry_create_in_another_agency_is_refused(matrix):
    """Naming agency B as the agency of a new entry is refused, nothing created."""
    response = matrix.client("editor_a").post(
        "/api/v1/negative-lists/entries/create/",
        entry_body(agency=matrix.agency_b.code),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"]
    assert not Entry.objects.exists()


def test_entry_update_cannot_move_or_publish(matrix):
    """An update carrying agency, status or serial changes only the wording."""
    client = matrix.client("editor_a")
    created = client.post(
        "/api/v1/negative-lists/entries/create/",
        entry_body(agency=matrix.agency_a.code),
        content_type="application/json",
    ).json()
    entry = Entry.objects.get()
    response = client.post(
        f"/api/v1/negative-lists/entries/{entry.pk}/update/",
        entry_body(
            title="改后标题",
            agency=matrix.agency_b.code,
            status="approved",
            serial=1,
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    entry.refresh_from_db()
    assert entry.agency == matrix.agency_a
    assert entry.status == Entry.Status.DRAFT
    assert entry.code == created["code"]


def test_disclosure_update_cannot_set_status_index_or_agency(matrix):
    """Extra fields on a disclosure update are dropped by the Input serializer."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a)
    index_no, agency = draft.index_no, draft.agency_id
    response = matrix.client("editor_a").post(
        f"/api/v1/staff/disclosures/{draft.pk}/update/",
        {
            "title": "新标题",
            "status": "published",
            "index_no": "HACK/2026-99999",
            "agency": matrix.agency_b.pk,
            "publish_at": "2020-01-01T00:00:00Z",
            "is_valid": False,
            "source": "hack",
            "approved_by": matrix.user("reviewer_a").pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.title == "新标题"
    assert draft.status == "draft"
    assert draft.index_no == index_no
    assert draft.agency_id == agency
    assert draft.approved_by is None
    assert draft.approved_at is None
    assert draft.is_valid
    assert not Disclosure.objects.filter(status="published").exists()


def test_request_create_cannot_set_status_code_or_agency_of_another_scope(matrix):
    """Registering with a chosen status or tracking code is ignored; another
    agency is refused."""
    client = matrix.client("editor_a")
    body = {
        "channel": "post",
        "received_on": dt.date.today().isoformat(),
        "title": "某文件",
        "description": "申请某文件",
        **rq.applicant(),
        "status": "replied",
        "tracking_code": "HACKED",
        "outcome": "disclosed",
        "secret_hash": "0" * 64,
    }
    refused = client.post(
        "/api/v1/requests/create/",
        {**body, "agency": matrix.agency_b.code},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not DisclosureRequest.objects.exists()
    made = client.post(
        "/api/v1/requests/create/",
        {**body, "agency": matrix.agency_a.code},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    request = DisclosureRequest.objects.get()
    assert request.status == "received"
    assert request.tracking_code != "HACKED"
    assert request.outcome in ("", None)
    assert request.secret_hash != "0" * 64


def test_editor_cannot_grant_themselves_a_role(matrix):
    """An editor granting themselves coordinator of the city is refused."""
    editor = matrix.user("editor_a")
    response = matrix.client("editor_a").post(
        "/api/v1/memberships/grant/",
        {
            "username": editor.username,
            "agency": matrix.city.code,
            "role": "coordinator",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=editor, role=Role.COORDINATOR).exists()


def test_profile_fields_are_not_writable_through_the_api(matrix):
    """/api/v1/me/ is read-only: no way to become staff or superuser."""
    client = matrix.client("editor_a")
    for method in (client.post, client.put, client.patch):
        response = method(
            "/api/v1/me/",
            {"is_superuser": True, "is_staff": True},
            content_type="application/json",
        )
        assert response.status_code == 405
    editor = matrix.user("editor_a")
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert not editor.is_staff
