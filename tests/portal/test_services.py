"""Services of the shared core: each writes, checks rights, and leaves an event."""

import datetime as dt

import pytest

from portal import audit, services
from portal.errors import DomainError, PermissionDenied
from portal.models import Agency, AuditEvent, Membership, Role
from portal.services import CODE_TAKEN, PARENT_CYCLE, ROOT_MUST_BE_CITY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _verbs(prefix: str) -> list[str]:
    """Return the verbs of the events starting with ``prefix``, oldest first.

    The matrix's agencies are created through the service too, so the whole
    trail also holds their ``agency.create`` events.
    """
    events = AuditEvent.objects.filter(verb__startswith=prefix).order_by("id")
    return list(events.values_list("verb", flat=True))


def test_agency_create_places_it_in_the_tree_and_audits(matrix):
    agency = services.agency_create(
        actor=matrix.user("coordinator"),
        code="310101020",
        name="上海市黄浦区民政局",
        kind=Agency.Kind.SUBUNIT,
        parent=matrix.agency_a,
    )
    assert agency.tree_path == f"{matrix.agency_a.tree_path}{agency.pk}/"
    assert agency.ancestor_ids() == [matrix.city.pk, matrix.agency_a.pk, agency.pk]
    history = list(audit.events_for(agency))
    assert [event.verb for event in history] == ["agency.create"]
    assert history[0].after["code"] == "310101020"


@pytest.mark.parametrize("actor", ["editor_a", "reviewer_a", "editor_b"])
def test_only_coordinators_create_agencies(matrix, actor):
    with pytest.raises(PermissionDenied):
        services.agency_create(
            actor=matrix.user(actor),
            code="310101021",
            name="某局",
            kind=Agency.Kind.SUBUNIT,
            parent=matrix.agency_a,
        )
    assert not Agency.objects.filter(code="310101021").exists()


def test_agency_create_rejects_taken_code_and_rootless_district(matrix):
    coordinator = matrix.user("coordinator")
    with pytest.raises(DomainError) as exc:
        services.agency_create(
            actor=coordinator,
            code="310101000",
            name="重复",
            kind="district",
            parent=matrix.city,
        )
    assert exc.value.message == str(CODE_TAKEN)
    assert exc.value.field == "code"
    with pytest.raises(DomainError) as exc:
        services.agency_create(
            actor=matrix.user("superuser"), code="999", name="无上级区", kind="district"
        )
    assert exc.value.message == str(ROOT_MUST_BE_CITY)


def test_agency_create_validates_code_format(matrix):
    with pytest.raises(DomainError) as exc:
        services.agency_create(
            actor=matrix.user("coordinator"),
            code="bad code!",
            name="坏代码",
            kind="district",
            parent=matrix.city,
        )
    assert exc.value.field == "code"


def test_moving_an_agency_rewrites_descendant_paths(matrix):
    services.agency_update(
        actor=matrix.user("coordinator"), agency=matrix.agency_a, parent=matrix.agency_b
    )
    matrix.subunit_a.refresh_from_db()
    assert matrix.subunit_a.tree_path.startswith(matrix.agency_b.tree_path)
    event = AuditEvent.objects.get(verb="agency.update")
    assert event.after == {"parent": matrix.agency_b.pk}


def test_moving_an_agency_below_itself_is_refused(matrix):
    with pytest.raises(DomainError) as exc:
        services.agency_update(
            actor=matrix.user("coordinator"),
            agency=matrix.agency_a,
            parent=matrix.subunit_a,
        )
    assert exc.value.message == str(PARENT_CYCLE)


def test_agency_code_cannot_change(matrix):
    with pytest.raises(DomainError) as exc:
        services.agency_update(
            actor=matrix.user("coordinator"), agency=matrix.agency_a, code="123"
        )
    assert exc.value.field == "code"


def test_membership_grant_and_revoke_are_audited(matrix):
    user = UserFactory()
    membership = services.membership_grant(
        actor=matrix.user("coordinator"),
        user=user,
        agency=matrix.agency_b,
        role=Role.REVIEWER,
    )
    with pytest.raises(DomainError):
        services.membership_grant(
            actor=matrix.user("coordinator"),
            user=user,
            agency=matrix.agency_b,
            role=Role.REVIEWER,
        )
    services.membership_revoke(actor=matrix.user("coordinator"), membership=membership)
    assert not Membership.objects.filter(user=user).exists()
    assert _verbs("membership.") == ["membership.grant", "membership.revoke"]


def test_editor_cannot_grant_roles_and_coordinator_cannot_change_own(matrix):
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=matrix.user("editor_a"),
            user=matrix.user("editor_a"),
            agency=matrix.agency_a,
            role=Role.REVIEWER,
        )
    own = Membership.objects.get(user=matrix.user("coordinator"))
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=matrix.user("coordinator"), membership=own)


def test_user_create_checks_password_strength(matrix):
    with pytest.raises(DomainError) as exc:
        services.user_create(
            actor=matrix.user("coordinator"),
            username="new",
            password="123",
            agency=matrix.agency_a,
        )
    assert exc.value.field == "password"
    user = services.user_create(
        actor=matrix.user("coordinator"),
        username="new",
        password="Ab-cd-ef-12345",
        full_name="新同事",
        agency=matrix.agency_a,
    )
    assert user.check_password("Ab-cd-ef-12345")
    assert AuditEvent.objects.get(verb="user.create").after == {
        "username": "new",
        "full_name": "新同事",
    }


def test_calendar_overrides_need_a_city_coordinator_and_a_note(matrix):
    day = dt.date(2027, 2, 6)
    with pytest.raises(PermissionDenied):
        services.calendar_override_set(
            actor=matrix.user("editor_a"), date=day, is_workday=True, note="调休"
        )
    with pytest.raises(DomainError) as exc:
        services.calendar_override_set(
            actor=matrix.user("coordinator"), date=day, is_workday=True, note=" "
        )
    assert exc.value.field == "note"
    override = services.calendar_override_set(
        actor=matrix.user("coordinator"), date=day, is_workday=True, note="春节调休"
    )
    services.calendar_override_set(
        actor=matrix.user("coordinator"), date=day, is_workday=False, note="更正"
    )
    override.refresh_from_db()
    assert override.is_workday is False
    services.calendar_override_delete(
        actor=matrix.user("coordinator"), override=override
    )
    assert _verbs("calendar.") == [
        "calendar.override_set",
        "calendar.override_set",
        "calendar.override_delete",
    ]
