"""Fixtures of the search tests: an isolated engine per test and a small corpus.

``search_engine`` points the project's engine settings at a fresh embedded file
(``tmp_path``) or, when ``ELASTICSEARCH_URL`` names a node, at a unique index
prefix on it, and deletes what the test made afterwards.  ``column`` publishes a
fixed set of disclosures (through the requests app's import and approval
services) and negative-list entries, then drains the outbox into that engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engines import get_engine, reset_engine
from search.engines.base import SearchEngine
from search.engines.elasticsearch import ElasticsearchEngine
from tests.engines.support import (
    EMBEDDED,
    ENGINE_PARAMS,
    elasticsearch_url,
    unique_prefix,
)
from tests.search.corpus import Column, build_column


def configure_engine(name: str, settings, tmp_path: Path) -> SearchEngine:
    """Point the settings at a fresh engine of kind ``name`` and return it."""
    if name == EMBEDDED:
        settings.SEARCH_ENGINE = "embedded"
        settings.SEARCH_EMBEDDED_PATH = tmp_path / "index" / "search.sqlite3"
    else:
        settings.SEARCH_ENGINE = "elasticsearch"
        settings.ELASTICSEARCH_URL = elasticsearch_url()
        settings.ELASTICSEARCH_INDEX_PREFIX = unique_prefix()
    reset_engine()
    return get_engine()


def use_dead_elasticsearch(settings) -> None:
    """Point the settings at an Elasticsearch node that is not there (port 9)."""
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"


def get_with_fresh_engine(client, url: str, params: dict):
    """GET ``url`` with an engine built from the current settings, then drop it."""
    reset_engine()
    try:
        return client.get(url, params)
    finally:
        reset_engine()


@pytest.fixture(params=ENGINE_PARAMS)
def search_engine(request, settings, tmp_path: Path) -> Iterator[SearchEngine]:
    """Yield the project's engine, isolated for this test, of each kind."""
    engine = configure_engine(request.param, settings, tmp_path)
    try:
        yield engine
    finally:
        if isinstance(engine, ElasticsearchEngine):
            engine.drop()
        reset_engine()


@pytest.fixture
def embedded_engine(settings, tmp_path: Path) -> Iterator[SearchEngine]:
    """Yield an isolated embedded engine (tests about the outbox, not engines)."""
    engine = configure_engine(EMBEDDED, settings, tmp_path)
    yield engine
    reset_engine()


@pytest.fixture
def column(matrix, search_engine) -> Column:
    """Publish the fixed corpus and bring the index in step with it."""
    return build_column(matrix, search_engine)
