"""Every API endpoint through the real client: shapes, auth (session and token),
and the one error shape."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from negative_list import services
from negative_list.models import Entry, Provision
from tests.negative_list import factories

pytestmark = pytest.mark.django_db

A = "/api/v1/negative-lists/"


def entry_payload(**overrides: object) -> dict:
    payload = {
        "agency": "310101000",
        "category": "process_info",
        "title": "区政府常务会议讨论记录",
        "scope": "区政府常务会议、专题会议的讨论记录和会议纪要中尚未形成决定的内容",
        "provisions": [factories.provision().pk],
        "responsible_unit": "区政府办公室",
    }
    payload.update(overrides)
    return payload


def test_public_index_exemptions_and_provisions(matrix, published, anon_client):
    index = anon_client.get(A).json()
    assert index[0]["agency"] == "310101000"
    assert index[0]["entry_count"] == 2
    exemptions = anon_client.get(f"{A}exemptions/").json()
    assert exemptions[0] == {
        "code": "state_secret",
        "name": "国家秘密",
        "short_name": "国家秘密",
        "article": "第十四条",
        "binding": True,
    }
    provisions = anon_client.get(f"{A}provisions/").json()
    repealed = [p for p in provisions if p["repealed"]]
    assert repealed
    assert all("2007" in p["law"] for p in repealed)


def test_public_current_list_and_versions(matrix, published, anon_client):
    current = anon_client.get(f"{A}agencies/310101000/").json()
    assert current["number"] == 1
    assert [i["title"] for i in current["items"]] == [
        "区政府常务会议讨论记录",
        "纳税人涉税保密信息",
    ]
    assert set(current["interpretation"]) == {
        "review_basis",
        "adjustment_standards",
        "operating_procedure",
    }
    versions = anon_client.get(f"{A}agencies/310101000/versions/").json()
    assert [v["number"] for v in versions] == [1]


def test_agency_without_list_answers_in_the_error_shape(matrix, anon_client):
    response = anon_client.get(f"{A}agencies/310104000/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_public_diff(matrix, published, editor, reviewer, anon_client):
    factories.approved(editor, reviewer, matrix.agency_a, **factories.letters_wording())
    services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    body = anon_client.get(f"{A}agencies/310101000/diff/?from=1&to=2").json()
    assert [i["title"] for i in body["added"]] == ["请示报告与磋商信函"]
    assert body["unchanged"] == 2
    bad = anon_client.get(f"{A}agencies/310101000/diff/?from=x&to=2")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"


def test_create_update_submit_return_amend_through_the_api(matrix):
    """An editor drafts and submits; the reviewer returns; publish; editor amends."""
    editor_client = matrix.client("editor_a")
    created = editor_client.post(
        f"{A}entries/create/", entry_payload(), content_type="application/json"
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["checks"] == []
    updated = editor_client.post(
        f"{A}entries/{entry_id}/update/",
        entry_payload(scope="其他不宜公开的信息"),
        content_type="application/json",
    )
    assert {c["code"] for c in updated.json()["checks"]} == {
        "vague_wording",
        "scope_too_short",
    }
    assert (
        editor_client.post(f"{A}entries/{entry_id}/submit/").json()["status"]
        == "submitted"
    )
    reviewer_client = matrix.client("reviewer_a")
    returned = reviewer_client.post(
        f"{A}entries/{entry_id}/return/", {"reason": "兜底表述，请具体列明"}
    )
    assert returned.json()["status"] == "draft"
    assert returned.json()["version"]["return_reason"] == "兜底表述，请具体列明"
    editor_client.post(
        f"{A}entries/{entry_id}/update/",
        entry_payload(),
        content_type="application/json",
    )
    editor_client.post(f"{A}entries/{entry_id}/submit/")
    assert (
        reviewer_client.post(f"{A}entries/{entry_id}/approve/").json()["status"]
        == "approved"
    )
    reviewer_client.post(f"{A}agencies/310101000/publish/", {"note": "首次发布"})
    amended = editor_client.post(
        f"{A}entries/{entry_id}/amend/", {"change_note": "收窄"}
    )
    assert amended.json()["status"] == "draft"
    assert amended.json()["version"]["number"] == 2


def test_return_without_reason_names_the_field(matrix, editor):
    entry = factories.submitted(editor, matrix.agency_a)
    response = matrix.client("reviewer_a").post(f"{A}entries/{entry.pk}/return/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]


def test_four_eyes_answers_403_with_its_code(matrix, editor):
    superuser_entry = factories.submitted(matrix.user("superuser"), matrix.agency_a)
    response = matrix.client("superuser").post(
        f"{A}entries/{superuser_entry.pk}/approve/"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "four_eyes"


def test_invalid_transition_answers_409(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a)
    response = matrix.client("reviewer_a").post(f"{A}entries/{entry.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_token_authentication(matrix, editor):
    token = Token.objects.create(user=editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(f"{A}entries/create/", entry_payload(), format="json")
    assert response.status_code == 201
    assert Entry.objects.get(pk=response.json()["id"]).created_by == editor


def test_interpretation_update(matrix):
    response = matrix.client("editor_a").post(
        f"{A}agencies/310101000/interpretation/update/",
        {
            "review_basis": "<p>依据<script>x</script></p>",
            "adjustment_standards": "",
            "operating_procedure": "",
        },
    )
    assert response.status_code == 200
    assert response.json()["review_basis"] == "<p>依据</p>"


def test_import_endpoint_all_or_nothing(matrix):
    workbook = Workbook()
    workbook.active.append(
        ["序号", "类别", "事项名称", "具体范围", "不予公开的法律政策依据", "说明"]
    )
    workbook.active.append(
        [
            "1",
            "过程性信息",
            "会议记录",
            "",
            "《中华人民共和国政府信息公开条例》第十六条第二款",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "list.xlsx"
    response = matrix.client("editor_a").post(
        f"{A}agencies/310101000/import/", {"file": buffer}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "import_invalid"
    assert response.json()["error"]["fields"]["file"] == [
        "第 2 行，具体范围 列：不能为空。"
    ]
    assert Entry.objects.count() == 0


def test_provision_create_is_for_coordinators(matrix):
    payload = {
        "law": "《中华人民共和国档案法》",
        "article": "第二十八条",
        "exemptions": ["law_prohibited"],
    }
    assert (
        matrix.client("editor_a").post(f"{A}provisions/create/", payload).status_code
        == 403
    )
    response = matrix.client("coordinator").post(f"{A}provisions/create/", payload)
    assert response.status_code == 201
    assert Provision.objects.get(law="《中华人民共和国档案法》").exemptions.count() == 1


def test_cycle_list_detail_task_and_close(matrix, published):
    coordinator = matrix.client("coordinator")
    opened = coordinator.post(
        f"{A}cycles/open/",
        {
            "title": "年度评审",
            "agency": "310101000",
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        },
    ).json()
    assert [c["id"] for c in coordinator.get(f"{A}cycles/").json()] == [opened["id"]]
    detail = matrix.client("reviewer_a").get(f"{A}cycles/{opened['id']}/").json()
    assert len(detail["tasks"]) == 2
    reviewer = matrix.client("reviewer_a")
    for task in detail["tasks"]:
        assert reviewer.get(f"{A}tasks/{task['id']}/").json()["status"] == "open"
        reviewer.post(
            f"{A}tasks/{task['id']}/record/",
            {"legality": "pass", "conciseness": "pass", "decision": "retain"},
        )
    assert (
        matrix.client("editor_b").get(f"{A}cycles/{opened['id']}/").status_code == 404
    )
    closed = coordinator.post(f"{A}cycles/{opened['id']}/close/")
    assert closed.status_code == 200
    assert closed.json()["versions"][0]["number"] == 2


def test_provision_update_marks_a_provision_repealed(matrix):
    provision = factories.provision("《中华人民共和国个人信息保护法》", "第三十四条")
    payload = {
        "law": provision.law,
        "article": provision.article,
        "repealed_on": "2030-01-01",
        "exemptions": ["third_party"],
    }
    url = f"{A}provisions/{provision.pk}/update/"
    assert matrix.client("reviewer_a").post(url, payload).status_code == 403
    response = matrix.client("coordinator").post(url, payload)
    assert response.status_code == 200
    assert response.json()["repealed_on"] == "2030-01-01"


def test_interpretation_draft_is_for_staff_of_the_agency(matrix, editor):
    services.interpretation_update(
        actor=editor,
        agency=matrix.agency_a,
        review_basis="<p>草稿解读</p>",
        adjustment_standards="",
        operating_procedure="",
    )
    url = f"{A}agencies/310101000/interpretation/"
    assert (
        matrix.client("editor_a").get(url).json()["review_basis"] == "<p>草稿解读</p>"
    )
    assert matrix.client("editor_b").get(url).status_code == 404
    assert matrix.client("anonymous").get(url).status_code == 403
    empty = matrix.client("coordinator").get(f"{A}agencies/310104000/interpretation/")
    assert empty.json()["review_basis"] == ""
