"""Who may do what with letters and released files: predicates and scopers.

A letter belongs to its request: whoever reads the request reads its letters (the
handling agency's staff, and the city-wide roles that oversee it, read-only); the
handling agency's editors draft, edit, issue and void them and add the files
released with the reply. The applicant's name in a letter is shown by the rule of
``requests_.permissions.can_read_identity``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from letters.models import Letter, LetterStatus, ReleasedFile
from portal.permissions import AnyUser, agencies_with_role, staff_agencies_qs
from requests_.models import DisclosureRequest
from requests_.permissions import HANDLING_ROLES, can_handle_request


def readable_letters_qs(user: AnyUser | None) -> QuerySet[Letter]:
    """Return the letters (no cancelled drafts) of the agencies where ``user`` works."""
    return Letter.objects.filter(request__agency__in=staff_agencies_qs(user)).exclude(
        status=LetterStatus.CANCELLED
    )


def writable_letters_qs(user: AnyUser | None) -> QuerySet[Letter]:
    """Return the letters ``user`` drafts, edits, issues and voids."""
    return Letter.objects.filter(
        request__agency__in=agencies_with_role(user, *HANDLING_ROLES)
    )


def can_draft_letter(user: AnyUser | None, request: DisclosureRequest) -> bool:
    """The handling agency's editors write the request's letters."""
    return can_handle_request(user, request)


def can_write_letter(user: AnyUser | None, letter: Letter) -> bool:
    return can_draft_letter(user, letter.request)


def can_read_released_file(user: AnyUser | None, released: ReleasedFile) -> bool:
    return DisclosureRequest.objects.filter(
        pk=released.request_id, agency__in=staff_agencies_qs(user)
    ).exists()
