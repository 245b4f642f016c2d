"""Build engines and documents for the engine and relevance tests.

The Elasticsearch engine needs a node: ``ELASTICSEARCH_URL`` names it (see
``scripts/elasticsearch``).  Without it the Elasticsearch cases are skipped,
unless ``GONGKAI_REQUIRE_ELASTICSEARCH=1`` (CI, ``make test``), where a
missing node fails them instead of hiding them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engines.base import SearchDocument, SearchEngine
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.embedded import EmbeddedEngine

EMBEDDED = "embedded"
ELASTICSEARCH = "elasticsearch"
URL_VARIABLE = "ELASTICSEARCH_URL"
REQUIRE_VARIABLE = "GONGKAI_REQUIRE_ELASTICSEARCH"
TEST_INDEX_PREFIX = "gktest"

ENGINE_PARAMS = [
    pytest.param(EMBEDDED, id=EMBEDDED),
    pytest.param(ELASTICSEARCH, id=ELASTICSEARCH, marks=pytest.mark.elasticsearch),
]


def elasticsearch_url() -> str:
    """Return the node URL, or skip (fail when required) if there is none."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if url:
        return url
    message = f"{URL_VARIABLE} is not set (start a node: scripts/elasticsearch start)"
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but {message}")
    pytest.skip(message)


def unique_prefix() -> str:
    """Return an index prefix no other test (or test run) uses."""
    return f"{TEST_INDEX_PREFIX}-{uuid.uuid4().hex[:12]}"


@contextlib.contextmanager
def open_engine(
    name: str, directory: Path, **options: object
) -> Iterator[SearchEngine]:
    """Yield a fresh, empty engine of ``name``; delete what it made afterwards."""
    if name == EMBEDDED:
        engine: SearchEngine = EmbeddedEngine(directory / "search.sqlite3")
        try:
            yield engine
        finally:
            engine.close()
        return
    es = ElasticsearchEngine(
        elasticsearch_url(), index_prefix=unique_prefix(), **options
    )
    try:
        yield es
    finally:
        es.drop()
        es.close()


def make_doc(
    key: int | str,
    *,
    title: str = "通知",
    body: str = "",
    agency: str = "sh.a",
    agency_path: tuple[str, ...] = ("sh", "sh.a"),
    topic: str = "economy",
    published_on: dt.date = dt.date(2020, 1, 1),
    doc_type: str = "disclosure",
    doc_no: str = "",
    keywords: str = "",
    summary: str = "",
) -> SearchDocument:
    """Return a document with sensible defaults for the fields a test ignores."""
    return SearchDocument(
        id=f"{doc_type}:{key}",
        doc_type=doc_type,
        title=title,
        body=body,
        agency=agency,
        agency_path=agency_path,
        topic=topic,
        published_on=published_on,
        index_no=f"IDX-{key}",
        doc_no=doc_no,
        keywords=keywords,
        summary=summary,
    )
