"""Attack family: input the arithmetic or the parser cannot take.

Dates out of the supported range, numbers out of bounds, JSON nested thousands
deep and texts of megabytes each answer 400 naming the field (the API's one error
shape; a field error in Chinese on forms), never 500. Each case was a 500 or an
accepted request before; everything goes through the real client.
"""

from __future__ import annotations

import datetime as dt

import pytest

from portal.calendar import DATE_OUT_OF_RANGE, FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE
from portal.parsers import MAX_JSON_DEPTH, TOO_DEEP
from requests_.models import DisclosureRequest
from requests_.services.intake import RECEIVED_BEFORE_REGULATION, TEXT_LIMITS
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = str(
    DATE_OUT_OF_RANGE
    % {
        "first": FIRST_SUPPORTED_DATE.isoformat(),
        "last": LAST_SUPPORTED_DATE.isoformat(),
    }
)
DEADLINE = "/api/v1/calendar/deadline/"


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_deadline_api_refuses_a_start_out_of_range(client, start):
    """9999-12-31 + 20 working days overflowed (500); now 400 naming ``start``."""
    response = client.get(DEADLINE, {"start": start, "days": 20})
    assert response.status_code == 400
    assert error(response)["fields"]["start"] == [OUT_OF_RANGE]


@pytest.mark.parametrize("days", ["-1", "201", "10000000000000", "1e9", "二十"])
def test_deadline_api_refuses_days_out_of_range(client, days):
    response = client.get(DEADLINE, {"start": "2025-03-03", "days": days})
    assert response.status_code == 400
    assert "days" in error(response)["fields"]


def test_deadline_api_still_answers_at_the_edges(client):
    """The last supported start still works (its deadline lies in 2100)."""
    response = client.get(DEADLINE, {"start": "2099-12-31", "days": 200})
    assert response.status_code == 200
    assert response.json()["due"].startswith("2100-")


@pytest.mark.parametrize("year", ["0", "99999", "-5", "abc", "1999"])
def test_workspace_calendar_refuses_a_year_out_of_range(matrix, year):
    """?year=0 answered 500; now the page says why, in Chinese, with 400."""
    response = matrix.client("editor_a").get("/workspace/calendar/", {"year": year})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“year”须" in page


def test_workspace_deadline_form_refuses_a_start_out_of_range(matrix):
    response = matrix.client("editor_a").get(
        "/workspace/calendar/", {"start": "9999-12-31", "days": 20}
    )
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()


def test_calendar_override_api_refuses_a_date_out_of_range(matrix):
    response = matrix.client("coordinator").post(
        "/api/v1/calendar/overrides/set/",
        {"date": "9999-12-31", "is_workday": True, "note": "测试"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert error(response)["fields"]["date"] == [OUT_OF_RANGE]


# --- Deep JSON -----------------------------------------------------------------------


def test_deeply_nested_json_is_a_400_not_a_500(matrix):
    """A staff API body of 50,000 "[" raised RecursionError (500)."""
    client = matrix.client("editor_a")
    response = client.post(
        "/api/v1/requests/create/", "[" * 50_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert error(response)["message"] == str(TOO_DEEP % {"depth": MAX_JSON_DEPTH})
    assert not DisclosureRequest.objects.exists()


def test_brackets_inside_strings_do_not_count(matrix):
    """Depth is counted outside strings: a title full of "[" is just text."""
    client = matrix.client("editor_a")
    body = _api_body(matrix, title="[" * 100 + "某文件")
    response = client.post(
        "/api/v1/requests/create/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content


# --- Oversize texts and receipt dates -------------------------------------------------


def _api_body(matrix, **overrides) -> dict:
    return {
        "agency": matrix.agency_a.code,
        "channel": "post",
        "received_on": dt.date.today().isoformat(),
        "title": "某文件",
        "description": "申请某文件",
        **rq.applicant(),
        **overrides,
    }


def test_api_refuses_a_two_million_character_description(matrix):
    response = matrix.client("editor_a").post(
        "/api/v1/requests/create/",
        _api_body(matrix, description="a" * 2_000_000),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "description" in error(response)["fields"]
    assert not DisclosureRequest.objects.exists()


def test_online_form_refuses_a_two_million_character_description(matrix, client):
    """The public form names the field in Chinese and stores nothing."""
    data = {
        "agency": matrix.agency_a.pk,
        "title": "某文件",
        "description": "a" * 2_000_000,
        "form_wanted": "electronic",
        **rq.applicant(),
    }
    response = client.post("/requests/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["description"]
    assert "10000" in errors["description"][0]
    assert not DisclosureRequest.objects.exists()


def test_the_service_refuses_oversize_text_whatever_the_caller(matrix):
    """The limit holds below the forms and serializers too, naming the field."""
    from portal.errors import DomainError

    with pytest.raises(DomainError) as refused:
        rq.register(
            matrix.user("editor_a"),
            matrix.agency_a,
            applicant_address="路" * (TEXT_LIMITS["applicant_address"] + 1),
        )
    assert refused.value.field == "applicant_address"
    assert refused.value.code == "too_long"


def test_limits_are_stated_in_the_api_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["RequestsRequestCreateInputRequest"][
        "properties"
    ]
    assert fields["description"]["maxLength"] == TEXT_LIMITS["description"]
    assert fields["document_hint"]["maxLength"] == TEXT_LIMITS["document_hint"]


@pytest.mark.parametrize("received_on", ["0001-01-01", "2008-04-30"])
def test_api_refuses_a_receipt_date_before_the_regulation(matrix, received_on):
    response = matrix.client("editor_a").post(
        "/api/v1/requests/create/",
        _api_body(matrix, received_on=received_on),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "received_on" in error(response)["fields"]
    assert not DisclosureRequest.objects.exists()


def test_api_refuses_a_receipt_date_in_the_future(matrix):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = matrix.client("editor_a").post(
        "/api/v1/requests/create/",
        _api_body(matrix, received_on=tomorrow.isoformat()),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "received_on" in error(response)["fields"]


def test_the_service_refuses_a_receipt_date_before_the_regulation(matrix):
    from portal.errors import DomainError

    with pytest.raises(DomainError) as refused:
        rq.register(
            matrix.user("editor_a"), matrix.agency_a, received_on=dt.date(2008, 4, 30)
        )
    assert refused.value.field == "received_on"
    assert refused.value.message == str(RECEIVED_BEFORE_REGULATION)


# --- Bodies past DATA_UPLOAD_MAX_MEMORY_SIZE ------------------------------------------


def _oversize() -> str:
    from django.conf import settings

    return "申" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10)


@pytest.mark.parametrize("kind", ["json", "form", "multipart"])
def test_api_answers_an_oversize_body_in_its_error_shape(matrix, kind):
    """A body past the upload limit got Django's HTML 400 page (or, as JSON, was
    read whole); the API now answers 413 in its JSON shape, naming the limit."""
    from django.conf import settings

    from portal.api_errors import REQUEST_TOO_LARGE

    client = matrix.client("editor_a")
    url = "/api/v1/requests/create/"
    body = _api_body(matrix, description=_oversize())
    if kind == "json":
        response = client.post(url, body, content_type="application/json")
    elif kind == "form":
        from urllib.parse import urlencode

        response = client.post(
            url, urlencode(body), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(url, body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert error(response) == {
        "code": "too_large",
        "message": str(REQUEST_TOO_LARGE)
        % {"limit": limit, "mib": limit / (1024 * 1024)},
    }
    assert str(limit) in error(response)["message"]
    assert not DisclosureRequest.objects.exists()


def test_a_page_keeps_its_html_error_page_for_an_oversize_body(matrix, client):
    """Only the API changes: the public request form still answers the HTML 400."""
    response = client.post(
        "/requests/new/", {"agency": matrix.agency_a.pk, "description": _oversize()}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "<!DOCTYPE html>" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_the_413_is_stated_in_the_api_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/requests/create/"]["post"]
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in operation["responses"]["413"]["description"]


# --- Search and negative-list dates ---------------------------------------------------


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1900-06-01"])
def test_column_search_refuses_a_date_out_of_range(client, field, value):
    """Out-of-range publication dates are a field error (page) or a 400 naming the
    field (API), never a date handed to an engine."""
    page = client.get("/disclosures/", {field: value})
    assert page.status_code == 400
    assert list(page.context["form"].errors) == [field]
    api = client.get("/api/v1/disclosures/", {field: value})
    assert api.status_code == 400
    assert list(error(api)["fields"]) == [field]


@pytest.mark.parametrize("page_number", ["0", "501", "99999999999999999999", "-1"])
def test_column_search_refuses_a_page_out_of_range(client, page_number):
    response = client.get("/api/v1/disclosures/", {"page": page_number})
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["page"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("in_force_from", "0001-01-01"),
        ("repealed_on", "9999-12-31"),
    ],
)
def test_provision_api_refuses_a_date_out_of_range(matrix, field, value):
    from negative_list.models import Provision

    before = Provision.objects.count()
    response = matrix.client("coordinator").post(
        "/api/v1/negative-lists/provisions/create/",
        {"law": "《某某条例》", "article": "第一条", field: value},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(error(response)["fields"]) == [field]
    assert Provision.objects.count() == before


@pytest.mark.parametrize("due_on", ["0001-01-01", "9999-12-31"])
def test_review_cycle_refuses_a_due_date_out_of_range(matrix, due_on):
    from negative_list.models import ReviewCycle

    client = matrix.client("coordinator")
    response = client.post(
        "/api/v1/negative-lists/cycles/open/",
        {"title": "年度评审", "due_on": due_on},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["due_on"]
    page = client.post(
        "/workspace/negative-list/cycles/", {"title": "年度评审", "due_on": due_on}
    )
    assert page.status_code in (200, 400)
    assert list(page.context["form"].errors) == ["due_on"]
    assert not ReviewCycle.objects.exists()
