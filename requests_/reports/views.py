"""Workspace pages of the annual report: the tables, one cell's records, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.decorators import staff_required
from portal.errors import DomainError
from portal.jobs import job_submit
from portal.listing import Listing
from requests_ import jobs, permissions
from requests_.reports import access, annual, exports, layout
from requests_.reports.annual import ReportQuery

PAGE_SIZE = 50
CELL_TEMPLATE = "requests_/annual_report/cell.html"
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


def picker(request: HttpRequest, query: ReportQuery | None) -> dict[str, Any]:
    """Return the agency and year picker's context, as ``query`` or as asked."""
    params = access.query_params(query) if query else dict(request.GET.items())
    return {
        "agencies": permissions.report_agencies_qs(request.user),
        "city": permissions.can_read_report(request.user, None),
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
    context = {"error": exc, **picker(request, None)}
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
        "export_formats": [("xlsx", _("导出 XLSX")), ("csv", _("导出 CSV"))],
        **picker(request, query),
    }
    return render(request, "requests_/annual_report/page.html", context)


def read_cell(
    request: HttpRequest,
    query: ReportQuery,
    drill_down: Callable[[ReportQuery, str, str, str], annual.DrillDown],
) -> annual.DrillDown:
    """Return the records of the cell that ``table``, ``row`` and ``col`` name,
    those the viewer may read."""
    drill = drill_down(
        query,
        request.GET.get("table", ""),
        request.GET.get("row", ""),
        request.GET.get("col", ""),
    )
    return access.readable_drill_down(request.user, drill)


def cell_page(
    request: HttpRequest,
    query: ReportQuery,
    drill: annual.DrillDown,
    back: str,
    **extra: Any,
) -> HttpResponse:
    """Show a cell's records sorted as asked, a page of them, and the way ``back``
    (a URL name) to the figures of ``query``."""
    listing = Listing.from_request(request, access.drill_down_sorts(drill))
    drill = access.sorted_drill_down(drill, listing.value)
    items = drill.requests if drill.requests is not None else drill.appeals
    page = listing.paginate(items, PAGE_SIZE)
    if drill.requests is not None:
        for item in page:
            item.report_outcome_label = annual.outcome_label(item.report_outcome)
    context = {
        "query": query,
        "drill": drill,
        "page": page,
        "back": f"{reverse(back)}?{urlencode(access.query_params(query))}",
        "listing": listing,
        **extra,
    }
    return render(request, CELL_TEMPLATE, context)


@staff_required
def report_cell(request: HttpRequest) -> HttpResponse:
    """List the requests (or appeals) that one cell of the report counts."""
    try:
        query = _query(request)
        drill = read_cell(request, query, annual.drill_down)
    except DomainError as exc:
        return _error(request, CELL_TEMPLATE, exc)
    return cell_page(request, query, drill, "annual_report:page")


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


@staff_required
@require_POST
def report_export_job(request: HttpRequest, fmt: str) -> HttpResponse:
    """Build the export in a background job; the file waits on the job page."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    try:
        query = access.resolve_query(request.user, request.POST)
    except access.ReportNotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    params = access.query_params(query)
    job = job_submit(
        kind=jobs.ANNUAL_EXPORT,
        actor=request.user,
        agency=query.agency,
        title=_("年度报告导出：%(agency)s %(year)d年（%(fmt)s）")
        % {
            "agency": query.agency.display_name if query.agency else _("全市"),
            "year": query.year,
            "fmt": fmt.upper(),
        },
        params={**params, "fmt": fmt},
    )
    return redirect("workspace:job_detail", pk=job.pk)
