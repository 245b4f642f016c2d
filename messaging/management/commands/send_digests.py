"""Queue today's digest for every staff member who wants one (once a day)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from messaging import services


class Command(BaseCommand):
    help = (
        "Queue each staff member's daily digest (due-soon and overdue requests, "
        "new online submissions, what awaits their review, drafted letters). "
        "Run it again the same day and nobody gets a second one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", help="The day the digest is for (YYYY-MM-DD); default today."
        )

    def handle(self, *args, **options) -> None:
        day = timezone.localdate()
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        made = services.digests_send(day=day)
        queued = sum(1 for digest in made if digest.message_id)
        self.stdout.write(
            f"{day.isoformat()}: {queued} digests queued, "
            f"{len(made) - queued} with nothing to report"
        )
