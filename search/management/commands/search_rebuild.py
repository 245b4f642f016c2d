"""Rebuild the search index from the database without downtime."""

from __future__ import annotations

import time

from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from search import sync
from search.engines.base import SearchEngineError


class Command(BaseCommand):
    help = (
        "Rebuild the index into a new file or index and swap it in atomically; "
        "searches keep answering from the old one until the swap."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        bar = (
            None
            if options["quiet"]
            else tqdm(unit=" docs", desc="indexing", file=self.stderr)
        )
        last = 0

        def progress(done: int) -> None:
            nonlocal last
            if bar is not None:
                bar.update(done - last)
                last = done

        try:
            count = sync.rebuild(progress=progress)
        except SearchEngineError as error:
            raise CommandError(f"search engine unavailable: {error}") from error
        except sync.DATABASE_ERRORS as error:
            raise CommandError(f"database unavailable: {error}") from error
        finally:
            if bar is not None:
                bar.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"indexed {count} documents in {elapsed:.1f} s")
