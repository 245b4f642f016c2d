"""The staff pages of the annual report through the real client: the tables with
their merged headers, drill-down to the requests, the exports, and who may see
which agency's report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from requests_.models import Outcome
from tests.conftest import ACTORS
from tests.factories import UserFactory
from tests.requests_.annual_report_builders import replied, report_statuses
from tests.requests_.annual_report_year import YEAR, build_year

pytestmark = pytest.mark.django_db

PAGE = "/workspace/annual-report/"
CELL = "/workspace/annual-report/cell/"

# What each actor gets for agency A, agency B and the city total.
EXPECTED_STATUS = report_statuses(ok=200, anonymous=302)


def _code(matrix, which: str) -> str:
    return {"a": matrix.agency_a.code, "b": matrix.agency_b.code, "all": "all"}[which]


def _url(base: str, matrix, which: str = "a", **extra: str) -> str:
    return (
        f"{base}?{urlencode({'agency': _code(matrix, which), 'year': YEAR, **extra})}"
    )


@pytest.fixture
def year(matrix):
    return build_year(matrix)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("which", ["a", "b", "all"])
def test_page_permission_matrix(matrix, year, actor, which):
    """Staff see their agencies' reports, a coordinator every one and the city
    total; anonymous users are sent to log in; others' agencies are a 404."""
    response = matrix.client(actor).get(_url(PAGE, matrix, which))
    assert response.status_code == EXPECTED_STATUS[actor][which]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "path", [CELL, "/workspace/annual-report/export/csv/"], ids=["cell", "csv"]
)
def test_drill_down_and_export_follow_the_same_matrix(matrix, year, actor, path):
    """Drill-down and export answer exactly like the page does for agency A."""
    extra = {"table": "t3", "row": "new", "col": "total"} if path == CELL else {}
    response = matrix.client(actor).get(_url(path, matrix, "a", **extra))
    assert response.status_code == EXPECTED_STATUS[actor]["a"]


def test_user_without_a_role_is_refused(matrix, client):
    """A signed-in user who holds no role anywhere gets 403."""
    client.force_login(UserFactory(username="outsider"))
    assert client.get(_url(PAGE, matrix)).status_code == 403


def test_editor_reads_the_subunit_below_their_agency(matrix, year):
    """A role at agency A covers its sub-unit's report: the sub-unit's alone.

    Of the year's requests two were received by the sub-unit; its page counts
    those two as new, and their drill-down lists exactly them.
    """
    client = matrix.client("editor_a")
    subunit = {"agency": matrix.subunit_a.code, "year": YEAR}
    html = client.get(f"{PAGE}?{urlencode(subunit)}").content.decode()
    assert matrix.subunit_a.name in html
    links = re.findall(r'<td class="report-num"><a href="([^"]+)">(\d+)</a>', html)
    cell = "table=t3&amp;row=new&amp;col=total"
    assert [n for u, n in links if u.endswith(cell)] == ["2"]
    cell_query = {**subunit, "table": "t3", "row": "new", "col": "total"}
    listed = client.get(f"{CELL}?{urlencode(cell_query)}").content.decode()
    assert re.findall(r"共 (\d+) 条", listed) == ["2"]
    assert year[Outcome.NOT_HANDLED_REPEAT.value].tracking_code in listed
    assert year["oth_disclosed_subunit"].tracking_code in listed
    assert year["bus_disclosed"].tracking_code not in listed  # agency A's own


def test_page_shows_the_tables_with_the_templates_merged_headers(matrix, year):
    """表三 and 表四 are real tables: th with scope, spans as in the template."""
    html = matrix.client("editor_a").get(_url(PAGE, matrix)).content.decode()
    for fragment in (
        '<h2 id="table-t3">三、收到和处理政府信息公开申请情况</h2>',
        '<td class="report-note" colspan="3" rowspan="3">（本列数据的勾稽关系为：',
        '<th scope="col" colspan="7">申请人情况</th>',
        '<th scope="col" rowspan="2">自然人</th>',
        '<th scope="col" colspan="5">法人或其他组织</th>',
        '<th scope="row" rowspan="22">三、本年度办理结果</th>',
        '<th scope="row" rowspan="8">（三）不予公开</th>',
        '<th scope="row" colspan="2">（七）总计</th>',
        '<th scope="row" colspan="3">四、结转下年度继续办理</th>',
        '<h2 id="table-t4">四、政府信息公开行政复议、行政诉讼情况</h2>',
        '<th scope="col" colspan="5">行政复议</th>',
        '<th scope="col" colspan="10">行政诉讼</th>',
        '<th scope="col" rowspan="2">尚未审结</th>',
    ):
        assert fragment in html
    assert "各列均满足" in html  # the check passed


def test_page_defaults_to_the_viewers_first_agency(matrix, year):
    """Without parameters the page shows the viewer's agency for last year."""
    response = matrix.client("editor_a").get(PAGE)
    assert response.status_code == 200
    assert response.context["report"].query.agency == matrix.agency_a


def test_page_names_a_bad_year(matrix):
    """A year that is not a year is refused with the reason, not a crash."""
    response = matrix.client("editor_a").get(_url(PAGE, matrix, year="1999x"))
    assert response.status_code == 400
    assert "统计年度应为" in response.content.decode()


def test_every_nonzero_cell_links_to_its_drill_down(matrix, year):
    """Every figure above zero links to its list; zeros do not link."""
    html = matrix.client("editor_a").get(_url(PAGE, matrix)).content.decode()
    # 表三, 表四 and the conversion counts (not the medians nor the check).
    html = html[html.index('id="table-t3"') : html.index("答复至发布的天数中位数")]
    links = re.findall(r'<td class="report-num"><a href="([^"]+)">(\d+)</a>', html)
    plain = re.findall(r'<td class="report-num">(\d+)</td>', html)
    assert links
    assert len(links) + len(plain) == 25 * 7 + 15 + 11
    assert all(int(n) > 0 for _href, n in links)
    assert all(n == "0" for n in plain)
    cell = "table=t3&amp;row=withheld.third_party&amp;col=total"
    assert next(n for u, n in links if u.endswith(cell)) == "2"


def test_drill_down_lists_the_requests_with_links_to_them(matrix, year):
    """The list of 4.保护第三方合法权益 · 总计 links to both requests' pages."""
    response = matrix.client("reviewer_a").get(
        _url(CELL, matrix, table="t3", row="withheld.third_party", col="total")
    )
    html = response.content.decode()
    for item in (year[Outcome.WITHHELD_THIRD_PARTY.value], year["leg_third_party"]):
        url = reverse("requests_:request_detail", args=[item.pk])
        assert f'<a href="{url}">{item.tracking_code}</a>' in html
    assert year["agency_b"].tracking_code not in html


def test_drill_down_shows_the_row_a_legacy_withdrawal_counts_in(matrix, year):
    """A withdrawal recorded without an outcome is listed under （六）3.其他."""
    response = matrix.client("editor_a").get(
        _url(CELL, matrix, table="t3", row="other.other", col="legal_services")
    )
    html = response.content.decode()
    assert year["leg_withdrawn_legacy"].tracking_code in html
    assert "（六）其他处理 3.其他" in html
    assert "共 1 条" in html


def test_drill_down_of_table4_lists_the_appeals(matrix, year):
    """The pending reviews cell lists the two reviews pending on 31 December."""
    response = matrix.client("coordinator").get(
        _url(CELL, matrix, table="t4", row="appeals", col="review.pending")
    )
    html = response.content.decode()
    assert year[Outcome.WITHHELD_PROCESS_INFO.value].tracking_code in html
    assert year[Outcome.WITHHELD_ENFORCEMENT_FILE.value].tracking_code in html
    assert "共 2 条" in html


def test_drill_down_refuses_an_unknown_row(matrix, year):
    """An unknown row is a 400 naming the problem."""
    response = matrix.client("editor_a").get(
        _url(CELL, matrix, table="t3", row="bogus", col="total")
    )
    assert response.status_code == 400
    assert "统计表中没有这一行" in response.content.decode()


def test_check_lists_the_broken_record_with_a_link(matrix, year):
    """A reply dated before receipt is listed on the page with a link to fix it."""

    bad = replied(
        matrix.agency_a, dt.date(2025, 5, 10), dt.date(2025, 5, 2), Outcome.PARTIAL
    )
    html = matrix.client("editor_a").get(_url(PAGE, matrix)).content.decode()
    url = reverse("requests_:request_detail", args=[bad.pk])
    assert f'<a href="{url}">{bad.tracking_code}</a>' in html
    assert "答复（办结）日期早于收到申请日期" in html


def test_xlsx_download_opens_with_the_template_labels(matrix, year):
    """The XLSX download opens with openpyxl; labels and merges are in place."""
    response = matrix.client("coordinator").get(
        _url("/workspace/annual-report/export/xlsx/", matrix)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        f"annual-report-{matrix.agency_a.code}-{YEAR}.xlsx"
        in (response["Content-Disposition"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A6"].value == "一、本年新收政府信息公开申请数量"
    assert sheet["J6"].value == 31
    assert "A8:A29" in {str(r) for r in sheet.merged_cells.ranges}


def test_csv_download_is_utf8_with_bom(matrix, year):
    """The CSV download starts with a BOM and holds the figures."""
    response = matrix.client("editor_a").get(
        _url("/workspace/annual-report/export/csv/", matrix)
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["四、结转下年度继续办理", "", "", "3", "1", "1", "0", "0", "0", "5"] in rows


def test_unknown_export_format_is_404(matrix, year):
    response = matrix.client("editor_a").get(
        _url("/workspace/annual-report/export/pdf/", matrix)
    )
    assert response.status_code == 404
