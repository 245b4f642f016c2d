"""The demo city is complete and seeding twice changes nothing."""

import pytest

from django.core.management import call_command

from portal.demo import DEMO_USERS, DEPARTMENTS, DISTRICTS
from portal.models import Agency, AuditEvent, Membership

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo")
    counts = (
        Agency.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Agency.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert Agency.objects.filter(kind="district").count() == len(DISTRICTS) == 16
    assert Agency.objects.filter(kind="department").count() == len(DEPARTMENTS)
    assert Agency.objects.get(short_name="市卫生计生委").parent.short_name == "市政府"
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"editor", "reviewer", "coordinator"}
    assert Membership.objects.count() == len(DEMO_USERS) - 1  # the superuser needs none
