"""The "disclosure" document source for the search app.

Only public disclosures become documents, and only their public projection
(``requests_.projection``): catalogue data, body and attachments' text, the very
texts the personal-data screen read. Nothing of the request or the applicant is
ever read here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import Agency
from requests_ import projection
from requests_.models import Disclosure

# The one spelling of this document type: outbox rows, document ids, the search
# form's ``type`` parameter and the API's ``type`` field all carry it.
DOC_TYPE = "disclosure"
LABEL = _("主动公开信息")
ORDER = 10
BATCH = 200


def _agency_paths(agencies: Iterable[Agency]) -> dict[int, tuple[str, ...]]:
    ids: set[int] = set()
    for agency in agencies:
        ids.update(agency.ancestor_ids())
    codes = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "code"))
    return {
        agency.pk: tuple(codes[pk] for pk in agency.ancestor_ids() if pk in codes)
        for agency in agencies
    }


def _ids(object_ids: Iterable[Any]) -> list[int]:
    result = []
    for value in object_ids:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            continue
    return result


def _document(pk: int, values: dict[str, Any], agency_path: tuple[str, ...]) -> Any:
    """Build the search document of one projection: every field it carries."""
    from search.engines.base import SearchDocument

    texts = [values["body"]] + [a.text for a in values["attachments"]]
    topic = values["topic"]
    return SearchDocument(
        id=f"{DOC_TYPE}:{pk}",
        doc_type=DOC_TYPE,
        title=values["title"],
        body="\n\n".join(t for t in texts if t),
        agency=values["agency"].code,
        agency_path=agency_path,
        topic=topic.code if topic else "",
        published_on=timezone.localtime(values["published_at"]).date(),
        index_no=values["index_no"],
        doc_no=values["doc_no"],
        keywords=values["keywords"],
        summary=values["summary"],
    )


@functools.lru_cache(maxsize=4096)
def _public_url(index_no: str) -> str:
    """Return the public page of a disclosure (cached: reversing costs ~25 µs)."""
    return reverse("requests_:disclosure_public", args=[index_no])


def _present(disclosure: Disclosure) -> Any:
    from search.registry import Presented

    topic = disclosure.topic
    details = [gettext("索引号") + " " + disclosure.index_no]
    if disclosure.doc_no:
        details.append(disclosure.doc_no)
    if topic is not None:
        details.append(topic.name)
    return Presented(
        title=disclosure.title,
        url=_public_url(disclosure.index_no),
        index_no=disclosure.index_no,
        snippet=disclosure.summary,
        agency=disclosure.agency,
        published_at=disclosure.publish_at,
        details=tuple(details),
        api_fields={
            "index_no": disclosure.index_no,
            "doc_no": disclosure.doc_no,
            "topic": ({"code": topic.code, "name": topic.full_name} if topic else None),
        },
    )


class DisclosureDocumentSource:
    """Turn public disclosures into ``SearchDocument``s and present their hits."""

    doc_type = DOC_TYPE
    label = LABEL
    order = ORDER

    def _queryset(self):
        return (
            Disclosure.objects.public()
            .select_related("agency", "topic")
            .prefetch_related("attachments")
            .order_by("pk")
        )

    def _documents(self, disclosures: list[Disclosure]) -> list[Any]:
        paths = _agency_paths({d.agency for d in disclosures})
        documents = []
        for disclosure in disclosures:
            documents.append(
                _document(
                    disclosure.pk,
                    projection.project(disclosure),
                    paths[disclosure.agency_id],
                )
            )
        return documents

    def public_documents(self, object_ids: Iterable[str]) -> list[Any]:
        """Return documents for those of ``object_ids`` that are public now."""
        return self._documents(list(self._queryset().filter(pk__in=_ids(object_ids))))

    def iter_public_documents(self) -> Iterator[Any]:
        """Yield every public disclosure as a document, in batches."""
        last = 0
        while True:
            batch = list(self._queryset().filter(pk__gt=last)[:BATCH])
            if not batch:
                return
            yield from self._documents(batch)
            last = batch[-1].pk

    def public_ids(self) -> Iterator[str]:
        """Yield the document id of every public disclosure (no bodies loaded)."""
        for pk in Disclosure.objects.public().values_list("pk", flat=True).iterator():
            yield f"{DOC_TYPE}:{pk}"

    def public_objects(self, object_ids: Iterable[str]) -> dict[str, Any]:
        """Return {object_id: disclosure} for those public now.

        Hit lists show catalogue data only, so the body and the attachments'
        text are left in the database.
        """
        # Look the page's ids up by key and decide "public now" on those rows: with
        # the status condition in SQL, SQLite (which has no statistics until
        # ANALYZE runs) walked every public row through the status index to find
        # 20 of them (~19 ms at 100,000; bench/RESULTS.md).
        disclosures = (
            Disclosure.objects.filter(pk__in=_ids(object_ids))
            # topic__parent: the API shows the topic's full name (parent included).
            .select_related("agency", "topic", "topic__parent")
            .defer("body")
            .order_by()  # a lookup by key: the model's ordering would only cost
        )
        now = timezone.now()
        return {str(d.pk): d for d in disclosures if d.is_public(now)}

    def present(self, objects: Mapping[str, Disclosure]) -> dict[str, Any]:
        """Return {object_id: Presented} with the catalogue data a hit shows."""
        return {object_id: _present(d) for object_id, d in objects.items()}

    def api_schema(self) -> dict[str, Any]:
        """Describe the API fields of a disclosure hit."""
        from drf_spectacular.utils import inline_serializer

        from rest_framework import serializers

        return {
            "index_no": serializers.CharField(
                required=False, help_text="索引号（信息）"
            ),
            "doc_no": serializers.CharField(required=False, help_text="文号（信息）"),
            "topic": inline_serializer(
                name="ColumnSearchTopic",
                fields={
                    "code": serializers.CharField(),
                    "name": serializers.CharField(),
                },
                required=False,
                allow_null=True,
            ),
        }
