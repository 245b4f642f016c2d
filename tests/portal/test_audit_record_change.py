"""``audit.record_change``: an update service's event shows only what changed."""

import pytest

from portal import audit
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_the_changed_keys_are_kept_and_extra_is_added(matrix):
    event = audit.record_change(
        actor=matrix.user("coordinator"),
        verb="agency.update",
        obj=matrix.agency_a,
        agency=matrix.agency_a,
        before={"name": "旧名", "code": "A", "phone": "1"},
        after={"name": "新名", "code": "A", "phone": "2"},
        note="改名",
        extra={"exemptions": ["x"]},
    )
    event.refresh_from_db()
    assert event.before == {"name": "旧名", "phone": "1"}
    assert event.after == {"name": "新名", "phone": "2", "exemptions": ["x"]}
    assert (event.note, event.agency) == ("改名", matrix.agency_a)


def test_a_new_key_counts_as_changed_from_nothing(matrix):
    event = audit.record_change(
        actor=None,
        verb="agency.update",
        obj=matrix.city,
        before={},
        after={"name": "市"},
    )
    assert (event.before, event.after) == ({"name": None}, {"name": "市"})


def test_nothing_changed_records_an_empty_event_unless_told_to_skip(matrix):
    kept = audit.record_change(
        actor=None, verb="x.kept", obj=matrix.city, before={"a": 1}, after={"a": 1}
    )
    skipped = audit.record_change(
        actor=None,
        verb="x.skipped",
        obj=matrix.city,
        before={"a": 1},
        after={"a": 1},
        skip_unchanged=True,
    )
    assert (kept.before, kept.after) == ({}, {})
    assert skipped is None
    assert not AuditEvent.objects.filter(verb="x.skipped").exists()
