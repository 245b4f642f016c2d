"""The public page cache (portal.httpcache): nothing stale, nothing private.

Every change is made through the services and committed (the generation advances
after commit, as the search index catches up), then the next anonymous request to
each cached page and API must show it. Pages are first requested twice, so the
second answer proves it came from the cache (``X-Page-Cache: HIT``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest

from django.test import Client
from django.utils import timezone

from negative_list import services as list_services
from requests_ import services
from search.engines import reset_engine
from tests.negative_list import factories as nl
from tests.requests_ import factories as fx
from tests.search.conftest import EMBEDDED, configure_engine

pytestmark = pytest.mark.django_db

PUBLIC_CACHE = "public, max-age=60, s-maxage=60"
PRIVATE = "private, no-store"


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path) -> Iterator[None]:
    """The cache on, an embedded search index of this test's own, the cache empty."""
    from django.core.cache import caches

    settings.HTTPCACHE_ENABLED = True
    configure_engine(EMBEDDED, settings, tmp_path)
    caches["pages"].clear()
    yield
    caches["pages"].clear()
    reset_engine()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and what it left for after commit (search drain, generation)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def publish(commit, matrix, title: str, publish_at: dt.datetime | None = None):
    """Draft, submit and approve a disclosure of agency A titled ``title``."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")

    def steps():
        draft = fx.converted_draft(
            editor, matrix.agency_a, body=f"{title}。请遵照执行。"
        )
        draft = services.disclosure_update(actor=editor, disclosure=draft, title=title)
        draft = services.disclosure_submit(actor=editor, disclosure=draft)
        return services.disclosure_approve(
            actor=reviewer, disclosure=draft, publish_at=publish_at
        )

    return commit(steps)


def cached_twice(client: Client, url: str, **headers):
    """Request ``url`` twice; the second answer must come from the cache."""
    first = client.get(url, **headers)
    second = client.get(url, **headers)
    assert first["X-Page-Cache"] == "MISS", url
    assert second["X-Page-Cache"] == "HIT", url
    assert second.content == first.content
    return second


def column_titles(response) -> list[str]:
    """The result titles of the column search, highlighting taken out, sorted."""
    links = re.findall(
        r'class="result-title"><a [^>]*>(.*?)</a>', response.content.decode()
    )
    return sorted(re.sub(r"</?mark>", "", link) for link in links)


def api_titles(response) -> list[str]:
    return sorted(hit["title"] for hit in json.loads(response.content)["results"])


def feed_titles(response) -> list[str]:
    return sorted(
        re.findall(r"<title>(2026年[^<]*)</title>", response.content.decode())
    )


COLUMN = "/disclosures/?q=%E9%80%9A%E7%9F%A5"  # q=通知
API = "/api/v1/disclosures/?q=%E9%80%9A%E7%9F%A5"
FEED = "/feeds/disclosures/"


def test_a_publication_shows_on_the_next_request_to_every_cached_page(matrix, commit):
    first = publish(commit, matrix, "2026年第一季度防汛工作通知")
    client = Client()
    page = f"/disclosures/{first.index_no}/"
    assert column_titles(cached_twice(client, COLUMN)) == ["2026年第一季度防汛工作通知"]
    assert api_titles(cached_twice(client, API)) == ["2026年第一季度防汛工作通知"]
    assert feed_titles(cached_twice(client, FEED)) == ["2026年第一季度防汛工作通知"]
    assert "2026年第一季度防汛工作通知" in cached_twice(client, page).content.decode()
    assert "2026年第一季度防汛工作通知" in cached_twice(client, "/").content.decode()

    publish(commit, matrix, "2026年第二季度防汛工作通知")

    both = ["2026年第一季度防汛工作通知", "2026年第二季度防汛工作通知"]
    column = client.get(COLUMN)
    assert column["X-Page-Cache"] == "MISS"
    assert column_titles(column) == both
    assert api_titles(client.get(API)) == both
    assert feed_titles(client.get(FEED)) == both
    assert "2026年第二季度防汛工作通知" in client.get("/").content.decode()


def test_a_withdrawal_turns_the_cached_page_into_a_tombstone_at_once(matrix, commit):
    disclosure = publish(commit, matrix, "2026年春季植树活动通知")
    client = Client()
    page = f"/disclosures/{disclosure.index_no}/"
    api = f"/api/v1/disclosures/{disclosure.index_no}/"
    assert cached_twice(client, page).status_code == 200
    assert cached_twice(client, api).status_code == 200
    assert api_titles(cached_twice(client, API)) == ["2026年春季植树活动通知"]

    commit(
        services.disclosure_withdraw,
        actor=matrix.user("reviewer_a"),
        disclosure=disclosure,
        reason="活动已取消",
    )

    tombstone = client.get(page)
    assert tombstone.status_code == 410
    assert "活动已取消" in tombstone.content.decode()
    gone = client.get(api)
    assert gone.status_code == 410
    assert json.loads(gone.content)["withdrawn_reason"] == "活动已取消"
    assert api_titles(client.get(API)) == []
    assert feed_titles(client.get(FEED)) == []
    # The tombstone is the same for everyone: it is cached in its turn.
    again = client.get(page)
    assert (again.status_code, again["X-Page-Cache"]) == (410, "HIT")


def test_a_scheduled_publication_shows_once_its_time_has_come(
    matrix, commit, monkeypatch
):
    publish(commit, matrix, "2026年已发布的通知")
    scheduled = publish(
        commit,
        matrix,
        "2026年定时发布的通知",
        publish_at=timezone.now() + dt.timedelta(hours=1),
    )
    client = Client()
    page = f"/disclosures/{scheduled.index_no}/"
    api = f"/api/v1/disclosures/{scheduled.index_no}/"
    assert feed_titles(cached_twice(client, FEED)) == ["2026年已发布的通知"]
    assert client.get(page).status_code == 404
    assert client.get(api).status_code == 404

    # An hour on: the same day mostly, so the date in the key does not do the work.
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    # No write marks the moment: the first request after it sees the item.
    assert feed_titles(client.get(FEED)) == [
        "2026年定时发布的通知",
        "2026年已发布的通知",
    ]
    assert client.get(page).status_code == 200
    assert json.loads(client.get(api).content)["title"] == "2026年定时发布的通知"


def test_a_new_list_version_shows_on_every_cached_list_page_and_api(matrix, commit):
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    commit(nl.published_list, editor, reviewer, matrix.agency_a, [{}])
    code = matrix.agency_a.code
    client = Client()
    urls = {
        "page": f"/negative-lists/{code}/",
        "versions": f"/negative-lists/{code}/versions/",
        "api": f"/api/v1/negative-lists/agencies/{code}/",
        "api_versions": f"/api/v1/negative-lists/agencies/{code}/versions/",
    }
    before = {name: cached_twice(client, url) for name, url in urls.items()}
    assert "纳税人涉税保密信息" not in before["page"].content.decode()
    listed = before["versions"].content.decode()
    assert re.findall(r'<a href="[^"]*/versions/\d+/">(第\d+版)</a>', listed) == [
        "第1版"
    ]
    assert [v["number"] for v in json.loads(before["api_versions"].content)] == [1]
    assert json.loads(before["api"].content)["number"] == 1

    commit(nl.approved, editor, reviewer, matrix.agency_a, **nl.second_wording())
    commit(list_services.list_version_publish, actor=reviewer, agency=matrix.agency_a)

    assert "纳税人涉税保密信息" in client.get(urls["page"]).content.decode()
    versions = client.get(urls["versions"]).content.decode()
    assert re.findall(r'<a href="[^"]*/versions/\d+/">(第\d+版)</a>', versions) == [
        "第2版",
        "第1版",
    ]
    current = json.loads(client.get(urls["api"]).content)
    assert current["number"] == 2
    assert [i["title"] for i in current["items"]] == [
        "区政府常务会议讨论记录",
        "纳税人涉税保密信息",
    ]
    numbers = [
        v["number"] for v in json.loads(client.get(urls["api_versions"]).content)
    ]
    assert numbers == [2, 1]
