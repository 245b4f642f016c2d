"""A small fixed corpus of real published disclosures and list entries.

Historical disclosures go through the requests app's import service (the only
way to publish with a past date); one goes through the whole request →
conversion → approval workflow, so an applicant exists whose identity must never
surface in search.  Two negative-list entries are published for agency A.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from negative_list.models import Entry
from portal.models import Topic
from requests_.models import Disclosure
from requests_.services.imports import disclosures_import
from search import sync
from search.engines.base import SearchEngine
from tests.negative_list import factories as nl
from tests.requests_ import factories as fx

SCRIPT_TITLE = "<script>alert(1)</script>道路改建工程招标公告"
EXPO_DOC_NO = "沪府办发〔2023〕12号"


@dataclass
class Column:
    """What ``build_column`` published, by a short name per item."""

    disclosures: dict[str, Disclosure] = field(default_factory=dict)
    entries: list[Any] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    engine: SearchEngine | None = None

    def pk(self, name: str) -> int:
        return self.disclosures[name].pk

    def index_no(self, name: str) -> str:
        return self.disclosures[name].index_no


def topics() -> list[Topic]:
    return list(Topic.objects.filter(parent__isnull=False).order_by("code")[:3])


def _rows(matrix, t: list[Topic]) -> list[tuple[str, dict[str, Any]]]:
    a, b, sub, city = matrix.agency_a, matrix.agency_b, matrix.subunit_a, matrix.city
    return [
        (
            "social",
            {
                "title": "关于调整2023年度社会保险缴费基数的通知",
                "body": "社会保险缴费基数上限按照上年度全市职工月平均工资的300%确定。",
                "agency": a.code,
                "topic": t[0].code,
                "doc_no": "黄人社规〔2023〕5号",
                "published_on": dt.date(2023, 3, 1),
            },
        ),
        (
            "budget",
            {
                "title": "黄浦区2024年度部门预算",
                "body": "2024年度一般公共预算收入安排情况。",
                "agency": a.code,
                "topic": t[1].code,
                "published_on": dt.date(2024, 2, 10),
            },
        ),
        (
            "accounts",
            {
                "title": "黄浦区教育局2022年度部门决算",
                "body": "部门决算包括收入支出决算总表等九张报表。",
                "agency": sub.code,
                "topic": t[1].code,
                "published_on": dt.date(2022, 8, 1),
            },
        ),
        (
            "fund",
            {
                "title": "徐汇区住房公积金缴存基数调整的公告",
                "body": "住房公积金月缴存额上限调整，自7月1日起执行。",
                "agency": b.code,
                "topic": t[0].code,
                "published_on": dt.date(2024, 7, 1),
            },
        ),
        (
            "expo",
            {
                "title": "关于做好第六届中国国际进口博览会服务保障工作的通知",
                "body": "各区、各部门要做好进口博览会期间的城市运行保障。",
                "agency": city.code,
                "topic": t[2].code,
                "doc_no": EXPO_DOC_NO,
                "published_on": dt.date(2023, 10, 15),
            },
        ),
        (
            "script",
            {
                "title": SCRIPT_TITLE,
                "body": "项目预算金额500万元，投标截止时间为2021年6月1日。",
                "agency": b.code,
                "topic": t[2].code,
                "published_on": dt.date(2021, 5, 5),
            },
        ),
    ]


def build_column(matrix, engine: SearchEngine) -> Column:
    """Publish the corpus and drain the outbox into ``engine``."""
    column = Column(topics=topics(), engine=engine)
    rows = _rows(matrix, column.topics)
    imported = disclosures_import(
        rows=[(number, values) for number, (_, values) in enumerate(rows, start=2)]
    )
    column.disclosures = {name: d for (name, _), d in zip(rows, imported, strict=True)}
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    column.disclosures["converted"] = fx.published(
        editor, reviewer, matrix.agency_a, body="老旧小区综合改造项目资金共计3200万元。"
    )
    nl.published_list(editor, reviewer, matrix.agency_a, [{}, nl.second_wording()])
    column.entries = list(Entry.objects.order_by("pk"))
    result = sync.drain_all(engine)
    assert not result.failed, result.errors
    return column
