"""Where the requests app plugs into the shell: nav, panels, demo, search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.calendar import default_calendar
from portal.extensions import (
    NavLink,
    Section,
    register_dashboard_panel,
    register_demo_seeder,
    register_home_section,
    register_public_nav,
    register_workspace_nav,
)
from portal.permissions import is_staff_member

PANEL_LIMIT = 10


def _request_rows(qs: Any, date_field: str = "reply_due_on") -> list[dict[str, Any]]:
    calendar = default_calendar()
    today = timezone.localdate()
    rows = []
    for item in qs[:PANEL_LIMIT]:
        due = getattr(item, date_field)
        left = calendar.working_days_between(today, due) if due else None
        rows.append(
            {
                "request": item,
                "due": due,
                "days_left": left,
                "late": -left if left is not None and left < 0 else 0,
            }
        )
    return rows


def _panel(title: Any, rows: list, empty: Any, link: str = "", **extra: Any) -> dict:
    return {"title": title, "rows": rows, "empty": empty, "link": link, **extra}


def _due_soon(request: HttpRequest) -> dict[str, Any] | None:
    from requests_ import selectors

    qs = selectors.request_list(request.user, due="soon")
    return _panel(
        _("即将到期的申请"),
        _request_rows(qs),
        _("五个工作日内没有到期的申请。"),
        "soon",
    )


def _overdue(request: HttpRequest) -> dict[str, Any] | None:
    from requests_ import selectors
    from requests_.clock import overdue_days

    calendar = default_calendar()
    today = timezone.localdate()
    qs = selectors.request_list(request.user, due="overdue")
    # Counted from the days actually used: a request paused by a consultation
    # after its deadline shows the days it had run over, and has no due date.
    rows = []
    for item in qs[:PANEL_LIMIT]:
        late = overdue_days(item, today, calendar)
        rows.append(
            {
                "request": item,
                "due": item.reply_due_on,
                "days_left": -late,
                "late": late,
            }
        )
    return _panel(_("已超期的申请"), rows, _("没有超期的申请。"), "overdue")


def _unconfirmed(request: HttpRequest) -> dict[str, Any] | None:
    """Online submissions awaiting confirmation, oldest first (第三十一条)."""
    from requests_ import selectors

    calendar = default_calendar()
    today = timezone.localdate()
    rows = []
    for item in selectors.unconfirmed_submissions(request.user)[:PANEL_LIMIT]:
        age = calendar.working_days_between(item.submitted_on, today)
        rows.append(
            {
                "request": item,
                "due": item.submitted_on,
                "days_left": None,
                "late": 0,
                "note": _("提交后已等待 %(n)s 个工作日") % {"n": age},
            }
        )
    return _panel(
        _("待确认的网上申请"),
        rows,
        _("没有待确认的网上申请。"),
        "",
        status="submitted",
    )


def _run_out(request: HttpRequest) -> dict[str, Any] | None:
    """Requests whose consultation ran out: the handler must decide."""
    from requests_ import permissions, selectors

    qs = selectors.consultations_run_out(
        permissions.readable_requests_qs(request.user).select_related("agency")
    )
    rows = [
        {
            "request": item,
            "due": item.consultation_due_on,
            "days_left": None,
            "late": 0,
            "note": item.get_consultation_result_display()
            or _("征求意见期限已过，待恢复计时"),
        }
        for item in qs[:PANEL_LIMIT]
    ]
    return _panel(
        _("征求意见期限已过、待承办人决定"), rows, _("没有征求意见逾期的申请。")
    )


def _fees_pending(request: HttpRequest) -> dict[str, Any] | None:
    """Fee notices awaiting payment, soonest deadline first (国办函〔2020〕109号)."""
    from requests_ import fees, permissions

    notices = fees.pending_fee_notices(permissions.readable_requests_qs(request.user))
    rows = [
        {
            "request": notice.request,
            "due": notice.pay_by,
            "days_left": None,
            "late": 0,
            "note": _("%(amount)s 元，缴费期限 %(day)s")
            % {"amount": notice.amount, "day": notice.pay_by.isoformat()},
        }
        for notice in notices[:PANEL_LIMIT]
    ]
    return _panel(
        _("待申请人缴费（停止计时）"),
        rows,
        _("没有待缴费的申请。"),
        "",
        status="fee_pending",
    )


def _corrections(request: HttpRequest) -> dict[str, Any] | None:
    from requests_ import selectors

    qs = selectors.corrections_awaiting(request.user)
    return _panel(
        _("等待申请人补正"),
        _request_rows(qs, "correction_reply_by"),
        _("没有等待补正的申请。"),
        "",
        status="correction_requested",
    )


def _conversions(request: HttpRequest) -> dict[str, Any] | None:
    from requests_ import selectors

    qs = selectors.conversions_to_decide(request.user)
    return _panel(
        _("待作转主动公开决定"),
        [
            {"request": r, "due": None, "days_left": None, "late": 0}
            for r in qs[:PANEL_LIMIT]
        ],
        _("没有待决定的申请。"),
    )


def _conversion_reviews(request: HttpRequest) -> dict[str, Any] | None:
    """Return the "not convert" proposals waiting for this reviewer (not their own)."""
    from requests_ import permissions, selectors

    if not permissions.conversion_reviewing_agencies_qs(request.user).exists():
        return None
    reviews = selectors.conversion_reviews_awaiting(request.user)[:PANEL_LIMIT]
    return {
        "key": "conversion_reviews",
        "title": _("待我审核的不转主动公开建议"),
        "rows": [
            {"request": r.request, "note": r.get_reason_display()} for r in reviews
        ],
        "empty": _("没有待审核的不转建议。"),
        "link": "",
    }


def _conversions_late(request: HttpRequest) -> dict[str, Any] | None:
    """Conversions still unpublished past their window (the agency's and city's)."""
    from django.urls import reverse

    from requests_ import selectors

    rows = selectors.conversions_past_window(request.user)
    return {
        "key": "conversions_late",
        "title": _("超过发布期限的转主动公开"),
        "rows": [
            {
                "request": row["request"],
                "note": _("超过发布期限 %(n)s 个工作日") % {"n": row["late"]},
            }
            for row in rows[:PANEL_LIMIT]
        ],
        "empty": _("没有超过发布期限的转主动公开。"),
        "link": reverse("requests_:conversions_late") if rows else "",
    }


def _approvals(request: HttpRequest) -> dict[str, Any] | None:
    from requests_ import selectors

    qs = selectors.disclosures_awaiting_approval(request.user)
    return {
        "title": _("待我审核的主动公开信息"),
        "disclosures": list(qs[:PANEL_LIMIT]),
        "empty": _("没有待审核的信息。"),
    }


def _latest(request: HttpRequest) -> dict[str, Any] | None:
    from requests_ import selectors

    items = list(selectors.latest_public_disclosures())
    return {"disclosures": items} if items else None


def _reads_city_overview(user: Any) -> bool:
    from requests_.permissions import can_read_city_overview

    return can_read_city_overview(user)


def register() -> None:
    """Register nav links, panels, the home section, the demo and the search source."""
    register_public_nav(
        "requests_apply", NavLink(_("申请公开"), "requests_:apply", order=30)
    )
    register_public_nav(
        "requests_track", NavLink(_("申请查询"), "requests_:track", order=31)
    )
    register_workspace_nav(
        "requests_requests",
        NavLink(
            _("依申请公开"), "requests_:request_list", order=10, visible=is_staff_member
        ),
    )
    register_workspace_nav(
        "requests_disclosures",
        NavLink(
            _("转主动公开"),
            "requests_:disclosure_list",
            order=11,
            visible=is_staff_member,
        ),
    )
    register_workspace_nav(
        "requests_annual_report",
        NavLink(
            _("年度报告统计"),
            "annual_report:page",
            order=12,
            visible=is_staff_member,
        ),
    )
    template = "requests_/panels/requests.html"
    for order, (key, context) in enumerate(
        (
            ("overdue", _overdue),
            ("due_soon", _due_soon),
            ("corrections", _corrections),
            ("conversions", _conversions),
        ),
        start=10,
    ):
        register_dashboard_panel(Section(f"requests_{key}", template, context, order))
    register_dashboard_panel(
        Section("requests_approvals", "requests_/panels/approvals.html", _approvals, 14)
    )
    for key, context, order in (
        ("conversion_reviews", _conversion_reviews, 15),
        ("conversions_late", _conversions_late, 16),
    ):
        register_dashboard_panel(
            Section(
                f"requests_{key}", "requests_/panels/conversions.html", context, order
            )
        )
    register_workspace_nav(
        "requests_city_overview",
        NavLink(
            _("全市办理情况"),
            "requests_:city_overview",
            order=13,
            visible=_reads_city_overview,
        ),
    )
    for key, context, order in (
        ("unconfirmed", _unconfirmed, 17),
        ("consultations_run_out", _run_out, 18),
    ):
        register_dashboard_panel(Section(f"requests_{key}", template, context, order))
    register_dashboard_panel(Section("requests_fees", template, _fees_pending, 19))
    register_home_section(
        Section("requests_latest", "requests_/home_latest.html", _latest, order=20)
    )

    from requests_.demo import seed_demo

    register_demo_seeder("requests_", seed_demo, order=50)

    from requests_.search_source import DisclosureDocumentSource
    from search.registry import register_source

    register_source(DisclosureDocumentSource())

    from requests_.public_site import register as register_public_site

    register_public_site()
