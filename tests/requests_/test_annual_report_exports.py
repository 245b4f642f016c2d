"""The XLSX and CSV exports: the template's labels in the right cells, merged
headers as published, the figures of the hand-built year."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from requests_.reports.annual import ReportQuery, annual_report
from requests_.reports.exports import (
    SHEET_CHECK,
    SHEET_CONVERSION,
    SHEET_TABLE3,
    SHEET_TABLE4,
    to_csv,
    to_xlsx,
)
from tests.requests_.annual_report_year import YEAR, build_year

pytestmark = pytest.mark.django_db

TABLE3_LABELS = {
    "A1": "三、收到和处理政府信息公开申请情况",
    "A3": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "D3": "申请人情况",
    "D4": "自然人",
    "E4": "法人或其他组织",
    "J4": "总计",
    "E5": "商业企业",
    "F5": "科研机构",
    "G5": "社会公益组织",
    "H5": "法律服务机构",
    "I5": "其他",
    "A6": "一、本年新收政府信息公开申请数量",
    "A7": "二、上年结转政府信息公开申请数量",
    "A8": "三、本年度办理结果",
    "B8": "（一）予以公开",
    "B9": "（二）部分公开（区分处理的只计此项）",
    "B10": "（三）不予公开",
    "C10": "1.属于国家秘密",
    "C17": "8.属于行政查询事项",
    "B18": "（四）无法提供",
    "C18": "1.本机关不掌握相关政府信息",
    "C20": "3.补正后申请内容仍不明确",
    "B21": "（五）不予处理",
    "C21": "1.信访举报投诉类申请",
    "C25": "5.要求行政机关确认或重新出具已获取信息",
    "B26": "（六）其他处理",
    "C26": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "C27": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "C28": "3.其他",
    "B29": "（七）总计",
    "A30": "四、结转下年度继续办理",
}
TABLE3_MERGED = {
    "A1:J1",
    "A2:J2",
    "A3:C5",
    "D3:J3",
    "D4:D5",
    "E4:I4",
    "J4:J5",
    "A6:C6",
    "A7:C7",
    "A8:A29",
    "B8:C8",
    "B9:C9",
    "B10:B17",
    "B18:B20",
    "B21:B25",
    "B26:B28",
    "B29:C29",
    "A30:C30",
}
TABLE3_FIGURES = {
    "D6": 20,
    "J6": 31,
    "D7": 1,
    "J7": 3,
    "D8": 2,
    "I8": 1,
    "J8": 4,
    "G9": 1,
    "H13": 1,
    "J13": 2,
    "J28": 3,
    "D29": 18,
    "J29": 29,
    "D30": 3,
    "J30": 5,
}
TABLE4_LABELS = {
    "A1": "四、政府信息公开行政复议、行政诉讼情况",
    "A3": "行政复议",
    "F3": "行政诉讼",
    "A4": "结果维持",
    "B4": "结果纠正",
    "C4": "其他结果",
    "D4": "尚未审结",
    "E4": "总计",
    "F4": "未经复议直接起诉",
    "K4": "复议后起诉",
    "F5": "结果维持",
    "J5": "总计",
    "K5": "结果维持",
    "O5": "总计",
}
TABLE4_MERGED = {
    "A1:O1",
    "A2:O2",
    "A3:E3",
    "F3:O3",
    "A4:A5",
    "B4:B5",
    "C4:C5",
    "D4:D5",
    "E4:E5",
    "F4:J4",
    "K4:O4",
}
TABLE4_ROW = [1, 1, 1, 2, 5, 1, 1, 0, 1, 3, 1, 0, 1, 0, 2]


@pytest.fixture
def report(matrix):
    build_year(matrix)
    return annual_report(ReportQuery(YEAR, matrix.agency_a))


def test_xlsx_table3_has_the_labels_merges_and_figures_of_the_template(report):
    """Sheet 表三: every label where the template has it, the merged cells as
    published, and the figures of the year."""
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    assert workbook.sheetnames == [
        SHEET_TABLE3,
        SHEET_TABLE4,
        SHEET_CONVERSION,
        SHEET_CHECK,
    ]
    sheet = workbook[SHEET_TABLE3]
    assert {ref: sheet[ref].value for ref in TABLE3_LABELS} == TABLE3_LABELS
    assert {str(r) for r in sheet.merged_cells.ranges} == TABLE3_MERGED
    assert {ref: sheet[ref].value for ref in TABLE3_FIGURES} == TABLE3_FIGURES
    assert "2025" in sheet["A2"].value


def test_xlsx_table4_has_the_labels_merges_and_figures_of_the_template(report):
    """Sheet 表四: 行政复议 over five columns, 行政诉讼 over ten, one figure row."""
    sheet = load_workbook(io.BytesIO(to_xlsx(report)))[SHEET_TABLE4]
    assert {ref: sheet[ref].value for ref in TABLE4_LABELS} == TABLE4_LABELS
    assert {str(r) for r in sheet.merged_cells.ranges} == TABLE4_MERGED
    assert [c.value for c in sheet[6]] == TABLE4_ROW


def test_xlsx_conversion_and_check_sheets(report):
    """The conversion sheet lists the figures; the check sheet one line per column."""
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    conversion = workbook[SHEET_CONVERSION]
    assert conversion["A4"].value == "予以公开、部分公开的申请"
    assert conversion["B4"].value == 7
    assert conversion["B5"].value == 3
    check = workbook[SHEET_CHECK]
    assert [c.value for c in check[4][:4]] == ["自然人", 21, 21, "相符"]
    assert [c.value for c in check[10][:4]] == ["总计", 34, 34, "相符"]


def test_csv_is_utf8_with_bom_in_the_template_layout(report):
    """The CSV opens in Excel (BOM) and holds 表三 and 表四 row by row."""
    data = to_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["三、收到和处理政府信息公开申请情况"] in rows
    assert [
        "一、本年新收政府信息公开申请数量",
        "",
        "",
        "20",
        "4",
        "1",
        "2",
        "2",
        "2",
        "31",
    ] in rows
    assert ["", "（七）总计", "", "18", "4", "1", "2", "2", "2", "29"] in rows
    assert [str(n) for n in TABLE4_ROW] in rows
