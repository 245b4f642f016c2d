"""The conversion decision and the 第四十四条 suggestion."""

from __future__ import annotations

import re

import pytest

from portal.errors import DomainError, InvalidTransition, PermissionDenied
from requests_ import selectors, services
from requests_.models import Outcome
from requests_.services import conversion
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def test_convert_creates_a_draft_with_an_index_number(matrix):
    """Converting a disclosed request creates a draft linked to the request."""
    editor = matrix.user("editor_a")
    request = fx.replied(editor, matrix.agency_a)
    request = services.conversion_decide(
        actor=editor, request=request, decision="convert"
    )
    draft = request.disclosure
    assert draft.status == "draft"
    assert re.fullmatch(r"310101000/\d{4}-\d{5}", draft.index_no)
    assert draft.title == request.title
    assert list(draft.source_requests.all()) == [request]
    deadline = selectors.publication_deadline(draft)
    assert deadline["due"] > request.conversion_decided_on
    assert "20 个工作日" in deadline["explanation"]


def test_partial_disclosure_also_needs_the_decision(matrix):
    """部分公开 counts as released information."""
    request = fx.replied(
        matrix.user("editor_a"), matrix.agency_a, outcome=Outcome.PARTIAL
    )
    assert request.needs_conversion_decision


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [
        ("", "", conversion.REASON_REQUIRED),
        ("other_personal", "", conversion.NOTE_REQUIRED),
    ],
)
def test_not_converting_needs_a_reason(matrix, reason, note, message):
    """Not converting needs one of the listed reasons; "other" needs free text."""
    editor = matrix.user("editor_a")
    request = fx.replied(editor, matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        fx.propose(editor, request, reason, note=note)
    assert exc.value.message == message
    assert request.conversion_reviews.count() == 0


def test_not_converting_with_other_personal_matter_and_text(matrix):
    """ "Other personal matter" with an explanation is proposed for review."""
    editor = matrix.user("editor_a")
    request = fx.replied(editor, matrix.agency_a)
    proposal = fx.propose(
        editor, request, "other_personal", note="申请人本人的房屋征收补偿协议。"
    )
    assert (proposal.reason, proposal.note) == (
        "other_personal",
        "申请人本人的房屋征收补偿协议。",
    )
    request.refresh_from_db()
    assert request.conversion_decision == ""
    assert request.disclosure is None


def test_decision_only_once_and_only_for_released_information(matrix):
    """A second decision, or a decision on a withheld reply, is refused."""
    editor = matrix.user("editor_a")
    request = fx.replied(editor, matrix.agency_a)
    services.conversion_decide(actor=editor, request=request, decision="convert")
    with pytest.raises(DomainError) as exc:
        services.conversion_decide(actor=editor, request=request, decision="convert")
    assert exc.value.message == conversion.ALREADY_DECIDED
    withheld = fx.replied(
        editor, matrix.agency_a, outcome=Outcome.WITHHELD_STATE_SECRET
    )
    with pytest.raises(DomainError) as exc:
        services.conversion_decide(actor=editor, request=withheld, decision="convert")
    assert exc.value.message == conversion.NOT_RELEASED


def test_decision_needs_a_reply_and_an_editor(matrix):
    """An open request cannot be decided on; another agency's editor may not."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a)
    with pytest.raises(InvalidTransition):
        services.conversion_decide(actor=editor, request=request, decision="convert")
    replied = fx.replied(editor, matrix.agency_a)
    with pytest.raises(PermissionDenied):
        services.conversion_decide(
            actor=matrix.user("editor_b"), request=replied, decision="convert"
        )


def test_similar_request_is_suggested_and_linked_to_the_existing_disclosure(matrix):
    """第四十四条: a new request like a published disclosure of the same agency gets
    it suggested, and can be linked to it instead of converting again."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    published = fx.published(editor, reviewer, matrix.agency_a)
    request = fx.replied(editor, matrix.agency_a)
    suggestions = selectors.similar_disclosures(request)
    assert suggestions
    assert suggestions[0][0] == published
    request = services.conversion_decide(
        actor=editor, request=request, decision="link_existing", disclosure=published
    )
    assert request.disclosure == published
    assert published.source_requests.count() == 2


def test_unrelated_request_gets_no_suggestion(matrix):
    """A request about something else suggests nothing."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    fx.published(editor, reviewer, matrix.agency_a)
    request, _ = fx.register(
        editor,
        matrix.agency_a,
        title="某企业安全生产行政处罚决定书",
        description="处罚决定",
    )
    assert selectors.similar_disclosures(request) == []


def test_link_only_to_a_public_disclosure_of_the_same_agency(matrix):
    """Linking to a draft or another agency's disclosure is refused."""
    editor = matrix.user("editor_a")
    draft = fx.converted_draft(editor, matrix.agency_a)
    request = fx.replied(editor, matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        services.conversion_decide(
            actor=editor, request=request, decision="link_existing", disclosure=draft
        )
    assert exc.value.message == conversion.LINK_TARGET
