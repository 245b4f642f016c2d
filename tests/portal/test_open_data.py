"""Open-data downloads of the column and the lists, and the data dictionary."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.negative_list import factories as nl
from tests.public_site import assert_no_applicant_data, publish_converted

pytestmark = pytest.mark.django_db

COLUMN_FIELDS = [
    "索引号",
    "标题",
    "发布机构",
    "主题分类",
    "文号",
    "成文日期",
    "发布日期",
    "关键词",
    "内容概述",
    "链接",
]


@pytest.fixture
def published(matrix):
    item = publish_converted(matrix)
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    version = nl.published_list(
        editor, reviewer, matrix.agency_a, [{}, nl.second_wording()]
    )
    return item, version


def _body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_column_csv_has_bom_and_chinese_intact(matrix, published):
    """The CSV starts with a UTF-8 BOM and reads back with the csv module."""
    item, _ = published
    response = matrix.client("anonymous").get("/open-data/disclosures.csv")
    assert response.status_code == 200
    assert response.streaming
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert set(COLUMN_FIELDS) <= set(rows[0])
    assert rows[0]["索引号"] == item.index_no
    assert rows[0]["标题"] == item.title
    assert rows[0]["发布机构"] == matrix.agency_a.name
    assert rows[0]["链接"] == f"http://testserver{item.get_absolute_url()}"
    assert_no_applicant_data(body.decode("utf-8-sig"))


def test_column_xlsx_and_json(matrix, published):
    """XLSX opens with openpyxl; JSON carries the fields and rows."""
    item, _ = published
    client = matrix.client("anonymous")
    xlsx = client.get("/open-data/disclosures.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "索引号"
    assert rows[1][1] == item.title
    document = json.loads(client.get("/open-data/disclosures.json").content)
    assert document["rows"][0]["标题"] == item.title
    assert [f["name"] for f in document["fields"]][:3] == ["索引号", "标题", "发布机构"]
    text = json.dumps(document, ensure_ascii=False) + repr(rows)
    assert_no_applicant_data(text)


def test_negative_list_downloads_hold_every_current_entry(matrix, published):
    """Each current entry of each published list is a row with agency and version."""
    _, version = published
    client = matrix.client("anonymous")
    body = _body(client.get("/open-data/negative-lists.csv"))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["事项名称"] for r in rows] == [
        "区政府常务会议讨论记录",
        "纳税人涉税保密信息",
    ]
    assert {r["机构"] for r in rows} == {matrix.agency_a.name}
    assert {r["清单版本"] for r in rows} == {str(version.number)}
    sheet = load_workbook(
        io.BytesIO(client.get("/open-data/negative-lists.xlsx").content)
    ).active
    assert sheet.max_row == 3
    document = json.loads(client.get("/open-data/negative-lists.json").content)
    assert len(document["rows"]) == 2


def test_unknown_format_is_404(client, db):
    assert client.get("/open-data/disclosures.pdf").status_code == 404


def test_data_dictionary_describes_every_field_with_links(matrix):
    """/open-data/ names each dataset, each field and links every download."""
    response = matrix.client("anonymous").get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in [*COLUMN_FIELDS, "事项名称", "不予公开的法律政策依据", "清单版本"]:
        assert f">{name}<" in html
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/open-data/disclosures.{fmt}"' in html
        assert f'href="/open-data/negative-lists.{fmt}"' in html
