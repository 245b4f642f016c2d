"""Workspace pages through the client: lists, detail, action forms, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from requests_ import services
from requests_.models import DisclosureRequest
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def test_register_page_creates_request_and_shows_link_once(matrix):
    """The staff form registers a request and shows the applicant's link once."""
    client = matrix.client("editor_a")
    assert client.get("/workspace/requests/new/").status_code == 200
    data = {
        "agency": matrix.agency_a.pk,
        "channel": "in_person",
        "received_on": "2025-10-09",
        "title": "某文件",
        "description": "申请某文件",
        "form_wanted": "paper",
        **fx.applicant(),
    }
    response = client.post("/workspace/requests/new/", data, follow=True)
    request = DisclosureRequest.objects.get()
    page = response.content.decode()
    assert f"/requests/track/{request.tracking_code}/" in page
    again = client.get(f"/workspace/requests/{request.pk}/").content.decode()
    assert f"/requests/track/{request.tracking_code}/" not in again


def test_register_page_refused_to_non_editors(matrix):
    """A reviewer has no agency to register for."""
    assert (
        matrix.client("reviewer_a").get("/workspace/requests/new/").status_code == 403
    )


def test_detail_shows_deadlines_with_explanations_and_actions(matrix):
    """The detail page explains each deadline and offers the allowed actions."""
    request, _ = fx.register(
        matrix.user("editor_a"), matrix.agency_a, received_on=dt.date(2025, 9, 26)
    )
    page = (
        matrix.client("editor_a")
        .get(f"/workspace/requests/{request.pk}/")
        .content.decode()
    )
    assert "2025年10月30日" in page
    assert "国庆节" in page
    assert f"/workspace/requests/{request.pk}/request_correction/" in page
    assert "操作记录" in page


def test_action_forms_post_through_services(matrix):
    """Posting the correction form changes the state; a bad form shows an error."""
    editor = matrix.client("editor_a")
    request, _ = fx.register(
        matrix.user("editor_a"), matrix.agency_a, received_on=dt.date(2025, 9, 26)
    )
    response = editor.post(
        f"/workspace/requests/{request.pk}/request_correction/",
        {"notice": "", "on": "2025-09-30"},
        follow=True,
    )
    assert "补正告知内容" in response.content.decode()
    editor.post(
        f"/workspace/requests/{request.pk}/request_correction/",
        {"notice": "请补充", "on": "2025-09-30"},
    )
    request.refresh_from_db()
    assert request.status == "correction_requested"
    assert editor.post(f"/workspace/requests/{request.pk}/nonsense/").status_code == 404


def test_reply_conversion_and_disclosure_pages(matrix):
    """Reply, decide to convert (landing on the draft), edit, submit, approve."""
    editor, reviewer = matrix.client("editor_a"), matrix.client("reviewer_a")
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    editor.post(
        f"/workspace/requests/{request.pk}/reply/",
        {"outcome": "disclosed", "reply_text": "现提供给您"},
    )
    response = editor.post(
        f"/workspace/requests/{request.pk}/conversion/",
        {"decision": "convert", "title": "资金安排", "topic": fx.topic().pk},
    )
    request.refresh_from_db()
    assert response.url == f"/workspace/disclosures/{request.disclosure_id}/"
    base = f"/workspace/disclosures/{request.disclosure_id}"
    assert editor.get(f"{base}/").status_code == 200
    editor.post(
        f"{base}/edit/",
        {"title": "资金安排", "topic": fx.topic().pk, "body": "手机13812345678"},
    )
    editor.post(f"{base}/attachments/", {"file": fx.pdf_upload("Annex")})
    editor.post(f"{base}/submit/")
    page = reviewer.get(f"{base}/").content.decode()
    assert "<mark>13812345678</mark>" in page
    assert '<td data-label="类型">手机号码</td>' in page  # the kind in words
    hit = request.disclosure.screening_hits.get()
    reviewer.post(f"{base}/screen/{hit.pk}/accept/", {"reason": "单位联系电话"})
    reviewer.post(f"{base}/approve/", {"publish_at": ""})
    request.disclosure.refresh_from_db()
    assert request.disclosure.status == "published"
    attachment = request.disclosure.attachments.get()
    download = editor.get(f"{base}/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    public = editor.get(
        f"/disclosures/{request.disclosure.index_no}/attachments/{attachment.pk}/"
    )
    assert public.status_code == 200
    assert "filename*=UTF-8''" in public["Content-Disposition"]


def test_public_disclosure_page_shows_metadata_panel(matrix, client):
    """索引号, 主题分类, 发布机构, 文号, 成文日期, 发布日期, 关键词 are shown."""
    disclosure = fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )
    page = client.get(f"/disclosures/{disclosure.index_no}/").content.decode()
    for label in (
        "索引号",
        "主题分类",
        "发布机构",
        "文号",
        "成文日期",
        "发布日期",
        "关键词",
    ):
        assert label in page
    assert disclosure.index_no in page
    assert matrix.agency_a.name in page


def test_dashboard_panels(matrix):
    """Overdue, due soon, corrections, conversions and approvals appear for staff."""
    editor = matrix.user("editor_a")
    fx.register(editor, matrix.agency_a, received_on=dt.date(2025, 9, 26))
    correcting, _ = fx.register(editor, matrix.agency_a)
    services.request_correction_request(
        actor=editor, request=correcting, notice="请补充"
    )
    fx.replied(editor, matrix.agency_a)
    fx.submitted(editor, matrix.agency_a)
    page = matrix.client("editor_a").get("/workspace/").content.decode()
    for title in (
        "已超期的申请",
        "即将到期的申请",
        "等待申请人补正",
        "待作转主动公开决定",
    ):
        assert title in page
    assert "超期" in page
    reviewer_page = matrix.client("reviewer_a").get("/workspace/").content.decode()
    assert "待我审核的主动公开信息" in reviewer_page
    assert "310101000/" in reviewer_page


def test_list_filters(matrix):
    """The list filters by status and by due state."""
    editor = matrix.user("editor_a")
    late, _ = fx.register(editor, matrix.agency_a, received_on=dt.date(2025, 9, 26))
    fresh, _ = fx.register(editor, matrix.agency_a, title="另一份文件")
    client = matrix.client("editor_a")
    page = client.get("/workspace/requests/?due=overdue").content.decode()
    assert late.tracking_code in page
    assert fresh.tracking_code not in page
    page = client.get("/workspace/requests/?status=closed").content.decode()
    assert late.tracking_code not in page
    assert client.get("/workspace/disclosures/?status=draft").status_code == 200


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("received", [1, 2, 3]), ("-received", [3, 2, 1]), ("", [3, 2, 1])],
)
def test_request_list_sorts_by_the_chosen_column(matrix, sort, expected):
    """The list orders by receipt date either way; the sort survives the filters."""
    editor = matrix.user("editor_a")
    days = {1: dt.date(2025, 9, 1), 2: dt.date(2025, 9, 10), 3: dt.date(2025, 9, 20)}
    codes = {}
    for n, day in days.items():
        request, _ = fx.register(editor, matrix.agency_a, received_on=day)
        codes[request.tracking_code] = n
    html = (
        matrix.client("editor_a")
        .get("/workspace/requests/", {"sort": sort, "status": ""})
        .content.decode()
    )
    positions = sorted((html.index(code), n) for code, n in codes.items())
    assert [n for _, n in positions] == expected
    state = "ascending" if sort == "received" else "descending"
    assert f'<th scope="col" class="sortable" aria-sort="{state}">' in html


def test_request_list_ignores_an_unknown_sort_key(matrix):
    """An unknown key (``applicant_name`` is no sortable column) leaves the
    default order: newest first.

    The applicants' names run against the dates, so a list that sorted by
    name would come out in the opposite order.
    """
    editor = matrix.user("editor_a")
    codes = {}
    for n, (day, name) in enumerate(
        [
            (dt.date(2025, 9, 1), "丙某"),
            (dt.date(2025, 9, 10), "乙某"),
            (dt.date(2025, 9, 20), "甲某"),
        ],
        start=1,
    ):
        request, _ = fx.register(
            editor, matrix.agency_a, received_on=day, applicant_name=name
        )
        codes[request.tracking_code] = n
    response = matrix.client("editor_a").get(
        "/workspace/requests/", {"sort": "applicant_name", "status": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    positions = sorted((html.index(code), n) for code, n in codes.items())
    assert [n for _, n in positions] == [3, 2, 1]
    assert '<th scope="col" class="sortable" aria-sort="descending">' in html
