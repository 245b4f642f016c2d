"""How the embedded engine answers a query: bitsets for counts, one page.

The total and every facet come from bitsets (``embedded_facets``): the
matching row ids are read from FTS5 — or those of the non-matching rows when
they are fewer — and ANDed with the in-memory bitsets of the filter values.
A relevance page without filters scores every match in the same pass (row id
and BM25 together) and picks the page in Python; with filters, BM25 runs in
a second pass over the rows passing them only.  Date orders come from the
bitsets and the date order kept beside them.  BM25 costs about 0.8 µs per
scored row, more for phrases: the dominant cost left.

A query of one term found in more than half the documents is not scored
once it matches more than ``exact_rank_limit`` documents, but ordered
newest first, as a query without text is.  FTS5 floors such a term's IDF at
1e-6: its scores still order the matches by weighted term frequency (title
first), but a word in most documents (通知 in 76 % of them) says little
about which one is wanted, and scoring 76,000 rows cost ~60 ms of a 30 ms
budget.  Smaller indexes (below the limit) are always scored.
"""

from __future__ import annotations

import heapq
import sqlite3

from search.analysis import ParsedQuery
from search.engines import embedded_sql as sql
from search.engines.base import SearchQuery, Sort
from search.engines.embedded_facets import (
    DocValues,
    FacetBuckets,
    intersect,
    to_bitset,
)
from search.engines.embedded_sql import Clause, fts_expression

# Matches above which a one-term query whose IDF FTS5 floors (found in more
# than half the documents) is ordered by date instead of scored.
EXACT_RANK_LIMIT = 10_000

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
    if expression is not None and sort is Sort.RELEVANCE and not filters:
        return _scored_in_one_pass(conn, values, query, expression)
    if found is None:
        found = _count(conn, expression or "")
    matched = _matched(conn, values, expression, found)
    selected = intersect(matched, filters.values())
    total = selected.bit_count()
    facets = values.count_facets(matched, filters) if query.facets else {}
    if query.offset >= total:
        return total, [], facets
    if sort is Sort.RELEVANCE:
        return total, _ranked(conn, query, expression or ""), facets
    rowids = values.date_page(
        selected, query.offset, query.size, newest=sort is Sort.NEWEST
    )
    return total, _rows_of(conn, rowids), facets


def _single_term(parsed: ParsedQuery) -> bool:
    return len(parsed.groups) == 1 and len(parsed.groups[0]) == 1


def _count(conn: sqlite3.Connection, expression: str) -> int:
    (found,) = conn.execute(sql.MATCH_COUNT, (expression,)).fetchone()
    return found


def _scored_in_one_pass(
    conn: sqlite3.Connection, values: DocValues, query: SearchQuery, expression: str
) -> tuple[int, list[Row], FacetBuckets]:
    """Score every match in one pass, then count and pick the page in Python.

    Without filters BM25 runs for every match anyway; reading the scores
    with the row ids saves the separate count and page passes (20-40 %).
    Ties break as in ``sql.ORDER``: newest, then id, both descending — the
    position in ``values.newest``.
    """
    rows = conn.execute(sql.MATCH_SCORED, (expression,)).fetchall()
    facets: FacetBuckets = {}
    if query.facets:
        matched = to_bitset((rowid for rowid, _ in rows), values.size)
        facets = values.count_facets(matched, {})
    rank = values.rank
    best = heapq.nsmallest(
        query.offset + query.size, rows, key=lambda row: (row[1], rank[row[0]])
    )[query.offset :]
    ids = _doc_ids(conn, [rowid for rowid, _ in best])
    return len(rows), [(rowid, ids[rowid], score) for rowid, score in best], facets


def _matched(
    conn: sqlite3.Connection, values: DocValues, expression: str | None, found: int
) -> int:
    """Return the bitset of the documents matching ``expression``."""
    if expression is None or found >= values.count:
        return values.every
    if not found:
        return 0
    if 2 * found <= values.count:
        rows = conn.execute(sql.MATCH_ROWIDS, (expression,))
        return to_bitset((rowid for (rowid,) in rows), values.size)
    rows = conn.execute(sql.MATCH_ROWIDS, (sql.complement(expression),))
    return values.every & ~to_bitset((rowid for (rowid,) in rows), values.size)


def _ranked(conn: sqlite3.Connection, query: SearchQuery, expression: str) -> list[Row]:
    """Return the BM25 page, scoring only rows that pass the filters."""
    match = Clause("fts MATCH ?", (expression,))
    conditions = sql.key_conditions(query)
    condition = sql.where([match, *sql.doc_filters(conditions, sql.date_clause(query))])
    return conn.execute(
        f"SELECT d.rowid, d.doc_id, {sql.BM25} AS rank_score"  # noqa: S608
        f" FROM {sql.MATCH_BASE}{condition.sql}"
        f" ORDER BY {sql.RELEVANCE_ORDER} LIMIT ? OFFSET ?",
        (*condition.params, query.size, query.offset),
    ).fetchall()


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
