"""The actor matrix over entries, list versions and review tasks, through the client.

Staff pages send anonymous visitors to the login page; the API answers 403. An
object of another agency is a 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from negative_list import services
from negative_list.models import (
    Entry,
    Interpretation,
    ListVersion,
    ReviewCycle,
    ReviewTask,
)
from tests.conftest import A_STAFF, ACTORS, outcomes
from tests.negative_list import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_a(matrix, editor):
    return factories.draft(editor, matrix.agency_a)


@pytest.fixture
def task_a(matrix, published):
    cycle = services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="定期评审",
        agency=matrix.agency_a,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    return cycle.tasks.first()


READ_ENTRY = outcomes(A_STAFF)


@pytest.mark.parametrize("actor", ACTORS)
def test_read_entry_page(matrix, draft_a, actor):
    response = matrix.client(actor).get(
        f"/workspace/negative-list/entries/{draft_a.pk}/"
    )
    assert response.status_code == READ_ENTRY[actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_read_entry_api(matrix, draft_a, actor):
    expected = {**READ_ENTRY, "anonymous": 403}[actor]
    response = matrix.client(actor).get(f"/api/v1/negative-lists/entries/{draft_a.pk}/")
    assert response.status_code == expected


EDIT_ENTRY = outcomes(("editor_a", "superuser"))


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_entry_page(matrix, draft_a, actor):
    response = matrix.client(actor).get(
        f"/workspace/negative-list/entries/{draft_a.pk}/edit/"
    )
    assert response.status_code == EDIT_ENTRY[actor]


SUBMIT_ENTRY = outcomes(("editor_a", "superuser"), anonymous=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_submit_entry_api(matrix, draft_a, actor):
    response = matrix.client(actor).post(
        f"/api/v1/negative-lists/entries/{draft_a.pk}/submit/"
    )
    assert response.status_code == SUBMIT_ENTRY[actor]
    submitted = Entry.objects.get(pk=draft_a.pk).status == Entry.Status.SUBMITTED
    assert submitted is (SUBMIT_ENTRY[actor] == 200)


APPROVE_ENTRY = outcomes(("reviewer_a", "superuser"), anonymous=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_approve_entry_api(matrix, editor, actor):
    entry = factories.submitted(editor, matrix.agency_a)
    response = matrix.client(actor).post(
        f"/api/v1/negative-lists/entries/{entry.pk}/approve/"
    )
    assert response.status_code == APPROVE_ENTRY[actor]
    approved = Entry.objects.get(pk=entry.pk).status == Entry.Status.APPROVED
    assert approved is (APPROVE_ENTRY[actor] == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_entry_list_is_scoped(matrix, draft_a, actor):
    response = matrix.client(actor).get("/api/v1/negative-lists/entries/")
    if actor == "anonymous":
        assert response.status_code == 403
        return
    codes = [row["code"] for row in response.json()]
    visible = READ_ENTRY[actor] == 200
    assert codes == ([draft_a.code] if visible else [])


@pytest.mark.parametrize("actor", ACTORS)
def test_read_published_version_is_public(matrix, published, actor):
    client = matrix.client(actor)
    assert client.get("/negative-lists/310101000/versions/1/").status_code == 200
    api = client.get("/api/v1/negative-lists/agencies/310101000/versions/1/")
    assert api.status_code == 200


PUBLISH_VERSION = outcomes(
    ("reviewer_a", "coordinator", "superuser"), ok=201, anonymous=403
)


@pytest.mark.parametrize("actor", ACTORS)
def test_publish_version_api(matrix, editor, reviewer, actor):
    """Publishing creates version 1 and publishes the approved entry, or neither."""
    entry = factories.approved(editor, reviewer, matrix.agency_a)
    response = matrix.client(actor).post(
        "/api/v1/negative-lists/agencies/310101000/publish/"
    )
    assert response.status_code == PUBLISH_VERSION[actor]
    allowed = PUBLISH_VERSION[actor] == 201
    assert ListVersion.objects.filter(agency=matrix.agency_a).count() == int(allowed)
    entry.refresh_from_db()
    expected = Entry.Status.PUBLISHED if allowed else Entry.Status.APPROVED
    assert entry.status == expected


RETURN_ENTRY = {**APPROVE_ENTRY, "anonymous": 302, "reviewer_a": 302, "superuser": 302}


@pytest.mark.parametrize("actor", ACTORS)
def test_return_entry_page(matrix, editor, actor):
    """Only a reviewer of the agency sends a submitted entry back to draft."""
    entry = factories.submitted(editor, matrix.agency_a)
    response = matrix.client(actor).post(
        f"/workspace/negative-list/entries/{entry.pk}/return/", {"reason": "依据不足"}
    )
    assert response.status_code == RETURN_ENTRY[actor]
    returned = Entry.objects.get(pk=entry.pk).status == Entry.Status.DRAFT
    assert returned is (actor in {"reviewer_a", "superuser"})


INTERPRETATION = outcomes(A_STAFF, anonymous=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_interpretation_api(matrix, actor):
    """Staff of the agency (any role) write its interpretation; nobody else."""
    response = matrix.client(actor).post(
        "/api/v1/negative-lists/agencies/310101000/interpretation/update/",
        {
            "review_basis": "<p>依据</p>",
            "adjustment_standards": "",
            "operating_procedure": "",
        },
        content_type="application/json",
    )
    assert response.status_code == INTERPRETATION[actor]
    saved = Interpretation.objects.filter(
        agency=matrix.agency_a, review_basis="<p>依据</p>"
    ).exists()
    assert saved is (INTERPRETATION[actor] == 200)


PUBLISH_PAGE = {
    **PUBLISH_VERSION,
    "anonymous": 302,
    "reviewer_a": 200,
    "coordinator": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_publish_page(matrix, actor):
    response = matrix.client(actor).get(
        "/workspace/negative-list/agencies/310101000/publish/"
    )
    assert response.status_code == PUBLISH_PAGE[actor]


READ_TASK = READ_ENTRY


@pytest.mark.parametrize("actor", ACTORS)
def test_read_review_task_page(matrix, task_a, actor):
    response = matrix.client(actor).get(f"/workspace/negative-list/tasks/{task_a.pk}/")
    assert response.status_code == READ_TASK[actor]


RECORD_TASK = outcomes(("reviewer_a", "superuser"), anonymous=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_record_review_task_api(matrix, task_a, actor):
    response = matrix.client(actor).post(
        f"/api/v1/negative-lists/tasks/{task_a.pk}/record/",
        {"legality": "pass", "conciseness": "pass", "decision": "retain"},
    )
    assert response.status_code == RECORD_TASK[actor]
    task_a.refresh_from_db()
    done = RECORD_TASK[actor] == 200
    assert task_a.status == (ReviewTask.Status.DONE if done else ReviewTask.Status.OPEN)
    assert (task_a.reviewer == matrix.user(actor)) is done


OPEN_CYCLE = outcomes(("coordinator", "superuser"), ok=201, outsider=403, anonymous=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_open_review_cycle_api(matrix, published, actor):
    response = matrix.client(actor).post(
        "/api/v1/negative-lists/cycles/open/",
        {
            "title": "年度评审",
            "agency": "310101000",
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == OPEN_CYCLE[actor]
    opened = ReviewCycle.objects.filter(title="年度评审", agency=matrix.agency_a)
    assert opened.count() == int(OPEN_CYCLE[actor] == 201)


CLOSE_CYCLE = outcomes(("coordinator", "superuser"), ok=302)


@pytest.mark.parametrize("actor", ACTORS)
def test_close_review_cycle_page(matrix, task_a, reviewer, actor):
    """Only a coordinator of the cycle's scope closes it (publishing version 2)."""
    for task in ReviewTask.objects.filter(cycle=task_a.cycle):
        factories.retained(reviewer, task)
    response = matrix.client(actor).post(
        f"/workspace/negative-list/cycles/{task_a.cycle_id}/close/"
    )
    assert response.status_code == CLOSE_CYCLE[actor]
    closed = actor in {"coordinator", "superuser"}
    cycle = ReviewCycle.objects.get(pk=task_a.cycle_id)
    expected = ReviewCycle.Status.CLOSED if closed else ReviewCycle.Status.OPEN
    assert cycle.status == expected
    versions = ListVersion.objects.filter(agency=matrix.agency_a).count()
    assert versions == (2 if closed else 1)


def test_entry_participants_are_everyone_who_wrote_any_version(matrix):
    """The set holds the author of version 1, its editor, the amender of version 2
    and the submitter, and neither the approving nor the publishing reviewer."""
    from negative_list.permissions import entry_participants
    from tests.factories import MembershipFactory, UserFactory

    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    helper = UserFactory(username="helper")
    MembershipFactory(user=helper, agency=matrix.agency_a, role="editor")
    amender = UserFactory(username="amender")
    MembershipFactory(user=amender, agency=matrix.agency_a, role="editor")
    entry = factories.draft(editor, matrix.agency_a)
    services.entry_update(
        actor=helper, entry=entry, content=factories.content(notes="补充说明。")
    )
    services.entry_update(
        actor=editor, entry=entry, content=factories.content(notes="补充说明")
    )
    services.entry_submit(actor=editor, entry=entry)
    services.entry_approve(actor=reviewer, entry=entry)
    services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    assert entry_participants(entry) == {editor.pk, helper.pk}
    entry.refresh_from_db()
    services.entry_amend(actor=amender, entry=entry, change_note="调整")
    assert entry_participants(entry) == {editor.pk, helper.pk, amender.pk}
