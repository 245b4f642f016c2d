"""Viewer-scoped reads: failed messages, and what a person's digest holds.

The digest reads the same selectors as the dashboard's panels, with the same
scopers, so a person's digest lists exactly what their "my work" shows, and a
city-wide coordinator's covers the city. Selectors that other work adds
(unconfirmed online submissions, "not convert" proposals, drafted letters) are
read when present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from messaging import permissions
from messaging.models import DigestPreference, Message, MessageStatus
from portal.audit_labels import chinese_date
from portal.permissions import STAFF_ROLES, AnyUser

DIGEST_LIMIT = 20


def failed_messages(user: AnyUser | None) -> QuerySet[Message]:
    """Return the failed request messages ``user`` may act on, newest first."""
    return (
        permissions.actionable_messages_qs(user)
        .filter(status=MessageStatus.FAILED)
        .select_related("request", "request__agency")
        .order_by("-id")
    )


# --- The daily digest ---------------------------------------------------------------


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: list[str]
    total: int


def _request_line(item: Any, *, due: bool = True) -> str:
    line = f"{item.tracking_code} {item.title}（{item.agency.display_name}）"
    if due and item.reply_due_on:
        line += _("，答复期限 %(day)s") % {"day": chinese_date(item.reply_due_on)}
    return line


def _overdue(user: Any, day: dt.date):
    from requests_ import selectors

    rows = selectors.request_list(user, due="overdue", today=day)
    return rows, _request_line


def _due_soon(user: Any, day: dt.date):
    from requests_ import selectors

    rows = selectors.request_list(user, due="soon", today=day)
    return rows, _request_line


def _unconfirmed(user: Any, day: dt.date):
    from requests_ import selectors

    unconfirmed = getattr(selectors, "unconfirmed_submissions", None)
    if unconfirmed is None:
        return None
    return unconfirmed(user), lambda r: _request_line(r, due=False)


def _entries(user: Any, day: dt.date):
    from negative_list import selectors

    return (
        selectors.awaiting_my_review(user),
        lambda e: f"{e.code} {e.latest_version.title}（{e.agency.display_name}）",
    )


def _disclosures(user: Any, day: dt.date):
    from requests_ import selectors

    return (
        selectors.disclosures_awaiting_approval(user),
        lambda d: f"{d.title}（{d.agency.display_name}）",
    )


def _conversions(user: Any, day: dt.date):
    from requests_ import selectors

    return selectors.conversions_to_decide(user), lambda r: _request_line(r, due=False)


def _conversion_reviews(user: Any, day: dt.date):
    from requests_ import selectors

    reviews = getattr(selectors, "conversion_reviews_awaiting", None)
    if reviews is None:
        return None
    return reviews(user), lambda c: _request_line(c.request, due=False)


def _letters(user: Any, day: dt.date):
    if not apps.is_installed("letters"):
        return None
    try:
        from letters.selectors import drafts_for
    except ImportError:
        return None
    return (
        drafts_for(user),
        lambda letter: (
            f"{letter.request.tracking_code} {letter.get_kind_display()}"
            f"（{letter.agency.display_name}）"
        ),
    )


# (title, source): a source returns (rows, line) for a user and a day, or None
# when the work it reads does not exist in this installation.
DIGEST_SOURCES: list[tuple[Any, Callable[[Any, dt.date], Any]]] = [
    (gettext_lazy("已超期的申请"), _overdue),
    (gettext_lazy("即将到期的申请"), _due_soon),
    (gettext_lazy("待确认的网上申请"), _unconfirmed),
    (gettext_lazy("待我审核的负面清单条目"), _entries),
    (gettext_lazy("待我审核的主动公开信息"), _disclosures),
    (gettext_lazy("待作转主动公开决定的申请"), _conversions),
    (gettext_lazy("待我审核的不予转主动公开决定"), _conversion_reviews),
    (gettext_lazy("已起草未签发的文书"), _letters),
]


def digest_sections(user: Any, day: dt.date) -> list[DigestSection]:
    """Return the non-empty sections of ``user``'s digest for ``day``."""
    sections = []
    for title, source in DIGEST_SOURCES:
        found = source(user, day)
        if found is None:
            continue
        rows, line = found
        total = rows.count()
        if total:
            lines = [line(row) for row in rows[:DIGEST_LIMIT]]
            sections.append(DigestSection(str(title), lines, total))
    return sections


def digest_recipients() -> QuerySet:
    """Return the active staff with an address who have not switched the digest off."""
    opted_out = DigestPreference.objects.filter(receive_digest=False).values("user")
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=STAFF_ROLES,
            memberships__agency__is_active=True,
        )
        .exclude(email="")
        .exclude(pk__in=opted_out)
        .distinct()
        .order_by("pk")
    )


def receives_digest(user: Any) -> bool:
    preference = DigestPreference.objects.filter(user=user).first()
    return preference is None or preference.receive_digest
