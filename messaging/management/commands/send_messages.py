"""Send queued e-mail messages, once or in a loop (the retrying sender)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from messaging import sending
from portal.polling import add_poll_arguments, poll


class Command(BaseCommand):
    help = (
        "Send the due messages of the outbox; those that fail wait with their "
        "error and a growing back-off (with --loop, keep doing it)."
    )

    def add_arguments(self, parser) -> None:
        add_poll_arguments(
            parser,
            interval=10.0,
            retry_help="First queue the messages that failed for good once more.",
        )

    def handle(self, *args, **options) -> None:
        if options["retry_failed"]:
            self.stdout.write(f"requeued {sending.retry_failed()} failed messages")
        if not options["loop"]:
            self._report(sending.send_all(), quiet=False)
            return
        # The messages stay queued through an outage.
        poll(
            options,
            lambda: self._report(sending.send_all(), quiet=True),
            database_down=lambda error: self.stderr.write(
                f"database unavailable: {type(error).__name__}"
            ),
        )

    def _report(self, result: sending.SendResult, *, quiet: bool) -> None:
        if quiet and not (result.sent or result.deferred or result.failed):
            return
        self.stdout.write(
            f"sent {result.sent}, deferred {result.deferred}, failed {result.failed}"
        )
        for error in sorted(set(result.errors)):
            self.stderr.write(f"  {error}")
