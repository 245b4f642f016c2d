"""Viewer-scoped reads of letters and released files."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from letters import permissions
from letters.models import (
    CONSULTATION_KINDS,
    Letter,
    LetterKind,
    LetterStatus,
    ReleasedFile,
)
from requests_.models import DisclosureRequest


def drafts_for(user: Any) -> QuerySet[Letter]:
    """Return the drafts ``user`` must finish: drafted, not yet issued or dropped."""
    return (
        permissions.writable_letters_qs(user)
        .filter(status=LetterStatus.DRAFT)
        .select_related("request", "agency")
        .order_by("created_at", "id")
    )


def letters_of(user: Any, request: DisclosureRequest) -> QuerySet[Letter]:
    """Return the letters of ``request`` that ``user`` may read, oldest first."""
    return (
        permissions.readable_letters_qs(user)
        .filter(request=request)
        .select_related("agency", "request")
        .order_by("created_at", "id")
    )


def applicant_letters(request: DisclosureRequest) -> QuerySet[Letter]:
    """Return the letters delivered to the applicant: issued, to them, oldest first.

    Drafts never leave the agency, nor letters written to a consulted party.
    """
    return (
        Letter.objects.filter(request=request, status=LetterStatus.ISSUED)
        .exclude(kind__in=[kind.value for kind in CONSULTATION_KINDS])
        .select_related("agency", "request")
        .order_by("issued_at", "id")
    )


def applicant_files(request: DisclosureRequest) -> QuerySet[ReleasedFile]:
    """Return the released files, once the reply letter that lists them is issued."""
    issued = Letter.objects.filter(
        request=request, kind=LetterKind.REPLY, status=LetterStatus.ISSUED
    )
    if not issued.exists():
        return ReleasedFile.objects.none()
    return ReleasedFile.objects.filter(request=request).order_by("id")


def staff_files(user: Any, request: DisclosureRequest) -> list[ReleasedFile]:
    return [
        released
        for released in ReleasedFile.objects.filter(request=request).order_by("id")
        if permissions.can_read_released_file(user, released)
    ]
