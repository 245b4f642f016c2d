"""第三十三条 extension by the rules, through the services and the staff API.

Approved by a reviewer of the handling agency (not its handler, not the city),
on or before the running deadline, once, at most 20 working days, with a record
of when and how the applicant was told.
"""

from __future__ import annotations

import pytest

from portal.errors import DomainError, PermissionDenied
from requests_ import services
from tests.requests_ import factories as fx
from tests.requests_.statutory import D, error, post, second_reviewer

pytestmark = pytest.mark.django_db

API = "/api/v1/requests"


def _extend(actor, request, on, notified_on=None, days=20, channel="post"):
    return services.request_extension_approve(
        actor=actor,
        request=request,
        days=days,
        reason="需调取多个部门档案",
        applicant_notice="答复期限延长。",
        on=on,
        notified_on=notified_on or on,
        notice_channel=channel,
    )


@pytest.fixture
def national_day(matrix):
    """Received Fri 26 Sep 2025, accepted: reply due Thu 30 Oct 2025."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    return services.request_accept(actor=editor, request=request)


def test_extension_on_the_due_date_itself(matrix, national_day):
    """Approved on 30 Oct 2025, the last day: 20 more working days (31 Oct, 3–7,
    10–14, 17–21, 24–27 Nov) → Thursday 27 November 2025; the notice is kept."""
    request = _extend(matrix.user("reviewer_a"), national_day, D(2025, 10, 30))
    assert request.reply_due_on == D(2025, 11, 27)
    assert request.extension_approved_on == D(2025, 10, 30)
    assert request.extension_notified_on == D(2025, 10, 30)
    assert request.extension_notice_channel == "post"


def test_extension_after_the_deadline_is_refused(matrix, national_day):
    """On 31 Oct 2025 the term has run out: refused naming the rule and date."""
    with pytest.raises(DomainError) as exc:
        _extend(matrix.user("reviewer_a"), national_day, D(2025, 10, 31))
    assert exc.value.code == "extension_after_deadline"
    assert "第三十三条" in exc.value.message
    assert "2025-10-30" in exc.value.message
    national_day.refresh_from_db()
    assert national_day.reply_due_on == D(2025, 10, 30)
    assert national_day.extension_days == 0


def test_the_applicant_must_be_told_between_approval_and_the_deadline(
    matrix, national_day
):
    """Told before the approval (20 Oct) or after the deadline (31 Oct): refused;
    no channel: refused; each names its field."""
    reviewer = matrix.user("reviewer_a")
    for notified_on in (D(2025, 10, 17), D(2025, 10, 31)):
        with pytest.raises(DomainError) as exc:
            _extend(reviewer, national_day, D(2025, 10, 20), notified_on)
        assert exc.value.field == "notified_on"
    with pytest.raises(DomainError) as exc:
        _extend(reviewer, national_day, D(2025, 10, 20), channel="")
    assert exc.value.field == "notice_channel"


def test_only_the_agencys_own_reviewer_other_than_the_handler_approves(
    matrix, national_day
):
    """The coordinator of the city and a superuser are refused; a reviewer who
    handles the request is refused; another reviewer of the agency approves."""
    for actor in ("coordinator", "superuser", "editor_a", "reviewer_b"):
        user = matrix.users.get(actor) or second_reviewer(matrix.agency_b, actor)
        with pytest.raises(PermissionDenied):
            _extend(user, national_day, D(2025, 10, 20))
    handler = matrix.user("reviewer_a")
    national_day.handler = handler
    national_day.save(update_fields=["handler"])
    with pytest.raises(DomainError) as exc:
        _extend(handler, national_day, D(2025, 10, 20))
    assert exc.value.code == "extension_by_handler"
    head = second_reviewer(matrix.agency_a)
    request = _extend(head, national_day, D(2025, 10, 20), days=5)
    assert request.extension_approved_by == head
    with pytest.raises(DomainError) as exc:
        _extend(head, request, D(2025, 10, 21), days=5)
    assert exc.value.code == "extension_once"


def test_extension_across_the_2026_spring_festival(matrix):
    """Received Fri 9 Jan 2026, due Fri 6 Feb; 10 more working days from 6 Feb:
    9–13 Feb, Sat 14 Feb (make-up day), then after 15–23 Feb 24, 25, 26, 27 Feb
    → Friday 27 February 2026."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2026, 1, 9))
    assert request.reply_due_on == D(2026, 2, 6)
    request = _extend(matrix.user("reviewer_a"), request, D(2026, 2, 6), days=10)
    assert request.reply_due_on == D(2026, 2, 27)


def test_extension_through_the_staff_api(matrix, national_day):
    """The coordinator gets 403; after the deadline 400 naming the rule; on the
    deadline the reviewer's extension and the notice record come back."""
    url = f"{API}/{national_day.pk}/extend/"
    data = {
        "days": 20,
        "reason": "需调取档案",
        "applicant_notice": "延长20个工作日",
        "notice_channel": "email",
    }
    refused = post(
        matrix.client("coordinator"),
        url,
        {**data, "on": "2025-10-30", "notified_on": "2025-10-30"},
    )
    assert refused.status_code == 403
    reviewer = matrix.client("reviewer_a")
    late = post(
        reviewer, url, {**data, "on": "2025-10-31", "notified_on": "2025-10-31"}
    )
    assert late.status_code == 400
    assert error(late)["code"] == "extension_after_deadline"
    ok = post(reviewer, url, {**data, "on": "2025-10-30", "notified_on": "2025-10-30"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["extension_days"] == 20
    assert body["extension_notified_on"] == "2025-10-30"
    assert body["extension_notice_channel"] == "email"
    assert [d["due"] for d in body["deadlines"] if d["key"] == "reply"] == [
        "2025-11-27"
    ]
