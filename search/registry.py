"""Document sources: how the search app learns about things it must not import.

The apps that publish (disclosures, negative-list entries) register one source per
document type in their ``AppConfig.ready()``. A source owns everything particular
to its type: the type's name and label, the documents it indexes, the re-read that
decides what is public *now* (the database decides visibility), and how a hit is
presented (``Presented``). The search app's pages, API and feed read only this
registry and that dataclass, so they run unchanged with any set of sources, or
none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from search.engines.base import SearchDocument

if TYPE_CHECKING:
    from portal.models import Agency


@dataclass(frozen=True)
class Presented:
    """What a hit list, the feed and the API show of one public object."""

    title: str
    url: str
    # The number a reader cites: a disclosure's index number, an entry's code.
    index_no: str
    # Plain text shown under the title when the engine highlighted nothing.
    snippet: str
    agency: Agency
    published_at: dt.datetime
    # Further catalogue facts for the result line, already labelled, in order.
    details: tuple[str, ...] = ()
    # The type's own fields in an API result, beside the common ones.
    api_fields: Mapping[str, Any] = field(default_factory=dict)


class DocumentSource(Protocol):
    """What an app provides for one document type."""

    doc_type: str
    # The tab and facet label of the type (a lazy translation).
    label: str
    # Tabs are shown in this order; the first is the search's default type.
    order: int

    def public_documents(self, object_ids: Iterable[str]) -> list[SearchDocument]:
        """Return documents for those of ``object_ids`` that are public now."""

    def iter_public_documents(self) -> Iterator[SearchDocument]:
        """Yield every public document, for rebuilds and reconciliation."""

    def public_objects(self, object_ids: Iterable[str]) -> dict[str, Any]:
        """Return {object_id: object} for those public now, to render hits."""

    def public_ids(self) -> Iterable[str]:
        """Return the document ids of everything public now, without the bodies.

        Reconciliation (``search_check``, and ``search_rebuild``'s catch-up) only
        compares ids, so building every document for it would be wasted work.
        """

    def present(self, objects: Mapping[str, Any]) -> dict[str, Presented]:
        """Return {object_id: Presented} for objects ``public_objects`` returned."""

    def api_schema(self) -> dict[str, Any]:
        """Return the serializer fields describing ``Presented.api_fields``.

        Declare them ``required=False``: a result of another type lacks them.
        """


_SOURCES: dict[str, DocumentSource] = {}


def register_source(source: DocumentSource) -> None:
    """Register ``source`` for its doc_type (called in ``AppConfig.ready()``)."""
    _SOURCES[source.doc_type] = source


def get_source(doc_type: str) -> DocumentSource:
    """Return the source of ``doc_type``; raise ``KeyError`` for an unknown one."""
    return _SOURCES[doc_type]


def sources() -> list[DocumentSource]:
    """Return every registered source, in tab order."""
    return sorted(_SOURCES.values(), key=lambda source: source.order)


def doc_types() -> list[str]:
    """Return the registered document types, in tab order."""
    return [source.doc_type for source in sources()]


def default_doc_type() -> str:
    """Return the type searched when none is asked for ("" with no source)."""
    ordered = sources()
    return ordered[0].doc_type if ordered else ""
