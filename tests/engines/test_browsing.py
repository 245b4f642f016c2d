"""Contract: filters, multi-select facets, sort orders and paging."""

from __future__ import annotations

import datetime as dt

import pytest

from search.engines.base import SearchDocument, SearchEngine, SearchQuery, Sort
from tests.engines.support import make_doc

# A small city: bureaus A and B under the city (sh), a district (pd) with a
# sub-unit (pd.x).  Every document mentions 社会保险 or 公积金.
CITY = [
    make_doc(
        1,
        title="关于社会保险费征收的通知",
        agency="sh.a",
        agency_path=("sh", "sh.a"),
        topic="social",
        published_on=dt.date(2019, 1, 5),
    ),
    make_doc(
        2,
        title="社会保险基金年度报告",
        agency="sh.a",
        agency_path=("sh", "sh.a"),
        topic="social",
        published_on=dt.date(2020, 3, 1),
    ),
    make_doc(
        3,
        title="浦东新区社会保险经办指南",
        agency="pd.x",
        agency_path=("pd", "pd.x"),
        topic="social",
        published_on=dt.date(2020, 7, 15),
    ),
    make_doc(
        4,
        title="浦东新区住房公积金提取",
        agency="pd",
        agency_path=("pd",),
        topic="housing",
        published_on=dt.date(2021, 2, 1),
    ),
    make_doc(
        5,
        title="住房公积金缴存比例调整",
        agency="sh.b",
        agency_path=("sh", "sh.b"),
        topic="housing",
        published_on=dt.date(2019, 6, 30),
        doc_type="entry",
    ),
    make_doc(
        6,
        title="社会保险缴费基数",
        agency="sh.b",
        agency_path=("sh", "sh.b"),
        topic="",
        published_on=dt.date(2021, 11, 11),
        doc_type="entry",
    ),
]


@pytest.fixture
def city(engine: SearchEngine) -> SearchEngine:
    """Return the engine with the small city indexed."""
    engine.index(CITY)
    return engine


def ids(engine: SearchEngine, **query: object) -> list[str]:
    """Return the ids of one page."""
    return [hit.id for hit in engine.search(SearchQuery(**query)).hits]


def test_agency_filter_includes_sub_units(city: SearchEngine) -> None:
    """Filtering on a district finds its sub-units' documents too."""
    assert ids(city, agencies=["pd"]) == ["disclosure:4", "disclosure:3"]
    assert ids(city, agencies=["pd.x"]) == ["disclosure:3"]


def test_values_of_one_filter_are_alternatives(city: SearchEngine) -> None:
    """Several agencies (or topics, years, types) widen the result (OR)."""
    assert sorted(ids(city, agencies=["sh.b", "pd.x"])) == [
        "disclosure:3",
        "entry:5",
        "entry:6",
    ]
    assert len(ids(city, topics=["social", "housing"])) == 5
    assert sorted(ids(city, years=[2019])) == ["disclosure:1", "entry:5"]
    assert len(ids(city, years=[2019, 2021])) == 4
    assert sorted(ids(city, doc_types=["entry"])) == ["entry:5", "entry:6"]


def test_date_range_includes_both_bounds(city: SearchEngine) -> None:
    """``date_from`` and ``date_to`` are inclusive; either may be open."""
    assert ids(city, date_from=dt.date(2020, 3, 1), date_to=dt.date(2020, 7, 15)) == [
        "disclosure:3",
        "disclosure:2",
    ]
    assert ids(city, date_from=dt.date(2021, 2, 1)) == ["entry:6", "disclosure:4"]
    assert ids(city, date_to=dt.date(2019, 1, 5)) == ["disclosure:1"]


def test_different_filters_all_apply(city: SearchEngine) -> None:
    """Text, agency, topic, year, date and type filters combine with AND."""
    assert sorted(ids(city, text="社会保险", agencies=["sh"])) == [
        "disclosure:1",
        "disclosure:2",
        "entry:6",
    ]
    assert ids(
        city,
        text="社会保险",
        agencies=["sh"],
        topics=["social"],
        years=[2020],
        doc_types=["disclosure"],
        date_from=dt.date(2020, 1, 1),
    ) == ["disclosure:2"]
    assert ids(city, text="公积金", agencies=["sh.a"]) == []


def test_facets_count_every_dimension(city: SearchEngine) -> None:
    """Facets count agency paths, topics (not empty ones), years and types."""
    facets = city.search(SearchQuery(facets=True)).facets

    assert dict(facets["agency"]) == {
        "sh": 4,
        "sh.a": 2,
        "sh.b": 2,
        "pd": 2,
        "pd.x": 1,
    }
    assert facets["topic"] == [("social", 3), ("housing", 2)]
    assert facets["year"] == [(2019, 2), (2020, 2), (2021, 2)]
    assert facets["doc_type"] == [("disclosure", 4), ("entry", 2)]


def test_facet_buckets_are_ordered_by_count_then_value(city: SearchEngine) -> None:
    """Buckets come by descending count, ties by ascending value."""
    agency = city.search(SearchQuery(facets=True)).facets["agency"]

    assert agency == [("sh", 4), ("pd", 2), ("sh.a", 2), ("sh.b", 2), ("pd.x", 1)]


def test_a_facet_ignores_its_own_filter_but_applies_the_others(
    city: SearchEngine,
) -> None:
    """Multi-select: ticking a topic keeps the other topics' counts visible."""
    result = city.search(
        SearchQuery(text="社会保险", topics=["social"], years=[2020], facets=True)
    )

    assert sorted(hit.id for hit in result.hits) == ["disclosure:2", "disclosure:3"]
    assert result.total == 2
    # topic: text + year 2020, not the topic filter itself
    assert result.facets["topic"] == [("social", 2)]
    # year: text + topic social, not the year filter
    assert result.facets["year"] == [(2020, 2), (2019, 1)]
    # agency and type: text + topic + year
    assert dict(result.facets["agency"]) == {"sh": 1, "sh.a": 1, "pd": 1, "pd.x": 1}
    assert result.facets["doc_type"] == [("disclosure", 2)]


def test_agency_facet_ignores_the_agency_filter(city: SearchEngine) -> None:
    """With an agency selected, the agency facet still counts every agency."""
    result = city.search(
        SearchQuery(agencies=["pd"], doc_types=["disclosure"], facets=True)
    )

    assert result.total == 2
    assert dict(result.facets["agency"]) == {
        "sh": 2,
        "sh.a": 2,
        "pd": 2,
        "pd.x": 1,
    }
    assert result.facets["doc_type"] == [("disclosure", 2)]


def test_facets_are_empty_unless_asked_for(city: SearchEngine) -> None:
    """Without ``facets=True`` no counts are computed."""
    assert city.search(SearchQuery(text="社会保险")).facets == {}


def test_sort_orders(city: SearchEngine) -> None:
    """Newest and oldest order by date; relevance by score, then newest."""
    newest = ids(city, sort=Sort.NEWEST)
    oldest = ids(city, sort=Sort.OLDEST)
    by_relevance = city.search(SearchQuery(text="公积金", sort=Sort.RELEVANCE)).hits

    assert newest == [
        "entry:6",
        "disclosure:4",
        "disclosure:3",
        "disclosure:2",
        "entry:5",
        "disclosure:1",
    ]
    assert oldest == list(reversed(newest))
    assert [hit.score for hit in by_relevance] == sorted(
        (hit.score for hit in by_relevance), reverse=True
    )
    assert ids(city, text="公积金", sort=Sort.NEWEST) == ["disclosure:4", "entry:5"]
    assert ids(city, text="公积金", sort=Sort.OLDEST) == ["entry:5", "disclosure:4"]


def test_equal_dates_are_ordered_by_id(engine: SearchEngine) -> None:
    """Ties on date fall back to the id, so paging never repeats or skips."""
    same_day = dt.date(2020, 5, 5)
    engine.index([make_doc(key, published_on=same_day) for key in ("b", "a", "c")])

    assert ids(engine, sort=Sort.NEWEST) == [
        "disclosure:c",
        "disclosure:b",
        "disclosure:a",
    ]
    assert ids(engine, sort=Sort.OLDEST) == [
        "disclosure:a",
        "disclosure:b",
        "disclosure:c",
    ]


def test_relevance_ties_are_newest_first_on_every_page(engine: SearchEngine) -> None:
    """Equal scores fall back to the date order, with filters and without."""
    start = dt.date(2020, 1, 1)
    engine.index(
        [
            make_doc(
                n,
                title="预算公开",
                agency=f"sh.{'a' if n % 2 else 'b'}",
                agency_path=("sh", f"sh.{'a' if n % 2 else 'b'}"),
                published_on=start + dt.timedelta(days=n),
            )
            for n in range(9)
        ]
    )

    def walk(size: int, pages: int, **filters: object) -> list[str]:
        return [
            hit.id
            for page in range(1, pages + 1)
            for hit in engine.search(
                SearchQuery(
                    text="预算", sort=Sort.RELEVANCE, page=page, size=size, **filters
                )
            ).hits
        ]

    newest = [f"disclosure:{n}" for n in range(8, -1, -1)]
    assert walk(4, 3) == newest
    odd = ["disclosure:7", "disclosure:5", "disclosure:3", "disclosure:1"]
    assert walk(2, 2, agencies=["sh.a"]) == odd


def paged_docs(count: int) -> list[SearchDocument]:
    """Return ``count`` documents, one per day, all matching 预算."""
    start = dt.date(2020, 1, 1)
    return [
        make_doc(n, title=f"预算公开{n}", published_on=start + dt.timedelta(days=n))
        for n in range(count)
    ]


def test_pages_partition_the_results_up_to_the_last(engine: SearchEngine) -> None:
    """Walking the pages yields every hit once; the last page is partial."""
    engine.index(paged_docs(23))
    pages = [
        engine.search(SearchQuery(text="预算", sort=Sort.NEWEST, page=page, size=5))
        for page in range(1, 6)
    ]

    assert [result.total for result in pages] == [23] * 5
    assert [len(result.hits) for result in pages] == [5, 5, 5, 5, 3]
    walked = [hit.id for result in pages for hit in result.hits]
    assert walked == [f"disclosure:{n}" for n in range(22, -1, -1)]


def test_a_page_past_the_end_is_empty_but_counted(engine: SearchEngine) -> None:
    """Beyond the last page: no hits, the same total, facets still there."""
    engine.index(paged_docs(7))

    result = engine.search(SearchQuery(text="预算", page=3, size=5, facets=True))

    assert result.hits == []
    assert result.total == 7
    assert result.facets["doc_type"] == [("disclosure", 7)]


def test_search_reports_its_time(city: SearchEngine) -> None:
    """``took_ms`` is the measured time of the search, a small positive number."""
    took = city.search(SearchQuery(text="社会保险", facets=True)).took_ms

    assert 0 < took < 10_000
