"""How an entry is used, as seen from the negative-list pages.

The evidence of use (the refusals citing an entry, the reviews and lawsuits on
them) lives in the requests app, and the arrows point one way: the requests app
reads this app, never the reverse. So this module is the extension point: the
requests app registers a section for the review task page, one for the review
cycle page and a counter of citations for the public list page, in its
``AppConfig.ready()``; the pages here render whatever is registered and show
nothing when nothing is.

The near-duplicate groups across agencies are this app's own data, grouped with
the lint's similarity (``similarity.tokens``/``jaccard`` at the lint's threshold)
so the lint's warning and the coordinator's groups agree on what "near" means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from negative_list import similarity
from negative_list.lint import NEAR_DUPLICATE_THRESHOLD
from negative_list.models import Entry
from portal.extensions import ObjectSection

TASK_SECTIONS: dict[str, ObjectSection] = {}
CYCLE_SECTIONS: dict[str, ObjectSection] = {}
# Count, per entry id, the refusals that cited the entry in a calendar year.
CitationCounter = Callable[[Iterable[int], int], dict[int, int]]
_COUNTERS: dict[str, CitationCounter] = {}


def register_task_section(section: ObjectSection) -> None:
    TASK_SECTIONS[section.key] = section


def register_cycle_section(section: ObjectSection) -> None:
    CYCLE_SECTIONS[section.key] = section


def register_citation_counter(key: str, counter: CitationCounter) -> None:
    _COUNTERS[key] = counter


def citations(entry_ids: Iterable[int], year: int) -> dict[int, int] | None:
    """Return how often each entry was cited in ``year``; None when nobody counts.

    Aggregate only: a count per entry, never a request.
    """
    if not _COUNTERS:
        return None
    ids = list(entry_ids)
    totals = dict.fromkeys(ids, 0)
    for counter in _COUNTERS.values():
        for entry_id, count in counter(ids, year).items():
            totals[entry_id] = totals.get(entry_id, 0) + count
    return totals


# --- Near duplicates across agencies ---------------------------------------------


@dataclass(frozen=True)
class DuplicateGroup:
    """Published entries of two or more agencies worded nearly alike."""

    entries: tuple[Entry, ...]
    score: float  # the lowest similarity that joined the group

    @property
    def agency_count(self) -> int:
        return len({entry.agency_id for entry in self.entries})


def published_entries_qs() -> QuerySet[Entry]:
    """Return every published entry with its published wording, list order."""
    return (
        Entry.objects.filter(
            status=Entry.Status.PUBLISHED, published_version__isnull=False
        )
        .select_related("agency", "published_version__category")
        .order_by("agency__tree_path", "serial")
    )


def near_duplicate_groups(entries: Iterable[Entry]) -> list[DuplicateGroup]:
    """Group entries of different agencies whose wording the lint calls near.

    Two entries join when their similarity reaches the lint's threshold; groups
    are the connected sets (so A~B and B~C make one group), each holding two
    agencies at least, ordered by their first entry.
    """
    rows = [
        (
            e,
            similarity.tokens(
                f"{e.published_version.title} {e.published_version.scope}"
            ),
        )
        for e in entries
    ]
    parent = list(range(len(rows)))
    lowest: dict[int, float] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (left, left_tokens) in enumerate(rows):
        for j in range(i + 1, len(rows)):
            right, right_tokens = rows[j]
            if left.agency_id == right.agency_id:
                continue
            score = similarity.jaccard(left_tokens, right_tokens)
            if score >= NEAR_DUPLICATE_THRESHOLD:
                a, b = root(i), root(j)
                low = min(score, lowest.get(a, 1.0), lowest.get(b, 1.0))
                parent[b] = a
                lowest[a] = low
    members: dict[int, list[Entry]] = {}
    for i, (entry, _tokens) in enumerate(rows):
        members.setdefault(root(i), []).append(entry)
    groups = [
        DuplicateGroup(tuple(group), round(lowest[key], 2))
        for key, group in members.items()
        if len(group) > 1
    ]
    return [group for group in groups if group.agency_count > 1]
