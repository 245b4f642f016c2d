"""Journey 4: an applicant without an account, from the online form to the reply.

The applicant submits online, keeps the tracking code and secret link, answers a
correction notice through that link and later reads the reply there. Staff
confirm receipt of the online request, then work on it in the workspace. Who the
applicant is never shows on a public page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from requests_.models import DisclosureRequest, RequestStatus
from tests.e2e.conftest import axe_violations, open_action, reply_disclosed, resident_id

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = "林晓"
ID_NUMBER = resident_id("31010119900307123")
PHONE = "13800138000"
TITLE = "本区2024年公共厕所新建和改造计划"
NOTICE = "请写明所需信息涉及的街道范围。"
CORRECTION = "涉及外滩街道和南京东路街道的公共厕所点位。"
REPLY = "经查，现将本区2024年公共厕所新建和改造计划提供给您，见附件清单。"


def _wrong_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def _assert_no_identity(page) -> None:
    html = page.content()
    for secret in (NAME, ID_NUMBER, PHONE):
        assert secret not in html, f"applicant identity on {page.url}"


def test_applicant_submits_answers_correction_and_reads_reply(matrix, open_page):
    """The secret link carries the applicant through correction to the reply."""
    applicant = open_page()
    applicant.goto(applicant.base_url + "/")
    applicant.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="申请公开"
    ).click()
    expect(applicant.get_by_role("heading", name="申请政府信息公开")).to_be_visible()
    applicant.get_by_label("向哪个机关申请").select_option(label=matrix.agency_a.name)
    applicant.get_by_label("申请人类型").select_option(label="自然人")
    applicant.get_by_label("姓名或名称").fill(NAME)
    applicant.get_by_label("身份证件号码").fill(_wrong_checksum(ID_NUMBER))
    applicant.get_by_label("联系电话").fill(PHONE)
    applicant.get_by_label("所需信息名称").fill(TITLE)
    applicant.get_by_label("所需信息描述").fill("申请获取本区2024年公共厕所点位清单。")

    # A mistyped ID number is caught at the field; the rest of the input stays.
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_role("alert").first).to_contain_text("校验位")
    # The message is tied to the field, so a screen reader reads it on focus.
    expect(applicant.get_by_label("身份证件号码")).to_have_accessible_description(
        re.compile("校验位")
    )
    expect(applicant.get_by_label("身份证件号码")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(applicant.get_by_label("所需信息名称")).to_have_value(TITLE)
    assert axe_violations(applicant) == []
    applicant.get_by_label("身份证件号码").fill(ID_NUMBER)
    applicant.get_by_role("button", name="提交申请").click()

    expect(applicant.get_by_role("heading", name="申请已提交")).to_be_visible()
    code = applicant.locator(".tracking-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{10}", code)
    link = applicant.locator('main a[href*="/requests/track/"]')
    secret_url = link.get_attribute("href")
    assert f"/requests/track/{code}/" in secret_url
    _assert_no_identity(applicant)
    request = DisclosureRequest.objects.get(tracking_code=code)
    assert request.agency == matrix.agency_a
    assert request.status == RequestStatus.SUBMITTED
    assert request.received_on is None

    # Staff of the agency confirm receipt, then ask for a correction.
    staff = open_page("editor_a")
    staff.get_by_role("link", name="依申请公开").first.click()
    staff.get_by_role("link", name=code).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(staff.locator("main")).to_contain_text(NAME)  # staff may see who asked
    # An online request is received only once the agency confirms it.
    badge = staff.locator("h1 + .badge, .page-head .badge")
    expect(badge).to_have_text("网上提交待确认")
    panel = open_action(staff, "确认收到网上申请")
    panel.get_by_role("button", name="确认收到网上申请").click()
    expect(staff.get_by_text("已保存。")).to_be_visible()
    expect(badge).to_have_text("已登记")
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED
    assert request.received_on == timezone.localdate()  # the day of confirmation
    panel = open_action(staff, "告知补正")
    panel.locator("[name=notice]").fill(NOTICE)
    panel.get_by_role("button", name="告知补正").click()
    expect(staff.get_by_text("已保存。")).to_be_visible()
    expect(badge).to_have_text("待补正")

    # The applicant answers through the secret link.
    applicant.goto(secret_url)
    expect(applicant.get_by_role("heading", name="补正告知")).to_be_visible()
    expect(applicant.locator("main")).to_contain_text(NOTICE)
    assert axe_violations(applicant) == []
    applicant.get_by_label("补正内容").fill(CORRECTION)
    applicant.get_by_role("button", name="提交补正").click()
    expect(applicant.get_by_text(re.compile("补正内容已提交"))).to_be_visible()
    expect(applicant.get_by_role("heading", name="补正告知")).to_have_count(0)
    _assert_no_identity(applicant)

    # Staff see the correction and reply 予以公开.
    staff.reload()
    expect(staff.locator("main")).to_contain_text(CORRECTION)
    reply_disclosed(staff, REPLY)
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLIED

    # The applicant reads the reply through the same link.
    applicant.goto(secret_url)
    reply = applicant.locator(
        "section", has=applicant.get_by_role("heading", name="答复", exact=True)
    )
    expect(reply).to_contain_text("予以公开")
    expect(reply).to_contain_text(REPLY)
    assert axe_violations(applicant) == []
    _assert_no_identity(applicant)

    # Nor does any other public page name the applicant.
    for path in ("/", "/disclosures/", "/negative-lists/", "/requests/track/"):
        applicant.goto(applicant.base_url + path)
        _assert_no_identity(applicant)
