"""The fee notice of a request and what becomes of it (国办函〔2020〕109号).

Four steps, each a transition of ``REQUEST_TRANSITIONS``: the handler sends the
notice (the reply clock stops), records the payment (it restarts), a reviewer of
the agency who is not the handler waives the fee with a reason (it restarts), or
the payment window passes (``fees_lapse``, run daily) and the notice lapses: the
clock restarts from the last day of the window so that the agency replies
（六）2 in the time that was left, and only then is （六）2 allowed
(``requests_.services.outcomes``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.calendar import format_date
from portal.errors import DomainError
from portal.validation import check_lengths
from requests_ import clock, fees
from requests_.models import (
    DisclosureRequest,
    FeeNotice,
    FeeScale,
    FeeStatus,
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
from requests_.transitions import REQUEST_TRANSITIONS, RequestAction

FEE_ONCE = _("本申请已发出过收费通知；一件申请只能按一种标准收费一次。")
SCALE_INVALID = _("请选择按件计收或按量计收。")
QUANTITY_INVALID = _("件数或页数应为正整数。")
NOTHING_DUE = _("按所选标准，本申请不需收费（%(detail)s）。")
NO_APPLICANT_KEY = _("本申请缺少申请人标识，无法按件统计当月申请件数。")
HOW_TO_PAY_REQUIRED = _("请填写缴费方式（账户、地点或网上缴费途径）。")
RECEIPT_REQUIRED = _("请填写缴费票据号码。")
PAID_AMOUNT_INVALID = _("实缴金额应与通知金额 %(amount)s 元一致。")
PAID_AFTER_WINDOW = _("缴费日期晚于缴费期限 %(day)s，应按逾期未缴费处理。")
DATE_BEFORE_NOTICE = _("日期不能早于收费通知日期。")
WAIVER_REASON_REQUIRED = _("请填写减免理由。")
WAIVER_BY_HANDLER = _("减免须由承办人和发出收费通知的人以外的审核人批准。")
LAPSE_TOO_EARLY = _("缴费期限（%(day)s）尚未届满，不能按逾期未缴费处理。")
NOTICE_AFTER_TERM = _(
    "收费通知应在答复期限（%(day)s）内发出（国办函〔2020〕109号 第六条）。"
)


def _notice(request: DisclosureRequest) -> FeeNotice:
    """Return the request's pending notice, locked (the request is locked first)."""
    return FeeNotice.objects.select_for_update().get(
        request=request, status=FeeStatus.PENDING
    )


# --- The clock ------------------------------------------------------------------
# A fee notice stops the clock until the payment, the waiver or the lapse
# (国办函〔2020〕109号 第六条); ``requests_.clock`` keeps the days left.


def _stop_clock(request: DisclosureRequest, on: dt.date) -> None:
    def explain(remaining: int) -> str:
        return gettext(
            "自 %(day)s 发出收费通知起至申请人缴费之日止，不计入答复期限"
            "（国办函〔2020〕109号 第六条），停止计时，剩余 %(n)s 个工作日。"
        ) % {"day": format_date(on), "n": remaining}

    clock.stop(request, on, explain)


def _restart_clock(request: DisclosureRequest, on: dt.date, why: str) -> None:
    def explain(span: dict[str, str], remaining: int, due: dt.date | None) -> str:
        note = gettext("%(start)s 至 %(end)s 待缴费期间不计入；%(why)s，恢复计时。") % {
            **span,
            "why": why,
        }
        if due is None:
            return note + gettext("剩余 %(n)s 个工作日。") % {"n": remaining}
        return note

    clock.restart(request, on, explain)


# --- Counting ---------------------------------------------------------------------


def earlier_items(request: DisclosureRequest) -> int:
    """Count the applicant's requests the agency received earlier that month.

    Compared by ``applicant_key``, never by reading identities; "earlier" is by
    receipt date, then registration order on the same day (第四条 counts the
    requests of one natural month).
    """
    if not request.applicant_key:
        raise DomainError(NO_APPLICANT_KEY, code="no_applicant_key", field="scale")
    day = request.received_on
    return (
        DisclosureRequest.objects.filter(
            agency_id=request.agency_id,
            applicant_key=request.applicant_key,
            received_on__gte=day.replace(day=1),
        )
        .filter(Q(received_on__lt=day) | Q(received_on=day, pk__lt=request.pk))
        .count()
    )


def _compute(
    request: DisclosureRequest, scale: str, quantity: int
) -> tuple[int, int, str]:
    """Return (earlier items, fee in 元, the basis sentence) for the notice."""
    basis = str(fees.BASIS)
    if scale == FeeScale.PER_ITEM:
        earlier = earlier_items(request)
        first, last = earlier + 1, earlier + quantity
        fee = fees.per_item_fee(earlier, quantity)
        detail = gettext(
            "按件计收（第四条）：本申请为申请人 %(month)s 向本机关提出的第 "
            "%(first)s–%(last)s 件，合计 %(fee)s 元"
        ) % {
            "month": f"{request.received_on:%Y年%m月}",
            "first": first,
            "last": last,
            "fee": fee,
        }
        if first == last:
            detail = gettext(
                "按件计收（第四条）：本申请为申请人 %(month)s 向本机关提出的第 "
                "%(n)s 件，收费 %(fee)s 元"
            ) % {"month": f"{request.received_on:%Y年%m月}", "n": first, "fee": fee}
        return earlier, fee, f"{basis}{detail}。"
    fee = fees.per_volume_fee(quantity)
    detail = gettext(
        "按量计收（第五条）：共 %(pages)s 页，30 页以下不收费，"
        "31–100 页每页 10 元，101–200 页每页 20 元，200 页以上每页 40 元，"
        "合计 %(fee)s 元"
    ) % {"pages": quantity, "fee": fee}
    return 0, fee, f"{basis}{detail}。"


def _quantity(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or str(value).strip() != str(number):
        raise DomainError(QUANTITY_INVALID, code="invalid", field="quantity")
    return number


# --- The steps --------------------------------------------------------------------


def _begin(action: RequestAction, request: DisclosureRequest, actor: Any) -> Step:
    return begin(REQUEST_TRANSITIONS, action, lock(request), actor)


@transaction.atomic
def fee_notify(
    *,
    actor: Any,
    request: DisclosureRequest,
    scale: str,
    quantity: int,
    how_to_pay: str,
    on: dt.date | None = None,
) -> FeeNotice:
    """Send the fee notice: compute the fee, set the payment window, stop the clock.

    The notice goes out within the reply term (第六条: 在政府信息公开申请处理期限内).

    ``quantity`` is the items this request counts as (per item, 一事一申请) or
    its pages (per volume); ``on`` the day the applicant received the notice,
    from which the 20 working days to pay are counted (第六条).
    """
    check_lengths("fee", how_to_pay=how_to_pay)
    step = _begin(RequestAction.FEE_NOTIFY, request, actor)
    locked = step.obj
    if FeeNotice.objects.filter(request=locked).exists():
        raise DomainError(FEE_ONCE, code="fee_once")
    if scale not in FeeScale.values:
        raise DomainError(SCALE_INVALID, code="invalid", field="scale")
    quantity = _quantity(quantity)
    require(how_to_pay, HOW_TO_PAY_REQUIRED, "how_to_pay")
    day = event_day(locked, on)
    if locked.reply_due_on is not None and day > locked.reply_due_on:
        raise DomainError(
            NOTICE_AFTER_TERM % {"day": locked.reply_due_on.isoformat()},
            code="notice_after_term",
            field="on",
        )
    earlier, fee, basis = _compute(locked, scale, quantity)
    if fee <= 0:
        raise DomainError(
            NOTHING_DUE % {"detail": basis}, code="nothing_due", field="quantity"
        )
    window = fees.pay_by(day)
    notice = FeeNotice.objects.create(
        request=locked,
        scale=scale,
        quantity=quantity,
        earlier_items=earlier,
        amount=fees.as_amount(fee),
        basis=basis,
        how_to_pay=how_to_pay.strip(),
        notified_on=day,
        pay_by=window.due,
        pay_by_explanation=gettext(
            "申请人应自收到收费通知次日起 %(n)s 个工作日内缴费"
            "（国办函〔2020〕109号 第六条）。"
        )
        % {"n": fees.PAY_DAYS}
        + "\n"
        + window.explain(),
        issued_by=actor,
    )
    _stop_clock(locked, day)
    step.finish(
        gettext("%(scale)s %(amount)s 元，缴费期限 %(day)s")
        % {
            "scale": notice.get_scale_display(),
            "amount": notice.amount,
            "day": notice.pay_by.isoformat(),
        }
    )
    return notice


def _amount(value: Any, expected: Decimal) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount != expected:
        raise DomainError(
            PAID_AMOUNT_INVALID % {"amount": expected},
            code="invalid",
            field="paid_amount",
        )
    return amount


@transaction.atomic
def fee_record_payment(
    *,
    actor: Any,
    request: DisclosureRequest,
    paid_amount: Any,
    receipt_number: str,
    paid_on: dt.date | None = None,
) -> FeeNotice:
    """Record the payment (amount, date, receipt number); the clock restarts."""
    check_lengths("fee", receipt_number=receipt_number)
    step = _begin(RequestAction.FEE_PAY, request, actor)
    locked = step.obj
    notice = _notice(locked)
    day = event_day(locked, paid_on, "paid_on")
    if day < notice.notified_on:
        raise DomainError(DATE_BEFORE_NOTICE, code="date_order", field="paid_on")
    if day > notice.pay_by:
        raise DomainError(
            PAID_AFTER_WINDOW % {"day": notice.pay_by.isoformat()},
            code="paid_after_window",
            field="paid_on",
        )
    notice.paid_amount = _amount(paid_amount, notice.amount)
    require(receipt_number, RECEIPT_REQUIRED, "receipt_number")
    notice.receipt_number = receipt_number.strip()
    notice.paid_on = day
    notice.status = FeeStatus.PAID
    notice.save()
    _restart_clock(
        locked, day, gettext("申请人于 %(day)s 缴费") % {"day": format_date(day)}
    )
    step.finish(gettext("已缴费 %(amount)s 元") % {"amount": notice.paid_amount})
    return notice


@transaction.atomic
def fee_waive(
    *,
    actor: Any,
    request: DisclosureRequest,
    reason: str,
    on: dt.date | None = None,
) -> FeeNotice:
    """Waive the fee with a reason: a reviewer of the agency, four eyes.

    The reviewer must not be the request's handler nor whoever sent the notice.
    """
    check_lengths("fee", reason=reason)
    step = _begin(RequestAction.FEE_WAIVE, request, actor)
    locked = step.obj
    notice = _notice(locked)
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None and actor_id in {locked.handler_id, notice.issued_by_id}:
        raise DomainError(WAIVER_BY_HANDLER, code="four_eyes")
    require(reason, WAIVER_REASON_REQUIRED, "reason")
    day = event_day(locked, on)
    if day < notice.notified_on:
        raise DomainError(DATE_BEFORE_NOTICE, code="date_order", field="on")
    notice.waiver_reason = reason.strip()
    notice.waived_by = actor
    notice.waived_on = day
    notice.status = FeeStatus.WAIVED
    notice.save()
    _restart_clock(locked, day, gettext("%(day)s 批准减免") % {"day": format_date(day)})
    step.finish(gettext("减免收费"))
    return notice


def _lapse(step: Step, on: dt.date) -> FeeNotice:
    locked = step.obj
    notice = _notice(locked)
    if on <= notice.pay_by:
        raise DomainError(
            LAPSE_TOO_EARLY % {"day": notice.pay_by.isoformat()},
            code="lapse_too_early",
        )
    notice.status = FeeStatus.LAPSED
    notice.lapsed_on = on
    notice.save()
    _restart_clock(
        locked,
        notice.pay_by,
        gettext("申请人逾期未缴费，视为放弃申请（第六条）"),
    )
    step.finish(gettext("逾期未缴费"))
    return notice


@transaction.atomic
def fee_lapse(
    *, actor: Any, request: DisclosureRequest, on: dt.date | None = None
) -> FeeNotice:
    """Record that the payment window passed unpaid; （六）2 becomes allowed.

    The clock restarts from the last day of the window: the agency then tells
    the applicant it no longer handles the request in the time that was left.
    """
    step = _begin(RequestAction.FEE_LAPSE, request, actor)
    return _lapse(step, event_day(step.obj, on))


def fees_lapse(on: dt.date | None = None) -> list[FeeNotice]:
    """Lapse every pending notice whose window ended before ``on`` (the job).

    Run by ``manage.py lapse_fee_notices`` (daily) as the operator
    (``actor=None``): each request in its own transaction, under its row lock,
    checked against the transition's source states like any other step.
    """
    day = on or today()
    not_in_future(day, DATE_IN_FUTURE, "on")
    ids = FeeNotice.objects.filter(
        status=FeeStatus.PENDING,
        pay_by__lt=day,
        request__status=RequestStatus.FEE_PENDING,
    ).values_list("request_id", flat=True)
    return run_due(
        REQUEST_TRANSITIONS,
        RequestAction.FEE_LAPSE,
        DisclosureRequest,
        ids,
        lambda step: _lapse(step, day),
    )
