"""The fee scales of 国办函〔2020〕109号 and the payment window, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.calendar import WorkingCalendar
from requests_ import fees

D = dt.date


@pytest.mark.parametrize(
    ("position", "price"),
    [
        (1, 0),
        (9, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
    ],
)
def test_item_price_by_position_in_the_month(position, price):
    """第四条: 10 free, 11th–30th 100 元, then +100 元 every band of 10."""
    assert fees.item_price(position) == price


@pytest.mark.parametrize(
    ("earlier", "items", "fee"),
    [
        (8, 1, 0),  # the 9th request of the month
        (9, 1, 0),  # the 10th
        (10, 1, 100),  # the 11th
        (29, 1, 100),  # the 30th
        (30, 1, 200),  # the 31st
        (39, 1, 200),  # the 40th
        (40, 1, 300),  # the 41st
        (9, 3, 200),  # items 10, 11, 12: 0 + 100 + 100
        (29, 2, 300),  # items 30, 31: 100 + 200
        (0, 41, 4300),  # a whole month: 20 × 100 + 10 × 200 + 1 × 300
    ],
)
def test_per_item_fee_counts_the_items_of_this_request_in_their_bands(
    earlier, items, fee
):
    """A request split into items pays each item at the band it falls into."""
    assert fees.per_item_fee(earlier, items) == fee


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),
        (31, 10),  # 1 × 10
        (100, 700),  # 70 × 10
        (101, 720),  # 70 × 10 + 1 × 20
        (200, 2700),  # 70 × 10 + 100 × 20
        (201, 2740),  # 70 × 10 + 100 × 20 + 1 × 40
        (250, 4700),  # 700 + 2000 + 50 × 40
    ],
)
def test_per_volume_fee_is_marginal_by_band(pages, fee):
    """第五条: "的部分" — each band's price applies only to the pages in it."""
    assert fees.per_volume_fee(pages) == fee


def test_refuses_nonsense_quantities():
    """A position counts from 1; pages and earlier items are never negative."""
    for call, message in (
        (lambda: fees.item_price(0), "position counts from 1"),
        (lambda: fees.per_item_fee(-1, 1), "earlier must be >= 0"),
        (lambda: fees.per_item_fee(0, 0), "items >= 1"),
        (lambda: fees.per_volume_fee(-1), "pages must not be negative"),
    ):
        with pytest.raises(ValueError, match=message):
            call()


def test_pay_by_across_spring_festival_2026():
    """Notice on Thu 5 Feb 2026: 20 working days from the day after.

    Counted by hand: 6, 9–13 Feb (6), Sat 14 Feb make-up day (7), 15–23 Feb
    holiday skipped, 24–27 Feb (11), Sat 28 Feb make-up day (12), 2–6 Mar (17),
    9–11 Mar (20) → Wed 11 Mar 2026.
    """
    deadline = fees.pay_by(D(2026, 2, 5), WorkingCalendar())
    assert deadline.due == D(2026, 3, 11)
    assert D(2026, 2, 14) in deadline.counted
    assert D(2026, 2, 28) in deadline.counted
    assert D(2026, 2, 17) not in deadline.counted


def test_pay_by_across_national_day_2025():
    """Notice on Fri 26 Sep 2025: Sun 28 Sep (1), 29–30 Sep (3), 1–8 Oct skipped,
    9–10 Oct (5), Sat 11 Oct (6), 13–17 Oct (11), 20–24 Oct (16), 27–30 Oct (20)."""
    assert fees.pay_by(D(2025, 9, 26), WorkingCalendar()).due == D(2025, 10, 30)


def test_applicant_key_names_one_person_however_typed():
    """The ID number decides, in any width or case; without one, type and name."""
    key = fees.applicant_key("natural_person", "欧阳志远", "31010119850312481x")
    assert key == fees.applicant_key("natural_person", "别名", " 31010119850312481X ")
    assert key == fees.applicant_key(
        "natural_person", "欧阳志远", "３１０１０１１９８５０３１２４８１Ｘ"
    )
    assert key != fees.applicant_key("natural_person", "欧阳志远", "11010519491231002X")
    company = fees.applicant_key("business", "上海某某  有限公司")
    assert company == fees.applicant_key("business", "上海某某 有限公司")
    assert company != fees.applicant_key("research", "上海某某 有限公司")
    assert len(key) == 64
    assert "310101" not in key
