"""Attack family: scraping and brute force through the API.

DRF's anonymous and per-user throttles are on by default (``API_ANON_RATE``,
``API_USER_RATE``); a client over its rate gets 429 in the project's one error shape
with a Retry-After header. The test suite's own rates are generous, so these tests
lower the rate for themselves.
"""

from __future__ import annotations

import pytest

from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from portal.settings import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    """Lower both rates to 3 a minute and start from an empty count."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"}
    )
    cache.clear()
    yield
    cache.clear()


def test_throttles_are_configured_for_every_api_view():
    """Anonymous and staff throttles are the defaults, with production rates in base."""
    classes = [c.__name__ for c in api_settings.DEFAULT_THROTTLE_CLASSES]
    assert classes == ["AnonRateThrottle", "StaffRateThrottle"]
    rates = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["anon"].endswith("/minute")
    assert rates["user"].endswith("/minute")
    assert "DEFAULT_THROTTLE_RATES" in settings.REST_FRAMEWORK


def test_anonymous_client_gets_429_in_the_error_shape(low_rates):
    """The fourth anonymous call within a minute is refused with code "throttled"."""
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/negative-lists/").status_code == 200
    response = client.get("/api/v1/negative-lists/")
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "throttled"
    assert body["error"]["message"]
    assert int(response["Retry-After"]) > 0


def test_throttle_counts_per_address(low_rates):
    """Another address still gets through while the first one waits."""
    client = Client()
    for _ in range(4):
        client.get("/api/v1/negative-lists/", REMOTE_ADDR="10.1.1.1")
    response = client.get("/api/v1/negative-lists/", REMOTE_ADDR="10.1.1.2")
    assert response.status_code == 200


def test_signed_in_user_is_throttled_per_user(low_rates, matrix):
    """A user over the user rate gets 429 as well, whatever address they use."""
    client = matrix.client("editor_a")
    for index in range(3):
        client.get("/api/v1/me/", REMOTE_ADDR=f"10.2.0.{index}")
    response = client.get("/api/v1/me/", REMOTE_ADDR="10.2.0.99")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_anonymous_callers_are_held_to_the_anonymous_rate_only(monkeypatch):
    """The staff rate does not apply to anonymous callers (DRF's user throttle
    would count them by address too, capping the public rate at the staff one)."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "6/minute", "user": "2/minute"}
    )
    cache.clear()
    client = Client()
    statuses = [client.get("/api/v1/negative-lists/").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
