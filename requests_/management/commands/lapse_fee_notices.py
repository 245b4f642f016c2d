"""Lapse the fee notices whose payment window passed unpaid (run daily).

国办函〔2020〕109号 第六条: the applicant pays within 20 working days from the day
after receiving the notice; unpaid in time, the request counts as given up. The
request's clock restarts from the last day of the window and its handler may
then reply （六）2.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from requests_ import services


class Command(BaseCommand):
    help = "Lapse fee notices whose 20 working days to pay passed unpaid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today; for catching up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = services.fees_lapse(options["date"])
        for notice in lapsed:
            self.stdout.write(
                f"{notice.request.tracking_code}: {notice.pay_by.isoformat()}"
            )
        self.stdout.write(f"收费通知逾期 {len(lapsed)} 件。")
