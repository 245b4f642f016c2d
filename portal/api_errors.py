"""One JSON error shape for the whole API.

Every error, from a domain rule, DRF validation, authentication or a missing
object, answers ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import DomainError

REQUEST_TOO_LARGE = _(
    "请求体过大：最多 %(limit)d 字节（约 %(mib).1f MB），文件请以附件上传。"
)


class RequestTooLarge(exceptions.APIException):
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: 413 in the one error shape.

    Django raises ``RequestDataTooBig`` (a ``SuspiciousOperation``) that would
    otherwise leave DRF and answer with the HTML 400 page; DRF's own parsers read
    the stream with no limit at all (see ``portal.parsers``).
    """

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        super().__init__(
            REQUEST_TOO_LARGE % {"limit": limit, "mib": limit / (1024 * 1024)}
        )


def too_large_response() -> JsonResponse:
    """Return the 413 answer for a handler outside DRF (``handler400``)."""
    error = RequestTooLarge()
    body = {"error": {"code": "too_large", "message": str(error.detail)}}
    return JsonResponse(body, status=error.status_code)


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_message(next(iter(detail.values())))
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Translate any API exception into the one error shape."""
    if isinstance(exc, DomainError):
        return Response({"error": exc.as_dict()}, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = (
            exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail}
        )
        body = {
            "code": "invalid",
            "message": _first_message(detail),
            "fields": {
                k: [str(m) for m in (v if isinstance(v, list) else [v])]
                for k, v in detail.items()
            },
        }
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "code": codes if isinstance(codes, str) else "error",
            "message": _first_message(getattr(exc, "detail", str(exc))),
        }
    response.data = {"error": body}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["error"]["code"] = "throttled"
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a URL no view matches: in the error shape under ``/api/``.

    A path parameter the URL converter rejects (``/api/v1/requests/-1/``) never
    reaches DRF, so without this the API would answer with an HTML page.
    """
    if request.path.startswith("/api/"):
        error = exceptions.NotFound()
        body = {"error": {"code": "not_found", "message": str(error.detail)}}
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
