"""The documents the Elasticsearch engine sends, analysed in worker processes.

A rebuild is bound by the Python analysis chain and by the node's indexing,
in about equal parts (``bench/RESULTS.md``, "Design figures").  In one Python
thread the analysis could not use more than one core however the bulk
requests are overlapped, so large loads analyse in a small pool of processes
while the engine's threads send the bulk requests.  Small loads (the outbox,
tests, a rebuild of a few hundred documents) never start a pool: starting one
costs more than analysing them.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from search.analysis import normalize, sanitize
from search.engines.base import SearchDocument
from search.engines.fields import WORD_FIELDS, body_text, index_text, meta_text

Source = dict[str, Any]
# Documents per task sent to a worker, and workers: one per core.
ANALYSIS_BATCH = 500
ANALYSIS_WORKERS = 2
# Batches analysed ahead of the bulk requests, per worker.
BATCHES_AHEAD = 2


def source(doc: SearchDocument, analyzer: str | None = None) -> Source:
    """Return the ``_source`` the index stores and analyses for ``doc``.

    With a cluster ``analyzer`` the word fields hold normalised text for it
    instead of the Python chain's tokens.
    """
    fields: Source = {
        "doc_id": doc.id,
        "doc_type": str(doc.doc_type),
        "agency": doc.agency,
        "agency_path": list(doc.agency_codes),
        "topic": doc.topic,
        "year": doc.year,
        "published_on": doc.published_on.isoformat(),
        "title": sanitize(doc.title),
        "body": sanitize(doc.body),
    }
    fields.update(index_text(doc).as_dict())
    if analyzer:
        raw = (doc.title, meta_text(doc), body_text(doc))
        fields.update(zip(WORD_FIELDS, map(normalize, raw), strict=True))
    return fields


def _sources(batch: list[SearchDocument], analyzer: str | None) -> list[Source]:
    """Analyse one batch (runs in a worker process)."""
    return [source(doc, analyzer) for doc in batch]


class Analysis:
    """Analyse documents for a bulk load; iterate for ``(id, _source)`` in order.

    Entering the context reads the first batch: with ``workers`` of 2 or
    more and at least one full batch, it starts that many worker processes
    there and then, in the calling thread, before any bulk thread exists (a
    ``fork`` from a process with other threads running can inherit a lock
    held by one of them).  ``fork`` rather than ``spawn``, because ``spawn``
    re-imports the caller's main script, which a script without a
    ``__main__`` guard does not survive; the workers only analyse text and
    never touch the connections they inherit.  At most ``BATCHES_AHEAD``
    batches per worker are in flight, so memory stays bounded however long
    ``docs`` is.
    """

    def __init__(
        self,
        docs: Iterable[SearchDocument],
        analyzer: str | None = None,
        *,
        workers: int = ANALYSIS_WORKERS,
        batch_size: int = ANALYSIS_BATCH,
    ) -> None:
        """Keep the arguments; nothing is read before ``__enter__``."""
        self.docs = iter(docs)
        self.analyzer = analyzer
        self.workers = workers
        self.batch_size = batch_size
        self.first: list[SearchDocument] = []
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Analysis:
        """Read the first batch and start the workers if the load is large."""
        self.first = list(itertools.islice(self.docs, self.batch_size))
        if self.workers > 1 and len(self.first) == self.batch_size:
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context)
            # Python forks every worker on the first submission.
            self.pending.append(self._submit(self.first))
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop the workers, dropping batches nobody will read."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    @functools.cached_property
    def pending(self) -> deque[tuple[list[SearchDocument], Future[list[Source]]]]:
        """Return the batches submitted and not yet read, oldest first."""
        return deque()

    def _submit(
        self, batch: list[SearchDocument]
    ) -> tuple[list[SearchDocument], Future[list[Source]]]:
        assert self.pool is not None  # noqa: S101 - only called with a pool
        return batch, self.pool.submit(_sources, batch, self.analyzer)

    def __iter__(self) -> Iterator[tuple[str, Source]]:
        """Yield ``(id, _source)`` for every document, in order."""
        if self.pool is None:
            for doc in itertools.chain(self.first, self.docs):
                yield doc.id, source(doc, self.analyzer)
            return
        while self.pending:
            while len(self.pending) < self.workers * BATCHES_AHEAD:
                batch = list(itertools.islice(self.docs, self.batch_size))
                if not batch:
                    break
                self.pending.append(self._submit(batch))
            batch, future = self.pending.popleft()
            for doc, fields in zip(batch, future.result(), strict=True):
                yield doc.id, fields
