"""Fixtures shared by every app's tests, above all the actor matrix.

The matrix is one small city: agency A and agency B (two districts), a sub-unit of
A, and one actor per kind of user. Permission tests iterate over ``ACTORS`` and
state, per entity, what each actor may do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from portal.models import Agency, Role
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

ACTORS = (
    "anonymous",
    "editor_a",
    "editor_b",
    "reviewer_a",
    "coordinator",
    "superuser",
)
STAFF = ACTORS[1:]
# Who works on an object of agency A: its own staff and the city-wide roles.
A_STAFF = ("editor_a", "reviewer_a", "coordinator", "superuser")


def outcomes(
    allowed: Iterable[str],
    *,
    ok: int = 200,
    refused: int = 403,
    outsider: int = 404,
    anonymous: int = 302,
) -> dict[str, int]:
    """Return the status each actor gets when only the ``allowed`` ones may act.

    The others are ``refused``, except editor_b of agency B (``outsider``: 404
    where an object of A must not be seen to exist) and a visitor not signed in
    (``anonymous``: a page's login redirect, or the API's 403).
    """
    allowed = set(allowed)
    special = {"editor_b": outsider, "anonymous": anonymous}
    return {
        actor: ok if actor in allowed else special.get(actor, refused)
        for actor in ACTORS
    }


@dataclass
class ActorMatrix:
    """The agencies and one user per actor kind (None for anonymous)."""

    city: Agency
    agency_a: Agency
    agency_b: Agency
    subunit_a: Agency
    users: dict

    def user(self, actor: str):
        return self.users[actor] or AnonymousUser()

    def client(self, actor: str, *, enforce_csrf_checks: bool = False) -> Client:
        """Return a real test client signed in as ``actor``."""
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        user = self.users[actor]
        if user is not None:
            client.force_login(user)
        return client

    def csrf_client(self, actor: str) -> Client:
        """Return a client that enforces CSRF like a browser would."""
        return self.client(actor, enforce_csrf_checks=True)


@pytest.fixture
def matrix(db) -> ActorMatrix:
    """Build the actor matrix: city → A (→ sub-unit), B; one user per actor."""
    return build_matrix()


@pytest.fixture
def editor(matrix):
    """Agency A's editor (a user; a test module may override it, e.g. with a client)."""
    return matrix.user("editor_a")


@pytest.fixture
def reviewer(matrix):
    """Agency A's reviewer."""
    return matrix.user("reviewer_a")


def build_matrix() -> ActorMatrix:
    """Create the matrix's agencies and users (for fixtures of any scope)."""
    city = AgencyFactory(code="310000000", name="上海市人民政府", kind=Agency.Kind.CITY)
    agency_a = AgencyFactory(
        code="310101000", name="上海市黄浦区人民政府", short_name="黄浦区", parent=city
    )
    agency_b = AgencyFactory(
        code="310104000", name="上海市徐汇区人民政府", short_name="徐汇区", parent=city
    )
    subunit_a = AgencyFactory(
        code="310101010",
        name="上海市黄浦区教育局",
        short_name="黄浦区教育局",
        parent=agency_a,
        kind=Agency.Kind.SUBUNIT,
    )
    users = {"anonymous": None}
    for actor, agency, role in (
        ("editor_a", agency_a, Role.EDITOR),
        ("editor_b", agency_b, Role.EDITOR),
        ("reviewer_a", agency_a, Role.REVIEWER),
        ("coordinator", city, Role.COORDINATOR),
    ):
        users[actor] = UserFactory(username=actor)
        MembershipFactory(user=users[actor], agency=agency, role=role)
    users["superuser"] = UserFactory(
        username="superuser", is_superuser=True, is_staff=True
    )
    return ActorMatrix(city, agency_a, agency_b, subunit_a, users)


@pytest.fixture
def anon_client() -> Client:
    return Client()


@pytest.fixture
def embedded_index(settings, tmp_path):
    """Point the search at a fresh embedded index for this test; yield the engine.

    An index shared between tests would carry their documents over; the e2e live
    server runs in a thread of this process, so it sees the same settings.
    """
    from search.engines import get_engine, reset_engine

    settings.SEARCH_ENGINE = "embedded"
    settings.SEARCH_EMBEDDED_PATH = tmp_path / "index" / "search.sqlite3"
    reset_engine()
    yield get_engine()
    reset_engine()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Start every test with an empty cache: cached pages and counts from a rolled
    back test must not show in the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the portal's default language. A request through the
    test client leaves its language (an English cookie or header) active on the
    thread; in production every request sets its own, so only tests carry it on."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


def pytest_collection_modifyitems(config, items) -> None:
    """Refuse a transactional test without ``serialized_rollback``.

    A plain ``transaction=True`` test ends with a flush that re-creates the
    content types (post_migrate); a later ``serialized_rollback`` test then
    restores the serialised ones on top and fails with a duplicate
    ``django_content_type`` row. With ``serialized_rollback`` everywhere the
    flush skips post_migrate and every test starts from the migrated data.
    """
    offenders = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db")) is not None
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if offenders:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True: "
            + ", ".join(offenders[:5])
        )
    if os.environ.get("GONGKAI_ONCE_PER_RUN_DONE"):
        # `make test` runs the suite on SQLite, then on PostgreSQL; a test marked
        # `once_per_run` does not depend on the database (the search engine's
        # client, page layout and axe) and ran in the first pass already.
        skip = pytest.mark.skip(reason="once_per_run: ran in the SQLite pass")
        for item in items:
            if item.get_closest_marker("once_per_run") is not None:
                item.add_marker(skip)
