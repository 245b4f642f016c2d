"""Draft a letter's text from what the request records, by the law on its date.

The wording lives in Django templates, ``letters/<kind>.txt``; an agency's own
version, ``letters/agency/<agency code>/<kind>.txt``, wins when it exists. Templates
are files deployed with the portal (the project's ``templates/`` folder), not
rows an editor can change: template code runs on the server, so only whoever
deploys the portal writes it. Staff adjust the words of each letter in its draft.

The stored body never holds the applicant's name: the salutation is added when
the letter is shown (``letters.rendering``), by the identity rule of
``requests_.permissions.can_read_identity``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import select_template
from django.urls import reverse

from letters.models import LetterKind
from requests_.models import DisclosureRequest, ExemptionCode, Outcome, OutcomeCategory

REGULATION = "《中华人民共和国政府信息公开条例》"
# The amended 《行政复议法》 (adopted 2023-09-01) took effect on this day; from it on,
# a refusal to disclose must go to administrative review before court (第二十三条
# 第一款第（四）项).
REVIEW_FIRST_SINCE = dt.date(2024, 1, 1)
# A value the agency has not configured: the draft shows it, issuing refuses it.
MISSING = "【待填写：{what}】"
MISSING_MARK = "【待填写"

# The Regulation's article each outcome row of 表三 rests on.
OUTCOME_ARTICLES: dict[str, str] = {
    Outcome.DISCLOSED: "第三十六条第（二）项",
    Outcome.PARTIAL: "第三十七条",
    Outcome.UNAVAILABLE_NOT_HELD: "第三十六条第（四）项、第（五）项",
    Outcome.UNAVAILABLE_NEEDS_CREATION: "第三十八条",
    Outcome.UNAVAILABLE_STILL_UNCLEAR: "第三十条",
    Outcome.NOT_HANDLED_PETITION: "第三十九条第一款",
    Outcome.NOT_HANDLED_REPEAT: "第三十六条第（六）项",
    Outcome.NOT_HANDLED_PUBLICATION: "第三十九条第二款",
    Outcome.NOT_HANDLED_EXCESSIVE: "第三十五条",
    Outcome.NOT_HANDLED_CONFIRMATION: "第三十八条",
    Outcome.OTHER_NO_CORRECTION: "第三十条",
    Outcome.OTHER_FEE_UNPAID: "第四十二条",
    Outcome.OTHER_OTHER: "",
    **{o.value: "第三十六条第（三）项" for o in Outcome if o.category == "withheld"},
    # A query matter is told where to be queried, not refused (第三十六条第（七）项).
    Outcome.WITHHELD_ADMINISTRATIVE_QUERY: "第三十六条第（七）项",
}
# The article of each exemption (DOMAIN.md §2); a query matter is governed by the
# law that regulates it (第三十六条第（七）项).
EXEMPTION_ARTICLES: dict[str, str] = {
    ExemptionCode.STATE_SECRET: "第十四条",
    ExemptionCode.LAW_PROHIBITED: "第十四条",
    ExemptionCode.SECURITY_STABILITY: "第十四条",
    ExemptionCode.THIRD_PARTY: "第十五条",
    ExemptionCode.INTERNAL_AFFAIRS: "第十六条第一款",
    ExemptionCode.PROCESS_INFO: "第十六条第二款",
    ExemptionCode.ENFORCEMENT_FILE: "第十六条第二款",
    ExemptionCode.ADMINISTRATIVE_QUERY: "第三十六条第（七）项",
}
EXEMPTION_NAMES: dict[str, str] = {
    ExemptionCode.STATE_SECRET: "属于国家秘密",
    ExemptionCode.LAW_PROHIBITED: "属于法律、行政法规禁止公开的信息",
    ExemptionCode.SECURITY_STABILITY: (
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定"
    ),
    ExemptionCode.THIRD_PARTY: (
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"
    ),
    ExemptionCode.INTERNAL_AFFAIRS: "属于行政机关的内部事务信息",
    ExemptionCode.PROCESS_INFO: "属于行政机关在履行职责过程中形成的过程性信息",
    ExemptionCode.ENFORCEMENT_FILE: "属于行政执法案卷信息",
    ExemptionCode.ADMINISTRATIVE_QUERY: "属于行政查询事项，应当依照有关规定办理查询",
}
# Outcomes that refuse disclosure (wholly or in part): review first since 2024.
REFUSALS = frozenset(
    {Outcome.PARTIAL, *(o for o in Outcome if o.category == OutcomeCategory.WITHHELD)}
)


def cn_date(day: dt.date | None) -> str:
    """Write ``day`` the way a letter does: 2026年1月5日."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def missing(what: str) -> str:
    return MISSING.format(what=what)


def remedy_clause(*, agency: Any, on: dt.date, refusal: bool) -> str:
    """Return the route of appeal by the law in force on ``on``.

    Review within 60 days of receiving the letter (行政复议法第二十条; before 2024
    第九条), or a lawsuit within 6 months (行政诉讼法第四十六条). Since 2024-01-01
    a refusal to disclose must go to review first (行政复议法第二十三条第一款第
    （四）项); the court then hears it within 15 days of the review decision
    (行政诉讼法第四十五条).
    """
    body = agency.review_body or missing("行政复议机关")
    court = agency.court or missing("行政诉讼管辖法院")
    if refusal and on >= REVIEW_FIRST_SINCE:
        return (
            f"如对本答复不服，依照《中华人民共和国行政复议法》第二十三条第一款第（四）项，"
            f"应当先向{body}申请行政复议，申请期限为收到本答复之日起六十日内；"
            f"对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内，"
            f"向{court}提起行政诉讼。"
        )
    review_article = "第二十条" if on >= REVIEW_FIRST_SINCE else "第九条"
    return (
        f"如对本答复不服，可以依照《中华人民共和国行政复议法》{review_article}，"
        f"自收到本答复之日起六十日内向{body}申请行政复议；也可以依照"
        f"《中华人民共和国行政诉讼法》第四十六条，自收到本答复之日起六个月内"
        f"向{court}提起行政诉讼。"
    )


def _public_item(request: DisclosureRequest) -> dict[str, str] | None:
    disclosure = request.disclosure
    if disclosure is None or disclosure.status != "published":
        return None
    return {
        "title": disclosure.title,
        "index_no": disclosure.index_no,
        "path": reverse("requests_:disclosure_public", args=[disclosure.index_no]),
    }


def _fee_notice(request: DisclosureRequest) -> Any:
    notices = getattr(request, "fee_notices", None)
    return notices.order_by("-id").first() if notices is not None else None


def context(
    request: DisclosureRequest, kind: str, on: dt.date, released: list[str]
) -> dict[str, Any]:
    """Return what a letter's template may use: workflow facts, never identity."""
    agency = request.agency
    outcome = Outcome(request.outcome) if request.outcome else None
    entry = request.negative_list_entry
    exemption = request.exemption_code
    fee = _fee_notice(request) if kind == LetterKind.FEE else None
    return {
        "agency_name": agency.name,
        "tracking_code": request.tracking_code,
        "title": request.title,
        "document_hint": request.document_hint,
        "received_on": cn_date(request.received_on),
        "letter_date": cn_date(on),
        "regulation": REGULATION,
        "correction_notice": request.correction_notice,
        "correction_reply_by": cn_date(request.correction_reply_by),
        "extension_days": request.extension_days,
        "extension_reason": request.extension_reason,
        "extension_notice": request.extension_notice,
        "reply_due_on": cn_date(request.reply_due_on),
        "consultation_note": request.consultation_note,
        "consultation_due_on": cn_date(getattr(request, "consultation_due_on", None)),
        "outcome": outcome,
        "outcome_label": outcome.label if outcome else "",
        "category": outcome.category.value if outcome else "",
        "outcome_article": OUTCOME_ARTICLES.get(request.outcome, ""),
        "exemption": exemption,
        "exemption_name": EXEMPTION_NAMES.get(exemption, ""),
        "exemption_article": EXEMPTION_ARTICLES.get(exemption, ""),
        "entry_code": entry.code if entry is not None else "",
        "entry_title": getattr(entry, "title", "") if entry is not None else "",
        "reply_text": request.reply_text,
        "public_item": _public_item(request),
        "released_files": released,
        "fee": fee,
        "fee_pay_by": cn_date(getattr(fee, "pay_by", None)),
        "remedy": remedy_clause(agency=agency, on=on, refusal=outcome in REFUSALS)
        if kind == LetterKind.REPLY
        else "",
    }


def template_names(agency: Any, kind: str) -> list[str]:
    return [f"letters/agency/{agency.code}/{kind}.txt", f"letters/{kind}.txt"]


def draft_body(
    request: DisclosureRequest, kind: str, on: dt.date, released: list[str]
) -> str:
    """Render the draft body of a ``kind`` letter for ``request`` dated ``on``."""
    template = select_template(template_names(request.agency, kind))
    text = template.render(context(request, kind, on, released))
    # Templates are written for legibility; the letter keeps one blank-free line
    # per paragraph.
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def title_for(agency: Any, kind: str) -> str:
    """Return the letter's heading: the agency's name and the document's name."""
    name = LetterKind(kind).label
    if kind == LetterKind.REPLY:
        return f"{agency.name}{name}"
    return f"{agency.name}政府信息公开{name}"
