"""Fee notices through the services: the count, the clock, payment, waiver, lapse.

Every expected date and amount is worked out by hand in the test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection

from portal.audit import events_for
from portal.errors import DomainError, InvalidTransition, PermissionDenied
from portal.models import Role
from requests_ import services
from requests_.models import (
    ApplicantType,
    DisclosureRequest,
    FeeNotice,
    FeeStatus,
    Outcome,
    RequestStatus,
)
from requests_.services import fees as fee_services
from tests.factories import MembershipFactory, UserFactory
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db
D = dt.date
HOW_TO_PAY = (
    "请持本通知至黄浦区政务服务中心非税收入窗口缴纳，或通过“上海非税缴款”网上缴纳。"
)


def _accepted(editor, agency, received_on, **overrides):
    request, _ = fx.register(editor, agency, received_on=received_on, **overrides)
    return services.request_accept(actor=editor, request=request)


def _notify(editor, request, on, scale="per_volume", quantity=150):
    return services.fee_notify(
        actor=editor,
        request=request,
        scale=scale,
        quantity=quantity,
        how_to_pay=HOW_TO_PAY,
        on=on,
    )


def _verbs(request):
    return list(events_for(request).order_by("id").values_list("verb", flat=True))


def test_notice_stops_the_clock_and_payment_restarts_it_across_spring_festival(
    matrix, editor
):
    """Received Mon 26 Jan 2026: due 28 Feb (20 working days: 27–30 Jan 4,
    2–6 Feb 9, 9–13 Feb 14, Sat 14 Feb 15, 24–27 Feb 19, Sat 28 Feb 20).

    Notice Thu 5 Feb: 12 working days left (6, 9–13, 14, 24–27, 28 Feb); pay by
    11 Mar. Paid Mon 2 Mar: 12 days from then → 3–6 Mar 4, 9–13 Mar 9,
    16–18 Mar 12 → due Wed 18 Mar 2026.
    """
    request = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    assert request.reply_due_on == D(2026, 2, 28)

    notice = _notify(editor, request, D(2026, 2, 5))
    request.refresh_from_db()
    assert request.status == RequestStatus.FEE_PENDING
    assert request.reply_due_on is None
    assert request.paused_on == D(2026, 2, 5)
    assert request.paused_remaining_days == 12
    assert "停止计时，剩余 12 个工作日" in request.reply_due_explanation
    # 150 pages: 70 × 10 + 50 × 20 = 1 700 元.
    assert notice.amount == Decimal("1700.00")
    assert notice.pay_by == D(2026, 3, 11)
    assert notice.status == FeeStatus.PENDING
    assert notice.issued_by == editor
    assert notice.basis == (
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
        "按量计收（第五条）：共 150 页，30 页以下不收费，31–100 页每页 10 元，"
        "101–200 页每页 20 元，200 页以上每页 40 元，合计 1700 元。"
    )

    paid = services.fee_record_payment(
        actor=editor,
        request=request,
        paid_amount="1700",
        receipt_number="SH2026-000123",
        paid_on=D(2026, 3, 2),
    )
    request.refresh_from_db()
    assert (paid.status, paid.paid_on, paid.paid_amount, paid.receipt_number) == (
        FeeStatus.PAID,
        D(2026, 3, 2),
        Decimal("1700.00"),
        "SH2026-000123",
    )
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.reply_due_on == D(2026, 3, 18)
    assert request.paused_on is None
    assert _verbs(request)[-2:] == ["request.fee_notify", "request.fee_pay"]


def test_payment_is_checked(matrix, editor):
    """The amount must be the notice's, the date inside the window, a receipt given."""
    request = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    _notify(editor, request, D(2026, 2, 5))
    cases = [
        ({"paid_amount": "1699.99", "paid_on": D(2026, 3, 2)}, "paid_amount"),
        ({"paid_amount": "1700", "paid_on": D(2026, 3, 12)}, "paid_on"),
        ({"paid_amount": "1700", "paid_on": D(2026, 2, 4)}, "paid_on"),
        (
            {"paid_amount": "1700", "paid_on": D(2026, 3, 2), "receipt_number": " "},
            "receipt_number",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as exc:
            services.fee_record_payment(
                actor=editor,
                request=request,
                **{"receipt_number": "R1", **kwargs},
            )
        assert exc.value.field == field
    assert FeeNotice.objects.get(request=request).status == FeeStatus.PENDING


def test_one_notice_per_request_and_nothing_free_is_charged(matrix, editor):
    """30 pages are free; a request gets one notice, under one scale only."""
    request = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    with pytest.raises(DomainError) as exc:
        _notify(editor, request, D(2026, 2, 5), quantity=30)
    assert exc.value.code == "nothing_due"
    notice = _notify(editor, request, D(2026, 2, 5), quantity=31)
    assert notice.amount == Decimal("10.00")
    services.fee_record_payment(
        actor=editor,
        request=request,
        paid_amount="10",
        receipt_number="R1",
        paid_on=D(2026, 2, 6),
    )
    with pytest.raises(DomainError) as exc:
        _notify(editor, request, D(2026, 2, 9), scale="per_item", quantity=20)
    assert exc.value.code == "fee_once"


def _register_many(editor, agency, days, **overrides):
    return [
        fx.register(editor, agency, received_on=day, **overrides)[0] for day in days
    ]


def test_per_item_counts_the_applicants_month_by_key_without_decrypting(matrix, editor):
    """The 11th request of one applicant in November 2025 costs 100 元.

    Not counted: October, another agency, another applicant, and a request
    received later in the month. The earlier rows' identity ciphertext is
    broken first, so the count cannot have decrypted them.
    """
    november = [D(2025, 11, 3)] * 4 + [D(2025, 11, d) for d in (4, 5, 6, 7, 10, 11)]
    earlier = _register_many(editor, matrix.agency_a, november)
    _register_many(editor, matrix.agency_a, [D(2025, 10, 31)])
    _register_many(matrix.user("editor_b"), matrix.agency_b, [D(2025, 11, 4)])
    _register_many(
        editor,
        matrix.agency_a,
        [D(2025, 11, 5)],
        applicant_name="司马光",
        applicant_id_number=fx.OTHER_VALID_ID,
    )
    # The same person, the ID typed in lower case and full width.
    request = _accepted(
        editor,
        matrix.agency_a,
        D(2025, 11, 12),
        applicant_id_number="３１０１０１１９８５０３１２４８１６",
    )
    _register_many(editor, matrix.agency_a, [D(2025, 11, 13)])
    table = DisclosureRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET applicant_name = 'broken', "  # noqa: S608
            "applicant_id_number = 'broken' WHERE id IN ("
            + ",".join(str(r.pk) for r in earlier)
            + ")"
        )

    notice = _notify(editor, request, D(2025, 11, 14), scale="per_item", quantity=1)
    assert (notice.earlier_items, notice.amount) == (10, Decimal("100.00"))
    assert notice.basis == (
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
        "按件计收（第四条）：本申请为申请人 2025年11月 向本机关提出的第 11 件，"
        "收费 100 元。"
    )


def test_per_item_split_request_pays_each_item_in_its_band(matrix, editor):
    """After 29 earlier requests, a request split into 2 items is the 30th and
    31st: 100 + 200 = 300 元."""
    _register_many(editor, matrix.agency_a, [D(2025, 12, 1)] * 29)
    request = _accepted(editor, matrix.agency_a, D(2025, 12, 2))
    notice = _notify(editor, request, D(2025, 12, 3), scale="per_item", quantity=2)
    assert (notice.earlier_items, notice.amount) == (29, Decimal("300.00"))


def test_per_item_for_an_organisation_counts_by_type_and_name(matrix, editor):
    """Without an ID number, one organisation is its type and name."""
    org = {
        "applicant_type": ApplicantType.RESEARCH,
        "applicant_name": "上海市某某研究院",
        "applicant_id_number": "",
    }
    _register_many(editor, matrix.agency_a, [D(2025, 6, 3)] * 10, **org)
    request = _accepted(editor, matrix.agency_a, D(2025, 6, 4), **org)
    notice = _notify(editor, request, D(2025, 6, 5), scale="per_item", quantity=1)
    assert notice.amount == Decimal("100.00")


def test_lapse_restarts_the_clock_from_the_window_and_allows_fee_unpaid(matrix, editor):
    """Received Mon 1 Sep 2025: due Sun 28 Sep (a make-up workday; 2–5 Sep 4,
    8–12 9, 15–19 14, 22–26 19, 28 Sep 20). Notice Fri 26 Sep: 1 day left, pay
    by 30 Oct (National Day skipped). Lapsed the next day; the clock restarts
    from 30 Oct with its 1 day → due Fri 31 Oct 2025.
    """
    request = _accepted(editor, matrix.agency_a, D(2025, 9, 1))
    assert request.reply_due_on == D(2025, 9, 28)
    notice = _notify(editor, request, D(2025, 9, 26), quantity=31)
    assert notice.pay_by == D(2025, 10, 30)

    with pytest.raises(InvalidTransition):
        fx.reply(editor, request, Outcome.OTHER_FEE_UNPAID, replied_on=D(2025, 10, 31))
    with pytest.raises(DomainError) as exc:
        services.fee_lapse(actor=editor, request=request, on=D(2025, 10, 30))
    assert exc.value.code == "lapse_too_early"

    out = StringIO()
    call_command("lapse_fee_notices", "--date", "2025-10-31", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{request.tracking_code}: 2025-10-30",
        "收费通知逾期 1 件。",
    ]
    notice.refresh_from_db()
    request.refresh_from_db()
    assert (notice.status, notice.lapsed_on) == (FeeStatus.LAPSED, D(2025, 10, 31))
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.reply_due_on == D(2025, 10, 31)
    lapse_event = events_for(request).get(verb="request.fee_lapse")
    assert lapse_event.actor is None

    replied = fx.reply(
        editor,
        request,
        Outcome.OTHER_FEE_UNPAID,
        "申请人逾期未缴纳信息处理费，视为放弃申请。",
        replied_on=D(2025, 10, 31),
    )
    assert (replied.status, replied.outcome) == (
        RequestStatus.REPLIED,
        Outcome.OTHER_FEE_UNPAID,
    )


def test_the_job_leaves_notices_still_in_their_window(matrix, editor):
    """A notice whose window ends on the job's day is not lapsed."""
    request = _accepted(editor, matrix.agency_a, D(2025, 9, 1))
    _notify(editor, request, D(2025, 9, 26), quantity=31)
    assert fee_services.fees_lapse(D(2025, 10, 30)) == []
    assert FeeNotice.objects.get(request=request).status == FeeStatus.PENDING


def test_waiver_needs_a_reviewer_of_the_agency_who_is_not_the_handler(
    matrix, editor, reviewer
):
    """Four eyes: the handler, an editor, the city and another agency cannot."""
    request = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    _notify(editor, request, D(2026, 2, 5))
    for actor in ("editor_a", "editor_b", "coordinator", "superuser"):
        with pytest.raises(PermissionDenied):
            services.fee_waive(
                actor=matrix.user(actor), request=request, reason="困难", on=None
            )
    with pytest.raises(DomainError) as exc:
        services.fee_waive(actor=reviewer, request=request, reason=" ")
    assert exc.value.field == "reason"

    notice = services.fee_waive(
        actor=reviewer,
        request=request,
        reason="申请人为低保对象，确有经济困难。",
        on=D(2026, 2, 10),
    )
    request.refresh_from_db()
    assert (notice.status, notice.waived_by, notice.waived_on) == (
        FeeStatus.WAIVED,
        reviewer,
        D(2026, 2, 10),
    )
    # Paused 5 Feb with 12 days left, restarted 10 Feb: 11–13 Feb 3, Sat 14 Feb 4,
    # 24–27 Feb 8, Sat 28 Feb 9, 2–4 Mar 12 → Wed 4 Mar 2026.
    assert request.reply_due_on == D(2026, 3, 4)
    assert request.status == RequestStatus.IN_PROGRESS


def test_a_reviewer_who_handles_the_request_cannot_waive_its_fee(matrix):
    """Someone holding both roles sent the notice: the waiver needs another."""
    both = UserFactory(username="both_a")
    MembershipFactory(user=both, agency=matrix.agency_a, role=Role.EDITOR)
    MembershipFactory(user=both, agency=matrix.agency_a, role=Role.REVIEWER)
    request = _accepted(both, matrix.agency_a, D(2026, 1, 26))
    _notify(both, request, D(2026, 2, 5))
    with pytest.raises(DomainError) as exc:
        services.fee_waive(actor=both, request=request, reason="困难")
    assert exc.value.code == "four_eyes"


def test_only_the_agencys_editors_send_and_record(matrix, editor):
    """Sending a notice and recording payment are the handling agency's editors'."""
    request = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    for actor in ("anonymous", "editor_b", "reviewer_a", "coordinator"):
        with pytest.raises(PermissionDenied):
            _notify(matrix.user(actor), request, D(2026, 2, 5))
    _notify(editor, request, D(2026, 2, 5))
    for actor in ("anonymous", "editor_b", "reviewer_a", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.fee_record_payment(
                actor=matrix.user(actor),
                request=request,
                paid_amount="1700",
                receipt_number="R",
                paid_on=D(2026, 3, 2),
            )


def test_pending_selector_lists_open_notices_soonest_first(matrix, editor):
    """``pending_fee_notices`` keeps the notices still awaiting payment (not paid,
    not of a withdrawn request), scoped by the queryset given."""
    from requests_.fees import pending_fee_notices
    from requests_.permissions import readable_requests_qs

    late = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    soon = _accepted(editor, matrix.agency_a, D(2026, 1, 5))
    paid = _accepted(editor, matrix.agency_a, D(2026, 1, 5))
    _notify(editor, late, D(2026, 2, 5))
    _notify(editor, soon, D(2026, 1, 6))
    _notify(editor, paid, D(2026, 1, 6))
    services.fee_record_payment(
        actor=editor,
        request=paid,
        paid_amount="1700",
        receipt_number="R",
        paid_on=D(2026, 1, 7),
    )
    withdrawn = _accepted(editor, matrix.agency_a, D(2026, 1, 5))
    _notify(editor, withdrawn, D(2026, 1, 6))
    services.request_withdraw(actor=editor, request=withdrawn, reason="申请人撤回")
    mine = pending_fee_notices(readable_requests_qs(editor))
    assert [n.request_id for n in mine] == [soon.pk, late.pk]
    outsider = pending_fee_notices(readable_requests_qs(matrix.user("editor_b")))
    assert list(outsider) == []


def test_notice_goes_out_within_the_reply_term(matrix, editor):
    """Due Sat 28 Feb 2026 (a make-up workday): a notice on 2 Mar is refused, on
    28 Feb it is accepted with 0 days left."""
    request = _accepted(editor, matrix.agency_a, D(2026, 1, 26))
    with pytest.raises(DomainError) as exc:
        _notify(editor, request, D(2026, 3, 2))
    assert (exc.value.code, exc.value.field) == ("notice_after_term", "on")
    assert not FeeNotice.objects.filter(request=request).exists()
    _notify(editor, request, D(2026, 2, 28))
    request.refresh_from_db()
    assert request.paused_remaining_days == 0
