"""A health endpoint for load balancers: is the database up, are the services up?

The database decides whether a web node can serve at all (503 without it). Other
components (the search engine) register a probe in their ``AppConfig.ready()``;
a failing probe only degrades the node, because publishing, the workspace and the
public pages work without them (the search outbox catches up afterwards).
Deliberately cheap and anonymous: one trivial query and one call per probe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"
# Keys of the answer that no probe may take.
STATUS = "status"
DATABASE = "database"

Probe = Callable[[], bool]
_PROBES: dict[str, Probe] = {}


def register_probe(name: str, probe: Probe) -> None:
    """Report ``probe()`` as ``name`` in /healthz (called in ``AppConfig.ready()``)."""
    if name in (STATUS, DATABASE):
        raise ValueError(f"{name!r} is not a probe name")
    _PROBES[name] = probe


def _probe_ok(name: str, probe: Probe) -> bool:
    try:
        return bool(probe())
    except Exception:  # a probe that breaks reports its component down
        logger.exception("Health check: the %s probe failed.", name)
        return False


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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the database and every probe; 503 only when the database is down."""
    database = database_ok()
    probes = {name: _probe_ok(name, probe) for name, probe in _PROBES.items()}
    if not database:
        status = DOWN
    elif not all(probes.values()):
        status = DEGRADED
    else:
        status = OK
    body = {STATUS: status, DATABASE: OK if database else DOWN}
    body.update((name, OK if ok else DOWN) for name, ok in probes.items())
    return JsonResponse(body, status=200 if database else 503)
