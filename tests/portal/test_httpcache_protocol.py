"""HTTP of the page cache: headers, 304 without rendering, keys, size, CACHE_URL."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterator

import pytest

from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import translation

from portal import cache_url, httpcache
from portal.models import PublicationGeneration

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def counted(request):
    """A stand-in public view that says how often it ran, in the page language."""
    CALLS.append(request.get_full_path())
    return HttpResponse(f"{translation.get_language()} 第{len(CALLS)}次")


urlpatterns = [path("counted/", counted, name="t_counted")]


@pytest.fixture(autouse=True)
def page_cache(settings) -> Iterator[None]:
    from django.core.cache import caches

    settings.HTTPCACHE_ENABLED = True
    httpcache.register_public("t_counted")
    CALLS.clear()
    caches["pages"].clear()
    yield
    caches["pages"].clear()
    httpcache.PUBLIC_VIEWS.pop("t_counted", None)


def settled() -> None:
    """Date the last change long ago, so Last-Modified is given."""
    httpcache.current()  # makes the generation row
    PublicationGeneration.objects.update(
        changed_at=dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    )


def test_a_public_page_carries_validators_and_a_shared_caching_policy():
    settled()
    page = Client().get("/negative-lists/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "public, max-age=60, s-maxage=60"
    assert page["ETag"].startswith('W/"')
    # The later of the last change and the start of the day (pages showing today).
    assert page["Last-Modified"].endswith("GMT")
    vary = {v.strip() for v in page["Vary"].split(",")}
    assert vary == {"Accept-Language", "Cookie"}


@pytest.mark.urls(__name__)
def test_if_none_match_answers_304_without_running_the_view():
    client = Client()
    first = client.get("/counted/")
    assert first.content.decode() == "zh-hans 第1次"
    etag = first["ETag"]
    not_modified = client.get("/counted/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Cache-Control"] == "public, max-age=60, s-maxage=60"
    assert CALLS == ["/counted/"]


@pytest.mark.urls(__name__)
def test_a_publication_changes_the_etag_and_the_page():
    client = Client()
    etag = client.get("/counted/")["ETag"]
    httpcache.advance()
    again = client.get("/counted/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again.content.decode() == "zh-hans 第2次"
    assert again["ETag"] != etag


@pytest.mark.urls(__name__)
def test_if_modified_since_answers_304_only_after_the_last_change():
    settled()
    client = Client()
    first = client.get("/counted/")
    assert "Last-Modified" in first
    later = client.get(
        "/counted/", HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 2099 00:00:00 GMT"
    )
    assert later.status_code == 304
    earlier = client.get(
        "/counted/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT"
    )
    assert earlier.status_code == 200
    assert earlier["X-Page-Cache"] == "HIT"
    assert CALLS == ["/counted/"]


def test_no_last_modified_within_the_second_of_a_change():
    """Two changes in one second would share one HTTP date: none is given."""
    changed = dt.datetime(2026, 6, 1, 10, 0, 0, 400_000, tzinfo=dt.UTC)
    generation = httpcache.Generation("t", 7, changed, None)
    assert generation.last_modified(changed + dt.timedelta(milliseconds=500)) is None
    assert generation.last_modified(changed + dt.timedelta(seconds=2)) == (
        dt.datetime(2026, 6, 1, 10, 0, 0, tzinfo=dt.UTC)
    )
    # A change made yesterday: pages may show "today", so midnight (Shanghai) counts.
    next_day = dt.datetime(2026, 6, 2, 3, 0, tzinfo=dt.UTC)
    assert generation.last_modified(next_day) == dt.datetime(
        2026, 6, 1, 16, 0, tzinfo=dt.UTC
    )


@pytest.mark.urls(__name__)
def test_the_key_ignores_parameter_order_and_empty_parameters():
    client = Client()
    assert client.get("/counted/?q=预算&year=2024&agency=").content.decode() == (
        "zh-hans 第1次"
    )
    same = client.get("/counted/?year=2024&q=预算")
    assert (same["X-Page-Cache"], same.content.decode()) == ("HIT", "zh-hans 第1次")
    other = client.get("/counted/?year=2023&q=预算")
    assert other.content.decode() == "zh-hans 第2次"


@pytest.mark.urls(__name__)
def test_each_language_has_its_own_entry():
    client = Client()
    chinese = client.get("/counted/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    english = client.get("/counted/", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.content.decode() == "zh-hans 第1次"
    assert english.content.decode() == "en 第2次"
    assert english["ETag"] != chinese["ETag"]
    again = client.get("/counted/", HTTP_ACCEPT_LANGUAGE="en")
    assert (again["X-Page-Cache"], again.content.decode()) == ("HIT", "en 第2次")


def test_an_api_answer_is_kept_per_accept_header():
    client = Client()
    url = "/api/v1/negative-lists/exemptions/"
    as_json = client.get(url, HTTP_ACCEPT="application/json")
    assert as_json["Content-Type"] == "application/json"
    as_html = client.get(url, HTTP_ACCEPT="text/html")
    assert as_html["Content-Type"].startswith("text/html")
    again = client.get(url, HTTP_ACCEPT="application/json")
    assert again["X-Page-Cache"] == "HIT"
    assert again["Content-Type"] == "application/json"
    assert again.content == as_json.content


@pytest.mark.urls(__name__)
def test_the_page_cache_is_bounded(settings):
    settings.CACHES = cache_url.parse(
        "locmem://bounded", pages_max_entries=4, pages_timeout=600
    )
    from django.core.cache import caches

    client = Client()
    for number in range(12):
        client.get(f"/counted/?page={number}")
    assert len(caches["pages"]._cache) <= 4
    assert len(CALLS) == 12


@pytest.mark.parametrize(
    ("url", "default", "pages"),
    [
        (
            "locmem://gongkai",
            {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "gongkai",
            },
            {"LOCATION": "gongkai-pages", "OPTIONS": {"MAX_ENTRIES": 100}},
        ),
        (
            "file:///srv/cache?max_entries=9000",
            {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": "/srv/cache",
                "OPTIONS": {"MAX_ENTRIES": 9000},
            },
            {"LOCATION": "/srv/cache/pages", "OPTIONS": {"MAX_ENTRIES": 100}},
        ),
        (
            "db://gongkai_cache",
            {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "gongkai_cache",
            },
            {"LOCATION": "gongkai_cache_pages", "OPTIONS": {"MAX_ENTRIES": 100}},
        ),
    ],
)
def test_cache_url_names_a_default_and_a_pages_cache(url, default, pages):
    caches = cache_url.parse(url, pages_max_entries=100, pages_timeout=300)
    assert caches["default"] == default
    expected_pages = {**default, **pages, "TIMEOUT": 300}
    expected_pages.pop("OPTIONS", None)
    expected_pages["OPTIONS"] = pages["OPTIONS"]
    assert caches["pages"] == expected_pages


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memcached://127.0.0.1:11211", "unknown scheme 'memcached'"),
        ("file://relative/dir", "file:// needs an absolute path"),
        ("db://", "db:// needs a table name"),
        ("db://cache;drop", "db:// needs a table name"),
        ("locmem://x?max_entries=many", "max_entries must be a number"),
        ("locmem://x?size=3", "unknown parameter 'size'"),
        ("redis://127.0.0.1:6379/0", "needs the redis package"),
    ],
)
def test_a_bad_cache_url_fails_the_system_check(settings, url, message):
    if url.startswith("redis") and importlib.util.find_spec("redis"):
        pytest.skip("the redis package is installed here")
    settings.CACHE_URL = url
    errors = httpcache.check_cache_url(None)
    assert [e.id for e in errors] == ["portal.E060"]
    assert message in errors[0].msg
    # The settings still start, on the default cache.
    fallback = cache_url.caches(
        url, fallback="locmem://gongkai", pages_max_entries=1, pages_timeout=1
    )
    assert fallback["default"]["LOCATION"] == "gongkai"


@pytest.mark.parametrize(
    ("url", "ids"),
    [("locmem://gongkai", ["portal.W060"]), ("db://gongkai_cache", [])],
)
def test_deploy_check_warns_of_a_cache_of_one_process(settings, url, ids):
    settings.CACHE_URL = url
    assert [w.id for w in httpcache.check_cache_shared(None)] == ids
