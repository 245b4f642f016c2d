"""Queue today's digest for every staff member who wants one (once a day)."""

from __future__ import annotations

from messaging import services
from portal.management.daily import DailyCommand


class Command(DailyCommand):
    help = (
        "Queue each staff member's daily digest (due-soon and overdue requests, "
        "new online submissions, what awaits their review, drafted letters). "
        "Run it again the same day and nobody gets a second one."
    )

    def step(self, day):
        return services.digests_send(day=day)

    def summary(self, day, done):
        queued = sum(1 for digest in done if digest.message_id)
        return (
            f"{day.isoformat()}: {queued} digests queued, "
            f"{len(done) - queued} with nothing to report"
        )
