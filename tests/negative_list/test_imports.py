"""Spreadsheet import: all rows or none, errors naming row and column in Chinese."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from django.core.management import CommandError, call_command

from negative_list import services
from negative_list.models import Entry
from portal.errors import DomainError, PermissionDenied
from portal.imports import ImportInvalid

pytestmark = pytest.mark.django_db

HEADER = ["序号", "类别", "事项名称", "具体范围", "不予公开的法律政策依据", "说明"]
GOOD_ROWS = [
    [
        "1",
        "过程性信息",
        "区政府常务会议讨论记录",
        "区政府常务会议、专题会议的讨论记录和会议纪要中尚未形成决定的内容",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
        "决定按规定主动公开",
    ],
    [
        "2",
        "国家秘密",
        "涉及国家秘密的文件资料",
        "依法确定为国家秘密的文件、资料及其电子载体，在解密之前",
        "《中华人民共和国政府信息公开条例》第十四条；《保守国家秘密法实施条例》第五条",
        "",
    ],
    [
        "3",
        "个人隐私",
        "行政管理中获取的个人信息",
        "自然人身份证件号码、家庭住址、联系方式、健康状况等个人信息",
        "《中华人民共和国政府信息公开条例》第十五条、《中华人民共和国个人信息保护法》第二十八条",
        "",
    ],
]


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(",".join(row) for row in rows).encode(encoding)


def test_xlsx_rows_arrive_as_drafts_with_matched_provisions(matrix, editor):
    entries = services.entries_import(
        actor=editor,
        agency=matrix.agency_a,
        data=xlsx([HEADER, *GOOD_ROWS]),
        filename="清单.xlsx",
    )
    assert [e.code for e in entries] == [
        "310101000-001",
        "310101000-002",
        "310101000-003",
    ]
    assert {e.status for e in entries} == {Entry.Status.DRAFT}
    secret = entries[1].latest_version
    assert secret.category_id == "state_secret"
    assert sorted(p.citation for p in secret.provisions.all()) == [
        "《中华人民共和国保守国家秘密法实施条例》第五条",
        "《中华人民共和国政府信息公开条例》第十四条",
    ]
    assert entries[2].latest_version.category_id == "third_party"
    assert entries[2].latest_version.provisions.count() == 2


def test_gb18030_csv_from_excel_is_read(matrix, editor):
    data = csv_bytes([HEADER, GOOD_ROWS[0]], encoding="gb18030")
    entries = services.entries_import(
        actor=editor, agency=matrix.agency_a, data=data, filename="list.csv"
    )
    assert entries[0].latest_version.title == "区政府常务会议讨论记录"


def test_one_bad_row_imports_nothing_and_names_row_and_column(matrix, editor):
    """Row 3 has an empty scope, row 4 an unknown law: nothing is imported."""
    rows = [
        HEADER,
        GOOD_ROWS[0],
        [*GOOD_ROWS[1][:3], "", *GOOD_ROWS[1][4:]],
        [*GOOD_ROWS[2][:4], "《某某管理办法》第三条", ""],
    ]
    with pytest.raises(ImportInvalid) as caught:
        services.entries_import(
            actor=editor, agency=matrix.agency_a, data=xlsx(rows), filename="list.xlsx"
        )
    assert Entry.objects.count() == 0
    assert caught.value.code == "import_invalid"
    assert caught.value.message == "文件有 2 处错误，未导入任何内容。"
    assert [str(error) for error in caught.value.errors] == [
        "第 3 行，具体范围 列：不能为空。",
        "第 4 行，不予公开的法律政策依据 列："
        "依据目录中没有“《某某管理办法》第三条”，请先由政务公开办录入目录。",
    ]


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        pytest.param(
            [
                ["序号", "类别", "事项名称", "具体范围", "不予公开依据", "说明"],
                [*GOOD_ROWS[0][:4], "依照有关规定", ""],
            ],
            [
                "第 2 行，不予公开依据 列："
                "未能识别依据，请按“《法律法规名称》第X条”填写。"
            ],
            id="column-named-by-the-files-own-header",
        ),
        pytest.param(
            [HEADER, ["1", "敏感信息", *GOOD_ROWS[0][2:]]],
            ["第 2 行，类别 列：无法识别类别“敏感信息”。"],
            id="unknown-category",
        ),
        pytest.param(
            [["序号", "类别", "事项名称"], ["1", "国家秘密", "x"]],
            ["第 1 行，— 列：缺少列：具体范围、不予公开的法律政策依据。"],
            id="missing-header-columns",
        ),
    ],
)
def test_a_refused_sheet_names_row_column_and_fault(matrix, editor, rows, errors):
    """Each error names its row and its column by the header the file carries
    (a sheet headed 不予公开依据, an accepted alias, hears of 不予公开依据)."""
    with pytest.raises(ImportInvalid) as caught:
        services.entries_import(
            actor=editor, agency=matrix.agency_a, data=xlsx(rows), filename="a.xlsx"
        )
    assert [str(error) for error in caught.value.errors] == errors


def test_unreadable_file_is_refused(matrix, editor):
    with pytest.raises(DomainError) as caught:
        services.entries_import(
            actor=editor,
            agency=matrix.agency_a,
            data=b"not a workbook",
            filename="a.xlsx",
        )
    assert caught.value.code == "file_type"  # refused by portal.uploads


def test_editor_of_another_agency_cannot_import(matrix):
    with pytest.raises(PermissionDenied):
        services.entries_import(
            actor=matrix.user("editor_b"),
            agency=matrix.agency_a,
            data=xlsx([HEADER, GOOD_ROWS[0]]),
            filename="a.xlsx",
        )


def test_management_command_imports_and_rejects(matrix, tmp_path):
    """`import_negative_list PATH --agency CODE` uses the same service."""
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([HEADER, *GOOD_ROWS]))
    out = io.StringIO()
    call_command("import_negative_list", str(good), agency="310101000", stdout=out)
    assert "已导入3个事项" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["1", "", *GOOD_ROWS[0][2:]]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_negative_list", str(bad), agency="310101000", stderr=err)
    assert err.getvalue() == "第 2 行，类别 列：不能为空。\n"
    assert Entry.objects.count() == 3
