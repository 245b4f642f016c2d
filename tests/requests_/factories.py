"""Helpers that build requests and disclosures through the services, so every
object in a test went through the same rules as in production."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.models import Topic
from requests_ import services
from requests_.models import ApplicantType, Channel, Outcome
from requests_.services import conversion

APPLICANT_NAME = "欧阳志远"
APPLICANT_ID = "310101198503124816"
APPLICANT_PHONE = "13912345678"
APPLICANT_EMAIL = "ouyang.zy@example.com"
APPLICANT_ADDRESS = "上海市黄浦区南京东路100号"
OTHER_VALID_ID = "11010519491231002X"
PUBLISHED_SAMPLE_ID = OTHER_VALID_ID  # The sample of GB 11643-1999.


def mod11_2(first17: str) -> str:
    """Compute the ID check character the recursive ISO 7064 way:
    p = 2 * (p + digit) mod 11, independently of the code under test."""
    p = 0
    for digit in first17:
        p = (p + int(digit)) * 2 % 11
    check = (12 - p) % 11
    return "X" if check == 10 else str(check)


def applicant(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": APPLICANT_NAME,
        "applicant_id_number": APPLICANT_ID,
        "applicant_phone": APPLICANT_PHONE,
        "applicant_email": APPLICANT_EMAIL,
        "applicant_address": APPLICANT_ADDRESS,
    }
    data.update(overrides)
    return data


def register(
    actor: Any, agency: Any, received_on: dt.date | None = None, **overrides: Any
):
    """Register a request by post through the service; return (request, secret)."""
    fields = {
        "channel": Channel.POST,
        "received_on": received_on or timezone.localdate(),
        "title": "2024年度老旧小区综合改造项目资金安排情况",
        "description": "申请获取本区2024年度老旧小区综合改造项目的资金安排及实施名单。",
        **applicant(),
    }
    fields.update(overrides)
    registered = services.request_register(actor=actor, agency=agency, **fields)
    return registered.request, registered.secret


def reply(
    actor: Any,
    request: Any,
    outcome: str = Outcome.DISCLOSED,
    reply_text: str = "x",
    **extra: Any,
):
    """Reply to ``request`` through the service (a placeholder text unless given)."""
    return services.request_reply(
        actor=actor, request=request, outcome=outcome, reply_text=reply_text, **extra
    )


def replied(
    actor: Any, agency: Any, outcome: str = Outcome.DISCLOSED, **overrides: Any
):
    request, _ = register(actor, agency, **overrides)
    return reply(
        actor,
        request,
        outcome,
        "经查，现将所申请信息提供给您。",
        exemption_code="third_party" if outcome == Outcome.PARTIAL else "",
    )


def topic() -> Topic:
    """Return a seeded sub-class (re-created when a transactional test flushed it)."""
    found = Topic.objects.filter(parent__isnull=False).first()
    if found is not None:
        return found
    parent, _ = Topic.objects.get_or_create(
        code="10", defaults={"name": "城乡建设、环境保护"}
    )
    child, _ = Topic.objects.get_or_create(
        code="1001", defaults={"name": "城乡建设（含住房）", "parent": parent}
    )
    return child


def converted_draft(editor: Any, agency: Any, body: str = "", **overrides: Any):
    """Return a draft disclosure created by converting a disclosed request."""
    request = replied(editor, agency, **overrides)
    request = services.conversion_decide(
        actor=editor,
        request=request,
        decision="convert",
        draft={"title": "2024年度老旧小区综合改造项目资金安排", "topic": topic()},
    )
    disclosure = request.disclosure
    if body:
        disclosure = services.disclosure_update(
            actor=editor, disclosure=disclosure, body=body
        )
    return disclosure


def propose(editor: Any, request: Any, reason: str = "registration", **extra: Any):
    """Propose "not convert" for the applicant's own data; return the proposal."""
    services.conversion_decide(
        actor=editor,
        request=request,
        decision="not_convert",
        reason=reason,
        concerns_applicant=True,
        **extra,
    )
    return conversion.pending_proposal(request)


def submitted(
    editor: Any, agency: Any, body: str = "项目资金共计3200万元，涉及12个小区。"
):
    disclosure = converted_draft(editor, agency, body=body)
    return services.disclosure_submit(actor=editor, disclosure=disclosure)


def published(editor: Any, reviewer: Any, agency: Any, **kwargs: Any):
    disclosure = submitted(editor, agency, **kwargs)
    return services.disclosure_approve(actor=reviewer, disclosure=disclosure)


def saved(document: Any) -> bytes:
    """Return the bytes of a python-docx Document or an openpyxl Workbook."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    """Return a minimal one-page PDF whose text layer holds ``text`` (ASCII only)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length "
        + str(len(content)).encode()
        + b" >>\nstream\n"
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return out


def pdf_upload(text: str, name: str = "附件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")
