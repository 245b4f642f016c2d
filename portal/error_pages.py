"""The handlers Django calls for 400, 403 and 500 (404 is ``api_errors``'s).

Under ``/api/`` every error keeps the API's one JSON shape; elsewhere the portal's
own pages answer (``templates/<status>.html``), in the visitor's language. The
500 page renders with no request context: the failure may be in a context
processor, the session or the database, so it reads nothing but settings.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
SERVER_ERROR = gettext_lazy("服务器内部错误，请稍后再试。")
CSRF_FAILED = gettext_lazy(
    "安全校验未通过：页面可能已经过期，或浏览器禁用了 Cookie。"
    "请返回上一页，刷新后重新提交。"
)
# The last resort when even the template cannot render: plain, static, bilingual.
BARE_SERVER_ERROR = (
    "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
    "<title>500</title></head><body><h1>系统出现故障 / Server error</h1>"
    "<p>请稍后刷新重试。Please try again in a few minutes.</p>"
    "<p><a href='/'>返回首页 / Home</a></p></body></html>"
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 400: JSON under ``/api/``, the portal's page elsewhere."""
    if _is_api(request):
        return _api_error("bad_request", _("请求有误，无法处理"), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 403: JSON under ``/api/``, the portal's page elsewhere."""
    if _is_api(request):
        return _api_error("permission_denied", _("您没有访问此页面的权限"), 403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a failed CSRF check like any 403, saying what to do next.

    ``reason`` is Django's English diagnosis; it stays in the log, not the page.
    """
    if _is_api(request):
        return _api_error("csrf_failed", str(CSRF_FAILED), 403)
    return defaults.permission_denied(request, PermissionDenied(CSRF_FAILED))


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 500 without a request context; never raise from here."""
    if _is_api(request):
        return _api_error("server_error", str(SERVER_ERROR), 500)
    try:
        body = loader.get_template("500.html").render(
            {"PORTAL_NAME": settings.PORTAL_NAME}
        )
    except Exception:  # the error page must always answer
        logger.exception("the 500 page failed to render")
        body = BARE_SERVER_ERROR
    return HttpResponseServerError(body)
