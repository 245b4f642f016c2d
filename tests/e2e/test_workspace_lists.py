"""A workspace list sorted from its column headers, in a real browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from requests_.models import DisclosureRequest
from tests.e2e.conftest import axe_violations
from tests.requests_ import factories as fx

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _codes(page) -> list[str]:
    return page.locator("table tbody tr td:first-child").all_inner_texts()


def test_clicking_a_header_reorders_the_request_list(matrix, open_page):
    """The header link sorts, says so with aria-sort, reverses, and keeps filters."""
    editor = matrix.user("editor_a")
    made = []
    for received, due, title in (
        ((2025, 9, 1), (2025, 10, 20), "预算执行情况"),
        ((2025, 9, 10), (2025, 9, 25), "采购合同"),
        ((2025, 9, 20), (2025, 10, 5), "规划批复"),
    ):
        request, _ = fx.register(
            editor, matrix.agency_a, received_on=dt.date(*received), title=title
        )
        DisclosureRequest.objects.filter(pk=request.pk).update(
            reply_due_on=dt.date(*due)
        )
        made.append(request.tracking_code)
    r1, r2, r3 = made

    page = open_page("editor_a")
    page.goto(page.base_url + "/workspace/requests/")
    assert _codes(page) == [r3, r2, r1]
    due = page.get_by_role("columnheader", name=re.compile("答复期限"))
    expect(due).not_to_have_attribute("aria-sort", re.compile(r".+"))

    due.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=due"))
    expect(due).to_have_attribute("aria-sort", "ascending")
    assert _codes(page) == [r2, r3, r1]
    assert axe_violations(page) == []

    # The same header again, from the keyboard: the order reverses.
    due.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=-due"))
    expect(due).to_have_attribute("aria-sort", "descending")
    assert _codes(page) == [r1, r3, r2]

    # Filtering keeps the sort; the header links then keep the filter.
    page.get_by_label("状态").select_option("received")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"status=received"))
    expect(page).to_have_url(re.compile(r"sort=-due"))
    expect(due).to_have_attribute("aria-sort", "descending")
    received = page.get_by_role("columnheader", name=re.compile("收到日期"))
    href = received.get_by_role("link").get_attribute("href")
    assert "status=received" in href
    assert "sort=received" in href
