"""The search app's view of published entries (doc_type "entry").

An entry is public while it is in its agency's current list version; its document
holds the fields of ``negative_list.projection`` only. The
``SearchDocument`` class is imported lazily so this app loads without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from negative_list import selectors
from negative_list.models import ListVersionItem
from negative_list.projection import ITEM_BODY_FIELDS, item_values
from portal.models import Agency

# The one spelling of this document type: outbox rows, document ids, the search
# form's ``type`` parameter and the API's ``type`` field all carry it.
DOC_TYPE = "entry"
LABEL = _("负面清单事项")
ORDER = 20


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


def _present(item: ListVersionItem) -> Any:
    from search.registry import Presented

    return Presented(
        title=item.title,
        url=item.get_absolute_url(),
        index_no=item.entry.code,
        snippet=item.scope,
        agency=item.list_version.agency,
        published_at=item.list_version.published_at,
        details=(gettext("负面清单事项") + " " + item.entry.code, item.category_name),
        api_fields={
            "code": item.entry.code,
            "category": item.category_name,
            "scope": item.scope,
        },
    )


class EntryDocumentSource:
    """Published negative-list entries as search documents, and their hits."""

    doc_type = DOC_TYPE
    label = LABEL
    order = ORDER

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

    def present(self, objects: Mapping[str, ListVersionItem]) -> dict[str, Any]:
        """Return {object_id: Presented}: the row on the agency's list page."""
        return {object_id: _present(item) for object_id, item in objects.items()}

    def api_schema(self) -> dict[str, Any]:
        """Describe the API fields of an entry hit."""
        from rest_framework import serializers

        return {
            "code": serializers.CharField(
                required=False, help_text="事项编号（清单事项）"
            ),
            "category": serializers.CharField(
                required=False, help_text="类别（清单事项）"
            ),
            "scope": serializers.CharField(
                required=False, help_text="具体范围（清单事项）"
            ),
        }
