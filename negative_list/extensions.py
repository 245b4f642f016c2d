"""How the negative-list app plugs into the shared shell and the search app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import extensions
from portal.extensions import NavLink, Section
from portal.permissions import is_staff_member

PANEL_ROWS = 8


def _home_section(request: HttpRequest) -> dict[str, Any] | None:
    from negative_list import selectors

    lists = selectors.published_lists()
    return {"lists": lists[:PANEL_ROWS], "total": len(lists)} if lists else None


def _dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    from negative_list import selectors

    user = request.user
    today = timezone.localdate()
    cycles = list(selectors.cycles_for(user, open_only=True))
    tasks = list(selectors.my_open_tasks(user)[:PANEL_ROWS])
    panel = {
        "awaiting_review": list(selectors.awaiting_my_review(user)[:PANEL_ROWS]),
        "drafts": list(selectors.my_drafts(user)[:PANEL_ROWS]),
        "cycles": cycles,
        "overdue_cycles": [c for c in cycles if c.is_overdue(today)],
        "tasks": tasks,
        "overdue_tasks": [t for t in tasks if t.cycle.is_overdue(today)],
    }
    if not any(panel.values()):
        return None
    return panel


def register() -> None:
    """Register navigation, home section, dashboard panel, demo data, search source."""
    extensions.register_public_nav(
        "negative_list", NavLink(_("负面清单"), "negative_list:index", order=20)
    )
    extensions.register_workspace_nav(
        "negative_list",
        NavLink(
            _("负面清单"), "negative_list:workspace", order=20, visible=is_staff_member
        ),
    )
    extensions.register_home_section(
        Section("negative_list", "negative_list/_home_section.html", _home_section, 20)
    )
    extensions.register_dashboard_panel(
        Section(
            "negative_list", "negative_list/_dashboard_panel.html", _dashboard_panel, 20
        )
    )
    from negative_list.demo import seed_demo

    extensions.register_demo_seeder("negative_list", seed_demo, order=20)

    from negative_list.public_site import register as register_public_site

    register_public_site()
    try:
        from search.registry import register_source
    except ImportError:  # pragma: no cover - the search app is part of the project
        return
    from negative_list.search_source import EntryDocumentSource

    register_source(EntryDocumentSource())
