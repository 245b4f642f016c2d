"""Properties of the working-day calendar and the statutory clock.

Checked over random start dates from the package's first year to two years past
its last (so provisional, weekday-only years are covered), with and without random
coordinator overrides: a deadline is a working day, adding is associative, counting
undoes adding, and pausing, resuming or extending never shortens a deadline.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.calendar import WorkingCalendar, _package_first_year, _package_last_year
from requests_ import clock
from requests_.models import DisclosureRequest

EXAMPLES = 80

FIRST = dt.date(_package_first_year(), 1, 1)
LAST = dt.date(_package_last_year() + 2, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST - dt.timedelta(days=200))
counts = st.integers(min_value=1, max_value=60)
overrides = st.dictionaries(
    st.dates(min_value=FIRST, max_value=LAST),
    st.tuples(st.booleans(), st.just("调整")),
    max_size=30,
)
calendars = st.one_of(
    st.just(WorkingCalendar()), overrides.map(lambda o: WorkingCalendar(o))
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(calendars, days, counts)
def test_a_deadline_is_a_working_day(calendar, start, n):
    """For n ≥ 1 the due date is a working day, after the start."""
    due = calendar.add_working_days(start, n)
    assert calendar.is_workday(due)
    assert due > start


@settings(max_examples=EXAMPLES, deadline=None)
@given(calendars, days, counts, counts)
def test_adding_m_then_n_equals_adding_m_plus_n(calendar, start, m, n):
    """add(add(start, m), n) == add(start, m + n)."""
    assert calendar.add_working_days(
        calendar.add_working_days(start, m), n
    ) == calendar.add_working_days(start, m + n)


@settings(max_examples=EXAMPLES, deadline=None)
@given(calendars, days, st.integers(min_value=0, max_value=60))
def test_counting_undoes_adding(calendar, start, n):
    """working_days_between(start, add(start, n)) == n, and the reverse is -n."""
    due = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, due) == n
    assert calendar.working_days_between(due, start) == -n


@settings(max_examples=EXAMPLES, deadline=None)
@given(calendars, days, counts)
def test_the_explanation_adds_up(calendar, start, n):
    """Counted days are n distinct working days; skipped days are not working days."""
    deadline = calendar.deadline(start, n)
    assert len(set(deadline.counted)) == n
    assert deadline.counted[-1] == deadline.due
    assert all(not ruling.is_workday for ruling in deadline.skipped)
    assert deadline.provisional == bool(deadline.unknown_years)


def started(calendar: WorkingCalendar, received: dt.date) -> DisclosureRequest:
    request = DisclosureRequest(received_on=received, consultation_kind="")
    clock.start(request, calendar)
    return request


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    calendars,
    days,
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=120),
    st.sampled_from(["third_party", "agency"]),
)
def test_pause_and_resume_never_shorten_the_deadline(
    calendar, received, at, length, kind
):
    """Pausing for either consultation on any day up to the deadline and resuming
    later never moves the deadline earlier; resuming on the day of the pause keeps
    it exactly."""
    request = started(calendar, received)
    request.consultation_kind = kind
    original = request.reply_due_on
    paused_on = min(received + dt.timedelta(days=at), original)
    clock.pause(request, paused_on, calendar)
    assert request.reply_due_on is None
    clock.resume(request, paused_on + dt.timedelta(days=length), calendar)
    assert request.reply_due_on >= original
    if length == 0:
        assert request.reply_due_on == original


@settings(max_examples=EXAMPLES, deadline=None)
@given(calendars, days, st.integers(min_value=1, max_value=20))
def test_extension_never_shortens_and_adds_exactly(calendar, received, extra):
    """Extending by k days moves the deadline k working days later."""
    request = started(calendar, received)
    original = request.reply_due_on
    clock.extend(request, extra, calendar)
    assert request.reply_due_on > original
    assert calendar.working_days_between(original, request.reply_due_on) == extra


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(calendars, days, st.integers(min_value=-200, max_value=200))
def test_working_days_between_is_antisymmetric_and_additive(calendar, a, offset):
    """between(a, b) == -between(b, a) and between(a, c) splits at any middle day."""
    b = a + dt.timedelta(days=offset)
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)
    low, high = sorted((a, b))
    middle = low + (high - low) / 2
    assert calendar.working_days_between(low, high) == (
        calendar.working_days_between(low, middle)
        + calendar.working_days_between(middle, high)
    )
