"""The client's address: one answer for every limiter in the portal.

A client can send any ``X-Forwarded-For`` it likes; only the entries appended by
proxies the deployment runs can be believed. ``GONGKAI_TRUSTED_PROXIES`` says how
many such proxies stand in front of the web nodes (default none: the peer address,
``REMOTE_ADDR``, is the client). With N proxies, each appends the address it
received the request from, so the N-th entry from the right was written by the
outermost trusted proxy and names the real client; anything further left came
from the client and is ignored.

DRF's throttles, django-axes and the portal's own counters all ask this module, so
the API, the public pages and the login count the same client the same way.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def trusted_proxies() -> int:
    """Return how many proxies in front of the portal append to X-Forwarded-For."""
    return int(getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0) or 0)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address, never a value the client itself controls."""
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN
    count = trusted_proxies()
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer entries than proxies: the request entered behind the outermost proxy,
    # so every entry was still written by a trusted one (DRF's NUM_PROXIES agrees).
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A trusted proxy writes an address; anything else is not to be keyed on.
        return remote


def axes_client_ip(request: HttpRequest) -> str | None:
    """Return the client's address for django-axes, or None when there is none.

    ``Client.login()`` and other in-process callers authenticate with a bare
    ``HttpRequest`` that has no ``REMOTE_ADDR``; axes stores the address in a
    ``GenericIPAddressField``, which PostgreSQL refuses to hold "unknown".
    """
    address = client_ip(request)
    return None if address == UNKNOWN else address
