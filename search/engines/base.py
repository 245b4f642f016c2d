"""The contract every search engine fulfils, in plain dataclasses.

Engines never see Django models: a registered document source
(``search.registry``) turns the things an app publishes into
``SearchDocument``s, and the hits are re-read through it from the database,
which decides visibility.  A document type is just a name here; the source that
registers it owns it.  Both engines share the analysis chain
(``search.analysis``) and the highlighter, so the same query gives the same
matches, filters, facets, order and highlights whichever engine runs.

Semantics both engines implement (and ``tests/engines`` checks):

* Text: every query group must match (AND); a group is a word and its
  synonyms (OR).  A query with nothing searchable in it (empty, only
  punctuation) matches every document that passes the filters, newest first,
  with score 0.
* Filters: values within one filter are alternatives (OR); different filters
  all apply (AND).  ``agencies`` matches a document whose agency *or any
  ancestor* is selected, so choosing a district finds its sub-units.
* Facets (``SearchQuery.facets``): counts for agency, topic, year and
  doc_type; each facet's counts apply the text and every *other* filter but
  not its own, so a multi-select list shows what ticking another box adds.
  The agency facet counts on the agency path: a district's count includes its
  sub-units, exactly the number selecting it would return.  Buckets are
  ordered by count, then value; documents without a topic are not counted.
* Order: relevance (score, then newest, then id), newest (date, then id, both
  descending) or oldest (both ascending).  Ids break ties so paging is stable.
* Highlights: ``title`` (whole title) and ``body`` (a snippet around the best
  match, or the opening when nothing matched), HTML-escaped, with ``<mark>``
  around matched terms only.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Filter values per filter; a multi-select list never needs more, and the
# bound keeps SQL parameter lists and Elasticsearch clauses small.
MAX_FILTER_VALUES = 200
# Buckets per facet: enough for every agency of a province-level city.
FACET_LIMIT = 1000
DOC_ID_SEPARATOR = ":"

INVALID_PAGE = "page must be 1 or more"
INVALID_SIZE = f"size must be between 1 and {MAX_PAGE_SIZE}"
TOO_MANY_FILTER_VALUES = f"at most {MAX_FILTER_VALUES} values per filter"
INVALID_DOCUMENT_ID = "document id must look like '<doc_type>:<key>'"
INVALID_DATE = "published_on must be a date"
INVALID_DOC_TYPE = "a document type is a lower-case name of at most 32 characters"
# A document type names a field value in both engines and the prefix of every
# document id, so it is a short plain name without the id separator.
DOC_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def doc_type_name(value: object) -> str:
    """Return ``value`` as a document type name, or raise ``ValueError``."""
    name = str(value)
    if not DOC_TYPE_RE.match(name):
        raise ValueError(INVALID_DOC_TYPE)
    return name


class Sort(StrEnum):
    """Result orders."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


class Facet(StrEnum):
    """Facet names, also the keys of ``SearchResult.facets``."""

    AGENCY = "agency"
    TOPIC = "topic"
    YEAR = "year"
    DOC_TYPE = "doc_type"


class SearchEngineError(Exception):
    """Raise when the engine cannot serve a request (down, locked, corrupt).

    Callers catch this one type: the outbox keeps the row and retries, the
    public search shows a clear message.
    """

    code = "search_unavailable"


@dataclass(frozen=True)
class SearchDocument:
    """One searchable thing of a registered document type."""

    id: str
    doc_type: str
    title: str
    body: str
    agency: str
    agency_path: tuple[str, ...]
    topic: str
    published_on: dt.date
    index_no: str = ""
    doc_no: str = ""
    keywords: str = ""
    summary: str = ""

    def __post_init__(self) -> None:
        """Coerce the tuple field and reject what no engine could store."""
        object.__setattr__(self, "doc_type", doc_type_name(self.doc_type))
        object.__setattr__(self, "agency_path", tuple(self.agency_path))
        prefix, separator, key = self.id.partition(DOC_ID_SEPARATOR)
        if not separator or not prefix or not key:
            raise ValueError(INVALID_DOCUMENT_ID)
        if not isinstance(self.published_on, dt.date):
            raise ValueError(INVALID_DATE)
        if isinstance(self.published_on, dt.datetime):
            object.__setattr__(self, "published_on", self.published_on.date())

    @property
    def year(self) -> int:
        """Return the publication year (the year facet and filter)."""
        return self.published_on.year

    @property
    def agency_codes(self) -> tuple[str, ...]:
        """Return the agency and its ancestors, each once, for filters and facets.

        The agency itself is included even if the caller left it out of the
        path, so filtering on an agency always finds its own documents.
        """
        codes = dict.fromkeys(code for code in (*self.agency_path, self.agency) if code)
        return tuple(codes)


def _as_tuple(values: Iterable[object]) -> tuple[object, ...]:
    result = tuple(values)
    if len(result) > MAX_FILTER_VALUES:
        raise ValueError(TOO_MANY_FILTER_VALUES)
    return result


@dataclass(frozen=True)
class SearchQuery:
    """What a visitor asked for: text, filters, order, page and facets."""

    text: str = ""
    agencies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    doc_types: tuple[str, ...] = ()
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    facets: bool = False

    def __post_init__(self) -> None:
        """Coerce lists to tuples and strings to enums; reject bad paging."""
        object.__setattr__(self, "agencies", _as_tuple(self.agencies))
        object.__setattr__(self, "topics", _as_tuple(self.topics))
        object.__setattr__(self, "years", _as_tuple(int(y) for y in self.years))
        object.__setattr__(
            self, "doc_types", _as_tuple(doc_type_name(t) for t in self.doc_types)
        )
        object.__setattr__(self, "sort", Sort(self.sort))
        if self.page < 1:
            raise ValueError(INVALID_PAGE)
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise ValueError(INVALID_SIZE)

    @property
    def offset(self) -> int:
        """Return how many hits precede this page."""
        return (self.page - 1) * self.size


@dataclass(frozen=True)
class Hit:
    """One result: the document id, its score and highlighted HTML."""

    id: str
    score: float
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total, the facet counts and the engine time."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str | int, int]]]
    took_ms: float


ProgressCallback = Callable[[int], None]


class SearchEngine(ABC):
    """Index and search ``SearchDocument``s; see the module docstring."""

    name: ClassVar[str]

    @abstractmethod
    def index(self, docs: Iterable[SearchDocument], *, refresh: bool = True) -> int:
        """Add or replace documents by id; return how many were written.

        With ``refresh`` they are searchable when this returns; bulk loaders
        may pass ``False`` and rely on the engine's own refresh cycle.
        """

    @abstractmethod
    def delete(self, ids: Iterable[str], *, refresh: bool = True) -> None:
        """Remove documents by id; unknown ids are ignored."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Return one page of hits with highlights and, if asked, facets."""

    @abstractmethod
    def count(self) -> int:
        """Return how many documents are indexed."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @abstractmethod
    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Build a new index from ``docs`` and swap it in atomically.

        Searches keep answering from the old index until the swap.  Changes
        indexed through ``index``/``delete`` while a rebuild runs land in the
        old index and are lost with it, so a caller must replay them (the
        outbox does) after the rebuild.  ``progress`` receives the running
        count of documents written.  Return the number of documents indexed.
        """

    @abstractmethod
    def all_ids(self) -> Iterator[str]:
        """Yield every indexed document id, for reconciliation."""

    @abstractmethod
    def ping(self) -> bool:
        """Return whether the engine can answer queries now; never raise."""

    def close(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Release connections held by this engine."""
