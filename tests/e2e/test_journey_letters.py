"""Journey: the applicant submits, the agency replies with a released file and an
issued reply letter, and the applicant reads the letter and downloads the file
through the secret link. The applicant's name never shows on the applicant's side.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from requests_.models import DisclosureRequest
from tests.e2e.conftest import axe_violations, open_action, reply_disclosed, resident_id
from tests.letters import builders as b
from tests.letters.builders import letter_clock  # noqa: F401 - the fixture
from tests.requests_ import factories as rq

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("letter_clock"),
]

NAME = "司马文静"
ID_NUMBER = resident_id("31010119881123452")
TITLE = "本区2024年老旧小区加装电梯补贴发放情况"
REPLY = "现将本区2024年老旧小区加装电梯补贴发放情况提供给您。"
FILE_NAME = "加装电梯补贴发放表.pdf"


def test_applicant_reads_the_reply_letter_and_downloads_the_file(
    matrix, open_page, tmp_path
):
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"))

    # The applicant submits online.
    applicant = open_page()
    applicant.goto(applicant.base_url + "/requests/new/")
    applicant.get_by_label("向哪个机关申请").select_option(label=matrix.agency_a.name)
    applicant.get_by_label("申请人类型").select_option(label="自然人")
    applicant.get_by_label("姓名或名称").fill(NAME)
    applicant.get_by_label("身份证件号码").fill(ID_NUMBER)
    applicant.get_by_label("联系电话").fill("13800138000")
    applicant.get_by_label("所需信息名称").fill(TITLE)
    applicant.get_by_label("所需信息描述").fill("申请获取补贴发放的小区和金额。")
    applicant.get_by_role("button", name="提交申请").click()
    expect(applicant.get_by_role("heading", name="申请已提交")).to_be_visible()
    expect(applicant.locator("#next-step")).to_contain_text("个工作日内答复")
    code = applicant.locator(".tracking-code").inner_text()
    secret_url = applicant.locator('main a[href*="/requests/track/"]').get_attribute(
        "href"
    )
    request = DisclosureRequest.objects.get(tracking_code=code)

    # The agency confirms receipt, adds the released file and replies.
    staff = open_page("editor_a")
    staff.goto(f"{staff.base_url}/workspace/requests/{request.pk}/")
    panel = open_action(staff, "确认收到网上申请")
    panel.get_by_role("button", name="确认收到网上申请").click()
    expect(staff.get_by_text("已保存。")).to_be_visible()
    upload = tmp_path / FILE_NAME
    upload.write_bytes(rq.pdf_bytes("LIFT SUBSIDIES"))
    letters = staff.locator("#letters")
    letters.get_by_label(re.compile("提供给申请人的信息文件")).set_input_files(
        str(upload)
    )
    letters.get_by_role("button", name="添加文件").click()
    expect(staff.locator("#released-files")).to_contain_text(FILE_NAME)
    reply_disclosed(staff, REPLY)

    # Staff draft the reply letter, read it and issue it.
    staff.locator("#letters").get_by_label("文书类型").select_option(
        label="政府信息公开申请答复书"
    )
    staff.get_by_role("button", name="起草文书").click()
    expect(staff.locator("#letter")).to_contain_text(f"{NAME}：")
    expect(staff.locator("#letter")).to_contain_text(f"1. {FILE_NAME}")
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="签发").click()
    expect(staff.locator("#letter-number")).to_have_text("黄府信公复〔2099〕1号")

    # The applicant opens the tracking page, reads the letter, downloads the file.
    applicant.goto(secret_url)
    delivered = applicant.locator("#letters")
    expect(delivered.locator("#applicant-letters")).to_contain_text(
        "黄府信公复〔2099〕1号"
    )
    delivered.get_by_role(
        "link", name="上海市黄浦区人民政府政府信息公开申请答复书"
    ).click()
    expect(applicant.locator("#letter-number")).to_have_text("黄府信公复〔2099〕1号")
    sheet = applicant.locator("#letter")
    expect(sheet).to_contain_text(f"申请人（查询码 {code}）：")
    expect(sheet).to_contain_text(
        "依照《中华人民共和国政府信息公开条例》第三十六条第（二）项，本机关决定予以公开"
    )
    expect(sheet).to_contain_text("2099年3月15日")
    assert axe_violations(applicant) == []
    assert NAME not in applicant.content()
    applicant.get_by_role("link", name="返回申请办理进度").click()
    with applicant.expect_download() as download_info:
        applicant.locator("#applicant-files").get_by_role(
            "link", name=FILE_NAME
        ).click()
    download = download_info.value
    assert download.suggested_filename == FILE_NAME
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == rq.pdf_bytes("LIFT SUBSIDIES")
    assert NAME not in applicant.content()
    assert ID_NUMBER not in applicant.content()
