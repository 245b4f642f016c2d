"""Every transition of the request workflow and its guard, through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.audit import events_for
from portal.errors import DomainError, InvalidTransition, PermissionDenied
from portal.models import AuditEvent
from portal.workflow import allowed_actions
from requests_ import services
from requests_.models import Outcome, RequestStatus
from requests_.services import appeals, intake, workflow
from requests_.transitions import REQUEST_TRANSITIONS, RequestAction
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def fresh(matrix, editor):
    request, secret = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    request.secret = secret
    return request


def _verbs(request):
    # events_for matches the model too: an agency may share the request's pk.
    return list(events_for(request).order_by("id").values_list("verb", flat=True))


def test_every_action_of_the_table_has_a_service():
    """The transitions table and the services cover the same actions."""
    for action in RequestAction:
        assert action in REQUEST_TRANSITIONS


def test_register_starts_received_with_deadlines_and_audit(fresh):
    """Registration stores both deadlines and appends one event."""
    assert fresh.status == RequestStatus.RECEIVED
    assert fresh.reply_due_on
    assert fresh.correction_due_on
    assert _verbs(fresh) == ["request.register"]


def test_register_refuses_future_receipt_and_online_channel(matrix, editor):
    """Staff cannot date a request in the future or pose as the online form."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        fx.register(editor, matrix.agency_a, received_on=tomorrow)
    assert exc.value.field == "received_on"
    with pytest.raises(DomainError) as exc:
        fx.register(editor, matrix.agency_a, channel="online")
    assert exc.value.message == intake.ONLINE_ONLY_PUBLIC


def test_register_needs_editor_of_the_agency(matrix):
    """An editor of another agency or a reviewer cannot register here."""
    for actor in ("editor_b", "reviewer_a"):
        with pytest.raises(PermissionDenied):
            fx.register(matrix.user(actor), matrix.agency_a)


def test_register_validates_identity(matrix, editor):
    """A natural person needs a checksum-valid ID number and some contact."""
    with pytest.raises(DomainError) as exc:
        fx.register(editor, matrix.agency_a, applicant_id_number="310101198503124817")
    assert exc.value.field == "applicant_id_number"
    with pytest.raises(DomainError) as exc:
        fx.register(editor, matrix.agency_a, applicant_id_number="")
    assert exc.value.message == intake.ID_REQUIRED
    with pytest.raises(DomainError) as exc:
        fx.register(
            editor,
            matrix.agency_a,
            applicant_phone="",
            applicant_email="",
            applicant_address="",
        )
    assert exc.value.message == intake.CONTACT_REQUIRED
    with pytest.raises(DomainError) as exc:
        fx.register(editor, matrix.agency_a, applicant_phone="12345")
    assert exc.value.field == "applicant_phone"


def test_organisation_needs_no_resident_id(matrix, editor):
    """A law firm gives its credit code, which is not a resident ID."""
    request, _ = fx.register(
        editor,
        matrix.agency_a,
        applicant_type="legal_services",
        applicant_name="上海明达律师事务所",
        applicant_id_number="91310101MA1FPX1234",
    )
    assert request.applicant_type == "legal_services"


def test_accept(fresh, editor):
    """Accepting moves received → in progress and sets the handler."""
    request = services.request_accept(actor=editor, request=fresh)
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.handler == editor
    with pytest.raises(InvalidTransition):
        services.request_accept(actor=editor, request=request)


def test_correction_request_and_receive(fresh, editor):
    """A correction notice needs text; the correction must not predate it."""
    with pytest.raises(DomainError) as exc:
        services.request_correction_request(actor=editor, request=fresh, notice=" ")
    assert exc.value.message == workflow.NOTICE_REQUIRED
    request = services.request_correction_request(
        actor=editor, request=fresh, notice="请补充", on=D(2025, 9, 30)
    )
    assert request.status == RequestStatus.CORRECTION_REQUESTED
    assert request.correction_reply_by > D(2025, 9, 30)
    with pytest.raises(DomainError) as exc:
        services.request_correction_receive(
            actor=editor, request=request, text="x", on=D(2025, 9, 29)
        )
    assert exc.value.message == workflow.CORRECTION_BEFORE_REQUEST
    request = services.request_correction_receive(
        actor=editor, request=request, text="补正", on=D(2025, 10, 9)
    )
    assert request.status == RequestStatus.IN_PROGRESS


def test_correction_notice_only_once_and_also_from_in_progress(fresh, editor):
    """第三十条: one consolidated notice, whether or not the request was accepted
    yet; a second notice is refused naming the first one's date."""
    services.request_accept(actor=editor, request=fresh)
    request = services.request_correction_request(
        actor=editor, request=fresh, notice="请补充文件名称", on=D(2025, 10, 13)
    )
    assert request.status == RequestStatus.CORRECTION_REQUESTED
    request = services.request_correction_receive(
        actor=editor, request=request, text="补正", on=D(2025, 10, 14)
    )
    with pytest.raises(DomainError) as exc:
        services.request_correction_request(
            actor=editor, request=request, notice="再补充", on=D(2025, 10, 15)
        )
    assert exc.value.code == "correction_once"
    assert "2025-10-13" in exc.value.message


def test_late_correction_notice_is_refused(fresh, editor):
    """A notice after the 7-working-day limit (13 Oct 2025 for 26 Sep) is refused,
    not merely noted, and the reply deadline keeps running from receipt."""
    with pytest.raises(DomainError) as exc:
        services.request_correction_request(
            actor=editor, request=fresh, notice="请补充", on=D(2025, 10, 14)
        )
    assert exc.value.code == "correction_too_late"
    fresh.refresh_from_db()
    assert fresh.status == RequestStatus.RECEIVED
    assert fresh.reply_due_on == D(2025, 10, 30)
    assert not AuditEvent.objects.filter(verb="request.request_correction").exists()


def test_reply_records_outcome_and_withheld_exemption(fresh, editor):
    """A withheld reply takes its exemption code from the sub-reason."""
    request = fx.reply(
        editor,
        fresh,
        Outcome.WITHHELD_PROCESS_INFO,
        "属于过程性信息。",
        replied_on=D(2025, 10, 20),
    )
    assert request.status == RequestStatus.REPLIED
    assert request.exemption_code == "process_info"
    assert Outcome(request.outcome).category == "withheld"
    assert Outcome(request.outcome).sub_reason_label == "6.属于四类过程性信息"


@pytest.mark.parametrize(
    ("outcome", "code", "message"),
    [
        (Outcome.WITHHELD_STATE_SECRET, "third_party", workflow.EXEMPTION_MISMATCH),
        (Outcome.PARTIAL, "", workflow.EXEMPTION_REQUIRED),
        (Outcome.DISCLOSED, "third_party", workflow.EXEMPTION_NOT_ALLOWED),
        ("invented", "", workflow.OUTCOME_INVALID),
    ],
)
def test_reply_guards_exemption_codes(fresh, editor, outcome, code, message):
    """Exemption codes must match the outcome; outcomes must be the report's."""
    with pytest.raises(DomainError) as exc:
        fx.reply(editor, fresh, outcome, exemption_code=code)
    assert exc.value.message == message


def test_reply_cites_only_published_entries_of_the_agency(matrix, fresh, editor):
    """A negative-list entry that is not in the agency's published list is refused."""
    from negative_list.models import Entry

    entry = Entry.objects.create(
        agency=matrix.agency_a, code="E-1", serial=1, status=Entry.Status.DRAFT
    )
    with pytest.raises(DomainError) as exc:
        fx.reply(editor, fresh, Outcome.WITHHELD_THIRD_PARTY, negative_list_entry=entry)
    assert exc.value.message == workflow.ENTRY_NOT_PUBLISHED


def test_reply_letter_must_be_a_pdf(fresh, editor):
    """The uploaded reply letter is a real PDF; it is stored with the reply."""
    fake = SimpleUploadedFile(
        "答复书.pdf", b"not a pdf", content_type="application/pdf"
    )
    with pytest.raises(DomainError) as exc:
        fx.reply(editor, fresh, Outcome.DISCLOSED, reply_letter=fake)
    assert exc.value.message == f"文件“答复书.pdf”：{workflow.LETTER_NOT_PDF}"
    request = fx.reply(
        editor,
        fresh,
        Outcome.DISCLOSED,
        reply_letter=fx.pdf_upload("Reply letter", "letter.pdf"),
    )
    assert request.reply_letter.name.endswith(".pdf")


def test_close_needs_conversion_decision_for_released_information(
    matrix, fresh, editor
):
    """予以公开 cannot be closed before the conversion decision (in force)."""
    request = fx.reply(editor, fresh, Outcome.DISCLOSED)
    with pytest.raises(DomainError) as exc:
        services.request_close(actor=editor, request=request)
    assert exc.value.message == workflow.CONVERSION_PENDING
    services.conversion_review_approve(
        actor=matrix.user("reviewer_a"), review=fx.propose(editor, request, "tax_fees")
    )
    request = services.request_close(actor=editor, request=request)
    assert request.status == RequestStatus.CLOSED


def test_close_without_release_needs_no_decision(fresh, editor):
    """A 无法提供 reply closes directly."""
    request = fx.reply(editor, fresh, Outcome.UNAVAILABLE_NOT_HELD)
    assert services.request_close(actor=editor, request=request).status == "closed"


def test_withdraw_by_staff_and_by_applicant_secret(matrix, fresh, editor):
    """The applicant withdraws with the secret; a wrong secret is refused."""
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.request_withdraw(
            actor=AnonymousUser(), request=fresh, applicant_secret="wrong"
        )
    request = services.request_withdraw(
        actor=AnonymousUser(), request=fresh, applicant_secret=fresh.secret
    )
    assert request.status == RequestStatus.WITHDRAWN
    assert request.outcome == Outcome.OTHER_OTHER
    with pytest.raises(InvalidTransition):
        services.request_withdraw(actor=editor, request=request)


def test_applicant_secret_grants_only_applicant_actions(fresh):
    """The secret cannot be used to reply or accept."""
    with pytest.raises(PermissionDenied):
        workflow._begin(
            RequestAction.ACCEPT, fresh, None, applicant_secret=fresh.secret
        )


@pytest.mark.parametrize("actor", ["editor_b", "reviewer_a", "coordinator"])
def test_handling_actions_need_an_editor_of_the_agency(matrix, fresh, actor):
    """Only the agency's editors handle requests (others get PermissionDenied
    before learning anything about the state)."""
    user = matrix.user(actor)
    with pytest.raises(PermissionDenied):
        services.request_accept(actor=user, request=fresh)
    with pytest.raises(PermissionDenied):
        fx.reply(user, fresh, Outcome.DISCLOSED)


def test_available_actions_follow_the_table(matrix, fresh):
    """The editor sees handling actions; the reviewer only the extension."""
    editor = matrix.user("editor_a")
    assert set(allowed_actions(REQUEST_TRANSITIONS, fresh, editor)) == {
        "accept",
        "request_correction",
        "pause",
        "reply",
        "withdraw",
        "fee_notify",
    }
    assert allowed_actions(REQUEST_TRANSITIONS, fresh, matrix.user("reviewer_a")) == [
        "extend"
    ]
    assert allowed_actions(REQUEST_TRANSITIONS, fresh, matrix.user("editor_b")) == []


def test_appeals_record_and_decide(fresh, editor):
    """A lawsuit after review needs the review first; a decision needs its date."""
    with pytest.raises(DomainError) as exc:
        services.appeal_record(
            actor=editor,
            request=fresh,
            kind="lawsuit_after_review",
            filed_on=D(2025, 11, 1),
        )
    assert exc.value.message == appeals.LAWSUIT_NEEDS_REVIEW
    review = services.appeal_record(
        actor=editor, request=fresh, kind="review", filed_on=D(2025, 11, 1)
    )
    with pytest.raises(DomainError) as exc:
        services.appeal_decide(actor=editor, appeal=review, result="upheld")
    assert exc.value.message == appeals.DECIDED_ON_REQUIRED
    review = services.appeal_decide(
        actor=editor, appeal=review, result="corrected", decided_on=D(2025, 12, 1)
    )
    assert review.result == "corrected"
    lawsuit = services.appeal_record(
        actor=editor,
        request=fresh,
        kind="lawsuit_after_review",
        filed_on=D(2025, 12, 5),
    )
    assert lawsuit.result == "pending"
    assert "request.appeal_decide" in _verbs(fresh)


def test_withheld_reply_cites_a_published_entry_of_the_agencys_list(
    matrix, fresh, editor
):
    """A withheld reply may cite an entry of the agency's published negative list
    whose category matches; the entry then counts the citation."""
    from negative_list.selectors import published_entries
    from tests.negative_list import factories as nl

    nl.published_list(editor, matrix.user("reviewer_a"), matrix.agency_a, [{}])
    entry = published_entries(matrix.agency_a).get()
    with pytest.raises(DomainError) as exc:
        fx.reply(editor, fresh, Outcome.WITHHELD_THIRD_PARTY, negative_list_entry=entry)
    assert exc.value.message == workflow.ENTRY_CATEGORY
    request = fx.reply(
        editor,
        fresh,
        Outcome.WITHHELD_PROCESS_INFO,
        "属于讨论记录。",
        negative_list_entry=entry,
    )
    assert request.negative_list_entry == entry
    assert entry.disclosure_requests.count() == 1
    other, _ = fx.register(matrix.user("editor_b"), matrix.agency_b)
    with pytest.raises(DomainError) as exc:
        fx.reply(
            matrix.user("editor_b"),
            other,
            Outcome.WITHHELD_PROCESS_INFO,
            negative_list_entry=entry,
        )
    assert exc.value.message == workflow.ENTRY_NOT_PUBLISHED
