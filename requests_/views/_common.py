"""Helpers shared by the app's views."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpRequest
from django.utils.encoding import escape_uri_path

from portal.clientip import client_ip
from requests_.services.disclosures import safe_name

ONLINE_FORM_LIMIT = 5
ONLINE_FORM_WINDOW = 3600
LOOKUP_LIMIT = 30
LOOKUP_WINDOW = 600


def over_limit(request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """Count one attempt for the client's address; True once ``limit`` is passed.

    The cache is shared by every web node in production (a shared cache backend is
    part of running more than one node), so the limit holds across nodes.
    """
    return count_attempt(f"requests_:rate:{scope}:{client_ip(request)}", window) > limit


def count_attempt(key: str, window: int) -> int:
    """Add one to the counter ``key`` (kept ``window`` seconds); return its value."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def online_form_limit() -> tuple[int, int]:
    return (
        getattr(settings, "GONGKAI_ONLINE_REQUEST_LIMIT", ONLINE_FORM_LIMIT),
        getattr(settings, "GONGKAI_ONLINE_REQUEST_WINDOW", ONLINE_FORM_WINDOW),
    )


def download(field_file, name: str, content_type: str) -> FileResponse:
    """Send a stored file as an attachment under a safe name."""
    name = safe_name(name)
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{escape_uri_path(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
