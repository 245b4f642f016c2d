"""Drain the outbox into the engine. Built out by the search issue."""

from __future__ import annotations


def drain(limit: int = 100) -> int:
    """Apply up to ``limit`` outbox rows; return how many were applied."""
    return 0
