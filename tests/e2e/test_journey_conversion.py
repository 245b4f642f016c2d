"""Journey 3: a request becomes a public disclosure, screened for personal data.

Staff register a postal request, a reviewer approves an extension (never the
handler), the handler replies 予以公开 and converts the information into a
disclosure draft. The draft's body carries a resident ID number; the screen shows
it, the editor masks it, a reviewer approves, and the public page and the column
search show the disclosure with the number masked.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from portal.models import Topic
from requests_.models import Disclosure, DisclosureRequest, DisclosureStatus
from tests.e2e.conftest import axe_violations, open_action, reply_disclosed, resident_id

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REQUEST_TITLE = "2025年度城市更新项目资金安排情况"
DISCLOSURE_TITLE = "2025年度城市更新项目资金安排"
PLANTED_ID = resident_id("32050219780615331")
MASKED_ID = PLANTED_ID[:6] + "*" * 8 + PLANTED_ID[-4:]
BODY = (
    "2025年度城市更新项目资金共计4800万元，涉及9个街坊。\n"
    f"项目联系人身份证号码：{PLANTED_ID}。"
)


def _register(staff, matrix) -> str:
    staff.get_by_role("link", name="依申请公开").first.click()
    staff.get_by_role("link", name="登记申请").click()
    staff.get_by_label("办理机关").select_option(label=matrix.agency_a.name)
    staff.get_by_label("申请方式").select_option(label="邮寄")
    staff.get_by_label("收到申请日期").fill(timezone.localdate().isoformat())
    staff.get_by_label("申请人类型").select_option(label="自然人")
    staff.get_by_label("姓名或名称").fill("周建国")
    staff.get_by_label("身份证件号码").fill(resident_id("31010419751120451"))
    staff.get_by_label("通信地址").fill("上海市徐汇区漕溪北路88号")
    staff.get_by_label("所需信息名称").fill(REQUEST_TITLE)
    staff.get_by_label("所需信息描述").fill(
        "申请获取本区2025年度城市更新项目的资金安排。"
    )
    staff.get_by_role("button", name="登记").click()
    expect(staff.get_by_text(re.compile("已登记申请"))).to_be_visible()
    return staff.url


def test_request_is_converted_screened_and_published(matrix, open_page, search_index):
    """The published page shows the masked ID number and the search finds it."""
    topic = Topic.objects.filter(parent__isnull=False).order_by("code").first()
    editor = open_page("editor_a")
    reviewer = open_page("reviewer_a")

    # Registered by staff: the editor handles it.
    request_url = _register(editor, matrix)
    request = DisclosureRequest.objects.get(title=REQUEST_TITLE)
    assert request.handler == matrix.user("editor_a")
    expect(editor.locator("summary", has_text="批准延期")).to_have_count(0)

    # The extension is approved by a reviewer, not by the handler.
    reviewer.goto(request_url)
    panel = open_action(reviewer, "批准延期")
    panel.locator("[name=days]").fill("15")
    panel.locator("[name=reason]").fill("所需信息涉及多个街道，需要汇总核实。")
    panel.locator("[name=applicant_notice]").fill("您的申请需延长15个工作日答复。")
    # The applicant is told before the original term ends (第三十三条).
    notified_on = timezone.localdate()
    panel.locator("[name=notified_on]").fill(notified_on.isoformat())
    panel.get_by_role("button", name="批准延期").click()
    expect(reviewer.get_by_text("已保存。")).to_be_visible()
    expect(reviewer.locator("main")).to_contain_text("已延长 15 个工作日")
    request.refresh_from_db()
    assert request.extension_approved_by == matrix.user("reviewer_a")
    assert request.extension_notified_on == notified_on

    # The handler replies 予以公开 and converts the information.
    editor.reload()
    reply_disclosed(editor, "经查，现将所申请信息提供给您。")
    conversion = editor.locator(
        "section", has=editor.get_by_role("heading", name="转主动公开决定")
    )
    conversion.get_by_label("转为主动公开", exact=True).check()
    conversion.get_by_label("主动公开信息名称").fill(DISCLOSURE_TITLE)
    conversion.get_by_label("主题分类").select_option(value=str(topic.pk))
    conversion.get_by_role("button", name="作出决定").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text(DISCLOSURE_TITLE)

    # The body names a person by ID number: the screen finds it and it is masked.
    editor.get_by_label("正文").fill(BODY)
    editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.get_by_text(re.compile("已重新筛查个人信息"))).to_be_visible()
    screening = editor.locator("section.screening")
    hit = screening.get_by_role("row", name=re.compile(re.escape(PLANTED_ID)))
    expect(hit).to_be_visible()
    expect(hit.locator("mark")).to_have_text(PLANTED_ID)
    assert axe_violations(editor) == []
    hit.get_by_role("button", name="遮盖").click()
    expect(editor.get_by_text("已处理。")).to_be_visible()
    expect(screening).to_contain_text("未发现个人信息。")
    expect(editor.get_by_label("正文")).to_have_value(re.compile(re.escape(MASKED_ID)))
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.get_by_text("已提交审核。")).to_be_visible()

    # A reviewer approves and publishes.
    disclosure = Disclosure.objects.get(title=DISCLOSURE_TITLE)
    reviewer.goto(f"{reviewer.base_url}/workspace/disclosures/{disclosure.pk}/")
    expect(reviewer.locator("main")).to_contain_text(MASKED_ID)
    reviewer.get_by_role("button", name="审核通过并发布").click()
    expect(reviewer.get_by_text("已审核通过，信息已发布或将按时发布。")).to_be_visible()
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.PUBLISHED

    # The public page shows the masked number only.
    public = open_page()
    public.goto(f"{public.base_url}/disclosures/{disclosure.index_no}/")
    expect(public.get_by_role("heading", level=1)).to_have_text(DISCLOSURE_TITLE)
    expect(public.locator(".disclosure-body")).to_contain_text(MASKED_ID)
    assert PLANTED_ID not in public.content()

    # The column search finds it by words of its title.
    public.goto(f"{public.base_url}/disclosures/?q=城市更新 资金安排")
    result = public.locator(".result-list").get_by_role(
        "link", name=re.compile(DISCLOSURE_TITLE)
    )
    expect(result).to_be_visible()
    result.click()
    public.wait_for_url(f"**/disclosures/{disclosure.index_no}/")
    assert PLANTED_ID not in public.content()
