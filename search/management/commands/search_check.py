"""Report (and with --repair, fix) differences between index and database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import sync
from search.engines.base import SearchEngineError

SHOWN = 20


class Command(BaseCommand):
    help = "Compare the search index with what the database says is public."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repair", action="store_true", help="Fix what differs.")

    def handle(self, *args, **options) -> None:
        try:
            report = sync.reconcile(repair=options["repair"])
        except SearchEngineError as error:
            raise CommandError(f"search engine unavailable: {error}") from error
        except sync.DATABASE_ERRORS as error:
            raise CommandError(f"database unavailable: {error}") from error
        for label, ids in (
            ("missing from index", report.missing),
            ("stale in index", report.stale),
        ):
            self.stdout.write(f"{label}: {len(ids)}")
            for document_id in ids[:SHOWN]:
                self.stdout.write(f"  {document_id}")
        self.stdout.write(f"outbox rows out of retries: {report.dead_letters}")
        if report.clean:
            self.stdout.write(self.style.SUCCESS("index and database agree"))
        elif options["repair"]:
            after = sync.reconcile()
            if not after.clean:
                raise CommandError("repair left differences; see above")
            self.stdout.write(self.style.SUCCESS("repaired: index and database agree"))
        else:
            raise CommandError("index and database differ; run with --repair")
