"""Where the letters app plugs into the shell: the dashboard panel of drafts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.extensions import Section, register_dashboard_panel

PANEL_LIMIT = 10


def _drafts_panel(request: HttpRequest) -> dict[str, Any] | None:
    from letters.selectors import drafts_for

    drafts = drafts_for(request.user)
    if not drafts.exists():
        return None
    return {
        "title": _("已起草未签发的文书"),
        "letters": list(drafts[:PANEL_LIMIT]),
        "total": drafts.count(),
    }


def register() -> None:
    register_dashboard_panel(
        Section("letters_drafts", "letters/panels/drafts.html", _drafts_panel, order=35)
    )
