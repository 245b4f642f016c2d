"""Export of a published version to XLSX and CSV in the public column layout."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from negative_list import exports

pytestmark = pytest.mark.django_db

HEADER = ("序号", "类别", "事项名称", "具体范围", "不予公开的法律政策依据", "说明")


def test_xlsx_opens_with_openpyxl_and_keeps_chinese(published):
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(published)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert rows[1][:3] == (1, "过程性信息", "区政府常务会议讨论记录")
    assert rows[2][4] == (
        "《中华人民共和国政府信息公开条例》第十五条；《中华人民共和国税收征收管理法》第八条第二款"
    )


def test_csv_is_utf8_with_bom(published):
    data = exports.to_csv(published)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "纳税人涉税保密信息" in text


def test_export_through_the_public_url(matrix, published, anon_client):
    url = f"/negative-lists/{matrix.agency_a.code}/versions/1/export.xlsx"
    response = anon_client.get(url)
    assert response.status_code == 200
    assert "negative-list-310101000-v1.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.active["C2"].value == "区政府常务会议讨论记录"
    csv_response = anon_client.get(url.replace(".xlsx", ".csv"))
    assert csv_response.content.decode("utf-8-sig").startswith("序号,类别")
