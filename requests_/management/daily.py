"""The shape of the request clock's daily commands: one step over a day.

``expire_consultations`` and ``lapse_fee_notices`` each run one service for a day
(today, or ``--date`` when catching up), print a line per record it changed and a
count at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class DailyCommand(BaseCommand):
    """Run ``step(day)``; print ``line(record)`` for each result, then ``summary``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today; for catching up.",
        )

    def step(self, day: dt.date | None) -> Sequence[Any]:
        raise NotImplementedError

    def line(self, record: Any) -> str:
        raise NotImplementedError

    def summary(self, count: int) -> str:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        done = self.step(options["date"])
        for record in done:
            self.stdout.write(self.line(record))
        self.stdout.write(self.summary(len(done)))
