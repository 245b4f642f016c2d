"""The provider's endpoints: given explicitly, or read from its discovery document.

mozilla-django-oidc takes explicit endpoint URLs. With ``GONGKAI_OIDC_ISSUER`` alone
the portal reads ``<issuer>/.well-known/openid-configuration`` at the first sign-in
(not at start-up, so a web node starts and serves the public site while the
provider is unreachable) and keeps it for the life of the process. An endpoint
given in its own variable wins over the document.
"""

from __future__ import annotations

import threading

import requests
from mozilla_django_oidc.utils import import_from_settings

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The library's setting name → the discovery document's key.
ENDPOINT_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
WELL_KNOWN = "/.well-known/openid-configuration"

_documents: dict[str, dict] = {}
_lock = threading.Lock()


class DiscoveryError(Exception):
    """The provider's discovery document could not be read or does not fit."""


def issuer() -> str | None:
    """Return the configured issuer without a trailing slash, or None."""
    value = getattr(settings, "GONGKAI_OIDC_ISSUER", None)
    return value.rstrip("/") if value else None


def discovery_document() -> dict:
    """Fetch (once per process) and return the issuer's discovery document.

    The document must name the configured issuer, as OpenID Connect Discovery
    requires; a document naming another issuer is refused rather than trusted.
    """
    base = issuer()
    if not base:
        raise DiscoveryError("GONGKAI_OIDC_ISSUER is not set")
    url = base + WELL_KNOWN
    with _lock:
        if url in _documents:
            return _documents[url]
    try:
        response = requests.get(
            url,
            timeout=import_from_settings("OIDC_TIMEOUT", 10),
            verify=import_from_settings("OIDC_VERIFY_SSL", True),
            proxies=import_from_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DiscoveryError(f"cannot read {url}: {exc}") from exc
    if str(document.get("issuer", "")).rstrip("/") != base:
        raise DiscoveryError(
            f"{url} names issuer {document.get('issuer')!r}, not {base!r}"
        )
    with _lock:
        _documents[url] = document
    return document


def provider_setting(attr: str, *default):
    """Read a mozilla-django-oidc setting, filling endpoints from discovery.

    Used as the library's ``get_settings`` by the portal's backend and views.
    """
    if attr in ENDPOINT_KEYS:
        explicit = getattr(settings, attr, None)
        if explicit:
            return explicit
        if issuer():
            value = discovery_document().get(ENDPOINT_KEYS[attr])
            if value:
                return value
        if default:
            return default[0]
        raise ImproperlyConfigured(f"{attr} is not set and not discovered")
    return import_from_settings(attr, *default)


def forget_documents() -> None:
    """Drop the fetched documents (a test starts a new provider)."""
    with _lock:
        _documents.clear()
