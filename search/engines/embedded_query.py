"""How the embedded engine answers a query: bitsets for counts, one page.

The total and every facet come from bitsets (``embedded_facets``): the
matching row ids are read from FTS5 — or those of the non-matching rows when
they are fewer — and ANDed with the in-memory bitsets of the filter values.
A relevance page without filters lets SQLite keep the best rows by BM25
and reads the matching row ids apart for the facets; with filters, a
function of the row id lets BM25 run only for the rows passing them, while
still noting every match for the facets.  Date orders come from the bitsets
and the date order kept beside them.  BM25 per scored row (more for
phrases) is the dominant cost left.

A query of one term found in more than half the documents is not scored
once it matches more than ``exact_rank_limit`` documents, but ordered
newest first, as a query without text is.  FTS5 floors such a term's IDF at
1e-6: its scores still order the matches by weighted term frequency (title
first), but a word in most documents says little about which one is wanted,
and scoring every one of its matches would cost more than a whole query may.
Smaller indexes (below the limit) are always scored.
"""

from __future__ import annotations

import heapq
import sqlite3

from search.analysis import ParsedQuery
from search.engines import embedded_sql as sql
from search.engines.base import SearchQuery, Sort
from search.engines.embedded_facets import (
    BIT,
    DocValues,
    FacetBuckets,
    intersect,
    to_bitset,
)
from search.engines.embedded_sql import fts_expression

# Matches above which a one-term query whose IDF FTS5 floors (found in more
# than half the documents) is ordered by date instead of scored.
EXACT_RANK_LIMIT = 10_000

# Rows kept beyond the page when SQLite picks the best by score, so that
# Python can break the ties among them (see ``_scored_page``).
TIE_SLACK = 32

# (rowid, document id, score) of one hit.
Row = tuple[int, str, float]


def search_rows(
    conn: sqlite3.Connection,
    values: DocValues,
    query: SearchQuery,
    parsed: ParsedQuery,
    exact_rank_limit: int = EXACT_RANK_LIMIT,
) -> tuple[int, list[Row], FacetBuckets]:
    """Return the total, the page as (rowid, id, score) rows and the facets."""
    expression = None if parsed.is_empty else fts_expression(parsed)
    filters = values.filters(query)
    sort, found = query.sort, None
    if expression is None:
        found = values.count
        if sort is Sort.RELEVANCE:
            sort = Sort.NEWEST  # every score is equal: newest first
    elif sort is Sort.RELEVANCE and _single_term(parsed):
        found = _count(conn, expression)
        if 2 * found > values.count and found > exact_rank_limit:
            sort = Sort.NEWEST  # see the module docstring
    if expression is not None and sort is Sort.RELEVANCE:
        if filters:
            return _scored_in_one_pass(conn, values, query, expression, filters)
        return _scored_page(conn, values, query, expression, found)
    if found is None:
        found = _count(conn, expression or "")
    matched = _matched(conn, values, expression, found)
    selected = intersect(matched, filters.values())
    total = selected.bit_count()
    facets = values.count_facets(matched, filters) if query.facets else {}
    if query.offset >= total:
        return total, [], facets
    rowids = values.date_page(
        selected, query.offset, query.size, newest=sort is Sort.NEWEST
    )
    return total, _rows_of(conn, rowids), facets


def _single_term(parsed: ParsedQuery) -> bool:
    return len(parsed.groups) == 1 and len(parsed.groups[0]) == 1


def _count(conn: sqlite3.Connection, expression: str) -> int:
    (found,) = conn.execute(sql.MATCH_COUNT, (expression,)).fetchone()
    return found


def _scored_page(
    conn: sqlite3.Connection,
    values: DocValues,
    query: SearchQuery,
    expression: str,
    found: int | None,
) -> tuple[int, list[Row], FacetBuckets]:
    """Let SQLite keep the best rows by score; count the matches apart.

    Without filters BM25 runs for every match anyway; SQLite keeps the
    page plus ``TIE_SLACK`` rows, and Python orders those by score and then
    by the tie-breaker (the date order).  Every row left out scores worse
    than the last one kept; if that one still ties with the page's last
    row, the tie may run on past what was kept, and the exact pass
    (``_scored_in_one_pass``) answers instead.  The total and the facets
    come from the match's row ids, read apart as one string — cheaper than
    noting each row as it is scored.
    """
    wanted = query.offset + query.size
    limit = wanted + TIE_SLACK
    rows = conn.execute(sql.MATCH_TOP_BY_SCORE, (expression, limit)).fetchall()
    rank = values.rank
    rows.sort(key=lambda row: (row[1], rank[row[0]]))
    if len(rows) == limit and rows[-1][1] == rows[wanted - 1][1]:
        return _scored_in_one_pass(conn, values, query, expression, {})
    facets: FacetBuckets = {}
    if query.facets:
        matched = _rowid_bitset(conn, expression, values.size)
        found = matched.bit_count()
        facets = values.count_facets(matched, {})
    elif found is None:
        found = _count(conn, expression)
    page = rows[query.offset : wanted]
    ids = _doc_ids(conn, [rowid for rowid, _ in page])
    return found, [(rowid, ids[rowid], score) for rowid, score in page], facets


def _scored_in_one_pass(
    conn: sqlite3.Connection,
    values: DocValues,
    query: SearchQuery,
    expression: str,
    filters: dict[str, int],
) -> tuple[int, list[Row], FacetBuckets]:
    """Read every match once, scoring only the rows that pass the filters.

    The path of filtered relevance, and the exact fallback of
    ``_scored_page`` (no filters: every match is scored).  A function of the
    row id, called by SQLite for each match before the score is computed,
    notes the match (for the facets, which ignore their own filter) and lets
    through only the rows in the filters' bitset, so BM25 runs for those
    alone.  Evaluating the match expression once instead of three times
    (count, row ids, ranked page) is what matters for long phrases.
    """
    passing = intersect(values.every, filters.values())
    allowed = passing.to_bytes((values.size >> 3) + 1, "little")
    seen = bytearray(len(allowed))

    def keep(rowid: int) -> int:
        byte, bit = rowid >> 3, BIT[rowid & 7]
        seen[byte] |= bit
        return allowed[byte] & bit

    conn.create_function(sql.KEEP_FUNCTION, 1, keep)
    rows = conn.execute(sql.MATCH_SCORED_KEPT, (expression,)).fetchall()
    facets: FacetBuckets = {}
    if query.facets:
        facets = values.count_facets(int.from_bytes(seen, "little"), filters)
    return len(rows), _best(conn, values, query, rows), facets


def _best(
    conn: sqlite3.Connection, values: DocValues, query: SearchQuery, rows: list
) -> list[Row]:
    """Return the page of scored (rowid, score) rows as (rowid, id, score).

    Ties break by the date order: newest, then id, both descending — the
    position in ``values.newest``.
    """
    rank = values.rank
    best = heapq.nsmallest(
        query.offset + query.size, rows, key=lambda row: (row[1], rank[row[0]])
    )[query.offset :]
    ids = _doc_ids(conn, [rowid for rowid, _ in best])
    return [(rowid, ids[rowid], score) for rowid, score in best]


def _matched(
    conn: sqlite3.Connection, values: DocValues, expression: str | None, found: int
) -> int:
    """Return the bitset of the documents matching ``expression``."""
    if expression is None or found >= values.count:
        return values.every
    if not found:
        return 0
    if 2 * found <= values.count:
        return _rowid_bitset(conn, expression, values.size)
    return values.every & ~_rowid_bitset(conn, sql.complement(expression), values.size)


def _rowid_bitset(conn: sqlite3.Connection, expression: str, size: int) -> int:
    """Return the bitset of the rows matching ``expression``.

    The row ids come as one comma-separated string: a third of the cost of
    fetching them as rows.
    """
    (joined,) = conn.execute(sql.MATCH_ROWID_LIST, (expression,)).fetchone()
    return to_bitset(map(int, joined.split(",")), size) if joined else 0


def _rows_of(conn: sqlite3.Connection, rowids: list[int]) -> list[Row]:
    """Return (rowid, id, 0.0) for ``rowids``, in their order."""
    ids = _doc_ids(conn, rowids)
    return [(rowid, ids[rowid], 0.0) for rowid in rowids]


def _doc_ids(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    return dict(
        conn.execute(
            "SELECT rowid, doc_id FROM docs"  # noqa: S608 - placeholders only
            f" WHERE rowid IN ({sql.placeholders(tuple(rowids))})",
            rowids,
        ).fetchall()
    )
