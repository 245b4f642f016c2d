"""Who may do what with negative lists: predicates for objects, scopers for querysets.

Published list versions are public. Entries, their drafts and review tasks are
read by staff of the entry's agency (and the agencies above it). Editors draft,
reviewers approve and review, reviewers or coordinators publish, coordinators run
review cycles and keep the provisions catalogue.
"""

from __future__ import annotations

from django.db.models import QuerySet

from negative_list.models import (
    Entry,
    EntryVersion,
    ListVersion,
    ReviewCycle,
    ReviewTask,
)
from portal import audit
from portal.models import Agency, Role
from portal.permissions import (
    AnyUser,
    agencies_with_role,
    has_role,
    is_city_coordinator,
    is_coordinator,
    staff_agencies_qs,
)

# Each action's roles are named once and read by both its predicate (one object)
# and its scoper (the agencies where the action is open), so a button offered on a
# list and the service's refusal cannot disagree.
DRAFT_ROLES = (Role.EDITOR,)
REVIEW_ROLES = (Role.REVIEWER,)
PUBLISH_ROLES = (Role.REVIEWER, Role.COORDINATOR)
INTERPRETATION_ROLES = (Role.EDITOR, Role.REVIEWER, Role.COORDINATOR)
CYCLE_ROLES = (Role.COORDINATOR,)

# --- Entries -------------------------------------------------------------------------


def readable_entries_qs(user: AnyUser | None) -> QuerySet[Entry]:
    """Return the entries of the agencies where ``user`` works (any role)."""
    return Entry.objects.filter(agency__in=staff_agencies_qs(user))


def can_export_entries(user: AnyUser | None, agency: Agency) -> bool:
    """Staff of the agency (any role) export its working list, every state."""
    return has_role(user, agency)


def draftable_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, *DRAFT_ROLES)


def can_draft_entries(user: AnyUser | None, agency: Agency) -> bool:
    """Editors draft, edit, submit and amend the entries of their agencies."""
    return has_role(user, agency, *DRAFT_ROLES)


def can_edit_entry(user: AnyUser | None, entry: Entry) -> bool:
    """Edit, submit or amend ``entry``: an editor of its agency."""
    return can_draft_entries(user, entry.agency)


def reviewable_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, *REVIEW_ROLES)


def can_review_entry(user: AnyUser | None, entry: Entry) -> bool:
    """Approve or return ``entry``: a reviewer of its agency (four eyes is the
    service's guard, read from the record of who took part)."""
    return has_role(user, entry.agency, *REVIEW_ROLES)


def can_publish_entry(user: AnyUser | None, entry: Entry) -> bool:
    """Publish or retire ``entry`` in a list version of its agency."""
    return can_publish_list(user, entry.agency)


# The entry's events that record a reviewer's or publisher's decision about the
# wording, not a change of it. Every other verb (create, import, update, submit,
# amend, and any added later) makes its actor a participant.
ENTRY_DECISION_VERBS = frozenset(
    {
        "negative_list.entry.approve",
        "negative_list.entry.return",
        "negative_list.entry.publish",
        "negative_list.entry.retire",
    }
)


def entry_participants(entry: Entry) -> set[int]:
    """Return the ids of everyone who drafted, edited, submitted or amended ``entry``.

    Read from every version's author columns and from the entry's audit trail, so
    a colleague's later edit cannot launder an earlier one: four eyes refuses the
    whole set, not only the author and the last editor of the latest version.
    """
    ids: set[int] = set()
    if entry.created_by_id is not None:
        ids.add(entry.created_by_id)
    for author_id, editor_id in EntryVersion.objects.filter(entry=entry).values_list(
        "author_id", "last_edited_by_id"
    ):
        ids.update(pk for pk in (author_id, editor_id) if pk is not None)
    return ids | audit.actor_ids(entry, excluding=ENTRY_DECISION_VERBS)


def took_part_in_entry(user: AnyUser | None, entry: Entry) -> bool:
    """Return True when ``user`` drafted or edited any version of ``entry``."""
    pk = getattr(user, "pk", None)
    return pk is not None and pk in entry_participants(entry)


def is_own_work(user: AnyUser | None, version: EntryVersion) -> bool:
    """Return True when ``user`` took part in any version of ``version``'s entry."""
    return took_part_in_entry(user, version.entry)


# --- List versions -------------------------------------------------------------------


def readable_list_versions_qs(user: AnyUser | None) -> QuerySet[ListVersion]:
    """Every list version is a published snapshot, so everyone reads them."""
    return ListVersion.objects.all()


def publishable_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, *PUBLISH_ROLES)


def can_publish_list(user: AnyUser | None, agency: Agency) -> bool:
    """Reviewers and coordinators of the agency publish its list."""
    return has_role(user, agency, *PUBLISH_ROLES)


def interpretation_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, *INTERPRETATION_ROLES)


def can_edit_interpretation(user: AnyUser | None, agency: Agency) -> bool:
    return has_role(user, agency, *INTERPRETATION_ROLES)


def can_import_entries(user: AnyUser | None, agency: Agency) -> bool:
    return can_draft_entries(user, agency)


# --- Provisions catalogue ------------------------------------------------------------


def can_manage_provisions(user: AnyUser | None) -> bool:
    """The disclosure office (coordinators) keeps the catalogue of cited provisions."""
    return is_coordinator(user)


# --- Review cycles and tasks ---------------------------------------------------------


def cycle_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies for which ``user`` opens a review cycle."""
    return agencies_with_role(user, *CYCLE_ROLES)


def can_open_review_cycle(user: AnyUser | None, agency: Agency | None) -> bool:
    """A coordinator of the agency opens its cycle; one for all needs city-wide."""
    if agency is None:
        return is_city_coordinator(user)
    return has_role(user, agency, *CYCLE_ROLES)


def can_close_review_cycle(user: AnyUser | None, cycle: ReviewCycle) -> bool:
    """Whoever may open a cycle of its scope closes it."""
    return can_open_review_cycle(user, cycle.agency)


def readable_review_cycles_qs(user: AnyUser | None) -> QuerySet[ReviewCycle]:
    """Staff see the cycles of their agencies and the city-wide ones."""
    agencies = staff_agencies_qs(user)
    if not agencies.exists():
        return ReviewCycle.objects.none()
    return ReviewCycle.objects.filter(agency__isnull=True) | ReviewCycle.objects.filter(
        agency__in=agencies
    )


def readable_review_tasks_qs(user: AnyUser | None) -> QuerySet[ReviewTask]:
    return ReviewTask.objects.filter(agency__in=staff_agencies_qs(user))


def can_record_review_task(user: AnyUser | None, task: ReviewTask) -> bool:
    return has_role(user, task.agency, *REVIEW_ROLES)
