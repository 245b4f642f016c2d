"""Time each engine's own work for a query, beneath its ``search()``.

The benchmark's "raw" and "round trip" columns need less than a whole
``search()``: the embedded engine's SQL and bitset work without analysis,
highlighting or result cache, and the request the Elasticsearch engine sends,
without analysis or highlighting.  The engines have no hooks for this; the
probes rebuild the same work from the modules the engines themselves call
(``embedded_query.search_rows``, ``elasticsearch_query``) and reach the index
through the engines' public attributes (``EmbeddedEngine.path``,
``ElasticsearchEngine.client`` and ``alias``).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from search.analysis import analyze_query
from search.engines import elasticsearch_query as es_query
from search.engines import embedded_sql as sql
from search.engines.base import SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.embedded import EmbeddedEngine, open_generation
from search.engines.embedded_facets import DocValues
from search.engines.embedded_query import search_rows

MS = 1000.0
EMPTY = {"size": 0, "query": {"match_none": {}}}


class EmbeddedProbe:
    """Time the embedded engine's SQL and bitset work on a connection of its own.

    Open it after the index is built: it reads the generation the engine's
    path points at when it is created.  The facet bitsets are loaded on the
    first query (and again if the index changes), as the engine loads them.
    """

    def __init__(self, engine: EmbeddedEngine) -> None:
        self.engine = engine
        self.file = Path(engine.path).resolve()
        self.conn: sqlite3.Connection = open_generation(self.file)
        self.values: DocValues | None = None

    def rows(self, query: SearchQuery) -> float:
        """Return the ms of the FTS5 count, matching rows, facets and page.

        No analysis (done before the clock starts), highlighting, text fetch
        or result cache: what the engine's ``search`` does beneath those.
        """
        parsed = analyze_query(query.text)
        conn = self.conn
        started = time.perf_counter()
        conn.execute("BEGIN")
        try:
            (counter,) = conn.execute(sql.VERSION_SELECT).fetchone()
            version = (str(self.file), counter)
            if self.values is None or self.values.version != version:
                self.values = DocValues.load(conn, version, sql.PATH_SEPARATOR)
            search_rows(conn, self.values, query, parsed, self.engine.exact_rank_limit)
        finally:
            conn.execute("COMMIT")
        return (time.perf_counter() - started) * MS

    def close(self) -> None:
        self.conn.close()


def elasticsearch_timings(
    engine: ElasticsearchEngine, query: SearchQuery
) -> tuple[float, float]:
    """Return the node's ``took`` and the round trip of ``query``'s request, ms.

    The request ``search`` sends for a page within ``max_result_window``
    (built beforehand, not timed), sent by the engine's own client; the round
    trip includes HTTP and JSON but no analysis, response reading or
    highlighting.
    """
    planned = es_query.plan(query, analyze_query(query.text), engine.analyzer)
    lines = es_query.msearch_lines(planned, query)
    started = time.perf_counter()
    response = es_query.send(engine.client, engine.alias, lines)
    round_trip = (time.perf_counter() - started) * MS
    return float(response["took"]), round_trip


def elasticsearch_empty(engine: ElasticsearchEngine) -> tuple[float, float]:
    """Return the round trip and ``took`` of an empty ``_msearch``, ms.

    Two ``match_none`` requests of size 0, sent as the engine sends its own
    (same client, same ``filter_path``): the least any search through HTTP
    costs.
    """
    started = time.perf_counter()
    response = es_query.send(engine.client, engine.alias, [{}, EMPTY, {}, EMPTY])
    return (time.perf_counter() - started) * MS, float(response["took"])
