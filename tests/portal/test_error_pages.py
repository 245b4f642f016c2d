"""The error pages: the portal's look and language, what happened, what to do next.

Every status is reached through the real client with DEBUG off (the test
settings), the way a visitor meets it: a mistyped link, a staff page without the
role, a withdrawn disclosure, too many wrong tracking secrets, a bad Host header,
a view that fails. Under ``/api/`` the one JSON error shape stays.
"""

from __future__ import annotations

import pytest

from django.conf import settings
from django.test import Client

from requests_ import services
from requests_.views._common import LOOKUP_LIMIT
from tests.public_site import publish_converted
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db

NAV = 'class="site-nav"'
# Django's own English defaults, and what DEBUG pages show.
DJANGO_DEFAULTS = (
    "The requested resource was not found on this server",
    "<h1>Not Found</h1>",
    "<h1>Forbidden (403)</h1>",
    "403 Forbidden",
    "Bad Request (400)",
    "Server Error (500)",
    "Traceback",
    "deliberate failure",
)


def assert_portal_page(response, status: int, *phrases: str) -> str:
    """Check the status, the portal's frame, the phrases and no default page."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert NAV in html
    for phrase in phrases:
        assert phrase in html, phrase
    for default in DJANGO_DEFAULTS:
        assert default not in html, default
    return html


def english_client(**kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_404_is_chinese_with_what_to_do_next(client):
    """A mistyped address gets the Chinese page with a way on (home, column)."""
    response = client.get("/no-such-page/")
    html = assert_portal_page(
        response, 404, "找不到您要访问的页面", "错误代码 404", "返回首页"
    )
    assert '<html lang="zh-CN">' in html
    assert 'href="/disclosures/"' in html


def test_404_in_english_by_cookie_and_by_accept_language():
    """The language cookie and Accept-Language each give the English page."""
    for client, headers in (
        (english_client(), {}),
        (Client(), {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ):
        response = client.get("/no-such-page/", **headers)
        html = assert_portal_page(
            response, 404, "We cannot find the page you asked for", "Back to home"
        )
        assert '<html lang="en">' in html
        assert "找不到您要访问的页面" not in html


def test_mistyped_tracking_secret_gives_the_chinese_tracking_404(matrix, client):
    """A wrong secret explains the link and points to the lookup page."""
    item, _secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    response = client.get(f"/requests/track/{item.tracking_code}/wrong-secret/")
    html = assert_portal_page(
        response, 404, "申请查询链接无效", "请核对提交申请后页面上显示的查询链接"
    )
    assert 'href="/requests/track/"' in html


def test_403_for_staff_without_the_role(matrix):
    """An editor on a coordinator's page gets the Chinese 403 with a way back."""
    response = matrix.client("editor_a").get("/workspace/agencies/")
    assert_portal_page(
        response, 403, "您没有访问此页面的权限", "错误代码 403", "回到工作台"
    )


def test_403_in_english(matrix):
    client = matrix.client("editor_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/workspace/agencies/")
    assert_portal_page(response, 403, "You do not have permission to see this page")


def test_400_for_a_bad_host_header(client):
    """A request for a host the portal does not serve answers the Chinese 400."""
    response = client.get("/", HTTP_HOST="evil.example")
    assert_portal_page(response, 400, "请求有误，无法处理", "错误代码 400")


def test_410_for_a_withdrawn_disclosure(matrix, client):
    """A withdrawn disclosure's page answers 410 in the portal's frame."""
    disclosure = publish_converted(matrix)
    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=disclosure, reason="已被替代。"
    )
    response = client.get(disclosure.get_absolute_url())
    assert_portal_page(response, 410, "已被替代。", "检索是否有替代的新信息")


def test_429_after_too_many_wrong_secrets(matrix, client, settings):
    """Past the lookup limit a wrong guess gets the Chinese 429: wait, then retry."""
    item, _secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    url = f"/requests/track/{item.tracking_code}/wrong/"
    statuses = [client.get(url).status_code for _ in range(LOOKUP_LIMIT + 2)]
    assert statuses[0] == 404
    assert statuses[-1] == 429
    response = client.get(url)
    assert_portal_page(response, 429, "访问过于频繁", "请等待一分钟左右")
    assert response["Retry-After"]


@pytest.mark.urls("tests.portal.error_urls")
def test_500_renders_without_a_request_context():
    """A failing view gets the Chinese 500 page: nav, what to do, no traceback."""
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = assert_portal_page(
        response, 500, "系统出现故障", "错误代码 500", "稍等几分钟后刷新页面重试"
    )
    assert 'href="/disclosures/"' in html
    english = english_client(raise_request_exception=False).get("/boom/")
    assert_portal_page(english, 500, "Something went wrong on our side")


@pytest.mark.urls("tests.portal.error_urls")
def test_api_errors_keep_the_json_shape(client):
    """Under /api/ a 404 and a 500 answer the API's JSON error shape."""
    missing = client.get("/api/v1/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    failing = Client(raise_request_exception=False).get("/api/v1/boom/")
    assert failing.status_code == 500
    assert failing.json()["error"]["code"] == "server_error"
    assert "deliberate" not in failing.content.decode()


def test_failed_csrf_check_is_the_portals_403_not_djangos(matrix):
    """A form posted without its CSRF token meets the Chinese 403 saying what to do.

    Django's own page ("Forbidden (403) CSRF verification failed") is English and
    names no next step; a visitor whose form page expired must be told to reload.
    """
    client = Client(enforce_csrf_checks=True)
    response = client.post("/requests/new/", {"description": "x"})
    html = assert_portal_page(response, 403, "安全校验未通过", "刷新后重新提交")
    assert "CSRF verification failed" not in html


def test_failed_csrf_check_under_api_keeps_the_json_shape(matrix):
    """The session API answers a missing CSRF token in the API's one error shape."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(matrix.users["editor_a"])
    response = client.post("/api/v1/requests/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
