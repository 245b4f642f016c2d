"""Predicates and scopers of the core, over the actor matrix."""

import pytest

from portal import audit, permissions
from portal.models import Role
from tests.conftest import A_STAFF, ACTORS, outcomes

pytestmark = pytest.mark.django_db


def test_a_role_covers_the_agency_and_everything_below_it(matrix):
    editor = matrix.user("editor_a")
    assert permissions.has_role(editor, matrix.agency_a, Role.EDITOR)
    assert permissions.has_role(editor, matrix.subunit_a, Role.EDITOR)
    assert not permissions.has_role(editor, matrix.agency_b, Role.EDITOR)
    assert not permissions.has_role(editor, matrix.city, Role.EDITOR)
    assert not permissions.has_role(editor, matrix.agency_a, Role.REVIEWER)
    assert set(permissions.agencies_with_role(editor, Role.EDITOR)) == {
        matrix.agency_a,
        matrix.subunit_a,
    }


def test_revoked_role_stops_working_immediately(matrix):
    editor = matrix.user("editor_a")
    assert permissions.has_role(editor, matrix.agency_a)
    editor.memberships.all().delete()
    assert not permissions.has_role(editor, matrix.agency_a)


def test_inactive_user_has_no_role(matrix):
    editor = matrix.user("editor_a")
    editor.is_active = False
    assert not permissions.has_role(editor, matrix.agency_a)


MANAGE_AGENCY_A = {
    "anonymous": False,
    "editor_a": False,
    "editor_b": False,
    "reviewer_a": False,
    "coordinator": True,
    "superuser": True,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_agency_management_matrix(matrix, actor):
    user = matrix.user(actor)
    assert (
        permissions.can_manage_agency(user, matrix.agency_a) is MANAGE_AGENCY_A[actor]
    )
    assert permissions.can_manage_calendar(user) is MANAGE_AGENCY_A[actor]


READ_AUDIT_OF_A = {
    "anonymous": False,
    "editor_a": True,
    "editor_b": False,
    "reviewer_a": True,
    "coordinator": True,
    "superuser": True,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_audit_event_matrix(matrix, actor):
    event = audit.record(
        actor=None, verb="x", obj=matrix.agency_a, agency=matrix.agency_a
    )
    user = matrix.user(actor)
    visible = permissions.readable_audit_events_qs(user).filter(pk=event.pk).exists()
    assert visible is READ_AUDIT_OF_A[actor]


AGENCY_A_PAGE = outcomes(A_STAFF, outsider=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_agency_staff_page_and_its_trail_matrix(matrix, actor):
    """Whoever works at agency A (or above it) opens its staff page and reads its
    trail there; a city-wide event stays off it; everyone else is refused."""
    audit.record(
        actor=None,
        verb="portal.agency.probe",
        obj=matrix.agency_a,
        agency=matrix.agency_a,
        note="甲机关的记录",
    )
    audit.record(
        actor=None, verb="portal.city.probe", obj=matrix.agency_a, note="全市的记录"
    )
    response = matrix.client(actor).get("/workspace/agencies/310101000/")
    assert response.status_code == AGENCY_A_PAGE[actor]
    if response.status_code == 200:
        html = response.content.decode()
        assert html.count("甲机关的记录") == 1
        city_visible = actor in {"coordinator", "superuser"}
        assert ("全市的记录" in html) is city_visible


@pytest.mark.parametrize("actor", ACTORS)
def test_membership_scoper_matrix(matrix, actor):
    """Everyone sees their own roles; coordinators see those in their subtree."""
    visible = set(permissions.readable_memberships_qs(matrix.user(actor)))
    own = set(matrix.users[actor].memberships.all()) if matrix.users[actor] else set()
    assert own <= visible
    if actor in {"coordinator", "superuser"}:
        assert len(visible) == 4
    else:
        assert visible == own
