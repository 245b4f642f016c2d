"""Journey 1: a citizen searches the column, narrows it to one agency, opens a
disclosure and downloads its attachment. Written against the column search of
issue 5: ``/disclosures/?q=&agency=&topic=&year=``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import data
from tests.e2e.conftest import axe_violations

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE_A = "2024年度老旧小区综合改造项目资金安排"
TITLE_B = "2024年度老旧小区综合改造项目验收情况"


def test_citizen_searches_filters_opens_and_downloads(matrix, open_page, search_index):
    """Search → agency filter → disclosure page → attachment download."""
    mine = data.published_disclosure(matrix, title=TITLE_A)
    data.published_disclosure(
        matrix, title=TITLE_B, agency=matrix.agency_b, attachment=False
    )
    page = open_page()

    page.goto(page.base_url + "/")
    page.get_by_role("search").first.get_by_label("检索词").fill("老旧小区 改造")
    page.get_by_role("search").first.get_by_role("button", name="检索").click()
    page.wait_for_url(re.compile(r"/disclosures/\?"))
    results = page.locator(".result-list")
    expect(results.get_by_role("link", name=re.compile(TITLE_A))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile(TITLE_B))).to_be_visible()
    assert axe_violations(page) == []

    agencies = page.get_by_role("group", name="发布机构")
    agencies.get_by_role("checkbox", name=re.compile("^黄浦区")).check()
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(rf"agency={matrix.agency_a.code}"))
    expect(results.get_by_role("link", name=re.compile(TITLE_B))).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("共 1 条结果")
    results.get_by_role("link", name=re.compile(TITLE_A)).click()

    page.wait_for_url(f"**/disclosures/{mine.index_no}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_A)
    expect(page.locator(".disclosure-meta")).to_contain_text(mine.index_no)
    with page.expect_download() as info:
        page.get_by_role("link", name=data.ATTACHMENT_NAME).click()
    download = info.value
    assert download.suggested_filename == data.ATTACHMENT_NAME
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
