"""Nothing private is cached or marked public (portal.httpcache).

Staff pages, forms with a CSRF token, the tracking pages of a request (applicant
data under the secret link), responses that set a cookie and errors all leave with
``Cache-Control: private, no-store``, no validators, and are never served to the
next visitor from the page cache.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from django.http import HttpResponse, HttpResponseServerError
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path

from portal import httpcache
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings) -> Iterator[None]:
    from django.core.cache import caches

    settings.HTTPCACHE_ENABLED = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def assert_private(response) -> None:
    """Only the visitor's own browser may hold it, and not even on disk."""
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert "ETag" not in response
    assert "Last-Modified" not in response
    assert response.get("X-Page-Cache") in (None, "BYPASS")


def test_staff_never_get_or_leave_a_cached_page(matrix):
    anonymous = Client()
    first = anonymous.get("/")
    assert first["X-Page-Cache"] == "MISS"
    assert "工作人员登录" in first.content.decode()

    editor = matrix.client("editor_a")
    for url in ("/", "/disclosures/", "/negative-lists/", "/workspace/"):
        page = editor.get(url)
        assert page.status_code == 200, url
        assert_private(page)
    # The staff header, not the anonymous page kept a moment ago.
    html = editor.get("/").content.decode()
    assert ">退出</button>" in html
    assert "工作人员登录" not in html
    # And the staff's pages were not kept for the next visitor.
    assert Client().get("/disclosures/")["X-Page-Cache"] == "MISS"


def test_forms_with_a_csrf_token_are_never_cached(matrix):
    client = Client()
    for url in ("/requests/new/", "/accounts/login/", "/requests/track/"):
        for _ in range(2):
            page = client.get(url)
            assert page.status_code == 200, url
            assert 'name="csrfmiddlewaretoken"' in page.content.decode(), url
            assert_private(page)


def test_tracking_pages_with_applicant_data_are_never_cached(matrix):
    request, secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    url = f"/requests/track/{request.tracking_code}/{secret}/"
    client = Client()
    for _ in range(2):
        page = client.get(url)
        assert page.status_code == 200
        assert request.tracking_code in page.content.decode()
        assert_private(page)


def test_the_language_switch_needs_no_token_and_changes_only_the_language(matrix):
    """Exempt from CSRF so that pages carry no token; it sets one cookie, no more."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(matrix.user("editor_a"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert list(response.cookies) == ["django_language"]
    assert response.cookies["django_language"].value == "en"
    assert client.get("/workspace/").status_code == 200  # still signed in


def test_tracking_pages_stay_private_with_the_page_cache_off(matrix, settings):
    settings.HTTPCACHE_ENABLED = False
    request, secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    page = Client().get(f"/requests/track/{request.tracking_code}/{secret}/")
    assert page.status_code == 200
    assert_private(page)
    assert "X-Page-Cache" not in page


# A registered public view must still refuse to keep an answer that is not the
# same for everyone: these stand-ins do one such thing each.
CALLS: list[str] = []


def sets_cookie(request):
    response = HttpResponse("记住了")
    response.set_cookie("seen", "1")
    return response


def uses_csrf_token(request):
    return HttpResponse(f"<input value='{get_token(request)}'>")


def fills_the_session(request):
    request.session["draft"] = "申请草稿"
    return HttpResponse("草稿已保存")


def fails(request):
    return HttpResponseServerError("出错了")


def counted(request):
    CALLS.append(request.get_full_path())
    return HttpResponse(f"第{len(CALLS)}次")


urlpatterns = [
    path("cookie/", sets_cookie, name="t_cookie"),
    path("csrf/", uses_csrf_token, name="t_csrf"),
    path("session/", fills_the_session, name="t_session"),
    path("fails/", fails, name="t_fails"),
    path("counted/", counted, name="t_counted"),
]


@pytest.fixture
def stand_ins() -> Iterator[None]:
    names = [p.name for p in urlpatterns]
    httpcache.register_public(*names)
    CALLS.clear()
    yield
    for name in names:
        httpcache.PUBLIC_VIEWS.pop(name, None)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/cookie/", "/csrf/", "/session/", "/fails/"])
def test_a_registered_view_setting_a_cookie_or_failing_is_not_kept(stand_ins, url):
    client = Client()
    first = client.get(url)
    assert_private(first)
    second = Client().get(url)
    assert_private(second)
    assert second["X-Page-Cache"] == "BYPASS"


@pytest.mark.urls(__name__)
def test_a_visitor_with_a_session_bypasses_the_cache(stand_ins):
    Client().get("/counted/")
    with_session = Client()
    with_session.get("/session/")
    page = with_session.get("/counted/")
    assert page.content.decode() == "第2次"
    assert_private(page)
