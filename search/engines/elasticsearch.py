"""The Elasticsearch engine: the same analysed text, served by a cluster.

The Python analysis chain produces the tokens (``fields``), so a plain
cluster with no plugins serves, and relevance matches the embedded engine:

* ``*_words`` — word tokens, built-in ``whitespace`` analyzer, frequencies
  only (no positions needed), scored with BM25, title boosted;
* ``*_pairs`` — overlapping character pairs (see ``search.analysis``),
  ``whitespace`` analyzer with positions, for ``match_phrase`` over pairs
  (quoted phrases, unlisted abbreviations, synonyms that are not dictionary
  words) and one-character ``prefix`` queries, served by a one-character
  ``index_prefixes`` field on the title and meta pairs.  The body pairs have
  no prefix index (it is the dearest part of indexing, see
  ``bench/RESULTS.md``); a plain prefix query serves there, with the same
  constant score.  These hold Python tokens rather than the original text
  under the ``standard`` analyzer, because ``standard`` would not fold
  full-width digits or traditional characters (the test distribution lacks
  ``cjk_width``, ICU and smartcn), phrase matching would then differ between
  the engines, and single-character postings make phrases slow;
* ``title``/``body`` — the original text, stored but not indexed, for the
  shared Python highlighter; keyword fields for filters and facets.

``ELASTICSEARCH_ANALYZER`` (e.g. ``ik_max_word``) makes the ``*_words``
fields hold normalised text analysed by that cluster-side analyzer instead;
phrases stay on the Python per-character tokens.  That mode needs a cluster
with the plugin and is not exercised by the test suite.

The index lives behind an alias: a rebuild creates a new timestamped index,
bulk-loads it with refresh and replicas off, swaps the alias in one
``update_aliases`` call and deletes the old index.  Nothing here uses
delete-by-query, update-by-query or scripts, which the test distribution
lacks.  Paging beyond ``index.max_result_window`` walks with ``search_after``.

Searching sends plain request bodies in one ``_msearch`` (a cached count and
facet request beside the page request; ``elasticsearch_query``), and reads
the plain response.  A rebuild analyses in worker processes
(``elasticsearch_bulk``) while bulk threads keep the node indexing.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
)
from elasticsearch.helpers import BulkIndexError

from search.analysis import ParsedQuery, analyze_query
from search.engines import elasticsearch_bulk as es_bulk
from search.engines import elasticsearch_query as es_query
from search.engines.base import (
    Hit,
    ProgressCallback,
    SearchDocument,
    SearchEngine,
    SearchEngineError,
    SearchQuery,
    SearchResult,
)
from search.engines.elasticsearch_query import Body
from search.engines.fields import (
    PAIR_FIELDS,
    WORD_FIELDS,
)
from search.engines.highlight import highlight

DEFAULT_INDEX_PREFIX = "gongkai"
ALIAS_SUFFIX = "search"
REQUEST_TIMEOUT_SECONDS = 30.0
MAX_RETRIES = 2
# Elasticsearch's default index.max_result_window: from + size beyond it
# must page with search_after.  Indices are created with the engine's value.
MAX_RESULT_WINDOW = 10_000
BULK_CHUNK = 500
# Bulk requests in flight during a rebuild (see ``_bulk``).
BULK_THREADS = 2
SCAN_BATCH = 5_000
PING_TIMEOUT = "2s"
NOT_FOUND = 404
HEALTHY = frozenset({"green", "yellow"})
# Names of the indices a rebuild creates (see ``_new_index_name``).
INDEX_NAME = r"{alias}-\d{{14}}-[0-9a-f]{{8}}"
INDEX_REPLACED = (
    "index {name} was deleted while it was being built "
    "(another search_rebuild running?); nothing was swapped"
)
MS_PER_SECOND = 1000.0
# A one-character query is a prefix query on the pairs; index those prefixes.
ONE_CHARACTER_PREFIXES = {"min_chars": 1, "max_chars": 1}


def document_class(analyzer: str | None = None) -> type[Document]:
    """Return the ``Document`` mapping, with word fields for ``analyzer``.

    ``None`` means the Python chain's tokens under the ``whitespace``
    analyzer; a name means normalised text under that cluster analyzer.
    """

    def pairs() -> Text:
        return Text(analyzer="whitespace", index_prefixes=ONE_CHARACTER_PREFIXES)

    def unprefixed_pairs() -> Text:
        # No prefix index on the longest field: it is the dearest part of
        # indexing, and a one-character query still finds the body pairs it
        # starts with an ordinary (constant-score) prefix query.
        return Text(analyzer="whitespace")

    def words() -> Text:
        if analyzer:
            return Text(analyzer=analyzer, index_options="freqs")
        return Text(analyzer="whitespace", index_options="freqs")

    class SearchRecord(Document):
        doc_id = Keyword()
        # Facet fields build their global ordinals at refresh, not on the
        # first faceted query after it.
        doc_type = Keyword(eager_global_ordinals=True)
        agency = Keyword()
        agency_path = Keyword(multi=True, eager_global_ordinals=True)
        topic = Keyword(eager_global_ordinals=True)
        year = Integer()
        published_on = Date(format="strict_date")
        title = Text(index=False)
        body = Text(index=False)
        title_words = words()
        meta_words = words()
        body_words = words()
        title_pairs = pairs()
        meta_pairs = pairs()
        body_pairs = unprefixed_pairs()

        class Meta:
            dynamic = MetaField("strict")
            # The analysed copies are rebuilt from the database, never read
            # back: keep them out of _source to halve the stored size.
            source = MetaField(excludes=[*WORD_FIELDS, *PAIR_FIELDS])

    return SearchRecord


@contextlib.contextmanager
def _engine_errors() -> Iterator[None]:
    """Report cluster, transport and bulk failures as ``SearchEngineError``."""
    try:
        yield
    except (ApiError, TransportError, BulkIndexError) as error:
        raise SearchEngineError(str(error)) from error


class ElasticsearchEngine(SearchEngine):
    """Search with an Elasticsearch 8 cluster through ``elasticsearch.dsl``.

    Beside the engine contract, ``client`` (the ``Elasticsearch`` client),
    ``alias`` (the index alias every request names), ``analyzer`` and
    ``max_result_window`` are public, for operations and ``bench/`` to
    address the same index the same way.
    """

    name = "elasticsearch"

    def __init__(
        self,
        url: str | list[str] | None = None,
        *,
        client: Elasticsearch | None = None,
        index_prefix: str = DEFAULT_INDEX_PREFIX,
        shards: int = 1,
        replicas: int = 0,
        analyzer: str | None = None,
        max_result_window: int = MAX_RESULT_WINDOW,
        analysis_workers: int = es_bulk.ANALYSIS_WORKERS,
        analysis_batch: int = es_bulk.ANALYSIS_BATCH,
    ) -> None:
        """Connect lazily; the index and alias are created on first use.

        ``url`` is one node or a list of nodes of one cluster. With several, the
        transport sends each request to the next live node and, on a connection
        error (refused, reset, timed out), marks that node dead for a while and
        retries on another, up to ``MAX_RETRIES`` times: a node going down
        costs no request as long as another answers.
        """
        if isinstance(url, str) and "," in url:
            url = [part.strip() for part in url.split(",") if part.strip()]
        self.client = client or Elasticsearch(
            url,
            request_timeout=REQUEST_TIMEOUT_SECONDS,
            max_retries=MAX_RETRIES,
            retry_on_timeout=True,
        )
        self.alias = f"{index_prefix.lower()}-{ALIAS_SUFFIX}"
        self.shards = shards
        self.replicas = replicas
        self.analyzer = analyzer
        self.max_result_window = max_result_window
        self.analysis_workers = analysis_workers
        self.analysis_batch = analysis_batch
        self.document = document_class(analyzer)
        self._ready = False

    # --- indices ----------------------------------------------------------------

    def _new_index_name(self) -> str:
        stamp = time.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(4)
        return f"{self.alias}-{stamp}"

    def _create_index(self, name: str, *, with_alias: bool, bulk: bool) -> None:
        index = Index(name, using=self.client)
        settings: dict[str, Any] = {
            "number_of_shards": self.shards,
            "number_of_replicas": 0 if bulk else self.replicas,
            "max_result_window": self.max_result_window,
        }
        if bulk:
            settings["refresh_interval"] = "-1"
        index.settings(**settings)
        index.document(self.document)
        if with_alias:
            index.aliases(**{self.alias: {}})
        index.create()

    def _ensure(self) -> None:
        """Create an empty index behind the alias the first time it is needed."""
        if self._ready:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            self._create_index(self._new_index_name(), with_alias=True, bulk=False)
        self._ready = True

    def _aliased_indices(self) -> list[str]:
        if not self.client.indices.exists_alias(name=self.alias):
            return []
        return list(self.client.indices.get_alias(name=self.alias))

    def drop(self) -> None:
        """Delete the alias and every index of this prefix (tests, teardown).

        Indices are deleted by name: clusters refuse wildcard deletion by
        default (``action.destructive_requires_name``).
        """
        with _engine_errors():
            names = list(self.client.indices.get(index=f"{self.alias}-*"))
            for name in names:
                self.client.indices.delete(index=name)
        self._ready = False

    # --- writing ----------------------------------------------------------------

    def _actions(
        self, analysed: Iterable[tuple[str, dict[str, Any]]], index: str
    ) -> Iterator[dict[str, Any]]:
        # Plain bulk actions rather than Document instances: the same JSON,
        # without building an object per document.
        for doc_id, fields in analysed:
            yield {"_index": index, "_id": doc_id, "_source": fields}

    def _analysis(
        self, docs: Iterable[SearchDocument], *, workers: int = 1
    ) -> es_bulk.Analysis:
        return es_bulk.Analysis(
            docs, self.analyzer, workers=workers, batch_size=self.analysis_batch
        )

    def _bulk(
        self,
        actions: Iterable[dict[str, Any]],
        progress: ProgressCallback | None = None,
        ignore_status: tuple[int, ...] = (),
        *,
        overlap: bool = False,
    ) -> int:
        """Send ``actions`` in chunks; return how many succeeded.

        With ``overlap`` (rebuilds) the chunks go out from ``BULK_THREADS``
        threads while the helper's feeder thread serialises the next ones
        (and the analysis runs ahead in worker processes), so the node is
        never idle waiting for Python, nor Python for the node.
        """
        written = 0
        results = (
            helpers.parallel_bulk(
                self.client,
                actions,
                thread_count=BULK_THREADS,
                queue_size=BULK_THREADS,
                chunk_size=BULK_CHUNK,
                ignore_status=ignore_status,
            )
            if overlap
            else helpers.streaming_bulk(
                self.client, actions, chunk_size=BULK_CHUNK, ignore_status=ignore_status
            )
        )
        for ok, _ in results:
            written += ok
            if progress is not None and written % BULK_CHUNK == 0:
                progress(written)
        if progress is not None and written % BULK_CHUNK:
            progress(written)
        return written

    def index(self, docs: Iterable[SearchDocument], *, refresh: bool = True) -> int:
        """Bulk-index documents; with ``refresh`` they are searchable on return."""
        with _engine_errors():
            self._ensure()
            with self._analysis(docs) as analysed:
                written = self._bulk(self._actions(analysed, self.alias))
            if refresh:
                self.client.indices.refresh(index=self.alias)
        return written

    def delete(self, ids: Iterable[str], *, refresh: bool = True) -> None:
        """Bulk-delete by id; unknown ids (404) are ignored."""
        actions = (
            {"_op_type": "delete", "_index": self.alias, "_id": doc_id}
            for doc_id in ids
        )
        with _engine_errors():
            self._ensure()
            self._bulk(actions, ignore_status=(NOT_FOUND,))
            if refresh:
                self.client.indices.refresh(index=self.alias)

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Load a new index, then swap the alias to it in one atomic call."""
        name = self._new_index_name()
        with _engine_errors():
            self._create_index(name, with_alias=False, bulk=True)
            uuid = self._uuid(name)
            old: list[str] = []
            try:
                with self._analysis(docs, workers=self.analysis_workers) as analysed:
                    actions = self._actions(analysed, name)
                    count = self._bulk(actions, progress, overlap=True)
                self.client.indices.put_settings(
                    index=name,
                    settings={
                        "number_of_replicas": self.replicas,
                        "refresh_interval": None,
                    },
                )
                self.client.indices.refresh(index=name)
                if self._uuid(name) != uuid:  # deleted, then re-created by a bulk
                    raise SearchEngineError(INDEX_REPLACED.format(name=name))
                old = self._aliased_indices()
                self.client.indices.update_aliases(
                    actions=[
                        {"add": {"index": name, "alias": self.alias}},
                        *({"remove": {"index": o, "alias": self.alias}} for o in old),
                    ]
                )
            except BaseException:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            # The old indices, and any a killed rebuild left half-built.
            for old_name in {*old, *self._built_indices()} - {name}:
                self.client.indices.delete(index=old_name, ignore_unavailable=True)
        self._ready = True
        return count

    def _uuid(self, name: str) -> str:
        settings = self.client.indices.get_settings(index=name, name="index.uuid")
        return settings[name]["settings"]["index"]["uuid"]

    def _built_indices(self) -> list[str]:
        """Return every index a rebuild of this alias created, aliased or not."""
        pattern = re.compile(INDEX_NAME.format(alias=re.escape(self.alias)))
        names = self.client.indices.get(index=f"{self.alias}-*")
        return [name for name in names if pattern.fullmatch(name)]

    def clear(self) -> None:
        """Recreate the index empty (there is no delete-by-query here)."""
        self.rebuild(())

    # --- reading ----------------------------------------------------------------

    def _skip(self, planned: es_query.Plan, offset: int) -> list[Any] | None:
        """Walk ``offset`` hits with ``search_after``; return the last sort key.

        Return ``None`` when fewer than ``offset`` hits exist (the page is
        past the end).
        """
        after: list[Any] | None = None
        skipped = 0
        while skipped < offset:
            step = min(self.max_result_window, offset - skipped)
            body = es_query.walk_body(planned.text, planned.active, planned.sort, step)
            if after is not None:
                body["search_after"] = after
            response = self.client.search(
                index=self.alias, body=body, filter_path=es_query.WALK_FILTER_PATH
            )
            hits = es_query.hits_of(response.body)
            if len(hits) < step:
                return None
            after = list(hits[-1]["sort"])
            skipped += step
        return after

    def _requests(
        self, query: SearchQuery, parsed: ParsedQuery
    ) -> tuple[list[Body], bool]:
        """Return the ``_msearch`` lines for ``query``, and whether hits are read.

        A page beyond ``max_result_window`` first walks to its start with
        ``search_after``; a page past the end sends the count request alone.
        """
        planned = es_query.plan(query, parsed, self.analyzer)
        if query.offset + query.size <= self.max_result_window:
            return es_query.msearch_lines(planned, query), True
        after = self._skip(planned, query.offset)
        if after is None:  # past the end: still report total and facets
            return es_query.msearch_lines(planned, query, page=False), False
        return es_query.msearch_lines(planned, query, after=after), True

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one ``_msearch`` (plus ``search_after`` walks for deep pages)."""
        started = time.perf_counter()
        parsed = analyze_query(query.text)
        with _engine_errors():
            self._ensure()
            lines, paged = self._requests(query, parsed)
            responses = es_query.send(self.client, self.alias, lines)["responses"]
        counted = responses[0]
        hits = self._hits(es_query.hits_of(responses[1]), parsed) if paged else []
        facets = es_query.facet_counts(counted) if query.facets else {}
        took_ms = (time.perf_counter() - started) * MS_PER_SECOND
        return SearchResult(es_query.total_of(counted), hits, facets, took_ms)

    def _hits(self, raw: list[Body], parsed: ParsedQuery) -> list[Hit]:
        scored = not parsed.is_empty
        hits = []
        for hit in raw:
            source = hit.get("_source", {})
            hits.append(
                Hit(
                    hit["_id"],
                    float(hit.get("_score") or 0.0) if scored else 0.0,
                    highlight(parsed, source.get("title", ""), source.get("body", "")),
                )
            )
        return hits

    def count(self) -> int:
        """Return how many documents the alias holds (after the last refresh)."""
        with _engine_errors():
            self._ensure()
            return int(self.client.count(index=self.alias)["count"])

    def all_ids(self) -> Iterator[str]:
        """Yield every document id (scroll, unordered)."""
        with _engine_errors():
            self._ensure()
            for hit in helpers.scan(
                self.client,
                index=self.alias,
                query={"query": {"match_all": {}}, "_source": False},
                size=SCAN_BATCH,
            ):
                yield hit["_id"]

    def ping(self) -> bool:
        """Return whether the cluster is reachable and at least yellow."""
        try:
            health = self.client.cluster.health(timeout=PING_TIMEOUT)
        except (ApiError, TransportError):
            return False
        return health.get("status") in HEALTHY

    def close(self) -> None:
        """Close the client's connection pool."""
        self.client.close()
