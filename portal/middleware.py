"""Security headers on every response, in every environment.

Django's ``SecurityMiddleware`` sets some of these only when the matching settings are
on (``production`` turns them on); the portal wants them in development and tests too,
so a template that slips in an inline script fails in the test suite, not in the field.
Django 5.2 has no Content-Security-Policy support of its own, hence this middleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

# No inline script, no inline style, nothing from other origins: every script and
# style sheet is a static file. The Django admin (5.2) works under it unchanged: its
# templates carry data in ``<script type="application/json">`` blocks, which CSP does
# not execute, and its scripts set styles through the CSSOM, which CSP allows.
DEFAULT_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DEFAULT_REFERRER_POLICY = "same-origin"
NUL_IN_URL = _("请求地址中含有不允许的空字符。")
DEFAULT_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def security_headers() -> dict[str, str]:
    """Return the headers to add, read from settings so a deployment can tune them."""
    return {
        "Content-Security-Policy": getattr(settings, "CONTENT_SECURITY_POLICY", None)
        or DEFAULT_CONTENT_SECURITY_POLICY,
        "Referrer-Policy": getattr(settings, "SECURE_REFERRER_POLICY", None)
        or DEFAULT_REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": getattr(
            settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", None
        )
        or DEFAULT_CROSS_ORIGIN_OPENER_POLICY,
    }


class SecurityHeadersMiddleware:
    """Add CSP, Referrer-Policy, nosniff and COOP unless a view already set them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in security_headers().items():
            if value and name not in response:
                response[name] = value
        return response


class RejectNulMiddleware:
    """Answer 400 to a URL whose path or query carries a NUL character.

    No identifier or filter of the portal contains one, and PostgreSQL refuses NUL
    in text, so such a value reaching a lookup would raise a database error (500)
    instead of saying the request is bad. Found by fuzzing the API.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or self._nul_in_query(request):
            return self._bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _nul_in_query(request: HttpRequest) -> bool:
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        )

    @staticmethod
    def _bad_request(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            body = {"error": {"code": "invalid", "message": str(NUL_IN_URL)}}
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(str(NUL_IN_URL))
