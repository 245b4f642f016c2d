"""The demo seeder: every request state, due soon and overdue, a column."""

from __future__ import annotations

import pytest

from portal.demo import seed_agencies_and_users
from requests_ import selectors
from requests_.demo import seed_demo
from requests_.models import Disclosure, DisclosureRequest, RequestStatus

pytestmark = pytest.mark.django_db


def test_seeder_covers_every_state_and_is_idempotent(django_user_model):
    """Run twice: every request status, overdue and due-soon items, a dozen public
    disclosures across agencies, and nothing duplicated."""
    seed_agencies_and_users()
    seed_demo()
    seed_demo()
    statuses = set(DisclosureRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    admin = django_user_model.objects.get(username="admin")
    assert selectors.request_list(admin, due="overdue").count() >= 2
    assert selectors.request_list(admin, due="soon").count() >= 2
    public = Disclosure.objects.public()
    assert public.count() >= 12
    assert public.values("agency").distinct().count() >= 3
    assert public.values("topic").distinct().count() >= 5
    assert Disclosure.objects.filter(status="withdrawn").exists()
