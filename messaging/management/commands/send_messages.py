"""Send queued e-mail messages, once or in a loop (the retrying sender)."""

from __future__ import annotations

import contextlib
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connection

from messaging import sending

DATABASE_ERRORS = (OperationalError, InterfaceError)


class Command(BaseCommand):
    help = (
        "Send the due messages of the outbox; those that fail wait with their "
        "error and a growing back-off (with --loop, keep doing it)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between polls."
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="First queue the messages that failed for good once more.",
        )
        parser.add_argument(
            "--max-loops", type=int, default=0, help="Stop after N polls (0: never)."
        )

    def handle(self, *args, **options) -> None:
        if options["retry_failed"]:
            self.stdout.write(f"requeued {sending.retry_failed()} failed messages")
        loops = 0
        while True:
            try:
                self._report(sending.send_all(), quiet=options["loop"])
            except DATABASE_ERRORS as error:
                if not options["loop"]:
                    raise
                # The messages stay queued; a fresh connection tries again.
                with contextlib.suppress(Exception):
                    connection.close()
                self.stderr.write(f"database unavailable: {type(error).__name__}")
            loops += 1
            if not options["loop"] or (
                options["max_loops"] and loops >= options["max_loops"]
            ):
                return
            time.sleep(options["interval"])

    def _report(self, result: sending.SendResult, *, quiet: bool) -> None:
        if quiet and not (result.sent or result.deferred or result.failed):
            return
        self.stdout.write(
            f"sent {result.sent}, deferred {result.deferred}, failed {result.failed}"
        )
        for error in sorted(set(result.errors)):
            self.stderr.write(f"  {error}")
