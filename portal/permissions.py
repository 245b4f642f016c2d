"""Who may do what: predicates for single objects, scopers for querysets.

A membership grants its role at an agency and every agency below it (a city-wide
coordinator sits at the city). Superusers may do everything. Answers are computed
from rows on every call and never cached across requests, so a revoked role takes
effect at once. Other apps build their own predicates from ``has_role`` and
``agencies_with_role``: the same rule evaluated on one agency and as a queryset,
so a predicate and the scoper named with the same roles cannot disagree.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from portal.models import Agency, AuditEvent, Membership, Role

AnyUser = User | AnonymousUser

STAFF_ROLES = (Role.EDITOR, Role.REVIEWER, Role.COORDINATOR)


def _is_signed_in(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _role_paths(user: AnyUser, roles: tuple[str, ...]) -> list[str]:
    return list(
        Membership.objects.filter(
            user=user, role__in=roles, agency__is_active=True
        ).values_list("agency__tree_path", flat=True)
    )


def agencies_with_role(user: AnyUser | None, *roles: str) -> QuerySet[Agency]:
    """Return the agencies where ``user`` holds any of ``roles`` (subtrees included)."""
    if not _is_signed_in(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    paths = _role_paths(user, roles or STAFF_ROLES)
    if not paths:
        return Agency.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(tree_path__startswith=path)
    return Agency.objects.filter(condition)


def has_role(user: AnyUser | None, agency: Agency | None, *roles: str) -> bool:
    """Return True when ``user`` holds one of ``roles`` at ``agency`` or above it."""
    if not _is_signed_in(user) or agency is None:
        return False
    if user.is_superuser:
        return True
    return any(
        agency.tree_path.startswith(path)
        for path in _role_paths(user, roles or STAFF_ROLES)
    )


def is_staff_member(user: AnyUser | None) -> bool:
    """Return True for anyone who works in the portal (any role, or superuser)."""
    if not _is_signed_in(user):
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def is_coordinator(user: AnyUser | None) -> bool:
    """Return True for a coordinator anywhere, or a superuser."""
    if not _is_signed_in(user):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()
    )


def is_city_coordinator(user: AnyUser | None) -> bool:
    """Return True for a coordinator at a root agency (city-wide), or a superuser."""
    if not _is_signed_in(user):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, role=Role.COORDINATOR, agency__parent__isnull=True
        ).exists()
    )


# --- Agencies ------------------------------------------------------------------------


def staff_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies where ``user`` works (any role, subtrees included)."""
    return agencies_with_role(user)


def can_work_at_agency(user: AnyUser | None, agency: Agency) -> bool:
    """Return True when ``user`` holds any role at ``agency`` or above it: they see
    its staff page, its members and its trail."""
    return has_role(user, agency)


def can_manage_agency(user: AnyUser | None, agency: Agency) -> bool:
    """Coordinators manage the agencies in their subtree."""
    return has_role(user, agency, Role.COORDINATOR)


def can_create_agency(user: AnyUser | None, parent: Agency | None) -> bool:
    """A root agency needs a superuser; a child needs a coordinator of its parent."""
    if parent is None:
        return _is_signed_in(user) and user.is_superuser
    return can_manage_agency(user, parent)


def can_import_agencies(user: AnyUser | None) -> bool:
    """Coordinators load agencies from a spreadsheet (each row is checked again:
    only agencies in their subtree change)."""
    return is_coordinator(user)


def can_import_staff(user: AnyUser | None) -> bool:
    """Coordinators load staff and roles from a spreadsheet (rows of their
    subtree only)."""
    return is_coordinator(user)


def can_manage_user(user: AnyUser | None, person: User) -> bool:
    """Change a person's name or e-mail: a superuser, or a coordinator of every
    agency where the person holds a role (not a stranger, not someone above)."""
    if not _is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    agencies = [m.agency for m in person.memberships.select_related("agency")]
    if not agencies:
        return is_coordinator(user)
    return all(can_manage_agency(user, agency) for agency in agencies)


def manageable_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, Role.COORDINATOR)


def readable_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Agencies are public; inactive ones only for those who manage them."""
    return Agency.objects.filter(
        Q(is_active=True) | Q(pk__in=manageable_agencies_qs(user).values("pk"))
    )


# --- Memberships ---------------------------------------------------------------------


def can_manage_membership(user: AnyUser | None, membership: Membership) -> bool:
    """Coordinators grant and revoke roles in their subtree, but not their own."""
    if _is_signed_in(user) and membership.user_id == user.pk and not user.is_superuser:
        return False
    return can_manage_agency(user, membership.agency)


def readable_memberships_qs(user: AnyUser | None) -> QuerySet[Membership]:
    if not _is_signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(
        Q(user=user) | Q(agency__in=manageable_agencies_qs(user))
    ).select_related("user", "agency")


# --- Audit trail ---------------------------------------------------------------------


def readable_audit_events_qs(user: AnyUser | None) -> QuerySet[AuditEvent]:
    """Staff read the trail of their agencies; city-wide events need a coordinator."""
    if not _is_signed_in(user):
        return AuditEvent.objects.none()
    if user.is_superuser:
        return AuditEvent.objects.all()
    condition = Q(agency__in=staff_agencies_qs(user))
    if is_coordinator(user):
        condition |= Q(agency__isnull=True)
    return AuditEvent.objects.filter(condition)


# --- Calendar ------------------------------------------------------------------------


def can_manage_calendar(user: AnyUser | None) -> bool:
    """Only a city-wide coordinator rules on working days for everyone."""
    return is_city_coordinator(user)
