"""Working days (工作日) for statutory deadlines.

The Regulation counts deadlines in working days: weekdays, minus public holidays,
plus the weekend make-up days (调休) the State Council announces each year. The
``chinesecalendar`` package knows the announced years; ``CalendarOverride`` rows
entered by the coordinator win over it. A year neither knows is not an error: the
days are ruled by weekday alone and every deadline that touches such a year is
marked *provisional* until the arrangement is entered.

The day of receipt is not counted: a request received on Monday with a limit of one
working day is due on Tuesday.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import chinese_calendar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import DomainError

SATURDAY = 5

# The dates the portal computes with. The Regulation took effect on 2008-05-01;
# a few years either side covers every real request, and the bound keeps a date
# such as 9999-12-31 (past which no day can be added) or 0001-01-01 (hundreds of
# thousands of days to count) from reaching the arithmetic below.
FIRST_SUPPORTED_DATE = dt.date(2000, 1, 1)
LAST_SUPPORTED_DATE = dt.date(2099, 12, 31)
DATE_OUT_OF_RANGE = gettext_lazy("日期须在 %(first)s 至 %(last)s 之间。")


class DateOutOfRange(DomainError):
    """A date outside FIRST_SUPPORTED_DATE … LAST_SUPPORTED_DATE."""

    def __init__(self, field: str | None = None) -> None:
        message = DATE_OUT_OF_RANGE % {
            "first": FIRST_SUPPORTED_DATE.isoformat(),
            "last": LAST_SUPPORTED_DATE.isoformat(),
        }
        super().__init__(message, code="date_out_of_range", field=field)


def check_supported(day: dt.date, field: str | None = None) -> dt.date:
    """Return ``day``, or raise ``DateOutOfRange`` naming ``field``."""
    if not FIRST_SUPPORTED_DATE <= day <= LAST_SUPPORTED_DATE:
        raise DateOutOfRange(field)
    return day


# chinesecalendar names holidays in English; the portal speaks Chinese.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class Source(StrEnum):
    """Where a ruling on a day came from."""

    OVERRIDE = "override"
    PACKAGE = "package"
    WEEKDAY_ONLY = "weekday_only"


@dataclass(frozen=True)
class DayRuling:
    """Whether one date is a working day, and why."""

    date: dt.date
    is_workday: bool
    source: Source
    reason: str = ""

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= SATURDAY

    @property
    def is_makeup_workday(self) -> bool:
        return self.is_workday and self.is_weekend

    @property
    def is_holiday_on_weekday(self) -> bool:
        return not self.is_workday and not self.is_weekend


@dataclass(frozen=True)
class Deadline:
    """A due date with everything needed to explain it to a person."""

    start: dt.date
    working_days: int
    due: dt.date
    counted: tuple[dt.date, ...] = ()
    skipped: tuple[DayRuling, ...] = ()
    makeup_days: tuple[DayRuling, ...] = ()
    unknown_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        """Return True when a year in the span has no announced arrangement."""
        return bool(self.unknown_years)

    def explain(self) -> str:
        """Describe in Chinese how the due date was counted."""
        lines = [
            _("自 %(start)s（当日不计）起算 %(n)s 个工作日，截止 %(due)s。")
            % {
                "start": format_date(self.start),
                "n": self.working_days,
                "due": format_date(self.due),
            }
        ]
        holidays = [r for r in self.skipped if r.reason]
        weekends = [r for r in self.skipped if not r.reason]
        if holidays:
            lines.append(
                _("跳过节假日：%(days)s。")
                % {
                    "days": "、".join(
                        f"{format_date(r.date)}（{r.reason}）" for r in holidays
                    )
                }
            )
        if weekends:
            lines.append(_("跳过周末 %(n)s 天。") % {"n": len(weekends)})
        if self.makeup_days:
            lines.append(
                _("计入调休工作日：%(days)s。")
                % {
                    "days": "、".join(
                        f"{format_date(r.date)}（{r.reason}）" for r in self.makeup_days
                    )
                }
            )
        if self.unknown_years:
            lines.append(
                _(
                    "注意：%(years)s 年的节假日安排尚未录入，按周一至周五计算，"
                    "结果为暂定，请政务公开办录入当年安排。"
                )
                % {"years": "、".join(str(y) for y in self.unknown_years)}
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready form for the API."""
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "unknown_years": list(self.unknown_years),
            "skipped": [
                {"date": r.date.isoformat(), "reason": r.reason or _("周末")}
                for r in self.skipped
            ],
            "makeup_workdays": [
                {"date": r.date.isoformat(), "reason": r.reason}
                for r in self.makeup_days
            ],
            "explanation": self.explain(),
        }


def format_date(day: dt.date) -> str:
    """Format a date the Chinese way: 2025年10月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class WorkingCalendar:
    """The package's knowledge plus coordinator overrides, which win.

    ``overrides`` maps a date to (is_workday, note). Build one with
    ``default_calendar()`` to read the overrides from the database.
    """

    overrides: Mapping[dt.date, tuple[bool, str]] = field(default_factory=dict)

    def ruling(self, day: dt.date) -> DayRuling:
        """Rule on one date."""
        if day in self.overrides:
            is_workday, note = self.overrides[day]
            return DayRuling(day, is_workday, Source.OVERRIDE, note)
        if self.package_knows(day.year):
            on_holiday_list, name = chinese_calendar.get_holiday_detail(day)
            is_workday = chinese_calendar.is_workday(day)
            reason = HOLIDAY_NAMES_ZH.get(name, name or "") if name else ""
            if not on_holiday_list and not is_workday:
                reason = ""  # an ordinary weekend
            return DayRuling(day, is_workday, Source.PACKAGE, reason)
        return DayRuling(day, day.weekday() < SATURDAY, Source.WEEKDAY_ONLY)

    def is_workday(self, day: dt.date) -> bool:
        return self.ruling(day).is_workday

    @staticmethod
    def package_knows(year: int) -> bool:
        """Return True when chinesecalendar has the year's arrangement."""
        return _package_first_year() <= year <= _package_last_year()

    @functools.cached_property
    def _override_years(self) -> frozenset[int]:
        return frozenset(day.year for day in self.overrides)

    def year_is_known(self, year: int) -> bool:
        """Return True when the package or an override covers the year.

        Coordinators enter a new year as overrides for its holidays and make-up
        days only (ordinary days need none), so one override makes a year known.
        """
        return self.package_knows(year) or year in self._override_years

    def deadline(self, start: dt.date, working_days: int) -> Deadline:
        """Count ``working_days`` working days after ``start`` (not counting it)."""
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        check_supported(start, "start")
        counted: list[dt.date] = []
        skipped: list[DayRuling] = []
        makeup: list[DayRuling] = []
        unknown: set[int] = set()
        day = start
        while len(counted) < working_days:
            day += dt.timedelta(days=1)
            ruling = self.ruling(day)
            if ruling.source is Source.WEEKDAY_ONLY and not self.year_is_known(
                day.year
            ):
                unknown.add(day.year)
            if ruling.is_workday:
                counted.append(day)
                if ruling.is_makeup_workday:
                    makeup.append(ruling)
            else:
                skipped.append(ruling)
        return Deadline(
            start=start,
            working_days=working_days,
            due=day,
            counted=tuple(counted),
            skipped=tuple(skipped),
            makeup_days=tuple(makeup),
            unknown_years=tuple(sorted(unknown)),
        )

    def add_working_days(self, start: dt.date, working_days: int) -> dt.date:
        """Return the date ``working_days`` working days after ``start``."""
        return self.deadline(start, working_days).due

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days after ``start`` up to and including ``end``.

        Negative when ``end`` is before ``start``, so "days left" and "days overdue"
        come from one function.
        """
        if end < start:
            return -self.working_days_between(end, start)
        check_supported(start, "start")
        check_supported(end, "end")
        days = (end - start).days
        return sum(
            1
            for offset in range(1, days + 1)
            if self.is_workday(start + dt.timedelta(days=offset))
        )

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        """Return those of ``years`` with no arrangement from package or overrides."""
        return sorted(y for y in set(years) if not self.year_is_known(y))


@functools.cache
def _package_years() -> tuple[int, ...]:
    return tuple(sorted({d.year for d in chinese_calendar.holidays}))


def _package_first_year() -> int:
    return _package_years()[0]


def _package_last_year() -> int:
    return _package_years()[-1]


def default_calendar() -> WorkingCalendar:
    """Return a calendar with every coordinator override from the database."""
    from portal.models import CalendarOverride

    rows = CalendarOverride.objects.values_list("date", "is_workday", "note")
    return WorkingCalendar({day: (is_workday, note) for day, is_workday, note in rows})


def add_working_days(start: dt.date, working_days: int) -> dt.date:
    """Return the date ``working_days`` working days after ``start``."""
    return default_calendar().add_working_days(start, working_days)


def deadline(start: dt.date, working_days: int) -> Deadline:
    """Return the explained deadline ``working_days`` after ``start``."""
    return default_calendar().deadline(start, working_days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count working days after ``start`` up to and including ``end``."""
    return default_calendar().working_days_between(start, end)
