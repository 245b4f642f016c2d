"""The demo seeder gives two agencies published lists, one with two versions."""

from __future__ import annotations

import io

import pytest

from negative_list import lint, selectors
from negative_list.demo import seed_demo
from negative_list.models import Entry, ListVersion, ReviewCycle
from portal.demo import seed_agencies_and_users

pytestmark = pytest.mark.django_db


def test_demo_lists_versions_cycle_and_work_in_progress():
    seed_agencies_and_users()
    out = io.StringIO()
    seed_demo(stdout=out)
    lists = {row.agency.code: row for row in selectors.published_lists()}
    assert set(lists) == {"310101000", "310000107"}
    assert lists["310101000"].version.number == 2
    assert ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).count() == 1
    statuses = set(Entry.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "published"} <= statuses
    catch_all = Entry.objects.get(latest_version__scope="其他不宜公开的信息")
    assert "vague_wording" in [
        f.code for f in lint.check_version(catch_all.latest_version)
    ]
    seed_demo(stdout=out)
    assert ListVersion.objects.count() == 3
