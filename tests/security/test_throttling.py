"""Attack family: dodging the rate limits.

Every limiter keys on ``portal.clientip.client_ip``: the peer address, or with
``GONGKAI_TRUSTED_PROXIES`` = N the N-th ``X-Forwarded-For`` entry from the right,
never a value the client writes. The column search, the feeds and the open-data
downloads are throttled like the public API, and the login adds a cap per address
across user names. Everything goes through the real client.
"""

from __future__ import annotations

import pytest

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.checks import run_checks
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.throttling import SimpleRateThrottle

from portal.clientip import client_ip
from portal.lockout import ADDRESS_LOCKED_OUT, cooloff_minutes
from portal.throttling import PAGE_RATE_LIMITED, THROTTLED_VIEWS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/negative-lists/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def rates(monkeypatch):
    """Set small rates (DRF reads them from the class attribute) on a clean count."""

    def set_rates(anon: str = "100/minute", public: str = "2/minute") -> None:
        monkeypatch.setattr(
            SimpleRateThrottle,
            "THROTTLE_RATES",
            {"anon": anon, "user": "10000/minute", "public": public},
        )

    cache.clear()
    set_rates()
    yield set_rates
    cache.clear()


def rotating(count: int, **extra):
    client = Client()
    return [
        client.get(
            API,
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.{n // 250}.{n % 250}.1",
            **extra,
        ).status_code
        for n in range(count)
    ]


def test_rotating_forwarded_for_does_not_escape_the_api_throttle(rates):
    """150 requests from one peer with 150 different X-Forwarded-For values: the
    header is ignored, so the 101st and every later one is refused."""
    statuses = rotating(150)
    assert statuses == [200] * 100 + [429] * 50


def test_with_one_trusted_proxy_the_right_most_entry_is_the_client(rates, settings):
    """Behind one proxy, the entry it appended (right-most) is the key: the client's
    own entries to the left change nothing, another right-most entry is another
    client."""
    settings.GONGKAI_TRUSTED_PROXIES = 1
    rates(anon="3/minute")
    client = Client()
    statuses = [
        client.get(
            API,
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.7",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    other = client.get(
        API, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.8"
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "192.0.2.1"),
        (0, None, "192.0.2.1"),
        (1, "1.2.3.4, 5.6.7.8", "5.6.7.8"),
        (2, "1.2.3.4, 5.6.7.8, 9.9.9.9", "5.6.7.8"),
        (2, "5.6.7.8", "5.6.7.8"),
        (1, None, "192.0.2.1"),
        (1, "1.2.3.4, not-an-address", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_reads_only_what_trusted_proxies_wrote(
    settings, proxies, forwarded, expected
):
    """The N-th entry from the right with N proxies; the peer address otherwise."""
    settings.GONGKAI_TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": "192.0.2.1"}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


@pytest.mark.parametrize("value", [-1, 11, "2", True])
def test_a_bad_proxy_count_fails_the_system_check(settings, value):
    """A negative, absurd or non-integer count is refused at start-up."""
    settings.GONGKAI_TRUSTED_PROXIES = value
    ids = [message.id for message in run_checks()]
    assert "portal.E003" in ids


def test_a_sane_proxy_count_passes_the_system_check(settings):
    settings.GONGKAI_TRUSTED_PROXIES = 2
    assert "portal.E003" not in [message.id for message in run_checks()]


PAGES = [
    "/disclosures/?q=公开",
    "/feeds/search/?q=公开",
    "/feeds/disclosures/",
    "/feeds/agencies/310101000/",
    "/feeds/topics/education/",
    "/open-data/disclosures.csv",
    "/feeds/negative-lists/",
    "/feeds/negative-lists/310101000/",
    "/open-data/negative-lists.json",
    "/negative-lists/310101000/versions/1/export.csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_are_throttled_with_a_chinese_page(rates, url):
    """The third request within a minute from one address is refused with 429,
    Retry-After and the Chinese page; rotating X-Forwarded-For does not help."""
    client = Client()
    for n in range(2):
        response = client.get(url, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert response.status_code != 429
    refused = client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "访问过于频繁" in page
    assert str(PAGE_RATE_LIMITED).split("（")[0] in page
    elsewhere = client.get(url, REMOTE_ADDR="192.0.2.50")
    assert elsewhere.status_code != 429


def test_the_api_and_the_pages_count_apart(rates):
    """The page rate is a scope of its own: using it up leaves the API open."""
    client = Client()
    for _ in range(3):
        client.get("/feeds/disclosures/")
    assert client.get("/feeds/disclosures/").status_code == 429
    assert client.get(API).status_code == 200


def _named_patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_feed_and_public_download_is_throttled():
    """A feed or an open-data/export download added later cannot skip the throttle."""
    must = set()
    for name, pattern in _named_patterns(get_resolver()):
        route = str(pattern.pattern)
        is_feed = isinstance(pattern.callback, Feed) or route.startswith("feeds/")
        is_download = route.startswith("open-data/") and "." in route
        is_export = route.startswith("negative-lists/") and "export." in route
        if is_feed or is_download or is_export:
            must.add(name)
    must.add("search:column")
    assert must, "no feeds found: the walk is broken"
    assert must <= THROTTLED_VIEWS, sorted(must - THROTTLED_VIEWS)


# --- Login: a cap per address across user names -------------------------------------


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1", **kw):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **kw,
    )


def test_many_user_names_from_one_address_hit_the_address_cap(settings):
    """Five user names × four wrong passwords (under the per-user limit of five)
    from one address: the twentieth failure locks the address, for every account,
    with a Chinese message; another address is unaffected."""
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    names = [f"user{n}" for n in range(6)]
    for name in names:
        user = UserFactory(username=name)
        user.set_password(PASSWORD)
        user.save()
    client = Client()
    statuses = [
        login(client, name, "wrong").status_code for name in names[:5] for _ in range(4)
    ]
    assert statuses == [200] * 19 + [429]
    refused = login(Client(), names[5], PASSWORD)
    assert refused.status_code == 429
    expected = str(ADDRESS_LOCKED_OUT % {"minutes": cooloff_minutes()})
    assert expected in refused.content.decode()
    assert login(Client(), names[5], PASSWORD, ip="10.0.0.2").status_code == 302


def test_forwarded_for_does_not_split_the_login_count(settings):
    """django-axes keys on client_ip too: rotating X-Forwarded-For is one address."""
    user = UserFactory(username="huangpu_editor")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    locked = login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert locked.status_code == 429
