"""Helpers for the concurrency tests: real threads, real PostgreSQL row locks.

Each test is transactional (every thread has its own connection and sees only
committed data) with ``serialized_rollback`` so the seeded catalogue survives the
flush. On SQLite they are skipped: its database-wide write lock serialises
everything, so there is no race to lose.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest

from django.db import connection, connections

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL row locks and real concurrent connections; run with "
        "DATABASE_URL=$(scripts/postgres start)"
    ),
)


@dataclass
class Race:
    """What each contender returned or raised, by contender index."""

    results: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, BaseException] = field(default_factory=dict)

    @property
    def winners(self) -> list[Any]:
        return list(self.results.values())


def race(contenders: list[Callable[[], Any]], timeout: float = 60) -> Race:
    """Start every contender at the same instant (a barrier) and wait for all."""
    outcome = Race()
    barrier = threading.Barrier(len(contenders))

    def run(index: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            outcome.results[index] = fn()
        except BaseException as exc:  # collected, asserted by the test
            outcome.errors[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(contenders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a contender hung (deadlock?)"
    return outcome


def race_each(actors: list[Any], act: Callable[[Any], Any]) -> Race:
    """Race ``act(actor)`` for every one of ``actors``."""
    return race([partial(act, actor) for actor in actors])
