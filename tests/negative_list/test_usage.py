"""The use of each entry, refusals outside the list, the comparison across
agencies and the near-duplicate groups, on the history of ``usage_data``.

Every expected figure is written out by hand from the table in that module.
"""

from __future__ import annotations

import pytest

from requests_ import usage
from requests_.models import AppealKind
from requests_.reports.annual import ReportQuery
from tests.negative_list.usage_data import D, Y, build

pytestmark = pytest.mark.django_db

COLUMNS = [
    f"withheld.{Y - 2}",
    f"partial.{Y - 2}",
    f"withheld.{Y - 1}",
    f"partial.{Y - 1}",
    f"withheld.{Y}",
    f"partial.{Y}",
    "total",
    "appeal.upheld",
    "appeal.corrected",
    "appeal.other",
    "appeal.pending",
    "appeal.total",
]


@pytest.fixture
def history(matrix):
    return build(matrix)


def _rows(query, columns=COLUMNS):
    return {
        row.entry.code: (
            [row.counts[key] for key in columns],
            row.last_cited,
            list(row.reasons),
        )
        for row in usage.entry_usage(query, usage.scope_entries(query))
    }


def test_each_entry_counts_refusals_per_year_appeals_and_last_citation(matrix, history):
    """A1: r1 (Y-2), r2 and r10 (Y-1), r4 (Y); its appeals in the window are r1's
    corrected review, r2's upheld review and r2's pending lawsuit (r9 is Y-3).
    A2: r3 partial (Y-1), r5 (Y); r3's lawsuit ended 其他."""
    query = ReportQuery(year=Y, agency=matrix.agency_a, subunits=False)
    assert _rows(query) == {
        "310101000-001": (
            [1, 0, 2, 0, 1, 0, 4, 1, 1, 0, 1, 3],
            D(Y, 2, 1),
            ["引用该事项的答复被复议或诉讼纠正 1 件"],
        ),
        "310101000-002": ([0, 0, 0, 1, 1, 0, 2, 0, 0, 1, 0, 1], D(Y, 2, 2), []),
    }


def test_subtree_adds_the_subunits_entries(matrix, history):
    """S1 was published today and never cited: zeros, no flag yet."""
    query = ReportQuery(year=Y, agency=matrix.agency_a)
    rows = _rows(query)
    assert list(rows) == ["310101000-001", "310101000-002", "310101010-001"]
    assert rows["310101010-001"] == ([0] * 12, None, [])


def test_a_year_ago_the_entry_counts_what_was_replied_by_then(matrix, history):
    """As of Y-1 the window is Y-3..Y-1: r9, r1, r2, r10; last cited r10."""
    query = ReportQuery(year=Y - 1, agency=matrix.agency_a, subunits=False)
    row = usage.entry_usage(query, usage.scope_entries(query))[0]
    assert [row.counts[f"withheld.{y}"] for y in (Y - 3, Y - 2, Y - 1)] == [1, 1, 2]
    assert row.counts["appeal.corrected"] == 2
    assert row.last_cited == D(Y - 1, 10, 1)


def test_an_entry_not_cited_for_the_set_years_is_a_candidate(matrix, history):
    """Three years on (Y+1..Y+3) nothing cites A1 or A2: both are flagged."""
    query = ReportQuery(year=Y + 3, agency=matrix.agency_a, subunits=False)
    rows = _rows(query, ["total", "appeal.total"])
    unused = f"{Y + 1}–{Y + 3}年未被引用"
    assert rows["310101000-001"] == ([0, 0], D(Y, 2, 1), [unused])
    assert rows["310101000-002"] == ([0, 0], D(Y, 2, 2), [unused])


def test_the_number_of_years_is_a_setting(matrix, history, settings):
    """With 2 years, Y+2 already flags; with the default 3 it does not, since the
    lists were published this year."""
    query = ReportQuery(year=Y + 2, agency=matrix.agency_a, subunits=False)
    assert _rows(query, [])["310101000-002"][2] == []
    settings.NEGATIVE_LIST_UNUSED_YEARS = 2
    assert _rows(query, [])["310101000-002"][2] == [f"{Y + 1}–{Y + 2}年未被引用"]


def test_refusals_outside_the_list_per_agency_and_year(matrix, history):
    """A: r7 (Y-1) and r6 (Y); B: s3 and s4 (Y). r8 disclosed: not a refusal."""
    assert usage.outside_counts(ReportQuery(year=Y)) == {
        "310101000": {str(Y - 2): 0, str(Y - 1): 1, str(Y): 1, "total": 2},
        "310104000": {str(Y - 2): 0, str(Y - 1): 0, str(Y): 2, "total": 2},
    }
    assert list(usage.outside_counts(ReportQuery(year=Y, agency=matrix.agency_b))) == [
        "310104000"
    ]


def test_categories_beside_the_city_median(matrix, history):
    """Entries and Y refusals per category for A, S and B; the medians over the
    three listing agencies; only B's 3 process-information refusals (median 1)
    stand out."""
    table = usage.category_table(ReportQuery(year=Y))
    assert [a.code for a in table.agencies] == ["310101000", "310101010", "310104000"]
    figures = {
        row.code: (
            [(entries.value, refused.value) for entries, refused in row.cells.values()],
            row.median_entries,
            row.median_refusals,
        )
        for row in table.rows
        if any(e.value or r.value for e, r in row.cells.values())
    }
    assert figures == {
        "third_party": ([(1, 1), (0, 0), (0, 0)], 0.0, 0.0),
        "internal_affairs": ([(0, 1), (0, 0), (1, 0)], 0.0, 0.0),
        "process_info": ([(1, 1), (0, 0), (1, 3)], 1.0, 1.0),
        "enforcement_file": ([(0, 0), (1, 0), (0, 0)], 0.0, 0.0),
    }
    outliers = [
        (row.code, code, which)
        for row in table.rows
        for code, pair in row.cells.items()
        for which, figure in zip(("entries", "refusals"), pair, strict=True)
        if figure.outlier
    ]
    assert outliers == [("process_info", "310104000", "refusals")]


def test_an_agency_sees_its_own_columns_beside_the_city_median(matrix, history):
    table = usage.category_table(ReportQuery(year=Y, agency=matrix.agency_b))
    assert [a.code for a in table.agencies] == ["310104000"]
    process = next(row for row in table.rows if row.code == "process_info")
    assert (process.median_entries, process.median_refusals) == (1.0, 1.0)


def test_near_duplicates_across_agencies_are_grouped(matrix, history):
    """A1 and B1 share their wording; the rest differ. B's view shows the group
    too, since B1 is in it; S's alone does not."""
    groups = usage.duplicate_groups(ReportQuery(year=Y))
    assert [([e.code for e in g.entries], g.score) for g in groups] == [
        (["310101000-001", "310104000-001"], 1.0)
    ]
    assert len(usage.duplicate_groups(ReportQuery(year=Y, agency=matrix.agency_b)))
    subunit = ReportQuery(year=Y, agency=matrix.subunit_a)
    assert usage.duplicate_groups(subunit) == []


def _codes(drill):
    items = drill.requests if drill.requests is not None else drill.appeals
    return sorted(
        getattr(item, "tracking_code", None) or item.request.tracking_code
        for item in items
    )


def test_every_cell_drills_down_to_what_it_counts(matrix, history):
    r = history.requests
    query = ReportQuery(year=Y, agency=matrix.agency_a)
    a1 = str(history.entries["A1"].pk)
    drill = usage.drill_down(query, "entry", a1, f"withheld.{Y - 1}")
    assert _codes(drill) == sorted([r["r2"].tracking_code, r["r10"].tracking_code])
    pending = usage.drill_down(query, "entry", a1, "appeal.pending")
    assert [a.kind for a in pending.appeals] == [AppealKind.LAWSUIT_AFTER_REVIEW]
    assert _codes(pending) == [r["r2"].tracking_code]
    outside = usage.drill_down(query, "outside", "310101000", str(Y - 1))
    assert _codes(outside) == [r["r7"].tracking_code]
    city = ReportQuery(year=Y)
    category = usage.drill_down(city, "category", "process_info", "310104000")
    assert _codes(category) == sorted(r[k].tracking_code for k in ("s2", "s3", "s4"))


def test_a_cell_outside_the_scope_is_refused(matrix, history):
    """B1 is not an entry of A's scope: the row is unknown there."""
    from portal.errors import DomainError

    query = ReportQuery(year=Y, agency=matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        usage.drill_down(query, "entry", str(history.entries["B1"].pk), "total")
    assert exc.value.field == "row"
    with pytest.raises(DomainError) as exc:
        usage.drill_down(query, "entry", str(history.entries["A1"].pk), "nope")
    assert exc.value.field == "column"


def test_public_citations_count_last_years_refusals_only(matrix, history):
    ids = {k: e.pk for k, e in history.entries.items()}
    assert usage.citation_counts(ids.values(), Y - 1) == {
        ids["A1"]: 2,
        ids["A2"]: 1,
        ids["B1"]: 1,
    }
