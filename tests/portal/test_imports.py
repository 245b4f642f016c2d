"""Agencies and staff from spreadsheets: ``import_agencies``, ``import_staff`` and the
coordinator's upload pages.

Every file is validated whole (an error in the last row changes nothing), errors
name their row and column, a re-import updates in place (ids, codes, index
numbers, memberships and history kept) and every change is on the audit trail.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.errors import PermissionDenied
from portal.imports import ImportInvalid, agencies_import, common, staff_import
from portal.imports import agencies as agency_module
from portal.imports import staff as staff_module
from portal.models import Agency, AuditEvent, Membership, Role
from tests.factories import MembershipFactory, UserFactory

AGENCY_HEADER = [
    "机构代码",
    "名称",
    "简称",
    "类型",
    "上级机构代码",
    "发文字号前缀",
    "行政复议机关",
    "行政诉讼管辖法院",
]
STAFF_HEADER = ["用户名", "姓名", "电子邮箱", "机构代码", "角色"]

# Children before their parents on purpose: the import orders them itself.
CITY_ROWS = [
    [
        "330101000",
        "杭州市上城区人民政府",
        "上城区",
        "区政府",
        "330100000",
        "上政信",
        "",
        "",
    ],
    [
        "330100000",
        "杭州市人民政府",
        "杭州市",
        "市政府",
        "",
        "杭政信",
        "浙江省人民政府",
        "",
    ],
    [
        "330102000",
        "杭州市西湖区人民政府",
        "西湖区",
        "district",
        "330100000",
        "",
        "",
        "",
    ],
    ["330100101", "杭州市教育局", "市教育局", "市级部门", "330100000", "", "", ""],
    ["330101001", "上城区教育局", "", "下属单位", "330101000", "", "", ""],
]


def xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def import_city(actor=None, rows=CITY_ROWS):
    return agencies_import(
        actor=actor, data=xlsx(AGENCY_HEADER, rows), filename="agencies.xlsx"
    )


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- agencies -------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_import_on_an_empty_database_creates_the_city_and_its_tree():
    """The city is created from the row without a parent; children listed before
    their parents land under them; letter settings are stored; each is audited."""
    result = import_city()
    assert len(result.created) == 5
    city = Agency.objects.get(code="330100000")
    assert city.parent is None
    assert city.kind == Agency.Kind.CITY
    assert city.doc_no_prefix == "杭政信"
    assert city.review_body == "浙江省人民政府"
    shangcheng = Agency.objects.get(code="330101000")
    assert shangcheng.parent == city
    assert shangcheng.kind == Agency.Kind.DISTRICT
    assert Agency.objects.get(code="330102000").kind == Agency.Kind.DISTRICT
    unit = Agency.objects.get(code="330101001")
    assert unit.tree_path == f"/{city.pk}/{shangcheng.pk}/{unit.pk}/"
    assert events("agency.create") == 5
    assert set(
        AuditEvent.objects.filter(verb="agency.create").values_list(
            "actor_label", flat=True
        )
    ) == {"system"}


@pytest.mark.django_db
def test_an_error_in_the_last_row_imports_nothing_and_names_row_and_column():
    """All or nothing: a bad kind in the last row (row 6) leaves the database empty."""
    rows = [*CITY_ROWS[:-1], ["330101001", "上城区教育局", "", "科室", "330101000"]]
    rows[-1] += ["", "", ""]
    with pytest.raises(ImportInvalid) as caught:
        import_city(rows=rows)
    assert [str(e) for e in caught.value.errors] == [
        "第 6 行，类型 列：" + str(agency_module.UNKNOWN_KIND % {"value": "科室"})
    ]
    assert Agency.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_every_problem_is_listed_with_its_row_and_the_header_as_written():
    """Unknown parent, duplicate code, missing name, bad code and a second city
    are all reported at once, columns named by the file's own headers."""
    header = ["code", "name", "short_name", "kind", "parent"]
    rows = [
        ["330100000", "杭州市人民政府", "", "city", ""],
        ["330101000", "上城区", "", "district", "339999999"],
        ["330101000", "上城区二", "", "district", "330100000"],
        ["330102000", "", "", "district", "330100000"],
        ["33-01", "坏代码", "", "district", "330100000"],
        ["330200000", "宁波市人民政府", "", "city", ""],
    ]
    with pytest.raises(ImportInvalid) as caught:
        agencies_import(actor=None, data=csv(header, rows), filename="a.csv")
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {
        (3, "parent"),
        (4, "code"),
        (5, "name"),
        (6, "code"),
        (7, "kind"),
    }
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_reimport_updates_in_place_and_keeps_ids_memberships_and_history():
    """A second file renames, moves (with its subtree) and resets letter settings;
    ids and codes stay, memberships stay, the trail keeps the old events."""
    import_city()
    before = {a.code: a.pk for a in Agency.objects.all()}
    shangcheng = Agency.objects.get(code="330101000")
    editor = UserFactory(username="editor")
    MembershipFactory(user=editor, agency=shangcheng, role=Role.EDITOR)
    rows = [list(r) for r in CITY_ROWS]
    rows[0][1] = "杭州市上城区人民政府（新）"
    rows[0][4] = "330102000"  # move 上城区 (and its 教育局) under 西湖区
    rows[0][3] = "下属单位"
    result = import_city(rows=rows)
    assert [a.code for a in result.updated] == ["330101000"]
    assert result.unchanged == 4
    assert {a.code: a.pk for a in Agency.objects.all()} == before
    moved = Agency.objects.get(code="330101000")
    xihu = Agency.objects.get(code="330102000")
    assert moved.name == "杭州市上城区人民政府（新）"
    assert moved.parent == xihu
    unit = Agency.objects.get(code="330101001")
    assert unit.tree_path == f"{xihu.tree_path}{moved.pk}/{unit.pk}/"
    assert Membership.objects.filter(user=editor, agency=moved).count() == 1
    update = AuditEvent.objects.get(verb="agency.update")
    assert update.before["name"] == "杭州市上城区人民政府"
    assert update.after["name"] == "杭州市上城区人民政府（新）"
    assert events("agency.create") == 5
    # The same file again changes nothing.
    again = import_city(rows=rows)
    assert (len(again.created), len(again.updated), again.unchanged) == (0, 0, 5)


@pytest.mark.django_db
def test_a_cycle_is_refused_naming_its_rows():
    """Two agencies made each other's parent: refused, nothing moves."""
    import_city()
    rows = [list(r) for r in CITY_ROWS]
    rows[0][4] = "330101001"  # 上城区 under its own 教育局 (row 6 is under row 2)
    with pytest.raises(ImportInvalid) as caught:
        import_city(rows=rows)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "上级机构代码", str(agency_module.PARENT_CYCLE % {"rows": "2、6"}))
    ]
    assert Agency.objects.get(code="330101000").parent.code == "330100000"


@pytest.mark.django_db
def test_index_numbers_keep_their_code_across_a_reimport(matrix):
    """Renaming an agency by re-import keeps its code, so its next index number
    starts as before."""
    from requests_.services.disclosures import next_index_no

    rows = [["310101000", "黄浦区人民政府", "黄浦", "区政府", "310000000", "", "", ""]]
    first = next_index_no(matrix.agency_a, 2026)
    import_city(rows=rows)
    agency = Agency.objects.get(pk=matrix.agency_a.pk)
    assert agency.name == "黄浦区人民政府"
    assert first.startswith("310101000/2026-")
    assert next_index_no(agency, 2026).startswith("310101000/2026-")


@pytest.mark.django_db
def test_a_district_coordinator_changes_only_their_subtree(matrix):
    """A coordinator of 黄浦区 may add a unit below it, not rename 徐汇区."""
    coordinator = UserFactory(username="hp-coord")
    MembershipFactory(user=coordinator, agency=matrix.agency_a, role=Role.COORDINATOR)
    rows = [
        ["310101020", "黄浦区卫健委", "", "下属单位", "310101000", "", "", ""],
        ["310104000", "徐汇区（改名）", "", "区政府", "310000000", "", "", ""],
    ]
    with pytest.raises(ImportInvalid) as caught:
        import_city(actor=coordinator, rows=rows)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "机构代码")]
    assert not Agency.objects.filter(code="310101020").exists()
    result = import_city(actor=coordinator, rows=rows[:1])
    assert [a.code for a in result.created] == ["310101020"]


@pytest.mark.django_db
def test_the_import_agencies_command_and_its_template(tmp_path: Path, capsys):
    """The command imports a file; --template writes a header row and a second
    sheet explaining every column; a bad file fails naming the row."""
    template = tmp_path / "t.xlsx"
    call_command("import_agencies", "--template", str(template))
    workbook = load_workbook(template)
    first, help_sheet = workbook.worksheets
    assert [c.value for c in first[1]] == AGENCY_HEADER
    assert first.max_row == 1
    explained = [row[0].value for row in help_sheet.iter_rows(min_row=2, max_row=9)]
    assert explained == AGENCY_HEADER
    path = tmp_path / "agencies.xlsx"
    path.write_bytes(xlsx(AGENCY_HEADER, CITY_ROWS))
    call_command("import_agencies", str(path))
    assert Agency.objects.count() == 5
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv(AGENCY_HEADER[:5], [["330103000", "", "", "区政府", "330100000"]])
    )
    with pytest.raises(CommandError):
        call_command("import_agencies", str(bad))
    assert "第 2 行，名称 列" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_upload_door_refuses_a_file_that_is_not_a_table():
    """A PDF named .xlsx is refused by portal.uploads, nothing changes."""
    from portal.uploads import UploadRefused

    with pytest.raises(UploadRefused):
        agencies_import(actor=None, data=b"%PDF-1.4\n", filename="a.xlsx")
    with pytest.raises(ImportInvalid) as caught:
        agencies_import(actor=None, data=csv(["名称"], [["x"]]), filename="a.csv")
    assert caught.value.errors[0].row == 1
    assert "机构代码" in caught.value.errors[0].message


# --- staff ----------------------------------------------------------------------------


def staff_rows():
    return [
        ["lihua", "李华", "lihua@hz.gov.cn", "330101000", "编辑、审核人"],
        ["wangfang", "王芳", "wangfang@hz.gov.cn", "330100000", "coordinator"],
        ["LiHua", "", "", "330102000", "editor"],
    ]


def import_people(rows, actor=None, **kwargs):
    return staff_import(
        actor=actor, data=xlsx(STAFF_HEADER, rows), filename="staff.xlsx", **kwargs
    )


@pytest.mark.django_db
def test_staff_import_creates_people_without_passwords_and_grants_roles():
    """Two people, four roles (one person at two agencies, two roles in one cell);
    no password is usable; every grant is audited."""
    import_city()
    result = import_people(staff_rows())
    assert [u.username for u in result.created] == ["lihua", "wangfang"]
    lihua = get_user_model().objects.get(username="lihua")
    assert not lihua.has_usable_password()
    assert lihua.first_name == "李华"
    assert lihua.email == "lihua@hz.gov.cn"
    assert set(
        Membership.objects.filter(user=lihua).values_list("agency__code", "role")
    ) == {
        ("330101000", Role.EDITOR),
        ("330101000", Role.REVIEWER),
        ("330102000", Role.EDITOR),
    }
    assert events("membership.grant") == 4
    assert events("user.create") == 2


@pytest.mark.django_db
def test_staff_errors_in_the_last_row_import_nobody():
    """An unknown agency and role in the last row: no user, no role created."""
    import_city()
    rows = [*staff_rows(), ["zhaolei", "赵磊", "not-an-email", "339999999", "局长"]]
    with pytest.raises(ImportInvalid) as caught:
        import_people(rows)
    assert [str(e) for e in caught.value.errors] == [
        "第 5 行，电子邮箱 列："
        + str(staff_module.BAD_EMAIL % {"value": "not-an-email"}),
        "第 5 行，机构代码 列："
        + str(staff_module.UNKNOWN_AGENCY % {"value": "339999999"}),
        "第 5 行，角色 列：" + str(staff_module.UNKNOWN_ROLE % {"value": "局长"}),
    ]
    assert get_user_model().objects.count() == 0
    assert Membership.objects.count() == 0


@pytest.mark.django_db
def test_staff_reimport_updates_in_place_and_ends_missing_roles_only_when_asked():
    """A second file changes a name; without --end-missing nothing is revoked; with
    it the roles no longer listed at the file's agencies end (audited) and the
    person stays."""
    import_city()
    import_people(staff_rows())
    lihua = get_user_model().objects.get(username="lihua")
    rows = [
        ["lihua", "李华（信息科）", "lihua@hz.gov.cn", "330101000", "编辑"],
        ["wangfang", "王芳", "wangfang@hz.gov.cn", "330100000", "coordinator"],
    ]
    result = import_people(rows)
    assert [u.username for u in result.updated] == ["lihua"]
    assert result.ended == []
    assert Membership.objects.filter(user=lihua).count() == 3
    assert AuditEvent.objects.get(verb="user.update").after == {
        "full_name": "李华（信息科）"
    }
    result = import_people(rows, end_missing=True)
    # 330102000 is not in the second file: its role stays; the reviewer role at
    # 330101000 is no longer listed and ends.
    assert set(
        Membership.objects.filter(user=lihua).values_list("agency__code", "role")
    ) == {("330101000", Role.EDITOR), ("330102000", Role.EDITOR)}
    assert len(result.ended) == 1
    revoke = AuditEvent.objects.get(verb="membership.revoke")
    assert revoke.before == {"user": "lihua", "role": Role.REVIEWER}
    assert revoke.note == staff_module.ENDED_NOTE
    assert get_user_model().objects.filter(username="lihua").exists()
    assert get_user_model().objects.get(pk=lihua.pk).first_name == "李华（信息科）"


@pytest.mark.django_db
def test_import_staff_command_sends_password_links_through_django_reset(tmp_path):
    """--send-password-links mails each new account one link; the link opens the
    set-password page, and a password set there works."""
    import_city()
    path = tmp_path / "staff.xlsx"
    path.write_bytes(xlsx(STAFF_HEADER, staff_rows()))
    call_command(
        "import_staff",
        str(path),
        "--send-password-links",
        "--site-url",
        "https://gk.example.gov.cn",
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lihua@hz.gov.cn",
        "wangfang@hz.gov.cn",
    ]
    body = next(m.body for m in mail.outbox if m.to == ["lihua@hz.gov.cn"])
    link = next(w for w in body.split() if w.startswith("https://gk.example.gov.cn/"))
    from django.test import Client

    client = Client()
    response = client.get(link.removeprefix("https://gk.example.gov.cn"), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Xihu-lake-2026!", "new_password2": "Xihu-lake-2026!"},
    )
    assert response.status_code == 302
    assert (
        get_user_model().objects.get(username="lihua").check_password("Xihu-lake-2026!")
    )
    mail.outbox.clear()
    call_command("import_staff", str(path))
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_coordinator_cannot_import_themselves_or_outside_their_subtree(matrix):
    """Rows for the importing coordinator or for agencies outside their subtree are
    errors naming the row; an editor may not import at all."""
    coordinator = UserFactory(username="hp-coord")
    MembershipFactory(user=coordinator, agency=matrix.agency_a, role=Role.COORDINATOR)
    rows = [
        ["hp-coord", "", "", "310101000", "editor"],
        ["newbie", "", "", "310104000", "editor"],
    ]
    with pytest.raises(ImportInvalid) as caught:
        import_people(rows, actor=coordinator)
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, "用户名"),
        (3, "机构代码"),
    ]
    with pytest.raises(PermissionDenied):
        import_people(rows[1:], actor=matrix.user("editor_a"))


# --- the pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_uploads_agencies_and_staff_through_the_pages(matrix):
    """The agency list links both pages; a good upload changes the database and
    redirects; a bad one re-renders with 400 and the row/column errors."""
    client = matrix.client("coordinator")
    page = client.get(reverse("workspace:agency_list")).content.decode()
    assert reverse("workspace:agency_import") in page
    assert reverse("workspace:staff_import") in page
    rows = [["310101030", "黄浦区档案馆", "", "下属单位", "310101000", "", "", ""]]
    upload = SimpleUploadedFile("a.xlsx", xlsx(AGENCY_HEADER, rows))
    response = client.post(reverse("workspace:agency_import"), {"file": upload})
    assert response.status_code == 302
    assert Agency.objects.get(code="310101030").parent == matrix.agency_a
    bad = [["310101031", "黄浦区某馆", "", "科室", "310101000", "", "", ""]]
    upload = SimpleUploadedFile("b.xlsx", xlsx(AGENCY_HEADER, bad))
    response = client.post(reverse("workspace:agency_import"), {"file": upload})
    assert response.status_code == 400
    assert "第 2 行，类型 列" in response.content.decode()
    assert not Agency.objects.filter(code="310101031").exists()

    people = [["zhou", "周", "zhou@example.gov.cn", "310101030", "编辑"]]
    upload = SimpleUploadedFile("s.csv", csv(STAFF_HEADER, people))
    response = client.post(
        reverse("workspace:staff_import"),
        {"file": upload, "send_password_links": "on"},
    )
    assert response.status_code == 302
    zhou = get_user_model().objects.get(username="zhou")
    assert Membership.objects.filter(user=zhou, role=Role.EDITOR).count() == 1
    assert [m.to for m in mail.outbox] == [["zhou@example.gov.cn"]]
    assert "http://testserver/accounts/password/set/" in mail.outbox[0].body

    template = client.get(reverse("workspace:agency_import_template"))
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == AGENCY_HEADER


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "workspace:agency_import",
        "workspace:staff_import",
        "workspace:agency_import_template",
        "workspace:staff_import_template",
    ],
)
def test_an_editor_gets_403_on_the_import_pages(matrix, name):
    """Editors and reviewers may not load agencies or staff: 403, nothing changes."""
    client = matrix.client("editor_a")
    assert client.get(reverse(name)).status_code == 403
    if not name.endswith("template"):
        upload = SimpleUploadedFile(
            "a.csv",
            csv(AGENCY_HEADER[:5], [["310101099", "x", "", "下属单位", "310101000"]]),
        )
        assert client.post(reverse(name), {"file": upload}).status_code == 403
    assert not Agency.objects.filter(code="310101099").exists()


def test_headers_are_matched_by_their_written_names():
    """English keys, the template's headers and the aliases all name a column."""
    columns = agency_module.COLUMNS
    assert common._header_key("机构代码", columns) == "code"
    assert common._header_key("Short_Name", columns) == "short_name"
    assert common._header_key("上级 代码", columns) == "parent"
    assert common._header_key("备注", columns) is None
