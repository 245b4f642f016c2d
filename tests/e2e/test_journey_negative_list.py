"""Journey 2: a negative-list entry from draft to the public list and its diff.

An editor drafts, a reviewer reads the automatic checks and returns the entry, the
editor fixes the scope and resubmits, the reviewer approves and publishes (the
transition table gives 发布 to reviewers and coordinators), and the public list and
the diff against the previous version show the new entry. Editor and reviewer use
separate browser contexts, as two people at two desks would.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from negative_list.models import Entry
from tests.e2e import data
from tests.e2e.conftest import axe_violations

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "机关干部人事管理信息"
VAGUE_SCOPE = "人事管理相关信息"
FIXED_SCOPE = "干部任免的考察材料、干部人事档案和年度考核中的民主评议记录"
RETURN_REASON = "具体范围过于笼统，请写明具体的材料名称。"
PROVISION = "《中华人民共和国政府信息公开条例》第十六条第一款"


def _open_entry(page, title: str) -> None:
    page.goto(page.base_url + "/workspace/negative-list/")
    page.get_by_role("row", name=re.compile(title)).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_entry_is_returned_fixed_approved_and_published(matrix, open_page):
    """The entry reaches the public list and the diff lists it as added."""
    first = data.published_list(matrix)
    code = matrix.agency_a.code
    editor = open_page("editor_a")
    reviewer = open_page("reviewer_a")

    # The editor drafts the entry in the workspace and submits it.
    editor.goto(editor.base_url + "/workspace/negative-list/")
    editor.get_by_role("link", name="新建事项").click()
    editor.get_by_label("机构").select_option(label=matrix.agency_a.name)
    editor.get_by_label("类别").select_option(label="内部事务信息")
    editor.get_by_label("事项名称").fill(TITLE)
    editor.get_by_label("不予公开的具体范围").fill(VAGUE_SCOPE)
    editor.get_by_role("group", name="不予公开的法律政策依据").get_by_label(
        PROVISION
    ).check()
    editor.get_by_label("责任处室").fill("组织人事科")
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.get_by_text(re.compile("已保存草稿"))).to_be_visible()
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.get_by_text("已提交审核。")).to_be_visible()
    entry = Entry.objects.get(latest_version__title=TITLE)
    assert entry.status == Entry.Status.SUBMITTED

    # The reviewer finds it in the queue with the automatic checks, and returns it.
    reviewer.goto(reviewer.base_url + "/workspace/negative-list/review/")
    card = reviewer.locator("tbody tr", has_text=TITLE)
    expect(card.locator("[data-check=vague_wording]")).to_be_visible()
    expect(card.locator("[data-check=scope_too_short]")).to_be_visible()
    card.get_by_role("link", name=re.compile(TITLE)).click()
    findings = reviewer.get_by_role("list", name="自动检查结果")
    expect(findings).to_contain_text("兜底表述")
    expect(findings).to_contain_text("范围过短")
    assert axe_violations(reviewer) == []
    reviewer.get_by_label("退回理由").fill(RETURN_REASON)
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.get_by_text("已退回修改。")).to_be_visible()

    # The editor sees the reason, fixes the scope and submits again.
    _open_entry(editor, TITLE)
    expect(editor.get_by_role("alert")).to_contain_text(RETURN_REASON)
    editor.get_by_role("link", name="修改", exact=True).click()
    expect(editor.get_by_label("不予公开的具体范围")).to_have_value(VAGUE_SCOPE)
    editor.get_by_label("不予公开的具体范围").fill(FIXED_SCOPE)
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.get_by_text("已保存。")).to_be_visible()
    expect(editor.get_by_text("自动检查未发现问题。")).to_be_visible()
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.get_by_text("已提交审核。")).to_be_visible()

    # The reviewer approves the fixed wording, then publishes the next version.
    reviewer.goto(reviewer.base_url + "/workspace/negative-list/review/")
    reviewer.get_by_role("link", name=re.compile(TITLE)).click()
    expect(reviewer.get_by_text(FIXED_SCOPE).first).to_be_visible()
    reviewer.get_by_role("button", name="合法性审查通过").click()
    expect(reviewer.get_by_text("已通过合法性审查。")).to_be_visible()
    reviewer.goto(reviewer.base_url + "/workspace/negative-list/")
    reviewer.get_by_role("link", name="发布新版本").first.click()
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text(
        matrix.agency_a.name
    )
    expect(reviewer.locator("main")).to_contain_text(TITLE)
    reviewer.get_by_label("发布说明").fill("新增人事管理信息事项。")
    reviewer.get_by_role("button", name="发布", exact=True).click()
    reviewer.wait_for_url(f"**/negative-lists/{code}/versions/{first.number + 1}/")

    # Anyone sees the entry on the public list and as added in the diff.
    public = open_page()
    public.goto(f"{public.base_url}/negative-lists/{code}/")
    row = public.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text(FIXED_SCOPE)
    expect(row).to_contain_text(PROVISION)
    expect(public.locator("main")).not_to_contain_text(VAGUE_SCOPE)
    public.get_by_role("link", name="查看与上一版的对比").click()
    added = public.locator(
        "section", has=public.get_by_role("heading", name="新增事项")
    )
    expect(added.get_by_role("row", name=re.compile(TITLE))).to_be_visible()
    expect(public.locator("main")).to_contain_text("新增1项")
    assert axe_violations(public) == []
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PUBLISHED
