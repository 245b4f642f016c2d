"""Going live (README → Going live), scripted from an empty database.

No demo data: the migrated database holds no agency and no account. The city's
agencies come from a spreadsheet (``import_agencies``: the city, three districts,
two departments, children listed before their parents), its staff from another
(``import_staff``: accounts without passwords, roles at the districts), its old
column from a column file (``import_disclosures``, now with no
``--create-agencies``: every row names an imported agency by code), then
``search_rebuild`` fills the index and the public search API and column page find
the imported items, with index numbers that start with their agency's code.
Re-importing both spreadsheets with a changed name changes that name in place:
ids, index numbers, memberships and history stay. Every step is the
management command an operator runs, through ``call_command``; each engine the
suite can reach is tried.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from portal.models import Agency, AuditEvent, Membership, Role
from requests_.models import Disclosure
from search.engines.base import SearchQuery
from tests.search.conftest import search_engine  # noqa: F401

AGENCIES = [
    ["机构代码", "名称", "简称", "类型", "上级机构代码", "发文字号前缀"],
    ["440103000", "广州市荔湾区人民政府", "荔湾区", "区政府", "440100000", "荔府信"],
    ["440104000", "广州市越秀区人民政府", "越秀区", "区政府", "440100000", "越府信"],
    ["440105000", "广州市海珠区人民政府", "海珠区", "区政府", "440100000", "海府信"],
    ["440100000", "广州市人民政府", "广州市", "市政府", "", "穗府信"],
    ["440100201", "广州市住房和城乡建设局", "市住建局", "市级部门", "440100000", ""],
    ["440100202", "广州市生态环境局", "市生态环境局", "市级部门", "440100000", ""],
]
STAFF = [
    ["用户名", "姓名", "电子邮箱", "机构代码", "角色"],
    ["gz-coord", "陈协调", "coord@gz.gov.cn", "440100000", "政务公开办协调员"],
    ["lw-editor", "林编辑", "lw@gz.gov.cn", "440103000", "编辑"],
    ["lw-legal", "黄法制", "lwlegal@gz.gov.cn", "440103000", "审核人"],
    ["hz-editor", "何编辑", "hz@gz.gov.cn", "440105000", "编辑、审核人"],
]
COLUMN = [
    ["title", "body", "agency", "topic", "written_on", "published_on"],
    [
        "荔湾区2025年老旧小区改造计划",
        "荔湾区2025年计划改造老旧小区三十个，涉及居民一万二千户。",
        "440103000",
        "",
        "2025-02-10",
        "2025-02-12",
    ],
    [
        "海珠湿地保护管理办法",
        "为加强海珠湿地的保护和管理，制定本办法。",
        "440105000",
        "",
        "2024-11-01",
        "2024-11-05",
    ],
    [
        "广州市住房公积金缴存比例调整的通知",
        "住房公积金缴存比例调整为百分之五至百分之十二。",
        "440100201",
        "",
        "2025-06-20",
        "2025-06-30",
    ],
]


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_from_an_empty_database_to_a_searchable_imported_column(
    search_engine,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
):
    """Agencies, staff, the old column and a rebuild, each one command, then the
    public search finds the imported items; re-imports change names in place."""
    users = get_user_model().objects
    assert Agency.objects.count() == 0
    assert users.count() == 0

    agencies = write_xlsx(tmp_path / "agencies.xlsx", AGENCIES)
    assert "新建 6 个机构" in run("import_agencies", str(agencies))
    city = Agency.objects.get(code="440100000")
    assert city.parent is None
    assert Agency.objects.filter(parent=city).count() == 5

    staff = write_xlsx(tmp_path / "staff.xlsx", STAFF)
    assert "新建 4 人" in run("import_staff", str(staff))
    assert not any(u.has_usable_password() for u in users.all())
    assert Membership.objects.count() == 5
    assert users.get(username="gz-coord").memberships.get().role == Role.COORDINATOR

    column = write_csv(tmp_path / "column.csv", COLUMN)
    assert "已导入并发布 3 条信息" in run("import_disclosures", str(column))
    imported = {d.title: d for d in Disclosure.objects.select_related("agency")}
    for item in imported.values():
        assert item.index_no.startswith(f"{item.agency.code}/")
    index_numbers = {d.pk: d.index_no for d in imported.values()}

    run("search_rebuild", "--quiet")
    assert search_engine.count() == 3
    client = Client()
    body = client.get("/api/v1/disclosures/", {"q": "湿地"}).json()
    assert [r["title"] for r in body["results"]] == ["海珠湿地保护管理办法"]
    body = client.get("/api/v1/disclosures/", {"q": "住房公积金"}).json()
    assert [r["title"] for r in body["results"]] == [
        "广州市住房公积金缴存比例调整的通知"
    ]
    page = client.get("/disclosures/", {"q": "老旧小区"})
    assert page.status_code == 200
    # The title carries the highlight markup; the item's own link is plain.
    liwan_item = imported["荔湾区2025年老旧小区改造计划"]
    assert f'href="{liwan_item.get_absolute_url()}"' in page.content.decode()

    # A district renamed and a person's display name corrected, by re-import.
    liwan = Agency.objects.get(code="440103000")
    renamed = [list(row) for row in AGENCIES]
    renamed[1][1] = "广州市荔湾区人民政府办公室"
    run("import_agencies", str(write_xlsx(tmp_path / "agencies2.xlsx", renamed)))
    people = [list(row) for row in STAFF]
    people[2][1] = "林小编"
    run("import_staff", str(write_xlsx(tmp_path / "staff2.xlsx", people)))

    after = Agency.objects.get(code="440103000")
    assert after.pk == liwan.pk
    assert after.name == "广州市荔湾区人民政府办公室"
    assert after.tree_path == liwan.tree_path
    assert Agency.objects.count() == 6
    assert Membership.objects.count() == 5
    assert users.get(username="lw-editor").first_name == "林小编"
    assert {d.pk: d.index_no for d in Disclosure.objects.all()} == index_numbers
    assert Disclosure.objects.filter(agency=after).count() == 1
    verbs = list(
        AuditEvent.objects.filter(object_id=str(liwan.pk), content_type__model="agency")
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["agency.create", "agency.update"]
    hits = search_engine.search(SearchQuery(text="老旧小区")).hits
    assert [hit.id for hit in hits] == [
        f"disclosure:{imported['荔湾区2025年老旧小区改造计划'].pk}"
    ]
