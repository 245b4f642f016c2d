"""The statutory rules through the staff pages: each refusal is shown on the
request's page with the rule, each allowed step lands in the record."""

from __future__ import annotations

import pytest

from requests_ import services
from requests_.models import DisclosureRequest
from tests.requests_ import factories as fx
from tests.requests_ import statutory
from tests.requests_.statutory import D

pytestmark = pytest.mark.django_db

clock_at = statutory.clock_at
W = "/workspace/requests"


def _received(matrix):
    """Received Fri 26 Sep 2025: correction notice by 13 Oct, reply by 30 Oct."""
    request, _ = fx.register(
        matrix.user("editor_a"), matrix.agency_a, received_on=D(2025, 9, 26)
    )
    return request


def test_late_correction_notice_is_refused_on_the_page(matrix):
    editor = matrix.client("editor_a")
    request = _received(matrix)
    response = editor.post(
        f"{W}/{request.pk}/request_correction/",
        {"notice": "请补充", "on": "2025-10-14"},
    )
    assert response.status_code == 400
    assert "第三十条" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "received"


def test_extension_page_records_how_the_applicant_was_told(matrix):
    """The reviewer's form on 30 Oct 2025 extends to 27 Nov and shows the notice;
    on 31 Oct the page says the term has run out."""
    request = _received(matrix)
    reviewer = matrix.client("reviewer_a")
    data = {
        "days": 20,
        "reason": "需调取档案",
        "applicant_notice": "答复期限延长20个工作日。",
        "notice_channel": "sms",
    }
    late = reviewer.post(
        f"{W}/{request.pk}/extend/",
        {**data, "on": "2025-10-31", "notified_on": "2025-10-31"},
    )
    assert late.status_code == 400
    assert "第三十三条" in late.content.decode()
    reviewer.post(
        f"{W}/{request.pk}/extend/",
        {**data, "on": "2025-10-30", "notified_on": "2025-10-30"},
    )
    request.refresh_from_db()
    assert (request.reply_due_on, request.extension_notice_channel) == (
        D(2025, 11, 27),
        "sms",
    )
    page = reviewer.get(f"{W}/{request.pk}/").content.decode()
    assert "已于 2025年10月30日 以短信告知申请人。" in page


def test_consultation_page_shows_the_party_and_its_term(matrix):
    request = _received(matrix)
    editor = matrix.client("editor_a")
    editor.post(
        f"{W}/{request.pk}/pause/",
        {"kind": "third_party", "party": "上海某建设有限公司", "on": "2025-10-09"},
    )
    page = editor.get(f"{W}/{request.pk}/").content.decode()
    assert "上海某建设有限公司 · 2025年10月9日 发出，2025年10月29日 届满" in page
    editor.post(f"{W}/{request.pk}/run_out/", {"on": "2025-10-30"})
    request.refresh_from_db()
    assert request.consultation_result == "no_answer"
    assert request.reply_due_on == D(2025, 11, 20)


def test_confirm_and_withdraw_pages_take_the_dates_as_they_happened(matrix, clock_at):
    clock_at(D(2025, 9, 30))
    online = services.request_submit_online(
        agency=matrix.agency_a,
        title="某文件",
        description="申请某文件",
        **fx.applicant(),
    ).request
    clock_at(D(2025, 10, 10))
    editor = matrix.client("editor_a")
    page = editor.get(f"{W}/{online.pk}/").content.decode()
    assert f"{W}/{online.pk}/confirm/" in page
    editor.post(f"{W}/{online.pk}/confirm/", {"on": "2025-10-09"})
    online.refresh_from_db()
    assert (online.received_on, online.reply_due_on) == (
        D(2025, 10, 9),
        D(2025, 11, 5),
    )
    editor.post(f"{W}/{online.pk}/withdraw/", {"on": "2025-10-10"})
    withdrawn = DisclosureRequest.objects.get(pk=online.pk)
    assert (withdrawn.status, withdrawn.withdrawn_on) == ("withdrawn", D(2025, 10, 10))
