"""How each negative-list entry is used: the evidence for its periodic review.

Counted the way the annual report counts (``requests_.reports.annual``):

- **A refusal** is a request whose outcome is （三）不予公开 (any reason) or
  （二）部分公开, dated by its reply (``report_decided_on``), in the year of that
  date. It *cites* an entry through ``negative_list_entry``.
- **Years shown**: the query's year and the two before it.
- **Reviews and lawsuits** of an entry are the appeals on the refusals of the
  years shown that cite it, with their result as recorded now (the reviewer
  deciding today wants today's outcome, not the one at a year's end as 表四).
- **Last cited**: the latest reply citing the entry, up to the end of the year.
- **Candidate for amendment or retirement**: an entry published before the
  ``NEGATIVE_LIST_UNUSED_YEARS`` (default 3) years ending with the query's year
  and not cited in them; or an entry whose refusals were corrected (纠正) on
  review or in court.
- **Refusals outside the list**: refusals citing no entry of the replying
  agency's own list. Everything outside the list is disclosable, so each one is
  a missing entry or a wrong refusal.
- **Across agencies**: per category of the Regulation, the published entries of
  each agency and its refusals on that category in the query's year, beside the
  median over every agency of the city with a published list; a figure more than
  twice the median, and at least 2, is marked.

Every count is one ``Q`` on one queryset, and ``drill_down`` returns the records
behind a cell with the same ``Q``, so a figure and its list cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from negative_list.models import Entry, Exemption
from negative_list.usage import (
    DuplicateGroup,
    near_duplicate_groups,
    published_entries_qs,
)
from portal.errors import DomainError
from portal.models import Agency
from requests_.models import Appeal, AppealResult, DisclosureRequest, Outcome
from requests_.models.choices import WITHHOLDING_OUTCOMES
from requests_.reports.annual import (
    TOTAL,
    UNKNOWN_COLUMN,
    UNKNOWN_ROW,
    UNKNOWN_TABLE,
    DrillDown,
    ReportQuery,
    annotate_for_report,
)

YEARS_SHOWN = 3
UNUSED_YEARS_DEFAULT = 3

WITHHELD = "withheld"
PARTIAL = "partial"
WITHHELD_VALUES = sorted(o.value for o in WITHHOLDING_OUTCOMES)
REFUSING_VALUES = [*WITHHELD_VALUES, Outcome.PARTIAL.value]

ENTRY = "entry"
OUTSIDE = "outside"
CATEGORY = "category"

UNUSED_REASON = _("%(first)d–%(last)d年未被引用")
CORRECTED_REASON = _("引用该事项的答复被复议或诉讼纠正 %(count)d 件")
RESULT_LABELS = {
    AppealResult.UPHELD: _("维持"),
    AppealResult.CORRECTED: _("纠正"),
    AppealResult.OTHER: _("其他"),
    AppealResult.PENDING: _("尚未审结"),
}


def unused_years() -> int:
    """Return how many years without a citation make an entry a candidate."""
    return int(getattr(settings, "NEGATIVE_LIST_UNUSED_YEARS", UNUSED_YEARS_DEFAULT))


def years_shown(query: ReportQuery) -> tuple[int, ...]:
    return tuple(range(query.year - YEARS_SHOWN + 1, query.year + 1))


def _year_q(first: int, last: int | None = None) -> Q:
    last = first if last is None else last
    return Q(
        report_decided_on__gte=dt.date(first, 1, 1),
        report_decided_on__lte=dt.date(last, 12, 31),
    )


def _window(query: ReportQuery) -> Q:
    shown = years_shown(query)
    return _year_q(shown[0], shown[-1])


def _kind_q(kind: str) -> Q:
    if kind == WITHHELD:
        return Q(report_outcome__in=WITHHELD_VALUES)
    return Q(report_outcome=Outcome.PARTIAL.value)


OUTSIDE_LIST = Q(negative_list_entry__isnull=True) | ~Q(
    negative_list_entry__agency=F("agency")
)


def all_refusals() -> QuerySet[DisclosureRequest]:
    """Return every refusal (不予公开 or 部分公开), annotated as the report is."""
    return annotate_for_report(DisclosureRequest.objects.all()).filter(
        report_outcome__in=REFUSING_VALUES, report_decided_on__isnull=False
    )


def refusals(query: ReportQuery) -> QuerySet[DisclosureRequest]:
    """Return the refusals of the query's scope (the viewer is permitted)."""
    return all_refusals().filter(query.agency_filter())


def scope_entries(query: ReportQuery) -> QuerySet[Entry]:
    """Return the published entries of the agencies in the query's scope."""
    return published_entries_qs().filter(query.agency_filter())


# --- Columns ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A counted column: requests (``appeals`` False) or appeals."""

    key: str
    label: Any
    condition: Q
    appeals: bool = False


def request_columns(query: ReportQuery) -> tuple[Column, ...]:
    """Per year shown: 不予公开 and 部分公开; then the total of the years."""
    columns = []
    for year in years_shown(query):
        columns.append(
            Column(
                f"{WITHHELD}.{year}",
                _("%(year)d年不予公开") % {"year": year},
                _kind_q(WITHHELD) & _year_q(year),
            )
        )
        columns.append(
            Column(
                f"{PARTIAL}.{year}",
                _("%(year)d年部分公开") % {"year": year},
                _kind_q(PARTIAL) & _year_q(year),
            )
        )
    columns.append(Column(TOTAL, _("合计"), _window(query)))
    return tuple(columns)


def appeal_columns() -> tuple[Column, ...]:
    """The results of the reviews and lawsuits, then their total."""
    return (
        *(
            Column(f"appeal.{result}", label, Q(result=result), appeals=True)
            for result, label in RESULT_LABELS.items()
        ),
        Column("appeal.total", _("复议诉讼合计"), Q(), appeals=True),
    )


def _column(query: ReportQuery, key: str) -> Column:
    for column in (*request_columns(query), *appeal_columns()):
        if column.key == key:
            return column
    raise DomainError(UNKNOWN_COLUMN, code="invalid", field="column")


def _count_by(qs: QuerySet, group: str, columns: Iterable[Column]) -> dict:
    columns = tuple(columns)
    aggregates = {
        f"n{i}": Count("pk", filter=column.condition)
        for i, column in enumerate(columns)
    }
    counts: dict[Any, dict[str, int]] = defaultdict(
        lambda: {column.key: 0 for column in columns}
    )
    for row in qs.order_by().values(group).annotate(**aggregates):
        for i, column in enumerate(columns):
            counts[row[group]][column.key] = row[f"n{i}"]
    return counts


# --- Use of each entry -----------------------------------------------------------


@dataclass(frozen=True)
class EntryUsage:
    entry: Entry
    counts: dict[str, int]
    last_cited: dt.date | None
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def _entry_appeals(query: ReportQuery, entries: Any) -> QuerySet[Appeal]:
    cited = refusals(query).filter(_window(query), negative_list_entry__in=entries)
    return Appeal.objects.filter(request__in=cited.values("pk"))


def entry_usage(query: ReportQuery, entries: QuerySet[Entry]) -> list[EntryUsage]:
    """Return the use of each entry of ``entries`` (see the module docstring)."""
    entries = entries.annotate(
        first_published=Min("list_items__list_version__published_at")
    )
    cited = refusals(query).filter(negative_list_entry__in=entries.values("pk"))
    counts = _count_by(cited, "negative_list_entry", request_columns(query))
    appeals = _count_by(
        _entry_appeals(query, entries.values("pk")),
        "request__negative_list_entry",
        appeal_columns(),
    )
    last = dict(
        cited.filter(report_decided_on__lte=dt.date(query.year, 12, 31))
        .order_by()
        .values("negative_list_entry")
        .annotate(last=Max("report_decided_on"))
        .values_list("negative_list_entry", "last")
    )
    first_unused = query.year - unused_years() + 1
    rows = []
    for entry in entries:
        row = {**counts[entry.pk], **appeals[entry.pk]}
        reasons = []
        published = entry.first_published
        last_cited = last.get(entry.pk)
        if (
            published is not None
            and published.date() <= dt.date(first_unused, 1, 1)
            and (last_cited is None or last_cited.year < first_unused)
        ):
            reasons.append(
                str(UNUSED_REASON % {"first": first_unused, "last": query.year})
            )
        if row["appeal.corrected"]:
            reasons.append(str(CORRECTED_REASON % {"count": row["appeal.corrected"]}))
        rows.append(EntryUsage(entry, row, last_cited, tuple(reasons)))
    return rows


# --- Refusals outside the list ------------------------------------------------------


def outside_columns(query: ReportQuery) -> tuple[Column, ...]:
    return (
        *(
            Column(str(year), _("%(year)d年") % {"year": year}, _year_q(year))
            for year in years_shown(query)
        ),
        Column(TOTAL, _("合计"), _window(query)),
    )


def outside_counts(query: ReportQuery) -> dict[str, dict[str, int]]:
    """Return {agency code: {year or total: refusals citing none of its entries}}."""
    qs = refusals(query).filter(OUTSIDE_LIST)
    by_id = _count_by(qs, "agency", outside_columns(query))
    codes = dict(Agency.objects.filter(pk__in=list(by_id)).values_list("pk", "code"))
    return {codes[pk]: row for pk, row in by_id.items()}


# --- Across agencies -------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: int
    outlier: bool


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    cells: dict[str, tuple[Figure, Figure]]  # agency code: (entries, refusals)
    median_entries: float
    median_refusals: float


@dataclass(frozen=True)
class CategoryTable:
    agencies: tuple[Agency, ...]
    rows: tuple[CategoryRow, ...]


def _median(values: list[int]) -> float:
    return round(float(statistics.median(values)), 1) if values else 0.0


def _figure(value: int, median: float) -> Figure:
    # Twice the median, and never a lone 1: in a sparse category the median is
    # 0, and one entry or one refusal is no outlier.
    return Figure(value, value > max(2 * median, 1))


def _category_refusals(year: int) -> QuerySet[DisclosureRequest]:
    return all_refusals().filter(_year_q(year))


def category_table(query: ReportQuery) -> CategoryTable:
    """Compare, per category, each agency of the scope with the city's median."""
    entries: dict[tuple[int, str], int] = {
        (row["agency"], row["published_version__category"]): row["n"]
        for row in published_entries_qs()
        .order_by()
        .values("agency", "published_version__category")
        .annotate(n=Count("pk"))
    }
    refused: dict[tuple[int, str], int] = {
        (row["agency"], row["exemption_code"]): row["n"]
        for row in _category_refusals(query.year)
        .order_by()
        .values("agency", "exemption_code")
        .annotate(n=Count("pk"))
    }
    listing = sorted({agency for agency, _code in entries})
    shown_ids = {agency for agency, _code in (*entries, *refused)}
    agencies = tuple(
        Agency.objects.filter(_agency_scope(query), pk__in=shown_ids).order_by(
            "tree_path"
        )
    )
    rows = []
    for exemption in Exemption.objects.order_by("sort_order"):
        code = exemption.code
        med_e = _median([entries.get((a, code), 0) for a in listing])
        med_r = _median([refused.get((a, code), 0) for a in listing])
        cells = {
            agency.code: (
                _figure(entries.get((agency.pk, code), 0), med_e),
                _figure(refused.get((agency.pk, code), 0), med_r),
            )
            for agency in agencies
        }
        rows.append(CategoryRow(code, exemption.short_name, cells, med_e, med_r))
    return CategoryTable(agencies, tuple(rows))


def _agency_scope(query: ReportQuery) -> Q:
    if query.agency is None:
        return Q()
    if query.subunits:
        return Q(tree_path__startswith=query.agency.tree_path)
    return Q(pk=query.agency.pk)


def duplicate_groups(query: ReportQuery) -> list[DuplicateGroup]:
    """Return the near-duplicate groups holding an entry of the scope."""
    scope = set(scope_entries(query).values_list("pk", flat=True))
    return [
        group
        for group in near_duplicate_groups(published_entries_qs())
        if any(entry.pk in scope for entry in group.entries)
    ]


# --- The whole overview -----------------------------------------------------------


@dataclass(frozen=True)
class UsageOverview:
    query: ReportQuery
    years: tuple[int, ...]
    entries: list[EntryUsage]
    outside: dict[str, dict[str, int]]
    categories: CategoryTable
    duplicates: list[DuplicateGroup]


def usage_overview(query: ReportQuery) -> UsageOverview:
    """Compute every figure of the overview for ``query`` (already permitted)."""
    return UsageOverview(
        query=query,
        years=years_shown(query),
        entries=entry_usage(query, scope_entries(query)),
        outside=outside_counts(query),
        categories=category_table(query),
        duplicates=duplicate_groups(query),
    )


# --- Public aggregate -----------------------------------------------------------------


def citation_counts(entry_ids: Iterable[int], year: int) -> dict[int, int]:
    """Return, per entry id, the refusals citing it replied in ``year`` (public)."""
    return dict(
        all_refusals()
        .filter(_year_q(year), negative_list_entry__in=list(entry_ids))
        .order_by()
        .values("negative_list_entry")
        .annotate(n=Count("pk"))
        .values_list("negative_list_entry", "n")
    )


def public_counts(
    entry_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int], dict[str, int]]:
    """Return {(entry id, year): counts} for the open data: refusals by kind and
    the appeals on that year's refusals by result. Counts only."""
    ids = list(entry_ids)
    kinds = (
        Column(WITHHELD, _("不予公开"), _kind_q(WITHHELD)),
        Column(PARTIAL, _("部分公开"), _kind_q(PARTIAL)),
    )
    result: dict[tuple[int, int], dict[str, int]] = {}
    for year in years:
        cited = all_refusals().filter(_year_q(year), negative_list_entry__in=ids)
        requests = _count_by(cited, "negative_list_entry", kinds)
        appeals = _count_by(
            Appeal.objects.filter(request__in=cited.values("pk")),
            "request__negative_list_entry",
            appeal_columns(),
        )
        for pk in ids:
            result[(pk, year)] = {**requests[pk], **appeals[pk]}
    return result


# --- Drill-down -------------------------------------------------------------------


def drill_down(query: ReportQuery, table: str, row: str, column: str) -> DrillDown:
    """Return the requests (or appeals) that one cell counts.

    ``table`` is ``entry`` (row: the entry's id), ``outside`` (row: the agency's
    code) or ``category`` (row: the exemption code, column: the agency's code).
    Raise ``DomainError`` naming the field for anything unknown.
    """
    if table == ENTRY:
        entry = scope_entries(query).filter(pk=int(row) if row.isdigit() else 0)
        entry = entry.first()
        if entry is None:
            raise DomainError(UNKNOWN_ROW, code="invalid", field="row")
        col = _column(query, column)
        title = f"{entry.code} {entry.title} · {col.label}"
        if col.appeals:
            qs = _entry_appeals(query, [entry.pk]).filter(col.condition)
            return DrillDown(table, title, appeals=qs.select_related("request__agency"))
        qs = refusals(query).filter(col.condition, negative_list_entry=entry)
        return DrillDown(table, title, requests=qs.select_related("agency"))
    if table == OUTSIDE:
        col = {c.key: c for c in outside_columns(query)}.get(column)
        if col is None:
            raise DomainError(UNKNOWN_COLUMN, code="invalid", field="column")
        qs = refusals(query).filter(OUTSIDE_LIST, col.condition, agency__code=row)
        title = f"{_('清单外的不予公开')} · {col.label}"
        return DrillDown(table, title, requests=qs.select_related("agency"))
    if table == CATEGORY:
        exemption = Exemption.objects.filter(code=row).first()
        if exemption is None:
            raise DomainError(UNKNOWN_ROW, code="invalid", field="row")
        qs = refusals(query).filter(
            _year_q(query.year), exemption_code=row, agency__code=column
        )
        title = f"{exemption.short_name} · {column} · {query.year}"
        return DrillDown(table, title, requests=qs.select_related("agency"))
    raise DomainError(UNKNOWN_TABLE, code="invalid", field="table")
