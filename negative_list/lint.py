"""Automatic checks of an entry's wording, shown to editors and reviewers.

The checks advise; the reviewer decides. Each finding has a stable code and a
message in Chinese; the message templates are module constants tests import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list import similarity
from negative_list.models import Entry, EntryVersion, Provision

NO_PROVISION = _("未引用任何不予公开的法律政策依据。")
REPEALED_PROVISION = _("引用的%(citation)s已于%(date)s废止，请改引现行有效的规定。")
CATEGORY_MISMATCH = _(
    "类别“%(category)s”与所引条款不一致：%(citations)s 不支持该类别。"
)
VAGUE_WORDING = _(
    "具体范围“%(scope)s”属于笼统的兜底表述（“%(phrase)s”），不符合“详细具体、便于监督”的要求。"
)
SCOPE_TOO_SHORT = _(
    "具体范围只有%(length)d个字，不足以说明不予公开的具体内容（至少%(minimum)d个字）。"
)
NEAR_DUPLICATE = _(
    "与%(agency)s的事项“%(code)s %(title)s”高度相似（相似度%(percent)d%%），"
    "请核实是否重复。"
)
PROACTIVE_OVERLAP = _(
    "具体范围涉及应当主动公开的内容（“%(phrase)s”，《中华人民共和国政府信息公开条例》"
    "第十九条、第二十条），不能整体列入负面清单。"
)

MIN_SCOPE_CHARS = 12
NEAR_DUPLICATE_THRESHOLD = 0.6
# A short scope ending like this is a catch-all in its entirety.
VAGUE_SHORT_CHARS = 20
VAGUE_ANYWHERE = ("不宜公开", "不便公开", "不适宜公开", "不宜对外", "其他敏感")
VAGUE_ENDINGS = (
    "等信息",
    "等材料",
    "等事项",
    "等文件",
    "等内容",
    "相关信息",
    "有关信息",
    "相关材料",
    "相关事项",
    "相关内容",
    "等",
)
_OTHER_RE = re.compile(r"^(其他|其它)")
# What 第二十条 of the Regulation lists for proactive disclosure: an entry that
# withholds these as such contradicts the Regulation.
PROACTIVE_PHRASES = (
    "预算",
    "决算",
    "三公经费",
    "收费项目",
    "收费标准",
    "政府集中采购",
    "行政许可结果",
    "行政处罚结果",
    "公务员招考",
    "招考职位",
    "发展规划",
    "规范性文件",
    "应急预案",
    "机构职能",
    "机构设置",
    "征收补偿标准",
    "补偿标准",
    "统计数据汇总",
    "统计年鉴",
    "重大建设项目",
    "扶贫资金",
)
# Phrases that make a proactive phrase specific enough to be a legitimate
# exemption (the draft of a budget, the working papers of a procurement).
PROACTIVE_QUALIFIERS = (
    "草案",
    "过程稿",
    "讨论",
    "征求意见",
    "内部",
    "个人",
    "身份",
    "商业秘密",
    "隐私",
    "尚未",
    "评审专家",
    "投标文件",
    "审议前",
)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.code, self.code)


CHECK_LABELS = {
    "no_provision": _("缺少依据"),
    "repealed_provision": _("依据已废止"),
    "category_mismatch": _("类别与依据不符"),
    "vague_wording": _("兜底表述"),
    "scope_too_short": _("范围过短"),
    "near_duplicate": _("疑似重复"),
    "proactive_overlap": _("应主动公开"),
}


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip("。；;.，,")


def check_provisions(provisions: list[Provision], today=None) -> list[Finding]:
    if not provisions:
        return [Finding("no_provision", str(NO_PROVISION))]
    day = today or timezone.localdate()
    return [
        Finding(
            "repealed_provision",
            REPEALED_PROVISION
            % {
                "citation": p.citation,
                "date": chinese_date(p.repealed_on),
            },
        )
        for p in provisions
        if p.is_repealed(day)
    ]


def check_category(
    category_code: str, category_name: str, provisions: list[Provision]
) -> list[Finding]:
    """Flag a category that none of the category-bearing provisions supports."""
    bearing = [p for p in provisions if p.exemption_codes]
    if not bearing or any(category_code in p.exemption_codes for p in bearing):
        return []
    citations = "、".join(p.citation for p in bearing)
    return [
        Finding(
            "category_mismatch",
            CATEGORY_MISMATCH % {"category": category_name, "citations": citations},
        )
    ]


def vague_phrase(scope: str) -> str | None:
    """Return the catch-all phrase that makes ``scope`` vague, or None."""
    text = _clean(scope)
    for phrase in VAGUE_ANYWHERE:
        if phrase in text:
            return phrase
    match = _OTHER_RE.match(text)
    if match:
        return match.group(1)
    if len(text) <= VAGUE_SHORT_CHARS:
        for ending in VAGUE_ENDINGS:
            if text.endswith(ending):
                return ending
    return None


def check_wording(scope: str) -> list[Finding]:
    findings = []
    phrase = vague_phrase(scope)
    if phrase:
        findings.append(
            Finding(
                "vague_wording",
                VAGUE_WORDING % {"scope": _clean(scope), "phrase": phrase},
            )
        )
    length = len(_clean(scope))
    if length < MIN_SCOPE_CHARS:
        findings.append(
            Finding(
                "scope_too_short",
                SCOPE_TOO_SHORT % {"length": length, "minimum": MIN_SCOPE_CHARS},
            )
        )
    return findings


def check_proactive(title: str, scope: str) -> list[Finding]:
    text = _clean(f"{title}{scope}")
    if any(q in text for q in PROACTIVE_QUALIFIERS):
        return []
    for phrase in PROACTIVE_PHRASES:
        if phrase in text:
            return [
                Finding("proactive_overlap", PROACTIVE_OVERLAP % {"phrase": phrase})
            ]
    return []


def _comparable_versions(entry: Entry | None) -> Iterable[EntryVersion]:
    """Current wordings the author of ``entry`` may compare against.

    Other agencies' entries count only once published: the findings are shown to
    whoever handles this entry, and another agency's drafts are not theirs to see.
    """
    visible = Q(entry__status=Entry.Status.PUBLISHED)
    if entry is not None and entry.agency_id:
        visible |= Q(entry__agency_id=entry.agency_id)
    qs = (
        EntryVersion.objects.filter(entry__latest_version=F("pk"))
        .filter(visible)
        .exclude(entry__status=Entry.Status.RETIRED)
    )
    if entry is not None and entry.pk:
        qs = qs.exclude(entry=entry)
    return qs.select_related("entry__agency").only(
        "title",
        "scope",
        "entry__code",
        "entry__agency__name",
        "entry__agency__short_name",
    )


def check_duplicates(entry: Entry | None, title: str, scope: str) -> list[Finding]:
    """Flag own or published entries whose wording shares most tokens with this one."""
    mine = similarity.tokens(f"{title} {scope}")
    if not mine:
        return []
    findings = []
    for other in _comparable_versions(entry):
        score = similarity.jaccard(
            mine, similarity.tokens(f"{other.title} {other.scope}")
        )
        if score >= NEAR_DUPLICATE_THRESHOLD:
            findings.append(
                Finding(
                    "near_duplicate",
                    NEAR_DUPLICATE
                    % {
                        "agency": other.entry.agency.display_name,
                        "code": other.entry.code,
                        "title": other.title,
                        "percent": round(score * 100),
                    },
                )
            )
    return findings


def check_version(version: EntryVersion, today=None) -> list[Finding]:
    """Run every check on one wording of an entry."""
    provisions = list(version.provisions.prefetch_related("exemptions"))
    for p in provisions:
        p.exemption_codes = {e.code for e in p.exemptions.all()}
    return [
        *check_provisions(provisions, today),
        *check_category(version.category_id, version.category.short_name, provisions),
        *check_wording(version.scope),
        *check_proactive(version.title, version.scope),
        *check_duplicates(version.entry, version.title, version.scope),
    ]
