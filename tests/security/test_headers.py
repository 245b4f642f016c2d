"""Attack family: script injection through markup the portal itself serves.

Every response carries a Content-Security-Policy with no inline script or style,
plus Referrer-Policy, nosniff and Cross-Origin-Opener-Policy, in every environment;
no template emits an inline ``<script>``, a ``style=`` attribute or an ``on*=``
handler, so the policy never has to be loosened for the portal's own pages.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from portal.middleware import DEFAULT_CONTENT_SECURITY_POLICY, security_headers

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    """Collect the tags a strict CSP would block: inline script, style, handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        if (
            tag == "script"
            and "src" not in names
            and names.get("type") != "application/json"
        ):
            self.found.append(f"<script {names}>")
        if tag == "style":
            self.found.append("<style>")
        for name in names:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")


def inline_violations(html: str) -> list[str]:
    """Return the tags that a strict CSP would block."""
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def optional_pages(matrix) -> list[str]:
    """Public pages of the newer public shell (API docs, open data, agency pages),
    included when their routes exist."""
    urls = []
    for name, args in (
        ("api_docs", []),
        ("open_data", []),
        ("agency_index", []),
        ("agency_public", [matrix.agency_a.code]),
    ):
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return urls


def public_pages(world, matrix) -> list[str]:
    code = matrix.agency_a.code
    return [
        *optional_pages(matrix),
        "/",
        "/negative-lists/",
        f"/negative-lists/{code}/",
        f"/negative-lists/{code}/versions/",
        f"/negative-lists/{code}/versions/{world.version.number}/",
        "/requests/new/",
        "/requests/track/",
        f"/requests/track/{world.request.tracking_code}/{world.secret}/",
        world.published.get_absolute_url(),
        "/disclosures/",
        "/accounts/login/",
    ]


def workspace_pages(world, matrix) -> list[str]:
    return [
        "/workspace/",
        "/workspace/agencies/",
        f"/workspace/agencies/{matrix.agency_a.code}/",
        "/workspace/calendar/",
        "/workspace/negative-list/",
        "/workspace/negative-list/entries/new/",
        f"/workspace/negative-list/entries/{world.entry.pk}/",
        f"/workspace/negative-list/entries/{world.draft_entry.pk}/",
        f"/workspace/negative-list/entries/{world.draft_entry.pk}/edit/",
        "/workspace/negative-list/review/",
        "/workspace/negative-list/import/",
        f"/workspace/negative-list/agencies/{matrix.agency_a.code}/interpretation/",
        "/workspace/negative-list/provisions/",
        "/workspace/requests/",
        "/workspace/requests/new/",
        f"/workspace/requests/{world.request.pk}/",
        "/workspace/disclosures/",
        f"/workspace/disclosures/{world.draft.pk}/",
        f"/workspace/disclosures/{world.published.pk}/",
        "/accounts/password/",
    ]


def assert_clean(response, url: str) -> None:
    assert response.status_code == 200, url
    assert (
        response["Content-Security-Policy"]
        == security_headers()["Content-Security-Policy"]
    )
    html = response.content.decode()
    assert inline_violations(html) == [], url


def test_policy_is_strict_by_default():
    """The configured policy forbids inline script, plugins, framing and base tags."""
    policy = security_headers()["Content-Security-Policy"]
    assert policy == DEFAULT_CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in policy
    assert "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_security_headers_on_every_kind_of_response(matrix):
    """HTML, JSON, 404, static files and redirects all carry the headers."""
    client = Client()
    for url in ("/", "/api/v1/negative-lists/", "/no-such-page/", "/workspace/"):
        response = client.get(url)
        assert (
            response["Content-Security-Policy"]
            == security_headers()["Content-Security-Policy"]
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    static = client.get(settings.STATIC_URL + "portal/css/portal.css")
    assert (
        static["Content-Security-Policy"]
        == security_headers()["Content-Security-Policy"]
    )


def test_policy_is_configurable(settings):
    """A deployment can set its own policy (e.g. to allow a CDN) through settings."""
    security_headers()["Content-Security-Policy"] = (
        "default-src 'self' https://cdn.example.cn"
    )
    response = Client().get("/")
    assert (
        response["Content-Security-Policy"]
        == security_headers()["Content-Security-Policy"]
    )


def test_public_pages_have_no_inline_script_style_or_handlers(world, matrix):
    """Every main public page renders without inline script, style or handlers."""
    client = Client()
    for url in public_pages(world, matrix):
        assert_clean(client.get(url), url)


def test_workspace_pages_have_no_inline_script_style_or_handlers(world, matrix):
    """Every main workspace page renders without inline script, style or handlers."""
    for actor in ("editor_a", "reviewer_a", "coordinator"):
        client = matrix.client(actor)
        for url in workspace_pages(world, matrix):
            response = client.get(url)
            if response.status_code in (403, 404):
                continue  # not this actor's page; another actor covers it
            assert_clean(response, f"{actor} {url}")


def test_admin_works_under_the_same_policy(world, matrix):
    """The Django admin needs no inline script: it is served under the strict policy."""
    client = matrix.client("superuser")
    for url in (
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{matrix.user('editor_a').pk}/change/",
    ):
        assert_clean(client.get(url), url)


def test_the_detector_catches_what_it_looks_for():
    """The checker itself flags inline script, style elements, attributes, handlers."""
    html = (
        '<script>x()</script><script src="/s.js"></script>'
        '<script type="application/json">{}</script>'
        '<p style="color:red">a</p><a href="#" onclick="x()">b</a><style>p{}</style>'
    )
    assert len(inline_violations(html)) == 4
