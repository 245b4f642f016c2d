"""Where the messaging app plugs into the shell: the dashboard panel, the menu."""

from __future__ import annotations


def register() -> None:
    """Register the failed-messages panel and the digest preference link."""
