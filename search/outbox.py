"""Write index work into the outbox inside the caller's transaction.

``enqueue`` is the one door other apps use. After the transaction commits, an
attempt is made to apply the work at once; if the engine is down the row stays,
and ``manage.py search_sync`` applies it later. Publishing never fails because of
the search engine.
"""

from __future__ import annotations

import logging

from django.db import transaction

from search import sync
from search.models import OutboxEntry

logger = logging.getLogger(__name__)


def enqueue(
    *, doc_type: str, object_id: int | str, action: str = OutboxEntry.Action.UPSERT
) -> OutboxEntry:
    """Record that ``doc_type:object_id`` must be (re)indexed or removed."""
    entry = OutboxEntry.objects.create(
        doc_type=doc_type, object_id=str(object_id), action=action
    )
    transaction.on_commit(_drain_after_commit)
    return entry


def _drain_after_commit() -> None:
    """Apply pending work now; any failure is left for ``search_sync``."""
    try:
        sync.drain(limit=100)
    except Exception:
        logger.warning(
            "search outbox: immediate drain failed; search_sync will retry",
            exc_info=True,
        )
