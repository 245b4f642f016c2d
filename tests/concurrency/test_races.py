"""Races on PostgreSQL: exactly one transition wins, numbers stay unique.

Two reviewers approve the same entry or disclosure at the same instant, two
editors amend the same published entry, a reviewer approves while another returns,
and bursts of 20 online submissions, entry creations and draft creations run at
once. The services lock the row (``select_for_update``) and check the guard after
the lock, so the loser sees the winner's committed state and gets ``Conflict``
(code ``conflict``, "该记录已被他人修改，请刷新后重试。"); serials, index numbers and
tracking codes never collide.
"""

from __future__ import annotations

import pytest

from django.db import transaction

from negative_list import services as nl_services
from negative_list.models import Entry, EntryVersion
from portal.errors import CONFLICT, Conflict
from portal.models import AuditEvent, Role
from requests_ import services as rq_services
from requests_.models import Disclosure, DisclosureRequest
from requests_.services import disclosures
from tests.concurrency.conftest import race, race_each, requires_postgresql
from tests.factories import MembershipFactory, UserFactory
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

pytestmark = [
    requires_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BURST = 20


def second(matrix, role: str, name: str):
    """Another member of staff with ``role`` at agency A."""
    user = UserFactory(username=name)
    MembershipFactory(user=user, agency=matrix.agency_a, role=role)
    return user


def assert_one_winner(outcome, contenders: int = 2) -> Conflict:
    """Exactly one result; every other contender got the conflict error."""
    assert len(outcome.results) == 1, outcome.errors
    assert len(outcome.errors) == contenders - 1
    for error in outcome.errors.values():
        assert isinstance(error, Conflict), repr(error)
        assert error.code == "conflict"
        assert error.message == str(CONFLICT)
    return next(iter(outcome.errors.values()))


# Per kind of item: how one is built submitted, how a reviewer approves it (read
# afresh in the contender's thread), its approved status and its audit verb.
TWO_APPROVALS = {
    "entry": (
        nl.submitted,
        lambda r, pk: nl_services.entry_approve(
            actor=r, entry=Entry.objects.get(pk=pk)
        ),
        Entry.Status.APPROVED,
        "negative_list.entry.approve",
    ),
    "disclosure": (
        rq.submitted,
        lambda r, pk: rq_services.disclosure_approve(
            actor=r, disclosure=Disclosure.objects.get(pk=pk)
        ),
        "published",
        "disclosure.approve",
    ),
}


@pytest.mark.parametrize("kind", TWO_APPROVALS)
def test_two_reviewers_approve_the_same_item(matrix, kind):
    """One approval wins, recorded once in the audit trail; the other reviewer is
    told the state no longer allows it."""
    build, approve, approved, verb = TWO_APPROVALS[kind]
    item = build(matrix.user("editor_a"), matrix.agency_a)
    reviewers = [matrix.user("reviewer_a"), second(matrix, Role.REVIEWER, "rev2")]
    outcome = race_each(reviewers, lambda r: approve(r, item.pk))
    assert_one_winner(outcome)
    item.refresh_from_db()
    assert item.status == approved
    assert AuditEvent.objects.filter(verb=verb).count() == 1


def test_approve_and_return_race_on_one_entry(matrix):
    """A reviewer approving and another returning: one decision stands."""
    entry = nl.submitted(matrix.user("editor_a"), matrix.agency_a)
    other = second(matrix, Role.REVIEWER, "rev2")
    outcome = race(
        [
            lambda: nl_services.entry_approve(
                actor=matrix.user("reviewer_a"), entry=Entry.objects.get(pk=entry.pk)
            ),
            lambda: nl_services.entry_return(
                actor=other, entry=Entry.objects.get(pk=entry.pk), reason="请修改"
            ),
        ]
    )
    assert_one_winner(outcome)
    entry.refresh_from_db()
    assert entry.status in (Entry.Status.APPROVED, Entry.Status.DRAFT)


def test_two_editors_amend_the_same_published_entry(matrix):
    """One amendment starts a new version; the other editor gets the error."""
    editor = matrix.user("editor_a")
    nl.published_list(editor, matrix.user("reviewer_a"), matrix.agency_a, [{}])
    entry = Entry.objects.get()
    editors = [editor, second(matrix, Role.EDITOR, "ed2")]
    outcome = race_each(
        editors,
        lambda e: nl_services.entry_amend(
            actor=e, entry=Entry.objects.get(pk=entry.pk), change_note="修订"
        ),
    )
    assert_one_winner(outcome)
    assert EntryVersion.objects.filter(entry=entry).count() == 2


def test_a_burst_of_online_submissions_gets_unique_tracking_codes(matrix):
    """Twenty applicants submitting at once all get in, each with its own code."""

    def submit(index: int):
        return rq_services.request_submit_online(
            agency=matrix.agency_a,
            applicant_type="natural_person",
            applicant_name=f"申请人{index}",
            applicant_id_number=rq.APPLICANT_ID,
            applicant_phone="13912345678",
            title=f"申请{index}",
            description="申请公开某文件",
        )

    outcome = race([lambda i=i: submit(i) for i in range(BURST)])
    assert outcome.errors == {}
    codes = [registered.request.tracking_code for registered in outcome.winners]
    secrets = [registered.secret for registered in outcome.winners]
    assert len(set(codes)) == BURST
    assert len(set(secrets)) == BURST
    assert DisclosureRequest.objects.count() == BURST


def test_a_burst_of_entry_creations_gets_unique_serials(matrix):
    """Twenty drafts created at once in one agency get serials 1..20."""
    editor = matrix.user("editor_a")
    outcome = race(
        [
            lambda i=i: nl.draft(editor, matrix.agency_a, title=f"事项{i}")
            for i in range(BURST)
        ]
    )
    assert outcome.errors == {}
    serials = sorted(Entry.objects.values_list("serial", flat=True))
    assert serials == list(range(1, BURST + 1))
    assert Entry.objects.values("code").distinct().count() == BURST


def test_a_burst_of_drafts_gets_unique_index_numbers(matrix):
    """Twenty disclosure drafts created at once get consecutive index numbers."""
    editor = matrix.user("editor_a")

    def create(index: int) -> Disclosure:
        # The service runs inside the conversion decision's transaction.
        with transaction.atomic():
            return disclosures.disclosure_create_draft(
                actor=editor, agency=matrix.agency_a, title=f"公开{index}"
            )

    outcome = race([lambda i=i: create(i) for i in range(BURST)])
    assert outcome.errors == {}
    numbers = sorted(d.index_no for d in outcome.winners)
    assert len(set(numbers)) == BURST
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert serials == list(range(serials[0], serials[0] + BURST))
