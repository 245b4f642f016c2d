"""Apply pending index work from the outbox, once or in a loop."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from portal.polling import add_poll_arguments, forget_connection, poll
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


class Command(BaseCommand):
    help = "Drain the search outbox into the engine (with --loop, keep doing it)."

    def add_arguments(self, parser) -> None:
        add_poll_arguments(
            parser,
            interval=2.0,
            retry_help="First give rows that exhausted their retries another chance.",
        )
        parser.add_argument(
            "--reconcile-every",
            type=float,
            default=300.0,
            help="With --loop, compare and repair index and database this often "
            "(catches scheduled publications whose time has come).",
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

        def step() -> None:
            nonlocal retry_failed, last_reconcile
            if retry_failed:
                self.stdout.write(f"reset {sync.retry_failed()} failed rows")
                retry_failed = False
            result = sync.drain_all()
            if result.applied or result.failed:
                self._report(result)
            if time.monotonic() - last_reconcile >= options["reconcile_every"]:
                self._reconcile()
                last_reconcile = time.monotonic()

        poll(
            options,
            step,
            database_down=lambda error: self.stderr.write(
                DATABASE_DOWN_RETRYING.format(
                    error=database_error_text(error), seconds=options["interval"]
                )
            ),
        )

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
