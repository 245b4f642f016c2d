"""The core API through the real client: auth, permissions, one error shape."""

import pytest

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.models import Agency, AuditEvent, CalendarOverride, Membership
from tests.conftest import ACTORS, outcomes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(matrix, actor) -> APIClient:
    client = APIClient()
    if matrix.users[actor] is not None:
        client.force_authenticate(matrix.users[actor])
    return client


def test_agency_list_is_public(matrix):
    response = APIClient().get("/api/v1/agencies/")
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert codes[0] == matrix.city.code
    assert codes.index(matrix.subunit_a.code) == codes.index(matrix.agency_a.code) + 1


def test_agency_detail_is_public_and_404_names_the_error(matrix):
    assert APIClient().get(f"/api/v1/agencies/{matrix.agency_a.code}/").json()[
        "parent"
    ] == (matrix.city.code)
    body = APIClient().get("/api/v1/agencies/nope/").json()
    assert body["error"]["code"] == "not_found"


CREATE_STATUS = outcomes(
    ("coordinator", "superuser"), ok=201, outsider=403, anonymous=403
)


@pytest.mark.parametrize("actor", ACTORS)
def test_agency_create_matrix(matrix, actor):
    response = api(matrix, actor).post(
        "/api/v1/agencies/create/",
        {
            "code": "310101099",
            "name": "黄浦区某局",
            "kind": "subunit",
            "parent": matrix.agency_a.code,
        },
        format="json",
    )
    assert response.status_code == CREATE_STATUS[actor]
    assert Agency.objects.filter(code="310101099").exists() is (
        response.status_code == 201
    )
    if response.status_code == 403:
        assert response.json()["error"]["code"] in {
            "permission_denied",
            "not_authenticated",
        }


def test_validation_error_names_the_field(matrix):
    response = api(matrix, "coordinator").post(
        "/api/v1/agencies/create/", {"code": "1", "kind": "planet"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) >= {"name", "kind"}


def test_domain_error_names_the_field(matrix):
    response = api(matrix, "coordinator").post(
        "/api/v1/agencies/create/",
        {
            "code": matrix.agency_a.code,
            "name": "重复代码",
            "kind": "district",
            "parent": matrix.city.code,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["机构代码已被使用。"]}


def test_agency_update_by_coordinator_and_refused_to_editor(matrix):
    url = f"/api/v1/agencies/{matrix.agency_a.code}/update/"
    assert (
        api(matrix, "editor_a")
        .post(url, {"short_name": "X"}, format="json")
        .status_code
        == 403
    )
    response = api(matrix, "coordinator").post(
        url, {"short_name": "黄浦"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["short_name"] == "黄浦"


def test_me_requires_authentication_and_lists_roles(matrix):
    assert APIClient().get("/api/v1/me/").status_code == 403
    body = api(matrix, "editor_a").get("/api/v1/me/").json()
    assert body["roles"] == [{"agency": matrix.agency_a.code, "role": "editor"}]


def test_token_authentication_works(matrix):
    token = Token.objects.create(user=matrix.user("editor_a"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me/").json()["username"] == "editor_a"


def test_session_api_enforces_csrf(matrix):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(matrix.user("coordinator"))
    response = client.post(
        "/api/v1/calendar/overrides/set/",
        {"date": "2027-01-01", "is_workday": False, "note": "元旦"},
        format="json",
    )
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()


def test_membership_endpoints(matrix):
    user = UserFactory(username="api-user")
    coordinator = api(matrix, "coordinator")
    response = coordinator.post(
        "/api/v1/memberships/grant/",
        {"username": "api-user", "agency": matrix.agency_b.code, "role": "editor"},
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert any(m["id"] == pk for m in coordinator.get("/api/v1/memberships/").json())
    assert all(
        m["user"] == "editor_a"
        for m in api(matrix, "editor_a").get("/api/v1/memberships/").json()
    )
    assert (
        api(matrix, "editor_a").post(f"/api/v1/memberships/{pk}/revoke/").status_code
        == 404
    )
    assert coordinator.post(f"/api/v1/memberships/{pk}/revoke/").status_code == 204
    assert not Membership.objects.filter(user=user).exists()


def test_deadline_api_explains(matrix):
    response = APIClient().get(
        "/api/v1/calendar/deadline/", {"start": "2026-12-15", "days": 20}
    )
    body = response.json()
    assert body["due"] == "2027-01-12"
    assert body["provisional"] is True
    bad = APIClient().get("/api/v1/calendar/deadline/", {"start": "soon", "days": 20})
    assert bad.status_code == 400
    assert "start" in bad.json()["error"]["fields"]


def test_calendar_override_endpoints(matrix):
    data = {"date": "2027-01-01", "is_workday": False, "note": "2027年元旦"}
    assert (
        api(matrix, "editor_a")
        .post("/api/v1/calendar/overrides/set/", data, format="json")
        .status_code
        == 403
    )
    response = api(matrix, "coordinator").post(
        "/api/v1/calendar/overrides/set/", data, format="json"
    )
    assert response.status_code == 201
    listed = APIClient().get("/api/v1/calendar/overrides/", {"year": 2027}).json()
    assert [row["date"] for row in listed] == ["2027-01-01"]
    pk = response.json()["id"]
    assert (
        api(matrix, "editor_a")
        .post(f"/api/v1/calendar/overrides/{pk}/delete/")
        .status_code
        == 403
    )
    assert (
        api(matrix, "coordinator")
        .post(f"/api/v1/calendar/overrides/{pk}/delete/")
        .status_code
        == 204
    )
    assert AuditEvent.objects.filter(verb__startswith="calendar.").count() == 2


@pytest.mark.parametrize("year", ["0", "10000", "-1", "abc"])
def test_calendar_override_list_rejects_a_year_that_is_no_date(matrix, year):
    """A year outside 1–9999 answers 400 naming the field (year 0 was a 500,
    found by the API fuzzer)."""
    response = APIClient().get("/api/v1/calendar/overrides/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()["error"]["fields"]


def test_a_nul_character_in_the_url_is_a_bad_request(matrix):
    """NUL in a path or query answers 400 (PostgreSQL refused it with a 500,
    found by the API fuzzer); in the error shape under /api/."""
    client = api(matrix, "editor_a")
    for url in (
        "/api/v1/agencies/%00/",
        "/api/v1/negative-lists/agencies/%00/",
        "/api/v1/negative-lists/entries/?status=%00",
        "/api/v1/requests/?due=a%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid"
    page = APIClient().get(f"/agencies/{matrix.agency_a.code}%00/")
    assert page.status_code == 400


def test_a_nul_character_in_a_related_code_names_the_field(matrix):
    """A code with NUL in a write's body is "no such object" for its field."""
    response = api(matrix, "superuser").post(
        "/api/v1/memberships/grant/",
        {"username": "editor_a", "agency": "3101\x00", "role": "editor"},
        format="json",
    )
    assert response.status_code == 400
    assert "agency" in response.json()["error"]["fields"]
