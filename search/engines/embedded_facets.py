"""Filters, facet counts and date-ordered pages of the embedded engine, as bitsets.

Counting facets in SQL means grouping every match, and the filter and facet
values combine into nearly as many distinct ``facet_keys`` rows as there are
documents, so a common word was far too slow that way (``bench/RESULTS.md``,
"Design figures").  Search engines answer facets from per-document values
held in memory instead (Lucene's doc values); this is the same idea in pure
Python:

* ``DocValues`` holds, per facet value, the set of documents holding it as a
  Python ``int`` used as a bitset (bit *n* = the ``docs`` row *n*), plus the
  rows in date order.  ``int`` AND and ``bit_count`` run in C over 64-bit
  words, so a facet value costs the same whatever the number of matches,
  and multi-select counts (each facet ignores its own filter) are just
  different ANDs.  Memory grows with documents × facet values.
* The matches arrive as row ids from FTS5 — the only per-match cost left.
  When a query matches more than half
  the documents the engine reads the *non*-matching rows instead (a sentinel
  column holds one token in every row, so FTS5 can answer ``every NOT
  query``) and takes the complement; a query matching everything reads none.

``DocValues`` belong to one index version: every write transaction bumps the
``state.version`` counter in the index file, and a rebuild writes a new file,
so any process notices a change on its next search and reloads them.
``ResultCache`` keys whole results on the same
(file, version) pair, so it never serves a result older than the index.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
from array import array
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from search.engines.base import FACET_LIMIT, Facet, SearchQuery

# (file, version counter) of the index a structure was read from.
IndexVersion = tuple[str, int]
FacetBuckets = dict[str, list[tuple[str | int, int]]]
# The key of the date-range filter among the facet filters: no facet ignores it.
DATES = "published_on"

BIT = tuple(1 << bit for bit in range(8))
_SET_BITS = tuple(
    tuple(bit for bit in range(8) if byte & (1 << bit)) for byte in range(256)
)
_NONZERO_BYTE = re.compile(rb"[^\x00]")
# Below this share of all documents a date-ordered page sorts the matching
# rows; above it, walking the rows in date order finds a page sooner.
SPARSE_SHARE = 0.125
RESULT_CACHE_ENTRIES = 256
# The facets in the column order of ``facet_keys``.
FACET_COLUMNS = (Facet.AGENCY, Facet.TOPIC, Facet.YEAR, Facet.DOC_TYPE)


def to_bitset(rowids: Iterable[int], size: int) -> int:
    """Return the bitset of ``rowids`` (each below ``size``)."""
    bits = bytearray((size >> 3) + 1)
    for rowid in rowids:
        bits[rowid >> 3] |= BIT[rowid & 7]
    return int.from_bytes(bits, "little")


def from_bitset(bitset: int) -> list[int]:
    """Return the row ids set in ``bitset``, ascending."""
    data = bitset.to_bytes((bitset.bit_length() >> 3) + 1, "little")
    rowids: list[int] = []
    for found in _NONZERO_BYTE.finditer(data):
        start = found.start()
        base = start << 3
        rowids.extend(base + bit for bit in _SET_BITS[data[start]])
    return rowids


def _facet_bitsets(conn, size: int) -> dict[Facet, dict[str | int, int]]:
    """Return {facet: {value: bitset}}, agencies still as whole paths."""
    by_key: dict[int, list[int]] = {}
    for key, rowid in conn.execute("SELECT facet_key, rowid FROM docs"):
        by_key.setdefault(key, []).append(rowid)
    raw: dict[Facet, dict[str | int, bytearray]] = {facet: {} for facet in Facet}
    length = (size >> 3) + 1
    keys = conn.execute(
        "SELECT key, agency_path, topic, year, doc_type FROM facet_keys"
        " WHERE doc_count > 0"
    )
    for key, *key_values in keys:
        rowids = by_key.get(key, ())
        for facet, value in zip(FACET_COLUMNS, key_values, strict=True):
            bits = raw[facet].get(value)
            if bits is None:
                bits = raw[facet][value] = bytearray(length)
            for rowid in rowids:
                bits[rowid >> 3] |= BIT[rowid & 7]
    return {
        facet: {value: int.from_bytes(bits, "little") for value, bits in found.items()}
        for facet, found in raw.items()
    }


def _union(masks: Iterable[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


@dataclass(frozen=True)
class DocValues:
    """The filter and facet values of every indexed document, as bitsets."""

    version: IndexVersion
    size: int
    every: int
    values: dict[Facet, dict[str | int, int]]
    newest: array  # row ids, newest first (date, then id, descending)
    rank: array  # row id → position in ``newest``
    days: array  # −(day number of the date) of each row in ``newest``: ascending

    @property
    def count(self) -> int:
        """Return how many documents are indexed."""
        return self.every.bit_count()

    @classmethod
    def load(cls, conn, version: IndexVersion, path_separator: str) -> DocValues:
        """Read the values from the index (inside the caller's transaction)."""
        (largest,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM docs").fetchone()
        size = largest + 1
        values = _facet_bitsets(conn, size)
        # The agency facet counts on the path: a document counts for its
        # agency and every ancestor.
        agencies: dict[str | int, int] = {}
        for path, mask in values[Facet.AGENCY].items():
            for code in str(path).split(path_separator):
                agencies[code] = agencies.get(code, 0) | mask
        values[Facet.AGENCY] = agencies
        values[Facet.TOPIC].pop("", None)  # documents without a topic
        newest, days = array("q"), array("q")
        rank = array("q", bytes(8 * size))
        ordinal = dt.date.fromisoformat
        rows = conn.execute(
            "SELECT rowid, published_on FROM docs"
            " ORDER BY published_on DESC, doc_id DESC"
        )
        previous, day = "", 0
        for position, (rowid, published) in enumerate(rows):
            if published != previous:
                previous, day = published, -ordinal(published).toordinal()
            newest.append(rowid)
            days.append(day)
            rank[rowid] = position
        every = _union(values[Facet.DOC_TYPE].values())
        return cls(version, size, every, values, newest, rank, days)

    # --- filters and facets -------------------------------------------------

    def filters(self, query: SearchQuery) -> dict[str, int]:
        """Return each active filter as the bitset of documents passing it."""
        filters: dict[str, int] = {}
        if query.date_from or query.date_to:
            # The newest first order is the date order: a range is a slice.
            end = len(self.days)
            first = (
                bisect.bisect_left(self.days, -query.date_to.toordinal())
                if query.date_to
                else 0
            )
            last = (
                bisect.bisect_right(self.days, -query.date_from.toordinal())
                if query.date_from
                else end
            )
            filters[DATES] = to_bitset(self.newest[first:last], self.size)
        wanted: dict[Facet, tuple[str | int, ...]] = {
            Facet.AGENCY: query.agencies,
            Facet.TOPIC: query.topics,
            Facet.YEAR: query.years,
            Facet.DOC_TYPE: tuple(str(t) for t in query.doc_types),
        }
        for facet, selected in wanted.items():
            if selected:
                filters[facet] = _union(self.values[facet].get(v, 0) for v in selected)
        return filters

    def count_facets(self, matched: int, filters: dict[str, int]) -> FacetBuckets:
        """Return the multi-select facet counts of ``matched``.

        Each facet applies the text and every other filter, not its own.
        """
        buckets: FacetBuckets = {}
        for facet, masks in self.values.items():
            base = intersect(matched, (m for f, m in filters.items() if f is not facet))
            counts = []
            if base:
                for value, mask in masks.items():
                    count = (base & mask).bit_count()
                    if count:
                        counts.append((value, count))
            counts.sort(key=lambda bucket: (-bucket[1], bucket[0]))
            buckets[str(facet)] = counts[:FACET_LIMIT]
        return buckets

    def date_page(
        self, selected: int, offset: int, size: int, *, newest: bool
    ) -> list[int]:
        """Return the row ids of one page of ``selected`` in date order."""
        found = selected.bit_count()
        if offset >= found:
            return []
        wanted = offset + size
        if found < SPARSE_SHARE * len(self.newest):
            rowids = from_bitset(selected)
            rowids.sort(key=self.rank.__getitem__, reverse=not newest)
            return rowids[offset:wanted]
        data = selected.to_bytes((self.size >> 3) + 1, "little")
        order: Iterable[int] = self.newest if newest else reversed(self.newest)
        page: list[int] = []
        for rowid in order:
            if data[rowid >> 3] & BIT[rowid & 7]:
                page.append(rowid)
                if len(page) == wanted:
                    break
        return page[offset:]


def intersect(mask: int, others: Iterable[int]) -> int:
    for other in others:
        mask &= other
    return mask


class ResultCache:
    """A small LRU of whole results, keyed on the index version and the query.

    Facet counts of common words are what a public portal asks for most, and
    they change only when the index does — which changes the key.
    """

    def __init__(self, entries: int = RESULT_CACHE_ENTRIES) -> None:
        """Keep at most ``entries`` results (0 disables the cache)."""
        self.entries = entries
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        """Return the cached value for ``key`` (marking it recent) or ``None``."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object) -> None:
        """Remember ``value``, dropping the least recent entries over the limit."""
        if self.entries <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
