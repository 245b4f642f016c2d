"""The public search API of the column, on both engines, through the real client."""

from __future__ import annotations

import pytest

from django.urls import reverse

from search import selectors
from tests.requests_ import factories as fx
from tests.search.conftest import get_with_fresh_engine, use_dead_elasticsearch
from tests.search.corpus import SCRIPT_TITLE

pytestmark = pytest.mark.django_db

URL = "/api/v1/disclosures/"


def test_route_name():
    assert reverse("search:api_column") == URL


def test_shape_and_disclosure_fields(client, column, matrix):
    """count, results with catalogue fields and highlight, facets, took_ms."""
    response = client.get(URL, {"q": "社保"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"count", "results", "facets", "took_ms"}
    assert body["count"] == 1
    [result] = body["results"]
    social = column.disclosures["social"]
    assert result["index_no"] == social.index_no
    assert result["title"] == social.title
    assert result["agency"] == {
        "code": matrix.agency_a.code,
        "name": "上海市黄浦区人民政府",
    }
    assert result["topic"]["code"] == column.topics[0].code
    assert result["published_on"] == "2023-03-01"
    assert result["url"] == f"http://testserver/disclosures/{social.index_no}/"
    assert "<mark>社会保险</mark>" in result["highlight"]["title"]
    assert body["facets"]["type"] == [
        {"value": "disclosure", "count": 1},
        {"value": "entry", "count": 0},
    ]


def test_facets_count_other_choices_of_a_multi_select(client, column, matrix):
    """With agency A chosen, the agency facet still counts B; others narrow."""
    body = client.get(URL, {"agency": matrix.agency_a.code}).json()
    assert body["count"] == 4
    agency = {b["value"]: b["count"] for b in body["facets"]["agency"]}
    assert agency[matrix.agency_b.code] == 2
    assert agency[matrix.subunit_a.code] == 1
    years = {b["value"]: b["count"] for b in body["facets"]["year"]}
    assert sum(years.values()) == 4
    both = client.get(URL, {"agency": f"{matrix.agency_a.code},{matrix.agency_b.code}"})
    assert both.json()["count"] == 6


def test_filters_sort_and_pages(client, column):
    """Year, topic and date filters apply; pages of two walk the results."""
    assert client.get(URL, {"year": 2024}).json()["count"] == 2
    assert client.get(URL, {"topic": column.topics[2].code}).json()["count"] == 2
    window = {"date_from": "2022-01-01", "date_to": "2023-06-30"}
    assert client.get(URL, window).json()["count"] == 2
    walked = []
    for page in (1, 2, 3, 4):
        body = client.get(URL, {"ordering": "oldest", "page_size": 2, "page": page})
        walked += [r["published_on"] for r in body.json()["results"]]
    assert len(walked) == 7
    assert walked == sorted(walked)
    beyond = client.get(URL, {"page_size": 2, "page": 9}).json()
    assert beyond["results"] == []
    assert beyond["count"] == 7


def test_highlight_is_escaped(client, column):
    [result] = client.get(URL, {"q": "招标"}).json()["results"]
    assert result["title"] == SCRIPT_TITLE
    assert result["highlight"]["title"].startswith("&lt;script&gt;")
    assert "<script>" not in result["highlight"]["title"]


def test_entries_come_back_with_their_own_fields(client, column, matrix):
    body = client.get(URL, {"type": "entry", "q": "常务会议"}).json()
    [result] = body["results"]
    assert result["type"] == "entry"
    assert result["title"] == "区政府常务会议讨论记录"
    assert result["code"]
    assert result["category"]
    assert "<mark>常务会议</mark>" in result["highlight"]["title"]
    assert result["url"].startswith(
        "http://testserver"
        + reverse("negative_list:agency", args=[matrix.agency_a.code])
    )
    assert "index_no" not in result


def test_applicant_identity_never_in_results(client, column):
    for text in ("老旧小区", fx.APPLICANT_NAME, fx.APPLICANT_ID):
        response = client.get(URL, {"q": text})
        for secret in (fx.APPLICANT_NAME, fx.APPLICANT_ID, fx.APPLICANT_PHONE):
            assert secret not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"agency": "999999999"}, "agency"),
        ({"agency": "bad code!"}, "agency"),
        ({"topic": "zz"}, "topic"),
        ({"year": "abc"}, "year"),
        ({"date_from": "2024-02-30"}, "date_from"),
        ({"date_from": "2024-05-01", "date_to": "2024-04-01"}, "date_to"),
        ({"type": "request"}, "type"),
        ({"ordering": "random"}, "ordering"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"q": "通" * 300}, "q"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(client, matrix, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert error["message"]


def test_engine_down_answers_503_in_the_error_shape(client, db, settings):
    use_dead_elasticsearch(settings)
    response = get_with_fresh_engine(client, URL, {"q": "通知"})
    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "search_unavailable",
            "message": str(selectors.SEARCH_UNAVAILABLE),
        }
    }


def test_anonymous_throttling_applies(client, db, settings, embedded_engine):
    """The public API is throttled like every anonymous endpoint."""
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"},
    }
    cache.clear()
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    previous = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [client.get(URL).status_code for _ in range(3)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = previous
        cache.clear()
    assert codes == [200, 200, 429]
