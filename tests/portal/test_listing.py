"""The shared sort and paging component, and the coordinator's agency list."""

from __future__ import annotations

import pytest

from django.http import QueryDict

from portal.listing import Listing, SortKeys
from portal.models import Role
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.listing import assert_sorts, headers, row_order

KEYS = SortKeys({"title": ("title",), "due": ("due_on",)}, default="-due")


def listing(query: str, default: str | None = None) -> Listing:
    return Listing(KEYS, QueryDict(query), default)


@pytest.mark.parametrize(
    ("query", "value", "requested"),
    [
        ("sort=title", "title", True),
        ("sort=-title", "-title", True),
        ("", "-due", False),
        ("sort=secret", "-due", False),
        ("sort=--title", "-due", False),
        ("sort=-", "-due", False),
        ("sort=title%3Bdrop", "-due", False),
        ("sort=pk", "-due", False),
    ],
)
def test_only_whitelisted_keys_are_taken_and_the_rest_fall_back(
    query, value, requested
):
    """An unknown or malformed sort value gives the default order, never an error."""
    state = listing(query)
    assert state.value == value
    assert state.requested is requested


def test_the_current_column_toggles_and_the_others_start_ascending():
    state = listing("sort=title&status=open")
    assert state.state("title") == "ascending"
    assert state.state("due") is None
    assert QueryDict(state.sort_query("title"))["sort"] == "-title"
    assert QueryDict(state.sort_query("due"))["sort"] == "due"
    assert QueryDict(listing("sort=-title").sort_query("title"))["sort"] == "title"


def test_a_new_sort_keeps_the_filters_and_starts_at_page_one():
    state = listing("status=open&agency=310101000&page=3&sort=title")
    query = QueryDict(state.sort_query("due"))
    assert query.dict() == {"status": "open", "agency": "310101000", "sort": "due"}


def test_a_page_link_keeps_the_sort_and_the_filters():
    state = listing("status=open&page=3&sort=-title")
    query = QueryDict(state.page_query(4))
    assert query.dict() == {"status": "open", "sort": "-title", "page": "4"}


def test_a_view_default_overrides_the_keys_default():
    assert listing("", default="title").value == "title"
    assert listing("sort=due", default="title").value == "due"


def test_the_ordering_ends_with_the_primary_key_in_the_same_direction():
    """Ties keep one order; empty values go last whichever way the list runs."""
    for descending in (False, True):
        *fields, tiebreak = KEYS.ordering("due", descending=descending)
        assert [(f.expression.name, f.descending, f.nulls_last) for f in fields] == [
            ("due_on", descending, True)
        ]
        assert (tiebreak.expression.name, tiebreak.descending) == ("pk", descending)


# --- The agency list -----------------------------------------------------------------


@pytest.fixture
def agencies(matrix):
    """Three more districts whose names, codes, kinds and staff sort differently."""
    made = {
        "c": AgencyFactory(code="310109000", name="Z区人民政府", parent=matrix.city),
        "a": AgencyFactory(code="310115000", name="X区人民政府", parent=matrix.city),
        "b": AgencyFactory(
            code="310112000",
            name="Y区人民政府",
            parent=matrix.city,
            is_active=False,
        ),
    }
    for n, key in enumerate(("a", "a", "b")):
        MembershipFactory(user=UserFactory(username=f"staff{n}"), agency=made[key])
    return made


def test_agency_list_sorts_by_every_column(matrix, agencies):
    """Name, code, member count and status each give their own order."""
    names = {key: agency.name for key, agency in agencies.items()}
    markers = list(names.values())
    a, b, c = names["a"], names["b"], names["c"]
    assert_sorts(
        matrix.client("coordinator"),
        "/workspace/agencies/",
        markers,
        {
            "name": [a, b, c],
            "code": [c, b, a],
            "members": [c, b, a],
            "status": [c, a, b],
            "kind": [c, a, b],
        },
    )


def test_agency_list_keeps_tree_order_by_default_and_for_a_bad_key(matrix, agencies):
    client = matrix.client("coordinator")
    for query in ({}, {"sort": "tree_path"}, {"sort": "-password"}):
        response = client.get("/workspace/agencies/", query)
        assert response.status_code == 200
        page = response.content.decode()
        assert all(h["state"] is None for h in headers(page).values())
        order = row_order(page, [matrix.city.name, matrix.agency_a.name])
        assert order == [matrix.city.name, matrix.agency_a.name]
        assert 'class="depth-1"' in page


def test_sorting_the_agency_list_never_widens_it(matrix, agencies):
    """A district coordinator sorting the list still sees only their district."""
    district = UserFactory(username="district_coordinator")
    MembershipFactory(user=district, agency=matrix.agency_a, role=Role.COORDINATOR)
    client = matrix.client("coordinator")
    client.force_login(district)
    outside = [matrix.agency_b.name, *(a.name for a in agencies.values())]
    for key in ("name", "-name", "code", "members", "-status", "kind"):
        page = client.get("/workspace/agencies/", {"sort": key}).content.decode()
        assert matrix.agency_a.name in page
        assert row_order(page, outside) == []
