"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from portal import extensions, permissions


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    staff = permissions.is_staff_member(user)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "is_staff_member": staff,
        "is_coordinator": staff and permissions.is_coordinator(user),
        "public_nav": extensions.public_nav(user),
        "workspace_nav": extensions.workspace_nav(user) if staff else [],
    }
