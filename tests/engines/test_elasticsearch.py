"""The Elasticsearch engine's own guarantees: alias swaps, deep paging, mapping."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engines.base import (
    SearchDocument,
    SearchEngineError,
    SearchQuery,
    Sort,
)
from search.engines.elasticsearch import ElasticsearchEngine, document_class
from search.engines.elasticsearch_bulk import Analysis
from search.engines.fields import PAIR_FIELDS, WORD_FIELDS
from tests.engines.support import ELASTICSEARCH, make_doc, open_engine

SMALL_WINDOW = 10
BROKEN_SOURCE = "database went away"
DEEP_DOCS = 27


@pytest.fixture
def es(tmp_path: Path) -> Iterator[ElasticsearchEngine]:
    """Yield an Elasticsearch engine whose indices allow only 10 hits per page walk."""
    with open_engine(ELASTICSEARCH, tmp_path, max_result_window=SMALL_WINDOW) as engine:
        assert isinstance(engine, ElasticsearchEngine)
        yield engine


def aliased(engine: ElasticsearchEngine) -> list[str]:
    """Return the indices behind the engine's alias."""
    return list(engine.client.indices.get_alias(name=engine.alias))


@pytest.mark.elasticsearch
def test_rebuild_swaps_the_alias_and_drops_the_old_index(
    es: ElasticsearchEngine,
) -> None:
    """After a rebuild the alias names one new index; the old one is gone."""
    es.index([make_doc(1, title="碳达峰")])
    (old,) = aliased(es)

    es.rebuild([make_doc(2, title="城市更新")])

    (new,) = aliased(es)
    assert new != old
    assert not es.client.indices.exists(index=old)
    assert es.count() == 1


@pytest.mark.elasticsearch
def test_deep_pages_walk_with_search_after(es: ElasticsearchEngine) -> None:
    """Pages past ``max_result_window`` come back right, in every sort order."""
    start = dt.date(2020, 1, 1)
    es.index(
        [
            make_doc(n, title="预算公开", published_on=start + dt.timedelta(days=n))
            for n in range(DEEP_DOCS)
        ]
    )
    newest = [f"disclosure:{n}" for n in range(DEEP_DOCS - 1, -1, -1)]

    def page(number: int, sort: Sort) -> list[str]:
        query = SearchQuery(text="预算", sort=sort, page=number, size=4)
        return [hit.id for hit in es.search(query).hits]

    assert page(4, Sort.NEWEST) == newest[12:16]
    assert page(7, Sort.NEWEST) == newest[24:27]
    assert page(5, Sort.OLDEST) == list(reversed(newest))[16:20]
    assert page(6, Sort.RELEVANCE) == newest[20:24]
    beyond = es.search(SearchQuery(text="预算", page=9, size=4, facets=True))
    assert beyond.hits == []
    assert beyond.total == DEEP_DOCS
    assert beyond.facets["doc_type"] == [("disclosure", DEEP_DOCS)]


@pytest.mark.elasticsearch
def test_mapping_uses_built_in_analyzers_only(es: ElasticsearchEngine) -> None:
    """A plain cluster serves: whitespace analyzers, analysed copies not stored."""
    es.index([make_doc(1)])
    (index,) = aliased(es)
    mapping = es.client.indices.get_mapping(index=index)[index]["mappings"]

    for field in (*WORD_FIELDS, *PAIR_FIELDS):
        assert mapping["properties"][field]["analyzer"] == "whitespace"
    assert set(mapping["_source"]["excludes"]) == {*WORD_FIELDS, *PAIR_FIELDS}
    assert mapping["properties"]["agency_path"]["type"] == "keyword"


def test_cluster_analyzer_goes_into_the_word_fields() -> None:
    """A configured cluster analyzer (IK) replaces whitespace on word fields only."""
    mapping = document_class("ik_max_word")._doc_type.mapping.to_dict()

    for field in WORD_FIELDS:
        assert mapping["properties"][field]["analyzer"] == "ik_max_word"
    for field in PAIR_FIELDS:
        assert mapping["properties"][field]["analyzer"] == "whitespace"


@pytest.mark.elasticsearch
def test_cluster_analyzer_indexes_and_searches_on_a_real_node(tmp_path: Path) -> None:
    """The analyzer option end to end on a real node.

    The built-in ``standard`` analyzer stands in for IK, a plugin the test
    distribution does not carry: the word fields are analysed by the cluster,
    the pair fields (phrases, synonyms that are not words) still by Python.
    """
    with open_engine(ELASTICSEARCH, tmp_path, analyzer="standard") as engine:
        assert isinstance(engine, ElasticsearchEngine)
        engine.index(
            [
                make_doc(1, title="关于社会保险费征收的通知"),
                make_doc(2, title="中国国际进口博览会交通保障方案"),
                make_doc(3, title="住房公积金提取", body="办理住房公积金提取业务"),
            ]
        )
        (index,) = aliased(engine)
        mapping = engine.client.indices.get_mapping(index=index)[index]["mappings"]

        def found(text: str) -> list[str]:
            result = engine.search(SearchQuery(text=text, facets=True))
            return [hit.id for hit in result.hits]

        for field in WORD_FIELDS:
            assert mapping["properties"][field]["analyzer"] == "standard"
        assert found("社会保险") == ["disclosure:1"]
        assert found("社會保險") == ["disclosure:1"]  # normalised in Python first
        assert found("进博会 交通保障") == ["disclosure:2"]  # through a synonym
        assert found('"住房公积金"') == ["disclosure:3"]
        assert found("碳达峰") == []


def test_unreachable_cluster_fails_with_an_engine_error() -> None:
    """With no node listening, ping is false and requests raise one error type."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = ElasticsearchEngine(f"http://127.0.0.1:{port}", index_prefix="gkdown")
    engine.client = engine.client.options(max_retries=0, request_timeout=2)

    assert engine.ping() is False
    with pytest.raises(SearchEngineError):
        engine.search(SearchQuery(text="通知"))
    with pytest.raises(SearchEngineError):
        engine.index([make_doc(1)])


POOL_BATCH = 3
POOLED_DOCS = 11
BROKEN_AFTER = 7


def pooled_docs() -> list[SearchDocument]:
    """Return documents spanning several analysis batches, each distinct."""
    titles = ["社会保险费征缴", "住房公积金提取", "沪府办发〔2018〕16号", "進口博覽會"]
    return [
        make_doc(n, title=f"{titles[n % len(titles)]} 第{n}期", body=f"正文{n} abc-{n}")
        for n in range(POOLED_DOCS)
    ]


def test_worker_processes_analyse_like_the_calling_process() -> None:
    """A large load analysed in worker processes yields the same sources, in order."""
    docs = pooled_docs()
    with Analysis(docs, workers=2, batch_size=POOL_BATCH) as pooled:
        assert pooled.pool is not None
        from_workers = list(pooled)
    with Analysis(docs, workers=2, batch_size=len(docs) + 1) as inline:
        assert inline.pool is None
        in_process = list(inline)

    assert from_workers == in_process
    assert [doc_id for doc_id, _ in from_workers] == [doc.id for doc in docs]


@pytest.mark.elasticsearch
def test_large_rebuild_analyses_in_workers_and_overlaps_bulk(tmp_path: Path) -> None:
    """A rebuild bigger than one batch is complete and searchable."""
    with open_engine(ELASTICSEARCH, tmp_path, analysis_batch=POOL_BATCH) as es:
        assert es.rebuild(pooled_docs()) == POOLED_DOCS

        assert es.count() == POOLED_DOCS
        found = es.search(SearchQuery(text="进口博览会", sort=Sort.OLDEST))
        assert [hit.id for hit in found.hits] == ["disclosure:3", "disclosure:7"]


@pytest.mark.elasticsearch
def test_failing_source_during_a_pooled_rebuild_keeps_the_old_index(
    tmp_path: Path,
) -> None:
    """An error while reading documents propagates; the alias keeps its index."""

    def broken() -> Iterator[SearchDocument]:
        yield from pooled_docs()[:BROKEN_AFTER]
        raise RuntimeError(BROKEN_SOURCE)

    with open_engine(ELASTICSEARCH, tmp_path, analysis_batch=POOL_BATCH) as es:
        es.index([make_doc(1, title="碳达峰")])
        (old,) = aliased(es)

        with pytest.raises(RuntimeError, match=BROKEN_SOURCE):
            es.rebuild(broken())

        assert aliased(es) == [old]
        assert es.client.indices.get(index=f"{es.alias}-*").keys() == {old}
        assert es.count() == 1
