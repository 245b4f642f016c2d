"""The city coordinator's overview: per agency, what is late or waiting too long.

Four figures per agency, each counted by the same selector the agencies' own
lists use, and each a link to the list of exactly the requests it counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.decorators import staff_required
from requests_ import fees, permissions, selectors
from requests_.models import DisclosureRequest


def _overdue(user: Any, today: Any) -> list[DisclosureRequest]:
    return list(selectors.request_list(user, due=selectors.DUE_OVERDUE, today=today))


def _consultations_run_out(user: Any, today: Any) -> list[DisclosureRequest]:
    requests = permissions.readable_requests_qs(user)
    return list(selectors.consultations_run_out(requests, today=today))


def _fees_pending(user: Any, today: Any) -> list[DisclosureRequest]:
    notices = fees.pending_fee_notices(permissions.readable_requests_qs(user))
    return [notice.request for notice in notices]


def _conversions_late(user: Any, today: Any) -> list[DisclosureRequest]:
    rows = selectors.conversions_past_window(user, today=today)
    return [row["request"] for row in rows]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    requests: Callable[[Any, Any], list[DisclosureRequest]]


FIGURES = (
    Figure("overdue", _("已超期的申请"), _overdue),
    Figure("consultations", _("征求意见期满未答复"), _consultations_run_out),
    Figure("fees", _("待缴费的收费通知"), _fees_pending),
    Figure("conversions", _("超过发布期限的转主动公开"), _conversions_late),
)
FIGURE_KEYS = {figure.key: figure for figure in FIGURES}


def _require_coordinator(request: HttpRequest) -> None:
    if not permissions.can_read_city_overview(request.user):
        raise PermissionDenied


def overview_rows(user: Any, today: Any = None) -> tuple[list[dict], dict[str, int]]:
    """Return one row per agency with its figures, and the city's totals."""
    today = today or timezone.localdate()
    counts = {
        figure.key: Counter(r.agency_id for r in figure.requests(user, today))
        for figure in FIGURES
    }
    agencies: QuerySet = permissions.report_agencies_qs(user)
    rows = [
        {
            "agency": agency,
            "figures": [(f, counts[f.key][agency.pk]) for f in FIGURES],
        }
        for agency in agencies
    ]
    totals = {key: sum(counter.values()) for key, counter in counts.items()}
    return rows, totals


@staff_required
def city_overview(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    rows, totals = overview_rows(request.user)
    return render(
        request,
        "requests_/workspace/city_overview.html",
        {
            "rows": rows,
            "figures": FIGURES,
            "totals": [(f, totals[f.key]) for f in FIGURES],
        },
    )


@staff_required
def city_overview_list(request: HttpRequest, figure: str) -> HttpResponse:
    """List the requests one figure of the overview counts (one agency or all)."""
    _require_coordinator(request)
    if figure not in FIGURE_KEYS:
        raise Http404
    chosen = FIGURE_KEYS[figure]
    agency = None
    code = request.GET.get("agency", "")[:32]
    if code:
        agency = get_object_or_404(
            permissions.report_agencies_qs(request.user), code=code
        )
    items = chosen.requests(request.user, timezone.localdate())
    if agency is not None:
        items = [item for item in items if item.agency_id == agency.pk]
    return render(
        request,
        "requests_/workspace/city_overview_list.html",
        {"figure": chosen, "agency": agency, "items": items},
    )
