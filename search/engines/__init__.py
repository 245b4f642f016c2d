"""Choose the search engine from Django settings, one instance per process.

Settings read (all optional; see ``portal/settings/base.py``):

* ``SEARCH_ENGINE`` — ``"embedded"`` (default) or ``"elasticsearch"``;
* ``SEARCH_EMBEDDED_PATH`` — the embedded engine's index file;
* ``ELASTICSEARCH_URL`` — one node, or several comma-separated
  (``http://a:9200,http://b:9200``): the client gets each as a host and sends a
  request that fails to connect to the next one;
* ``ELASTICSEARCH_INDEX_PREFIX`` (default
  ``"gongkai"``), ``ELASTICSEARCH_SHARDS``, ``ELASTICSEARCH_REPLICAS``;
* ``ELASTICSEARCH_ANALYZER`` — a cluster-side analyzer (e.g. ``ik_max_word``)
  instead of the Python analysis chain; ``None`` keeps the chain.

The engine modules themselves never import Django; only this factory reads
settings, so the engines stay testable and usable from scripts.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from search.engines.base import SearchEngine

EMBEDDED = "embedded"
ELASTICSEARCH = "elasticsearch"
ENGINE_NAMES = (EMBEDDED, ELASTICSEARCH)
DEFAULT_EMBEDDED_PATH = Path("var") / "search.sqlite3"
DEFAULT_ELASTICSEARCH_URL = "http://127.0.0.1:9200"
DEFAULT_INDEX_PREFIX = "gongkai"
DEFAULT_SHARDS = 1
DEFAULT_REPLICAS = 0

UNKNOWN_ENGINE = "SEARCH_ENGINE must be one of: " + ", ".join(ENGINE_NAMES)

_lock = threading.Lock()
_engines: dict[tuple[Any, ...], SearchEngine] = {}


def elasticsearch_hosts(url: str) -> list[str]:
    """Split an ``ELASTICSEARCH_URL`` into its nodes (comma-separated, no blanks)."""
    return [part.strip() for part in (url or "").split(",") if part.strip()]


def engine_settings() -> tuple[Any, ...]:
    """Return the settings that identify an engine, as a hashable tuple."""
    from django.conf import settings

    name = getattr(settings, "SEARCH_ENGINE", EMBEDDED) or EMBEDDED
    if name == EMBEDDED:
        path = getattr(settings, "SEARCH_EMBEDDED_PATH", None)
        return (EMBEDDED, str(path or DEFAULT_EMBEDDED_PATH))
    if name == ELASTICSEARCH:
        return (
            ELASTICSEARCH,
            getattr(settings, "ELASTICSEARCH_URL", None) or DEFAULT_ELASTICSEARCH_URL,
            getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", None)
            or DEFAULT_INDEX_PREFIX,
            int(getattr(settings, "ELASTICSEARCH_SHARDS", DEFAULT_SHARDS)),
            int(getattr(settings, "ELASTICSEARCH_REPLICAS", DEFAULT_REPLICAS)),
            getattr(settings, "ELASTICSEARCH_ANALYZER", None) or None,
        )
    raise ValueError(UNKNOWN_ENGINE)


def build_engine(key: tuple[Any, ...]) -> SearchEngine:
    """Construct the engine an ``engine_settings`` tuple describes."""
    # Imported here, not at the top: a process loads only the engine it
    # runs (the Elasticsearch client costs a third of a second to import).
    # Neither engine module imports this package's names, so no cycle hides.
    if key[0] == EMBEDDED:
        from search.engines.embedded import EmbeddedEngine

        return EmbeddedEngine(key[1])
    from search.engines.elasticsearch import ElasticsearchEngine

    _, url, prefix, shards, replicas, analyzer = key
    return ElasticsearchEngine(
        elasticsearch_hosts(url),
        index_prefix=prefix,
        shards=shards,
        replicas=replicas,
        analyzer=analyzer,
    )


def get_engine() -> SearchEngine:
    """Return this process's engine for the current settings.

    One instance per settings tuple, so a test that overrides settings gets
    its own engine and the previous one is kept for when it switches back.
    """
    key = engine_settings()
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = build_engine(key)
        return engine


def reset_engine() -> None:
    """Close and forget every cached engine (tests, settings changes)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.close()
