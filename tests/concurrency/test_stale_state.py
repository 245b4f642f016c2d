"""A lost race seen from one connection: acting on a record someone changed.

The user loaded the page while the entry, disclosure or request was in a state
that allowed the action; another user acted first. The service locks the row,
finds the state changed and answers ``Conflict`` ("该记录已被他人修改，请刷新后
重试。", HTTP 409) instead of a bare "not allowed now". Acting on a state that
never allowed the action stays ``invalid_transition``. Runs on every database.
"""

from __future__ import annotations

import pytest

from negative_list import services as nl_services
from negative_list.models import Entry
from portal.errors import CONFLICT, Conflict, InvalidTransition
from requests_ import services as rq_services
from requests_.models import Disclosure
from tests.factories import MembershipFactory, UserFactory
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_reviewer(matrix):
    user = UserFactory(username="rev2")
    MembershipFactory(user=user, agency=matrix.agency_a, role="reviewer")
    return user


def test_stale_entry_approval_is_a_conflict(matrix, other_reviewer):
    """Approving an entry another reviewer approved since the page loaded."""
    entry = nl.submitted(matrix.user("editor_a"), matrix.agency_a)
    seen = Entry.objects.get(pk=entry.pk)
    nl_services.entry_approve(
        actor=other_reviewer, entry=Entry.objects.get(pk=entry.pk)
    )
    with pytest.raises(Conflict) as caught:
        nl_services.entry_approve(actor=matrix.user("reviewer_a"), entry=seen)
    assert caught.value.message == str(CONFLICT)
    assert isinstance(caught.value, InvalidTransition)


def test_action_never_allowed_stays_invalid_transition(matrix):
    """Approving a draft nobody submitted is not a conflict, just not allowed."""
    entry = nl.draft(matrix.user("editor_a"), matrix.agency_a)
    with pytest.raises(InvalidTransition) as caught:
        nl_services.entry_approve(actor=matrix.user("reviewer_a"), entry=entry)
    assert not isinstance(caught.value, Conflict)
    assert caught.value.code == "invalid_transition"


def test_stale_disclosure_approval_is_a_conflict(matrix, other_reviewer):
    """Publishing a disclosure another reviewer already published."""
    disclosure = rq.submitted(matrix.user("editor_a"), matrix.agency_a)
    seen = Disclosure.objects.get(pk=disclosure.pk)
    rq_services.disclosure_approve(
        actor=other_reviewer, disclosure=Disclosure.objects.get(pk=disclosure.pk)
    )
    with pytest.raises(Conflict):
        rq_services.disclosure_approve(actor=matrix.user("reviewer_a"), disclosure=seen)


def test_stale_request_reply_is_a_conflict(matrix):
    """Replying to a request the applicant withdrew meanwhile."""
    editor = matrix.user("editor_a")
    request, secret = rq.register(editor, matrix.agency_a)
    seen = type(request).objects.get(pk=request.pk)
    rq_services.request_withdraw(
        actor=matrix.user("anonymous"), request=request, applicant_secret=secret
    )
    with pytest.raises(Conflict):
        rq_services.request_reply(
            actor=editor, request=seen, outcome="disclosed", reply_text="现予公开。"
        )


def test_the_api_answers_409_to_a_repeated_approval(matrix):
    """A second approval through the API is 409 in the error shape.

    The API reads the entry afresh, so a repeat after the first committed is
    ``invalid_transition``; a race inside the request is ``conflict`` (above, and
    between real threads in ``test_races``).
    """
    entry = nl.submitted(matrix.user("editor_a"), matrix.agency_a)
    client = matrix.client("reviewer_a")
    first = client.post(f"/api/v1/negative-lists/entries/{entry.pk}/approve/", {})
    assert first.status_code == 200, first.content
    again = client.post(f"/api/v1/negative-lists/entries/{entry.pk}/approve/", {})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
