"""The reviewer sees how an entry was used before deciding its fate, in a real
browser: the figures, the hint, and a figure's link to the requests it counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from negative_list import services
from negative_list.models import ReviewTask
from tests.e2e.conftest import axe_violations
from tests.negative_list.usage_data import Y, build

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reviewer_reads_the_evidence_and_follows_a_figure(matrix, open_page):
    history = build(matrix)
    cycle = services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="年度定期评审",
        agency=matrix.agency_a,
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    a1 = history.entries["A1"]
    task = ReviewTask.objects.get(cycle=cycle, entry=a1)

    page = open_page("reviewer_a")
    page.goto(f"{page.base_url}/workspace/negative-list/tasks/{task.pk}/")
    evidence = page.get_by_role("region", name="使用情况")
    expect(evidence).to_be_visible()
    row = evidence.locator(f"#usage-{a1.pk}")
    expect(row.locator('[data-key="total"]')).to_have_text("4")
    expect(row.locator('[data-key="appeal.corrected"]')).to_have_text("1")
    expect(row.locator('[data-key="appeal.pending"]')).to_have_text("1")
    expect(row.locator('[data-key="last_cited"]')).to_have_text(f"{Y}-02-01")
    expect(row.locator('[data-key="reasons"]')).to_have_text(
        "建议修订或取消：引用该事项的答复被复议或诉讼纠正 1 件"
    )
    # The evidence comes before the form that records the decision.
    form = page.get_by_role("button", name="记录评审结论")
    expect(form).to_be_visible()
    assert evidence.bounding_box()["y"] < form.bounding_box()["y"]
    assert axe_violations(page) == []

    row.locator(f'[data-key="withheld.{Y - 1}"]').get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"usage/cell/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("清单事项使用情况明细")
    codes = page.locator("table tbody tr td:first-child")
    expect(codes).to_have_count(2)
    r = history.requests
    assert sorted(codes.all_inner_texts()) == sorted(
        [r["r2"].tracking_code, r["r10"].tracking_code]
    )
