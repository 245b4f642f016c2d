"""Explicit hostile cases for every API operation, read from the portal's schema.

Random generation rarely draws the classes that broke the portal: dates at the
ends of the calendar, JSON nested thousands deep, strings of megabytes, numbers
of twenty digits. Every operation gets each class here, signed in as the
superuser (so permission checks do not stop the request before the parsing) and
anonymously; the answer is never a 5xx.
"""

from __future__ import annotations

import re

import pytest

from django.core.cache import cache

pytestmark = pytest.mark.django_db

EXTREME_DATES = ["0001-01-01", "9999-12-31", "1900-02-29"]
EXTREME_INTS = [-1, 10**20, -(10**20)]
HUGE = "a" * 2_000_000
DEEP = "[" * 50_000


def operations(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in item.items():
            if method in {"get", "post"}:
                yield method, concrete, operation, schema


def body_schema(operation, schema) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref")
    if not ref:
        return {}
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def hostile_bodies(properties: dict):
    """Yield bodies with every string, date or integer field set to an extreme."""
    for name, spec in properties.items():
        kind, fmt = spec.get("type"), spec.get("format")
        if kind == "string" and fmt == "date":
            for value in EXTREME_DATES:
                yield {name: value}
        elif kind == "string":
            yield {name: HUGE}
        elif kind == "integer":
            for value in EXTREME_INTS:
                yield {name: value}


@pytest.fixture
def admin_client(client, matrix):
    cache.clear()
    client.force_login(matrix.users["superuser"])
    yield client
    cache.clear()


def test_no_operation_answers_5xx_to_hostile_bodies(admin_client):
    """Deep JSON, megabyte strings, extreme dates and numbers: 4xx at worst."""
    failures = []
    for method, path, operation, schema in operations(admin_client):
        if method != "post":
            continue
        response = admin_client.post(path, DEEP, content_type="application/json")
        if response.status_code >= 500:
            failures.append((path, "deep", response.status_code))
        properties = body_schema(operation, schema).get("properties", {})
        for body in hostile_bodies(properties):
            response = admin_client.post(path, body, content_type="application/json")
            if response.status_code >= 500:
                failures.append((path, sorted(body), response.status_code))
    assert failures == []


def test_no_operation_answers_5xx_to_hostile_query_parameters(admin_client):
    """Every query parameter of every GET, at the extremes of its type."""
    failures = []
    for method, path, operation, _ in operations(admin_client):
        if method != "get":
            continue
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            spec = parameter.get("schema", {})
            values = (
                EXTREME_DATES
                if spec.get("format") == "date"
                else EXTREME_INTS
                if spec.get("type") == "integer"
                else ["a" * 10_000]
            )
            for value in values:
                response = admin_client.get(path, {parameter["name"]: value})
                if response.status_code >= 500:
                    failures.append((path, parameter["name"], value))
    assert failures == []


def test_the_deadline_operation_with_both_extremes_is_a_400(client):
    """The finding itself, as the fuzz suite's explicit case."""
    response = client.get(
        "/api/v1/calendar/deadline/", {"start": "9999-12-31", "days": 20}
    )
    assert response.status_code == 400
