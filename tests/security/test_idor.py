"""Attack family: insecure direct object references across agencies.

An editor of agency B guesses the ids and URLs of agency A's entries, review tasks,
requests, reply letters, disclosures and attachments, and tries to read them and
act on them through the workspace and the API. Every attempt is refused (403/404,
or a redirect carrying an error), no response carries A's text, and nothing of
A's changes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from negative_list import services as nl_services
from negative_list.models import Entry, ReviewTask
from requests_ import services as rq_services
from requests_.models import Disclosure, DisclosureRequest
from tests.requests_ import factories as rq
from tests.security.conftest import build_world

pytestmark = pytest.mark.django_db

MARKER = "甲区内部材料"


@pytest.fixture
def target(matrix):
    """Agency A's objects, each marked, plus a review task and a reply letter."""
    world = build_world(matrix, MARKER)
    cycle = nl_services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="年度评审",
        agency=matrix.agency_a,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    world.task = ReviewTask.objects.filter(cycle=cycle).first()
    world.cycle = cycle
    editor = matrix.user("editor_a")
    replied = rq_services.request_reply(
        actor=editor,
        request=rq.register(editor, matrix.agency_a, title=f"{MARKER}申请")[0],
        outcome="disclosed",
        reply_text=f"{MARKER}答复",
        reply_letter=rq.pdf_upload("letter", "letter.pdf"),
    )
    world.replied = replied
    return world


def state(world) -> list:
    """Everything an attack might change, to compare before and after."""
    return [
        list(
            Entry.objects.order_by("pk").values_list("pk", "status", "latest_version")
        ),
        list(
            DisclosureRequest.objects.order_by("pk").values_list(
                "pk", "status", "title", "description", "updated_at"
            )
        ),
        list(
            Disclosure.objects.order_by("pk").values_list(
                "pk", "status", "title", "body", "updated_at"
            )
        ),
        list(world.draft.attachments.values_list("pk", "file")),
        list(ReviewTask.objects.values_list("pk", "status")),
    ]


def read_urls(world, matrix) -> list[str]:
    a = matrix.agency_a.code
    d, r, t = world.draft, world.request, world.task
    return [
        f"/workspace/negative-list/entries/{world.entry.pk}/",
        f"/workspace/negative-list/entries/{world.draft_entry.pk}/",
        f"/workspace/negative-list/entries/{world.draft_entry.pk}/edit/",
        f"/workspace/negative-list/tasks/{t.pk}/",
        f"/workspace/negative-list/agencies/{a}/interpretation/",
        f"/workspace/negative-list/agencies/{a}/publish/",
        f"/workspace/requests/{r.pk}/",
        f"/workspace/requests/{world.replied.pk}/",
        f"/workspace/requests/{world.replied.pk}/letter/",
        f"/workspace/disclosures/{d.pk}/",
        f"/workspace/disclosures/{d.pk}/attachments/{world.attachment.pk}/",
        f"/api/v1/negative-lists/entries/{world.draft_entry.pk}/",
        f"/api/v1/negative-lists/tasks/{t.pk}/",
        f"/api/v1/requests/{r.pk}/",
        f"/api/v1/requests/{world.replied.pk}/",
        f"/api/v1/staff/disclosures/{d.pk}/",
        f"/api/v1/staff/disclosures/{world.published.pk}/",
    ]


def write_requests(world, matrix) -> list[tuple[str, dict]]:
    a = matrix.agency_a.code
    d, r, e, t = world.draft, world.request, world.draft_entry, world.task
    hit = d.screen_hits.first() if hasattr(d, "screen_hits") else None
    hit_pk = hit.pk if hit else 1
    body = {
        "title": "篡改",
        "scope": "篡改",
        "body": "篡改",
        "reason": "篡改",
        "reply_text": "篡改",
        "outcome": "disclosed",
        "notice": "篡改",
        "verdict": "pass",
        "decision": "retain",
        "review_basis": "篡改",
        "adjustment_standards": "篡改",
        "operating_procedure": "篡改",
    }
    urls = [
        f"/workspace/negative-list/entries/{e.pk}/edit/",
        f"/workspace/negative-list/entries/{e.pk}/submit/",
        f"/workspace/negative-list/entries/{world.entry.pk}/amend/",
        f"/workspace/negative-list/tasks/{t.pk}/",
        f"/workspace/negative-list/agencies/{a}/interpretation/",
        f"/workspace/negative-list/agencies/{a}/publish/",
        f"/workspace/requests/{r.pk}/accept/",
        f"/workspace/requests/{r.pk}/reply/",
        f"/workspace/requests/{r.pk}/withdraw/",
        f"/workspace/requests/{world.replied.pk}/conversion/",
        f"/workspace/requests/{world.replied.pk}/appeals/",
        f"/workspace/disclosures/{d.pk}/edit/",
        f"/workspace/disclosures/{d.pk}/attachments/",
        f"/workspace/disclosures/{d.pk}/attachments/{world.attachment.pk}/remove/",
        f"/workspace/disclosures/{d.pk}/screen/",
        f"/workspace/disclosures/{d.pk}/screen/{hit_pk}/mask/",
        f"/workspace/disclosures/{d.pk}/submit/",
        f"/workspace/disclosures/{world.published.pk}/withdraw/",
        f"/api/v1/negative-lists/entries/{e.pk}/update/",
        f"/api/v1/negative-lists/entries/{e.pk}/submit/",
        f"/api/v1/negative-lists/entries/{world.entry.pk}/amend/",
        f"/api/v1/negative-lists/tasks/{t.pk}/record/",
        f"/api/v1/negative-lists/agencies/{a}/publish/",
        f"/api/v1/negative-lists/agencies/{a}/interpretation/update/",
        f"/api/v1/negative-lists/agencies/{a}/import/",
        f"/api/v1/requests/{r.pk}/accept/",
        f"/api/v1/requests/{r.pk}/reply/",
        f"/api/v1/requests/{r.pk}/withdraw/",
        f"/api/v1/requests/{world.replied.pk}/close/",
        f"/api/v1/requests/{world.replied.pk}/conversion/",
        f"/api/v1/staff/disclosures/{d.pk}/update/",
        f"/api/v1/staff/disclosures/{d.pk}/attachments/",
        f"/api/v1/staff/disclosures/{d.pk}/submit/",
        f"/api/v1/staff/disclosures/{world.published.pk}/withdraw/",
        f"/api/v1/staff/disclosures/{d.pk}/hits/{hit_pk}/accept/",
    ]
    return [(url, body) for url in urls]


def test_editor_of_b_cannot_read_a(target, matrix):
    """Every read of A's objects by B's editor is 403/404 and shows none of A's text."""
    client = matrix.client("editor_b")
    for url in read_urls(target, matrix):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert MARKER not in response.content.decode(), url


def test_editor_of_b_cannot_act_on_a(target, matrix):
    """Every state change on A's objects by B's editor is refused; nothing changes."""
    before = state(target)
    client = matrix.client("editor_b")
    for url, body in write_requests(target, matrix):
        response = client.post(url, body)
        assert response.status_code in (302, 400, 403, 404, 405), url
        assert MARKER not in response.content.decode(), url
        if response.status_code == 302:
            # A workspace redirect must not land on A's object with a success.
            assert (
                "/workspace/" in response["Location"]
                or "/accounts/" in (response["Location"])
            ), url
    assert state(target) == before


def test_lists_of_b_show_nothing_of_a(target, matrix):
    """B's workspace lists, queues and API lists carry none of A's items."""
    client = matrix.client("editor_b")
    for url in (
        "/workspace/",
        "/workspace/negative-list/",
        "/workspace/negative-list/review/",
        "/workspace/requests/",
        "/workspace/disclosures/",
        "/api/v1/negative-lists/entries/",
        "/api/v1/requests/",
        "/api/v1/staff/disclosures/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode(), url


def test_anonymous_cannot_read_drafts_or_requests(target, matrix):
    """Anonymous callers get nothing of drafts, requests, tasks or letters."""
    client = matrix.client("anonymous")
    for url in read_urls(target, matrix):
        response = client.get(url)
        assert response.status_code in (302, 401, 403, 404), url
        assert MARKER not in response.content.decode(), url


def test_public_attachment_url_of_a_draft_is_404(target, matrix):
    """A draft's attachment id under a published disclosure's index number: 404."""
    url = (
        f"/disclosures/{target.published.index_no}/attachments/{target.attachment.pk}/"
    )
    assert matrix.client("anonymous").get(url).status_code == 404


def test_the_urls_are_real(target, matrix):
    """Control: A's own staff can open every URL the attacks aim at."""
    clients = [matrix.client(a) for a in ("editor_a", "reviewer_a", "coordinator")]
    for url in read_urls(target, matrix):
        codes = [client.get(url).status_code for client in clients]
        assert 200 in codes, (url, codes)
