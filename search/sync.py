"""Keep the index in step with the database.

``drain`` applies outbox rows: for each document it asks the registered source
whether the object is public *now* and indexes or deletes it accordingly, so the
order and the action recorded in the row never matter, only the database. A failed
batch stays in the outbox with its error and a growing back-off; after
``MAX_ATTEMPTS`` a row rests until ``search_sync --retry-failed`` or ``search_check
--repair`` deals with it. Workers on PostgreSQL claim rows with
``SELECT … FOR UPDATE SKIP LOCKED`` so several can run side by side.

``reconcile`` compares the index with the database and repairs the difference:
it catches scheduled publications whose time has come and anything an engine
outage let slip.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from portal import httpcache
from search import registry
from search.engines import get_engine
from search.engines.base import DOC_ID_SEPARATOR, SearchDocument, SearchEngine
from search.models import OutboxEntry

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 15
BACKOFF_MAX_SECONDS = 3600
ERROR_LENGTH = 2000
BATCH_SIZE = 500
# The database itself failing (gone, restarted, locked): never a document's
# fault, so it is not charged to the rows; it aborts the drain, which keeps them.
DATABASE_ERRORS = (OperationalError, InterfaceError)


@dataclass
class DrainResult:
    """How many rows a drain applied and failed, with the distinct errors."""

    applied: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Reconciliation:
    """What differs between the database and the index."""

    missing: list[str] = field(default_factory=list)  # public, not indexed
    stale: list[str] = field(default_factory=list)  # indexed, not public
    dead_letters: int = 0

    @property
    def clean(self) -> bool:
        return not self.missing and not self.stale and not self.dead_letters


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait before retry number ``attempts`` (exponential, capped)."""
    seconds = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


def split_id(document_id: str) -> tuple[str, str]:
    """Return (doc_type, object_id) of ``doc_type:object_id``."""
    doc_type, _, object_id = document_id.partition(DOC_ID_SEPARATOR)
    return doc_type, object_id


def _due_rows(now: dt.datetime):
    """Return the rows due at ``now``, claimed where the database can skip locks."""
    rows = OutboxEntry.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.order_by("id")


def public_documents(doc_type: str, object_ids: Iterable[str]) -> list[SearchDocument]:
    """Return the documents of those objects that are public now."""
    return registry.get_source(doc_type).public_documents(list(object_ids))


def apply(engine: SearchEngine, document_ids: Iterable[str]) -> tuple[int, int]:
    """Index the public ones of ``document_ids`` and delete the rest.

    A document type no source claims (an app removed, a typo in a repair) has
    nothing public, so its documents are deleted rather than failing the batch.
    Return (indexed, deleted).
    """
    by_type: dict[str, set[str]] = {}
    for document_id in document_ids:
        doc_type, object_id = split_id(document_id)
        by_type.setdefault(doc_type, set()).add(object_id)
    indexed = deleted = 0
    known = {source.doc_type for source in registry.sources()}
    for doc_type, object_ids in by_type.items():
        docs = public_documents(doc_type, object_ids) if doc_type in known else []
        public = {doc.id for doc in docs}
        gone = {f"{doc_type}{DOC_ID_SEPARATOR}{oid}" for oid in object_ids} - public
        if docs:
            indexed += engine.index(docs)
        if gone:
            engine.delete(gone)
            deleted += len(gone)
    if indexed or deleted:
        # The column search shows the index: cached public pages go stale.
        httpcache.changed()
    return indexed, deleted


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]


def _savepoint():
    """Guard a source's reads inside a claiming transaction, and nothing else.

    Inside a transaction a savepoint keeps a database error in a source from
    breaking the claim; outside one (SQLite) ``atomic`` would take the write lock
    for the whole engine call, so nothing is opened.
    """
    if connection.in_atomic_block:
        return transaction.atomic()
    return contextlib.nullcontext()


def _apply_rows(
    engine: SearchEngine, rows: list[OutboxEntry]
) -> list[tuple[OutboxEntry, str]]:
    """Apply ``rows``; return the rows that failed with their error.

    The batch is tried whole first.  If it fails while the engine still answers,
    the fault lies with some document, so each row is tried alone and only the
    guilty ones are kept; when the engine is down, every row waits.
    """
    try:
        with _savepoint():
            apply(engine, [row.document_id for row in rows])
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        if len(rows) == 1 or not engine.ping():
            return [(row, _error_text(exc)) for row in rows]
    else:
        return []
    failed = []
    for row in rows:
        try:
            with _savepoint():
                apply(engine, [row.document_id])
        except DATABASE_ERRORS:
            raise
        except Exception as exc:
            failed.append((row, _error_text(exc)))
    return failed


def _settle(
    rows: list[OutboxEntry], failed: list[tuple[OutboxEntry, str]], now: dt.datetime
) -> DrainResult:
    """Delete the applied rows; give the failed ones an attempt and a back-off."""
    result = DrainResult()
    for row, message in failed:
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = message
    failed_pks = {row.pk for row, _ in failed}
    done = [row.pk for row in rows if row.pk not in failed_pks]
    with transaction.atomic():
        if failed:
            OutboxEntry.objects.bulk_update(
                [row for row, _ in failed],
                ["attempts", "next_attempt_at", "last_error"],
            )
        OutboxEntry.objects.filter(pk__in=done).delete()
    if failed:
        result.failed = len(failed)
        result.errors = sorted({message for _, message in failed})
        logger.warning(
            "search outbox: %s rows failed: %s", len(failed), result.errors[0]
        )
    result.applied = len(done)
    return result


def drain(limit: int = BATCH_SIZE, engine: SearchEngine | None = None) -> DrainResult:
    """Apply up to ``limit`` due outbox rows; keep failures for a later retry.

    Applied rows are deleted; a failed row gets one more attempt, a back-off
    and the error, and rests after ``MAX_ATTEMPTS``.  On PostgreSQL the rows are
    claimed (``FOR UPDATE SKIP LOCKED``) for the whole batch, so workers share
    the queue.  SQLite has no row locks and one writer: holding its write lock
    during engine I/O would stall every publication, so rows are read without a
    claim and settled in a short transaction; two workers may then apply a row
    twice, which is harmless because applying asks the database what is public.
    A database failure (``DATABASE_ERRORS``) propagates and leaves every row as
    it was; the index may already hold the batch, which the next drain applies
    again for the same reason.
    """
    now = timezone.now()
    claim = (
        transaction.atomic()
        if connection.features.has_select_for_update_skip_locked
        else contextlib.nullcontext()
    )
    with claim:
        rows = list(_due_rows(now)[:limit])
        if not rows:
            return DrainResult()
        return _settle(rows, _apply_rows(engine or get_engine(), rows), now)


def drain_all(engine: SearchEngine | None = None) -> DrainResult:
    """Drain until nothing due is left or a batch fails."""
    total = DrainResult()
    while True:
        batch = drain(engine=engine)
        total.applied += batch.applied
        total.failed += batch.failed
        total.errors += batch.errors
        if batch.failed or not batch.applied:
            return total


def retry_failed() -> int:
    """Give rows that exhausted their attempts a fresh start."""
    return OutboxEntry.objects.filter(attempts__gte=MAX_ATTEMPTS).update(
        attempts=0, next_attempt_at=None
    )


def public_ids() -> set[str]:
    """Return the ids of every document that is public now, across sources."""
    ids: set[str] = set()
    for source in registry.sources():
        ids.update(source.public_ids())
    return ids


def iter_public_documents() -> Iterator[SearchDocument]:
    """Yield every public document of every source (rebuilds)."""
    for source in registry.sources():
        yield from source.iter_public_documents()


def reconcile(
    engine: SearchEngine | None = None, *, repair: bool = False
) -> Reconciliation:
    """Compare index and database; with ``repair``, make the index agree."""
    engine = engine or get_engine()
    expected = public_ids()
    indexed = set(engine.all_ids())
    report = Reconciliation(
        missing=sorted(expected - indexed),
        stale=sorted(indexed - expected),
        dead_letters=OutboxEntry.objects.filter(attempts__gte=MAX_ATTEMPTS).count(),
    )
    if repair and (report.missing or report.stale):
        apply(engine, [*report.missing, *report.stale])
    if repair and report.dead_letters:
        # The comparison above has already brought those documents in line.
        OutboxEntry.objects.filter(attempts__gte=MAX_ATTEMPTS).delete()
    return report


def rebuild(engine: SearchEngine | None = None, progress=None) -> int:
    """Rebuild the whole index from the database, swap it in, then catch up.

    Searches keep answering from the old index meanwhile.  Work applied to the
    old index while the rebuild ran (the after-commit drain deletes its outbox
    rows) is lost with it, so the new index is reconciled with the database
    after the swap, and the outbox rows the rebuild made redundant are removed.
    """
    engine = engine or get_engine()
    started = timezone.now()
    count = engine.rebuild(iter_public_documents(), progress=progress)
    httpcache.changed()
    OutboxEntry.objects.filter(created_at__lt=started).delete()
    drain_all(engine)
    reconcile(engine, repair=True)
    return count
