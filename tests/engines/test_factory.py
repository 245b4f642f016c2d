"""``get_engine``: one engine per process and settings, chosen by settings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engines import UNKNOWN_ENGINE, get_engine, reset_engine
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.embedded import EmbeddedEngine

settings = pytest.importorskip("django.conf").settings


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    if not settings.configured:
        pytest.skip("needs Django settings (run under pytest-django)")
    reset_engine()
    yield
    reset_engine()


def test_embedded_engine_is_the_default(tmp_path: Path) -> None:
    """``SEARCH_ENGINE=embedded`` gives one cached embedded engine at the path."""
    from django.test import override_settings

    path = tmp_path / "index.sqlite3"
    with override_settings(SEARCH_ENGINE="embedded", SEARCH_EMBEDDED_PATH=path):
        engine = get_engine()
        assert isinstance(engine, EmbeddedEngine)
        assert engine.path == path
        assert get_engine() is engine


def test_elasticsearch_settings_are_passed_through() -> None:
    """The Elasticsearch engine gets URL, prefix, shards, replicas and analyzer."""
    from django.test import override_settings

    with override_settings(
        SEARCH_ENGINE="elasticsearch",
        ELASTICSEARCH_URL="http://127.0.0.1:9",
        ELASTICSEARCH_INDEX_PREFIX="Portal",
        ELASTICSEARCH_SHARDS=2,
        ELASTICSEARCH_REPLICAS=1,
        ELASTICSEARCH_ANALYZER="ik_max_word",
    ):
        engine = get_engine()
    assert isinstance(engine, ElasticsearchEngine)
    assert (engine.alias, engine.shards, engine.replicas, engine.analyzer) == (
        "portal-search",
        2,
        1,
        "ik_max_word",
    )


def test_settings_changes_give_a_different_engine(tmp_path: Path) -> None:
    """Different settings give different engines; each is reused."""
    from django.test import override_settings

    with override_settings(SEARCH_EMBEDDED_PATH=tmp_path / "a.sqlite3"):
        first = get_engine()
    with override_settings(SEARCH_EMBEDDED_PATH=tmp_path / "b.sqlite3"):
        second = get_engine()
    with override_settings(SEARCH_EMBEDDED_PATH=tmp_path / "a.sqlite3"):
        again = get_engine()

    assert first is not second
    assert again is first


def test_unknown_engine_name_is_rejected() -> None:
    """A misspelt engine name fails loudly instead of falling back."""
    from django.test import override_settings

    with (
        override_settings(SEARCH_ENGINE="solr"),
        pytest.raises(ValueError, match=re.escape(UNKNOWN_ENGINE)),
    ):
        get_engine()
