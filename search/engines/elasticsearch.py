"""The Elasticsearch engine: the same analysed text, served by a cluster.

The Python analysis chain produces the tokens (``fields``), so a plain
cluster with no plugins serves, and relevance matches the embedded engine:

* ``*_words`` — word tokens, built-in ``whitespace`` analyzer, frequencies
  only (no positions needed), scored with BM25, title boosted;
* ``*_pairs`` — overlapping character pairs (see ``search.analysis``),
  ``whitespace`` analyzer with positions, for ``match_phrase`` over pairs
  (quoted phrases, unlisted abbreviations, synonyms that are not dictionary
  words) and one-character ``prefix`` queries, served by a one-character
  ``index_prefixes`` field.  These hold Python tokens rather than the
  original text under the ``standard`` analyzer, because ``standard`` would
  not fold full-width digits or traditional characters (the test
  distribution lacks ``cjk_width``, ICU and smartcn), phrase matching would
  then differ between the engines, and single-character postings make
  phrases slow;
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
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterable, Iterator
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import (
    A,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Q,
    Search,
    Text,
)
from elasticsearch.dsl.query import Query
from elasticsearch.dsl.response import Response
from elasticsearch.helpers import BulkIndexError

from search.analysis import (
    ParsedQuery,
    Term,
    TermKind,
    analyze_query,
    normalize,
    sanitize,
)
from search.engines.base import (
    FACET_LIMIT,
    Facet,
    Hit,
    ProgressCallback,
    SearchDocument,
    SearchEngine,
    SearchEngineError,
    SearchQuery,
    SearchResult,
    Sort,
)
from search.engines.fields import (
    FIELD_WEIGHTS,
    PAIR_FIELDS,
    WORD_FIELDS,
    body_text,
    index_text,
    meta_text,
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
SCAN_BATCH = 5_000
PING_TIMEOUT = "2s"
NOT_FOUND = 404
HEALTHY = frozenset({"green", "yellow"})
MS_PER_SECOND = 1000.0
STORED_FIELDS = ("title", "body")
# Facet name → keyword field; the agency facet counts the whole path.
FACET_FIELDS = {
    Facet.AGENCY: "agency_path",
    Facet.TOPIC: "topic",
    Facet.YEAR: "year",
    Facet.DOC_TYPE: "doc_type",
}
_DATE_FILTER = "published_on"
# A one-character query is a prefix query on the pairs; index those prefixes.
ONE_CHARACTER_PREFIXES = {"min_chars": 1, "max_chars": 1}
_NO_TOPIC = ""


def document_class(analyzer: str | None = None) -> type[Document]:
    """Return the ``Document`` mapping, with word fields for ``analyzer``.

    ``None`` means the Python chain's tokens under the ``whitespace``
    analyzer; a name means normalised text under that cluster analyzer.
    """

    def pairs() -> Text:
        return Text(analyzer="whitespace", index_prefixes=ONE_CHARACTER_PREFIXES)

    def words() -> Text:
        if analyzer:
            return Text(analyzer=analyzer, index_options="freqs")
        return Text(analyzer="whitespace", index_options="freqs")

    class SearchRecord(Document):
        doc_id = Keyword()
        doc_type = Keyword()
        agency = Keyword()
        agency_path = Keyword(multi=True)
        topic = Keyword()
        year = Integer()
        published_on = Date(format="strict_date")
        title = Text(index=False)
        body = Text(index=False)
        title_words = words()
        meta_words = words()
        body_words = words()
        title_pairs = pairs()
        meta_pairs = pairs()
        body_pairs = pairs()

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


def _filters(query: SearchQuery) -> dict[str, Query]:
    """Return each active filter as a query, keyed by facet name."""
    filters: dict[str, Query] = {}
    for facet, values in (
        (Facet.AGENCY, query.agencies),
        (Facet.TOPIC, query.topics),
        (Facet.YEAR, query.years),
        (Facet.DOC_TYPE, tuple(str(t) for t in query.doc_types)),
    ):
        if values:
            filters[facet] = Q("terms", **{FACET_FIELDS[facet]: list(values)})
    bounds: dict[str, str] = {}
    if query.date_from:
        bounds["gte"] = query.date_from.isoformat()
    if query.date_to:
        bounds["lte"] = query.date_to.isoformat()
    if bounds:
        filters[_DATE_FILTER] = Q("range", published_on=bounds)
    return filters


def _sort(query: SearchQuery, *, text: bool) -> list[dict[str, Any]]:
    """Return the sort clause, ids last so pages are stable (see base)."""
    if query.sort is Sort.OLDEST:
        return [{"published_on": "asc"}, {"doc_id": "asc"}]
    newest = [{"published_on": "desc"}, {"doc_id": "desc"}]
    if query.sort is Sort.RELEVANCE and text:
        return [{"_score": {"order": "desc"}}, *newest]
    return newest


class ElasticsearchEngine(SearchEngine):
    """Search with an Elasticsearch 8 cluster through ``elasticsearch.dsl``."""

    name = "elasticsearch"

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Elasticsearch | None = None,
        index_prefix: str = DEFAULT_INDEX_PREFIX,
        shards: int = 1,
        replicas: int = 0,
        analyzer: str | None = None,
        max_result_window: int = MAX_RESULT_WINDOW,
    ) -> None:
        """Connect lazily; the index and alias are created on first use."""
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

    def _source(self, doc: SearchDocument) -> dict[str, Any]:
        fields: dict[str, Any] = {
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
        if self.analyzer:
            raw = (doc.title, meta_text(doc), body_text(doc))
            fields.update(zip(WORD_FIELDS, map(normalize, raw), strict=True))
        return fields

    def _actions(
        self, docs: Iterable[SearchDocument], index: str
    ) -> Iterator[dict[str, Any]]:
        # Plain bulk actions rather than Document instances: building one
        # costs about 60 µs, a fifth of the analysis, for the same JSON.
        for doc in docs:
            yield {"_index": index, "_id": doc.id, "_source": self._source(doc)}

    def _bulk(
        self,
        actions: Iterable[dict[str, Any]],
        progress: ProgressCallback | None = None,
        ignore_status: tuple[int, ...] = (),
    ) -> int:
        written = 0
        for ok, _ in helpers.streaming_bulk(
            self.client, actions, chunk_size=BULK_CHUNK, ignore_status=ignore_status
        ):
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
            written = self._bulk(self._actions(docs, self.alias))
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
            old: list[str] = []
            try:
                count = self._bulk(self._actions(docs, name), progress)
                self.client.indices.put_settings(
                    index=name,
                    settings={
                        "number_of_replicas": self.replicas,
                        "refresh_interval": None,
                    },
                )
                self.client.indices.refresh(index=name)
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
            for old_name in old:
                self.client.indices.delete(index=old_name, ignore_unavailable=True)
        self._ready = True
        return count

    def clear(self) -> None:
        """Recreate the index empty (there is no delete-by-query here)."""
        self.rebuild(())

    # --- reading ----------------------------------------------------------------

    def _term_query(self, term: Term) -> Query:
        if term.kind is TermKind.WORD and self.analyzer:
            clauses = [
                Q("match", **{f: {"query": term.text, "operator": "and", "boost": w}})
                for f, w in zip(WORD_FIELDS, FIELD_WEIGHTS, strict=True)
            ]
        elif term.kind is TermKind.WORD:
            clauses = [
                Q("term", **{f: {"value": term.tokens[0], "boost": w}})
                for f, w in zip(WORD_FIELDS, FIELD_WEIGHTS, strict=True)
            ]
        elif term.pairs:
            phrase = " ".join(term.pairs)
            clauses = [
                Q("match_phrase", **{f: {"query": phrase, "boost": w}})
                for f, w in zip(PAIR_FIELDS, FIELD_WEIGHTS, strict=True)
            ]
        else:  # one character: the pairs it starts
            clauses = [
                Q("prefix", **{f: {"value": term.tokens[0], "boost": w}})
                for f, w in zip(PAIR_FIELDS, FIELD_WEIGHTS, strict=True)
            ]
        return Q("bool", should=clauses, minimum_should_match=1)

    def _text_query(self, parsed: ParsedQuery) -> Query:
        if parsed.is_empty:
            return Q("match_all")
        groups = [
            Q(
                "bool",
                should=[self._term_query(term) for term in group],
                minimum_should_match=1,
            )
            for group in parsed.groups
        ]
        return Q("bool", must=groups)

    def _base_search(
        self, query: SearchQuery, parsed: ParsedQuery
    ) -> tuple[Search, dict[str, Query]]:
        """Return the search without paging, and the filters for the facets.

        With facets the filters go to ``post_filter`` so the aggregations see
        the text matches alone and each applies the other filters itself;
        without facets they are ordinary (cacheable) filter clauses.
        """
        filters = _filters(query)
        search = self.document.search(using=self.client, index=self.alias)
        text = self._text_query(parsed)
        if query.facets:
            search = search.query(text)
            if filters:
                search = search.post_filter(Q("bool", filter=list(filters.values())))
        else:
            search = search.query(Q("bool", must=[text], filter=list(filters.values())))
        search = search.sort(*_sort(query, text=not parsed.is_empty))
        return search.extra(track_scores=True), filters

    def _add_facets(self, search: Search, filters: dict[str, Query]) -> Search:
        for facet, field in FACET_FIELDS.items():
            others = [q for name, q in filters.items() if name != facet]
            scope = Q("bool", filter=others) if others else Q("match_all")
            terms: dict[str, Any] = {
                "field": field,
                "size": FACET_LIMIT,
                "order": [{"_count": "desc"}, {"_key": "asc"}],
            }
            if facet is Facet.TOPIC:
                terms["exclude"] = [_NO_TOPIC]
            search.aggs.bucket(str(facet), A("filter", filter=scope)).bucket(
                "values", "terms", **terms
            )
        return search

    def _skip(self, search: Search, offset: int) -> list[Any] | None:
        """Walk ``offset`` hits with ``search_after``; return the last sort key.

        Return ``None`` when fewer than ``offset`` hits exist (the page is
        past the end).
        """
        after: list[Any] | None = None
        skipped = 0
        walker = search.source(False).extra(track_total_hits=False, track_scores=False)
        while skipped < offset:
            step = min(self.max_result_window, offset - skipped)
            page = walker.extra(size=step, **({"search_after": after} if after else {}))
            hits = page.execute().hits
            if len(hits) < step:
                return None
            after = list(hits[-1].meta.sort)
            skipped += step
        return after

    def _page(self, search: Search, query: SearchQuery) -> tuple[Search, bool]:
        """Return the request for the page, and whether the page exists."""
        search = search.source(list(STORED_FIELDS)).extra(track_total_hits=True)
        if query.offset + query.size <= self.max_result_window:
            return search[query.offset : query.offset + query.size], True
        after = self._skip(search, query.offset)
        if after is None:  # past the end: still report total and facets
            return search.extra(size=0), False
        return search.extra(search_after=after, size=query.size), True

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one search request (plus ``search_after`` walks for deep pages)."""
        started = time.perf_counter()
        parsed = analyze_query(query.text)
        with _engine_errors():
            self._ensure()
            base, filters = self._base_search(query, parsed)
            page, exists = self._page(base, query)
            if query.facets:
                page = self._add_facets(page, filters)
            response = page.execute()
        hits = self._hits(response, parsed) if exists else []
        facets = self._facets(response) if query.facets else {}
        took_ms = (time.perf_counter() - started) * MS_PER_SECOND
        return SearchResult(response.hits.total.value, hits, facets, took_ms)

    def _hits(self, response: Response, parsed: ParsedQuery) -> list[Hit]:
        text = not parsed.is_empty
        return [
            Hit(
                hit.meta.id,
                float(hit.meta.score or 0.0) if text else 0.0,
                highlight(parsed, getattr(hit, "title", ""), getattr(hit, "body", "")),
            )
            for hit in response.hits
        ]

    def _facets(self, response: Response) -> dict[str, list[tuple[str | int, int]]]:
        aggregations = response.aggregations
        return {
            str(facet): [
                (bucket.key, bucket.doc_count)
                for bucket in aggregations[str(facet)]["values"].buckets
            ]
            for facet in FACET_FIELDS
        }

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
