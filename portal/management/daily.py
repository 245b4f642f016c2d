"""The shape of a daily command: one step over a day, today or ``--date``.

``expire_consultations``, ``lapse_fee_notices`` (requests_) and ``send_digests``
(messaging) each run one service for a day (today, or ``--date`` when catching
up), may print a line per record it returned, and a summary at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


class DailyCommand(BaseCommand):
    """Run ``step(day)``; print ``line(record)`` for each result, then ``summary``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today; for catching up.",
        )

    def step(self, day: dt.date) -> Sequence[Any]:
        raise NotImplementedError

    def line(self, record: Any) -> str | None:
        """Return the line printed for ``record``; None prints none."""
        return None

    def summary(self, day: dt.date, done: Sequence[Any]) -> str:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate()
        done = self.step(day)
        for record in done:
            line = self.line(record)
            if line is not None:
                self.stdout.write(line)
        self.stdout.write(self.summary(day, done))
