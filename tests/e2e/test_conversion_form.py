"""The conversion form shows only the chosen decision's fields, in a real browser.

``portal/js/show_when.js`` (a static file: the CSP allows no inline script) hides
and disables the fields of the other decisions; the agency filter script narrows
the register form's grouped select as the user types.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from requests_.models import DisclosureRequest
from tests.e2e.conftest import axe_violations
from tests.requests_ import factories as fx

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIELDS = {
    "convert": ("主动公开信息名称", "主题分类"),
    "link_existing": ("关联的索引号",),
    "not_convert": ("不转理由", "所申请信息涉及申请人自身", "理由说明"),
}
CHOICES = {
    "convert": "转为主动公开",
    "link_existing": "已有相同主动公开信息，关联之（第四十四条）",
    "not_convert": "不转为主动公开",
}


def _visible(form, decision: str) -> None:
    for other, labels in FIELDS.items():
        for label in labels:
            field = form.get_by_label(label, exact=True)
            if other == decision:
                expect(field).to_be_visible()
                expect(field).to_be_enabled()
            else:
                expect(field).to_be_hidden()


def test_choosing_a_decision_shows_only_its_fields(matrix, open_page):
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    editor = open_page("editor_a")
    editor.goto(f"{editor.base_url}/workspace/requests/{request.pk}/")
    form = editor.locator(
        "section", has=editor.get_by_role("heading", name="转主动公开决定")
    )
    # Before a choice, none of the decision's own fields shows.
    for labels in FIELDS.values():
        for label in labels:
            expect(form.get_by_label(label, exact=True)).to_be_hidden()
    for decision, choice in CHOICES.items():
        form.get_by_label(choice, exact=True).check()
        _visible(form, decision)
    assert axe_violations(editor) == []

    # Not converting: the reason is asked for and recorded; the convert title
    # typed earlier is not sent (its field is disabled while hidden).
    form.get_by_label(CHOICES["convert"], exact=True).check()
    form.get_by_label("主动公开信息名称", exact=True).fill("不应提交的名称")
    form.get_by_label(CHOICES["not_convert"], exact=True).check()
    form.get_by_label("不转理由", exact=True).select_option(index=1)
    form.get_by_label("所申请信息涉及申请人自身", exact=True).check()
    form.get_by_role("button", name="作出决定").click()
    expect(editor.get_by_text("已记录转主动公开决定。")).to_be_visible()
    # "Not convert" is a proposal for the agency's reviewer: nothing in force yet.
    expect(editor.locator("#conversion-pending")).to_contain_text("申请人本人")
    request = DisclosureRequest.objects.get(pk=request.pk)
    assert request.conversion_decision == ""
    assert request.disclosure_id is None
    [proposal] = request.conversion_reviews.all()
    assert (proposal.decision, proposal.status) == ("not_convert", "pending")
    assert proposal.reason != ""


def test_typing_narrows_the_grouped_agency_select(matrix, open_page):
    coordinator = open_page("coordinator")
    coordinator.goto(f"{coordinator.base_url}/workspace/negative-list/cycles/")
    select = coordinator.locator("select[name=agency]")
    box = coordinator.get_by_label("筛选机关")
    expect(box).to_be_visible()
    box.fill("教育局")
    shown = select.locator("option:not([hidden])")
    # The prompt, and the one agency whose name holds the text.
    expect(shown).to_have_count(2)
    expect(shown.nth(1)).to_have_text("\u3000上海市黄浦区教育局")
    expect(select.locator("optgroup[label=市政府]")).to_have_attribute("hidden", "")
    box.fill("")
    expect(select.locator("option:not([hidden])")).to_have_count(5)
