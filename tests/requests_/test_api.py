"""Every API endpoint of the app at least once, through the real client."""

from __future__ import annotations

import datetime as dt

import pytest

from requests_.models import Disclosure, DisclosureRequest
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db
API = "/api/v1/requests"
STAFF = "/api/v1/staff/disclosures"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def editor(matrix):
    return matrix.client("editor_a")


@pytest.fixture
def reviewer(matrix):
    return matrix.client("reviewer_a")


def _create(editor, received_on="2025-09-26"):
    payload = {
        "agency": "310101000",
        "channel": "post",
        "received_on": received_on,
        "title": "2024年度老旧小区综合改造项目资金安排情况",
        "description": "申请获取资金安排。",
        **fx.applicant(),
    }
    response = _post(editor, f"{API}/create/", payload)
    assert response.status_code == 201, response.content
    return response.json()


def test_create_returns_deadlines_with_explanations_and_the_secret_once(editor):
    """Create answers 201 with both deadlines explained and the status secret."""
    body = _create(editor)
    assert body["status"] == "received"
    keys = {row["key"] for row in body["deadlines"]}
    assert keys == {"correction_notice", "reply"}
    reply = next(row for row in body["deadlines"] if row["key"] == "reply")
    assert reply["due"] == "2025-10-30"
    assert "国庆节" in reply["explanation"]
    assert reply["detail"]["makeup_workdays"]
    assert body["status_secret"]
    assert body["applicant"]["applicant_name"] == fx.APPLICANT_NAME
    detail = editor.get(f"{API}/{body['id']}/").json()
    assert "status_secret" not in detail


def test_list_filters_by_status_and_due(editor):
    """The list API filters like the workspace list."""
    body = _create(editor)
    rows = editor.get(f"{API}/?status=received").json()
    assert [row["id"] for row in rows] == [body["id"]]
    assert editor.get(f"{API}/?due=overdue").json()[0]["id"] == body["id"]
    assert editor.get(f"{API}/?status=closed").json() == []


def test_validation_errors_use_the_one_error_shape(editor):
    """Bad input answers 400 with {"error": {code, message, fields}}."""
    response = _post(editor, f"{API}/create/", {"agency": "310101000"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "title" in error["fields"]
    body = _create(editor)
    response = _post(editor, f"{API}/{body['id']}/close/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_correction_flow_endpoints(editor):
    """request-correction → receive-correction → pause → resume → reply → close."""
    rid = _create(editor)["id"]
    r = _post(
        editor,
        f"{API}/{rid}/request-correction/",
        {"notice": "请补充", "on": "2025-09-30"},
    )
    assert r.json()["status"] == "correction_requested"
    r = _post(
        editor, f"{API}/{rid}/receive-correction/", {"text": "补充", "on": "2025-10-15"}
    )
    assert r.json()["deadlines"][0]["due"] == "2025-11-12"
    r = _post(
        editor,
        f"{API}/{rid}/pause/",
        {"kind": "third_party", "party": "某建设公司", "on": "2025-10-20"},
    )
    assert r.json()["status"] == "consulting"
    r = _post(editor, f"{API}/{rid}/resume/", {"on": "2025-10-27"})
    assert r.json()["status"] == "in_progress"
    r = _post(
        editor,
        f"{API}/{rid}/reply/",
        {
            "outcome": "withheld.third_party",
            "reply_text": "涉及商业秘密",
            "replied_on": "2025-11-05",
        },
    )
    assert r.json()["exemption_code"] == "third_party"
    assert r.json()["outcome_label"] == "（三）不予公开 4.保护第三方合法权益"
    r = _post(editor, f"{API}/{rid}/close/", {"on": "2025-11-06"})
    assert r.json()["status"] == "closed"


def test_accept_extend_withdraw_endpoints(matrix, editor, reviewer):
    """accept by the editor, extend by the reviewer, withdraw by the editor."""
    rid = _create(editor)["id"]
    assert _post(editor, f"{API}/{rid}/accept/").json()["status"] == "in_progress"
    r = _post(
        reviewer,
        f"{API}/{rid}/extend/",
        {
            "days": 10,
            "reason": "需调档",
            "applicant_notice": "延长10个工作日",
            "notified_on": "2025-10-21",
            "notice_channel": "sms",
            "on": "2025-10-20",
        },
    )
    assert r.status_code == 200
    assert r.json()["extension_days"] == 10
    assert _post(editor, f"{API}/{rid}/withdraw/").json()["status"] == "withdrawn"


def test_lapse_endpoint(editor):
    """lapse after the applicant's correction deadline."""
    rid = _create(editor)["id"]
    _post(
        editor,
        f"{API}/{rid}/request-correction/",
        {"notice": "请补充", "on": "2025-09-30", "reply_by": "2025-10-20"},
    )
    r = _post(editor, f"{API}/{rid}/lapse/", {"on": "2025-10-27"})
    assert r.json()["status"] == "lapsed"


def test_reply_with_letter_conversion_and_appeals_endpoints(editor):
    """reply (multipart with PDF), conversion, appeals, appeal decision."""
    rid = _create(editor)["id"]
    r = editor.post(
        f"{API}/{rid}/reply/",
        {
            "outcome": "disclosed",
            "reply_text": "现提供给您",
            "replied_on": "2025-10-20",
            "reply_letter": fx.pdf_upload("letter", "reply.pdf"),
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["has_reply_letter"]
    r = _post(
        editor, f"{API}/{rid}/conversion/", {"decision": "convert", "topic": "1001"}
    )
    assert r.json()["conversion_decision"] == "convert"
    assert r.json()["disclosure"].startswith("310101000/")
    r = _post(
        editor, f"{API}/{rid}/appeals/", {"kind": "review", "filed_on": "2025-11-01"}
    )
    appeal_id = r.json()["appeals"][0]["id"]
    r = _post(
        editor,
        f"{API}/{rid}/appeals/{appeal_id}/decide/",
        {"result": "upheld", "decided_on": "2025-12-01"},
    )
    assert r.json()["appeals"][0]["result"] == "upheld"


def test_reply_citing_unknown_entry_is_refused(editor):
    """A negative-list entry id that does not exist answers 400 naming the field."""
    rid = _create(editor)["id"]
    r = _post(
        editor,
        f"{API}/{rid}/reply/",
        {
            "outcome": "withheld.third_party",
            "reply_text": "x",
            "negative_list_entry": 99999,
        },
    )
    assert r.status_code == 400
    assert "negative_list_entry" in r.json()["error"]["fields"]


def test_disclosure_staff_endpoints(matrix, editor, reviewer):
    """list, detail, update, attachments, submit, return, approve, withdraw."""
    draft = fx.converted_draft(matrix.user("editor_a"), matrix.agency_a)
    url = f"{STAFF}/{draft.pk}"
    assert editor.get(f"{STAFF}/").json()[0]["index_no"] == draft.index_no
    r = _post(
        editor, f"{url}/update/", {"body": "联系电话13812345678", "topic": "1001"}
    )
    assert r.status_code == 200
    assert r.json()["screening"][0]["kind"] == "mobile"
    assert r.json()["screening"][0]["context"]["match"] == "13812345678"
    r = editor.post(f"{url}/attachments/", {"file": fx.pdf_upload("Annex")})
    assert r.status_code == 201
    assert r.json()["attachments"][0]["name"] == "附件.pdf"
    assert _post(editor, f"{url}/submit/").json()["status"] == "submitted"
    assert (
        _post(reviewer, f"{url}/return/", {"reason": "请补充"}).json()["status"]
        == "draft"
    )
    _post(editor, f"{url}/submit/")
    r = _post(reviewer, f"{url}/approve/")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "screen_unresolved"
    hit = editor.get(f"{url}/").json()["screening"][0]["id"]
    # The editor masks: masking is an edit, and four eyes leaves the approval to
    # a reviewer who made none.
    r = _post(editor, f"{url}/hits/{hit}/mask/")
    assert r.json()["screening"] == []
    r = _post(reviewer, f"{url}/approve/")
    assert r.json()["status"] == "published"
    assert r.json()["is_public"]
    r = _post(reviewer, f"{url}/withdraw/", {"reason": "已失效"})
    assert r.json()["status"] == "withdrawn"


def test_hit_accept_endpoint(matrix, reviewer):
    """accept keeps a hit with the reviewer's reason."""
    draft = fx.submitted(
        matrix.user("editor_a"), matrix.agency_a, body="办公电话021-63281234"
    )
    hit = draft.screening_hits.get()
    r = _post(
        reviewer,
        f"{STAFF}/{draft.pk}/hits/{hit.pk}/accept/",
        {"reason": "单位公开办公电话"},
    )
    assert r.json()["screening"][0]["status"] == "accepted"


def test_public_disclosure_endpoint(matrix, client):
    """Anyone reads the metadata; a withdrawn item answers 410 with its reason."""
    from requests_ import services

    disclosure = fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )
    body = client.get(f"/api/v1/disclosures/{disclosure.index_no}/").json()
    assert body["index_no"] == disclosure.index_no
    assert body["agency"]["code"] == "310101000"
    assert body["topic"]["code"]
    assert client.get("/api/v1/disclosures/310101000/2099-99999/").status_code == 404
    services.disclosure_withdraw(
        actor=matrix.user("coordinator"), disclosure=disclosure, reason="已失效"
    )
    response = client.get(f"/api/v1/disclosures/{disclosure.index_no}/")
    assert response.status_code == 410
    assert response.json()["withdrawn_reason"] == "已失效"


def test_api_created_objects_exist(editor):
    """Sanity: the API wrote through the services (one request, one event)."""
    _create(editor, received_on=(dt.date.today() - dt.timedelta(days=1)).isoformat())
    assert DisclosureRequest.objects.count() == 1
    assert not Disclosure.objects.exists()
