"""Who may do what with requests and disclosures: predicates and scopers.

Built from ``portal.permissions``. A role at an agency covers the agencies below
it. Each action's roles are named once and read by both its predicate (one
object) and its scoper (where the action is open); a read predicate asks its
scoper, so the two cannot disagree.

Applicant identity is narrower than the request: only the handling agency's own
editors and reviewers read it in full; city-wide roles and superusers oversee
deadlines and outcomes with it masked. Four eyes reads who took part in a
disclosure from its audit trail (``disclosure_participants``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal import audit
from portal.models import Agency, Membership, Role
from portal.permissions import (
    AnyUser,
    agencies_with_role,
    has_role,
    is_city_coordinator,
    staff_agencies_qs,
)
from requests_.models import Disclosure, DisclosureRequest

HANDLING_ROLES = (Role.EDITOR,)
IDENTITY_ROLES = (Role.EDITOR, Role.REVIEWER)
# Approving an extension belongs to the head of the handling agency's own
# disclosure office (第三十三条): here a reviewer of that agency, never the handler
# (the service checks that) and never a city-wide role.
EXTENSION_ROLES = (Role.REVIEWER,)
APPROVAL_ROLES = (Role.REVIEWER,)
# Waiving a fee is the agency's decision, taken by its own reviewer.
FEE_WAIVER_ROLES = (Role.REVIEWER,)
WITHDRAWAL_ROLES = (Role.REVIEWER, Role.COORDINATOR)
# An import publishes rows that were published before, on an old site, with no
# second pair of eyes here: that is a migration, not an editor's everyday work,
# so it is kept to the role that answers for the whole column.
IMPORT_ROLES = (Role.COORDINATOR,)


# --- Requests ------------------------------------------------------------------------


def readable_requests_qs(user: AnyUser | None) -> QuerySet[DisclosureRequest]:
    """Return the requests of every agency where ``user`` holds any role."""
    return DisclosureRequest.objects.filter(agency__in=staff_agencies_qs(user))


def can_read_request(user: AnyUser | None, request: DisclosureRequest) -> bool:
    return readable_requests_qs(user).filter(pk=request.pk).exists()


def can_read_identity(user: AnyUser | None, request: DisclosureRequest) -> bool:
    """Return True for the handling agency's own editors and reviewers.

    Their role must be held at the request's agency or at an agency above it that
    is not a root: a city-wide reviewer or coordinator (and a superuser without a
    membership there) oversees every district's requests but reads the applicant's
    identity masked. A role at the city itself counts for the city's own requests.
    """
    return _holds_agency_role(user, request.agency, IDENTITY_ROLES)


def _agency_role_memberships(
    user: AnyUser | None, roles: tuple[str, ...]
) -> list[tuple[int, str, int | None]]:
    if not (user is not None and user.is_authenticated and user.is_active):
        return []
    return list(
        Membership.objects.filter(
            user=user, role__in=roles, agency__is_active=True
        ).values_list("agency_id", "agency__tree_path", "agency__parent_id")
    )


def _holds_agency_role(
    user: AnyUser | None, agency: Agency, roles: tuple[str, ...]
) -> bool:
    """Return True when ``user`` holds one of ``roles`` for ``agency`` itself.

    The role counts at the agency or at an agency above it that is not a root: a
    city-wide role oversees but does not act as the agency's own staff (a role at
    the city counts for the city's own requests).
    """
    return any(
        agency.tree_path.startswith(path)
        and (parent_id is not None or agency_id == agency.pk)
        for agency_id, path, parent_id in _agency_role_memberships(user, roles)
    )


def _agencies_with_agency_role(
    user: AnyUser | None, roles: tuple[str, ...]
) -> QuerySet[Agency]:
    """Return the agencies where ``_holds_agency_role`` is True, as a queryset."""
    condition = Q(pk__in=[])
    for agency_id, path, parent_id in _agency_role_memberships(user, roles):
        if parent_id is None:
            condition |= Q(pk=agency_id)
        else:
            condition |= Q(tree_path__startswith=path)
    return Agency.objects.filter(condition)


def can_register_request(user: AnyUser | None, agency: Agency) -> bool:
    return has_role(user, agency, *HANDLING_ROLES)


def can_handle_request(user: AnyUser | None, request: DisclosureRequest) -> bool:
    return has_role(user, request.agency, *HANDLING_ROLES)


def can_approve_extension(user: AnyUser | None, request: DisclosureRequest) -> bool:
    """A reviewer of the handling agency itself (第三十三条), not a city role."""
    return _holds_agency_role(user, request.agency, EXTENSION_ROLES)


def can_waive_fee(user: AnyUser | None, request: DisclosureRequest) -> bool:
    """A reviewer of the handling agency itself (the service keeps the handler
    and the notice's sender out: four eyes)."""
    return _holds_agency_role(user, request.agency, FEE_WAIVER_ROLES)


def can_record_consultation_run_out(
    user: AnyUser | None, request: DisclosureRequest
) -> bool:
    """The handler records a consultation run out, once its 15 working days have
    passed (第三十二条, 第三十四条): before that the button is not offered."""
    from django.utils import timezone

    due = request.consultation_due_on
    return (
        due is not None
        and due < timezone.localdate()
        and can_handle_request(user, request)
    )


def registering_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, *HANDLING_ROLES)


# --- Conversion decisions ------------------------------------------------------------

# "Not convert" rests on who the applicant is, so the reviewer who approves it is
# one who reads the applicant's identity: a reviewer of the handling agency itself,
# never a city-wide role (and never the person who proposed it: the service checks).
CONVERSION_REVIEW_ROLES = (Role.REVIEWER,)


def can_review_conversion(user: AnyUser | None, request: DisclosureRequest) -> bool:
    return _holds_agency_role(user, request.agency, CONVERSION_REVIEW_ROLES)


def conversion_reviewing_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies whose "not convert" proposals ``user`` reviews."""
    return _agencies_with_agency_role(user, CONVERSION_REVIEW_ROLES)


def can_read_city_overview(user: AnyUser | None) -> bool:
    """The city's overview of every agency is the city coordinator's."""
    return is_city_coordinator(user)


# --- Disclosures ---------------------------------------------------------------------


def staff_disclosures_qs(user: AnyUser | None) -> QuerySet[Disclosure]:
    """Return every disclosure (any state) of the agencies where ``user`` works."""
    return Disclosure.objects.filter(agency__in=staff_agencies_qs(user))


def can_edit_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency, *HANDLING_ROLES)


# The disclosure's events that record a reviewer's decision, not a change of the
# content. Every other verb (create, import, update, attachment added or removed,
# a screening hit masked, submit, and any added later) makes its actor a
# participant. Accepting a hit keeps the text as it is: it is the reviewer's
# judgement, like returning or approving.
DISCLOSURE_DECISION_VERBS = frozenset(
    {
        "disclosure.return",
        "disclosure.approve",
        "disclosure.withdraw",
        "disclosure.screen_accept",
    }
)


def disclosure_participants(disclosure: Disclosure) -> set[int]:
    """Return the ids of everyone who wrote, edited or submitted ``disclosure``.

    Read from the audit trail of the disclosure (every edit service appends an
    event whose actor is the editor) and the creator and last-editor columns, so a
    colleague's later edit cannot launder an earlier one.
    """
    ids = {
        pk
        for pk in (disclosure.created_by_id, disclosure.updated_by_id)
        if pk is not None
    }
    return ids | audit.actor_ids(disclosure, excluding=DISCLOSURE_DECISION_VERBS)


def took_part_in_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    """Return True when ``user`` wrote, edited or submitted ``disclosure``."""
    pk = getattr(user, "pk", None)
    return pk is not None and pk in disclosure_participants(disclosure)


def approving_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies whose disclosures ``user`` approves or returns."""
    return agencies_with_role(user, *APPROVAL_ROLES)


def can_approve_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency, *APPROVAL_ROLES)


def can_withdraw_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency, *WITHDRAWAL_ROLES)


def importing_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies whose existing column ``user`` imports, tree order."""
    return agencies_with_role(user, *IMPORT_ROLES).order_by("tree_path")


def can_import_disclosures(user: AnyUser | None, agency: Agency) -> bool:
    """The coordinator (or an administrator) imports an agency's existing column."""
    return has_role(user, agency, *IMPORT_ROLES)


# --- Annual reports ------------------------------------------------------------------


def report_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    """Return the agencies whose report ``user`` may read, tree order."""
    return staff_agencies_qs(user).order_by("tree_path")


def can_read_report(user: AnyUser | None, agency: Agency | None) -> bool:
    """Return True when ``user`` may read the report of ``agency`` (None: city).

    Staff read the report of any agency where they hold a role (and the agencies
    below it); the city total needs a city-wide coordinator.
    """
    if agency is None:
        return is_city_coordinator(user)
    return has_role(user, agency)
