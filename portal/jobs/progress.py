"""Count a job's progress in memory and write it out from a reporter thread.

Progress is counted by the job's own thread and written by a small reporter
thread at most once per ``GONGKAI_JOBS_PROGRESS_SECONDS`` (which also serves as
the heartbeat), never once per row. The reporter has its own database
connection: an import runs in one transaction so that it is all-or-nothing, and
progress written inside that transaction would stay invisible until the end.

A module of its own so that the registry (whose kinds receive a ``Progress``)
and the runner (which creates one) both import it, and not each other.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from portal.models import Job

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _progress_seconds() -> float:
    return float(getattr(settings, "GONGKAI_JOBS_PROGRESS_SECONDS", 1.0))


class Progress:
    """Count a job's work; a reporter thread writes it out, throttled.

    ``advance``/``update`` only touch memory, so calling them per row is cheap.
    """

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.done = job.done
        self.total = job.total
        self.message = job.message
        self.writes = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def set_total(self, total: int | None) -> None:
        with self._lock:
            self.total = total

    def update(
        self, done: int, total: int | None = None, message: str | None = None
    ) -> None:
        with self._lock:
            self.done = done
            if total is not None:
                self.total = total
            if message is not None:
                self.message = str(message)[:200]

    def advance(self, step: int = 1, message: str | None = None) -> None:
        with self._lock:
            self.done += step
            if message is not None:
                self.message = str(message)[:200]

    def iterate(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items``, counting each one done after it was processed."""
        if self.total is None and hasattr(items, "__len__"):
            self.set_total(len(items))  # type: ignore[arg-type]
        for item in items:
            yield item
            self.advance()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"done": self.done, "total": self.total, "message": self.message}

    # --- the reporter thread ---------------------------------------------------------

    def write(self) -> None:
        """Write the counters and the heartbeat now (skipped if the DB is busy)."""
        values = self.snapshot()
        try:
            Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                heartbeat_at=timezone.now(), **values
            )
        except DatabaseError:
            # SQLite holds one writer: an import's transaction may keep the
            # reporter out until it commits. The next beat tries again.
            logger.debug("job %s: progress not written this beat", self.job_id)
            return
        self.writes += 1

    def _report(self) -> None:
        try:
            while not self._stop.wait(_progress_seconds()):
                self.write()
        finally:
            connection.close()

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._report, name=f"job-{self.job_id}-progress", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
