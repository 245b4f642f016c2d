"""Request and disclosure pages say the next step and warn before a refusal (issue 15).

Through the real client: the request list searches by code, words and applicant
type within the viewer's scope and flags late and nearly due rows in words; the
conversion form marks which decision each field belongs to (the script hides the
rest) while the server validates the whole form; submitting a disclosure with an
open personal-data hit says which and what to do, and the page warns before
approval (the button disabled) until the hit is resolved; the request forms choose
the agency from the tree with a Chinese prompt.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from django.utils import timezone

from portal.forms import AGENCY_PROMPT
from requests_.models import ApplicantType, DisclosureRequest
from requests_.services.conversion import REASON_REQUIRED
from requests_.services.disclosures import SCREEN_UNRESOLVED
from tests.factories import AgencyFactory
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db

LIST = "/workspace/requests/"


def _agency_select(page: str) -> str:
    return re.search(r'<select name="agency".*?</select>', page, re.S).group(0)


def _codes(page: str) -> list[str]:
    return re.findall(r'href="/workspace/requests/\d+/">([^<]+)</a>', page)


def _row(page: str, code: str) -> str:
    return next(row for row in page.split("<tr") if f">{code}</a>" in row)


def test_request_list_search_by_code_finds_exactly_that_request(matrix):
    editor = matrix.user("editor_a")
    first, _ = fx.register(editor, matrix.agency_a)
    second, _ = fx.register(editor, matrix.agency_a)
    fx.register(editor, matrix.agency_a)
    client = matrix.client("editor_a")
    page = client.get(LIST, {"q": second.tracking_code}).content.decode()
    assert _codes(page) == [second.tracking_code]
    assert f'value="{second.tracking_code}"' in page  # the box keeps the query
    # Lower case and surrounding blanks find it too.
    page = client.get(LIST, {"q": f" {first.tracking_code.lower()} "}).content.decode()
    assert _codes(page) == [first.tracking_code]


def test_request_list_search_by_title_and_description_words(matrix):
    editor = matrix.user("editor_a")
    budget, _ = fx.register(editor, matrix.agency_a, title="2025年区级部门预算")
    plan, _ = fx.register(
        editor,
        matrix.agency_a,
        title="控制性详细规划",
        description="申请南京东路街道控制性详细规划调整的批复文件。",
    )
    client = matrix.client("editor_a")
    assert _codes(client.get(LIST, {"q": "部门预算"}).content.decode()) == [
        budget.tracking_code
    ]
    assert _codes(client.get(LIST, {"q": "南京东路街道"}).content.decode()) == [
        plan.tracking_code
    ]
    assert _codes(client.get(LIST, {"q": "进博会"}).content.decode()) == []


def test_request_list_filters_by_applicant_type(matrix):
    editor = matrix.user("editor_a")
    person, _ = fx.register(editor, matrix.agency_a)
    firm, _ = fx.register(
        editor,
        matrix.agency_a,
        **fx.applicant(
            applicant_type=ApplicantType.BUSINESS,
            applicant_name="上海某某贸易有限公司",
            applicant_id_number="",
        ),
    )
    client = matrix.client("editor_a")
    page = client.get(LIST, {"kind": ApplicantType.BUSINESS}).content.decode()
    assert _codes(page) == [firm.tracking_code]
    assert f'<option value="{ApplicantType.BUSINESS}" selected>' in page
    page = client.get(LIST, {"kind": ApplicantType.NATURAL_PERSON}).content.decode()
    assert _codes(page) == [person.tracking_code]


def test_request_list_search_stays_within_the_viewers_scope(matrix):
    """Another agency's editor finds nothing by a code they may not read."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    page = (
        matrix.client("editor_b")
        .get(LIST, {"q": request.tracking_code})
        .content.decode()
    )
    assert _codes(page) == []
    assert "没有符合条件的申请。" in page


def test_request_list_flags_overdue_and_due_soon_rows_in_words(matrix):
    editor = matrix.user("editor_a")
    late, _ = fx.register(editor, matrix.agency_a, received_on=dt.date(2025, 9, 26))
    soon, _ = fx.register(editor, matrix.agency_a, title="即将到期的申请")
    fresh, _ = fx.register(editor, matrix.agency_a, title="刚收到的申请")
    # The reply of ``soon`` falls due tomorrow (within five working days).
    DisclosureRequest.objects.filter(pk=soon.pk).update(
        reply_due_on=timezone.localdate() + dt.timedelta(days=1)
    )
    page = matrix.client("editor_a").get(LIST).content.decode()
    assert "已超期" in _row(page, late.tracking_code)
    assert "即将到期" not in _row(page, late.tracking_code)
    assert "即将到期" in _row(page, soon.tracking_code)
    assert "已超期" not in _row(page, soon.tracking_code)
    fresh_row = _row(page, fresh.tracking_code)
    assert "已超期" not in fresh_row
    assert "即将到期" not in fresh_row
    # The flag agrees with the filter of the same name.
    overdue = matrix.client("editor_a").get(LIST, {"due": "overdue"}).content.decode()
    assert _codes(overdue) == [late.tracking_code]
    due_soon = matrix.client("editor_a").get(LIST, {"due": "soon"}).content.decode()
    assert _codes(due_soon) == [soon.tracking_code]


def test_conversion_form_marks_each_field_with_its_decision(matrix):
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    page = (
        matrix.client("editor_a")
        .get(f"/workspace/requests/{request.pk}/")
        .content.decode()
    )
    form = re.search(r'<form[^>]*/conversion/".*?</form>', page, re.S).group(0)
    tags = re.findall(r"<(?:input|select|textarea)[^>]*>", form)
    marked = {}
    for tag in tags:
        name = re.search(r'name="(\w+)"', tag).group(1)
        rule = re.search(r'data-show-when="decision=(\w+)"', tag)
        marked[name] = rule.group(1) if rule else None
    assert marked == {
        "csrfmiddlewaretoken": None,
        "decision": None,
        "title": "convert",
        "topic": "convert",
        "disclosure": "link_existing",
        "reason": "not_convert",
        "concerns_applicant": "not_convert",
        "note": "not_convert",
    }
    assert len(re.findall(r'type="radio" name="decision"', form)) == 3
    assert 'src="/static/portal/js/show_when.js" defer' in page


def test_conversion_form_is_validated_whole_on_the_server(matrix):
    """Without the script nothing is hidden: a missing reason is still refused."""
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    response = matrix.client("editor_a").post(
        f"/workspace/requests/{request.pk}/conversion/",
        {"decision": "not_convert", "title": "被隐藏的名称"},
    )
    assert response.status_code == 400
    assert str(REASON_REQUIRED) in response.content.decode()
    request.refresh_from_db()
    assert request.conversion_decision == ""


def test_submitting_with_an_open_hit_says_which_and_what_to_do(matrix):
    editor = matrix.client("editor_a")
    disclosure = fx.converted_draft(
        matrix.user("editor_a"), matrix.agency_a, body="联系人手机13812345678"
    )
    base = f"/workspace/disclosures/{disclosure.pk}/"
    response = editor.post(f"{base}submit/", follow=True)
    page = response.content.decode()
    assert "已提交审核。" in page
    assert "已完成。" not in page
    assert "个人信息筛查有1条待处理结果（正文：手机号码）" in page
    assert "逐条遮盖，或由审核人说明理由后确认保留" in page


def test_disclosure_page_warns_before_approval_and_disables_it(matrix):
    disclosure = fx.submitted(
        matrix.user("editor_a"), matrix.agency_a, body="联系人手机13812345678"
    )
    reviewer = matrix.client("reviewer_a")
    base = f"/workspace/disclosures/{disclosure.pk}/"
    page = reviewer.get(base).content.decode()
    assert 'id="publication-warnings"' in page
    assert str(SCREEN_UNRESOLVED) in page
    button = re.search(r"<button[^>]*>审核通过并发布</button>", page).group(0)
    assert "disabled" in button
    hit = disclosure.screening_hits.get()
    reviewer.post(f"{base}screen/{hit.pk}/accept/", {"reason": "单位联系电话"})
    page = reviewer.get(base).content.decode()
    assert 'id="publication-warnings"' not in page
    button = re.search(r"<button[^>]*>审核通过并发布</button>", page).group(0)
    assert "disabled" not in button


def test_online_request_form_lists_agencies_by_tree_with_a_prompt(matrix, client):
    AgencyFactory(
        code="310000107",
        name="上海市财政局",
        parent=matrix.city,
        kind="department",
        sort_order=1,
    )
    page = client.get("/requests/new/").content.decode()
    select = _agency_select(page)
    assert "---------" not in select
    assert f'<option value="" selected>{AGENCY_PROMPT}</option>' in select
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["市政府", "市级部门", "区"]
    districts = re.findall(r">([^<>]+)</option>", groups[2][1])
    # By sort order then name (徐汇区 before 黄浦区 although its code is higher),
    # the sub-unit indented under its district.
    assert districts == [
        "上海市徐汇区人民政府",
        "上海市黄浦区人民政府",
        "\u3000上海市黄浦区教育局",
    ]


def test_register_form_preselects_the_editors_own_agency(matrix):
    page = matrix.client("editor_a").get(f"{LIST}new/").content.decode()
    select = _agency_select(page)
    assert f'<option value="{matrix.agency_a.pk}" selected>' in select
    assert f'<option value="">{AGENCY_PROMPT}</option>' in select
