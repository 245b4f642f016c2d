"""The statutory clock with real dates: receipt, correction, extension, pause.

Dates are those of the State Council's published arrangements: the 2025 National
Day holiday (1–8 October, with make-up working days on Sunday 28 September and
Saturday 11 October) and the 2026 Spring Festival (15–23 February, make-up days
on Saturday 14 and Saturday 28 February).
"""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from portal.errors import DomainError, PermissionDenied
from portal.models import Role
from requests_ import clock, services
from requests_.models import DisclosureRequest
from requests_.services import workflow
from tests.factories import MembershipFactory, UserFactory
from tests.requests_ import factories as fx

D = dt.date

pytestmark = pytest.mark.django_db


def _told() -> dict:
    """The applicant was told of the extension today, by e-mail."""
    return {"notified_on": timezone.localdate(), "notice_channel": "email"}


def _unsaved(received_on: dt.date) -> DisclosureRequest:
    request = DisclosureRequest(received_on=received_on)
    clock.start(request)
    return request


def test_reply_due_in_20_working_days_across_national_day_2025():
    """A request received on Friday 26 Sep 2025 is due on 30 Oct 2025, counting
    both make-up days and skipping the eight holidays."""
    request = _unsaved(D(2025, 9, 26))
    assert request.reply_due_on == D(2025, 10, 30)
    assert not request.reply_due_provisional
    makeup = [row["date"] for row in request.reply_due_detail["makeup_workdays"]]
    assert makeup == ["2025-09-28", "2025-10-11"]
    assert "国庆节" in request.reply_due_explanation
    assert "计入调休工作日" in request.reply_due_explanation


def test_correction_notice_due_in_7_working_days_across_national_day_2025():
    """The correction notice for a request of 26 Sep 2025 is due on 13 Oct 2025."""
    request = _unsaved(D(2025, 9, 26))
    assert request.correction_due_on == D(2025, 10, 13)
    assert "第三十条" in request.correction_due_explanation


def test_reply_due_across_spring_festival_2026():
    """A request of Friday 6 Feb 2026 is due on 12 Mar 2026 (春节 skipped, 14 and
    28 Feb counted as make-up working days)."""
    request = _unsaved(D(2026, 2, 6))
    assert request.reply_due_on == D(2026, 3, 12)
    makeup = [row["date"] for row in request.reply_due_detail["makeup_workdays"]]
    assert makeup == ["2026-02-14", "2026-02-28"]
    assert "春节" in request.reply_due_explanation


def test_deadline_in_unknown_year_is_provisional_not_an_error():
    """A request of 15 Dec 2026 runs into 2027, which the calendar package does not
    know: the deadline is computed on weekdays, marked provisional and says so."""
    request = _unsaved(D(2026, 12, 15))
    assert request.reply_due_on == D(2027, 1, 12)
    assert request.reply_due_provisional
    assert request.reply_due_detail["unknown_years"] == [2027]
    assert "暂定" in request.reply_due_explanation


def test_correction_restarts_the_clock_from_receipt_of_the_corrected_request(matrix):
    """After a correction received on 15 Oct 2025 the reply is due 20 working days
    later (12 Nov 2025), not 20 days after the original receipt."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    services.request_correction_request(
        actor=editor, request=request, notice="请写明文件名称。", on=D(2025, 9, 30)
    )
    request = services.request_correction_receive(
        actor=editor, request=request, text="补正：申请某文件。", on=D(2025, 10, 15)
    )
    assert request.clock_start == D(2025, 10, 15)
    assert request.reply_due_on == D(2025, 11, 12)
    assert "重新计算" in request.reply_due_explanation


def test_consultation_pauses_keeping_remaining_days_and_resume_recomputes(matrix):
    """Paused on 9 Oct 2025 with the reply due 30 Oct, 16 working days remain; resumed
    on 20 Oct they run again from then, so the reply is due 11 Nov 2025."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    request = services.request_consultation_start(
        actor=editor,
        request=request,
        kind="third_party",
        party="上海某建设有限公司",
        on=D(2025, 10, 9),
    )
    assert request.status == "consulting"
    assert request.reply_due_on is None
    assert request.paused_remaining_days == 16
    assert request.consultation_due_on == D(2025, 10, 29)  # 15 wd, 11 Oct counted
    assert request.reply_due_detail["consultation"]["due"] == "2025-10-29"
    request = services.request_consultation_end(
        actor=editor, request=request, on=D(2025, 10, 20)
    )
    assert request.status == "in_progress"
    assert request.reply_due_on == D(2025, 11, 11)
    assert request.paused_remaining_days is None
    assert "不计入" in request.reply_due_explanation


def test_resume_before_pause_is_refused(matrix):
    """The clock cannot restart before it stopped."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    services.request_consultation_start(
        actor=editor,
        request=request,
        kind="agency",
        party="区财政局",
        on=D(2025, 10, 9),
    )
    with pytest.raises(DomainError) as exc:
        services.request_consultation_end(
            actor=editor, request=request, on=D(2025, 10, 1)
        )
    assert exc.value.message == workflow.RESUME_BEFORE_PAUSE


def test_extension_adds_at_most_20_working_days_from_the_running_deadline(matrix):
    """A 20-day extension of a deadline of 30 Oct 2025 gives 27 Nov 2025."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    request = services.request_accept(actor=editor, request=request)
    request = services.request_extension_approve(
        actor=reviewer,
        request=request,
        days=20,
        reason="需调档核查",
        applicant_notice="答复期限延长20个工作日。",
        notified_on=D(2025, 10, 21),
        notice_channel="post",
        on=D(2025, 10, 20),
    )
    assert request.reply_due_on == D(2025, 11, 27)
    assert request.extension_days == 20
    assert request.extension_approved_by == reviewer
    assert "延长答复期限 20 个工作日" in request.reply_due_explanation


@pytest.mark.parametrize("days", [0, 21, 40])
def test_extension_outside_1_to_20_days_is_refused(matrix, days):
    """An extension must be between 1 and 20 working days."""
    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a)
    services.request_accept(actor=editor, request=request)
    with pytest.raises(DomainError) as exc:
        services.request_extension_approve(
            actor=matrix.user("reviewer_a"),
            request=request,
            days=days,
            reason="r",
            applicant_notice="n",
            notified_on=timezone.localdate(),
            notice_channel="email",
        )
    assert exc.value.message == workflow.EXTENSION_DAYS


def test_only_one_extension(matrix):
    """The deadline may be extended once."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request, _ = fx.register(editor, matrix.agency_a)
    services.request_accept(actor=editor, request=request)
    kwargs = {"reason": "r", "applicant_notice": "n", **_told()}
    services.request_extension_approve(
        actor=reviewer, request=request, days=5, **kwargs
    )
    with pytest.raises(DomainError) as exc:
        services.request_extension_approve(
            actor=reviewer, request=request, days=5, **kwargs
        )
    assert exc.value.message == workflow.EXTENSION_ONCE


def test_extension_must_be_approved_by_someone_other_than_the_handler(matrix):
    """A reviewer who is also the handler may not approve their own extension, an
    editor holds no right to approve at all, and neither does the city coordinator
    (第三十三条 gives it to the handling agency's own disclosure office): another
    reviewer of the agency approves."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request, _ = fx.register(editor, matrix.agency_a)
    request.handler = reviewer
    request.save(update_fields=["handler"])
    kwargs = {"days": 5, "reason": "r", "applicant_notice": "n", **_told()}
    with pytest.raises(DomainError) as exc:
        services.request_extension_approve(actor=reviewer, request=request, **kwargs)
    assert exc.value.code == "extension_by_handler"
    for outsider in (editor, matrix.user("coordinator")):
        with pytest.raises(PermissionDenied):
            services.request_extension_approve(
                actor=outsider, request=request, **kwargs
            )
    colleague = UserFactory(username="reviewer_a2")
    MembershipFactory(user=colleague, agency=matrix.agency_a, role=Role.REVIEWER)
    request = services.request_extension_approve(
        actor=colleague, request=request, **kwargs
    )
    assert request.extension_approved_by == colleague


def test_extension_into_an_unknown_year_is_provisional(matrix):
    """Extending a deadline of late December into January of an unannounced year
    works and marks the deadline provisional."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request, _ = fx.register(editor, matrix.agency_a)
    request.reply_due_on = D(2026, 12, 24)
    request.save(update_fields=["reply_due_on"])
    request = services.request_extension_approve(
        actor=reviewer,
        request=request,
        days=20,
        reason="r",
        applicant_notice="n",
        **_told(),
    )
    assert request.reply_due_on.year == 2027
    assert request.reply_due_provisional
    assert request.reply_due_detail["unknown_years"] == [2027]


def test_calendar_override_for_unknown_year_is_used_on_the_next_clock_event():
    """Once a coordinator enters a 2027 holiday, the next clock event counts it;
    stored deadlines are not recomputed behind anyone's back."""
    from portal.models import CalendarOverride

    request = _unsaved(D(2026, 12, 15))
    assert request.reply_due_on == D(2027, 1, 12)
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert request.reply_due_on == D(2027, 1, 12)
    clock.start(request)
    assert request.reply_due_on == D(2027, 1, 13)
