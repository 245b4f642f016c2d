"""The public column search page: parse the GET query, search, render.

The page works as a plain GET form (no script needed): filters are checkboxes
in the same form as the search box, and every link (tabs, pages) carries the
whole query, so any result page can be bookmarked or shared.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from search import selectors
from search.engines.base import SearchEngineError, Sort
from search.forms import SORT_CHOICES, SearchForm, type_choices

logger = logging.getLogger(__name__)

TEMPLATE = "search/column.html"
# Page links shown either side of the current page.
PAGE_WINDOW = 2


def query_url(params: QueryDict, **changes: Any) -> str:
    """Return ``?…`` with ``params`` changed; ``None`` removes a parameter."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = str(value)
    return f"?{query.urlencode()}" if query else "?"


def _tabs(params: QueryDict, form: SearchForm, counts: dict[str, int]) -> list[dict]:
    return [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "url": query_url(params, type=value, page=None),
            "active": value == form.doc_type,
        }
        for value, label in type_choices()
    ]


def _pages(params: QueryDict, page: selectors.SearchPage) -> list[dict]:
    current, last = page.query.page, page.num_pages
    numbers = range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)
    return [
        {"number": n, "url": query_url(params, page=n), "current": n == current}
        for n in numbers
    ]


def _context(
    params: QueryDict, form: SearchForm, page: selectors.SearchPage | None
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "sort_choices": SORT_CHOICES,
        "clear_url": query_url(
            QueryDict(mutable=True),
            q=params.get("q"),
            type=params.get("type"),
        ),
    }
    if page is not None:
        context.update(
            tabs=_tabs(params, form, page.type_counts),
            pages=_pages(params, page),
            previous_url=query_url(params, page=page.previous_page),
            next_url=query_url(params, page=page.next_page),
            sort=page.query.sort,
            relevance=Sort.RELEVANCE,
        )
    return context


@require_safe
def column(request: HttpRequest) -> HttpResponse:
    """Search one registered document type (a tab) of the column."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(request.GET, form, None), status=400)
    try:
        page = selectors.search_documents(form.search_query())
    except SearchEngineError:
        logger.warning("column search: engine unavailable", exc_info=True)
        context = _context(request.GET, form, None)
        context["unavailable"] = selectors.SEARCH_UNAVAILABLE
        return render(request, TEMPLATE, context, status=503)
    return render(request, TEMPLATE, _context(request.GET, form, page))
