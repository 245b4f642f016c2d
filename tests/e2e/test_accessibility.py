"""axe-core on the main pages, keyboard-only operation, and the phone layout.

GB/T 37668 asks government sites to be usable without a mouse and with assistive
technology; axe-core finds what a machine can (labels, contrast, landmarks,
names), the keyboard tests walk a form and a review action with keys only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from negative_list.models import Entry
from tests.e2e import data
from tests.e2e.conftest import (
    assert_no_horizontal_scroll,
    axe_violations,
    focused_outline,
    resident_id,
)
from tests.negative_list import factories as nl

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


@dataclass
class Site:
    """One published list, one published disclosure, one open request, one entry
    awaiting review: enough for every page below to show real content."""

    agency_code: str
    disclosure_path: str
    request_pk: int
    entry_pk: int


@pytest.fixture
def site(matrix, search_index) -> Site:
    data.published_list(matrix)
    disclosure = data.published_disclosure(matrix)
    request = data.registered_request(matrix)
    entry = nl.submitted(
        matrix.user("editor_a"),
        matrix.agency_a,
        title="信访人个人信息",
        scope="信访事项中信访人的姓名、身份证件号码、住址和联系方式",
        category=nl.exemption("third_party"),
        provisions=(nl.provision(nl.REGULATION, "第十五条"),),
    )
    return Site(
        agency_code=matrix.agency_a.code,
        disclosure_path=f"/disclosures/{disclosure.index_no}/",
        request_pk=request.pk,
        entry_pk=entry.pk,
    )


PAGES = {
    # name: (user or None, path template)
    "home": (None, "/"),
    "column_search": (None, "/disclosures/"),
    "column_search_results": (None, "/disclosures/?q=老旧小区"),
    "disclosure": (None, "{disclosure_path}"),
    "negative_list": (None, "/negative-lists/{agency_code}/"),
    "negative_list_index": (None, "/negative-lists/"),
    "request_form": (None, "/requests/new/"),
    "dashboard_editor": ("editor_a", "/workspace/"),
    "dashboard_reviewer": ("reviewer_a", "/workspace/"),
    "entry_form": ("editor_a", "/workspace/negative-list/entries/new/"),
    "entry_review": ("reviewer_a", "/workspace/negative-list/entries/{entry_pk}/"),
    "review_queue": ("reviewer_a", "/workspace/negative-list/review/"),
    "request_detail": ("editor_a", "/workspace/requests/{request_pk}/"),
    "request_list": ("editor_a", "/workspace/requests/"),
    "request_list_sorted": ("editor_a", "/workspace/requests/?sort=-due"),
    "disclosure_list": ("editor_a", "/workspace/disclosures/?sort=title"),
    "entry_list": ("editor_a", "/workspace/negative-list/?sort=-status"),
    "agency_list": ("coordinator", "/workspace/agencies/?sort=members"),
    "request_register": ("editor_a", "/workspace/requests/new/"),
    "request_track": (None, "/requests/track/"),
    "negative_list_versions": (None, "/negative-lists/{agency_code}/versions/"),
    "negative_list_publish": (
        "reviewer_a",
        "/workspace/negative-list/agencies/{agency_code}/publish/",
    ),
}


@pytest.mark.once_per_run
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_grave_axe_violations(name, site, open_page):
    """Each main page passes axe-core with no serious or critical violation."""
    user, template = PAGES[name]
    page = open_page(user)
    response = page.goto(page.base_url + template.format(**vars(site)))
    assert response.status == 200
    assert axe_violations(page) == []


REPEATED_IDS_JS = """() => {
    const seen = {};
    document.querySelectorAll('[id]').forEach(el => {
        seen[el.id] = (seen[el.id] || 0) + 1;
    });
    return Object.keys(seen).filter(id => seen[id] > 1);
}"""


def _repeated_ids(site, open_page, names) -> dict[str, list[str]]:
    pages: dict[str | None, object] = {}
    found = {}
    for name in names:
        user, template = PAGES[name]
        if user not in pages:
            pages[user] = open_page(user)
        page = pages[user]
        page.goto(page.base_url + template.format(**vars(site)))
        repeated = page.evaluate(REPEATED_IDS_JS)
        if repeated:
            found[name] = repeated
    return found


def test_element_ids_are_unique(site, open_page):
    """No id repeats on a page: labels and ARIA references must hit one element."""
    names = [name for name in PAGES if name != "request_detail"]
    assert _repeated_ids(site, open_page, names) == {}


def test_request_detail_element_ids_are_unique(site, open_page):
    """The request page's action forms each label their own fields."""
    assert _repeated_ids(site, open_page, ["request_detail"]) == {}


@pytest.mark.once_per_run
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "{disclosure_path}",
        "/negative-lists/{agency_code}/",
        "/disclosures/?q=老旧小区",
        "/requests/new/",
    ],
)
def test_phone_viewport_does_not_scroll_sideways(path, site, open_page):
    """At 375×812 the page body fits the screen; wide tables scroll inside."""
    page = open_page(viewport=PHONE)
    page.goto(page.base_url + path.format(**vars(site)))
    expect(page.locator("h1").first).to_be_visible()
    assert_no_horizontal_scroll(page)


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus.

    Every stop on the way must show a focus ring: a keyboard user has to see
    where they are.
    """
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused_outline(page)
        assert focus["visible"], f"no visible focus on {focus}"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_online_request(matrix, open_page):
    """An applicant fills and submits the online form with the keyboard only.

    Tab order follows the visual order of the fields, each focused field shows a
    focus ring, a select is operated with the arrow keys, and Enter on the submit
    button sends the form.
    """
    page = open_page()
    page.goto(page.base_url + "/requests/new/")
    _tab_to(page, "#id_agency")
    # The select groups the agencies by the tree (市政府, then 区 by name: 徐汇区
    # before 黄浦区); the arrow keys walk past the prompt to 上海市黄浦区人民政府.
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_agency")).to_have_value(str(matrix.agency_a.pk))
    order = []
    fields = [
        ("#id_applicant_type", None),
        ("#id_applicant_name", "林晓"),
        ("#id_applicant_id_number", resident_id("31010119900307123")),
        ("#id_applicant_phone", "13800138000"),
        ("#id_applicant_email", None),
        ("#id_applicant_address", None),
        ("#id_title", "本区2024年公共厕所改造计划"),
        ("#id_description", "申请获取本区2024年公共厕所新建和改造的点位清单。"),
    ]
    for _selector, text in fields:
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
        assert focused_outline(page)["visible"]
        if text:
            page.keyboard.type(text)
    assert order == [s.lstrip("#") for s, _ in fields]
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    expect(page.locator(".tracking-code")).to_have_text(re.compile(r"^[A-Z2-9]{10}$"))


def test_keyboard_only_review_return_and_approve(matrix, open_page):
    """A reviewer returns one entry and approves another with the keyboard only."""
    editor = matrix.user("editor_a")
    to_return = nl.submitted(editor, matrix.agency_a, title="会议讨论记录（一）")
    to_approve = nl.submitted(
        editor,
        matrix.agency_a,
        title="信访人个人信息",
        scope="信访事项中信访人的姓名、身份证件号码、住址和联系方式",
        category=nl.exemption("third_party"),
        provisions=(nl.provision(nl.REGULATION, "第十五条"),),
    )
    page = open_page("reviewer_a")

    page.goto(f"{page.base_url}/workspace/negative-list/entries/{to_return.pk}/")
    _tab_to(page, "#id_reason")
    page.keyboard.type("具体范围过宽，请写明会议类型。")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="退回修改")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("已退回修改。")).to_be_visible()

    page.goto(f"{page.base_url}/workspace/negative-list/entries/{to_approve.pk}/")
    _tab_to(page, "button:has-text('合法性审查通过')")
    page.keyboard.press("Space")
    expect(page.get_by_text("已通过合法性审查。")).to_be_visible()

    to_return.refresh_from_db()
    to_approve.refresh_from_db()
    assert to_return.status == Entry.Status.DRAFT
    assert to_approve.status == Entry.Status.APPROVED


def test_keyboard_only_column_search(site, matrix, open_page):
    """A keyboard user searches the column, ticks an agency filter and opens a hit."""
    page = open_page()
    page.goto(page.base_url + "/disclosures/")
    _tab_to(page, "main input[name=q]")
    page.keyboard.type("老旧小区")
    page.keyboard.press("Enter")
    page.wait_for_url("**/disclosures/?*q=*")
    expect(page.get_by_role("status")).to_contain_text("共 1 条结果")
    _tab_to(page, f"main input[name=agency][value='{matrix.agency_a.code}']")
    page.keyboard.press("Space")
    expect(page.locator(f"input[value='{matrix.agency_a.code}']")).to_be_checked()
    _tab_to(page, "main .search-filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**agency={matrix.agency_a.code}*")
    _tab_to(page, ".result-list a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{site.disclosure_path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
