"""Shared pieces of the statutory-process tests (test_statutory_*.py).

Dates are worked out by hand in each test from the State Council's arrangements:
2025 National Day 1–8 October (make-up working days Sunday 28 September and
Saturday 11 October) and 2026 Spring Festival 15–23 February (make-up working days
Saturday 14 and Saturday 28 February).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from django.utils import timezone

from portal.models import Role
from tests.factories import MembershipFactory, UserFactory

D = dt.date


@pytest.fixture
def clock_at(monkeypatch) -> Callable[[dt.date], None]:
    """Set the portal's clock (``timezone.localdate()`` with no argument) to a day.

    The clock is outside the code under test; every "today" of the services, the
    selectors and the panels reads it.
    """
    real = timezone.localdate

    def at(day: dt.date) -> None:
        def localdate(value: Any = None, timezone: Any = None) -> dt.date:
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    return at


def second_reviewer(agency: Any, username: str = "reviewer_a2") -> Any:
    """A second reviewer of ``agency``: the head of its disclosure office."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, agency=agency, role=Role.REVIEWER)
    return user


def post(client: Any, url: str, data: dict | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def error(response: Any) -> dict:
    """The API's error body: code, message and the field it names."""
    return response.json()["error"]
