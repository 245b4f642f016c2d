"""A hand-built history of refusals, reviews and lawsuits for the usage tests.

Three published lists (agency A, its sub-unit S, agency B) and requests replied
over four years ending with the current year ``Y`` (the workflow dates
everything "today", so the rows are written with explicit dates, as the annual
report tests do). Every figure the tests expect is written out there by hand.

Agency A: A1 (过程性信息, the default wording), A2 (第三方, the tax wording).
Sub-unit S: S1 (行政执法案卷). Agency B: B1 (A1's wording word for word: a near
duplicate), B2 (内部事务).

request  agency  replied     outcome                     cites  appeals
r9       A       Y-3-06-01   withheld.process_info       A1     review: corrected Y-3-09
r1       A       Y-2-03-01   withheld.process_info       A1     review: corrected Y-2-06
r2       A       Y-1-05-01   withheld.process_info       A1     review: upheld;
                                                                lawsuit: pending
r10      A       Y-1-10-01   withheld.process_info       A1
r3       A       Y-1-06-01   partial (third_party)       A2     lawsuit: other Y-1-09-01
r7       A       Y-1-07-01   partial (third_party)       —
r4       A       Y-02-01     withheld.process_info       A1
r5       A       Y-02-02     withheld.third_party        A2
r6       A       Y-02-03     withheld.internal_affairs   —
r8       A       Y-02-04     disclosed                   —
s1       B       Y-1-03-01   withheld.process_info       B1     review: upheld Y-1-05-01
s2       B       Y-01-10     withheld.process_info       B1
s3       B       Y-01-11     withheld.process_info       —
s4       B       Y-01-12     withheld.process_info       —
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from negative_list.models import Entry
from portal.models import Role
from requests_.models import AppealKind, AppealResult, Outcome
from tests.factories import MembershipFactory, UserFactory
from tests.negative_list import factories
from tests.requests_.annual_report_builders import appeal, replied

Y = timezone.localdate().year
D = dt.date

ENFORCEMENT = {
    "category": "enforcement_file",
    "title": "行政处罚案件调查取证材料",
    "scope": "行政处罚案件办理过程中形成的调查笔录、证据材料和内部审批文书",
    "provisions": ("第十六条第二款",),
    "responsible_unit": "执法大队",
}
INTERNAL = {
    "category": "internal_affairs",
    "title": "干部任免考察材料",
    "scope": "干部选拔任用过程中形成的考察谈话记录、民主推荐票数统计",
    "provisions": ("第十六条第一款",),
    "responsible_unit": "组织人事处",
}


def _wording(spec: dict) -> dict:
    values = dict(spec)
    values["category"] = factories.exemption(values["category"])
    values["provisions"] = tuple(
        factories.provision(article=a) for a in values["provisions"]
    )
    return values


@dataclass
class UsageHistory:
    entries: dict[str, Entry]
    requests: dict[str, Any]
    appeals: list = field(default_factory=list)


def build(matrix: Any) -> UsageHistory:
    """Publish the three lists and write the history of the table above."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    factories.published_list(
        editor, reviewer, matrix.agency_a, [{}, factories.second_wording()]
    )
    factories.published_list(
        editor, reviewer, matrix.subunit_a, [_wording(ENFORCEMENT)]
    )
    editor_b = matrix.user("editor_b")
    reviewer_b = UserFactory(username="reviewer_b")
    MembershipFactory(user=reviewer_b, agency=matrix.agency_b, role=Role.REVIEWER)
    factories.published_list(
        editor_b, reviewer_b, matrix.agency_b, [{}, _wording(INTERNAL)]
    )

    def entry(agency: Any, serial: int) -> Entry:
        return Entry.objects.get(agency=agency, serial=serial)

    a1, a2 = entry(matrix.agency_a, 1), entry(matrix.agency_a, 2)
    s1 = entry(matrix.subunit_a, 1)
    b1, b2 = entry(matrix.agency_b, 1), entry(matrix.agency_b, 2)
    a, b = matrix.agency_a, matrix.agency_b
    withheld = Outcome.WITHHELD_PROCESS_INFO

    def reply(agency, day, outcome, cites=None):
        return replied(
            agency, day - dt.timedelta(days=10), day, outcome, negative_list_entry=cites
        )

    r = {
        "r9": reply(a, D(Y - 3, 6, 1), withheld, a1),
        "r1": reply(a, D(Y - 2, 3, 1), withheld, a1),
        "r2": reply(a, D(Y - 1, 5, 1), withheld, a1),
        "r10": reply(a, D(Y - 1, 10, 1), withheld, a1),
        "r3": reply(a, D(Y - 1, 6, 1), Outcome.PARTIAL, a2),
        "r7": reply(a, D(Y - 1, 7, 1), Outcome.PARTIAL),
        "r4": reply(a, D(Y, 2, 1), withheld, a1),
        "r5": reply(a, D(Y, 2, 2), Outcome.WITHHELD_THIRD_PARTY, a2),
        "r6": reply(a, D(Y, 2, 3), Outcome.WITHHELD_INTERNAL_AFFAIRS),
        "r8": reply(a, D(Y, 2, 4), Outcome.DISCLOSED),
        "s1": reply(b, D(Y - 1, 3, 1), withheld, b1),
        "s2": reply(b, D(Y, 1, 10), withheld, b1),
        "s3": reply(b, D(Y, 1, 11), withheld),
        "s4": reply(b, D(Y, 1, 12), withheld),
    }
    review, direct = AppealKind.REVIEW, AppealKind.LAWSUIT_DIRECT
    after = AppealKind.LAWSUIT_AFTER_REVIEW
    appeals = [
        appeal(r["r9"], review, D(Y - 3, 7, 1), AppealResult.CORRECTED, D(Y - 3, 9, 1)),
        appeal(r["r1"], review, D(Y - 2, 4, 1), AppealResult.CORRECTED, D(Y - 2, 6, 1)),
        appeal(r["r2"], review, D(Y - 1, 5, 20), AppealResult.UPHELD, D(Y - 1, 7, 1)),
        appeal(r["r2"], after, D(Y - 1, 8, 1)),
        appeal(r["r3"], direct, D(Y - 1, 7, 1), AppealResult.OTHER, D(Y - 1, 9, 1)),
        appeal(r["s1"], review, D(Y - 1, 3, 20), AppealResult.UPHELD, D(Y - 1, 5, 1)),
    ]
    entries = {"A1": a1, "A2": a2, "S1": s1, "B1": b1, "B2": b2}
    return UsageHistory(entries, r, appeals)
