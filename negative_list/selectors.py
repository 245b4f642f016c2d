"""Reads of negative lists. Public reads return only published snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from negative_list import permissions
from negative_list.models import (
    Entry,
    Interpretation,
    ListVersion,
    ListVersionItem,
    Provision,
    ReviewCycle,
    ReviewTask,
)
from portal.listing import SortKeys, choice_order
from portal.models import Agency
from portal.permissions import AnyUser
from portal.selectors import tree_order


def current_list_version(agency: Agency) -> ListVersion | None:
    """Return the agency's newest published list version, or None."""
    return ListVersion.objects.filter(agency=agency).order_by("-number").first()


def published_entries(agency: Agency) -> QuerySet[Entry]:
    """Return the entries in the agency's current published list version.

    Each entry exposes ``category_code`` and ``title`` of its published wording, so
    a withheld reply can cite it and the annual report can count by category.
    """
    version = current_list_version(agency)
    if version is None:
        return Entry.objects.none()
    return (
        Entry.objects.filter(list_items__list_version=version)
        .select_related("agency", "published_version", "latest_version")
        .order_by("list_items__position")
    )


def current_versions() -> QuerySet[ListVersion]:
    """Return each agency's newest list version."""
    newest = (
        ListVersion.objects.filter(agency=OuterRef("agency"))
        .order_by("-number")
        .values("number")[:1]
    )
    return ListVersion.objects.filter(number=Subquery(newest))


def current_items() -> QuerySet[ListVersionItem]:
    """Return the rows of every agency's current published list."""
    return ListVersionItem.objects.filter(list_version__in=current_versions())


# --- Public index --------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedList:
    agency: Agency
    version: ListVersion
    entry_count: int
    last_reviewed: dt.datetime | None


def published_lists() -> list[PublishedList]:
    """Return one row per agency with a published list, in agency-tree order."""
    versions = (
        current_versions()
        .filter(agency__is_active=True)
        .select_related("agency")
        .annotate(entry_count=Count("items"))
    )
    reviewed = dict(
        ListVersion.objects.filter(review_cycle__isnull=False)
        .values("agency_id")
        .annotate(last=Max("published_at"))
        .values_list("agency_id", "last")
    )
    rows = [
        PublishedList(v.agency, v, v.entry_count, reviewed.get(v.agency_id))
        for v in versions
    ]
    order = {a.pk: i for i, a in enumerate(tree_order([r.agency for r in rows]))}
    return sorted(rows, key=lambda r: order[r.agency.pk])


def list_versions(agency: Agency) -> QuerySet[ListVersion]:
    """Return every published version of the agency's list, newest first."""
    return ListVersion.objects.filter(agency=agency).order_by("-number")


def version_items(version: ListVersion) -> QuerySet[ListVersionItem]:
    return version.items.order_by("position")


# --- Workspace -----------------------------------------------------------------------


# Entry codes embed the agency and a serial, so "code" orders as the list does.
ENTRY_SORTS = SortKeys(
    {
        "code": ("agency__tree_path", "serial"),
        "agency": ("agency__tree_path",),
        "category": ("latest_version__category__sort_order",),
        "title": ("latest_version__title",),
        "status": (choice_order("status", Entry.Status.values),),
        "version": ("latest_version__number",),
        "updated": ("updated_at",),
    },
    default="code",
)
REVIEW_QUEUE_SORTS = SortKeys(
    {
        "code": ("agency__tree_path", "serial"),
        "title": ("latest_version__title",),
        "agency": ("agency__tree_path",),
        "category": ("latest_version__category__sort_order",),
        "submitted": ("latest_version__submitted_at",),
    },
    default="submitted",
)


def entries_for(
    user: AnyUser,
    *,
    status: str | None = None,
    agency: Agency | None = None,
    sort: str | None = None,
) -> QuerySet[Entry]:
    """Return the entries ``user`` may read, optionally filtered, sorted by ``sort``."""
    qs = permissions.readable_entries_qs(user).select_related(
        "agency", "latest_version__category"
    )
    if status:
        qs = qs.filter(status=status)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return ENTRY_SORTS.order(qs, sort)


def awaiting_my_review(
    user: AnyUser, *, agency: Agency | None = None, sort: str | None = None
) -> QuerySet[Entry]:
    """Return submitted entries ``user`` may approve (never their own work).

    The longest-waiting submission comes first unless ``sort`` names a column.
    """
    qs = (
        Entry.objects.filter(
            status=Entry.Status.SUBMITTED,
            agency__in=permissions.reviewable_agencies_qs(user),
        )
        .exclude(latest_version__author=user)
        .exclude(latest_version__last_edited_by=user)
        .select_related("agency", "latest_version__category")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    return REVIEW_QUEUE_SORTS.order(qs, sort)


def review_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Return the agencies whose entries ``user`` reviews, for the queue's filter."""
    return permissions.reviewable_agencies_qs(user).order_by("tree_path")


def my_drafts(user: AnyUser) -> QuerySet[Entry]:
    """Return drafts (returned ones first) that ``user`` wrote or last edited."""
    return (
        Entry.objects.filter(status=Entry.Status.DRAFT)
        .filter(Q(latest_version__author=user) | Q(latest_version__last_edited_by=user))
        .filter(agency__in=permissions.draftable_agencies_qs(user))
        .select_related("agency", "latest_version__category")
        .order_by("-latest_version__reviewed_at", "-updated_at")
    )


CYCLE_SORTS = SortKeys(
    {
        "title": ("title",),
        # City-wide cycles (no agency) come last ascending, first descending.
        "scope": ("agency__tree_path",),
        "due": ("due_on",),
        "open": ("open_count",),
        "status": (choice_order("status", ReviewCycle.Status.values),),
        "opened": ("opened_at",),
    },
    default="-opened",
)
TASK_SORTS = SortKeys(
    {
        "entry": ("agency__tree_path", "entry__serial"),
        "agency": ("agency__tree_path",),
        "legality": (choice_order("legality", ["", *ReviewTask.Verdict.values]),),
        "conciseness": (choice_order("conciseness", ["", *ReviewTask.Verdict.values]),),
        "decision": (choice_order("decision", ["", *ReviewTask.Decision.values]),),
        "reviewer": ("reviewer__username",),
    },
    default="entry",
)


def cycles_for(
    user: AnyUser,
    *,
    open_only: bool = False,
    status: str | None = None,
    sort: str | None = None,
) -> QuerySet[ReviewCycle]:
    """Return the review cycles ``user`` may read with their task counts."""
    qs = permissions.readable_review_cycles_qs(user).select_related("agency")
    if open_only:
        qs = qs.filter(status=ReviewCycle.Status.OPEN)
    if status in ReviewCycle.Status.values:
        qs = qs.filter(status=status)
    qs = qs.annotate(
        task_count=Count("tasks"),
        open_count=Count("tasks", filter=Q(tasks__status=ReviewTask.Status.OPEN)),
    )
    return CYCLE_SORTS.order(qs, sort)


def my_open_tasks(user: AnyUser) -> QuerySet[ReviewTask]:
    """Return open tasks of open cycles that ``user`` may record."""
    return (
        ReviewTask.objects.filter(
            status=ReviewTask.Status.OPEN,
            cycle__status=ReviewCycle.Status.OPEN,
            agency__in=permissions.reviewable_agencies_qs(user),
        )
        .exclude(entry_version__author=user)
        .exclude(entry_version__last_edited_by=user)
        .select_related("cycle", "entry", "entry_version", "agency")
        .order_by("cycle__due_on", "agency__tree_path", "entry__serial")
    )


def cycle_tasks(
    user: AnyUser,
    cycle: ReviewCycle,
    *,
    status: str | None = None,
    sort: str | None = None,
) -> QuerySet[ReviewTask]:
    """Return the tasks of ``cycle`` that ``user`` may read, filtered and sorted."""
    qs = (
        permissions.readable_review_tasks_qs(user)
        .filter(cycle=cycle)
        .select_related("entry", "entry_version__category", "agency", "reviewer")
    )
    if status in ReviewTask.Status.values:
        qs = qs.filter(status=status)
    return TASK_SORTS.order(qs, sort)


# The catalogue is public law, read by every staff member; no scoping applies.
PROVISION_SORTS = SortKeys(
    {
        "law": ("law", "article"),
        "article": ("article", "law"),
        # In force first ascending, then the repealed ones by their repeal date.
        "validity": (
            Case(
                When(repealed_on__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "repealed_on",
            "law",
            "article",
        ),
    },
    default="validity",
)


def provision_catalogue(*, sort: str | None = None) -> QuerySet[Provision]:
    """Return the provisions catalogue, in force first, or in the order ``sort``."""
    return PROVISION_SORTS.order(Provision.objects.prefetch_related("exemptions"), sort)


def is_overdue(cycle: ReviewCycle, today: dt.date | None = None) -> bool:
    return cycle.is_overdue(today or timezone.localdate())


def interpretation_draft(agency: Agency) -> Interpretation:
    """Return the agency's working interpretation (unsaved and empty if none yet)."""
    return Interpretation.objects.filter(agency=agency).first() or Interpretation(
        agency=agency
    )
