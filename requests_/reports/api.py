"""Staff API of the annual report: the same figures as the page, as JSON."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import PermissionDenied
from portal.permissions import is_staff_member
from requests_.reports import access, annual
from requests_.reports.annual import AnnualReport
from requests_.reports.serializers import AnnualReportOutput


def _table3_data(report: AnnualReport) -> dict[str, Any]:
    return {
        "title": annual.TABLE3_TITLE,
        "columns": [
            {
                "key": column.key,
                "label": column.label,
                "group": (
                    annual.ORGANISATIONS_LABEL
                    if column.key not in (annual.TOTAL, "natural_person")
                    else ""
                ),
            }
            for column in annual.TABLE3_COLUMNS
        ],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "path": list(row.path),
                "cells": report.table3[row.key],
            }
            for row in annual.TABLE3_ROWS
        ],
    }


def _table4_data(report: AnnualReport) -> dict[str, Any]:
    return {
        "title": annual.TABLE4_TITLE,
        "columns": [
            {
                "key": column.key,
                "kind": column.kind,
                "kind_label": annual.appeal_kind_title(column.kind),
                "result": column.result,
                "label": column.label,
            }
            for column in annual.TABLE4_COLUMNS
        ],
        "cells": report.table4,
    }


def _check_data(report: AnnualReport) -> dict[str, Any]:
    check = report.check
    return {
        "passed": check.passed,
        "balanced": check.balanced,
        "columns": [
            {
                "key": line.column,
                "label": line.label,
                "new_plus_carried_in": line.received,
                "total_plus_carried_out": line.settled,
                "balanced": line.balanced,
            }
            for line in check.lines
        ],
        "issues": [
            {
                "code": issue.code,
                "message": issue.message,
                "request": issue.request_id,
                "tracking_code": issue.tracking_code,
                "agency": issue.agency,
                "received_on": issue.received_on,
                "decided_on": issue.decided_on,
            }
            for issue in check.issues
        ],
    }


def _conversion_data(report: AnnualReport) -> dict[str, Any]:
    figures = report.conversion
    return {
        "rows": [
            {"key": row.key, "label": str(row.label), "count": figures.counts[row.key]}
            for row in annual.CONVERSION_ROWS
        ],
        "median_calendar_days": figures.median_calendar_days,
        "median_working_days": figures.median_working_days,
        "unknown_years": list(figures.unknown_years),
    }


def report_data(report: AnnualReport) -> dict[str, Any]:
    """Return the whole report as the API answers it."""
    query = report.query
    agency = query.agency
    return {
        "agency": {"code": agency.code, "name": agency.name} if agency else None,
        "scope": access.query_params(query)["scope"] if agency else access.CITY,
        "scope_label": query.scope_label,
        "year": query.year,
        "complete": query.period.is_complete,
        "table3": _table3_data(report),
        "table4": _table4_data(report),
        "check": _check_data(report),
        "conversion": _conversion_data(report),
    }


class AnnualReportApi(APIView):
    """``GET ?agency=<code|all>&year=<YYYY>[&scope=subtree|agency]``."""

    Output = AnnualReportOutput

    def get(self, request: Request) -> Response:
        if not is_staff_member(request.user):
            raise PermissionDenied()
        query = access.resolve_query(request.user, request.query_params)
        return Response(self.Output(report_data(annual.annual_report(query))).data)
