"""The request workflow: one service per transition of ``REQUEST_TRANSITIONS``.

Each service locks the row, checks the transition and the actor's role, applies
the change (clock events through ``requests_.clock``), saves and appends an audit
event, all in one transaction. Applicant actions pass ``applicant_secret``: the
secret of the status link stands in for a login.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError, PermissionDenied
from portal.validation import check_lengths
from requests_ import clock, permissions
from requests_.models import (
    ConsultationKind,
    ConsultationResult,
    DisclosureRequest,
    ExemptionCode,
    NoticeChannel,
    Outcome,
    OutcomeCategory,
    RequestStatus,
)
from requests_.services._common import (
    DATE_IN_FUTURE,
    Step,
    begin,
    event_day,
    lock,
    not_in_future,
    require,
    run_due,
    today,
)
from requests_.services.conversion import conversion_close_guard
from requests_.services.intake import secret_matches
from requests_.services.outcomes import check_reply_preconditions
from requests_.transitions import REQUEST_TRANSITIONS, RequestAction

NOTICE_REQUIRED = _("请填写补正告知内容，一次性说明需要补正的事项。")
CORRECTION_BEFORE_REQUEST = _("补正日期不能早于补正告知日期。")
CORRECTION_TEXT_REQUIRED = _("请填写补正后的申请内容。")
LAPSE_TOO_EARLY = _("申请人补正期限（%(day)s）尚未届满，不能按逾期不补正处理。")
CORRECTION_ONCE = _("补正告知只能一次性发出（第三十条），本申请已于 %(day)s 告知。")
CORRECTION_TOO_LATE = _(
    "补正告知应在收到申请之日起 7 个工作日内（%(due)s 前）发出（第三十条），"
    "已过期限，不能再要求补正；答复期限仍自收到申请之日起计算。"
)
CORRECTION_REPLY_BY_ORDER = _("申请人补正期限应晚于补正告知日期。")
CONFIRM_BEFORE_SUBMISSION = _("确认收到日期不能早于申请人网上提交的日期（%(day)s）。")
EXTENSION_DAYS = _("延长期限应为 1 至 20 个工作日。")
EXTENSION_ONCE = _("答复期限只能延长一次。")
EXTENSION_BY_HANDLER = _("延期须由承办人以外的负责人批准。")
EXTENSION_REASON = _("请填写延期理由。")
EXTENSION_NOTICE = _("请填写告知申请人的延期通知内容。")
EXTENSION_AFTER_DEADLINE = _(
    "延期须在原答复期限（%(due)s）届满前批准（第三十三条），原期限已过，不能延期。"
)
EXTENSION_NOTIFIED_ON = _("请填写告知申请人延期的日期。")
EXTENSION_NOTIFIED_ORDER = _(
    "告知申请人延期的日期应在批准之日与原答复期限（%(due)s）之间（第三十三条）。"
)
EXTENSION_CHANNEL = _("请选择告知申请人延期的方式。")
CONSULTATION_PARTY = _("请填写征求意见的对象（第三方或其他机关的名称）。")
CONSULTATION_NOT_RUN_OUT = _("征求意见期限（%(due)s）尚未届满，不能按逾期未答复处理。")
WITHDRAWAL_BEFORE_RECEIPT = _("撤回申请的日期不能早于收到申请的日期。")
CONSULTATION_KIND = _("请选择征求意见的类型。")
RESUME_BEFORE_PAUSE = _("恢复计时日期不能早于停止计时日期。")
OUTCOME_INVALID = _("请选择年度报告所列的办理结果。")
REPLY_TEXT_REQUIRED = _("请填写答复内容。")
EXEMPTION_MISMATCH = _("不予公开的依据类别应与所选的不予公开理由一致。")
EXEMPTION_REQUIRED = _("部分公开须说明不予公开部分的依据类别。")
EXEMPTION_NOT_ALLOWED = _("只有不予公开或部分公开才引用不予公开依据。")
ENTRY_NOT_PUBLISHED = _("只能引用本机关已发布负面清单中的事项。")
ENTRY_CATEGORY = _("所引用清单事项的类别与不予公开依据不一致。")
LETTER_NOT_PDF = _("答复书须为 PDF 文件。")
CONVERSION_PENDING = _("予以公开或部分公开的申请，须先作出是否转为主动公开的决定。")

MAX_LETTER_BYTES = 20 * 1024 * 1024


def _begin(
    action: RequestAction,
    request: DisclosureRequest,
    actor: Any,
    applicant_secret: str | None = None,
) -> Step[DisclosureRequest]:
    locked = lock(request)
    as_applicant = applicant_secret is not None
    if as_applicant and not secret_matches(locked, applicant_secret):
        raise PermissionDenied()
    return begin(REQUEST_TRANSITIONS, action, locked, actor, as_applicant=as_applicant)


@transaction.atomic
def request_accept(*, actor: Any, request: DisclosureRequest) -> DisclosureRequest:
    """Take the request into handling; the actor becomes its handler if none."""
    step = _begin(RequestAction.ACCEPT, request, actor)
    locked = step.obj
    locked.handler = locked.handler or actor
    return step.finish()


@transaction.atomic
def request_confirm_receipt(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> DisclosureRequest:
    """Confirm an online submission; its receipt date is ``on`` (第三十一条).

    The clock starts on confirmation. The day cannot lie before the submission
    nor after today.
    """
    step = _begin(RequestAction.CONFIRM, request, actor)
    locked = step.obj
    day = on or today()
    not_in_future(day, DATE_IN_FUTURE, "on")
    if locked.submitted_on and day < locked.submitted_on:
        raise DomainError(
            CONFIRM_BEFORE_SUBMISSION % {"day": locked.submitted_on.isoformat()},
            code="date_before_submission",
            field="on",
        )
    locked.received_on = day
    locked.handler = locked.handler or actor
    clock.start(locked)
    return step.finish()


@transaction.atomic
def request_correction_request(
    *,
    actor: Any,
    request: DisclosureRequest,
    notice: str,
    on: dt.date | None = None,
    reply_by: dt.date | None = None,
) -> DisclosureRequest:
    """Send the one consolidated correction notice (第三十条); the clock stops.

    Allowed once, within 7 working days of receipt, whether the request was
    accepted yet or not; after that the agency must decide on the request as it
    stands and its reply deadline keeps running from the original receipt. The
    notice sets the applicant's deadline (``reply_by``, after the notice day).
    """
    check_lengths("request_step", notice=notice)
    step = _begin(RequestAction.REQUEST_CORRECTION, request, actor)
    locked = step.obj
    if locked.correction_requested_on is not None:
        raise DomainError(
            CORRECTION_ONCE % {"day": locked.correction_requested_on.isoformat()},
            code="correction_once",
        )
    require(notice, NOTICE_REQUIRED, "notice")
    day = event_day(locked, on)
    if locked.correction_due_on is not None and day > locked.correction_due_on:
        raise DomainError(
            CORRECTION_TOO_LATE % {"due": locked.correction_due_on.isoformat()},
            code="correction_too_late",
            field="on",
        )
    if reply_by is not None and reply_by <= day:
        raise DomainError(
            CORRECTION_REPLY_BY_ORDER, code="date_order", field="reply_by"
        )
    locked.correction_requested_on = day
    locked.correction_notice = notice.strip()
    locked.correction_reply_by = reply_by or clock.correction_reply_by(day)
    clock.stop_for_correction(locked, day)
    return step.finish()


@transaction.atomic
def request_correction_receive(
    *,
    actor: Any,
    request: DisclosureRequest,
    text: str,
    on: dt.date | None = None,
    applicant_secret: str | None = None,
) -> DisclosureRequest:
    """Record the corrected request and restart the reply clock from its receipt."""
    check_lengths("request_step", text=text)
    step = _begin(RequestAction.RECEIVE_CORRECTION, request, actor, applicant_secret)
    locked = step.obj
    require(text, CORRECTION_TEXT_REQUIRED, "text")
    day = event_day(locked, on if applicant_secret is None else None)
    if day < locked.correction_requested_on:
        raise DomainError(CORRECTION_BEFORE_REQUEST, code="date_order", field="on")
    locked.correction_received_on = day
    locked.correction_text = text.strip()
    clock.restart_after_correction(locked, day)
    return step.finish()


@transaction.atomic
def request_lapse(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> DisclosureRequest:
    """End a request whose applicant did not correct it in time (（六）1)."""
    step = _begin(RequestAction.LAPSE, request, actor)
    locked = step.obj
    day = event_day(locked, on)
    if locked.correction_reply_by and day <= locked.correction_reply_by:
        raise DomainError(
            LAPSE_TOO_EARLY % {"day": locked.correction_reply_by.isoformat()},
            code="lapse_too_early",
        )
    locked.correction_lapsed_on = day
    locked.outcome = Outcome.OTHER_NO_CORRECTION
    locked.replied_on = day
    locked.closed_on = day
    locked.reply_text = locked.reply_text or str(
        _("申请人无正当理由逾期不补正，视为放弃申请，本机关不再处理。")
    )
    return step.finish()


@transaction.atomic
def request_extension_approve(
    *,
    actor: Any,
    request: DisclosureRequest,
    days: int,
    reason: str,
    applicant_notice: str,
    notified_on: dt.date | None = None,
    notice_channel: str = "",
    on: dt.date | None = None,
) -> DisclosureRequest:
    """Approve the one extension (≤ 20 working days) and record the applicant notice.

    第三十三条 gives the decision to the head of the handling agency's disclosure
    office: a reviewer of that agency (the transition's predicate), not the
    handler. It is approved on or before the running deadline, and the applicant
    is told by that deadline (``notified_on``, ``notice_channel``).
    """
    check_lengths("request_step", reason=reason, applicant_notice=applicant_notice)
    step = _begin(RequestAction.EXTEND, request, actor)
    locked = step.obj
    if locked.extension_days:
        raise DomainError(EXTENSION_ONCE, code="extension_once")
    if not 1 <= int(days) <= clock.MAX_EXTENSION_DAYS:
        raise DomainError(EXTENSION_DAYS, code="extension_days", field="days")
    if locked.handler_id is not None and locked.handler_id == getattr(
        actor, "pk", None
    ):
        raise DomainError(EXTENSION_BY_HANDLER, code="extension_by_handler")
    day = event_day(locked, on)
    due = locked.reply_due_on
    if due is not None and day > due:
        raise DomainError(
            EXTENSION_AFTER_DEADLINE % {"due": due.isoformat()},
            code="extension_after_deadline",
            field="on",
        )
    require(reason, EXTENSION_REASON, "reason")
    require(applicant_notice, EXTENSION_NOTICE, "applicant_notice")
    require(notified_on, EXTENSION_NOTIFIED_ON, "notified_on")
    not_in_future(notified_on, DATE_IN_FUTURE, "notified_on")
    if notified_on < day or (due is not None and notified_on > due):
        raise DomainError(
            EXTENSION_NOTIFIED_ORDER % {"due": due.isoformat() if due else ""},
            code="date_order",
            field="notified_on",
        )
    if notice_channel not in NoticeChannel.values:
        raise DomainError(EXTENSION_CHANNEL, code="invalid", field="notice_channel")
    locked.extension_reason = reason.strip()
    locked.extension_notice = applicant_notice.strip()
    locked.extension_notified_on = notified_on
    locked.extension_notice_channel = notice_channel
    locked.extension_approved_by = actor
    locked.extension_approved_on = day
    clock.extend(locked, int(days))
    return step.finish()


@transaction.atomic
def request_consultation_start(
    *,
    actor: Any,
    request: DisclosureRequest,
    kind: str,
    party: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> DisclosureRequest:
    """Stop the clock while a third party (第三十二条) or another agency
    (第三十四条) is consulted; either has 15 working days from the letter.

    A request consulted after its deadline stays overdue by the days it had
    already run over (``clock.pause``).
    """
    check_lengths("request_step", note=note, party=party)
    step = _begin(RequestAction.PAUSE, request, actor)
    locked = step.obj
    if kind not in ConsultationKind.values:
        raise DomainError(CONSULTATION_KIND, code="invalid", field="kind")
    require(party, CONSULTATION_PARTY, "party")
    day = event_day(locked, on)
    locked.consultation_kind = kind
    locked.consultation_party = party.strip()
    locked.consultation_note = note.strip()
    clock.pause(locked, day)
    return step.finish()


@transaction.atomic
def request_consultation_end(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> DisclosureRequest:
    """Record the consulted party's answer and restart the clock.

    Only the consultation's own 15 working days are not counted: an answer that
    arrives after them restarts the clock from the last day of that term.
    """
    step = _begin(RequestAction.RESUME, request, actor)
    locked = step.obj
    day = event_day(locked, on)
    if day < locked.paused_on:
        raise DomainError(RESUME_BEFORE_PAUSE, code="date_order", field="on")
    locked.consultation_ended_on = day
    locked.consultation_result = ConsultationResult.ANSWERED
    term_end = locked.consultation_due_on
    clock.resume(locked, min(day, term_end) if term_end else day)
    return step.finish()


def _run_out(step: Step[DisclosureRequest], on: dt.date) -> DisclosureRequest:
    locked = step.obj
    due = locked.consultation_due_on
    if due is None or on <= due:
        raise DomainError(
            CONSULTATION_NOT_RUN_OUT % {"due": due.isoformat() if due else ""},
            code="consultation_not_run_out",
        )
    locked.consultation_ended_on = due
    locked.consultation_result = (
        ConsultationResult.CONSENT_BY_SILENCE
        if locked.consultation_kind == ConsultationKind.AGENCY
        else ConsultationResult.NO_ANSWER
    )
    clock.resume(locked, due)
    return step.finish(str(locked.get_consultation_result_display()))


@transaction.atomic
def request_consultation_run_out(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> DisclosureRequest:
    """Record that the consultation's 15 working days passed unanswered.

    Another agency's silence is recorded as consent (第三十四条); a silent third
    party leaves the decision to the agency (第三十二条). The clock resumes from
    the last day of the consultation's term, and the request is listed among
    ``selectors.consultations_run_out`` until the handler replies.
    """
    day = on or today()
    not_in_future(day, DATE_IN_FUTURE, "on")
    due = request.consultation_due_on
    if permissions.can_handle_request(actor, request) and (due is None or day <= due):
        # The transition is offered only after the term; say why, not 403.
        raise DomainError(
            CONSULTATION_NOT_RUN_OUT % {"due": due.isoformat() if due else ""},
            code="consultation_not_run_out",
        )
    step = _begin(RequestAction.RUN_OUT, request, actor)
    return _run_out(step, day)


def consultations_expire(on: dt.date | None = None) -> list[DisclosureRequest]:
    """Resume every request whose consultation ran out before ``on`` (the job).

    Run by ``manage.py expire_consultations`` (daily) as the operator
    (``actor=None``): each request in its own transaction, under its row lock,
    checked against the transition's source states like any other step.
    """
    day = on or today()
    not_in_future(day, DATE_IN_FUTURE, "on")
    ids = DisclosureRequest.objects.filter(
        status=RequestStatus.CONSULTING, consultation_due_on__lt=day
    ).values_list("pk", flat=True)
    return run_due(
        REQUEST_TRANSITIONS,
        RequestAction.RUN_OUT,
        DisclosureRequest,
        ids,
        lambda step: _run_out(step, day),
    )


def _check_exemption(
    request: DisclosureRequest, outcome: Outcome, code: str, entry: Any
) -> str:
    category = outcome.category
    if category == OutcomeCategory.WITHHELD:
        if code and code != outcome.reason:
            raise DomainError(
                EXEMPTION_MISMATCH, code="exemption", field="exemption_code"
            )
        code = outcome.reason
    elif outcome == Outcome.PARTIAL:
        if code not in ExemptionCode.values:
            raise DomainError(
                EXEMPTION_REQUIRED, code="exemption", field="exemption_code"
            )
    elif code or entry is not None:
        raise DomainError(
            EXEMPTION_NOT_ALLOWED, code="exemption", field="exemption_code"
        )
    if entry is not None:
        from negative_list.selectors import published_entries

        if not published_entries(request.agency).filter(pk=entry.pk).exists():
            raise DomainError(
                ENTRY_NOT_PUBLISHED, code="entry", field="negative_list_entry"
            )
        if entry.category_code and entry.category_code != code:
            raise DomainError(ENTRY_CATEGORY, code="entry", field="negative_list_entry")
    return code


def _check_letter(letter: UploadedFile | None) -> None:
    if letter is None:
        return
    from portal import uploads  # The one door every uploaded file passes.

    uploads.admit_file(
        letter,
        kinds=("pdf",),
        limits=uploads.upload_limits(max_bytes=MAX_LETTER_BYTES),
        field="reply_letter",
        name_must_match=True,
        wrong_type=LETTER_NOT_PDF,
    )


@transaction.atomic
def request_reply(
    *,
    actor: Any,
    request: DisclosureRequest,
    outcome: str,
    reply_text: str,
    replied_on: dt.date | None = None,
    exemption_code: str = "",
    negative_list_entry: Any = None,
    reply_letter: UploadedFile | None = None,
) -> DisclosureRequest:
    """Record the reply in the annual report's categories, with its letter."""
    check_lengths("request_step", reply_text=reply_text)
    step = _begin(RequestAction.REPLY, request, actor)
    locked = step.obj
    if outcome not in Outcome.values:
        raise DomainError(OUTCOME_INVALID, code="invalid", field="outcome")
    outcome = Outcome(outcome)
    check_reply_preconditions(locked, outcome)
    require(reply_text, REPLY_TEXT_REQUIRED, "reply_text")
    locked.exemption_code = _check_exemption(
        locked, outcome, exemption_code or "", negative_list_entry
    )
    _check_letter(reply_letter)
    locked.outcome = outcome
    locked.negative_list_entry = negative_list_entry
    locked.reply_text = reply_text.strip()
    locked.replied_on = event_day(locked, replied_on, "replied_on")
    if reply_letter is not None:
        locked.reply_letter.save(
            f"reply-{locked.tracking_code}.pdf", reply_letter, save=False
        )
    locked.handler = locked.handler or actor
    return step.finish()


@transaction.atomic
def request_close(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> DisclosureRequest:
    """Close a replied request; a releasing outcome needs its conversion decision."""
    step = _begin(RequestAction.CLOSE, request, actor)
    locked = step.obj
    conversion_close_guard(locked)
    if locked.needs_conversion_decision:
        raise DomainError(CONVERSION_PENDING, code="conversion_pending")
    locked.closed_on = event_day(locked, on)
    return step.finish()


@transaction.atomic
def request_withdraw(
    *,
    actor: Any,
    request: DisclosureRequest,
    reason: str = "",
    on: dt.date | None = None,
    applicant_secret: str | None = None,
) -> DisclosureRequest:
    """Withdraw an open request at the applicant's wish (counted as （六）3.其他).

    Dated the day the withdrawal was received (``on``, staff entering a letter or
    call after the fact; today through the applicant's link): not before the
    request's receipt, not in the future. The annual report counts it by that date.
    """
    check_lengths("request_step", reason=reason)
    step = _begin(RequestAction.WITHDRAW, request, actor, applicant_secret)
    locked = step.obj
    day = (on if applicant_secret is None else None) or today()
    not_in_future(day, DATE_IN_FUTURE, "on")
    if day < locked.received_on:
        raise DomainError(
            WITHDRAWAL_BEFORE_RECEIPT, code="date_before_receipt", field="on"
        )
    locked.withdrawn_on = day
    locked.closed_on = day
    locked.replied_on = day
    locked.outcome = Outcome.OTHER_OTHER
    locked.reply_text = str(_("申请人撤回申请。"))
    locked.reply_due_on = None
    locked.paused_on = None
    return step.finish(str(_("申请人撤回")) if applicant_secret is not None else "")
