"""System checks: reject bad configuration at start-up, not at the first request.

Each app checks its own settings (the search engine's: ``search/checks.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from portal.calendar import default_calendar


def unknown_choice(
    name: str, value: object, choices: Sequence[str], *, id: str, hint: str = ""
) -> list[Error]:
    """The error for a setting ``name`` whose ``value`` is none of ``choices``."""
    if value in choices:
        return []
    message = f"{name} is {value!r}; it must be one of: " + ", ".join(choices) + "."
    return [Error(message, hint=hint or None, id=id)]


@register()
def check_trusted_proxies(app_configs, **kwargs):
    """Reject a proxy count that is not a small non-negative integer."""
    value = getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return []
    return [
        Error(
            f"GONGKAI_TRUSTED_PROXIES is {value!r}; it must be the number of proxies "
            "in front of the portal that append to X-Forwarded-For (0 to 10).",
            hint="Leave it unset (0) unless a load balancer or CDN sits in front; "
            "a value higher than the real count lets clients choose their address.",
            id="portal.E003",
        )
    ]


@register(Tags.database)
def check_calendar_next_year(app_configs, **kwargs):
    """Warn when next year's holiday arrangement is known to nothing.

    Tagged as a database check, so it runs on ``migrate`` and ``check --database``
    (it reads the override table), not on every ``runserver``.
    """
    try:
        calendar = default_calendar()
    except DatabaseError:
        return []
    next_year = dt.date.today().year + 1
    if calendar.year_is_known(next_year):
        return []
    return [
        Warning(
            f"The working-day arrangement for {next_year} is not known: deadlines "
            f"running into {next_year} are provisional (weekdays only).",
            hint="Upgrade chinesecalendar or enter the State Council's arrangement "
            "as calendar overrides (workspace → 工作日调整).",
            id="portal.W001",
        )
    ]
