"""Apply pending index work from the outbox, once or in a loop."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search import sync


class Command(BaseCommand):
    help = "Drain the search outbox into the engine (with --loop, keep doing it)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between polls."
        )
        parser.add_argument(
            "--reconcile-every",
            type=float,
            default=300.0,
            help="With --loop, compare and repair index and database this often "
            "(catches scheduled publications whose time has come).",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="First give rows that exhausted their retries another chance.",
        )
        parser.add_argument(
            "--max-loops", type=int, default=0, help="Stop after N polls (0: never)."
        )

    def handle(self, *args, **options) -> None:
        if options["retry_failed"]:
            self.stdout.write(f"reset {sync.retry_failed()} failed rows")
        if not options["loop"]:
            self._report(sync.drain_all())
            return
        last_reconcile = 0.0
        loops = 0
        while True:
            result = sync.drain_all()
            if result.applied or result.failed:
                self._report(result)
            if time.monotonic() - last_reconcile >= options["reconcile_every"]:
                try:
                    report = sync.reconcile(repair=True)
                except Exception as exc:
                    self.stderr.write(f"reconcile failed: {exc}")
                else:
                    if report.missing or report.stale:
                        self.stdout.write(
                            f"repaired: {len(report.missing)} missing, "
                            f"{len(report.stale)} stale"
                        )
                last_reconcile = time.monotonic()
            loops += 1
            if options["max_loops"] and loops >= options["max_loops"]:
                return
            time.sleep(options["interval"])

    def _report(self, result: sync.DrainResult) -> None:
        self.stdout.write(f"applied {result.applied}, failed {result.failed}")
        for error in result.errors:
            self.stderr.write(f"  {error}")
