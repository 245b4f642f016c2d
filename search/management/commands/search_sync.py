"""Apply pending index work from the outbox, once or in a loop."""

from __future__ import annotations

import contextlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search import sync

DATABASE_DOWN = (
    "database unavailable: {error}; the outbox rows are kept, "
    "run search_sync again when it is back"
)
DATABASE_DOWN_RETRYING = "database unavailable: {error}; retrying in {seconds:g} s"


def database_error_text(error: Exception) -> str:
    """Return the first line of a driver's error (psycopg's run to several)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def forget_connection() -> None:
    """Drop a broken database connection so the next query opens a new one."""
    with contextlib.suppress(Exception):
        connection.close()


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
        if options["loop"]:
            self._loop(options)
            return
        try:
            if options["retry_failed"]:
                self.stdout.write(f"reset {sync.retry_failed()} failed rows")
            self._report(sync.drain_all())
        except sync.DATABASE_ERRORS as error:
            text = database_error_text(error)
            raise CommandError(DATABASE_DOWN.format(error=text)) from error

    def _loop(self, options: dict) -> None:
        retry_failed = options["retry_failed"]
        last_reconcile = 0.0
        loops = 0
        while True:
            # A database outage is waited out: the rows stay in the outbox and
            # the next poll, on a fresh connection, tries them again.
            try:
                if retry_failed:
                    self.stdout.write(f"reset {sync.retry_failed()} failed rows")
                    retry_failed = False
                result = sync.drain_all()
            except sync.DATABASE_ERRORS as error:
                forget_connection()
                self.stderr.write(
                    DATABASE_DOWN_RETRYING.format(
                        error=database_error_text(error), seconds=options["interval"]
                    )
                )
            else:
                if result.applied or result.failed:
                    self._report(result)
                if time.monotonic() - last_reconcile >= options["reconcile_every"]:
                    self._reconcile()
                    last_reconcile = time.monotonic()
            loops += 1
            if options["max_loops"] and loops >= options["max_loops"]:
                return
            time.sleep(options["interval"])

    def _reconcile(self) -> None:
        try:
            report = sync.reconcile(repair=True)
        except Exception as exc:
            if isinstance(exc, sync.DATABASE_ERRORS):
                forget_connection()
            self.stderr.write(f"reconcile failed: {exc}")
        else:
            if report.missing or report.stale:
                self.stdout.write(
                    f"repaired: {len(report.missing)} missing, "
                    f"{len(report.stale)} stale"
                )

    def _report(self, result: sync.DrainResult) -> None:
        self.stdout.write(f"applied {result.applied}, failed {result.failed}")
        for error in result.errors:
            self.stderr.write(f"  {error}")
