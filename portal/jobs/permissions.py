"""Who may see a job: its creator and the staff of its agency.

A job with no agency (a city-wide export) is seen by its creator and city-wide
coordinators. A kind may narrow its audience further (the search rebuild:
coordinators and superusers only), which also binds the creator.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal.jobs.registry import get_kind, job_kinds
from portal.models import Job
from portal.permissions import (
    AnyUser,
    agencies_with_role,
    is_city_coordinator,
    is_staff_member,
)


def _signed_in(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _in_audience(user: AnyUser, kind_key: str) -> bool:
    kind = get_kind(kind_key)
    return kind is None or kind.audience is None or kind.audience(user)


def readable_jobs_qs(user: AnyUser | None) -> QuerySet[Job]:
    """Return the jobs ``user`` may see and whose result they may download.

    The job page and its download fetch through this scoper, so there is no
    second, per-object copy of the rule.
    """
    if not _signed_in(user):
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    if not is_staff_member(user):
        return Job.objects.none()
    condition = Q(created_by=user) | Q(agency__in=agencies_with_role(user))
    if is_city_coordinator(user):
        condition |= Q(agency__isnull=True)
    hidden = [kind.key for kind in job_kinds() if not _in_audience(user, kind.key)]
    return Job.objects.filter(condition).exclude(kind__in=hidden)


def startable_kinds(user: AnyUser | None) -> list:
    """Return the kinds ``user`` may start from the jobs page (no input needed)."""
    if not _signed_in(user):
        return []
    return [
        kind
        for kind in job_kinds()
        if kind.can_start is not None and kind.can_start(user)
    ]
