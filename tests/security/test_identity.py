"""Identity only for those who handle it: the applicant's full name, ID number,
phone, e-mail and address reach the handling agency's own editors and reviewers;
city-wide roles and superusers read them masked, in the workspace page and the
staff API alike; other agencies read nothing of the request."""

from __future__ import annotations

import json

import pytest

from portal.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db

FULL = {
    "applicant_name": fx.APPLICANT_NAME,
    "applicant_id_number": fx.APPLICANT_ID,
    "applicant_phone": fx.APPLICANT_PHONE,
    "applicant_email": fx.APPLICANT_EMAIL,
    "applicant_address": fx.APPLICANT_ADDRESS,
}
# Written out by hand: surname, ID and phone ends, e-mail's first letter and domain.
MASKED = {
    "applicant_name": "欧＊＊＊",
    "applicant_id_number": "310101********4816",
    "applicant_phone": "139****5678",
    "applicant_email": "o***@example.com",
    "applicant_address": "上" + "＊" * 13,
}
# The page says why the values are starred (an element only the masked view has).
MASKED_NOTE = 'id="identity-masked"'
FULL_ACTORS = ("editor_a", "reviewer_a")
MASKED_ACTORS = ("city_reviewer", "coordinator", "superuser")
OUTSIDERS = ("editor_b",)


@pytest.fixture
def city_reviewer(matrix):
    """A reviewer at the city: reads every district's requests."""
    user = UserFactory(username="city_reviewer")
    MembershipFactory(user=user, agency=matrix.city, role=Role.REVIEWER)
    return user


def _client(matrix, actor, city_reviewer):
    if actor != "city_reviewer":
        return matrix.client(actor)
    client = matrix.client("anonymous")
    client.force_login(city_reviewer)
    return client


def _read(matrix, actor, city_reviewer, request):
    client = _client(matrix, actor, city_reviewer)
    page = client.get(f"/workspace/requests/{request.pk}/")
    api = client.get(f"/api/v1/requests/{request.pk}/")
    return page, api


def _assert_identity(page, api, values: dict, *, masked: bool) -> None:
    """Both answers are 200; the page shows each of ``values`` (and the masking
    note exactly when ``masked``); the API returns ``values`` and the flag."""
    assert page.status_code == api.status_code == 200
    html = page.content.decode()
    for value in values.values():
        assert value in html
    assert (MASKED_NOTE in html) is masked
    assert api.json()["applicant"] == values
    assert api.json()["applicant_masked"] is masked


@pytest.mark.parametrize("actor", FULL_ACTORS)
def test_handling_agencys_editor_and_reviewer_read_identity_in_full(
    matrix, city_reviewer, actor
):
    """The page shows every identity value in full and the API returns them."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    page, api = _read(matrix, actor, city_reviewer, request)
    _assert_identity(page, api, FULL, masked=False)


@pytest.mark.parametrize("actor", MASKED_ACTORS)
def test_city_wide_roles_read_identity_masked(matrix, city_reviewer, actor):
    """A city reviewer, the city coordinator and a superuser see the request with
    the identity masked: the exact masked values, and no full value anywhere in
    the page or the API answer."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    page, api = _read(matrix, actor, city_reviewer, request)
    _assert_identity(page, api, MASKED, masked=True)
    for text in (page.content.decode(), json.dumps(api.json(), ensure_ascii=False)):
        for value in FULL.values():
            assert value not in text
        assert fx.APPLICANT_ID not in text


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_other_agencies_read_nothing_of_the_request(matrix, city_reviewer, actor):
    """An editor of another district gets 404 on the page and the API."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    page, api = _read(matrix, actor, city_reviewer, request)
    assert page.status_code == api.status_code == 404
    for response in (page, api):
        text = response.content.decode()
        for value in (*FULL.values(), *MASKED.values()):
            assert value not in text


@pytest.mark.parametrize("actor", MASKED_ACTORS)
def test_city_wide_lists_carry_no_identity(matrix, city_reviewer, actor):
    """The request lists (page and API) the city roles read hold no identity."""
    fx.register(matrix.user("editor_a"), matrix.agency_a)
    client = _client(matrix, actor, city_reviewer)
    for url in ("/workspace/requests/", "/api/v1/requests/"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        if url.startswith("/api/"):
            text = json.dumps(response.json(), ensure_ascii=False)
        for value in FULL.values():
            assert value not in text


def test_sub_units_requests_are_read_in_full_by_the_district_not_the_city(
    matrix, city_reviewer
):
    """A district's reviewer handles its sub-unit's requests and reads the identity
    in full; the city reviewer reads it masked."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.subunit_a)
    _page, api = _read(matrix, "reviewer_a", city_reviewer, request)
    assert api.json()["applicant"] == FULL
    _page, api = _read(matrix, "city_reviewer", city_reviewer, request)
    assert api.json()["applicant"] == MASKED


def test_the_citys_own_requests_are_read_in_full_by_the_citys_staff(
    matrix, city_reviewer
):
    """When the city government itself handles a request, its own reviewer is the
    handling agency's staff and reads the identity in full."""
    city_editor = UserFactory(username="city_editor")
    MembershipFactory(user=city_editor, agency=matrix.city, role=Role.EDITOR)
    request, _ = fx.register(city_editor, matrix.city)
    _page, api = _read(matrix, "city_reviewer", city_reviewer, request)
    assert api.json()["applicant"] == FULL
    _page, api = _read(matrix, "coordinator", city_reviewer, request)
    assert api.json()["applicant"] == MASKED


def test_a_superuser_with_a_role_at_the_agency_reads_in_full(matrix, city_reviewer):
    """Being a superuser is not a membership; an explicit reviewer role at the
    handling agency is."""
    MembershipFactory(
        user=matrix.user("superuser"), agency=matrix.agency_a, role=Role.REVIEWER
    )
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    _page, api = _read(matrix, "superuser", city_reviewer, request)
    assert api.json()["applicant"] == FULL
