"""Contract: writing to an engine — index, update, delete, clear, rebuild."""

from __future__ import annotations

import datetime as dt

import pytest

from search.engines.base import SearchEngine, SearchQuery
from tests.engines.support import make_doc


def found(engine: SearchEngine, text: str, **filters: object) -> list[str]:
    """Return the ids of the first page for ``text``."""
    return [hit.id for hit in engine.search(SearchQuery(text=text, **filters)).hits]


def test_indexed_document_is_found_and_counted(engine: SearchEngine) -> None:
    """An indexed document is searchable at once and counted."""
    written = engine.index(
        [
            make_doc(1, title="关于调整本市最低工资标准的通知"),
            make_doc(2, title="住房公积金年度报告"),
        ]
    )

    assert written == 2
    assert engine.count() == 2
    assert found(engine, "最低工资") == ["disclosure:1"]


def test_reindexing_an_id_replaces_the_document(engine: SearchEngine) -> None:
    """Indexing the same id again replaces text and filter values, not adds."""
    engine.index([make_doc(1, title="负面清单", topic="economy")])
    engine.index(
        [
            make_doc(
                1,
                title="住房公积金",
                agency="sh.b",
                agency_path=("sh", "sh.b"),
                topic="housing",
            )
        ]
    )

    assert engine.count() == 1
    assert found(engine, "负面清单") == []
    assert found(engine, "公积金") == ["disclosure:1"]
    assert found(engine, "", agencies=["sh.a"]) == []
    assert found(engine, "", topics=["housing"]) == ["disclosure:1"]


def test_delete_removes_documents_and_ignores_unknown_ids(engine: SearchEngine) -> None:
    """Deleted documents disappear from results and counts; unknown ids are fine."""
    engine.index([make_doc(1, title="垃圾分类"), make_doc(2, title="垃圾分类指引")])

    engine.delete(["disclosure:1", "disclosure:999", "entry:1"])

    assert engine.count() == 1
    assert found(engine, "垃圾分类") == ["disclosure:2"]


def test_all_ids_lists_every_document(engine: SearchEngine) -> None:
    """``all_ids`` yields each indexed id once, for reconciliation."""
    docs = [make_doc(n) for n in range(1, 8)] + [make_doc(1, doc_type="entry")]
    engine.index(docs)

    assert sorted(engine.all_ids()) == sorted(doc.id for doc in docs)


def test_clear_empties_the_index_and_indexing_works_after(engine: SearchEngine) -> None:
    """``clear`` removes everything; the engine keeps working afterwards."""
    engine.index([make_doc(n, title="碳达峰") for n in range(5)])

    engine.clear()

    assert engine.count() == 0
    assert list(engine.all_ids()) == []
    engine.index([make_doc(9, title="碳达峰实施方案")])
    assert found(engine, "碳达峰") == ["disclosure:9"]


def test_rebuild_serves_old_results_until_the_swap(engine: SearchEngine) -> None:
    """Searches answer from the old index while a rebuild loads the new one."""
    engine.index([make_doc(1, title="旧区改造")])
    seen_during_rebuild: list[list[str]] = []

    def new_documents():
        yield make_doc(2, title="城市更新")
        seen_during_rebuild.append(
            found(engine, "旧区改造") + found(engine, "城市更新")
        )
        yield make_doc(3, title="城市更新行动")

    rebuilt = engine.rebuild(new_documents())

    assert seen_during_rebuild == [["disclosure:1"]]
    assert rebuilt == 2
    assert found(engine, "旧区改造") == []
    assert sorted(found(engine, "城市更新")) == ["disclosure:2", "disclosure:3"]
    assert engine.count() == 2


def test_rebuild_reports_progress(engine: SearchEngine) -> None:
    """The progress callback ends with the number of documents written."""
    reported: list[int] = []

    engine.rebuild((make_doc(n) for n in range(7)), progress=reported.append)

    assert reported
    assert reported[-1] == 7
    assert reported == sorted(reported)


def test_failed_rebuild_keeps_the_old_index(engine: SearchEngine) -> None:
    """If the document source fails, the old index stays in place untouched."""
    engine.index([make_doc(1, title="义务教育招生")])

    def broken():
        yield make_doc(2, title="夜间经济")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        engine.rebuild(broken())

    assert found(engine, "义务教育") == ["disclosure:1"]
    assert found(engine, "夜间经济") == []
    assert engine.count() == 1


def test_hostile_document_text_is_indexed(engine: SearchEngine) -> None:
    """NUL, lone surrogates, emoji and markup in a document do not break indexing."""
    engine.index(
        [
            make_doc(
                1,
                title="食品\x00安全 \ud800 专项整治 😀 <b>",
                body="正文\u200b包含\x07控制字符 ' \" ; DROP TABLE docs; --",
            )
        ]
    )

    assert found(engine, "专项整治") == ["disclosure:1"]
    assert found(engine, "控制字符") == ["disclosure:1"]


def test_ping_reports_a_working_engine(engine: SearchEngine) -> None:
    """``ping`` is true for a reachable, working engine."""
    assert engine.ping() is True


def test_datetime_publication_is_stored_as_a_date(engine: SearchEngine) -> None:
    """A datetime given as publication date filters by its calendar date."""
    published = dt.datetime(2021, 3, 5, 23, 30, tzinfo=dt.UTC)
    engine.index([make_doc(1, published_on=published)])

    in_range = SearchQuery(date_from=dt.date(2021, 3, 5), date_to=dt.date(2021, 3, 5))

    assert [hit.id for hit in engine.search(in_range).hits] == ["disclosure:1"]
