"""Every transition of the entry workflow, its guards, four eyes and audit events."""

from __future__ import annotations

import pytest

from negative_list import services
from negative_list.models import Entry
from negative_list.services.entries import (
    NOT_A_DRAFT,
    PROVISION_REQUIRED,
    RETURN_REASON_REQUIRED,
)
from negative_list.services.workflow import Action
from portal.audit import events_for
from portal.errors import (
    DomainError,
    FourEyesViolation,
    InvalidTransition,
    PermissionDenied,
)
from portal.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.negative_list import factories

pytestmark = pytest.mark.django_db


def verbs(entry: Entry) -> list[str]:
    return list(events_for(entry).order_by("id").values_list("verb", flat=True))


def test_create_makes_a_draft_with_agency_code_and_serial(matrix, editor):
    """A new entry is a draft, coded agency code + serial, version 1 by its author."""
    first = factories.draft(editor, matrix.agency_a)
    second = factories.draft(editor, matrix.agency_a, title="第二个事项")
    assert first.status == Entry.Status.DRAFT
    assert (first.code, second.code) == ("310101000-001", "310101000-002")
    assert first.latest_version.number == 1
    assert first.latest_version.author == editor
    assert verbs(first) == ["negative_list.entry.create"]


def test_editor_of_another_agency_cannot_create(matrix):
    """Editors draft only for their own agencies."""
    with pytest.raises(PermissionDenied):
        factories.draft(matrix.user("editor_b"), matrix.agency_a)


def test_blank_scope_is_refused_naming_the_field(matrix, editor):
    with pytest.raises(DomainError) as caught:
        factories.draft(editor, matrix.agency_a, scope="  ")
    assert caught.value.field == "scope"


def test_update_changes_draft_and_records_the_change(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a)
    services.entry_update(
        actor=editor, entry=entry, content=factories.content(title="区政府专题会议记录")
    )
    entry.refresh_from_db()
    assert entry.latest_version.title == "区政府专题会议记录"
    event = events_for(entry).filter(verb="negative_list.entry.update").get()
    assert event.after["title"] == "区政府专题会议记录"


def test_update_refused_once_submitted(matrix, editor):
    entry = factories.submitted(editor, matrix.agency_a)
    with pytest.raises(InvalidTransition) as caught:
        services.entry_update(actor=editor, entry=entry, content=factories.content())
    assert caught.value.message == str(NOT_A_DRAFT)


def test_submit_moves_draft_to_submitted(matrix, editor):
    entry = factories.submitted(editor, matrix.agency_a)
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.latest_version.submitted_at is not None
    assert verbs(entry)[-1] == "negative_list.entry.submit"


def test_submit_requires_a_cited_provision(matrix, editor):
    """An entry rests on at least one provision before legal review."""
    entry = factories.draft(editor, matrix.agency_a, provisions=())
    with pytest.raises(DomainError) as caught:
        services.entry_submit(actor=editor, entry=entry)
    assert caught.value.message == str(PROVISION_REQUIRED)


def test_reviewer_cannot_submit(matrix, editor, reviewer):
    entry = factories.draft(editor, matrix.agency_a)
    with pytest.raises(PermissionDenied):
        services.entry_submit(actor=reviewer, entry=entry)


def test_approve_moves_submitted_to_approved(matrix, editor, reviewer):
    entry = factories.approved(editor, reviewer, matrix.agency_a)
    assert entry.status == Entry.Status.APPROVED
    assert entry.latest_version.reviewed_by == reviewer
    assert verbs(entry)[-1] == "negative_list.entry.approve"


def test_approve_a_draft_is_an_invalid_transition(matrix, editor, reviewer):
    entry = factories.draft(editor, matrix.agency_a)
    with pytest.raises(InvalidTransition):
        services.entry_approve(actor=reviewer, entry=entry)


def test_editor_cannot_approve(matrix, editor):
    entry = factories.submitted(editor, matrix.agency_a)
    with pytest.raises(PermissionDenied):
        services.entry_approve(actor=matrix.user("editor_b"), entry=entry)


def test_four_eyes_reviewer_never_approves_what_they_authored(matrix):
    """A user who is both editor and reviewer cannot approve their own draft."""
    both = UserFactory(username="both_roles")
    MembershipFactory(user=both, agency=matrix.agency_a, role=Role.EDITOR)
    MembershipFactory(user=both, agency=matrix.agency_a, role=Role.REVIEWER)
    entry = factories.submitted(both, matrix.agency_a)
    with pytest.raises(FourEyesViolation):
        services.entry_approve(actor=both, entry=entry)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


def test_four_eyes_reviewer_never_approves_what_they_last_edited(matrix, editor):
    """Editing someone else's draft makes you its last editor: no approval."""
    both = UserFactory(username="both_roles")
    MembershipFactory(user=both, agency=matrix.agency_a, role=Role.EDITOR)
    MembershipFactory(user=both, agency=matrix.agency_a, role=Role.REVIEWER)
    entry = factories.draft(editor, matrix.agency_a)
    services.entry_update(
        actor=both, entry=entry, content=factories.content(notes="补充")
    )
    services.entry_submit(actor=editor, entry=entry)
    with pytest.raises(FourEyesViolation):
        services.entry_approve(actor=both, entry=entry)


def test_return_sends_back_to_draft_with_reasons(matrix, editor, reviewer):
    entry = factories.submitted(editor, matrix.agency_a)
    services.entry_return(
        actor=reviewer, entry=entry, reason="依据引用不准确，请改引第十六条第二款。"
    )
    entry.refresh_from_db()
    assert entry.status == Entry.Status.DRAFT
    assert entry.latest_version.return_reason.startswith("依据引用不准确")
    event = events_for(entry).filter(verb="negative_list.entry.return").get()
    assert event.note.startswith("依据引用不准确")


def test_return_requires_a_reason(matrix, editor, reviewer):
    entry = factories.submitted(editor, matrix.agency_a)
    with pytest.raises(DomainError) as caught:
        services.entry_return(actor=reviewer, entry=entry, reason=" ")
    assert caught.value.message == str(RETURN_REASON_REQUIRED)


def test_publish_moves_approved_to_published(matrix, published):
    entries = Entry.objects.filter(agency=matrix.agency_a)
    assert {e.status for e in entries} == {Entry.Status.PUBLISHED}
    assert all(e.published_version_id == e.latest_version_id for e in entries)


def test_amend_creates_new_version_and_keeps_the_old_readable(
    matrix, published, editor
):
    """An amendment is a new version; the published wording stays as it was."""
    entry = Entry.objects.get(code="310101000-001")
    services.entry_amend(actor=editor, entry=entry, change_note="收窄范围")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.DRAFT
    assert entry.latest_version.number == 2
    assert entry.published_version.number == 1
    assert entry.versions.count() == 2
    assert list(entry.latest_version.provisions.all()) == list(
        entry.published_version.provisions.all()
    )


def test_amend_only_from_published(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a)
    with pytest.raises(InvalidTransition):
        services.entry_amend(actor=editor, entry=entry)


def test_revoked_role_takes_effect_at_once(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a)
    Membership.objects.filter(user=editor).delete()
    with pytest.raises(PermissionDenied):
        services.entry_submit(actor=editor, entry=entry)


# The arrows of ``draft → submitted → approved → published`` that the entry
# services take (publishing and retiring run through the list and review
# services, tested with them): (state, action) → state after.
ARROWS = {
    (Entry.Status.DRAFT, Action.SUBMIT): Entry.Status.SUBMITTED,
    (Entry.Status.SUBMITTED, Action.APPROVE): Entry.Status.APPROVED,
    (Entry.Status.SUBMITTED, Action.RETURN): Entry.Status.DRAFT,
    (Entry.Status.PUBLISHED, Action.AMEND): Entry.Status.DRAFT,
}
STATES = (
    Entry.Status.DRAFT,
    Entry.Status.SUBMITTED,
    Entry.Status.APPROVED,
    Entry.Status.PUBLISHED,
)


def _entry_in(state: str, matrix, editor, reviewer) -> Entry:
    agency = matrix.agency_a
    if state == Entry.Status.DRAFT:
        return factories.draft(editor, agency)
    if state == Entry.Status.SUBMITTED:
        return factories.submitted(editor, agency)
    if state == Entry.Status.APPROVED:
        return factories.approved(editor, reviewer, agency)
    factories.published_list(editor, reviewer, agency, [{}])
    return Entry.objects.get(agency=agency)


def _take(action: str, entry: Entry, editor, reviewer) -> Entry:
    if action == Action.SUBMIT:
        return services.entry_submit(actor=editor, entry=entry)
    if action == Action.APPROVE:
        return services.entry_approve(actor=reviewer, entry=entry)
    if action == Action.RETURN:
        return services.entry_return(actor=reviewer, entry=entry, reason="须补充依据")
    return services.entry_amend(actor=editor, entry=entry, change_note="修订")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    "action", [Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.AMEND]
)
def test_each_state_takes_exactly_its_arrows(matrix, editor, reviewer, state, action):
    """From every state an action either moves the entry along its arrow, with
    its audit event, or is refused as invalid and changes nothing."""
    entry = _entry_in(state, matrix, editor, reviewer)
    before = verbs(entry)
    target = ARROWS.get((state, action))
    if target is None:
        with pytest.raises(InvalidTransition):
            _take(action, entry, editor, reviewer)
        entry.refresh_from_db()
        assert entry.status == state
        assert verbs(entry) == before
        return
    _take(action, entry, editor, reviewer)
    entry.refresh_from_db()
    assert entry.status == target
    assert verbs(entry) == [*before, f"negative_list.entry.{action}"]
