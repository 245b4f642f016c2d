"""The search app's answer to the portal's health endpoint (``/healthz``).

Registered with ``portal.health`` in ``SearchConfig.ready()``, so the core asks
search for its health without knowing the engines.
"""

from __future__ import annotations

import logging

from search.engines import get_engine

logger = logging.getLogger(__name__)


def engine_ok() -> bool:
    """Return whether the configured search engine answers its ping."""
    try:
        return bool(get_engine().ping())
    except Exception:  # any failure to build or reach the engine means "down"
        logger.exception("Health check: the search engine does not answer.")
        return False
