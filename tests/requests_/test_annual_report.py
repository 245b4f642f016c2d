"""The annual report's figures: every cell of 表三 and 表四 against a year built by
hand, the conversion figures, the carry-over rule and the consistency check."""

from __future__ import annotations

import datetime as dt

import pytest

from requests_.models import (
    AppealKind,
    ApplicantType,
    Outcome,
    RequestStatus,
)
from requests_.reports.annual import (
    DECIDED_BEFORE_RECEIPT,
    FINISHED_WITHOUT_OUTCOME,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    UNDATED_OUTCOME,
    ReportQuery,
    annual_report,
    drill_down,
)
from tests.requests_.annual_report_builders import appeal, received, replied
from tests.requests_.annual_report_year import YEAR, build_year

pytestmark = pytest.mark.django_db

# Columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
EXPECTED_TABLE3 = {
    "new": (20, 4, 1, 2, 2, 2, 31),
    "carried_in": (1, 1, 1, 0, 0, 0, 3),
    "disclosed": (2, 1, 0, 0, 0, 1, 4),
    "partial": (1, 1, 0, 1, 0, 0, 3),
    "withheld.state_secret": (1, 0, 0, 0, 0, 0, 1),
    "withheld.law_prohibited": (1, 0, 0, 0, 0, 0, 1),
    "withheld.security_stability": (1, 0, 0, 0, 0, 0, 1),
    "withheld.third_party": (1, 0, 0, 0, 1, 0, 2),
    "withheld.internal_affairs": (1, 0, 0, 0, 0, 0, 1),
    "withheld.process_info": (1, 0, 0, 0, 0, 0, 1),
    "withheld.enforcement_file": (1, 0, 0, 0, 0, 0, 1),
    "withheld.administrative_query": (1, 0, 0, 0, 0, 0, 1),
    "unavailable.not_held": (1, 0, 0, 0, 0, 0, 1),
    "unavailable.needs_creation": (1, 0, 0, 0, 0, 0, 1),
    "unavailable.still_unclear": (1, 0, 0, 0, 0, 0, 1),
    "not_handled.petition": (1, 0, 0, 0, 0, 0, 1),
    "not_handled.repeat": (1, 0, 0, 0, 0, 0, 1),
    "not_handled.publication": (0, 1, 0, 0, 0, 0, 1),
    "not_handled.excessive": (0, 0, 1, 0, 0, 0, 1),
    "not_handled.confirmation": (0, 0, 0, 1, 0, 0, 1),
    "other.no_correction": (1, 0, 0, 0, 0, 0, 1),
    "other.fee_unpaid": (0, 1, 0, 0, 0, 0, 1),
    "other.other": (1, 0, 0, 0, 1, 1, 3),
    "total": (18, 4, 1, 2, 2, 2, 29),
    "carried_out": (3, 1, 1, 0, 0, 0, 5),
}

# 行政复议 · 行政诉讼（未经复议直接起诉） · 行政诉讼（复议后起诉）, each:
# 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
EXPECTED_TABLE4 = (
    *(1, 1, 1, 2, 5),
    *(1, 1, 0, 1, 3),
    *(1, 0, 1, 0, 2),
)

EXPECTED_ROW_PATHS = [
    ("一、本年新收政府信息公开申请数量",),
    ("二、上年结转政府信息公开申请数量",),
    ("三、本年度办理结果", "（一）予以公开"),
    ("三、本年度办理结果", "（二）部分公开（区分处理的只计此项）"),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    (
        "三、本年度办理结果",
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    ("三、本年度办理结果", "（七）总计"),
    ("四、结转下年度继续办理",),
]


def _table(report) -> dict[str, tuple[int, ...]]:
    return {
        key: tuple(cells[c] for c in TABLE3_COLUMN_KEYS)
        for key, cells in report.table3.items()
    }


@pytest.fixture
def year(matrix):
    return build_year(matrix)


def test_rows_carry_the_templates_labels_and_numbering_in_order():
    """表三 has the template's 25 rows, labels verbatim, in the published order."""
    assert [row.path for row in TABLE3_ROWS] == EXPECTED_ROW_PATHS


def test_columns_are_the_applicant_types_then_the_total():
    """Every applicant type has its column, in the template's order, then 总计."""
    assert TABLE3_COLUMN_KEYS == (
        ApplicantType.NATURAL_PERSON,
        ApplicantType.BUSINESS,
        ApplicantType.RESEARCH,
        ApplicantType.PUBLIC_INTEREST,
        ApplicantType.LEGAL_SERVICES,
        ApplicantType.OTHER_ORG,
        "total",
    )


def test_every_cell_of_table3_matches_the_hand_built_year(matrix, year):
    """Carry-over, lapses, withdrawals, partial disclosures and every sub-reason
    land in exactly the expected cells for agency A and its sub-unit."""
    report = annual_report(ReportQuery(YEAR, matrix.agency_a))
    assert _table(report) == EXPECTED_TABLE3


def test_every_cell_of_table4_matches_the_hand_built_year(matrix, year):
    """Appeals count in the year filed, with their result as on 31 December."""
    report = annual_report(ReportQuery(YEAR, matrix.agency_a))
    assert tuple(report.table4[c.key] for c in TABLE4_COLUMNS) == EXPECTED_TABLE4


def test_conversion_figures_and_median_days_to_publication(matrix, year):
    """Of seven releases: three converted (two published), one linked, two not
    converted (by reason), one undecided; medians over the two publications:
    12 and 22 calendar days, 8 and 12 working days (Spring Festival 2025)."""
    figures = annual_report(ReportQuery(YEAR, matrix.agency_a)).conversion
    assert figures.counts == {
        "released": 7,
        "converted": 3,
        "converted_published": 2,
        "linked_existing": 1,
        "not_converted": 2,
        "not_converted.tax_fees": 1,
        "not_converted.social_security": 1,
        "not_converted.medical": 0,
        "not_converted.registration": 0,
        "not_converted.other_personal": 0,
        "undecided": 1,
    }
    assert figures.median_calendar_days == 17.0
    assert figures.median_working_days == 10.0
    assert figures.unknown_years == ()


def test_consistency_check_passes_on_good_data(matrix, year):
    """一 + 二 = 三（七）+ 四 in every column, and no record is listed."""
    check = annual_report(ReportQuery(YEAR, matrix.agency_a)).check
    assert [(line.received, line.settled) for line in check.lines] == [
        (21, 21),
        (5, 5),
        (2, 2),
        (2, 2),
        (2, 2),
        (2, 2),
        (34, 34),
    ]
    assert check.balanced
    assert check.issues == ()
    assert check.passed


def test_year_end_carry_out_is_next_years_carry_in(matrix, year):
    """四 of 2024 equals 二 of 2025, column by column (the carry-over rule)."""
    before = _table(annual_report(ReportQuery(YEAR - 1, matrix.agency_a)))
    assert before["new"] == (2, 1, 1, 0, 0, 0, 4)
    assert before["total"] == (1, 0, 0, 0, 0, 0, 1)
    assert before["carried_out"] == (1, 1, 1, 0, 0, 0, 3)
    assert before["carried_out"] == EXPECTED_TABLE3["carried_in"]


def test_scope_agency_alone_leaves_out_the_subunit(matrix, year):
    """Without sub-units, the sub-unit's repeat request and disclosure drop out."""
    table = _table(annual_report(ReportQuery(YEAR, matrix.agency_a, subunits=False)))
    assert table["new"] == (19, 4, 1, 2, 2, 1, 29)
    assert table["disclosed"] == (2, 1, 0, 0, 0, 0, 3)
    assert table["not_handled.repeat"] == (0, 0, 0, 0, 0, 0, 0)
    assert table["total"] == (17, 4, 1, 2, 2, 1, 27)


def test_subunit_report_holds_only_the_subunit(matrix, year):
    """A sub-unit's report counts its own two requests."""
    table = _table(annual_report(ReportQuery(YEAR, matrix.subunit_a)))
    assert table["new"] == (1, 0, 0, 0, 0, 1, 2)
    assert table["total"] == (1, 0, 0, 0, 0, 1, 2)


def test_city_total_adds_every_agency(matrix, year):
    """The city total adds agency B's disclosure and its pending review."""
    report = annual_report(ReportQuery(YEAR, None))
    table = _table(report)
    assert table["new"] == (21, 4, 1, 2, 2, 2, 32)
    assert table["disclosed"] == (3, 1, 0, 0, 0, 1, 5)
    assert table["total"] == (19, 4, 1, 2, 2, 2, 30)
    assert report.table4["review.pending"] == 3
    assert report.table4["review.total"] == 6


def test_drill_down_lists_exactly_the_requests_of_a_cell(matrix, year):
    """The cell 4.保护第三方合法权益 · 总计 lists the two requests it counts."""
    drill = drill_down(
        ReportQuery(YEAR, matrix.agency_a), "t3", "withheld.third_party", "total"
    )
    assert set(drill.requests) == {
        year[Outcome.WITHHELD_THIRD_PARTY.value],
        year["leg_third_party"],
    }


def test_drill_down_of_carry_over_and_carry_out(matrix, year):
    """二 lists the three requests from 2024; 四 the five still open at year end."""
    query = ReportQuery(YEAR, matrix.agency_a)
    carried_in = drill_down(query, "t3", "carried_in", "total").requests
    carried_out = drill_down(query, "t3", "carried_out", "total").requests
    assert set(carried_in) == {
        year["carried_disclosed"],
        year["carried_partial"],
        year["carried_still_open"],
    }
    assert set(carried_out) == {
        year["np_open"],
        year["np_replied_next_year"],
        year["np_fee_lapsed_next_year"],
        year["bus_open"],
        year["carried_still_open"],
    }


def test_drill_down_of_every_nonzero_cell_has_as_many_records(matrix, year):
    """Every non-zero cell of 表三, 表四 and the conversion figures drills down
    to exactly as many records as it shows."""
    query = ReportQuery(YEAR, matrix.agency_a)
    report = annual_report(query)
    for row, cells in report.table3.items():
        for column, count in cells.items():
            drill = drill_down(query, "t3", row, column)
            assert drill.requests.count() == count, (row, column)
    for column, count in report.table4.items():
        assert drill_down(query, "t4", "", column).appeals.count() == count
    for row, count in report.conversion.counts.items():
        assert drill_down(query, "conversion", row, "total").requests.count() == count


@pytest.mark.parametrize(
    ("table", "row", "column", "field"),
    [
        ("t9", "new", "total", "table"),
        ("t3", "nope", "total", "row"),
        ("t3", "new", "robots", "column"),
        ("t4", "", "review.maybe", "column"),
        ("conversion", "nope", "total", "row"),
    ],
)
def test_drill_down_refuses_unknown_cells_naming_the_field(
    matrix, table, row, column, field
):
    """An unknown table, row or column is a DomainError on that field."""
    from portal.errors import DomainError

    with pytest.raises(DomainError) as info:
        drill_down(ReportQuery(YEAR, matrix.agency_a), table, row, column)
    assert info.value.field == field


def test_check_lists_every_record_that_breaks_it(matrix, year):
    """Bad records unbalance their column and are listed by tracking code: a
    reply in 2025 to a request received in 2026, a 2025 request replied in 2024,
    a reply before receipt within the year, a withdrawal without any date and a
    reply without an outcome."""
    a = matrix.agency_a
    later = replied(a, dt.date(2026, 1, 5), dt.date(2025, 3, 1), Outcome.DISCLOSED)
    earlier = replied(
        a,
        dt.date(2025, 2, 1),
        dt.date(2024, 12, 30),
        Outcome.WITHHELD_STATE_SECRET,
        ApplicantType.BUSINESS,
    )
    within = replied(a, dt.date(2025, 5, 10), dt.date(2025, 5, 2), Outcome.PARTIAL)
    undated = received(a, dt.date(2025, 4, 1), status=RequestStatus.WITHDRAWN)
    no_outcome = received(
        a, dt.date(2025, 9, 1), ApplicantType.RESEARCH, status=RequestStatus.REPLIED
    )
    check = annual_report(ReportQuery(YEAR, a)).check
    lines = {line.column: (line.received, line.settled) for line in check.lines}
    assert lines["natural_person"] == (21 + 2, 21 + 3)  # `later` counts in 三 only
    assert lines["business"] == (5 + 1, 5)  # `earlier` counts in 一 only
    assert lines["research"] == (2 + 1, 2 + 1)
    assert not check.balanced
    assert not check.passed
    listed = {(i.tracking_code, i.code, i.message) for i in check.issues}
    assert listed == {
        (later.tracking_code, "decided_before_receipt", str(DECIDED_BEFORE_RECEIPT)),
        (earlier.tracking_code, "decided_before_receipt", str(DECIDED_BEFORE_RECEIPT)),
        (within.tracking_code, "decided_before_receipt", str(DECIDED_BEFORE_RECEIPT)),
        (undated.tracking_code, "undated_outcome", str(UNDATED_OUTCOME)),
        (
            no_outcome.tracking_code,
            "finished_without_outcome",
            str(FINISHED_WITHOUT_OUTCOME),
        ),
    }


def test_appeal_decided_after_year_end_is_pending_in_that_year(matrix):
    """A review filed in 2025 and upheld in 2026 is 尚未审结 in the 2025 report;
    the 2026 report, which counts 2026 filings, does not count it again."""
    request = replied(
        matrix.agency_a, dt.date(2025, 9, 1), dt.date(2025, 9, 20), Outcome.DISCLOSED
    )
    appeal(
        request, AppealKind.REVIEW, dt.date(2025, 11, 1), "upheld", dt.date(2026, 1, 9)
    )
    report = annual_report(ReportQuery(2025, matrix.agency_a))
    assert report.table4["review.pending"] == 1
    assert report.table4["review.upheld"] == 0
    assert annual_report(ReportQuery(2026, matrix.agency_a)).table4["review.total"] == 0


def test_running_year_is_marked_provisional(matrix):
    """A report for a year not yet over says so; a past year is complete."""
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert not ReportQuery(2025, matrix.agency_a, now=now).period.is_complete
    assert ReportQuery(2024, matrix.agency_a, now=now).period.is_complete


def test_a_fee_lapse_counts_in_the_year_of_its_reply(matrix, year):
    """The fee notice that lapsed in December 2025 was answered （六）2 on 6 January
    2026: 2025 carries the request out (四), 2026 counts its （六）2."""
    query = ReportQuery(YEAR, matrix.agency_a)
    assert year["np_fee_lapsed_next_year"] in set(
        drill_down(query, "t3", "carried_out", "natural_person").requests
    )
    assert set(drill_down(query, "t3", "other.fee_unpaid", "total").requests) == {
        year["bus_fee_unpaid"]
    }
    next_year = _table(annual_report(ReportQuery(YEAR + 1, matrix.agency_a)))
    assert next_year["other.fee_unpaid"] == (1, 0, 0, 0, 0, 0, 1)


def test_withdrawal_dated_when_received_and_a_lapsed_consultation(matrix, year):
    """A withdrawal received on 30 Dec 2025 but entered later counts in 2025
    （六）3; a request whose consultation ran out in December is still open on 31
    December and carried out. The natural persons' column and the total change
    by exactly these two records: 一 +2, （六）3 +1, （七） +1, 四 +1."""
    from tests.requests_.annual_report_year import add_dates_as_they_happened

    add_dates_as_they_happened(matrix, year)
    withdrawn = year["np_withdrawn_december"]
    assert withdrawn.withdrawn_on == dt.date(YEAR, 12, 30)
    lapsed = year["np_consultation_lapsed"]
    assert lapsed.consultation_result == "consent_by_silence"
    assert lapsed.consultation_due_on == dt.date(YEAR, 12, 1)
    report = annual_report(ReportQuery(YEAR, matrix.agency_a))
    expected = {
        **EXPECTED_TABLE3,
        "new": (22, 4, 1, 2, 2, 2, 33),
        "other.other": (2, 0, 0, 0, 1, 1, 4),
        "total": (19, 4, 1, 2, 2, 2, 30),
        "carried_out": (4, 1, 1, 0, 0, 0, 6),
    }
    assert _table(report) == expected
    query = ReportQuery(YEAR, matrix.agency_a)
    assert withdrawn in set(drill_down(query, "t3", "other.other", "total").requests)
    assert lapsed in set(drill_down(query, "t3", "carried_out", "total").requests)
    assert report.check.passed
    next_year = _table(annual_report(ReportQuery(YEAR + 1, matrix.agency_a)))
    assert next_year["other.other"] == (0, 0, 0, 0, 0, 0, 0)
