"""The public search: ask the engine, then let the database decide what to show.

The index may lag behind the database (an outage, a withdrawal whose outbox row
is still pending, a scheduled publication), so every hit is re-read through its
document source, which returns only objects public *now* and says how each is
presented (``search.registry.Presented``).  A hit the source no longer returns is
dropped from the page and an outbox row is queued so the index forgets it.  The
page view, the API and the feed all call ``search_documents``; the benchmarks
time it too, so the figures are those of the real query path.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, Topic
from portal.selectors import tree_order
from search import registry
from search.engines import get_engine
from search.engines.base import (
    DOC_ID_SEPARATOR,
    Facet,
    Hit,
    SearchEngine,
    SearchQuery,
)
from search.models import OutboxEntry
from search.outbox import enqueue
from search.registry import Presented
from search.sync import MAX_ATTEMPTS, split_id

MS_PER_SECOND = 1000.0
SEARCH_UNAVAILABLE = _("检索服务暂时不可用，请稍后再试。已发布的信息不受影响。")
# What an engine highlight may contain besides escaped text.
_MARK_TAGS_RE = re.compile(r"</?mark>")


@dataclass(frozen=True)
class ResultItem:
    """One visible hit: what its source presents plus the engine's highlights."""

    doc_type: str
    object_id: str
    presented: Presented
    title_html: SafeString
    snippet_html: SafeString
    score: float

    @property
    def published_on(self) -> dt.date:
        """Return the publication day in the portal's time zone."""
        return timezone.localtime(self.presented.published_at).date()


@dataclass(frozen=True)
class FacetBucket:
    """One facet value with its count, its label and whether it is selected."""

    value: str | int
    label: str
    count: int
    selected: bool = False
    depth: int = 0


@dataclass
class SearchPage:
    """One page of visible results with facets, counts and timings."""

    query: SearchQuery
    total: int
    items: list[ResultItem]
    facets: dict[str, list[FacetBucket]] = field(default_factory=dict)
    type_counts: dict[str, int] = field(default_factory=dict)
    took_ms: float = 0.0
    engine_ms: float = 0.0
    dropped: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.query.size))

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1

    @property
    def has_next(self) -> bool:
        return self.query.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.query.page - 1

    @property
    def next_page(self) -> int:
        return self.query.page + 1


def safe_highlight(html: str | None, plain: str) -> SafeString:
    """Trust an engine highlight only if it is escaped text and ``<mark>`` tags.

    The engines escape the text and add the marks themselves; this is the one
    place their output is marked safe, and anything else found in it falls back
    to the escaped plain text.
    """
    if html and "<" not in _MARK_TAGS_RE.sub("", html):
        return mark_safe(html)  # noqa: S308 - checked above: escaped text + <mark>
    return escape(plain)


def _live_hits(hits: list[Hit]) -> dict[str, Presented]:
    """Return {document id: Presented} for the hits whose object is public now."""
    wanted: dict[str, list[str]] = {}
    for hit in hits:
        doc_type, object_id = split_id(hit.id)
        wanted.setdefault(doc_type, []).append(object_id)
    live: dict[str, Presented] = {}
    for doc_type, object_ids in wanted.items():
        try:
            source = registry.get_source(doc_type)
        except KeyError:
            continue
        presented = source.present(source.public_objects(object_ids))
        for object_id, shown in presented.items():
            live[f"{doc_type}{DOC_ID_SEPARATOR}{object_id}"] = shown
    return live


def _item(hit: Hit, presented: Presented) -> ResultItem:
    doc_type, object_id = split_id(hit.id)
    return ResultItem(
        doc_type=doc_type,
        object_id=object_id,
        presented=presented,
        title_html=safe_highlight(hit.highlights.get("title"), presented.title),
        snippet_html=safe_highlight(hit.highlights.get("body"), presented.snippet),
        score=hit.score,
    )


def repair_stale(document_ids: list[str]) -> None:
    """Queue the removal of indexed documents the database no longer shows.

    A row already waiting for the same document is enough; a popular stale hit
    must not add a row per page view.
    """
    for document_id in document_ids:
        doc_type, object_id = split_id(document_id)
        pending = OutboxEntry.objects.filter(
            doc_type=doc_type, object_id=object_id, attempts__lt=MAX_ATTEMPTS
        )
        if not pending.exists():
            enqueue(
                doc_type=doc_type,
                object_id=object_id,
                action=OutboxEntry.Action.DELETE,
            )


@dataclass(frozen=True)
class _Label:
    text: str
    depth: int = 0
    order: int = 0


# Facet labels (agency and topic names, the agency tree order) change rarely
# and cost more to load than a whole page of hits, so each process keeps them
# for a while; saving or deleting an agency or topic drops them at once (see
# ``SearchConfig.ready``), and an unknown code reloads them.
LABEL_TTL_SECONDS = 300.0
_labels: dict[str, tuple[float, dict[str, _Label]]] = {}


def forget_labels(**_: Any) -> None:
    """Drop the cached facet labels (connected to agency and topic changes)."""
    _labels.clear()


def _load_agency_labels() -> dict[str, _Label]:
    agencies = tree_order(
        list(
            Agency.objects.only(
                "code", "name", "short_name", "parent", "tree_path", "sort_order"
            )
        )
    )
    return {
        agency.code: _Label(agency.display_name, agency.depth, position)
        for position, agency in enumerate(agencies)
    }


def _load_topic_labels() -> dict[str, _Label]:
    topics = Topic.objects.select_related("parent").order_by("code")
    return {topic.code: _Label(topic.full_name) for topic in topics}


LABEL_LOADERS = {Facet.AGENCY: _load_agency_labels, Facet.TOPIC: _load_topic_labels}


def _facet_labels(facet: Facet, codes: set[str]) -> dict[str, _Label]:
    """Return the labels of ``facet``, reloading when stale or missing a code."""
    now = time.monotonic()
    cached = _labels.get(facet)
    if (
        cached is None
        or now - cached[0] > LABEL_TTL_SECONDS
        or codes - cached[1].keys()
    ):
        cached = _labels[facet] = (now, LABEL_LOADERS[facet]())
    return cached[1]


def _counts_by_value(
    counts: list[tuple[str | int, int]], selected: tuple[Any, ...], key: Callable
) -> dict[Any, int]:
    """Return each value's hit count, a selected value without hits counted 0.

    A selected value stays shown (and can be unticked) even when nothing matches it.
    """
    by_value = {key(value): count for value, count in counts}
    for value in selected:
        by_value.setdefault(value, 0)
    return by_value


def _agency_buckets(
    counts: list[tuple[str | int, int]], selected: tuple[str, ...]
) -> list[FacetBucket]:
    """Return the agencies with hits (and the selected ones) as an indented tree."""
    by_code = _counts_by_value(counts, selected, str)
    labels = _facet_labels(Facet.AGENCY, set(by_code))
    shown = sorted(
        (code for code in by_code if code in labels), key=lambda c: labels[c].order
    )
    top = min((labels[code].depth for code in shown), default=0)
    return [
        FacetBucket(
            value=code,
            label=labels[code].text,
            count=by_code[code],
            selected=code in selected,
            depth=labels[code].depth - top,
        )
        for code in shown
    ]


def _topic_buckets(
    counts: list[tuple[str | int, int]], selected: tuple[str, ...]
) -> list[FacetBucket]:
    by_code = _counts_by_value(counts, selected, str)
    labels = _facet_labels(Facet.TOPIC, set(by_code))
    return [
        FacetBucket(code, labels[code].text, count, code in selected)
        for code, count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))
        if code in labels
    ]


def _year_buckets(
    counts: list[tuple[str | int, int]], selected: tuple[int, ...]
) -> list[FacetBucket]:
    by_year = _counts_by_value(counts, selected, int)
    return [
        FacetBucket(year, str(year), count, year in selected)
        for year, count in sorted(by_year.items(), reverse=True)
    ]


def _facets(
    query: SearchQuery, raw: dict[str, list[tuple[str | int, int]]]
) -> dict[str, list[FacetBucket]]:
    if not raw:
        return {}
    return {
        Facet.AGENCY: _agency_buckets(raw.get(Facet.AGENCY, []), query.agencies),
        Facet.TOPIC: _topic_buckets(raw.get(Facet.TOPIC, []), query.topics),
        Facet.YEAR: _year_buckets(raw.get(Facet.YEAR, []), query.years),
    }


def search_documents(
    query: SearchQuery, *, engine: SearchEngine | None = None
) -> SearchPage:
    """Run ``query`` and return the page of hits that are public now.

    Raise ``SearchEngineError`` when the engine cannot answer; callers show a
    message instead of results.
    """
    started = time.perf_counter()
    result = (engine or get_engine()).search(query)
    live = _live_hits(result.hits)
    items: list[ResultItem] = []
    dropped: list[str] = []
    for hit in result.hits:
        presented = live.get(hit.id)
        if presented is None:
            dropped.append(hit.id)
            continue
        items.append(_item(hit, presented))
    if dropped:
        repair_stale(dropped)
    return SearchPage(
        query=query,
        total=max(result.total - len(dropped), len(items)),
        items=items,
        facets=_facets(query, result.facets),
        type_counts={
            str(value): count for value, count in result.facets.get(Facet.DOC_TYPE, [])
        },
        took_ms=(time.perf_counter() - started) * MS_PER_SECOND,
        engine_ms=result.took_ms,
        dropped=dropped,
    )
