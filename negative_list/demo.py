"""Demo negative lists: 黄浦区 (two versions) and 市财政局 (under periodic review).

Entries cite real provisions from the seeded catalogue; one 市财政局 entry still
cites the repealed 2007 Regulation (the legality review should catch it), and a
黄浦区 draft uses the catch-all wording the checks flag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from negative_list import selectors, services
from negative_list.models import Entry, Exemption, ListVersion, Provision
from negative_list.services import EntryContent
from negative_list.services.entries import create_entry_unchecked
from portal.models import Agency

HUANGPU = "310101000"
CAIZHENG = "310000107"
REG = "《中华人民共和国政府信息公开条例》"
REG_2007 = "《中华人民共和国政府信息公开条例》（2007年）"
REVIEW_DAYS = 20

HUANGPU_V1 = [
    (
        "state_secret",
        "涉及国家秘密的文件资料",
        "依法确定为国家秘密的文件、资料、会议纪要、统计报表及其电子载体，在解密之前",
        [
            (REG, "第十四条"),
            ("《中华人民共和国保守国家秘密法》", "第十三条"),
            ("《中华人民共和国保守国家秘密法实施条例》", "第五条"),
        ],
        "区保密办",
        "",
    ),
    (
        "process_info",
        "区政府常务会议讨论记录",
        "区政府常务会议、专题会议的讨论记录和会议纪要中尚未形成决定的内容",
        [(REG, "第十六条第二款")],
        "区政府办公室",
        "会议形成的决定按规定主动公开。",
    ),
    (
        "internal_affairs",
        "干部人事档案",
        "区管干部人事档案中的考察材料、任免审批表、奖惩材料及个人履历等档案材料",
        [(REG, "第十六条第一款"), ("《干部档案工作条例》", "")],
        "区委组织部",
        "",
    ),
    (
        "third_party",
        "行政管理中获取的个人信息",
        "行政管理中获取的自然人身份证件号码、家庭住址、联系方式、健康状况、银行账户等个人信息",
        [
            (REG, "第十五条"),
            ("《中华人民共和国个人信息保护法》", "第二十八条"),
            ("《中华人民共和国民法典》", "第一千零三十二条"),
        ],
        "各相关部门",
        "权利人同意公开或不公开会对公共利益造成重大影响的，依法公开。",
    ),
    (
        "enforcement_file",
        "行政执法案卷",
        "行政检查、行政强制案件办理中形成的调查笔录、询问笔录、证据材料及内部审批意见",
        [(REG, "第十六条第二款")],
        "区司法局",
        "行政处罚决定按规定主动公开。",
    ),
    (
        "security_stability",
        "矛盾纠纷排查处置方案",
        "涉及群体性事件的矛盾纠纷排查情况、维稳工作预案及处置方案中公开后可能危及社会稳定的内容",
        [(REG, "第十四条")],
        "区委政法委",
        "",
    ),
]

HUANGPU_AMENDED_SCOPE = (
    "区政府常务会议、专题会议的讨论记录，以及会议纪要中尚未形成正式决定、"
    "仍在研究论证的内容"
)
HUANGPU_V2_ADDED = (
    "process_info",
    "请示报告与磋商信函",
    "区政府及其工作部门向上级机关报送的请示、报告，以及与其他机关之间往来的磋商信函",
    [(REG, "第十六条第二款")],
    "区政府办公室",
    "",
)

CAIZHENG_V1 = [
    (
        "third_party",
        "纳税人涉税保密信息",
        "纳税人、扣缴义务人的纳税申报资料、账簿凭证及税务机关依法保密的其他涉税情况",
        [(REG, "第十五条"), ("《中华人民共和国税收征收管理法》", "第八条第二款")],
        "税政管理处",
        "",
    ),
    (
        "process_info",
        "预算编制过程稿",
        "市级部门预算、市对区转移支付安排在报市人大审议前的草案、测算底稿及部门间磋商意见",
        [(REG, "第十六条第二款")],
        "预算处",
        "经市人大批准的预算、决算按规定主动公开。",
    ),
    (
        "third_party",
        "政府采购投标文件中的商业秘密",
        "政府采购活动中供应商投标（响应）文件所含的技术方案、成本构成、报价明细等商业秘密",
        [(REG, "第十五条"), ("《中华人民共和国反不正当竞争法》", "第九条第四款")],
        "政府采购管理处",
        "中标、成交结果按规定主动公开。",
    ),
    (
        "law_prohibited",
        "单个统计调查对象资料",
        "财政统计调查中获得的能够识别或者推断单个统计调查对象身份的资料",
        [("《中华人民共和国统计法》", "第二十五条"), (REG, "第十四条")],
        "综合处",
        "",
    ),
    (
        "security_stability",
        "地方金融风险处置信息",
        "地方金融风险处置过程中公开后可能引发市场异常波动、危及经济安全的预警信息和处置方案",
        [(REG_2007, "第八条")],
        "金融处",
        "",
    ),
]

INTERPRETATIONS = {
    HUANGPU: (
        "<p>依据《中华人民共和国政府信息公开条例》第十四条、第十五条、第十六条，以及《中华人民共和国"
        "保守国家秘密法》等法律法规，逐项审核清单事项的合法性。</p>",
        "<ul><li>情势变化后可以公开的事项，及时调出清单；</li><li>范围过宽的事项，压缩到具体文件和数据；"
        "</li><li>“其他不宜公开的信息”等兜底表述一律不得列入。</li></ul>",
        "<p>清单由区政府办公室统一发布，每年组织一次定期评审；申请公开的信息属于清单事项的，"
        "在答复中引用清单编号和依据。</p>",
    ),
    CAIZHENG: (
        "<p>依据《中华人民共和国政府信息公开条例》、《中华人民共和国税收征收管理法》、"
        "《中华人民共和国统计法》等规定审核。</p>",
        "<p>预算、决算经批准后一律主动公开；仅过程稿和第三方商业秘密列入清单。</p>",
        "<p>由局办公室会同法规处每年评审一次。</p>",
    ),
}


def _content(spec: tuple, provisions: dict) -> EntryContent:
    category, title, scope, cited, unit, notes = spec
    return EntryContent(
        category=Exemption.objects.get(code=category),
        title=title,
        scope=scope,
        provisions=tuple(provisions[key] for key in cited),
        responsible_unit=unit,
        notes=notes,
    )


def _approve(
    editor: Any, reviewer: Any, agency: Agency, spec: tuple, provisions: dict
) -> Entry:
    content = _content(spec, provisions)
    if any(p.is_repealed() for p in content.provisions):
        # Drafting refuses a repealed provision; this entry stands for one carried
        # over from the list as it was before the 2019 revision (as an import is).
        entry = create_entry_unchecked(actor=editor, agency=agency, content=content)
    else:
        entry = services.entry_create(actor=editor, agency=agency, content=content)
    services.entry_submit(actor=editor, entry=entry)
    return services.entry_approve(actor=reviewer, entry=entry)


def _publish_list(
    users: dict, agency: Agency, prefix: str, specs: list, provisions: dict
) -> None:
    for spec in specs:
        _approve(
            users[f"{prefix}_editor"],
            users[f"{prefix}_reviewer"],
            agency,
            spec,
            provisions,
        )
    basis, standards, procedure = INTERPRETATIONS[agency.code]
    services.interpretation_update(
        actor=users[f"{prefix}_editor"],
        agency=agency,
        review_basis=basis,
        adjustment_standards=standards,
        operating_procedure=procedure,
    )
    services.list_version_publish(
        actor=users[f"{prefix}_reviewer"], agency=agency, note="首次发布。"
    )


def _huangpu_second_version(users: dict, agency: Agency, provisions: dict) -> None:
    editor, reviewer = users["huangpu_editor"], users["huangpu_reviewer"]
    meeting = Entry.objects.get(agency=agency, serial=2)
    services.entry_amend(
        actor=editor, entry=meeting, change_note="明确会议纪要的不公开范围。"
    )
    spec = list(HUANGPU_V1[1])
    spec[2] = HUANGPU_AMENDED_SCOPE
    services.entry_update(
        actor=editor, entry=meeting, content=_content(tuple(spec), provisions)
    )
    services.entry_submit(actor=editor, entry=meeting)
    services.entry_approve(actor=reviewer, entry=meeting)
    _approve(editor, reviewer, agency, HUANGPU_V2_ADDED, provisions)
    services.list_version_publish(actor=reviewer, agency=agency, note="年度调整。")


def _huangpu_work_in_progress(users: dict, agency: Agency, provisions: dict) -> None:
    editor, reviewer = users["huangpu_editor"], users["huangpu_reviewer"]
    services.entry_create(
        actor=editor,
        agency=agency,
        content=_content(
            (
                "internal_affairs",
                "其他信息",
                "其他不宜公开的信息",
                [(REG, "第十六条第一款")],
                "区政府办公室",
                "",
            ),
            provisions,
        ),
    )
    submitted = services.entry_create(
        actor=editor,
        agency=agency,
        content=_content(
            (
                "third_party",
                "区属国有企业经营信息",
                "区属国有企业在招商引资谈判中提供的经营数据、投资计划等商业秘密",
                [
                    (REG, "第十五条"),
                    ("《中华人民共和国反不正当竞争法》", "第九条第四款"),
                ],
                "区国资委",
                "",
            ),
            provisions,
        ),
    )
    services.entry_submit(actor=editor, entry=submitted)
    returned = services.entry_create(
        actor=editor,
        agency=agency,
        content=_content(
            (
                "law_prohibited",
                "统计资料",
                "区统计年鉴数据及相关统计信息",
                [("《中华人民共和国统计法》", "第二十五条")],
                "区统计局",
                "",
            ),
            provisions,
        ),
    )
    services.entry_submit(actor=editor, entry=returned)
    services.entry_return(
        actor=reviewer,
        entry=returned,
        reason="统计年鉴属于应当主动公开的统计信息；只有能够识别或者推断单个统计调查对象身份的资料才能列入。",
    )


def _caizheng_review_cycle(users: dict, agency: Agency) -> None:
    cycle = services.review_cycle_open(
        actor=users["coordinator"],
        title=f"{timezone.localdate().year}年度市财政局负面清单定期评审",
        agency=agency,
        due_on=timezone.localdate() + dt.timedelta(days=REVIEW_DAYS),
    )
    first = cycle.tasks.order_by("entry__serial").first()
    services.review_task_record(
        actor=users["caizheng_reviewer"],
        task=first,
        legality="pass",
        conciseness="pass",
        decision="retain",
        reasons="",
    )


@transaction.atomic
def seed_demo(stdout: Any = None) -> None:
    """Give 黄浦区 and 市财政局 published lists, work in progress and a review cycle."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[HUANGPU, CAIZHENG])}
    if (
        len(agencies) < 2
        or ListVersion.objects.filter(agency__in=agencies.values()).exists()
    ):
        return
    names = [
        "coordinator",
        "huangpu_editor",
        "huangpu_reviewer",
        "caizheng_editor",
        "caizheng_reviewer",
    ]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    provisions = {(p.law, p.article): p for p in Provision.objects.all()}
    _publish_list(users, agencies[HUANGPU], "huangpu", HUANGPU_V1, provisions)
    _huangpu_second_version(users, agencies[HUANGPU], provisions)
    _huangpu_work_in_progress(users, agencies[HUANGPU], provisions)
    _publish_list(users, agencies[CAIZHENG], "caizheng", CAIZHENG_V1, provisions)
    _caizheng_review_cycle(users, agencies[CAIZHENG])
    if stdout is not None:
        count = len(selectors.published_lists())
        stdout.write(f"negative lists: {count} published, 1 review cycle open")
