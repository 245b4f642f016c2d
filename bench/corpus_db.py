"""Write the benchmark corpus (``bench/corpus.py``) into the database.

Shared by ``bench/search.py`` and ``bench/load.py``; the caller has set Django up
and holds the transaction.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bench import corpus
from portal.models import Agency, Topic
from requests_.models import Disclosure, DisclosureSource, DisclosureStatus

BATCH = 5000


def create_agencies() -> dict[str, Agency]:
    """Create the corpus's agency tree; return the agencies by code."""
    by_code: dict[str, Agency] = {}
    for spec in corpus.agencies():
        parent = by_code.get(spec.parent) if spec.parent else None
        agency = Agency.objects.create(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            parent=parent,
            tree_path="/",
        )
        agency.tree_path = f"{parent.tree_path if parent else '/'}{agency.pk}/"
        agency.save(update_fields=["tree_path"])
        by_code[spec.code] = agency
    return by_code


def save_disclosures(size: int, agencies: dict[str, Agency]) -> None:
    """Bulk-create the corpus's first ``size`` disclosures, all published."""
    topics = list(Topic.objects.filter(parent__isnull=False).order_by("code"))
    batch: list[Disclosure] = []
    for spec in corpus.disclosures(size):
        publish_at = timezone.make_aware(
            dt.datetime.combine(spec.published_on, dt.time(9, 0))
        )
        batch.append(
            Disclosure(
                agency=agencies[spec.agency],
                index_no=f"{spec.agency}/{spec.published_on.year}-{spec.serial:06d}",
                title=spec.title,
                body=spec.body,
                doc_no=spec.doc_no,
                keywords=spec.keywords,
                topic=topics[spec.topic_index % len(topics)],
                source=DisclosureSource.IMPORT,
                status=DisclosureStatus.PUBLISHED,
                approved_at=publish_at,
                publish_at=publish_at,
            )
        )
        if len(batch) == BATCH:
            Disclosure.objects.bulk_create(batch)
            batch = []
    Disclosure.objects.bulk_create(batch)
