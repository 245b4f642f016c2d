"""Pages of the entry-use evidence: the coordinator's overview, one cell's records,
the sections on the review task and cycle pages, the public aggregate.

The figures come from ``requests_.usage``; parameters are parsed and permitted by
the annual report's ``access.resolve_query``, so the same agency a viewer may not
read there is a 404 here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list import selectors as list_selectors
from negative_list import usage as list_usage
from negative_list.models import Entry, ListVersionItem, ReviewCycle, ReviewTask
from negative_list.permissions import readable_review_tasks_qs
from portal.decorators import staff_required
from portal.errors import DomainError
from portal.extensions import (
    DatasetField,
    NavLink,
    OpenDataset,
    register_open_dataset,
    register_workspace_nav,
)
from portal.models import Agency
from portal.open_data import download
from portal.permissions import is_staff_member
from requests_ import usage
from requests_.reports import access
from requests_.reports.annual import ReportQuery
from requests_.reports.views import CELL_TEMPLATE, cell_page, picker, read_cell

OVERVIEW_TEMPLATE = "requests_/usage/overview.html"


def cell_url(agency: str, scope: str, year: int, table: str, row: Any, col: str) -> str:
    """Return the link to the records one cell counts."""
    params = {"agency": agency, "scope": scope, "year": year}
    params.update({"table": table, "row": row, "col": col})
    return f"{reverse('usage:cell')}?{urlencode(params)}"


def entry_table(year: int, rows: list[usage.EntryUsage]) -> dict[str, Any]:
    """Lay out the use of entries: headers, and per entry its linked cells.

    A cell links to its records at the entry's own agency, so the link works for
    whoever may read that agency's report, from any page.
    """
    query = ReportQuery(year=year)
    columns = (*usage.request_columns(query), *usage.appeal_columns())
    laid_out = []
    for row in rows:
        agency = row.entry.agency.code
        cells = []
        for column in columns:
            value = row.counts[column.key]
            url = cell_url(
                agency, "agency", year, usage.ENTRY, row.entry.pk, column.key
            )
            cells.append(
                {
                    "key": column.key,
                    "label": column.label,
                    "value": value,
                    "url": url if value else "",
                }
            )
        laid_out.append({"usage": row, "cells": cells})
    return {"headers": [c.label for c in columns], "rows": laid_out, "year": year}


def resolve(request: HttpRequest, params: Any) -> ReportQuery:
    """Parse and permit; the year defaults to the current one (evidence to date)."""
    values = dict(params.items())
    values.setdefault("year", str(timezone.localdate().year))
    return access.resolve_query(request.user, values, defaults=True)


def _outside_table(overview: usage.UsageOverview) -> dict[str, Any]:
    query = overview.query
    columns = usage.outside_columns(query)
    names = dict(
        Agency.objects.filter(code__in=list(overview.outside)).values_list(
            "code", "name"
        )
    )
    rows = []
    for code, counts in sorted(overview.outside.items()):
        rows.append(
            {
                "agency": names.get(code, code),
                "cells": [
                    {
                        "label": c.label,
                        "value": counts[c.key],
                        "url": cell_url(
                            code, "agency", query.year, usage.OUTSIDE, code, c.key
                        )
                        if counts[c.key]
                        else "",
                    }
                    for c in columns
                ],
            }
        )
    return {"headers": [c.label for c in columns], "rows": rows}


def _category_table(overview: usage.UsageOverview) -> dict[str, Any]:
    query = overview.query
    table = overview.categories
    rows = []
    for row in table.rows:
        cells = []
        for agency in table.agencies:
            entries, refused = row.cells[agency.code]
            url = cell_url(
                agency.code, "agency", query.year, usage.CATEGORY, row.code, agency.code
            )
            cells.append(
                {
                    "agency": agency.display_name,
                    "entries": entries,
                    "refusals": refused,
                    "url": url if refused.value else "",
                }
            )
        rows.append({"row": row, "cells": cells})
    return {"agencies": table.agencies, "rows": rows}


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show the use of every entry in scope, refusals outside the list, the
    comparison across agencies and the near-duplicate groups."""
    try:
        query = resolve(request, request.GET)
    except access.ReportNotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        context = {"error": exc, **picker(request, None)}
        return render(request, OVERVIEW_TEMPLATE, context, status=exc.status)
    result = usage.usage_overview(query)
    context = {
        "overview": result,
        "entries": entry_table(query.year, result.entries),
        "outside": _outside_table(result),
        "categories": _category_table(result),
        "unused_years": usage.unused_years(),
        **picker(request, query),
    }
    return render(request, OVERVIEW_TEMPLATE, context)


@staff_required
def cell(request: HttpRequest) -> HttpResponse:
    """List the requests (or appeals) one cell of the evidence counts."""
    try:
        query = resolve(request, request.GET)
        drill = read_cell(request, query, usage.drill_down)
    except access.ReportNotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return render(request, CELL_TEMPLATE, {"error": exc}, status=exc.status)
    return cell_page(
        request,
        query,
        drill,
        "usage:overview",
        heading=_("清单事项使用情况明细"),
        back_label=_("返回使用情况"),
    )


# --- Sections on the negative-list pages -----------------------------------------


def _task_section(request: HttpRequest, task: ReviewTask) -> dict[str, Any]:
    year = timezone.localdate().year
    query = ReportQuery(year=year, agency=task.entry.agency, subunits=False)
    entries = Entry.objects.filter(pk=task.entry_id).select_related(
        "agency", "published_version__category"
    )
    return {"table": entry_table(year, usage.entry_usage(query, entries))}


def _cycle_section(request: HttpRequest, cycle: ReviewCycle) -> dict[str, Any] | None:
    year = timezone.localdate().year
    query = ReportQuery(year=year, agency=cycle.agency)
    tasks = readable_review_tasks_qs(request.user).filter(cycle=cycle)
    entries = (
        Entry.objects.filter(pk__in=tasks.values("entry"))
        .select_related("agency", "published_version__category")
        .order_by("agency__tree_path", "serial")
    )
    rows = usage.entry_usage(query, entries)
    if not rows:
        return None
    return {
        "table": entry_table(year, rows),
        "flagged": sum(1 for row in rows if row.flagged),
    }


def register() -> None:
    """Plug the evidence into the negative-list pages and the open-data index."""
    list_usage.register_task_section(
        list_usage.ObjectSection(
            "requests_usage", "requests_/usage/task_section.html", _task_section
        )
    )
    list_usage.register_cycle_section(
        list_usage.ObjectSection(
            "requests_usage", "requests_/usage/cycle_section.html", _cycle_section
        )
    )
    list_usage.register_citation_counter("requests_", usage.citation_counts)
    register_open_dataset(USAGE_DATASET)
    register_workspace_nav(
        "requests_usage",
        NavLink(_("清单使用情况"), "usage:overview", order=21, visible=is_staff_member),
    )


# --- Open data: counts per entry and year, nothing about any request ------------------

USAGE_DATASET = OpenDataset(
    key="negative-list-usage",
    title=_("负面清单事项引用情况"),
    description=_(
        "各机构现行负面清单每个事项在最近三个完整年度被不予公开、部分公开答复引用的"
        "次数，以及对这些答复提起的行政复议、行政诉讼的结果件数。只有件数，不含任何申请。"
    ),
    url_name="usage:open_data",
    fields=(
        DatasetField(
            "机构", _("文本"), _("发布清单的机构全称"), "上海市黄浦区人民政府"
        ),
        DatasetField("机构代码", _("文本"), _("发布机构的组织机构代码"), "310101000"),
        DatasetField("事项编号", _("文本"), _("事项的唯一编号"), "310101000-001"),
        DatasetField(
            "事项名称", _("文本"), _("不予公开事项的名称"), "区政府常务会议讨论记录"
        ),
        DatasetField("类别", _("文本"), _("不予公开的类别"), "过程性信息"),
        DatasetField("年度", _("整数"), _("答复所在的年度"), "2025"),
        DatasetField("不予公开", _("整数"), _("引用该事项的不予公开答复件数"), "3"),
        DatasetField("部分公开", _("整数"), _("引用该事项的部分公开答复件数"), "1"),
        DatasetField("复议诉讼", _("整数"), _("对这些答复提起的复议、诉讼件数"), "1"),
        DatasetField("维持", _("整数"), _("其中结果维持的件数"), "1"),
        DatasetField("纠正", _("整数"), _("其中结果纠正的件数"), "0"),
        DatasetField("其他", _("整数"), _("其中其他结果的件数"), "0"),
        DatasetField("尚未审结", _("整数"), _("其中尚未审结的件数"), "0"),
    ),
    order=21,
)
APPEAL_FIELDS = (
    ("维持", "appeal.upheld"),
    ("纠正", "appeal.corrected"),
    ("其他", "appeal.other"),
    ("尚未审结", "appeal.pending"),
)


def usage_rows() -> Iterator[dict[str, Any]]:
    """Yield one row per current published entry and complete year shown."""
    last = timezone.localdate().year - 1
    years = range(last - usage.YEARS_SHOWN + 1, last + 1)
    now = timezone.now()
    current = [
        row.version
        for row in list_selectors.published_lists()
        if row.version.published_at <= now
    ]
    items = (
        ListVersionItem.objects.filter(list_version__in=current)
        .select_related("list_version__agency", "entry")
        .order_by("list_version__agency__tree_path", "position")
    )
    counts = usage.public_counts([item.entry_id for item in items], years)
    for item in items:
        agency = item.list_version.agency
        for year in years:
            row = counts[(item.entry_id, year)]
            yield {
                "机构": agency.name,
                "机构代码": agency.code,
                "事项编号": item.entry.code,
                "事项名称": item.title,
                "类别": item.category_name,
                "年度": year,
                "不予公开": row[usage.WITHHELD],
                "部分公开": row[usage.PARTIAL],
                "复议诉讼": row["appeal.total"],
                **{name: row[key] for name, key in APPEAL_FIELDS},
            }


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the counts per entry and year as CSV, XLSX or JSON."""
    return download(USAGE_DATASET, usage_rows(), fmt)
