"""The audit trail is append-only."""

import pytest

from portal import audit
from portal.models import AuditEvent, AuditTrailImmutable

pytestmark = pytest.mark.django_db


def _event(matrix):
    return audit.record(
        actor=matrix.user("coordinator"),
        verb="agency.update",
        obj=matrix.agency_a,
        agency=matrix.agency_a,
        before={"name": "旧"},
        after={"name": "新"},
    )


def test_record_keeps_actor_object_and_change(matrix):
    event = _event(matrix)
    assert event.actor_label == matrix.user("coordinator").get_full_name()
    assert event.object_id == str(matrix.agency_a.pk)
    assert event.changes() == [("name", "旧", "新")]
    history = list(audit.events_for(matrix.agency_a).order_by("id"))
    assert [e.verb for e in history] == ["agency.create", "agency.update"]
    assert history[-1] == event


def test_events_cannot_be_changed(matrix):
    event = _event(matrix)
    event.verb = "forged"
    with pytest.raises(AuditTrailImmutable):
        event.save()


def test_events_cannot_be_deleted_one_by_one_or_in_bulk(matrix):
    event = _event(matrix)
    with pytest.raises(AuditTrailImmutable):
        event.delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.update(verb="forged")
    assert AuditEvent.objects.get(pk=event.pk).verb == "agency.update"


def test_anonymous_and_system_actors_are_labelled(matrix):
    from django.contrib.auth.models import AnonymousUser

    public = audit.record(actor=AnonymousUser(), verb="x", obj=matrix.city)
    system = audit.record(actor=None, verb="x", obj=matrix.city)
    assert (public.actor_label, public.actor) == ("public", None)
    assert (system.actor_label, system.actor) == ("system", None)
