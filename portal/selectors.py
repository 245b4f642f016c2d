"""Viewer-scoped reads of the shared core."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from portal import permissions
from portal.audit import events_for
from portal.calendar import WorkingCalendar, default_calendar
from portal.listing import SortKeys, choice_order
from portal.models import Agency, AuditEvent, CalendarOverride, Membership
from portal.permissions import AnyUser


def tree_order(agencies: list[Agency]) -> list[Agency]:
    """Order agencies depth-first, siblings by their sort order then name."""
    children: dict[int | None, list[Agency]] = {}
    ids = {agency.pk for agency in agencies}
    for agency in agencies:
        parent = agency.parent_id if agency.parent_id in ids else None
        children.setdefault(parent, []).append(agency)
    ordered: list[Agency] = []
    stack = sorted(
        children.get(None, []), key=lambda a: (a.sort_order, a.name), reverse=True
    )
    while stack:
        agency = stack.pop()
        ordered.append(agency)
        stack.extend(
            sorted(
                children.get(agency.pk, []),
                key=lambda a: (a.sort_order, a.name),
                reverse=True,
            )
        )
    return ordered


def agency_tree(user: AnyUser | None) -> list[Agency]:
    """Return the readable agencies depth-first, for lists and pickers."""
    return tree_order(
        list(permissions.readable_agencies_qs(user).select_related("parent"))
    )


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    """Return ``agency`` and every agency below it (public information)."""
    return Agency.objects.filter(tree_path__startswith=agency.tree_path)


# Without a sort key the agencies keep their tree order (parents above children).
AGENCY_SORTS = SortKeys(
    {
        "name": ("name",),
        "code": ("code",),
        "kind": (choice_order("kind", Agency.Kind.values),),
        "members": ("member_count",),
        "status": ("-is_active",),
    },
)


def manageable_agencies(
    user: AnyUser | None, *, sort: str | None = None
) -> list[Agency]:
    """Return the agencies ``user`` manages, with member counts, sorted by ``sort``.

    Without a valid ``sort`` they keep the tree order, parents above children.
    """
    qs = permissions.manageable_agencies_qs(user).annotate(
        member_count=Count("memberships")
    )
    if AGENCY_SORTS.parse(sort):
        return list(AGENCY_SORTS.order(qs, sort))
    return tree_order(list(qs))


def agency_members(user: AnyUser | None, agency: Agency) -> QuerySet[Membership]:
    return permissions.readable_memberships_qs(user).filter(agency=agency)


def history(user: AnyUser | None, obj: object) -> QuerySet[AuditEvent]:
    """Return the audit events about ``obj`` that ``user`` may read."""
    return events_for(obj) & permissions.readable_audit_events_qs(user)


def calendar_overrides(year: int | None = None) -> QuerySet[CalendarOverride]:
    qs = CalendarOverride.objects.select_related("created_by")
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs


def unknown_calendar_years(
    today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> list[int]:
    """Return this year and next year where neither package nor overrides know them."""
    today = today or dt.date.today()
    calendar = calendar or default_calendar()
    return calendar.unknown_years([today.year, today.year + 1])
