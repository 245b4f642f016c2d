"""第三十条 correction by the rules, through the services and the staff API.

A request received on Friday 26 September 2025: the correction notice is due
within 7 working days, i.e. by Monday 13 October 2025 (28 Sep make-up day, 29,
30 Sep, then 9, 10, 11 (make-up) and 13 Oct; 1–8 Oct are the National Day
holiday). The reply is due on Thursday 30 October 2025.
"""

from __future__ import annotations

import pytest

from portal.audit import events_for
from portal.errors import DomainError
from requests_ import services
from requests_.models import Outcome, RequestStatus
from tests.requests_ import factories as fx
from tests.requests_.statutory import D, error, post

pytestmark = pytest.mark.django_db

API = "/api/v1/requests"


@pytest.fixture
def received(matrix, editor):
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    return request


def test_notice_on_the_7th_working_day_of_an_accepted_request(received, editor):
    """Accepted or not, the notice may go on 13 Oct 2025, the 7th working day.
    The clock stops, and the applicant's default deadline is 15 working days
    later: 14–17, 20–24, 27–31 Oct, 3 Nov → Monday 3 November 2025."""
    services.request_accept(actor=editor, request=received)
    request = services.request_correction_request(
        actor=editor,
        request=received,
        notice="请写明文件名称和年份。",
        on=D(2025, 10, 13),
    )
    assert request.status == RequestStatus.CORRECTION_REQUESTED
    assert request.correction_requested_on == D(2025, 10, 13)
    assert request.correction_reply_by == D(2025, 11, 3)
    assert request.reply_due_on is None
    assert "第三十条" in request.reply_due_explanation


def test_notice_on_the_8th_working_day_is_refused_and_the_clock_keeps_running(
    received, editor
):
    """On 14 Oct 2025 the window has closed: refused with the rule and the
    deadline, nothing recorded, the reply still due on 30 October."""
    with pytest.raises(DomainError) as exc:
        services.request_correction_request(
            actor=editor, request=received, notice="请补充", on=D(2025, 10, 14)
        )
    assert exc.value.code == "correction_too_late"
    assert exc.value.field == "on"
    assert "第三十条" in exc.value.message
    assert "2025-10-13" in exc.value.message
    received.refresh_from_db()
    assert received.status == RequestStatus.RECEIVED
    assert received.reply_due_on == D(2025, 10, 30)
    assert received.correction_requested_on is None
    assert list(events_for(received).values_list("verb", flat=True)) == [
        "request.register"
    ]


def test_the_applicants_deadline_must_follow_the_notice(received, editor):
    """A deadline on or before the notice day is refused, naming ``reply_by``."""
    with pytest.raises(DomainError) as exc:
        services.request_correction_request(
            actor=editor,
            request=received,
            notice="请补充",
            on=D(2025, 9, 30),
            reply_by=D(2025, 9, 30),
        )
    assert exc.value.field == "reply_by"


def test_corrected_request_restarts_the_clock_from_its_receipt(received, editor):
    """Corrected on Monday 20 Oct 2025: 20 working days from then (21–24, 27–31
    Oct, 3–7, 10–14, 17 Nov) → Monday 17 November 2025; a second notice is
    refused."""
    services.request_correction_request(
        actor=editor, request=received, notice="请补充", on=D(2025, 9, 30)
    )
    request = services.request_correction_receive(
        actor=editor, request=received, text="补正：2024年度文件", on=D(2025, 10, 20)
    )
    assert request.clock_start == D(2025, 10, 20)
    assert request.reply_due_on == D(2025, 11, 17)
    with pytest.raises(DomainError) as exc:
        services.request_correction_request(
            actor=editor, request=request, notice="再补充", on=D(2025, 10, 21)
        )
    assert exc.value.code == "correction_once"


def test_lapse_is_recorded_with_its_date_after_the_applicants_deadline(
    received, editor
):
    """With the applicant's deadline 20 Oct 2025 the lapse may be recorded from
    21 Oct; its date is kept for （六）1."""
    services.request_correction_request(
        actor=editor,
        request=received,
        notice="请补充",
        on=D(2025, 9, 30),
        reply_by=D(2025, 10, 20),
    )
    with pytest.raises(DomainError) as exc:
        services.request_lapse(actor=editor, request=received, on=D(2025, 10, 20))
    assert exc.value.code == "lapse_too_early"
    request = services.request_lapse(actor=editor, request=received, on=D(2025, 10, 21))
    assert request.status == RequestStatus.LAPSED
    assert request.correction_lapsed_on == D(2025, 10, 21)
    assert request.outcome == Outcome.OTHER_NO_CORRECTION


def test_correction_through_the_staff_api(matrix, received):
    """The API refuses the 8th working day with the rule's code and field, takes
    the 7th from an accepted request, and shows the dates."""
    client = matrix.client("editor_a")
    url = f"{API}/{received.pk}"
    assert post(client, f"{url}/accept/").json()["status"] == "in_progress"
    late = post(
        client, f"{url}/request-correction/", {"notice": "x", "on": "2025-10-14"}
    )
    assert late.status_code == 400
    assert error(late)["code"] == "correction_too_late"
    assert list(error(late)["fields"]) == ["on"]
    ok = post(
        client, f"{url}/request-correction/", {"notice": "请补充", "on": "2025-10-13"}
    )
    assert ok.status_code == 200
    body = ok.json()
    assert body["status"] == "correction_requested"
    assert body["correction_requested_on"] == "2025-10-13"
    assert body["correction_reply_by"] == "2025-11-03"
    received_back = post(
        client, f"{url}/receive-correction/", {"text": "补正", "on": "2025-10-20"}
    ).json()
    reply = [d for d in received_back["deadlines"] if d["key"] == "reply"]
    assert reply[0]["due"] == "2025-11-17"
