"""The parsing of the annual report's parameters, and the scoping of a cell.

Who may read which report is ``requests_.permissions.can_read_report`` and
``report_agencies_qs``. The page and the API parse their parameters here, so both
refuse the same input with the same message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from portal.listing import SortKeys, choice_order
from portal.models import Agency
from portal.permissions import AnyUser
from requests_.models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Outcome,
    RequestStatus,
)
from requests_.permissions import can_read_report, report_agencies_qs
from requests_.reports.annual import FIRST_YEAR, DrillDown, ReportQuery

CITY = "all"
SCOPE_SUBTREE = "subtree"
SCOPE_AGENCY = "agency"
SCOPES = (SCOPE_SUBTREE, SCOPE_AGENCY)

AGENCY_REQUIRED = _("请选择机关。")
AGENCY_NOT_FOUND = _("没有找到该机关，或您无权查看其年度报告。")
YEAR_REQUIRED = _("请填写统计年度。")
YEAR_INVALID = _("统计年度应为 %(first)s 年至 %(last)s 年之间的四位数年份。")
SCOPE_INVALID = _("统计范围只能是“本机关及下属单位”或“仅本机关”。")


class ReportNotFound(DomainError):
    """The agency does not exist or is not the viewer's: answered 404."""

    status = 404

    def __init__(self) -> None:
        super().__init__(AGENCY_NOT_FOUND, code="not_found", field="agency")


def default_year() -> int:
    """Return the last complete year: the one whose report is due next."""
    return timezone.localdate().year - 1


def _year(raw: str | None) -> int:
    last = timezone.localdate().year
    if not raw:
        raise DomainError(YEAR_REQUIRED, code="required", field="year")
    if not raw.strip().isdigit() or not FIRST_YEAR <= int(raw) <= last:
        raise DomainError(
            YEAR_INVALID % {"first": FIRST_YEAR, "last": last},
            code="invalid",
            field="year",
        )
    return int(raw)


def _agency(user: AnyUser | None, code: str | None) -> Agency | None:
    if not code:
        raise DomainError(AGENCY_REQUIRED, code="required", field="agency")
    agency = None if code == CITY else Agency.objects.filter(code=code).first()
    if (code != CITY and agency is None) or not can_read_report(user, agency):
        raise ReportNotFound()
    return agency


def resolve_query(
    user: AnyUser | None, params: Mapping[str, str], *, defaults: bool = False
) -> ReportQuery:
    """Return the permitted ``ReportQuery`` that ``params`` ask for.

    ``params`` holds ``agency`` (a code, or "all" for the city), ``year`` and
    ``scope`` (``subtree``, the default, or ``agency``). With ``defaults`` a
    missing agency is the viewer's first and a missing year the last complete one.
    Raise ``ReportNotFound`` for an agency the viewer may not read, and
    ``DomainError`` naming the field for any other bad input.
    """
    code = params.get("agency") or ""
    if not code and defaults:
        first = report_agencies_qs(user).first()
        code = first.code if first else ""
    year = params.get("year") or ""
    if not year and defaults:
        year = str(default_year())
    scope = params.get("scope") or SCOPE_SUBTREE
    if scope not in SCOPES:
        raise DomainError(SCOPE_INVALID, code="invalid", field="scope")
    agency = _agency(user, code)
    return ReportQuery(year=_year(year), agency=agency, subunits=scope == SCOPE_SUBTREE)


def query_params(query: ReportQuery) -> dict[str, str]:
    """Return the parameters that ask for ``query`` again (for links)."""
    return {
        "agency": query.agency.code if query.agency else CITY,
        "year": str(query.year),
        "scope": SCOPE_SUBTREE if query.subunits else SCOPE_AGENCY,
    }


def readable_drill_down(user: AnyUser | None, drill: DrillDown) -> DrillDown:
    """Narrow a cell's records to the agencies ``user`` works for.

    The query was permitted already; this keeps the rule that every list a page
    shows goes through a scoper, should a scope and a role ever disagree.
    """
    agencies = report_agencies_qs(user)
    if drill.requests is not None:
        return dataclasses.replace(
            drill, requests=drill.requests.filter(agency__in=agencies)
        )
    if drill.appeals is not None:
        return dataclasses.replace(
            drill, appeals=drill.appeals.filter(request__agency__in=agencies)
        )
    return drill


# The columns a cell's records may be sorted by; the default is the report's order.
DRILL_REQUEST_SORTS = SortKeys(
    {
        "code": ("tracking_code",),
        "title": ("title",),
        "agency": ("agency__tree_path",),
        "applicant": (choice_order("applicant_type", ApplicantType.values),),
        "received": ("received_on",),
        "decided": ("report_decided_on",),
        "outcome": (choice_order("report_outcome", Outcome.values),),
        "status": (choice_order("status", RequestStatus.values),),
    }
)
DRILL_APPEAL_SORTS = SortKeys(
    {
        "code": ("request__tracking_code",),
        "agency": ("request__agency__tree_path",),
        "kind": (choice_order("kind", AppealKind.values),),
        "filed": ("filed_on",),
        "result": (choice_order("result", AppealResult.values),),
        "decided": ("decided_on",),
    }
)


def drill_down_sorts(drill: DrillDown) -> SortKeys:
    """Return the sort keys of the records a cell lists (requests or appeals)."""
    return DRILL_APPEAL_SORTS if drill.appeals is not None else DRILL_REQUEST_SORTS


def sorted_drill_down(drill: DrillDown, sort: str | None) -> DrillDown:
    """Order a cell's records by ``sort`` if whitelisted; never adds a record."""
    keys = drill_down_sorts(drill)
    if drill.requests is not None:
        return dataclasses.replace(drill, requests=keys.order(drill.requests, sort))
    if drill.appeals is not None:
        return dataclasses.replace(drill, appeals=keys.order(drill.appeals, sort))
    return drill
