"""The working-day calendar, on real dates around real holidays."""

import datetime as dt

import pytest

from portal import services
from portal.calendar import Source, WorkingCalendar, add_working_days, deadline
from portal.models import CalendarOverride

D = dt.date


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def test_national_day_2025_skips_holiday_and_counts_makeup_days(cal):
    """20 working days from Fri 2025-09-26 skip 1–8 Oct and count both make-up days."""
    result = cal.deadline(D(2025, 9, 26), 20)
    assert result.due == D(2025, 10, 30)
    assert D(2025, 9, 28) in result.counted  # make-up Sunday
    assert D(2025, 10, 11) in result.counted  # make-up Saturday
    assert {r.date for r in result.skipped if r.is_holiday_on_weekday} >= {
        D(2025, 10, 1),
        D(2025, 10, 8),
    }
    assert [r.date for r in result.makeup_days] == [D(2025, 9, 28), D(2025, 10, 11)]
    assert not result.provisional


def test_day_of_receipt_is_not_counted(cal):
    """A request received on a Monday with one working day is due on Tuesday."""
    assert cal.add_working_days(D(2025, 11, 3), 1) == D(2025, 11, 4)
    assert cal.add_working_days(D(2025, 11, 3), 0) == D(2025, 11, 3)


def test_receipt_on_a_holiday_starts_counting_after_it(cal):
    """Received on 1 October 2025, the first working day counted is 9 October."""
    assert cal.add_working_days(D(2025, 10, 1), 1) == D(2025, 10, 9)


def test_spring_festival_2026_with_makeup_saturdays(cal):
    """Seven working days from Thu 2026-02-12 end on the make-up Saturday 2026-02-28."""
    result = cal.deadline(D(2026, 2, 12), 7)
    assert result.due == D(2026, 2, 28)
    assert D(2026, 2, 14) in result.counted
    assert not any(D(2026, 2, 16) <= day <= D(2026, 2, 23) for day in result.counted)
    assert "春节" in result.explain()


def test_explanation_names_holidays_and_makeup_days(cal):
    text = cal.deadline(D(2025, 9, 26), 20).explain()
    assert "2025年9月26日" in text
    assert "国庆节" in text
    assert "调休" in text
    assert "2025年10月30日" in text


def test_unknown_year_is_provisional_not_an_error(cal):
    """A deadline running into 2027 counts weekdays only and says so."""
    result = cal.deadline(D(2026, 12, 15), 20)
    assert result.provisional
    assert result.unknown_years == (2027,)
    assert result.due == D(2027, 1, 12)
    assert "2027" in result.explain()
    assert cal.ruling(D(2027, 1, 1)).source is Source.WEEKDAY_ONLY


def test_override_wins_over_package_and_makes_year_known():
    """A coordinator's ruling beats the package; one override makes the year known."""
    cal = WorkingCalendar(
        {D(2027, 1, 1): (False, "2027年元旦"), D(2025, 11, 3): (False, "测试调整")}
    )
    assert not cal.is_workday(D(2025, 11, 3))
    result = cal.deadline(D(2026, 12, 15), 20)
    assert result.due == D(2027, 1, 13)
    assert not result.provisional


def test_working_days_between_is_signed(cal):
    assert cal.working_days_between(D(2025, 9, 26), D(2025, 10, 30)) == 20
    assert cal.working_days_between(D(2025, 10, 30), D(2025, 9, 26)) == -20
    assert cal.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0


def test_negative_days_are_refused(cal):
    with pytest.raises(ValueError, match="negative"):
        cal.deadline(D(2025, 1, 1), -1)


def test_as_dict_is_json_ready(cal):
    data = cal.deadline(D(2025, 9, 26), 20).as_dict()
    assert data["due"] == "2025-10-30"
    assert {"date": "2025-10-01", "reason": "国庆节"} in data["skipped"]
    assert data["makeup_workdays"][0]["date"] == "2025-09-28"


@pytest.mark.django_db
def test_module_functions_read_overrides_from_the_database(matrix):
    """Overrides entered through the service change deadlines at once."""
    start = D(2026, 12, 15)
    assert deadline(start, 20).provisional
    services.calendar_override_set(
        actor=matrix.user("coordinator"),
        date=D(2027, 1, 1),
        is_workday=False,
        note="2027年元旦",
    )
    assert add_working_days(start, 20) == D(2027, 1, 13)
    assert not deadline(start, 20).provisional
    assert CalendarOverride.objects.count() == 1
