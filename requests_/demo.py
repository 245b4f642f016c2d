"""The requests part of the demo: requests in every state (several overdue or due
soon, relative to today), and a column of published disclosures across agencies.

Applicant names and numbers are invented; ID numbers are checksum-valid so the
screen and the intake validators treat them like real ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from portal.calendar import default_calendar
from portal.models import Agency, Topic
from requests_ import services
from requests_.demo_data import (
    APPLICANTS,
    CAIZHENG,
    COLUMN,
    HUANGPU,
    PUDONG,
    SUBJECTS,
    generated_column,
)
from requests_.models import (
    Channel,
    Disclosure,
    DisclosureRequest,
    DisclosureStatus,
    Outcome,
)
from requests_.services.imports import disclosures_import


def _topic(code: str) -> Topic | None:
    return (
        Topic.objects.filter(code=code).first()
        or Topic.objects.filter(code=code[:2]).first()
    )


def _users() -> dict[str, Any]:
    model = get_user_model()
    return {u.username: u for u in model.objects.all()}


def _column_row(
    agency: str,
    topic: str,
    title: str,
    doc_no: str,
    published: dt.date,
    keywords: str,
    summary: str,
    body: str,
) -> dict[str, Any]:
    found = _topic(topic)
    return {
        "index_no": "",
        "title": title,
        "body": body,
        "agency": agency,
        "topic": found.code if found is not None else topic,
        "doc_no": doc_no,
        "written_on": published - dt.timedelta(days=7),
        "published_on": published,
        "keywords": keywords,
        "summary": summary,
    }


def _title_names() -> dict[str, str]:
    """Name departments in full and districts by their short name, as titles do."""
    return {
        agency.code: agency.short_name
        if agency.kind == Agency.Kind.DISTRICT and agency.short_name
        else agency.name
        for agency in Agency.objects.all()
    }


def _seed_column() -> None:
    """Publish the hand-written items and the generated column, oldest first.

    Oldest first, so each agency's index numbers run in publication order within
    a year, as they would have been issued.
    """
    today = timezone.localdate()
    items = [
        (agency, topic, title, doc_no, today - dt.timedelta(days=ago), *rest)
        for agency, topic, title, doc_no, ago, *rest in COLUMN
    ]
    items += generated_column(_title_names(), today)
    items.sort(key=lambda item: item[4])
    rows = [(n, _column_row(*item)) for n, item in enumerate(items, 1)]
    disclosures_import(rows=rows)


def _working_days_ago(n: int) -> dt.date:
    calendar = default_calendar()
    day = timezone.localdate()
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


class _Seeder:
    def __init__(self, users: dict[str, Any], agencies: dict[str, Agency]) -> None:
        self.users = users
        self.agencies = agencies
        self.n = 0

    def register(
        self,
        agency_code: str,
        editor: str,
        working_days_ago: int,
        applicant: int | None = None,
    ) -> DisclosureRequest:
        """Register the next request; ``applicant`` picks one of ``APPLICANTS``."""
        pick = self.n if applicant is None else applicant
        name, id_number, phone, kind = APPLICANTS[pick % len(APPLICANTS)]
        title, description = SUBJECTS[self.n % len(SUBJECTS)]
        self.n += 1
        channel = [Channel.IN_PERSON, Channel.POST, Channel.EMAIL, Channel.FAX][
            self.n % 4
        ]
        registered = services.request_register(
            actor=self.users[editor],
            agency=self.agencies[agency_code],
            channel=channel,
            received_on=_working_days_ago(working_days_ago),
            applicant_type=kind,
            applicant_name=name,
            applicant_id_number=id_number,
            applicant_phone=phone,
            applicant_email=f"applicant{self.n}@example.com",
            applicant_address="上海市黄浦区人民大道200号",
            title=title,
            description=description,
        )
        return registered.request

    def in_progress(
        self, agency: str, editor: str, ago: int, applicant: int | None = None
    ) -> DisclosureRequest:
        request = self.register(agency, editor, ago, applicant)
        return services.request_accept(actor=self.users[editor], request=request)


def _seed_requests() -> None:
    users = _users()
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in=[HUANGPU, PUDONG, CAIZHENG])
    }
    s = _Seeder(users, agencies)
    hp, hr = users["huangpu_editor"], users["huangpu_reviewer"]
    # Received, fresh; and one whose correction notice is nearly due.
    s.register(HUANGPU, "huangpu_editor", 1)
    s.register(PUDONG, "pudong_editor", 5)
    # Correction requested, waiting for the applicant.
    r = s.register(HUANGPU, "huangpu_editor", 12)
    services.request_correction_request(
        actor=hp,
        request=r,
        on=_working_days_ago(9),
        notice="请补充所需信息的具体年度和项目名称，并说明所需信息的用途。",
    )
    # Corrected: clock restarted from the corrected request.
    r = s.register(PUDONG, "pudong_editor", 15)
    services.request_correction_request(
        actor=users["pudong_editor"],
        request=r,
        on=_working_days_ago(13),
        notice="请明确申请的道路名称及征收项目名称。",
    )
    services.request_correction_receive(
        actor=users["pudong_editor"],
        request=r,
        on=_working_days_ago(6),
        text="申请获取浦东新区某路（A路至B路段）道路拓宽工程的征收补偿方案。",
    )
    # Overdue (three), due soon (two), extended, consulting.
    s.in_progress(HUANGPU, "huangpu_editor", 24)
    s.in_progress(CAIZHENG, "caizheng_editor", 22)
    s.in_progress(PUDONG, "pudong_editor", 21)
    s.in_progress(HUANGPU, "huangpu_editor", 18)
    s.in_progress(CAIZHENG, "caizheng_editor", 17)
    r = s.in_progress(HUANGPU, "huangpu_editor", 19)
    services.request_extension_approve(
        actor=hr,
        request=r,
        days=15,
        on=_working_days_ago(2),
        reason="所申请信息涉及多个部门，需调取档案核查。",
        applicant_notice="因所申请信息需调档核查，答复期限延长15个工作日。",
        notified_on=_working_days_ago(2),
        notice_channel="email",
    )
    r = s.in_progress(PUDONG, "pudong_editor", 10)
    services.request_consultation_start(
        actor=users["pudong_editor"],
        request=r,
        kind="third_party",
        party="上海某置业有限公司",
        on=_working_days_ago(4),
        note="所申请信息涉及第三方商业信息，已书面征求第三方意见。",
    )
    # A large request: the per-volume fee notice is out and the clock stops
    # until the applicant pays (国办函〔2020〕109号).
    r = s.in_progress(CAIZHENG, "caizheng_editor", 8)
    services.fee_notify(
        actor=users["caizheng_editor"],
        request=r,
        scale="per_volume",
        quantity=120,
        how_to_pay="请持本通知到区财政局政府信息公开受理窗口缴纳，或通过非税收入缴款码缴纳。",
        on=_working_days_ago(3),
    )
    # Replied, conversion decision pending.
    r = s.in_progress(HUANGPU, "huangpu_editor", 14)
    services.request_reply(
        actor=hp,
        request=r,
        outcome=Outcome.DISCLOSED,
        replied_on=_working_days_ago(2),
        reply_text="经查，您申请的信息属于公开范围，现提供给您。",
    )
    # Partially disclosed and converted: a submitted draft with personal data to screen.
    r = s.in_progress(HUANGPU, "huangpu_editor", 16)
    r = services.request_reply(
        actor=hp,
        request=r,
        outcome=Outcome.PARTIAL,
        exemption_code="third_party",
        replied_on=_working_days_ago(5),
        reply_text="所申请信息中涉及个人隐私的部分不予公开，其余部分提供给您。",
    )
    r = services.conversion_decide(
        actor=hp,
        request=r,
        decision="convert",
        draft={
            "title": "南京东路街道2025年度为民办实事项目清单",
            "topic": _topic("0201"),
        },
    )
    services.disclosure_update(
        actor=hp,
        disclosure=r.disclosure,
        summary="公布南京东路街道2025年度为民办实事项目及完成情况。",
        keywords="为民办实事，街道，民生",
        body="2025年度南京东路街道共确定为民办实事项目10项，截至10月底已完成8项。\n"
        "项目联系人：街道办事处刘先生，电话13812345678。\n"
        f"本信息系依申请公开后转为主动公开，原申请人{APPLICANTS[(s.n - 1) % 7][0]}。",
    )
    # Submitted for approval: the request stays replied until it is published.
    services.disclosure_submit(actor=hp, disclosure=r.disclosure)
    # Closed, not converted (the applicant's own social security), approved by
    # the agency's reviewer: the applicant is a natural person (APPLICANTS[0]).
    r = s.in_progress(HUANGPU, "huangpu_editor", 30, applicant=0)
    services.request_reply(
        actor=hp,
        request=r,
        outcome=Outcome.DISCLOSED,
        replied_on=_working_days_ago(12),
        reply_text="现将您本人2023年度社会保险缴费记录提供给您。",
    )
    services.conversion_decide(
        actor=hp,
        request=r,
        decision="not_convert",
        reason="social_security",
        concerns_applicant=True,
    )
    services.conversion_review_approve(
        actor=hr, review=r.conversion_reviews.get(status="pending")
    )
    services.request_close(actor=hp, request=r)
    # Withheld (third party), closed, with an administrative review pending.
    r = s.in_progress(PUDONG, "pudong_editor", 35)
    r = services.request_reply(
        actor=users["pudong_editor"],
        request=r,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        replied_on=_working_days_ago(15),
        reply_text="所申请信息涉及第三方商业秘密，经征求意见第三方不同意公开，依据第十五条不予公开。",
    )
    services.request_close(actor=users["pudong_editor"], request=r)
    services.appeal_record(
        actor=users["pudong_editor"],
        request=r,
        kind="review",
        filed_on=_working_days_ago(8),
        body="上海市浦东新区人民政府",
    )
    # Disclosed and converted; the draft is still being edited.
    ce = users["caizheng_editor"]
    r = s.in_progress(CAIZHENG, "caizheng_editor", 20)
    r = services.request_reply(
        actor=ce,
        request=r,
        outcome=Outcome.DISCLOSED,
        replied_on=_working_days_ago(3),
        reply_text="现将2024年区机关办公设备采购项目合同提供给您。",
    )
    services.conversion_decide(
        actor=ce,
        request=r,
        decision="convert",
        draft={"title": "2024年办公设备政府采购项目合同", "topic": _topic("0401")},
    )
    # A column item withdrawn after publication leaves a tombstone.
    stale = (
        Disclosure.objects.public()
        .filter(agency__code=HUANGPU, title=COLUMN[0][2])
        .first()
    )
    services.disclosure_withdraw(
        actor=hr,
        disclosure=stale,
        reason="该计划已由2025年度计划替代，原信息停止公开。",
    )
    # Not held; lapsed; withdrawn.
    r = s.in_progress(CAIZHENG, "caizheng_editor", 28)
    services.request_reply(
        actor=users["caizheng_editor"],
        request=r,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        replied_on=_working_days_ago(10),
        reply_text="经查，本机关未制作或获取该信息，建议向区机关事务管理局咨询。",
    )
    r = s.register(HUANGPU, "huangpu_editor", 40)
    services.request_correction_request(
        actor=hp,
        request=r,
        on=_working_days_ago(37),
        reply_by=_working_days_ago(22),
        notice="请说明所需信息的名称、文号或其他特征描述。",
    )
    services.request_lapse(actor=hp, request=r)
    r = s.register(CAIZHENG, "caizheng_editor", 6)
    services.request_withdraw(
        actor=users["caizheng_editor"], request=r, reason="申请人电话告知撤回"
    )
    # Submitted online, not yet confirmed by the office (第三十一条): no clock yet.
    name, id_number, phone, kind = APPLICANTS[0]
    title, description = SUBJECTS[0]
    services.request_submit_online(
        agency=agencies[HUANGPU],
        applicant_type=kind,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        title=title,
        description=description,
    )


@transaction.atomic
def seed_demo(stdout: Any = None) -> None:
    """Add the demo column and requests, once."""
    if Disclosure.objects.exists() or DisclosureRequest.objects.exists():
        if stdout:
            stdout.write(summary())
        return
    needed = {HUANGPU, PUDONG, CAIZHENG}
    if (
        set(Agency.objects.filter(code__in=needed).values_list("code", flat=True))
        != needed
    ):
        return
    _seed_column()
    _seed_requests()
    if stdout:
        stdout.write(summary())


def summary() -> str:
    """Describe the column and requests with the figures the pages show.

    The home page and the column count what is public now; an item withdrawn
    after publication or scheduled for later is in the database but not among
    them, so each is named apart rather than added in.
    """
    public = Disclosure.objects.public().count()
    withdrawn = Disclosure.objects.filter(status=DisclosureStatus.WITHDRAWN).count()
    scheduled = (
        Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED).count() - public
    )
    drafts = Disclosure.objects.exclude(
        status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.WITHDRAWN]
    ).count()
    return (
        f"requests_: {public} disclosures public in the column "
        f"(also {withdrawn} withdrawn, {scheduled} scheduled, {drafts} in drafting "
        f"or review, none of them shown); "
        f"{DisclosureRequest.objects.count()} requests in every state"
    )
