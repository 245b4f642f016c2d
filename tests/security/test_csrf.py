"""Attack family: cross-site request forgery against a signed-in member of staff.

A page on another site makes the browser of a signed-in user POST to the portal.
The test walks the whole URL resolver (so a view added tomorrow is covered too),
POSTs to every route without a CSRF token from a client that enforces CSRF like
a browser and is signed in by session, and expects 403 from the CSRF guard
everywhere (or 405 from a view that takes no POST at all): Django's middleware
guards the pages, DRF's SessionAuthentication guards the API.
"""

from __future__ import annotations

import pytest

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Sample values per path converter; the CSRF check runs before any view code, so
# the objects need not exist.
SAMPLES = {
    "IntConverter": "1",
    "StringConverter": "x",
    "SlugConverter": "x",
    "PathConverter": "x",
    "IndexNoConverter": "310101000/2026-00001",
}
# Routes that are not the portal's own state changes, with the reason.
SKIPPED_PREFIXES = ("admin:",)  # Django's admin: its own CSRF protection, tested there
# Routes that take a POST without a token on purpose. The language switch is in the
# header of every public page; a token in it would make each page one visitor's and
# unshareable by the page cache (issue 20). A forged POST only changes the display
# language (tests/portal/test_httpcache_privacy.py).
EXEMPT = {"set_language"}


def routes():
    """Yield (name, url) for every named route of the project with sample kwargs."""

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}{pattern.namespace}:"
                    if pattern.namespace
                    else namespace
                )
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", pattern

    seen = set()
    for name, pattern in walk(get_resolver(), ""):
        if name.startswith(SKIPPED_PREFIXES) or name in EXEMPT or name in seen:
            continue
        seen.add(name)
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {key: SAMPLES[type(conv).__name__] for key, conv in converters.items()}
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # a route whose sample does not fit: reported below
            url = None
        yield name, url


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_every_route_refuses_a_post_without_csrf_token(matrix):
    """POST to every route, signed in, without a token: 403 from the CSRF guard."""
    client = csrf_client(matrix.user("superuser"))
    unreversible, unguarded, checked = [], [], 0
    for name, url in routes():
        if url is None:
            unreversible.append(name)
            continue
        response = client.post(url, {"title": "forged"})
        checked += 1
        if response.status_code == 405:
            continue  # the view takes no POST at all: nothing to forge
        if response.status_code != 403:
            unguarded.append((name, url, response.status_code))
            continue
        text = response.content.decode()
        assert "CSRF" in text or "csrf" in text.lower(), (name, text[:200])
    assert unreversible == []
    assert unguarded == []
    assert checked > 100  # the walk really covers the site


def test_csrf_failure_in_the_api_uses_the_error_shape(matrix):
    """The API's CSRF refusal is 403 in the project's error shape."""
    client = csrf_client(matrix.user("editor_a"))
    response = client.post("/api/v1/negative-lists/entries/create/", {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "CSRF" in response.json()["error"]["message"]


def test_the_same_post_with_a_token_passes_the_guard(matrix):
    """Control: with the cookie's token the POST reaches the view (not a 403)."""
    client = csrf_client(matrix.user("coordinator"))
    client.get("/workspace/calendar/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/workspace/calendar/",
        {"day": "2031-01-01", "kind": "holiday", "note": "元旦"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code != 403
    api = client.post(
        "/api/v1/calendar/overrides/set/",
        {"day": "2031-01-02", "kind": "holiday", "note": "测试"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert api.status_code != 403


def test_token_auth_clients_need_no_csrf_token(matrix):
    """API clients with a token (no cookies) are not subject to CSRF: no ambient
    credential, nothing to forge."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=matrix.user("editor_a"))
    client = Client(enforce_csrf_checks=True)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
