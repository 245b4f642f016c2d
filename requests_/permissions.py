"""Who may do what with requests and disclosures: predicates and scopers.

Built from ``portal.permissions``. A role at an agency covers the agencies below
it. Applicant identity is narrower than the request: only the handling agency's
editors and reviewers (and superusers) see it; a city-wide coordinator oversees
deadlines and outcomes without seeing who asked.
"""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import Agency, Role
from portal.permissions import AnyUser, agencies_with_role, has_role
from requests_.models import Disclosure, DisclosureRequest

HANDLING_ROLES = (Role.EDITOR,)
IDENTITY_ROLES = (Role.EDITOR, Role.REVIEWER)
# Approving an extension belongs to the head of the disclosure office
# (第三十三条): here a reviewer or coordinator, never the handler.
EXTENSION_ROLES = (Role.REVIEWER, Role.COORDINATOR)
APPROVAL_ROLES = (Role.REVIEWER,)
WITHDRAWAL_ROLES = (Role.REVIEWER, Role.COORDINATOR)


# --- Requests ------------------------------------------------------------------------


def readable_requests_qs(user: AnyUser | None) -> QuerySet[DisclosureRequest]:
    """Return the requests of every agency where ``user`` holds any role."""
    return DisclosureRequest.objects.filter(agency__in=agencies_with_role(user))


def can_read_request(user: AnyUser | None, request: DisclosureRequest) -> bool:
    return has_role(user, request.agency)


def can_read_identity(user: AnyUser | None, request: DisclosureRequest) -> bool:
    """Return True for the handling agency's editors and reviewers."""
    return has_role(user, request.agency, *IDENTITY_ROLES)


def can_register_request(user: AnyUser | None, agency: Agency) -> bool:
    return has_role(user, agency, *HANDLING_ROLES)


def can_handle_request(user: AnyUser | None, request: DisclosureRequest) -> bool:
    return has_role(user, request.agency, *HANDLING_ROLES)


def can_approve_extension(user: AnyUser | None, request: DisclosureRequest) -> bool:
    return has_role(user, request.agency, *EXTENSION_ROLES)


def registering_agencies_qs(user: AnyUser | None) -> QuerySet[Agency]:
    return agencies_with_role(user, *HANDLING_ROLES)


# --- Disclosures ---------------------------------------------------------------------


def staff_disclosures_qs(user: AnyUser | None) -> QuerySet[Disclosure]:
    """Return every disclosure (any state) of the agencies where ``user`` works."""
    return Disclosure.objects.filter(agency__in=agencies_with_role(user))


def can_read_staff_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency)


def can_edit_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency, *HANDLING_ROLES)


def can_approve_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency, *APPROVAL_ROLES)


def can_withdraw_disclosure(user: AnyUser | None, disclosure: Disclosure) -> bool:
    return has_role(user, disclosure.agency, *WITHDRAWAL_ROLES)
