"""Resume the requests whose consultation ran out unanswered (run daily).

A consulted third party or agency has 15 working days (第三十二条, 第三十四条).
When they pass with no answer, the request's clock resumes from the last day of
that term: another agency's silence is recorded as consent, a third party's
leaves the decision to the agency. The requests stay listed on the dashboard
("征求意见期限已过") until their handler replies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from requests_ import services


class Command(BaseCommand):
    help = "Resume requests whose consultation's 15 working days passed unanswered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today; for catching up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        resumed = services.consultations_expire(options["date"])
        for item in resumed:
            self.stdout.write(
                f"{item.tracking_code}: {item.get_consultation_result_display()}"
            )
        self.stdout.write(f"已恢复计时 {len(resumed)} 件。")
