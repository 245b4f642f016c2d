"""One answer to a refused action, in every app (``portal.web.run_service``).

A refusal of right is the 403 page saying why; any other refusal re-renders the
page the user acted on with status 400 and the service's message. Either way the
record is unchanged. Each case goes through the real client, the real view and
the real service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import pytest

from django.urls import reverse

from negative_list.models import Entry
from portal.errors import INVALID_TRANSITION, PERMISSION_DENIED
from portal.models import Membership, Role
from portal.services import ROLE_EXISTS
from requests_ import services as rq_services
from requests_.models import DisclosureStatus, RequestStatus
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    """One POST that a service refuses, and how to read the state it must keep."""

    client: object
    url: str
    data: dict
    state: Callable[[], object]


def _status_case(matrix, actor: str, obj, url: str) -> Case:
    """A POST by ``actor`` to ``url`` that must leave ``obj``'s status as it is."""
    return Case(
        matrix.client(actor),
        url,
        {},
        lambda: type(obj).objects.get(pk=obj.pk).status,
    )


def _entry_case(matrix, actor: str, action: str) -> Case:
    entry = nl.submitted(matrix.user("editor_a"), matrix.agency_a)
    url = f"/workspace/negative-list/entries/{entry.pk}/{action}/"
    return _status_case(matrix, actor, entry, url)


def _request_case(matrix, actor: str, action: str) -> Case:
    request = rq.replied(matrix.user("editor_a"), matrix.agency_a)
    url = f"/workspace/requests/{request.pk}/{action}/"
    return _status_case(matrix, actor, request, url)


def _disclosure_case(matrix, actor: str, action: str) -> Case:
    disclosure = rq.submitted(matrix.user("editor_a"), matrix.agency_a)
    url = f"/workspace/disclosures/{disclosure.pk}/{action}/"
    return _status_case(matrix, actor, disclosure, url)


def _revoke_own_role(matrix) -> Case:
    membership = Membership.objects.get(user=matrix.user("editor_a"))
    return Case(
        matrix.client("editor_a"),
        reverse("workspace:membership_revoke", args=[membership.pk]),
        {},
        lambda: sorted(Membership.objects.values_list("pk", flat=True)),
    )


def _grant_a_role_held(matrix) -> Case:
    return Case(
        matrix.client("coordinator"),
        reverse("workspace:membership_grant", args=[matrix.agency_a.code]),
        {"user": matrix.user("editor_a").pk, "role": Role.EDITOR},
        lambda: sorted(Membership.objects.values_list("pk", flat=True)),
    )


def _withdraw_a_replied_request(matrix) -> Case:
    request, secret = rq.register(matrix.user("editor_a"), matrix.agency_a)
    rq_services.request_reply(
        actor=matrix.user("editor_a"),
        request=request,
        outcome="disclosed",
        reply_text="经查，现将所申请信息提供给您。",
        exemption_code="",
    )
    return Case(
        matrix.client("anonymous"),
        f"/requests/track/{request.tracking_code}/{secret}/withdraw/",
        {},
        lambda: type(request).objects.get(pk=request.pk).status,
    )


PERMISSION_REFUSALS = {
    "entry approved by its editor": (
        lambda m: _entry_case(m, "editor_a", "approve"),
        PERMISSION_DENIED,
    ),
    "request handled by a reviewer": (
        lambda m: _request_case(m, "reviewer_a", "close"),
        PERMISSION_DENIED,
    ),
    "disclosure approved by an editor": (
        lambda m: _disclosure_case(m, "editor_a", "approve"),
        PERMISSION_DENIED,
    ),
    "own role revoked by an editor": (_revoke_own_role, PERMISSION_DENIED),
}

STATE_REFUSALS = {
    "entry submitted twice": (
        lambda m: _entry_case(m, "editor_a", "submit"),
        INVALID_TRANSITION,
    ),
    "replied request accepted": (
        lambda m: _request_case(m, "editor_a", "accept"),
        INVALID_TRANSITION,
    ),
    "disclosure submitted twice": (
        lambda m: _disclosure_case(m, "editor_a", "submit"),
        INVALID_TRANSITION,
    ),
    "role granted twice": (_grant_a_role_held, ROLE_EXISTS),
    "replied request withdrawn by the applicant": (
        _withdraw_a_replied_request,
        INVALID_TRANSITION,
    ),
}


@pytest.mark.parametrize("name", list(PERMISSION_REFUSALS))
def test_a_refusal_of_right_is_the_403_page_saying_why(matrix, name):
    """Every app answers a service's refusal of right with the 403 page carrying
    the service's message, and the record is unchanged."""
    build, message = PERMISSION_REFUSALS[name]
    case = build(matrix)
    before = case.state()
    response = case.client.post(case.url, case.data)
    assert response.status_code == 403
    assert f'<p id="refusal">{escape(str(message))}</p>' in response.content.decode()
    assert case.state() == before


@pytest.mark.parametrize("name", list(STATE_REFUSALS))
def test_any_other_refusal_re_renders_the_page_with_400_and_the_message(matrix, name):
    """Every app answers a wrong-state or broken-rule refusal by re-rendering the
    page with status 400 and the service's message (no redirect), and the record
    is unchanged."""
    build, message = STATE_REFUSALS[name]
    case = build(matrix)
    before = case.state()
    response = case.client.post(case.url, case.data)
    assert response.status_code == 400
    assert escape(str(message)) in response.content.decode()
    assert case.state() == before


def test_the_states_the_refusals_start_from(matrix):
    """The cases above start where they claim: a submitted entry and disclosure, a
    replied request (so the refusals are about state, not a missing record)."""
    assert _entry_case(matrix, "editor_a", "submit").state() == Entry.Status.SUBMITTED
    assert (
        _disclosure_case(matrix, "editor_a", "submit").state()
        == DisclosureStatus.SUBMITTED
    )
    assert _request_case(matrix, "editor_a", "accept").state() == RequestStatus.REPLIED
