"""The page after an online submission says what happens next and how the
applicant will hear."""

from __future__ import annotations

import re

import pytest

from django.utils import timezone

from portal.calendar import add_working_days
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def _submit(client, agency, **overrides):
    data = {
        "agency": agency.pk,
        "title": "2025年义务教育阶段学校招生划片方案",
        "description": "申请公开本区2025年义务教育阶段公办学校招生划片方案。",
        "form_wanted": "electronic",
        **fx.applicant(**overrides),
    }
    return client.post("/requests/new/", data, follow=True)


def _next_step(html: str) -> list[str]:
    section = re.search(
        r'<section class="card" id="next-step">(.*?)</section>', html, re.S
    )
    return re.findall(r"<p>(.*?)</p>", section.group(1), re.S)


def test_submitted_page_states_the_next_step_and_the_reply_date(matrix, client):
    """Unconfirmed: the date that holds if the agency confirms today; by e-mail."""
    html = _submit(client, matrix.agency_a).content.decode()
    # The working-day calendar is the portal's (tested on its own); the page must
    # give the day 20 working days after today.
    day = add_working_days(timezone.localdate(), 20)
    expected_day = f"{day.year}年{day.month}月{day.day}日"
    when, how = _next_step(html)
    assert when == (
        "办理机关确认收到网上申请之日即为收到申请之日，之后 20 个工作日内答复；"
        f"如今日确认，最迟于 {expected_day} 答复（依法延期、补正或征求意见的除外，"
        "届时会告知您）。"
    )
    assert how == (
        "补正告知、延期告知、答复书等文书签发后会发送到您填写的电子邮箱，"
        "也会列在查询链接的页面上，可随时下载。"
    )


def test_without_email_the_tracking_page_is_the_way(matrix, client):
    html = _submit(client, matrix.agency_a, applicant_email="").content.decode()
    assert _next_step(html)[1] == (
        "补正告知、延期告知、答复书等文书签发后会列在查询链接的页面上，"
        "可随时查看和下载；您没有填写电子邮箱，请留意查询页面。"
    )
