"""Document sources: how the search app learns about things it must not import.

The apps that publish (disclosures, negative-list entries) register one source per
document type in their ``AppConfig.ready()``. The search app asks a source for the
documents that are public *now*; the database decides visibility.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from search.engines.base import SearchDocument


class DocumentSource(Protocol):
    """What an app provides for one document type."""

    doc_type: str

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


_SOURCES: dict[str, DocumentSource] = {}


def register_source(source: DocumentSource) -> None:
    """Register ``source`` for its doc_type (called in ``AppConfig.ready()``)."""
    _SOURCES[source.doc_type] = source


def get_source(doc_type: str) -> DocumentSource:
    """Return the source of ``doc_type``; raise ``KeyError`` for an unknown one."""
    return _SOURCES[doc_type]


def sources() -> list[DocumentSource]:
    """Return every registered source."""
    return list(_SOURCES.values())
