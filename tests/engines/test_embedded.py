"""The embedded engine's own guarantees: files, swaps, connections, quoting."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from search.analysis import analyze_query
from search.engines.base import SearchEngineError, SearchQuery
from search.engines.embedded import (
    OUTDATED_SCHEMA,
    EmbeddedEngine,
    fts_expression,
    fts_string,
)
from tests.engines.support import make_doc


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Return where the index lives."""
    return tmp_path / "var" / "search.sqlite3"


def ids(engine: EmbeddedEngine, text: str) -> list[str]:
    """Return the ids of the first page for ``text``."""
    return [hit.id for hit in engine.search(SearchQuery(text=text)).hits]


def generation_files(path: Path) -> set[str]:
    """Return the generation files (and their WAL side files) next to ``path``."""
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name + ".")}


def test_path_links_to_the_current_generation_in_wal_mode(path: Path) -> None:
    """The configured path is a link to a WAL-mode database file."""
    engine = EmbeddedEngine(path)
    engine.index([make_doc(1, title="碳达峰")])

    target = path.parent / os.readlink(path)
    mode = sqlite3.connect(target).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_rebuild_swaps_the_link_and_deletes_the_old_file(path: Path) -> None:
    """After a rebuild only the new generation is left on disk."""
    engine = EmbeddedEngine(path)
    engine.index([make_doc(1, title="碳达峰")])
    old = os.readlink(path)

    engine.rebuild([make_doc(2, title="城市更新")])

    new = os.readlink(path)
    assert new != old
    assert not (path.parent / old).exists()
    assert {name.split("-")[0] for name in generation_files(path)} == {
        new.split("-")[0]
    }
    assert all(name.startswith(new) for name in generation_files(path))


def test_other_instances_reopen_after_a_rebuild(path: Path) -> None:
    """A reader holding a connection to the old file sees the new index next call."""
    writer = EmbeddedEngine(path)
    reader = EmbeddedEngine(path)
    writer.index([make_doc(1, title="旧区改造")])
    assert ids(reader, "旧区改造") == ["disclosure:1"]

    writer.rebuild([make_doc(2, title="城市更新")])

    assert ids(reader, "旧区改造") == []
    assert ids(reader, "城市更新") == ["disclosure:2"]
    assert reader.count() == 1


def test_each_thread_uses_its_own_connection(path: Path) -> None:
    """Searches from worker threads work and see what the main thread wrote."""
    engine = EmbeddedEngine(path)
    engine.index([make_doc(n, title="夜间经济") for n in range(3)])

    with ThreadPoolExecutor(max_workers=4) as pool:
        totals = list(
            pool.map(
                lambda _: engine.search(SearchQuery(text="夜间经济")).total, range(8)
            )
        )

    assert totals == [3] * 8


def test_failed_rebuild_leaves_no_files_behind(path: Path) -> None:
    """A rebuild that fails removes its half-written generation."""
    engine = EmbeddedEngine(path)
    engine.index([make_doc(1)])
    before = generation_files(path)

    def broken():
        yield make_doc(2)
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError):
        engine.rebuild(broken())

    assert generation_files(path) == before


def test_outdated_index_file_is_reported(path: Path) -> None:
    """A file from another schema version is refused with a clear message."""
    engine = EmbeddedEngine(path)
    engine.index([make_doc(1)])
    engine.close()
    target = path.parent / os.readlink(path)
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA user_version = 0")

    with pytest.raises(SearchEngineError, match=OUTDATED_SCHEMA):
        engine.search(SearchQuery(text="通知"))
    assert engine.ping() is False


def test_fts_strings_quote_every_token() -> None:
    """Tokens are wrapped in one FTS5 string with quotes doubled."""
    assert fts_string(['a"b', "c"]) == '"a""b c"'


def test_fts_expression_is_built_from_quoted_tokens_only() -> None:
    """Only fixed column filters, AND/OR and quoted strings reach FTS5."""
    expression = fts_expression(analyze_query("社保 NEAR(负面) OR *"))

    assert expression == (
        '({title_words meta_words body_words} : "社保"'
        ' OR {title_words meta_words body_words} : "社会保障"'
        ' OR {title_words meta_words body_words} : "社会保险")'
        ' AND ({title_words meta_words body_words} : "near")'
        ' AND ({title_words meta_words body_words} : "负面")'
        ' AND ({title_words meta_words body_words} : "or")'
    )


def test_results_follow_writes_made_through_another_instance(path: Path) -> None:
    """Cached results and facet bitsets are dropped when another process writes."""
    reader = EmbeddedEngine(path)
    writer = EmbeddedEngine(path)
    writer.index([make_doc(1, title="城市更新", topic="city")])
    query = SearchQuery(text="城市更新", facets=True)
    assert reader.search(query).total == 1
    assert reader.search(query).total == 1  # now from the result cache

    writer.index([make_doc(2, title="城市更新行动", topic="plan")])
    second = reader.search(query)
    assert second.total == 2
    assert sorted(second.facets["topic"]) == [("city", 1), ("plan", 1)]

    writer.delete(["disclosure:1"])
    assert [hit.id for hit in reader.search(query).hits] == ["disclosure:2"]

    writer.rebuild([make_doc(3, title="城市更新", topic="city")])
    assert [hit.id for hit in reader.search(query).hits] == ["disclosure:3"]


def test_common_words_are_counted_from_the_rows_that_do_not_match(path: Path) -> None:
    """A word in most documents gets the same total and facets as a rare one would."""
    engine = EmbeddedEngine(path)
    docs = [
        make_doc(
            n,
            title="关于垃圾分类的通知" if n % 5 else "年度预算",
            topic=("city", "plan", "")[n % 3],
            agency=("sh.a", "pd.x")[n % 2],
            agency_path=(("sh", "sh.a"), ("pd", "pd.x"))[n % 2],
            published_on=dt.date(2019 + n % 3, 1 + n % 12, 1),
        )
        for n in range(1, 31)
    ]
    engine.index(docs)
    matching = [doc for doc in docs if "通知" in doc.title]
    assert len(matching) * 2 > len(docs)

    result = engine.search(
        SearchQuery(text="通知", years=(2020,), agencies=("pd",), facets=True)
    )

    def count(pick, docs=matching):
        counts: dict = {}
        for doc in docs:
            for value in pick(doc):
                counts[value] = counts.get(value, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    in_pd = [doc for doc in matching if doc.agency == "pd.x"]
    in_2020 = [doc for doc in matching if doc.year == 2020]
    both = [doc for doc in in_pd if doc.year == 2020]
    assert result.total == len(both)
    assert result.facets["year"] == count(lambda d: [d.year], in_pd)
    assert result.facets["agency"] == count(lambda d: d.agency_codes, in_2020)
    assert result.facets["topic"] == count(lambda d: [d.topic] if d.topic else [], both)
    assert {hit.id for hit in result.hits} == {doc.id for doc in both}


def test_date_ranges_filter_and_count(path: Path) -> None:
    """A date range keeps its bounds inclusive in the total, the facets and the page."""
    engine = EmbeddedEngine(path)
    engine.index(
        [
            make_doc(n, title="公示", published_on=dt.date(2020, 1, n))
            for n in range(1, 11)
        ]
    )

    result = engine.search(
        SearchQuery(
            text="公示",
            date_from=dt.date(2020, 1, 3),
            date_to=dt.date(2020, 1, 5),
            facets=True,
            sort="oldest",
        )
    )

    assert result.total == 3
    assert [hit.id for hit in result.hits] == [f"disclosure:{n}" for n in (3, 4, 5)]
    assert result.facets["year"] == [(2020, 3)]


def test_one_term_in_most_documents_is_ordered_by_date_past_the_limit(
    path: Path,
) -> None:
    """Past ``exact_rank_limit`` matches such a query is newest first, unscored."""
    docs = [
        make_doc(1, title="通知 通知", body="通知", published_on=dt.date(2019, 1, 1)),
        make_doc(2, title="预算", body="通知", published_on=dt.date(2021, 1, 1)),
        make_doc(3, title="决算", body="通知", published_on=dt.date(2020, 1, 1)),
    ]
    scored = EmbeddedEngine(path)
    scored.index(docs)
    assert ids(scored, "通知")[0] == "disclosure:1"  # BM25: the title match

    by_date = EmbeddedEngine(path, exact_rank_limit=2)
    result = by_date.search(SearchQuery(text="通知"))

    assert [hit.id for hit in result.hits] == [
        "disclosure:2",
        "disclosure:3",
        "disclosure:1",
    ]
    assert {hit.score for hit in result.hits} == {0.0}
    # Two terms are still scored: the IDF of the other one counts.
    assert ids(by_date, "通知 预算") == ["disclosure:2"]


@pytest.mark.parametrize("slack", [0, 2, 32])
def test_relevance_pages_are_exact_however_far_ties_run(
    path: Path, slack: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite keeps the page plus ``TIE_SLACK`` rows by score; ties past them
    fall back to the exact pass, so every page is the same either way."""
    from search.engines import embedded_query

    monkeypatch.setattr(embedded_query, "TIE_SLACK", slack)
    start = dt.date(2020, 1, 1)
    engine = EmbeddedEngine(path)
    engine.index(
        [make_doc("best", title="预算 预算", body="预算", published_on=start)]
        + [
            make_doc(n, title="预算", published_on=start + dt.timedelta(days=n))
            for n in range(1, 10)
        ]
    )

    def page(number: int, **options: object) -> list[str]:
        query = SearchQuery(text="预算", page=number, size=4, **options)
        return [hit.id for hit in engine.search(query).hits]

    walked = page(1) + page(2) + page(3)
    assert walked == ["disclosure:best"] + [f"disclosure:{n}" for n in range(9, 0, -1)]
    result = engine.search(SearchQuery(text="预算", page=2, size=4, facets=True))
    assert result.total == 10
    assert result.facets["year"] == [(2020, 10)]
