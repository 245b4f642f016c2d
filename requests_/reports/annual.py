"""Count 表三, 表四 and the conversion figures of one scope and calendar year.

How the national template (国办公开办函〔2021〕30号) and its notes are read here:

- **Year of a request.** A request belongs to 一、本年新收 of the year it was
  received (``received_on``).
- **Decision date.** A request is *decided* on its reply date (``replied_on``).
  The workflow also dates a lapse (逾期不补正) and a withdrawal as a reply, with
  the outcomes （六）1 and （六）3; a record marked withdrawn or lapsed without an
  outcome (imported, or older than that rule) is read the same way, dated by its
  withdrawal or closing day. Closing a replied request is housekeeping and moves
  no figure.
- **二、上年结转**: received before 1 January and not decided by 31 December of the
  previous year.
- **三、本年度办理结果**: decided in the year, whatever the year of receipt, each
  request exactly once, in the row of its outcome. A partial disclosure counts only
  as （二）部分公开 (the template: 区分处理的只计此项); a lapsed request as （六）1; a
  withdrawn request as （六）3.其他, because the applicant, not the agency, ended it
  and the template has no row of its own for that. （七）总计 is the sum of the rows.
- **四、结转下年度继续办理**: received by 31 December and not decided by then.
- **Columns**: the applicant type recorded at registration; 总计 counts every
  request.
- **Check** (per column, as the template's 勾稽关系 note asks): 一 + 二 = 三（七）+
  四. It holds by construction for every record decided on or after its receipt,
  so the records that break it, or that are counted wrongly although the sums
  agree, are listed by name for the agency to fix: a decision dated before
  receipt, an outcome without a date, a reply without an outcome, an outcome or
  applicant type outside the template's categories.
- **表四**: an administrative review or lawsuit counts in the year it was filed,
  with its result as known on 31 December (decided later, or not yet: 尚未审结),
  so a past year's figures do not move.
- **Conversion** (this portal's addition): of the requests decided in the year as
  予以公开 or 部分公开, how many were converted (and of those published), linked to
  an existing disclosure, not converted (by reason) or are still undecided; and
  the median number of days, calendar and working (``portal.calendar``), from the
  reply to the publication of the converted disclosure.

Every cell is one ``Q`` on one annotated queryset, so a cell's figure and its
drill-down list can never disagree.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.calendar import default_calendar
from portal.errors import DomainError
from portal.models import Agency
from requests_.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    ConversionDecision,
    DisclosureRequest,
    DisclosureStatus,
    NonConversionReason,
    Outcome,
    OutcomeCategory,
    RequestStatus,
)
from requests_.models.choices import RELEASING_OUTCOMES

# --- Labels of the national template, verbatim (never translated) --------------

TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS_LABEL = "申请人情况"
ORGANISATIONS_LABEL = "法人或其他组织"
TOTAL_LABEL = "总计"
NEW_LABEL = "一、本年新收政府信息公开申请数量"
CARRIED_IN_LABEL = "二、上年结转政府信息公开申请数量"
RESULTS_LABEL = "三、本年度办理结果"
RESULTS_TOTAL_LABEL = "（七）总计"
CARRIED_OUT_LABEL = "四、结转下年度继续办理"

# The template's words for the applicant types (the model's labels are UI strings
# and may be translated; the report's may not).
APPLICANT_LABELS: dict[str, str] = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.BUSINESS: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.PUBLIC_INTEREST: "社会公益组织",
    ApplicantType.LEGAL_SERVICES: "法律服务机构",
    ApplicantType.OTHER_ORG: "其他",
}
APPEAL_KIND_LABELS: dict[str, str] = {
    AppealKind.REVIEW: "行政复议",
    AppealKind.LAWSUIT_DIRECT: "未经复议直接起诉",
    AppealKind.LAWSUIT_AFTER_REVIEW: "复议后起诉",
}
LAWSUIT_LABEL = "行政诉讼"
APPEAL_RESULT_LABELS: dict[str, str] = {
    AppealResult.UPHELD: "结果维持",
    AppealResult.CORRECTED: "结果纠正",
    AppealResult.OTHER: "其他结果",
    AppealResult.PENDING: "尚未审结",
}

TOTAL = "total"
FIRST_YEAR = 2008  # the Regulation has applied since 1 May 2008

# --- Messages of the check and of bad drill-down input -------------------------------

DECIDED_BEFORE_RECEIPT = _(
    "答复（办结）日期早于收到申请日期，收到与办理分属不同年度时破坏勾稽关系。"
)
UNDATED_OUTCOME = _("已有办理结果但没有答复日期，只能按“结转下年度继续办理”统计。")
FINISHED_WITHOUT_OUTCOME = _(
    "状态为已答复或已办结，但没有记录办理结果，只能按“结转下年度继续办理”统计。"
)
UNKNOWN_OUTCOME = _("办理结果不属于年度报告所列类别，不计入任何一行。")
UNKNOWN_APPLICANT_TYPE = _("申请人类型不属于年度报告所列类别，只计入“总计”列。")
UNKNOWN_TABLE = _("没有这张统计表。")
UNKNOWN_ROW = _("统计表中没有这一行。")
UNKNOWN_COLUMN = _("统计表中没有这一列。")


# --- What is counted -----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar year, and the moment the figures are taken (for publication)."""

    year: int
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def is_complete(self) -> bool:
        """Return False while the year is still running (figures are provisional)."""
        return timezone.localdate(self.now) > self.end


@dataclass(frozen=True)
class ReportQuery:
    """Whose figures for which year: an agency (alone or with the agencies below
    it), or the whole city when ``agency`` is None."""

    year: int
    agency: Agency | None = None
    subunits: bool = True
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def period(self) -> Period:
        return Period(self.year, self.now)

    @property
    def scope_label(self) -> str:
        if self.agency is None:
            return str(_("全市"))
        if self.subunits and self.agency.children.exists():
            return str(_("%(name)s（含下属单位）") % {"name": self.agency.name})
        return self.agency.name

    def agency_filter(self, prefix: str = "") -> Q:
        """Return the condition "belongs to the scope" on ``<prefix>agency``."""
        if self.agency is None:
            return Q()
        if self.subunits:
            lookup = f"{prefix}agency__tree_path__startswith"
            return Q(**{lookup: self.agency.tree_path})
        return Q(**{f"{prefix}agency": self.agency})


def _received_in(p: Period) -> Q:
    return Q(received_on__gte=p.start, received_on__lte=p.end)


def _decided_in(p: Period) -> Q:
    return Q(report_decided_on__gte=p.start, report_decided_on__lte=p.end)


def _undecided_on(day: dt.date) -> Q:
    """Return "not decided by the end of ``day``"."""
    return Q(report_decided_on__isnull=True) | Q(report_decided_on__gt=day)


def _counted(p: Period) -> Q:
    """Return "appears somewhere in the year's 表三"."""
    return (
        Q(received_on__lte=p.end) & (_undecided_on(p.start - dt.timedelta(days=1)))
    ) | _decided_in(p)


def annotate_for_report(qs: QuerySet[DisclosureRequest]) -> QuerySet[DisclosureRequest]:
    """Add ``report_outcome`` and ``report_decided_on`` (see the module docstring)."""
    withdrawn = Q(status=RequestStatus.WITHDRAWN)
    lapsed = Q(status=RequestStatus.LAPSED)
    recorded = ~Q(outcome="")
    return qs.annotate(
        report_outcome=Case(
            When(recorded, then=F("outcome")),
            When(withdrawn, then=Value(Outcome.OTHER_OTHER.value)),
            When(lapsed, then=Value(Outcome.OTHER_NO_CORRECTION.value)),
            default=Value(""),
            output_field=CharField(),
        ),
        report_decided_on=Case(
            When(recorded, then=F("replied_on")),
            When(withdrawn, then=Coalesce("withdrawn_on", "closed_on", "replied_on")),
            When(lapsed, then=Coalesce("closed_on", "replied_on")),
            default=None,
            output_field=DateField(),
        ),
    )


def report_requests(query: ReportQuery) -> QuerySet[DisclosureRequest]:
    """Return the scope's requests that can appear in the year, annotated.

    The caller has checked that the viewer may read the scope.
    """
    p = query.period
    qs = DisclosureRequest.objects.filter(query.agency_filter())
    return annotate_for_report(qs).filter(Q(received_on__lte=p.end) | _decided_in(p))


def report_appeals(query: ReportQuery) -> QuerySet[Appeal]:
    """Return the scope's appeals filed in the year (the population of 表四)."""
    p = query.period
    return Appeal.objects.filter(
        query.agency_filter("request__"), filed_on__gte=p.start, filed_on__lte=p.end
    )


# --- 表三 ------------------------------------------------------------------------


@dataclass(frozen=True)
class Table3Row:
    """One row of 表三; ``path`` holds the labels from the outermost to its own."""

    key: str
    path: tuple[str, ...]
    condition: Callable[[Period], Q]

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Table3Column:
    key: str
    label: str
    condition: Q


def _outcome_row(outcome: Outcome) -> Table3Row:
    category = str(OutcomeCategory(outcome.category).label)
    reason = outcome.sub_reason_label
    path = (RESULTS_LABEL, category, reason) if reason else (RESULTS_LABEL, category)
    return Table3Row(
        outcome.value,
        path,
        lambda p: Q(report_outcome=outcome.value) & _decided_in(p),
    )


TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("new", (NEW_LABEL,), _received_in),
    Table3Row(
        "carried_in",
        (CARRIED_IN_LABEL,),
        lambda p: (
            Q(received_on__lt=p.start) & _undecided_on(p.start - dt.timedelta(days=1))
        ),
    ),
    *(_outcome_row(outcome) for outcome in Outcome),
    Table3Row(
        TOTAL,
        (RESULTS_LABEL, RESULTS_TOTAL_LABEL),
        lambda p: Q(report_outcome__in=Outcome.values) & _decided_in(p),
    ),
    Table3Row(
        "carried_out",
        (CARRIED_OUT_LABEL,),
        lambda p: Q(received_on__lte=p.end) & _undecided_on(p.end),
    ),
)
TABLE3_ROW_BY_KEY = {row.key: row for row in TABLE3_ROWS}

TABLE3_COLUMNS: tuple[Table3Column, ...] = (
    *(
        Table3Column(value, APPLICANT_LABELS[value], Q(applicant_type=value))
        for value in ApplicantType.values
    ),
    Table3Column(TOTAL, TOTAL_LABEL, Q()),
)
TABLE3_COLUMN_BY_KEY = {column.key: column for column in TABLE3_COLUMNS}
TABLE3_COLUMN_KEYS = tuple(TABLE3_COLUMN_BY_KEY)

Table3 = dict[str, dict[str, int]]


def table3_counts(query: ReportQuery) -> Table3:
    """Return 表三 as {row key: {column key: count}}, every cell present."""
    p = query.period
    keys = [row.key for row in TABLE3_ROWS]
    aggregates = {
        f"n{i}": Count("pk", filter=row.condition(p))
        for i, row in enumerate(TABLE3_ROWS)
    }
    grouped = (
        report_requests(query)
        .order_by()
        .values("applicant_type")
        .annotate(**aggregates)
    )
    counts: Table3 = {key: dict.fromkeys(TABLE3_COLUMN_KEYS, 0) for key in keys}
    for group in grouped:
        column = group["applicant_type"]
        for i, key in enumerate(keys):
            if column in APPLICANT_LABELS:
                counts[key][column] += group[f"n{i}"]
            counts[key][TOTAL] += group[f"n{i}"]
    return counts


# --- 表四 ------------------------------------------------------------------------


@dataclass(frozen=True)
class Table4Column:
    """One column of 表四: an appeal kind and a result (or the kind's total)."""

    kind: str
    result: str  # an AppealResult value, or TOTAL

    @property
    def key(self) -> str:
        return f"{self.kind}.{self.result}"

    @property
    def label(self) -> str:
        return APPEAL_RESULT_LABELS.get(self.result, TOTAL_LABEL)

    def condition(self, p: Period) -> Q:
        if self.result == TOTAL:
            return Q(kind=self.kind)
        if self.result == AppealResult.PENDING:
            as_at_year_end = (
                Q(result=AppealResult.PENDING)
                | Q(decided_on__isnull=True)
                | Q(decided_on__gt=p.end)
            )
        else:
            as_at_year_end = Q(result=self.result, decided_on__lte=p.end)
        return Q(kind=self.kind) & as_at_year_end


def appeal_kind_title(kind: str) -> str:
    """Return the kind as one phrase: 行政复议, or 行政诉讼（复议后起诉）."""
    if kind == AppealKind.REVIEW:
        return APPEAL_KIND_LABELS[kind]
    return f"{LAWSUIT_LABEL}（{APPEAL_KIND_LABELS[kind]}）"


TABLE4_RESULTS = (
    AppealResult.UPHELD,
    AppealResult.CORRECTED,
    AppealResult.OTHER,
    AppealResult.PENDING,
    TOTAL,
)
TABLE4_COLUMNS: tuple[Table4Column, ...] = tuple(
    Table4Column(kind, str(result))
    for kind in (
        AppealKind.REVIEW,
        AppealKind.LAWSUIT_DIRECT,
        AppealKind.LAWSUIT_AFTER_REVIEW,
    )
    for result in TABLE4_RESULTS
)
TABLE4_COLUMN_BY_KEY = {column.key: column for column in TABLE4_COLUMNS}


def table4_counts(query: ReportQuery) -> dict[str, int]:
    """Return 表四 as {"<kind>.<result>": count}, totals included."""
    p = query.period
    aggregates = {
        f"n{i}": Count("pk", filter=column.condition(p))
        for i, column in enumerate(TABLE4_COLUMNS)
    }
    row = report_appeals(query).aggregate(**aggregates)
    return {column.key: row[f"n{i}"] for i, column in enumerate(TABLE4_COLUMNS)}


# --- Conversion figures --------------------------------------------------------


@dataclass(frozen=True)
class ConversionRow:
    key: str
    label: str
    condition: Callable[[Period], Q]


def _published(p: Period) -> Q:
    # A disclosure withdrawn after publication was published all the same.
    return Q(
        disclosure__status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.WITHDRAWN],
        disclosure__publish_at__lte=p.now,
    )


def _decision(value: str) -> Callable[[Period], Q]:
    return lambda p: Q(conversion_decision=value)


def _not_converted_for(reason: NonConversionReason) -> ConversionRow:
    return ConversionRow(
        f"not_converted.{reason.value}",
        # Lazy, so the label follows the reader's language, not the import's.
        lazy(lambda: _("其中：%(reason)s") % {"reason": reason.label}, str)(),
        lambda p: Q(
            conversion_decision=ConversionDecision.NOT_CONVERT,
            non_conversion_reason=reason.value,
        ),
    )


CONVERSION_ROWS: tuple[ConversionRow, ...] = (
    ConversionRow("released", _("予以公开、部分公开的申请"), lambda p: Q()),
    ConversionRow(
        "converted", _("转为主动公开"), _decision(ConversionDecision.CONVERT)
    ),
    ConversionRow(
        "converted_published",
        _("其中：已发布"),
        lambda p: Q(conversion_decision=ConversionDecision.CONVERT) & _published(p),
    ),
    ConversionRow(
        "linked_existing",
        _("已有相同主动公开信息，予以关联"),
        _decision(ConversionDecision.LINK_EXISTING),
    ),
    ConversionRow(
        "not_converted",
        _("不转为主动公开"),
        _decision(ConversionDecision.NOT_CONVERT),
    ),
    *(_not_converted_for(reason) for reason in NonConversionReason),
    ConversionRow("undecided", _("尚未作出是否转为主动公开的决定"), _decision("")),
)
CONVERSION_ROW_BY_KEY = {row.key: row for row in CONVERSION_ROWS}


@dataclass(frozen=True)
class ConversionFigures:
    counts: dict[str, int]
    median_calendar_days: float | None
    median_working_days: float | None
    # Years whose holiday arrangement the calendar does not know: working days
    # in them are counted Monday to Friday.
    unknown_years: tuple[int, ...]


def released_requests(query: ReportQuery) -> QuerySet[DisclosureRequest]:
    """Return the requests decided in the year as 予以公开 or 部分公开."""
    return report_requests(query).filter(
        _decided_in(query.period),
        report_outcome__in=[outcome.value for outcome in RELEASING_OUTCOMES],
    )


def _median(values: list[int]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


def conversion_figures(query: ReportQuery) -> ConversionFigures:
    """Count the conversion decisions of the year's releases and time publication."""
    p = query.period
    qs = released_requests(query)
    aggregates = {
        f"n{i}": Count("pk", filter=row.condition(p))
        for i, row in enumerate(CONVERSION_ROWS)
    }
    row = qs.aggregate(**aggregates)
    counts = {r.key: row[f"n{i}"] for i, r in enumerate(CONVERSION_ROWS)}
    calendar = default_calendar()
    calendar_days: list[int] = []
    working_days: list[int] = []
    years: set[int] = set()
    pairs = qs.filter(CONVERSION_ROW_BY_KEY["converted_published"].condition(p))
    for replied_on, publish_at in pairs.values_list(
        "replied_on", "disclosure__publish_at"
    ):
        published_on = timezone.localdate(publish_at)
        calendar_days.append((published_on - replied_on).days)
        working_days.append(calendar.working_days_between(replied_on, published_on))
        years.update(range(replied_on.year, published_on.year + 1))
    return ConversionFigures(
        counts=counts,
        median_calendar_days=_median(calendar_days),
        median_working_days=_median(working_days),
        unknown_years=tuple(calendar.unknown_years(years)),
    )


# --- The check -----------------------------------------------------------------


@dataclass(frozen=True)
class IssueRule:
    code: str
    message: Any
    condition: Callable[[Period], Q]


ISSUE_RULES: tuple[IssueRule, ...] = (
    IssueRule(
        "decided_before_receipt",
        DECIDED_BEFORE_RECEIPT,
        lambda p: (
            Q(report_decided_on__lt=F("received_on"))
            & (_received_in(p) | _decided_in(p))
        ),
    ),
    IssueRule(
        "undated_outcome",
        UNDATED_OUTCOME,
        lambda p: (
            ~Q(report_outcome="")
            & Q(report_decided_on__isnull=True, received_on__lte=p.end)
        ),
    ),
    IssueRule(
        "finished_without_outcome",
        FINISHED_WITHOUT_OUTCOME,
        lambda p: Q(
            status__in=[RequestStatus.REPLIED, RequestStatus.CLOSED],
            report_outcome="",
            received_on__lte=p.end,
        ),
    ),
    IssueRule(
        "unknown_outcome",
        UNKNOWN_OUTCOME,
        lambda p: (
            ~Q(report_outcome="")
            & ~Q(report_outcome__in=Outcome.values)
            & _decided_in(p)
        ),
    ),
    IssueRule(
        "unknown_applicant_type",
        UNKNOWN_APPLICANT_TYPE,
        lambda p: ~Q(applicant_type__in=ApplicantType.values) & _counted(p),
    ),
)


@dataclass(frozen=True)
class Issue:
    """A record the agency must correct before the report can be trusted."""

    code: str
    message: str
    request_id: int
    tracking_code: str
    agency: str
    received_on: dt.date
    decided_on: dt.date | None


@dataclass(frozen=True)
class BalanceLine:
    """一 + 二 against 三（七）+ 四 for one column."""

    column: str
    label: str
    received: int  # 一 + 二
    settled: int  # 三（七）+ 四

    @property
    def balanced(self) -> bool:
        return self.received == self.settled


@dataclass(frozen=True)
class ConsistencyCheck:
    lines: tuple[BalanceLine, ...]
    issues: tuple[Issue, ...]

    @property
    def balanced(self) -> bool:
        return all(line.balanced for line in self.lines)

    @property
    def passed(self) -> bool:
        return self.balanced and not self.issues


def balance_lines(table3: Table3) -> tuple[BalanceLine, ...]:
    """Apply the template's 勾稽关系 to each column of 表三."""
    return tuple(
        BalanceLine(
            column=column.key,
            label=column.label,
            received=table3["new"][column.key] + table3["carried_in"][column.key],
            settled=table3[TOTAL][column.key] + table3["carried_out"][column.key],
        )
        for column in TABLE3_COLUMNS
    )


def find_issues(query: ReportQuery) -> tuple[Issue, ...]:
    """List the records that break the check or are counted in the wrong place."""
    p = query.period
    qs = report_requests(query).select_related("agency").order_by("received_on", "pk")
    issues = []
    for rule in ISSUE_RULES:
        for item in qs.filter(rule.condition(p)):
            issues.append(
                Issue(
                    code=rule.code,
                    message=str(rule.message),
                    request_id=item.pk,
                    tracking_code=item.tracking_code,
                    agency=item.agency.name,
                    received_on=item.received_on,
                    decided_on=item.report_decided_on,
                )
            )
    return tuple(issues)


# --- The whole report ----------------------------------------------------------


@dataclass(frozen=True)
class AnnualReport:
    query: ReportQuery
    table3: Table3
    table4: dict[str, int]
    check: ConsistencyCheck
    conversion: ConversionFigures


def annual_report(query: ReportQuery) -> AnnualReport:
    """Compute every figure of the report for ``query`` (already permitted)."""
    table3 = table3_counts(query)
    return AnnualReport(
        query=query,
        table3=table3,
        table4=table4_counts(query),
        check=ConsistencyCheck(balance_lines(table3), find_issues(query)),
        conversion=conversion_figures(query),
    )


# --- Drill-down ---------------------------------------------------------------


def outcome_label(value: str) -> str:
    """Return the 表三 label of an outcome value ("" when there is none)."""
    return str(Outcome(value).label) if value in Outcome.values else ""


TABLE3 = "t3"
TABLE4 = "t4"
CONVERSION = "conversion"


@dataclass(frozen=True)
class DrillDown:
    """What one cell counts: requests (表三, conversion) or appeals (表四)."""

    table: str
    title: str
    requests: QuerySet[DisclosureRequest] | None = None
    appeals: QuerySet[Appeal] | None = None


def _lookup(mapping: dict[str, Any], key: str, message: Any, field: str) -> Any:
    if key not in mapping:
        raise DomainError(message, code="invalid", field=field)
    return mapping[key]


def drill_down(query: ReportQuery, table: str, row: str, column: str) -> DrillDown:
    """Return what the cell (``table``, ``row``, ``column``) counts.

    Raise ``DomainError`` naming the field for an unknown table, row or column.
    """
    p = query.period
    if table == TABLE3:
        spec = _lookup(TABLE3_ROW_BY_KEY, row, UNKNOWN_ROW, "row")
        col = _lookup(TABLE3_COLUMN_BY_KEY, column, UNKNOWN_COLUMN, "column")
        qs = report_requests(query).filter(spec.condition(p), col.condition)
        title = " ".join((*spec.path, "·", col.label))
        return DrillDown(table, title, requests=qs.select_related("agency"))
    if table == TABLE4:
        col = _lookup(TABLE4_COLUMN_BY_KEY, column, UNKNOWN_COLUMN, "column")
        qs = report_appeals(query).filter(col.condition(p))
        title = f"{appeal_kind_title(col.kind)} · {col.label}"
        return DrillDown(table, title, appeals=qs.select_related("request__agency"))
    if table == CONVERSION:
        spec = _lookup(CONVERSION_ROW_BY_KEY, row, UNKNOWN_ROW, "row")
        qs = released_requests(query).filter(spec.condition(p))
        return DrillDown(table, str(spec.label), requests=qs.select_related("agency"))
    raise DomainError(UNKNOWN_TABLE, code="invalid", field="table")
