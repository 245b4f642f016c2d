"""The loop of a command that drains an outbox (``send_messages``, ``search_sync``).

Run once, or with ``--loop`` every ``--interval`` seconds until stopped (or
``--max-loops`` polls). A database outage is waited out: the rows stay in the
outbox and the next poll, on a fresh connection, tries them again.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser
from django.db import InterfaceError, OperationalError, connection

# The database itself failing (gone, restarted, locked): never a row's fault.
DATABASE_ERRORS = (OperationalError, InterfaceError)


def add_poll_arguments(
    parser: CommandParser, *, interval: float, retry_help: str
) -> None:
    """Add --loop, --interval (default ``interval``), --retry-failed, --max-loops."""
    parser.add_argument("--loop", action="store_true", help="Run until stopped.")
    parser.add_argument(
        "--interval", type=float, default=interval, help="Seconds between polls."
    )
    parser.add_argument("--retry-failed", action="store_true", help=retry_help)
    parser.add_argument(
        "--max-loops", type=int, default=0, help="Stop after N polls (0: never)."
    )


def forget_connection() -> None:
    """Drop a broken database connection so the next query opens a new one."""
    with contextlib.suppress(Exception):
        connection.close()


def poll(
    options: dict[str, Any],
    step: Callable[[], None],
    *,
    database_down: Callable[[Exception], None],
) -> None:
    """Run ``step`` each poll until --max-loops; report an outage and go on."""
    loops = 0
    while True:
        try:
            step()
        except DATABASE_ERRORS as error:
            forget_connection()
            database_down(error)
        loops += 1
        if options["max_loops"] and loops >= options["max_loops"]:
            return
        time.sleep(options["interval"])
