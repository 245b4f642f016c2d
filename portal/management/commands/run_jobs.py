"""manage.py run_jobs [--loop]: run queued background jobs in this process.

For deployments that set ``GONGKAI_JOBS_RUNNER=worker``: web nodes only queue
jobs, and one or more of these workers claim them (``SKIP LOCKED`` on
PostgreSQL, so several workers never take the same job).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal.jobs.runner import reap_stale, run_pending


class Command(BaseCommand):
    help = (
        "Run queued background jobs (imports, exports, rebuilds) and mark jobs "
        "whose worker died as failed. Without --loop, run what is queued and exit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="Keep polling for new jobs."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="Seconds between polls with --loop (default 2).",
        )
        parser.add_argument(
            "--max-polls",
            type=int,
            default=0,
            help="With --loop, stop after this many idle polls (0: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            reaped = reap_stale()
            ran = run_pending()
            self.stdout.write(f"ran {ran} job(s), marked {reaped} stale job(s) failed")
            return
        idle = 0
        total = 0
        try:
            while not options["max_polls"] or idle < options["max_polls"]:
                ran = run_pending()
                total += ran
                if ran:
                    idle = 0
                    continue
                idle += 1
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            pass
        self.stdout.write(f"ran {total} job(s)")
