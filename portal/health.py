"""A health endpoint for load balancers: is the database up, is search up?

The database decides whether a web node can serve at all (503 without it); the
search engine only degrades the node, because publishing, the workspace and the
public pages work without it and the search outbox catches up afterwards.
Deliberately cheap and anonymous: one trivial query and one engine ping.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"


def database_ok() -> bool:
    """Return whether the default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer.")
        return False
    return True


def search_ok() -> bool:
    """Return whether the configured search engine answers its ping."""
    from search.engines import get_engine

    try:
        return bool(get_engine().ping())
    except Exception:  # any failure to build or reach the engine means "down"
        logger.exception("Health check: the search engine does not answer.")
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the database and search engine; 503 only when the database is down."""
    database = database_ok()
    search = search_ok()
    if not database:
        status = DOWN
    elif not search:
        status = DEGRADED
    else:
        status = OK
    body = {
        "status": status,
        "database": OK if database else DOWN,
        "search": OK if search else DOWN,
    }
    return JsonResponse(body, status=200 if database else 503)
