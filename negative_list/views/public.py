"""Public pages: published lists only. Parse, select, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from negative_list import exports, permissions, selectors, usage
from negative_list.diff import diff_versions
from negative_list.models import ListVersion
from portal.models import Agency

EXPORT_FORMATS = ("xlsx", "csv")


def _agency(code: str) -> Agency:
    return get_object_or_404(Agency, code=code, is_active=True)


def _version(request: HttpRequest, agency: Agency, number: int) -> ListVersion:
    return get_object_or_404(
        permissions.readable_list_versions_qs(request.user).select_related("agency"),
        agency=agency,
        number=number,
    )


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "negative_list/public/index.html",
        {"lists": selectors.published_lists()},
    )


def _version_page(
    request: HttpRequest, agency: Agency, version: ListVersion
) -> HttpResponse:
    versions = list(selectors.list_versions(agency))
    items = list(selectors.version_items(version))
    last_year = timezone.localdate().year - 1
    cited = usage.citations([item.entry_id for item in items], last_year)
    for item in items:
        item.cited = cited.get(item.entry_id, 0) if cited is not None else None
    context = {
        "agency": agency,
        "version": version,
        "items": items,
        "cited_year": last_year if cited is not None else None,
        "versions": versions,
        "is_current": version.number == versions[0].number,
    }
    return render(request, "negative_list/public/agency.html", context)


def agency(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    version = selectors.current_list_version(agency)
    if version is None:
        raise Http404
    return _version_page(request, agency, version)


def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    agency = _agency(code)
    return _version_page(request, agency, _version(request, agency, number))


def versions(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    rows = list(selectors.list_versions(agency))
    if not rows:
        raise Http404
    return render(
        request,
        "negative_list/public/versions.html",
        {"agency": agency, "versions": rows},
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def diff(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    rows = list(selectors.list_versions(agency))
    if len(rows) < 2:
        raise Http404
    new_number = _number(request.GET.get("to")) or rows[0].number
    old_number = _number(request.GET.get("from")) or max(new_number - 1, 1)
    new = _version(request, agency, new_number)
    old = _version(request, agency, old_number)
    context = {"agency": agency, "diff": diff_versions(old, new), "versions": rows}
    return render(request, "negative_list/public/diff.html", context)


def export(request: HttpRequest, code: str, number: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    version = _version(request, _agency(code), number)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(version),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.to_csv(version), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(version, fmt)}"'
    )
    return response
