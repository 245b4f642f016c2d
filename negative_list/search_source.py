"""The search app's view of published entries (doc_type "entry").

An entry is public while it is in its agency's current list version; its document
holds the fields of ``negative_list.projection`` only. The
``SearchDocument`` class is imported lazily so this app loads without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from negative_list import selectors
from negative_list.models import ListVersionItem
from negative_list.projection import ITEM_BODY_FIELDS, item_values
from portal.models import Agency

DOC_TYPE = "entry"


def _agency_path(agency: Agency, codes: dict[int, str]) -> tuple[str, ...]:
    return tuple(codes[pk] for pk in agency.ancestor_ids() if pk in codes)


def _document(item: ListVersionItem, codes: dict[int, str]) -> Any:
    from search.engines.base import SearchDocument

    version = item.list_version
    values = item_values(item)
    return SearchDocument(
        id=f"{DOC_TYPE}:{item.entry_id}",
        doc_type=DOC_TYPE,
        title=values["title"],
        body="\n".join(filter(None, [values[name] for name in ITEM_BODY_FIELDS])),
        agency=version.agency.code,
        agency_path=_agency_path(version.agency, codes),
        topic="",
        published_on=version.published_at.date(),
        index_no=values["code"],
        doc_no="",
        keywords=values["category_name"],
        summary=values["scope"][:200],
    )


def _codes() -> dict[int, str]:
    return dict(Agency.objects.values_list("pk", "code"))


def _items(object_ids: Iterable[str] | None = None):
    items = selectors.current_items().select_related("list_version__agency", "entry")
    if object_ids is not None:
        ids = [int(i) for i in object_ids if str(i).isdigit()]
        items = items.filter(entry_id__in=ids)
    return items


class EntryDocumentSource:
    """Published negative-list entries as search documents."""

    doc_type = DOC_TYPE

    def public_documents(self, object_ids: Iterable[str]) -> list[Any]:
        codes = _codes()
        return [_document(item, codes) for item in _items(object_ids)]

    def iter_public_documents(self) -> Iterator[Any]:
        codes = _codes()
        for item in _items().iterator(chunk_size=500):
            yield _document(item, codes)

    def public_ids(self) -> Iterator[str]:
        """Yield the document id of every current published entry."""
        for entry_id in selectors.current_items().values_list("entry_id", flat=True):
            yield f"{DOC_TYPE}:{entry_id}"

    def public_objects(self, object_ids: Iterable[str]) -> dict[str, Any]:
        return {str(item.entry_id): item for item in _items(object_ids)}
