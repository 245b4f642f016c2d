"""Where the messaging app plugs into the shell: the dashboard panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from messaging.models import MessageKind
from portal.extensions import Section, register_dashboard_panel

PANEL_LIMIT = 10
KIND_LABELS = dict(MessageKind.choices)


def _failed(request: HttpRequest) -> dict[str, Any] | None:
    """Messages that failed for good, for the staff who can act on their request.

    Shown only when there are some: a failure is the exception, and the panel
    asks for an action (fix the address with the applicant, then send again).
    """
    from messaging import selectors

    messages = list(selectors.failed_messages(request.user)[:PANEL_LIMIT])
    if not messages:
        return None
    return {
        "title": _("发送失败的邮件"),
        "rows": [
            {
                "message": message,
                "kind": KIND_LABELS.get(message.kind, message.kind),
            }
            for message in messages
        ],
        "empty": "",
    }


def register() -> None:
    """Register the failed-messages panel."""
    register_dashboard_panel(
        Section("messaging_failed", "messaging/panels/failed.html", _failed, 9)
    )
