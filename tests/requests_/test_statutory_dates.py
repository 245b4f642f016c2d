"""Dates as they happened: online receipt on confirmation (第三十一条) and
withdrawals dated the day the withdrawal was received."""

from __future__ import annotations

import re

import pytest

from portal.errors import DomainError, InvalidTransition
from requests_ import services
from requests_.models import Outcome, RequestStatus
from tests.requests_ import factories as fx
from tests.requests_ import statutory
from tests.requests_.statutory import D, error, post

pytestmark = pytest.mark.django_db

clock_at = statutory.clock_at
API = "/api/v1/requests"


def _online(agency, title="2024年度老旧小区改造资金安排"):
    return services.request_submit_online(
        agency=agency, title=title, description="申请获取资金安排。", **fx.applicant()
    ).request


def test_online_submission_waits_unconfirmed_without_a_clock(matrix, clock_at):
    """Submitted on Tue 30 Sep 2025: no receipt date, no deadline, only the
    confirmation can be taken."""
    clock_at(D(2025, 9, 30))
    request = _online(matrix.agency_a)
    assert request.status == RequestStatus.SUBMITTED
    assert request.submitted_on == D(2025, 9, 30)
    assert (request.received_on, request.reply_due_on) == (None, None)
    editor = matrix.user("editor_a")
    with pytest.raises(InvalidTransition):
        services.request_accept(actor=editor, request=request)


def test_confirmation_after_national_day_starts_the_clock_then(matrix, clock_at):
    """Confirmed on Thu 9 Oct 2025: received that day; the correction notice is due
    10, 11 (make-up), 13–17 Oct → Fri 17 Oct, the reply 10, 11, 13–17, 20–24,
    27–31 Oct, 3–5 Nov → Wed 5 November 2025."""
    clock_at(D(2025, 9, 30))
    request = _online(matrix.agency_a)
    clock_at(D(2025, 10, 10))
    editor = matrix.user("editor_a")
    request = services.request_confirm_receipt(
        actor=editor, request=request, on=D(2025, 10, 9)
    )
    assert request.status == RequestStatus.RECEIVED
    assert request.received_on == D(2025, 10, 9)
    assert request.correction_due_on == D(2025, 10, 17)
    assert request.reply_due_on == D(2025, 11, 5)
    assert request.handler == editor


def test_confirmation_cannot_be_back_or_forward_dated(matrix, clock_at):
    """Before the submission (29 Sep) or after today (10 Oct when today is 9 Oct)
    is refused, naming the field ``on``."""
    clock_at(D(2025, 9, 30))
    request = _online(matrix.agency_a)
    clock_at(D(2025, 10, 9))
    editor = matrix.user("editor_a")
    for day, code in (
        (D(2025, 9, 29), "date_before_submission"),
        (D(2025, 10, 10), "date_in_future"),
    ):
        with pytest.raises(DomainError) as exc:
            services.request_confirm_receipt(actor=editor, request=request, on=day)
        assert (exc.value.code, exc.value.field) == (code, "on")
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_dashboard_lists_unconfirmed_submissions_by_age(matrix, clock_at):
    """On Thu 9 Oct 2025 a submission of Fri 26 Sep has waited 4 working days
    (28 Sep, 29, 30 Sep, 9 Oct) and one of 30 Sep 1 (9 Oct): oldest first."""
    clock_at(D(2025, 9, 26))
    older = _online(matrix.agency_a, "甲文件")
    clock_at(D(2025, 9, 30))
    newer = _online(matrix.agency_a, "乙文件")
    clock_at(D(2025, 10, 9))
    page = matrix.client("editor_a").get("/workspace/").content.decode()
    panel = page.split("待确认的网上申请")[1].split("</section>")[0]
    rows = re.findall(r"([A-Z0-9]{10}) .*?已等待 (\d+) 个工作日", panel, re.S)
    assert rows == [(older.tracking_code, "4"), (newer.tracking_code, "1")]


def test_confirmation_through_the_staff_api(matrix, clock_at):
    clock_at(D(2025, 9, 30))
    request = _online(matrix.agency_a)
    clock_at(D(2025, 10, 9))
    client = matrix.client("editor_a")
    url = f"{API}/{request.pk}/confirm/"
    early = post(client, url, {"on": "2025-09-29"})
    assert early.status_code == 400
    assert error(early)["code"] == "date_before_submission"
    body = post(client, url, {"on": "2025-10-09"}).json()
    assert (body["status"], body["submitted_on"], body["received_on"]) == (
        "received",
        "2025-09-30",
        "2025-10-09",
    )
    assert [d["due"] for d in body["deadlines"] if d["key"] == "reply"] == [
        "2025-11-05"
    ]


def test_withdrawal_takes_the_day_it_was_received(matrix, clock_at):
    """A withdrawal received on 30 Dec 2025 and entered on 5 Jan 2026 is dated 30
    Dec; one dated before the request's receipt or after today is refused."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 12, 15))
    clock_at(D(2026, 1, 5))
    for day, code in (
        (D(2025, 12, 12), "date_before_receipt"),
        (D(2026, 1, 6), "date_in_future"),
    ):
        with pytest.raises(DomainError) as exc:
            services.request_withdraw(actor=editor, request=request, on=day)
        assert (exc.value.code, exc.value.field) == (code, "on")
    request = services.request_withdraw(
        actor=editor, request=request, on=D(2025, 12, 30)
    )
    assert request.status == RequestStatus.WITHDRAWN
    assert (request.withdrawn_on, request.replied_on, request.closed_on) == (
        D(2025, 12, 30),
        D(2025, 12, 30),
        D(2025, 12, 30),
    )
    assert request.outcome == Outcome.OTHER_OTHER


def test_withdrawal_through_the_staff_api(matrix, clock_at):
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 12, 15))
    clock_at(D(2026, 1, 5))
    client = matrix.client("editor_a")
    url = f"{API}/{request.pk}/withdraw/"
    early = post(client, url, {"on": "2025-12-12"})
    assert early.status_code == 400
    assert error(early)["code"] == "date_before_receipt"
    body = post(client, url, {"on": "2025-12-30", "reason": "申请人来电撤回"}).json()
    assert (body["status"], body["withdrawn_on"]) == ("withdrawn", "2025-12-30")
