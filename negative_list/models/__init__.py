"""Negative lists: legal bases, entries and their versions, published list versions,
interpretation, and periodic review cycles.

An ``Entry`` is the stable identity of one withheld item of one agency; its wording
lives in ``EntryVersion`` rows (an amendment adds a version, old ones stay). A
``ListVersion`` is an immutable snapshot of what the public saw: its
``ListVersionItem`` rows copy the wording and the cited provisions as published, so
later edits to the catalogue never rewrite history.

Models stay thin: every state change goes through ``negative_list.services``.
"""

from negative_list.models.entries import Entry, EntryVersion
from negative_list.models.legal import Exemption, Provision, ProvisionQuerySet
from negative_list.models.lists import (
    SNAPSHOT_IMMUTABLE,
    ImmutableModel,
    ImmutableQuerySet,
    Interpretation,
    ListVersion,
    ListVersionItem,
    SnapshotImmutable,
)
from negative_list.models.reviews import ReviewCycle, ReviewTask

__all__ = [
    "SNAPSHOT_IMMUTABLE",
    "Entry",
    "EntryVersion",
    "Exemption",
    "ImmutableModel",
    "ImmutableQuerySet",
    "Interpretation",
    "ListVersion",
    "ListVersionItem",
    "Provision",
    "ProvisionQuerySet",
    "ReviewCycle",
    "ReviewTask",
    "SnapshotImmutable",
]
