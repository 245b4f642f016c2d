"""The public shell and the staff workspace in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_is_chinese_and_accessible(page):
    """The home page says what the portal is, in Chinese, with no grave axe findings."""
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "政务公开平台" in page.title()
    assert axe_violations(page) == []


def test_keyboard_user_can_skip_to_content(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    # The fragment navigation is asynchronous: wait for it instead of racing it.
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("#main")).to_be_focused()


def test_staff_signs_in_and_explains_a_deadline(page, matrix):
    """An editor signs in, opens the calendar and sees a deadline explained."""
    login(page, "editor_a")
    # expect() waits for the page to get there; is_visible() would answer at once.
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="工作日历").click()
    page.get_by_label("起算日（收到申请之日）").fill("2025-09-26")
    page.get_by_label("工作日数").fill("20")
    page.get_by_role("button", name="计算").click()
    expect(page.locator(".deadline-result")).to_contain_text("2025年10月30日")
    expect(page.locator(".explanation")).to_contain_text("国庆节")
    assert axe_violations(page) == []


def test_login_page_is_accessible_and_reports_bad_password(page, matrix):
    """A wrong password keeps the visitor on the login page with one alert saying so."""
    page.goto(page.base_url + "/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_label("用户名").fill("editor_a")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("用户名和密码")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
