"""System checks of the search app: reject a bad engine setting at start-up.

The engine names come from ``search.engines`` (the factory that builds them), so a
new engine is accepted here the day the factory learns it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from search.engines import ELASTICSEARCH, ENGINE_NAMES

UNKNOWN_ENGINE_ID = "search.E001"
NO_ELASTICSEARCH_URL_ID = "search.E002"


def check_search_engine(app_configs, **kwargs) -> list[Error]:
    """Reject an unknown SEARCH_ENGINE and an Elasticsearch engine with no URL."""
    engine = getattr(settings, "SEARCH_ENGINE", None)
    if engine not in ENGINE_NAMES:
        return [
            Error(
                f"SEARCH_ENGINE is {engine!r}; it must be one of: "
                + ", ".join(ENGINE_NAMES)
                + ".",
                hint="Set the SEARCH_ENGINE environment variable.",
                id=UNKNOWN_ENGINE_ID,
            )
        ]
    if engine == ELASTICSEARCH and not getattr(settings, "ELASTICSEARCH_URL", ""):
        return [
            Error(
                f"SEARCH_ENGINE is {ELASTICSEARCH!r} but ELASTICSEARCH_URL is empty.",
                id=NO_ELASTICSEARCH_URL_ID,
            )
        ]
    return []
