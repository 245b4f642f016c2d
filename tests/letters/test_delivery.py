"""Issued letters leave for the applicant's e-mail (text + DOCX) through the
messaging queue; notices are drafted from the step they record."""

from __future__ import annotations

import io

import pytest
from docx import Document

from letters import services
from messaging.models import Message
from requests_ import services as rq_services
from tests.letters import builders as b
from tests.requests_ import factories as rq

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letter_clock")]


@pytest.fixture
def editor(matrix):
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    return matrix.user("editor_a")


def test_issued_reply_is_queued_to_the_applicants_email(matrix, editor):
    letter, _ = b.issued_reply(editor, matrix.agency_a)
    message = Message.objects.get(request=letter.request)
    code = letter.request.tracking_code
    assert (message.to, message.kind) == (rq.APPLICANT_EMAIL, "letter")
    assert message.subject == (
        "上海市黄浦区人民政府政府信息公开申请答复书 黄府信公复〔2099〕1号"
    )
    lines = message.body.splitlines()
    assert lines[:4] == [
        "上海市黄浦区人民政府政府信息公开申请答复书",
        "黄府信公复〔2099〕1号",
        "",
        f"申请人（查询码 {code}）：",
    ]
    assert lines[-2:] == ["上海市黄浦区人民政府", "2099年3月15日"]
    assert rq.APPLICANT_NAME not in message.body
    (attachment,) = message.attachments.all()
    assert attachment.filename == "政府信息公开申请答复书-黄府信公复〔2099〕1号.docx"
    paragraphs = [p.text for p in Document(io.BytesIO(attachment.content)).paragraphs]
    assert paragraphs[:2] == lines[:2]


def test_no_email_no_message(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a, applicant_email="")
    request = b.reply_for(editor, request, "other.other")
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    services.letter_issue(actor=editor, letter=letter)
    assert Message.objects.filter(request=request).count() == 0


def test_drafts_and_consultation_letters_are_not_sent(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.consulting(editor, request, "agency", "上海市黄浦区财政局")
    letter = services.letter_draft(actor=editor, request=request, kind="consult_agency")
    assert Message.objects.filter(request=request).count() == 0
    issued = services.letter_issue(actor=editor, letter=letter)
    assert issued.addressee == "上海市黄浦区财政局"
    assert Message.objects.filter(request=request).count() == 0


def test_extension_notice_from_the_approved_extension(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a)
    request = rq_services.request_extension_approve(
        actor=matrix.user("reviewer_a"),
        request=request,
        days=15,
        reason="需要调取多个街道的档案",
        applicant_notice="本机关将尽快答复。",
        notified_on=b.RECEIVED,
        notice_channel="email",
        on=b.RECEIVED,
    )
    letter = services.letter_draft(actor=editor, request=request, kind="extension")
    due = request.reply_due_on
    assert letter.body.splitlines()[1] == (
        "因需要调取多个街道的档案，本机关不能在法定期限内作出答复。依照"
        "《中华人民共和国政府信息公开条例》第三十三条第二款，经政府信息公开工作机构"
        "负责人同意，答复期限延长15个工作日，本机关将于"
        f"{due.year}年{due.month}月{due.day}日前作出答复。"
    )
    issued = services.letter_issue(actor=editor, letter=letter)
    assert issued.number == "黄府信公延〔2099〕1号"


def test_fee_notice_from_the_fee_notice_row(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a)
    notice = rq_services.fee_notify(
        actor=editor,
        request=request,
        scale="per_volume",
        quantity=500,
        how_to_pay="银行转账至本机关账户",
        on=b.RECEIVED,
    )
    letter = services.letter_draft(actor=editor, request=request, kind="fee")
    lines = letter.body.splitlines()
    pay_by = notice.pay_by
    assert lines[2] == f"计收方式：按量计收；收费金额：{notice.amount}元。"
    assert lines[4] == "缴费方式：银行转账至本机关账户"
    assert lines[5] == f"请于{pay_by.year}年{pay_by.month}月{pay_by.day}日前缴纳。"
    assert services.letter_issue(actor=editor, letter=letter).number == (
        "黄府信公费〔2099〕1号"
    )
