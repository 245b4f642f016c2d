"""The OpenAPI schema (``/api/schema/``) and its documentation page (``/api/docs/``).

The page is rendered on the server from the same schema the schema view serves:
no script, no external assets, readable without JavaScript and under a CSP that
forbids inline scripts.
"""

from __future__ import annotations

import functools
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from rest_framework.permissions import AllowAny

from portal.openapi import HTTP_METHODS


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, readable by anyone (anonymous throttling applies)."""

    permission_classes = [AllowAny]


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    # The API does not change while the process runs; generating costs ~1 s.
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict[str, Any], node: dict[str, Any] | None) -> dict[str, Any]:
    while node and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"].get(name, {})
    return node or {}


def _type_label(schema: dict[str, Any], node: dict[str, Any]) -> str:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if node.get("type") == "array":
        return f"{_type_label(schema, node.get('items', {}))}[]"
    if "allOf" in node:
        return " & ".join(_type_label(schema, part) for part in node["allOf"])
    if "oneOf" in node:
        return " | ".join(_type_label(schema, part) for part in node["oneOf"])
    label = node.get("type", "object")
    if node.get("format"):
        label = f"{label} ({node['format']})"
    return label


def _fields(schema: dict[str, Any], node: dict[str, Any] | None) -> list[dict]:
    node = _resolve(schema, node)
    if node.get("type") == "array":
        node = _resolve(schema, node.get("items"))
    required = set(node.get("required", ()))
    return [
        {
            "name": name,
            "type": _type_label(schema, prop),
            "required": name in required,
            "read_only": prop.get("readOnly", False),
            "description": prop.get("description", "") or prop.get("title", ""),
            "enum": prop.get("enum", ()),
        }
        for name, prop in node.get("properties", {}).items()
    ]


def _json_schema(content: dict[str, Any] | None) -> dict[str, Any] | None:
    if not content:
        return None
    for media in ("application/json", *content):
        if media in content:
            return content[media].get("schema")
    return None


def _operation(schema: dict[str, Any], path: str, method: str, op: dict) -> dict:
    responses = []
    for code, response in op.get("responses", {}).items():
        body = _json_schema(response.get("content"))
        responses.append(
            {
                "code": code,
                "description": response.get("description", ""),
                "type": _type_label(schema, body) if body else "",
                "fields": _fields(schema, body) if code.startswith("2") else [],
            }
        )
    request_body = _json_schema((op.get("requestBody") or {}).get("content"))
    return {
        "id": op.get("operationId", ""),
        "method": method.upper(),
        "path": path,
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "public": {} in op.get("security", [{}]),
        "parameters": [
            {
                "name": p["name"],
                "in": p["in"],
                "required": p.get("required", False),
                "type": _type_label(schema, p.get("schema", {})),
                "description": p.get("description", ""),
            }
            for p in op.get("parameters", ())
        ],
        "request_fields": _fields(schema, request_body) if request_body else [],
        "responses": responses,
    }


def documentation(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Group the operations of ``schema`` by tag, public ones first in each."""
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            for tag in op.get("tags", ["api"])[:1]:
                groups.setdefault(tag, []).append(_operation(schema, path, method, op))
    return [
        {
            "tag": tag,
            "operations": sorted(ops, key=lambda o: (not o["public"], o["path"])),
        }
        for tag, ops in sorted(groups.items())
    ]


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """Render the API documentation from the schema, on the server.

    Without ``?tag=`` the page is an index: every operation on one line, linked
    to its group's page. With it, the page shows that group's operations in
    full, so no page carries all seventy operations' tables at once (which made
    one page tens of thousands of pixels long and slow to lay out on a phone).
    """
    schema = _schema()
    groups = documentation(schema)
    tag = request.GET.get("tag", "")
    current = next((group for group in groups if group["tag"] == tag), None)
    if tag and current is None:
        raise Http404
    context = {"info": schema.get("info", {}), "groups": groups, "current": current}
    return render(request, "portal/public/api_docs.html", context)
