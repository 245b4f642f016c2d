"""Outcomes that record a fact of the request's history need that fact first."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.audit import events_for
from portal.errors import DomainError, PermissionDenied
from requests_ import services
from requests_.models import Outcome, RequestStatus
from requests_.services import outcomes
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db
D = dt.date
RECEIVED = dt.date(2025, 11, 3)


def _accepted(editor, agency, received_on=RECEIVED, **overrides):
    request, _ = fx.register(editor, agency, received_on=received_on, **overrides)
    return services.request_accept(actor=editor, request=request)


def _refused(editor, request, outcome, **extra):
    with pytest.raises(DomainError) as exc:
        fx.reply(editor, request, outcome, "答复", replied_on=D(2025, 11, 20), **extra)
    return exc.value


def test_still_unclear_needs_an_answered_correction(matrix, editor):
    """（四）3 without a correction notice answered is refused, naming the outcome."""
    request = _accepted(editor, matrix.agency_a)
    error = _refused(editor, request, Outcome.UNAVAILABLE_STILL_UNCLEAR)
    assert (error.field, error.message) == (
        "outcome",
        outcomes.NEEDS_ANSWERED_CORRECTION,
    )

    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 11, 3))

    services.request_correction_request(
        actor=editor,
        request=request,
        notice="请说明所需信息的年份。",
        on=D(2025, 11, 5),
    )
    services.request_correction_receive(
        actor=editor, request=request, text="2024年度。", on=D(2025, 11, 10)
    )
    replied = fx.reply(
        editor,
        request,
        Outcome.UNAVAILABLE_STILL_UNCLEAR,
        "补正后仍无法确定所需信息。",
        replied_on=D(2025, 11, 20),
    )
    assert replied.outcome == Outcome.UNAVAILABLE_STILL_UNCLEAR


def test_no_correction_and_fee_unpaid_need_their_lapse(matrix, editor):
    """（六）1 without a lapsed correction and （六）2 without a lapsed fee notice
    are refused on a request that never had either."""
    request = _accepted(editor, matrix.agency_a)
    error = _refused(editor, request, Outcome.OTHER_NO_CORRECTION)
    assert (error.field, error.message) == ("outcome", outcomes.NEEDS_LAPSED_CORRECTION)
    error = _refused(editor, request, Outcome.OTHER_FEE_UNPAID)
    assert (error.field, error.message) == ("outcome", outcomes.NEEDS_LAPSED_FEE)
    request.refresh_from_db()
    assert (request.status, request.outcome) == (RequestStatus.IN_PROGRESS, "")


def test_fee_paid_does_not_allow_fee_unpaid(matrix, editor):
    """A notice that was paid is not a lapsed one: （六）2 stays refused."""
    request = _accepted(editor, matrix.agency_a)
    services.fee_notify(
        actor=editor,
        request=request,
        scale="per_volume",
        quantity=40,
        how_to_pay="窗口缴纳",
        on=D(2025, 11, 4),
    )
    services.fee_record_payment(
        actor=editor,
        request=request,
        paid_amount="100",
        receipt_number="R-1",
        paid_on=D(2025, 11, 6),
    )
    error = _refused(editor, request, Outcome.OTHER_FEE_UNPAID)
    assert error.message == outcomes.NEEDS_LAPSED_FEE


def test_repeat_request_needs_a_link_to_the_same_applicants_earlier_request(
    matrix, editor
):
    """（五）2 needs the earlier request of the same applicant to this agency."""
    earlier = _accepted(editor, matrix.agency_a, D(2025, 10, 9))
    stranger = _accepted(
        editor,
        matrix.agency_a,
        D(2025, 10, 9),
        applicant_name="司马光",
        applicant_id_number=fx.OTHER_VALID_ID,
    )
    request = _accepted(editor, matrix.agency_a)
    later = _accepted(editor, matrix.agency_a, D(2025, 11, 4))

    error = _refused(editor, request, Outcome.NOT_HANDLED_REPEAT)
    assert (error.field, error.message) == ("repeat_of", outcomes.NEEDS_REPEAT_LINK)
    for other, message in (
        (stranger, outcomes.REPEAT_NOT_SAME),
        (request, outcomes.REPEAT_NOT_SAME),
        (later, outcomes.REPEAT_NOT_EARLIER),
    ):
        with pytest.raises(DomainError) as exc:
            services.request_mark_repeat(actor=editor, request=request, earlier=other)
        assert (exc.value.field, exc.value.message) == ("repeat_of", message)
    with pytest.raises(PermissionDenied):
        services.request_mark_repeat(
            actor=matrix.user("reviewer_a"), request=request, earlier=earlier
        )

    linked = services.request_mark_repeat(
        actor=editor, request=request, earlier=earlier
    )
    assert linked.repeat_of == earlier
    event = events_for(request).get(verb="request.mark_repeat")
    assert event.after == {"repeat_of": earlier.pk}
    replied = fx.reply(
        editor,
        request,
        Outcome.NOT_HANDLED_REPEAT,
        "您的申请与此前申请内容相同，本机关不再重复处理。",
        replied_on=D(2025, 11, 20),
    )
    assert (replied.outcome, replied.repeat_of_id) == (
        Outcome.NOT_HANDLED_REPEAT,
        earlier.pk,
    )


def test_repeat_link_is_refused_across_agencies(matrix, editor):
    """An earlier request of the same person to another agency is not a repeat."""
    elsewhere, _ = fx.register(
        matrix.user("editor_b"), matrix.agency_b, received_on=D(2025, 10, 9)
    )
    request = _accepted(editor, matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        services.request_mark_repeat(actor=editor, request=request, earlier=elsewhere)
    assert exc.value.message == outcomes.REPEAT_NOT_SAME


def test_refusals_still_need_a_matching_exemption(matrix, editor):
    """The old rule stays: a refusal's exemption matches its sub-reason."""
    request = _accepted(editor, matrix.agency_a)
    error = _refused(
        editor,
        request,
        Outcome.WITHHELD_THIRD_PARTY,
        exemption_code="state_secret",
    )
    assert error.field == "exemption_code"


def test_repeat_link_from_the_request_page(matrix, editor):
    """The handler links the earlier request by its tracking code on the page; a
    code of another agency's request is not found (scoped): the page says so and
    nothing is linked."""
    earlier = _accepted(editor, matrix.agency_a, D(2025, 10, 9))
    elsewhere, _ = fx.register(
        matrix.user("editor_b"), matrix.agency_b, received_on=D(2025, 10, 9)
    )
    request = _accepted(editor, matrix.agency_a)
    client = matrix.client("editor_a")
    url = f"/workspace/requests/{request.pk}/repeat-of/"
    page = client.get(f"/workspace/requests/{request.pk}/").content.decode()
    assert f'action="{url}"' in page

    response = client.post(url, {"earlier": elsewhere.tracking_code})
    assert response.status_code == 400
    assert "没有找到该查询码的申请。" in response.content.decode()
    request.refresh_from_db()
    assert request.repeat_of is None

    response = client.post(url, {"earlier": earlier.tracking_code.lower()})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.repeat_of == earlier
    page = client.get(f"/workspace/requests/{request.pk}/").content.decode()
    assert (
        f'<a href="/workspace/requests/{earlier.pk}/">{earlier.tracking_code}</a>'
        in page
    )

    reviewer = matrix.client("reviewer_a")
    page = reviewer.get(f"/workspace/requests/{request.pk}/").content.decode()
    assert f'action="{url}"' not in page
    assert reviewer.post(url, {"earlier": ""}).status_code == 403
    request.refresh_from_db()
    assert request.repeat_of == earlier
