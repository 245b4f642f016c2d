"""Staff API of the entry-use evidence: the overview's figures as JSON.

``GET /api/v1/negative-list-usage/?agency=<code|all>&year=<YYYY>[&scope=…]``,
parsed and permitted as the annual report's API is. Each count comes with the
workspace link to the records it counts (staff only, like the figure).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import PermissionDenied
from portal.permissions import is_staff_member
from requests_ import usage
from requests_.usage_views import cell_url, resolve


class UsageCellOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    records = serializers.CharField(help_text="统计的具体申请或复议诉讼（工作台链接）")


class UsageEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField(help_text="机构代码")
    category = serializers.CharField(help_text="不予公开类别代码")
    cells = UsageCellOutput(many=True)
    last_cited = serializers.DateField(allow_null=True)
    candidate = serializers.BooleanField(help_text="是否建议修订或取消")
    reasons = serializers.ListField(child=serializers.CharField())


class UsageOutsideOutput(serializers.Serializer):
    agency = serializers.CharField(help_text="机构代码")
    cells = UsageCellOutput(many=True)


class UsageCategoryAgencyOutput(serializers.Serializer):
    agency = serializers.CharField(help_text="机构代码")
    entries = serializers.IntegerField()
    refusals = serializers.IntegerField()
    entries_outlier = serializers.BooleanField()
    refusals_outlier = serializers.BooleanField()
    records = serializers.CharField()


class UsageCategoryOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    median_entries = serializers.FloatField(help_text="全市有清单机构的中位数")
    median_refusals = serializers.FloatField()
    agencies = UsageCategoryAgencyOutput(many=True)


class UsageDuplicateEntryOutput(serializers.Serializer):
    code = serializers.CharField()
    agency = serializers.CharField()
    title = serializers.CharField()


class UsageDuplicateGroupOutput(serializers.Serializer):
    score = serializers.FloatField(help_text="组内最低相似度")
    entries = UsageDuplicateEntryOutput(many=True)


class UsageOutput(serializers.Serializer):
    scope_label = serializers.CharField()
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    unused_years = serializers.IntegerField()
    entries = UsageEntryOutput(many=True)
    outside = UsageOutsideOutput(many=True)
    categories = UsageCategoryOutput(many=True)
    duplicates = UsageDuplicateGroupOutput(many=True)


def _cells(columns: Any, counts: dict[str, int], link: Any) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "label": str(c.label),
            "count": counts[c.key],
            "records": link(c.key) if counts[c.key] else "",
        }
        for c in columns
    ]


def usage_data(overview: usage.UsageOverview) -> dict[str, Any]:
    """Return the overview as the API answers it."""
    query = overview.query
    year = query.year
    columns = (*usage.request_columns(query), *usage.appeal_columns())
    entries = []
    for row in overview.entries:
        entry = row.entry
        code = entry.agency.code

        def link(key: str, code: str = code, pk: int = entry.pk) -> str:
            return cell_url(code, "agency", year, usage.ENTRY, pk, key)

        entries.append(
            {
                "id": entry.pk,
                "code": entry.code,
                "title": entry.title,
                "agency": code,
                "category": entry.category_code,
                "cells": _cells(columns, row.counts, link),
                "last_cited": row.last_cited,
                "candidate": row.flagged,
                "reasons": list(row.reasons),
            }
        )
    outside = [
        {
            "agency": code,
            "cells": _cells(
                usage.outside_columns(query),
                counts,
                lambda key, code=code: cell_url(
                    code, "agency", year, usage.OUTSIDE, code, key
                ),
            ),
        }
        for code, counts in sorted(overview.outside.items())
    ]
    categories = [
        {
            "code": row.code,
            "name": row.name,
            "median_entries": row.median_entries,
            "median_refusals": row.median_refusals,
            "agencies": [
                {
                    "agency": agency.code,
                    "entries": row.cells[agency.code][0].value,
                    "refusals": row.cells[agency.code][1].value,
                    "entries_outlier": row.cells[agency.code][0].outlier,
                    "refusals_outlier": row.cells[agency.code][1].outlier,
                    "records": cell_url(
                        agency.code,
                        "agency",
                        year,
                        usage.CATEGORY,
                        row.code,
                        agency.code,
                    ),
                }
                for agency in overview.categories.agencies
            ],
        }
        for row in overview.categories.rows
    ]
    duplicates = [
        {
            "score": group.score,
            "entries": [
                {"code": e.code, "agency": e.agency.code, "title": e.title}
                for e in group.entries
            ],
        }
        for group in overview.duplicates
    ]
    return {
        "scope_label": query.scope_label,
        "year": year,
        "years": list(overview.years),
        "unused_years": usage.unused_years(),
        "entries": entries,
        "outside": outside,
        "categories": categories,
        "duplicates": duplicates,
    }


class UsageApi(APIView):
    """``GET ?agency=<code|all>&year=<YYYY>[&scope=subtree|agency]``."""

    Output = UsageOutput

    def get(self, request: Request) -> Response:
        if not is_staff_member(request.user):
            raise PermissionDenied()
        query = resolve(request, request.query_params)
        return Response(self.Output(usage_data(usage.usage_overview(query))).data)
