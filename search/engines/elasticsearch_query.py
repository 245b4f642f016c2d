"""Build the Elasticsearch engine's requests, send them, read the answers.

Requests and responses are plain dicts: building them through
``elasticsearch.dsl`` objects and wrapping the response in its
``Response``/``AttrDict`` classes costs more client time than the node spends
answering a faceted query (``bench/RESULTS.md``, "Design figures").
``elasticsearch.dsl`` still defines the mapping
(``elasticsearch.document_class``).

A search is one ``_msearch`` round trip of two requests the node runs side by
side:

* the *count* request — ``size: 0``, the text query, the filters as
  ``post_filter`` and the facet aggregations (each facet applying the other
  filters itself), ``track_total_hits: true``.  A ``size: 0`` request is what
  the shard request cache keeps, so repeated queries (the common words a
  portal is asked for most) are answered from the cache until the next
  refresh, however many documents they match;
* the *page* request — the text query with the filters as ordinary filter
  clauses (cached per segment by the node's query cache), sort, the page and
  ``_source`` of the stored original text for the shared highlighter, without
  counting every match (``track_total_hits: false``), so Lucene can skip
  documents that cannot reach the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from search.analysis import ParsedQuery, Term, TermKind
from search.engines.base import (
    FACET_LIMIT,
    Facet,
    SearchEngineError,
    SearchQuery,
    Sort,
)
from search.engines.fields import FIELD_WEIGHTS, PAIR_FIELDS, WORD_FIELDS

Body = dict[str, Any]
STORED_FIELDS = ("title", "body")
# Facet name → keyword field; the agency facet counts the whole path.
FACET_FIELDS = {
    Facet.AGENCY: "agency_path",
    Facet.TOPIC: "topic",
    Facet.YEAR: "year",
    Facet.DOC_TYPE: "doc_type",
}
FACET_BUCKETS = "values"
DATE_FILTER = "published_on"
NO_TOPIC = ""
# What the engine reads from an ``_msearch`` answer; the rest (shards,
# max_score, _index, …) is not sent.  ``status`` keeps every response in the
# list: a filtered response with nothing left would vanish from it.
MSEARCH_FILTER_PATH = (
    "took",
    "responses.status",
    "responses.error",
    "responses.hits.total.value",
    "responses.hits.hits._id",
    "responses.hits.hits._score",
    "responses.hits.hits._source",
    "responses.hits.hits.sort",
    f"responses.aggregations.*.{FACET_BUCKETS}.buckets.key",
    f"responses.aggregations.*.{FACET_BUCKETS}.buckets.doc_count",
)
# What a ``search_after`` walk reads.
WALK_FILTER_PATH = ("hits.hits.sort",)


@dataclass(frozen=True)
class Plan:
    """What every request of one query shares: text, filters, sort."""

    text: Body
    active: dict[str, Body]
    sort: list[Body]
    scored: bool


def plan(query: SearchQuery, parsed: ParsedQuery, analyzer: str | None) -> Plan:
    """Return the clauses of ``query``, whose text ``parsed`` analyses."""
    scored = not parsed.is_empty
    return Plan(
        text_query(parsed, analyzer),
        filters(query),
        sort_clause(query, text=scored),
        scored,
    )


def msearch_lines(
    planned: Plan,
    query: SearchQuery,
    *,
    after: list[Any] | None = None,
    page: bool = True,
) -> list[Body]:
    """Return the ``_msearch`` lines: the count request, then the page request.

    ``after`` is the sort key a ``search_after`` walk ended on (deep pages);
    without ``page`` only the count request is sent (a page past the end).
    """
    lines: list[Body] = [
        {"request_cache": True},
        count_body(planned.text, planned.active, facets=query.facets),
    ]
    if not page:
        return lines
    body = page_body(
        planned.text,
        planned.active,
        planned.sort,
        scored=planned.scored,
        size=query.size,
        offset=query.offset,
        after=after,
    )
    return [*lines, {}, body]


def send(client: Elasticsearch, index: str, lines: list[Body]) -> Body:
    """Send ``_msearch`` lines to ``index``; raise if any request failed."""
    response = client.msearch(
        index=index, searches=lines, filter_path=MSEARCH_FILTER_PATH
    ).body
    for item in response.get("responses", ()):
        if "error" in item:
            raise SearchEngineError(str(item["error"]))
    return response


def filters(query: SearchQuery) -> dict[str, Body]:
    """Return each active filter as a query clause, keyed by facet name."""
    found: dict[str, Body] = {}
    for facet, values in (
        (Facet.AGENCY, query.agencies),
        (Facet.TOPIC, query.topics),
        (Facet.YEAR, query.years),
        (Facet.DOC_TYPE, tuple(str(t) for t in query.doc_types)),
    ):
        if values:
            found[facet] = {"terms": {FACET_FIELDS[facet]: list(values)}}
    bounds: dict[str, str] = {}
    if query.date_from:
        bounds["gte"] = query.date_from.isoformat()
    if query.date_to:
        bounds["lte"] = query.date_to.isoformat()
    if bounds:
        found[DATE_FILTER] = {"range": {DATE_FILTER: bounds}}
    return found


def sort_clause(query: SearchQuery, *, text: bool) -> list[Body]:
    """Return the sort clause, ids last so pages are stable (see base)."""
    if query.sort is Sort.OLDEST:
        return [{"published_on": "asc"}, {"doc_id": "asc"}]
    newest: list[Body] = [{"published_on": "desc"}, {"doc_id": "desc"}]
    if query.sort is Sort.RELEVANCE and text:
        return [{"_score": "desc"}, *newest]
    return newest


def _any_of(clauses: list[Body]) -> Body:
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def term_query(term: Term, analyzer: str | None) -> Body:
    """Return the clause matching one term in the title, meta and body fields."""
    if term.kind is TermKind.WORD and analyzer:
        clauses = [
            {"match": {f: {"query": term.text, "operator": "and", "boost": w}}}
            for f, w in zip(WORD_FIELDS, FIELD_WEIGHTS, strict=True)
        ]
    elif term.kind is TermKind.WORD:
        clauses = [
            {"term": {f: {"value": term.tokens[0], "boost": w}}}
            for f, w in zip(WORD_FIELDS, FIELD_WEIGHTS, strict=True)
        ]
    elif term.pairs:
        phrase = " ".join(term.pairs)
        clauses = [
            {"match_phrase": {f: {"query": phrase, "boost": w}}}
            for f, w in zip(PAIR_FIELDS, FIELD_WEIGHTS, strict=True)
        ]
    else:  # one character: the pairs it starts
        clauses = [
            {"prefix": {f: {"value": term.tokens[0], "boost": w}}}
            for f, w in zip(PAIR_FIELDS, FIELD_WEIGHTS, strict=True)
        ]
    return _any_of(clauses)


def text_query(parsed: ParsedQuery, analyzer: str | None) -> Body:
    """Return the query every group of ``parsed`` must match."""
    if parsed.is_empty:
        return {"match_all": {}}
    # A cluster-side analyzer may cut a longer alternative differently, so
    # only the Python chain's tokens tell which alternatives cover others.
    matching = parsed.groups if analyzer else parsed.matching_groups()
    groups = [
        _any_of([term_query(term, analyzer) for term in group]) for group in matching
    ]
    return {"bool": {"must": groups}}


def filtered(text: Body, active: dict[str, Body]) -> Body:
    """Return ``text`` restricted by the filters (non-scoring clauses)."""
    if not active:
        return text
    return {"bool": {"must": [text], "filter": list(active.values())}}


def facet_aggregations(active: dict[str, Body]) -> Body:
    """Return one aggregation per facet, each applying the *other* filters."""
    aggregations: Body = {}
    for facet, field in FACET_FIELDS.items():
        others = [clause for name, clause in active.items() if name != facet]
        scope = {"bool": {"filter": others}} if others else {"match_all": {}}
        terms: Body = {
            "field": field,
            "size": FACET_LIMIT,
            "order": [{"_count": "desc"}, {"_key": "asc"}],
        }
        if facet is Facet.TOPIC:
            terms["exclude"] = [NO_TOPIC]
        aggregations[str(facet)] = {
            "filter": scope,
            "aggs": {FACET_BUCKETS: {"terms": terms}},
        }
    return aggregations


def count_body(text: Body, active: dict[str, Body], *, facets: bool) -> Body:
    """Return the ``size: 0`` request for the total and the facet counts."""
    if not facets:
        return {"size": 0, "track_total_hits": True, "query": filtered(text, active)}
    body: Body = {
        "size": 0,
        "track_total_hits": True,
        "query": text,
        "aggs": facet_aggregations(active),
    }
    if active:
        body["post_filter"] = {"bool": {"filter": list(active.values())}}
    return body


def page_body(
    text: Body,
    active: dict[str, Body],
    sort: list[Body],
    *,
    scored: bool,
    size: int,
    offset: int = 0,
    after: list[Any] | None = None,
) -> Body:
    """Return the request for one page of hits with the stored text."""
    body: Body = {
        "query": filtered(text, active),
        "sort": sort,
        "size": size,
        "track_total_hits": False,
        "_source": list(STORED_FIELDS),
    }
    if scored:
        body["track_scores"] = True
    if after is not None:
        body["search_after"] = after
    elif offset:
        body["from"] = offset
    return body


def walk_body(text: Body, active: dict[str, Body], sort: list[Body], size: int) -> Body:
    """Return a request reading only the sort keys of ``size`` hits."""
    return {
        "query": filtered(text, active),
        "sort": sort,
        "size": size,
        "track_total_hits": False,
        "_source": False,
    }


def facet_counts(response: Body) -> dict[str, list[tuple[str | int, int]]]:
    """Return the facet buckets of a count response, in the node's order."""
    aggregations = response.get("aggregations", {})
    return {
        str(facet): [
            (bucket["key"], bucket["doc_count"])
            for bucket in aggregations.get(str(facet), {})
            .get(FACET_BUCKETS, {})
            .get("buckets", ())
        ]
        for facet in FACET_FIELDS
    }


def hits_of(response: Body) -> list[Body]:
    """Return the hits of a (filtered) response; absent when there are none."""
    return response.get("hits", {}).get("hits", [])


def total_of(response: Body) -> int:
    """Return the exact total a ``track_total_hits`` response reports."""
    return int(response.get("hits", {}).get("total", {}).get("value", 0))
