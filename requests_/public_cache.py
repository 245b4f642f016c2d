"""The disclosure column's public pages in the shared page cache (portal.httpcache)."""

from __future__ import annotations

import datetime as dt

from portal import httpcache


def next_scheduled(now: dt.datetime) -> dt.datetime | None:
    """When the next approved disclosure scheduled for later becomes public."""
    from django.db.models import Min

    from requests_.models import Disclosure, DisclosureStatus

    return Disclosure.objects.filter(
        status=DisclosureStatus.PUBLISHED, publish_at__gt=now
    ).aggregate(first=Min("publish_at"))["first"]


def register() -> None:
    httpcache.register_public(
        "requests_:disclosure_public",
        "requests_:feed_column",
        "requests_:feed_agency",
        "requests_:feed_topic",
    )
    httpcache.register_public("requests_:api_disclosure_public", api=True)
    # Every step of a disclosure: a published one's edits, approval, withdrawal.
    httpcache.register_public_verbs("disclosure.")
    httpcache.register_schedule("disclosures", next_scheduled)
