"""The statutory clock of a request (第三十条–第三十四条).

Each function applies one clock event to an unsaved request: it computes the new
deadline with the working-day calendar and stores it with its explanation. The
services call these, and nothing else touches the deadline fields, so a stored
deadline is always the answer to the last clock event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from portal.calendar import Deadline, WorkingCalendar, default_calendar, format_date
from requests_.models import DisclosureRequest

REPLY_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
MAX_EXTENSION_DAYS = 20
# Time the applicant gets to send the correction (our default; the notice may name
# another date).
CORRECTION_REPLY_DAYS = 15
# A consulted third party has 15 working days to give its opinion (第三十二条), and
# so has a consulted agency, whose silence counts as consent (第三十四条).
THIRD_PARTY_DAYS = 15
AGENCY_DAYS = 15
CONSULTATION_DAYS = {"third_party": THIRD_PARTY_DAYS, "agency": AGENCY_DAYS}
CONSULTATION_NOTES = {
    "third_party": _(
        "第三方应自收到征求意见书之日起 15 个工作日内提出意见（第三十二条），"
        "逾期未提出意见的，由本机关依法决定。"
    ),
    "agency": _(
        "被征求意见机关应自收到征求意见书之日起 15 个工作日内提出意见，"
        "逾期未提出意见的视为同意公开（第三十四条）。"
    ),
}


def _store_reply(request: DisclosureRequest, deadline: Deadline, note: str) -> None:
    request.reply_due_on = deadline.due
    request.reply_due_provisional = deadline.provisional
    request.reply_due_explanation = f"{note}\n{deadline.explain()}"
    request.reply_due_detail = {**deadline.as_dict(), "note": note}


def _calendar(calendar: WorkingCalendar | None) -> WorkingCalendar:
    return calendar or default_calendar()


def start(request: DisclosureRequest, calendar: WorkingCalendar | None = None) -> None:
    """Start the clock on receipt: reply in 20, correction notice in 7 working days."""
    calendar = _calendar(calendar)
    request.clock_start = request.received_on
    _store_reply(
        request,
        calendar.deadline(request.received_on, REPLY_DAYS),
        _("依据第三十三条，自收到申请之日起 %(n)s 个工作日内答复。")
        % {"n": REPLY_DAYS},
    )
    notice = calendar.deadline(request.received_on, CORRECTION_NOTICE_DAYS)
    request.correction_due_on = notice.due
    note = _(
        "依据第三十条，需补正的，应在收到申请之日起 %(n)s 个工作日内一次性告知。"
    ) % {"n": CORRECTION_NOTICE_DAYS}
    request.correction_due_explanation = f"{note}\n{notice.explain()}"
    request.correction_due_detail = {**notice.as_dict(), "note": note}


def correction_reply_by(
    requested_on: dt.date, calendar: WorkingCalendar | None = None
) -> dt.date:
    """Return the default date by which the applicant should send the correction."""
    return _calendar(calendar).add_working_days(requested_on, CORRECTION_REPLY_DAYS)


def stop_for_correction(request: DisclosureRequest, on: dt.date) -> None:
    """Stop the reply clock on the correction notice of ``on`` (第三十条).

    The term is not resumed later: it starts afresh from the receipt of the
    corrected request.
    """
    note = _(
        "%(day)s 已发出补正告知，答复期限自收到补正申请之日起重新计算（第三十条）。"
    ) % {"day": format_date(on)}
    request.reply_due_on = None
    request.reply_due_provisional = False
    request.reply_due_explanation = note
    request.reply_due_detail = {"correction_requested_on": on.isoformat(), "note": note}


def restart_after_correction(
    request: DisclosureRequest,
    received_on: dt.date,
    calendar: WorkingCalendar | None = None,
) -> None:
    """Restart the reply clock from receipt of the corrected request."""
    calendar = _calendar(calendar)
    request.clock_start = received_on
    _store_reply(
        request,
        calendar.deadline(received_on, REPLY_DAYS),
        _(
            "申请人于 %(day)s 提交补正，"
            "答复期限自收到补正申请之日起重新计算（第三十条）。"
        )
        % {"day": format_date(received_on)},
    )


def extend(
    request: DisclosureRequest, days: int, calendar: WorkingCalendar | None = None
) -> None:
    """Extend the running deadline by ``days`` working days."""
    calendar = _calendar(calendar)
    previous = request.reply_due_on
    request.extension_days = days
    _store_reply(
        request,
        calendar.deadline(previous, days),
        _("经批准延长答复期限 %(n)s 个工作日（第三十三条），自原期限 %(day)s 起顺延。")
        % {"n": days, "day": format_date(previous)},
    )


def stop(
    request: DisclosureRequest,
    on: dt.date,
    explain: Callable[[int], str],
    calendar: WorkingCalendar | None = None,
) -> None:
    """Stop the clock on ``on`` keeping the working days still left.

    The days left are negative when the request was already overdue: a stop ends
    the count, it never erases days already used beyond the term.
    ``explain(remaining)`` words why the clock stops.
    """
    calendar = _calendar(calendar)
    remaining = calendar.working_days_between(on, request.reply_due_on)
    note = explain(remaining)
    request.paused_on = on
    request.paused_remaining_days = remaining
    request.reply_due_on = None
    request.reply_due_provisional = False
    request.reply_due_explanation = note
    request.reply_due_detail = {
        "paused_on": on.isoformat(),
        "remaining": remaining,
        "note": note,
    }


def pause(
    request: DisclosureRequest, on: dt.date, calendar: WorkingCalendar | None = None
) -> None:
    """Stop the clock for a consultation on ``on`` (第三十三条).

    The consultation's own term (15 working days from the letter) is stored too.
    """
    calendar = _calendar(calendar)

    def explain(remaining: int) -> str:
        if remaining >= 0:
            return _(
                "自 %(day)s 起征求意见，所需时间不计入答复期限（第三十三条），"
                "停止计时，剩余 %(n)s 个工作日。"
            ) % {"day": format_date(on), "n": remaining}
        return _(
            "自 %(day)s 起征求意见，所需时间不计入答复期限（第三十三条），"
            "停止计时；此前已超期 %(n)s 个工作日，超期天数不因征求意见而抵消。"
        ) % {"day": format_date(on), "n": -remaining}

    stop(request, on, explain, calendar)
    kind = request.consultation_kind
    opinion = calendar.deadline(on, CONSULTATION_DAYS[kind])
    request.consultation_started_on = on
    request.consultation_due_on = opinion.due
    request.consultation_ended_on = None
    request.consultation_result = ""
    request.reply_due_detail["consultation"] = {
        **opinion.as_dict(),
        "note": str(CONSULTATION_NOTES[kind]),
    }


def _back(calendar: WorkingCalendar, day: dt.date, working_days: int) -> dt.date:
    """Return the last working day with ``working_days`` working days after it up
    to ``day``: the deadline of a request overdue by that many days on ``day``."""
    counted = 0
    while counted < working_days:
        if calendar.is_workday(day):
            counted += 1
        day -= dt.timedelta(days=1)
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def restart(
    request: DisclosureRequest,
    on: dt.date,
    explain: Callable[[dict[str, str], int, dt.date | None], str],
    calendar: WorkingCalendar | None = None,
) -> None:
    """Restart a stopped clock on ``on`` with the working days that were left.

    A request stopped after its deadline restarts as overdue by the days it had
    already run over: its deadline lies that many working days before ``on``.
    ``explain(span, remaining, due)`` words it: ``span`` the stopped period's
    first and last day, ``due`` that earlier deadline, None while days remain.
    """
    calendar = _calendar(calendar)
    remaining = request.paused_remaining_days or 0
    paused_on = request.paused_on
    request.paused_on = None
    request.paused_remaining_days = None
    span = {"start": format_date(paused_on), "end": format_date(on)}
    if remaining >= 0:
        deadline = calendar.deadline(on, remaining)
        _store_reply(request, deadline, explain(span, remaining, None))
        return
    due = _back(calendar, on, -remaining)
    note = explain(span, remaining, due)
    request.reply_due_on = due
    request.reply_due_provisional = False
    request.reply_due_explanation = note
    request.reply_due_detail = {
        "due": due.isoformat(),
        "overdue": -remaining,
        "note": note,
    }


def resume(
    request: DisclosureRequest, on: dt.date, calendar: WorkingCalendar | None = None
) -> None:
    """Restart the clock a consultation stopped, on ``on``."""

    def explain(span: dict[str, str], remaining: int, due: dt.date | None) -> str:
        if due is None:
            return _(
                "%(start)s 至 %(end)s 征求意见期间不计入；"
                "恢复计时，剩余 %(n)s 个工作日。"
            ) % {**span, "n": remaining}
        return _(
            "%(start)s 至 %(end)s 征求意见期间不计入；恢复计时时已超期 %(n)s 个工作日"
            "（征求意见前已超期），答复期限视为 %(due)s。"
        ) % {**span, "n": -remaining, "due": format_date(due)}

    restart(request, on, explain, calendar)


def overdue_days(
    request: DisclosureRequest,
    today: dt.date,
    calendar: WorkingCalendar | None = None,
) -> int:
    """Return the working days ``request`` has used beyond its term by ``today``.

    Counted from the days actually used: while a consultation stops the clock the
    figure stays at what it was when the clock stopped (0 unless the request was
    already late), and a correction notice or an unconfirmed submission has no
    running term. Closed requests are not overdue.
    """
    from requests_.models.choices import CLOCK_RUNNING_STATUSES, RequestStatus

    if request.status == RequestStatus.CONSULTING:
        return max(0, -(request.paused_remaining_days or 0))
    if request.status not in CLOCK_RUNNING_STATUSES or request.reply_due_on is None:
        return 0
    if today <= request.reply_due_on:
        return 0
    return _calendar(calendar).working_days_between(request.reply_due_on, today)
