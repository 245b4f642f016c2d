"""The public search API of the column: same parameters and path as the page.

``GET /api/v1/disclosures/`` answers ``{"count", "page", "page_size",
"results", "facets", "took_ms"}``.  Every result carries ``type``, ``title``,
``agency``, ``published_on``, ``url`` and ``highlight`` (HTML: escaped text with
``<mark>``), plus the fields its document source adds (``Presented.api_fields``);
``type`` picks the registered document type searched.  Bad parameters answer
400 in the project's error shape, naming the field; an engine outage answers 503.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search import registry, selectors
from search.engines.base import SearchEngineError
from search.forms import SearchForm


class SearchUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "search_unavailable"
    default_detail = selectors.SEARCH_UNAVAILABLE


def _agency(agency: Any) -> dict[str, str]:
    return {"code": agency.code, "name": agency.name}


def _item(item: selectors.ResultItem, request: Request) -> dict[str, Any]:
    return {
        "type": item.doc_type,
        "title": item.presented.title,
        "agency": _agency(item.presented.agency),
        "published_on": item.published_on,
        "url": request.build_absolute_uri(item.presented.url),
        "highlight": {"title": item.title_html, "body": item.snippet_html},
        **item.presented.api_fields,
    }


def _facets(page: selectors.SearchPage) -> dict[str, Any]:
    facets: dict[str, Any] = {
        name: [
            {"value": b.value, "label": b.label, "count": b.count}
            for b in buckets
            if b.count
        ]
        for name, buckets in page.facets.items()
    }
    facets["type"] = [
        {"value": value, "count": page.type_counts.get(value, 0)}
        for value in registry.doc_types()
    ]
    return facets


class ColumnSearchApi(APIView):
    """Anyone may search the column; anonymous throttling applies."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        query = form.search_query()
        try:
            page = selectors.search_documents(query)
        except SearchEngineError as error:
            raise SearchUnavailable() from error
        return Response(
            {
                "count": page.total,
                "page": query.page,
                "page_size": query.size,
                "results": [_item(item, request) for item in page.items],
                "facets": _facets(page),
                "took_ms": round(page.took_ms, 1),
            }
        )
