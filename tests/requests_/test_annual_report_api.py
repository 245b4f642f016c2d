"""The staff API of the annual report through the real client: the same figures
as the page, the project's error shape naming the field, the actor matrix."""

from __future__ import annotations

import pytest

from requests_.reports.access import AGENCY_NOT_FOUND, AGENCY_REQUIRED, SCOPE_INVALID
from tests.conftest import ACTORS
from tests.requests_.annual_report_builders import report_statuses
from tests.requests_.annual_report_year import YEAR, build_year
from tests.requests_.test_annual_report import EXPECTED_TABLE3, EXPECTED_TABLE4

pytestmark = pytest.mark.django_db

API = "/api/v1/annual-report/"

EXPECTED_STATUS = report_statuses(ok=200, anonymous=403)


@pytest.fixture
def year(matrix):
    return build_year(matrix)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("which", ["a", "all"])
def test_api_permission_matrix(matrix, year, actor, which):
    """Staff read their agencies, the coordinator also the city; anonymous 403;
    another agency's report is a 404 in the one error shape, on ``agency``."""
    code = matrix.agency_a.code if which == "a" else "all"
    response = matrix.client(actor).get(API, {"agency": code, "year": YEAR})
    assert response.status_code == EXPECTED_STATUS[actor][which]
    if response.status_code == 404:
        assert response.json() == {
            "error": {
                "code": "not_found",
                "message": str(AGENCY_NOT_FOUND),
                "fields": {"agency": [str(AGENCY_NOT_FOUND)]},
            }
        }
    elif response.status_code == 403:
        assert "error" in response.json()


def test_api_returns_every_cell_of_both_tables(matrix, year):
    """The JSON carries 表三 rows × columns and 表四 cells equal to the page's."""
    data = (
        matrix.client("editor_a")
        .get(API, {"agency": matrix.agency_a.code, "year": YEAR})
        .json()
    )
    assert data["year"] == YEAR
    assert data["agency"]["code"] == matrix.agency_a.code
    assert data["scope"] == "subtree"
    assert data["complete"] is True
    columns = [c["key"] for c in data["table3"]["columns"]]
    assert [c["label"] for c in data["table3"]["columns"]] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    table = {
        row["key"]: tuple(row["cells"][c] for c in columns)
        for row in data["table3"]["rows"]
    }
    assert table == EXPECTED_TABLE3
    table4 = data["table4"]
    assert tuple(table4["cells"][c["key"]] for c in table4["columns"]) == (
        EXPECTED_TABLE4
    )
    assert table4["columns"][5]["kind_label"] == "行政诉讼（未经复议直接起诉）"
    assert table4["columns"][5]["label"] == "结果维持"


def test_api_returns_the_check_and_conversion_figures(matrix, year):
    """The check passes with every column balanced; conversion figures included."""
    data = (
        matrix.client("coordinator")
        .get(API, {"agency": matrix.agency_a.code, "year": YEAR})
        .json()
    )
    assert data["check"]["passed"] is True
    assert data["check"]["issues"] == []
    assert data["check"]["columns"][-1] == {
        "key": "total",
        "label": "总计",
        "new_plus_carried_in": 34,
        "total_plus_carried_out": 34,
        "balanced": True,
    }
    conversion = data["conversion"]
    counts = {row["key"]: row["count"] for row in conversion["rows"]}
    assert counts["released"] == 7
    assert counts["converted"] == 3
    assert counts["not_converted.tax_fees"] == 1
    assert conversion["median_calendar_days"] == 17.0
    assert conversion["median_working_days"] == 10.0


def test_api_scope_agency_and_city(matrix, year):
    """``scope=agency`` leaves the sub-unit out; ``agency=all`` is the city total."""
    client = matrix.client("coordinator")
    own = client.get(
        API, {"agency": matrix.agency_a.code, "year": YEAR, "scope": "agency"}
    ).json()
    new = next(r for r in own["table3"]["rows"] if r["key"] == "new")
    assert new["cells"]["total"] == 29
    city = client.get(API, {"agency": "all", "year": YEAR}).json()
    assert city["agency"] is None
    assert city["scope"] == "all"
    new = next(r for r in city["table3"]["rows"] if r["key"] == "new")
    assert new["cells"]["total"] == 32


@pytest.mark.parametrize(
    ("params", "status", "field", "message"),
    [
        ({"year": YEAR}, 400, "agency", AGENCY_REQUIRED),
        ({"agency": "999999999", "year": YEAR}, 404, "agency", AGENCY_NOT_FOUND),
        ({"agency": "A", "year": "20x5"}, 400, "year", None),
        ({"agency": "A"}, 400, "year", None),
        ({"agency": "A", "year": 2007}, 400, "year", None),
        ({"agency": "A", "year": 2999}, 400, "year", None),
        ({"agency": "A", "year": YEAR, "scope": "galaxy"}, 400, "scope", SCOPE_INVALID),
    ],
)
def test_api_errors_name_the_field(matrix, params, status, field, message):
    """Bad input answers the project's error shape with the field at fault."""
    if params.get("agency") == "A":
        params = {**params, "agency": matrix.agency_a.code}
    response = matrix.client("editor_a").get(API, params)
    assert response.status_code == status
    error = response.json()["error"]
    assert list(error["fields"]) == [field]
    if message is not None:
        assert error["message"] == str(message)


def test_api_refuses_a_user_without_a_role(matrix, client):
    """A signed-in user who holds no role gets 403 permission_denied."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="outsider"))
    response = client.get(API, {"agency": matrix.agency_a.code, "year": YEAR})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
