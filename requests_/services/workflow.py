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
from requests_ import clock
from requests_.models import (
    ConsultationKind,
    DisclosureRequest,
    ExemptionCode,
    Outcome,
    OutcomeCategory,
)
from requests_.services._common import (
    Step,
    begin,
    lock,
    not_in_future,
    require,
    today,
)
from requests_.services.conversion import conversion_close_guard
from requests_.services.intake import secret_matches
from requests_.services.outcomes import check_reply_preconditions
from requests_.transitions import REQUEST_TRANSITIONS, RequestAction

NOTICE_REQUIRED = _("请填写补正告知内容，一次性说明需要补正的事项。")
CORRECTION_BEFORE_REQUEST = _("补正日期不能早于补正告知日期。")
DATE_BEFORE_RECEIPT = _("日期不能早于收到申请的日期。")
DATE_IN_FUTURE = _("日期不能晚于今天。")
CORRECTION_TEXT_REQUIRED = _("请填写补正后的申请内容。")
LAPSE_TOO_EARLY = _("申请人补正期限（%(day)s）尚未届满，不能按逾期不补正处理。")
EXTENSION_DAYS = _("延长期限应为 1 至 20 个工作日。")
EXTENSION_ONCE = _("答复期限只能延长一次。")
EXTENSION_BY_HANDLER = _("延期须由承办人以外的负责人批准。")
EXTENSION_REASON = _("请填写延期理由。")
EXTENSION_NOTICE = _("请填写告知申请人的延期通知内容。")
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


def _event_day(
    request: DisclosureRequest, on: dt.date | None, field: str = "on"
) -> dt.date:
    day = on or today()
    not_in_future(day, DATE_IN_FUTURE, field)
    if day < request.received_on:
        raise DomainError(DATE_BEFORE_RECEIPT, code="date_before_receipt", field=field)
    return day


@transaction.atomic
def request_accept(*, actor: Any, request: DisclosureRequest) -> DisclosureRequest:
    """Take the request into handling; the actor becomes its handler if none."""
    step = _begin(RequestAction.ACCEPT, request, actor)
    locked = step.obj
    locked.handler = locked.handler or actor
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
    """Send the one consolidated correction notice; the reply clock stops."""
    check_lengths("request_step", notice=notice)
    step = _begin(RequestAction.REQUEST_CORRECTION, request, actor)
    locked = step.obj
    require(notice, NOTICE_REQUIRED, "notice")
    day = _event_day(locked, on)
    locked.correction_requested_on = day
    locked.correction_notice = notice.strip()
    locked.correction_reply_by = reply_by or clock.correction_reply_by(day)
    late = day > locked.correction_due_on if locked.correction_due_on else False
    return step.finish(str(_("补正告知晚于7个工作日期限。")) if late else "")


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
    day = _event_day(locked, on if applicant_secret is None else None)
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
    day = _event_day(locked, on)
    if locked.correction_reply_by and day <= locked.correction_reply_by:
        raise DomainError(
            LAPSE_TOO_EARLY % {"day": locked.correction_reply_by.isoformat()},
            code="lapse_too_early",
        )
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
    on: dt.date | None = None,
) -> DisclosureRequest:
    """Approve the one extension (≤ 20 working days) and record the applicant notice.

    The approver must not be the handler: 第三十三条 gives the decision to the
    head of the disclosure office.
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
    require(reason, EXTENSION_REASON, "reason")
    require(applicant_notice, EXTENSION_NOTICE, "applicant_notice")
    locked.extension_reason = reason.strip()
    locked.extension_notice = applicant_notice.strip()
    locked.extension_approved_by = actor
    locked.extension_approved_on = _event_day(locked, on)
    clock.extend(locked, int(days))
    return step.finish()


@transaction.atomic
def request_consultation_start(
    *,
    actor: Any,
    request: DisclosureRequest,
    kind: str,
    note: str = "",
    on: dt.date | None = None,
) -> DisclosureRequest:
    """Stop the clock while a third party or another agency is consulted."""
    check_lengths("request_step", note=note)
    step = _begin(RequestAction.PAUSE, request, actor)
    locked = step.obj
    if kind not in ConsultationKind.values:
        raise DomainError(CONSULTATION_KIND, code="invalid", field="kind")
    day = _event_day(locked, on)
    locked.consultation_kind = kind
    locked.consultation_note = note.strip()
    clock.pause(locked, day)
    return step.finish()


@transaction.atomic
def request_consultation_end(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> DisclosureRequest:
    """Restart the clock with the working days that were left when it stopped."""
    step = _begin(RequestAction.RESUME, request, actor)
    locked = step.obj
    day = _event_day(locked, on)
    if day < locked.paused_on:
        raise DomainError(RESUME_BEFORE_PAUSE, code="date_order", field="on")
    clock.resume(locked, day)
    return step.finish()


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
    locked.replied_on = _event_day(locked, replied_on, "replied_on")
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
    locked.closed_on = _event_day(locked, on)
    return step.finish()


@transaction.atomic
def request_withdraw(
    *,
    actor: Any,
    request: DisclosureRequest,
    reason: str = "",
    applicant_secret: str | None = None,
) -> DisclosureRequest:
    """Withdraw an open request at the applicant's wish (counted as （六）3.其他)."""
    check_lengths("request_step", reason=reason)
    step = _begin(RequestAction.WITHDRAW, request, actor, applicant_secret)
    locked = step.obj
    day = today()
    locked.withdrawn_on = day
    locked.closed_on = day
    locked.replied_on = day
    locked.outcome = Outcome.OTHER_OTHER
    locked.reply_text = str(_("申请人撤回申请。"))
    locked.reply_due_on = None
    locked.paused_on = None
    return step.finish(str(_("申请人撤回")) if applicant_secret is not None else "")
