"""System checks of the search app: reject a bad engine setting at start-up.

The engine names come from ``search.engines`` (the factory that builds them), so a
new engine is accepted here the day the factory learns it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error

from portal.checks import unknown_choice
from search.engines import ELASTICSEARCH, ENGINE_NAMES, elasticsearch_hosts

UNKNOWN_ENGINE_ID = "search.E001"
NO_ELASTICSEARCH_URL_ID = "search.E002"
BAD_ELASTICSEARCH_URL_ID = "search.E003"


def _url_problem(url: str) -> str | None:
    """Say what is wrong with one node's URL, or None when it is usable."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    return None


def check_search_engine(app_configs, **kwargs) -> list[Error]:
    """Reject an unknown SEARCH_ENGINE, and an Elasticsearch engine with no URL or
    with a node URL that cannot be parsed (each comma-separated node is checked)."""
    engine = getattr(settings, "SEARCH_ENGINE", None)
    if engine not in ENGINE_NAMES:
        return unknown_choice(
            "SEARCH_ENGINE",
            engine,
            ENGINE_NAMES,
            hint="Set the SEARCH_ENGINE environment variable.",
            id=UNKNOWN_ENGINE_ID,
        )
    url = getattr(settings, "ELASTICSEARCH_URL", "") or ""
    if engine == ELASTICSEARCH and not elasticsearch_hosts(url):
        return [
            Error(
                f"SEARCH_ENGINE is {ELASTICSEARCH!r} but ELASTICSEARCH_URL is empty.",
                id=NO_ELASTICSEARCH_URL_ID,
            )
        ]
    if engine != ELASTICSEARCH:
        return []
    errors = []
    for node in elasticsearch_hosts(url):
        problem = _url_problem(node)
        if problem:
            errors.append(
                Error(
                    f"ELASTICSEARCH_URL names the node {node!r}: {problem}.",
                    hint="Give each node as http(s)://host:port, several separated "
                    "by commas.",
                    id=BAD_ELASTICSEARCH_URL_ID,
                )
            )
    return errors
