"""The OpenAPI schema, its documentation page and anonymous throttling."""

from __future__ import annotations

import json
import re

import pytest

from django.core.cache import cache
from django.core.management import call_command
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from portal import api_docs

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    """`spectacular --validate --fail-on-warn` passes for every API view."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "openapi: 3" in out.read_text()


def test_schema_is_public_and_names_the_public_api(client):
    """Anyone may fetch /api/schema/; public operations need no credentials."""
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    for path in (
        "/api/v1/disclosures/{index_no}/",
        "/api/v1/negative-lists/",
        "/api/v1/negative-lists/agencies/{code}/versions/{number}/",
    ):
        operation = paths[path]["get"]
        assert {} in operation["security"], path
        assert "429" in operation["responses"]
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert "Error" in schema["components"]["schemas"]


def test_docs_page_is_rendered_by_the_portal_without_scripts(client):
    """/api/docs/ lists operations, parameters and responses in Chinese, no JS."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert "/api/v1/negative-lists/agencies/{code}/versions/{number}/" in html
    assert "公开" in html
    assert "需登录" in html
    assert 'href="/api/schema/"' in html
    group = client.get("/api/docs/?tag=negative-lists").content.decode()
    assert "<script" not in group
    assert "路径" in group
    assert "响应" in group


def test_docs_index_links_every_operation_to_its_group_page(client):
    """The index names each operation once and links it to its group's page,
    where it has its own anchor; no operation's tables are on the index."""
    groups = api_docs.documentation(api_docs._schema())
    index = client.get("/api/docs/").content.decode()
    assert "<table" not in index
    for group in groups:
        page = client.get("/api/docs/", {"tag": group["tag"]})
        assert page.status_code == 200
        html = page.content.decode()
        assert html.count('class="card api-operation"') == len(group["operations"])
        for op in group["operations"]:
            assert f'href="/api/docs/?tag={group["tag"]}#{op["id"]}"' in index
            assert f'id="{op["id"]}"' in html
    operation_links = re.findall(r'href="/api/docs/\?tag=[^"#]+#[^"]+"', index)
    assert len(operation_links) == sum(len(g["operations"]) for g in groups)


def test_docs_unknown_group_is_not_found(client):
    """A group the schema does not have is a 404, not an empty page."""
    assert client.get("/api/docs/", {"tag": "no-such-group"}).status_code == 404


@pytest.fixture
def anon_rate(monkeypatch):
    """Allow two anonymous calls a minute, for this test only."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield
    cache.clear()


def test_anonymous_throttling_answers_429_in_the_error_shape(client, anon_rate):
    """Past the anonymous rate, the public API answers 429 with the one error shape."""
    url = "/api/v1/negative-lists/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "throttled"
    assert body["error"]["message"]
    assert "Retry-After" in response


def _properties(schema: dict, path: str, code: str = "200") -> set[str]:
    content = schema["paths"][path]["get"]["responses"][code]["content"]
    ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    return set(schema["components"]["schemas"][ref]["properties"])


def test_public_responses_match_their_schema(matrix, embedded_index):
    """The documented fields of the public disclosure and column search APIs are
    exactly those the endpoints return."""
    from search import sync
    from tests.public_site import publish_converted

    item = publish_converted(matrix)
    sync.drain_all(embedded_index)
    client = matrix.client("anonymous")
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    detail = client.get(f"/api/v1/disclosures/{item.index_no}/").json()
    assert set(detail) == _properties(schema, "/api/v1/disclosures/{index_no}/")
    page = client.get("/api/v1/disclosures/", {"q": "老旧小区"}).json()
    assert set(page) == _properties(schema, "/api/v1/disclosures/")
    params = {
        p["name"] for p in schema["paths"]["/api/v1/disclosures/"]["get"]["parameters"]
    }
    assert {"q", "agency", "topic", "year", "ordering", "page"} <= params


def _schema(client) -> dict:
    return json.loads(client.get("/api/schema/", {"format": "json"}).content)


def _component(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_schema_documents_nullable_fields_as_nullable(client):
    """Fields the API answers with null are nullable in the schema (found by the
    fuzzer: a city has no parent, an entry no reviewer before review)."""
    components = _schema(client)["components"]["schemas"]
    for name, field in (
        ("AgencyOutput", "parent"),
        ("NegativeListListIndexOutput", "last_reviewed"),
        ("EntryVersionOutput", "reviewed_by"),
        ("EntryVersionOutput", "author"),
        ("CycleOutput", "agency"),
        ("TaskOutput", "reviewer"),
        ("VersionSummaryOutput", "review_cycle"),
    ):
        assert components[name]["properties"][field].get("nullable"), (name, field)


def test_schema_documents_the_status_codes_the_api_answers(client):
    """Creations answer 201, revocations 204, refused transitions 409: the schema
    says so, and documents list endpoints as arrays."""
    schema = _schema(client)
    paths = schema["paths"]
    for path in (
        "/api/v1/agencies/create/",
        "/api/v1/memberships/grant/",
        "/api/v1/calendar/overrides/set/",
        "/api/v1/negative-lists/entries/create/",
        "/api/v1/negative-lists/provisions/create/",
        "/api/v1/negative-lists/cycles/open/",
        "/api/v1/requests/create/",
        "/api/v1/staff/disclosures/{id}/attachments/",
    ):
        responses = paths[path]["post"]["responses"]
        assert "201" in responses, path
        assert "200" not in responses, path
        assert {"409", "415"} <= set(responses), path
    for path in (
        "/api/v1/memberships/{id}/revoke/",
        "/api/v1/calendar/overrides/{id}/delete/",
    ):
        responses = paths[path]["post"]["responses"]
        assert "204" in responses, path
        assert "content" not in responses["204"], path
    for path in (
        "/api/v1/memberships/",
        "/api/v1/negative-lists/entries/",
        "/api/v1/negative-lists/cycles/",
        "/api/v1/requests/",
        "/api/v1/staff/disclosures/",
    ):
        body = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
        assert _component(schema, body["schema"])["type"] == "array", path


def test_an_api_url_no_view_matches_answers_in_the_error_shape(client, admin_client):
    """A path parameter the URL converter rejects gives a JSON 404 under /api/
    (it used to be Django's HTML page); elsewhere the HTML page stays."""
    for url in ("/api/v1/requests/-1/", "/api/v1/negative-lists/entries/x/submit/"):
        response = admin_client.post(url) if "submit" in url else client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def _untyped(schema: dict | None, components: dict) -> bool:
    """Tell whether a body schema says nothing about its fields (a ``$ref`` is
    followed to the component it names)."""
    if not schema:
        return True
    if "$ref" in schema:
        return _untyped(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            return any(_untyped(part, components) for part in schema[key])
    if schema.get("type") == "array":
        return _untyped(schema.get("items"), components)
    if schema.get("type") == "object":
        return not schema.get("properties")
    return False


def test_every_success_response_names_its_fields(client):
    """Each 2xx body of every operation is a documented serializer (an object with
    properties, directly or through a ``$ref``), never a bare object; a 204 has no
    body."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    bare, checked = [], 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if not code.startswith("2"):
                    continue
                if code == "204":
                    assert "content" not in response, (method, path)
                    continue
                for body in response["content"].values():
                    checked += 1
                    if _untyped(body.get("schema"), components):
                        bare.append(f"{method.upper()} {path} {code}")
    assert bare == []
    assert checked > 60
