"""``portal.management.daily.DailyCommand``: the day, the lines and the summary."""

import datetime as dt
from io import StringIO

import pytest

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from portal.management.daily import DailyCommand


class Count(DailyCommand):
    """Returns the day's three numbers; prints the even ones only."""

    def step(self, day):
        self.days = [*getattr(self, "days", []), day]
        return [1, 2, 4]

    def line(self, record):
        return f"n={record}" if record % 2 == 0 else None

    def summary(self, day, done):
        return f"{day.isoformat()}: {len(done)}"


def run(command: DailyCommand, *args: str) -> list[str]:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_given_date_is_the_day_and_none_prints_no_line():
    command = Count()
    assert run(command, "--date", "2025-10-31") == ["n=2", "n=4", "2025-10-31: 3"]
    assert command.days == [dt.date(2025, 10, 31)]


def test_without_a_date_the_day_is_the_portals_today(monkeypatch):
    # The portal's clock: timezone.localdate() with no argument.
    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: (
            dt.date(2026, 12, 3) if value is None else real(value, timezone)
        ),
    )
    command = Count()
    assert run(command)[-1] == "2026-12-03: 3"
    assert command.days == [dt.date(2026, 12, 3)]


def test_a_date_not_in_iso_form_is_refused_before_the_step_runs():
    command = Count()
    with pytest.raises(CommandError, match="--date"):
        run(command, "--date", "31.10.2025")
    assert not hasattr(command, "days")
