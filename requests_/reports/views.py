"""Workspace pages of the annual report: the tables, one cell's records, exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from portal.decorators import staff_required
from portal.errors import DomainError
from requests_.reports import access, annual, exports, layout
from requests_.reports.annual import ReportQuery

PAGE_SIZE = 50
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _query(request: HttpRequest, *, defaults: bool = False) -> ReportQuery:
    """Resolve the parameters; an agency the viewer may not read is a 404."""
    try:
        return access.resolve_query(request.user, request.GET, defaults=defaults)
    except access.ReportNotFound as exc:
        raise Http404 from exc


def _picker(request: HttpRequest, query: ReportQuery | None) -> dict:
    params = access.query_params(query) if query else dict(request.GET.items())
    return {
        "agencies": access.report_agencies_qs(request.user),
        "city": access.can_read_report(request.user, None),
        "years": range(timezone.localdate().year, annual.FIRST_YEAR - 1, -1),
        "selected": params,
    }


def _linker(query: ReportQuery) -> layout.Linker:
    base = reverse("annual_report:cell")
    params = access.query_params(query)

    def link(table: str, row: str, column: str) -> str:
        return (
            f"{base}?{urlencode({**params, 'table': table, 'row': row, 'col': column})}"
        )

    return link


def _error(request: HttpRequest, template: str, exc: DomainError) -> HttpResponse:
    context = {"error": exc, **_picker(request, None)}
    return render(request, template, context, status=exc.status)


@staff_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Show 表三, 表四, the conversion figures and the check."""
    try:
        query = _query(request, defaults=True)
    except DomainError as exc:
        return _error(request, "requests_/annual_report/page.html", exc)
    report = annual.annual_report(query)
    link = _linker(query)
    context = {
        "report": report,
        "tables": [
            layout.table3_layout(report, link),
            layout.table4_layout(report, link),
        ],
        "conversion": layout.conversion_layout(report, link),
        "check": layout.check_layout(report),
        "export_query": urlencode(access.query_params(query)),
        **_picker(request, query),
    }
    return render(request, "requests_/annual_report/page.html", context)


@staff_required
def report_cell(request: HttpRequest) -> HttpResponse:
    """List the requests (or appeals) that one cell of the report counts."""
    template = "requests_/annual_report/cell.html"
    try:
        query = _query(request)
        drill = annual.drill_down(
            query,
            request.GET.get("table", ""),
            request.GET.get("row", ""),
            request.GET.get("col", ""),
        )
        drill = access.readable_drill_down(request.user, drill)
    except DomainError as exc:
        return _error(request, template, exc)
    items = drill.requests if drill.requests is not None else drill.appeals
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    if drill.requests is not None:
        for item in page:
            item.report_outcome_label = annual.outcome_label(item.report_outcome)
    back = reverse("annual_report:page")
    context = {
        "query": query,
        "drill": drill,
        "page": page,
        "back": f"{back}?{urlencode(access.query_params(query))}",
        "page_query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
    }
    return render(request, template, context)


@staff_required
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the report as XLSX (the template's layout) or CSV."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    try:
        query = _query(request)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    report = annual.annual_report(query)
    body = exports.to_xlsx(report) if fmt == "xlsx" else exports.to_csv(report)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    name = exports.filename(report, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
