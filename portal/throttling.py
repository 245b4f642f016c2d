"""Throttles: the API's, and the same ones over the public pages that cost the most.

DRF's ``UserRateThrottle`` falls back to the caller's address for anonymous
requests, so with ``AnonRateThrottle`` beside it every anonymous request was
counted twice (two cache reads and writes), and the staff rate capped the
public rate whatever ``API_ANON_RATE`` said.

Every throttle keys an anonymous caller on ``portal.clientip.client_ip``: DRF's own
``get_ident`` believes the whole ``X-Forwarded-For`` header unless ``NUM_PROXIES``
is set, so a client rotating that header was a new client on every request.

The column search, the Atom feeds and the open-data downloads are plain Django
views, each as costly as an API call; ``PublicThrottleMiddleware`` holds them to a
rate of their own (``PUBLIC_PAGE_RATE``, scope ``public``) with the same classes,
keyed on URL names so the views and feed classes stay as they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rest_framework import throttling

from portal.clientip import client_ip

RATE_LIMITED_TEMPLATE = "requests_/public/rate_limited.html"
PAGE_RATE_LIMITED = _(
    "来自同一网络地址的访问过于频繁，请稍后再试（约 %(seconds)d 秒后）。"
    "如需批量获取数据，请使用开放数据下载或开放接口。"
)

# URL names of the public views held to the ``public`` rate. A test walks the URL
# configuration and fails when a feed or an open-data download is missing here.
THROTTLED_VIEWS = frozenset(
    {
        "search:column",
        "search_feed",
        "requests_:feed_column",
        "requests_:feed_agency",
        "requests_:feed_topic",
        "requests_:open_data",
        "negative_list:feed",
        "negative_list:feed_agency",
        "negative_list:open_data",
        "negative_list:export",
        "usage:open_data",
    }
)


class ClientAddressMixin:
    """Key anonymous callers on the address the trusted proxies vouch for."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """DRF's anonymous throttle, keyed on ``client_ip``."""


class StaffRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    """``UserRateThrottle`` for signed-in users only; anonymous callers pass."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class PublicPageThrottle(AnonRateThrottle):
    """The anonymous throttle for the public pages, counted apart from the API."""

    scope = "public"


def page_throttles() -> tuple[throttling.SimpleRateThrottle, ...]:
    """Return fresh throttle instances for one public page request."""
    return (PublicPageThrottle(), StaffRateThrottle())


def rate_limited_page(request: HttpRequest, wait: float | None) -> HttpResponse:
    """Render the Chinese "too many requests" page with status 429."""
    seconds = max(1, math.ceil(wait or 1))
    response = render(
        request,
        RATE_LIMITED_TEMPLATE,
        {"limit_message": PAGE_RATE_LIMITED % {"seconds": seconds}},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


class PublicThrottleMiddleware:
    """Throttle the views named in ``THROTTLED_VIEWS`` like the public API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in THROTTLED_VIEWS:
            return None
        for throttle in page_throttles():
            if not throttle.allow_request(request, None):
                return rate_limited_page(request, throttle.wait())
        return None
