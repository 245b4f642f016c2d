"""One year (2025) of requests at agency A, built by hand with explicit dates.

Agency A's figures include its sub-unit; agency B and the years around 2025 hold
records that must not appear in A's 2025 report. The expected figures are
written out in the tests, never recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from requests_.models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    NonConversionReason,
    Outcome,
    RequestStatus,
)
from tests.requests_.annual_report_builders import (
    appeal,
    converted,
    fee_lapsed,
    lapsed,
    linked,
    not_converted,
    received,
    replied,
    withdrawn,
)

YEAR = 2025
D = dt.date
NP = ApplicantType.NATURAL_PERSON
BUS = ApplicantType.BUSINESS
RES = ApplicantType.RESEARCH
PUB = ApplicantType.PUBLIC_INTEREST
LEG = ApplicantType.LEGAL_SERVICES
OTH = ApplicantType.OTHER_ORG

# Natural persons' requests received in 2025 and replied in 2025, one per outcome
# row of 三 except the lapse and the withdrawal (built separately).
NATURAL_PERSON_OUTCOMES = (
    Outcome.DISCLOSED,
    Outcome.PARTIAL,
    Outcome.WITHHELD_STATE_SECRET,
    Outcome.WITHHELD_LAW_PROHIBITED,
    Outcome.WITHHELD_SECURITY_STABILITY,
    Outcome.WITHHELD_THIRD_PARTY,
    Outcome.WITHHELD_INTERNAL_AFFAIRS,
    Outcome.WITHHELD_PROCESS_INFO,
    Outcome.WITHHELD_ENFORCEMENT_FILE,
    Outcome.WITHHELD_ADMINISTRATIVE_QUERY,
    Outcome.UNAVAILABLE_NOT_HELD,
    Outcome.UNAVAILABLE_NEEDS_CREATION,
    Outcome.UNAVAILABLE_STILL_UNCLEAR,
    Outcome.NOT_HANDLED_PETITION,
    Outcome.NOT_HANDLED_REPEAT,
)


@dataclass
class Year:
    """The named records of the year, for drill-down and check tests."""

    r: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.r[name]


def _natural_persons(matrix: Any, y: Year) -> None:
    a = matrix.agency_a
    for month, outcome in enumerate(NATURAL_PERSON_OUTCOMES, start=1):
        # The repeat request (（五）2) was handled by the sub-unit.
        agency = matrix.subunit_a if outcome == Outcome.NOT_HANDLED_REPEAT else a
        day = D(YEAR, (month - 1) % 11 + 1, 3)
        y.r[outcome.value] = replied(agency, day, day + dt.timedelta(days=20), outcome)
    y.r["np_lapsed"] = lapsed(a, D(YEAR, 6, 2), D(YEAR, 6, 30))
    y.r["np_withdrawn"] = withdrawn(a, D(YEAR, 4, 21), D(YEAR, 5, 5))
    y.r["np_open"] = received(a, D(YEAR, 12, 20), status=RequestStatus.CONSULTING)
    # Received in 2025, replied in January 2026: 四 of 2025.
    y.r["np_replied_next_year"] = replied(
        a, D(YEAR, 12, 15), D(YEAR + 1, 1, 10), Outcome.DISCLOSED
    )
    # A fee notice of 12 Nov lapsed on 11 Dec 2025 (pay by 10 Dec: 20 working days
    # from 13 Nov); the （六）2 reply went out on 6 Jan 2026, so in 2025 the request
    # is still carried out (四), and its （六）2 counts in 2026.
    y.r["np_fee_lapsed_next_year"] = replied(
        a,
        D(YEAR, 11, 10),
        D(YEAR + 1, 1, 6),
        Outcome.OTHER_FEE_UNPAID,
        status=RequestStatus.CLOSED,
        closed_on=D(YEAR + 1, 1, 6),
    )
    fee_lapsed(y["np_fee_lapsed_next_year"], D(YEAR, 11, 12), D(YEAR, 12, 10))


def _organisations(matrix: Any, y: Year) -> None:
    a = matrix.agency_a
    y.r["bus_disclosed"] = replied(
        a, D(YEAR, 2, 10), D(YEAR, 3, 1), Outcome.DISCLOSED, BUS
    )
    y.r["bus_publication"] = replied(
        a, D(YEAR, 5, 6), D(YEAR, 5, 20), Outcome.NOT_HANDLED_PUBLICATION, BUS
    )
    y.r["bus_fee_unpaid"] = replied(
        a,
        D(YEAR, 7, 1),
        D(YEAR, 8, 15),
        Outcome.OTHER_FEE_UNPAID,
        BUS,
        status=RequestStatus.CLOSED,
        closed_on=D(YEAR, 8, 15),
    )
    # Its fee notice of 3 Jul (pay by 31 Jul) lapsed on 1 Aug.
    fee_lapsed(y["bus_fee_unpaid"], D(YEAR, 7, 3), D(YEAR, 7, 31))
    y.r["bus_open"] = received(
        a, D(YEAR, 12, 1), BUS, status=RequestStatus.CORRECTION_REQUESTED
    )
    y.r["res_excessive"] = replied(
        a, D(YEAR, 3, 12), D(YEAR, 4, 9), Outcome.NOT_HANDLED_EXCESSIVE, RES
    )
    y.r["pub_confirmation"] = replied(
        a, D(YEAR, 9, 1), D(YEAR, 9, 12), Outcome.NOT_HANDLED_CONFIRMATION, PUB
    )
    y.r["pub_partial"] = replied(
        a, D(YEAR, 10, 8), D(YEAR, 10, 30), Outcome.PARTIAL, PUB
    )
    y.r["leg_third_party"] = replied(
        a, D(YEAR, 4, 1), D(YEAR, 4, 28), Outcome.WITHHELD_THIRD_PARTY, LEG
    )
    # Withdrawn before the workflow recorded an outcome for withdrawals (an
    # imported record): still （六）3.其他, dated by the withdrawal.
    y.r["leg_withdrawn_legacy"] = received(
        a,
        D(YEAR, 7, 20),
        LEG,
        status=RequestStatus.WITHDRAWN,
        withdrawn_on=D(YEAR, 8, 1),
        closed_on=D(YEAR, 8, 1),
    )
    y.r["oth_other"] = replied(
        a, D(YEAR, 11, 3), D(YEAR, 11, 20), Outcome.OTHER_OTHER, OTH
    )
    y.r["oth_disclosed_subunit"] = replied(
        matrix.subunit_a, D(YEAR, 6, 9), D(YEAR, 6, 27), Outcome.DISCLOSED, OTH
    )


def _carry_over_and_outside(matrix: Any, y: Year) -> None:
    a = matrix.agency_a
    y.r["carried_disclosed"] = replied(
        a, D(YEAR - 1, 12, 10), D(YEAR, 1, 8), Outcome.DISCLOSED
    )
    y.r["carried_partial"] = replied(
        a, D(YEAR - 1, 11, 20), D(YEAR, 1, 15), Outcome.PARTIAL, BUS
    )
    y.r["carried_still_open"] = received(
        a, D(YEAR - 1, 12, 28), RES, status=RequestStatus.IN_PROGRESS
    )
    # Outside A's 2025: done in 2024, received in 2026, another agency's.
    y.r["done_last_year"] = replied(
        a, D(YEAR - 1, 6, 1), D(YEAR - 1, 6, 20), Outcome.DISCLOSED
    )
    y.r["received_next_year"] = received(a, D(YEAR + 1, 1, 5))
    y.r["agency_b"] = replied(
        matrix.agency_b, D(YEAR, 3, 3), D(YEAR, 3, 20), Outcome.DISCLOSED
    )


def _appeals(y: Year) -> None:
    review, direct, after = (
        AppealKind.REVIEW,
        AppealKind.LAWSUIT_DIRECT,
        AppealKind.LAWSUIT_AFTER_REVIEW,
    )
    up, fix, other = AppealResult.UPHELD, AppealResult.CORRECTED, AppealResult.OTHER
    secret = y[Outcome.WITHHELD_STATE_SECRET.value]
    third = y[Outcome.WITHHELD_THIRD_PARTY.value]
    appeal(secret, review, D(YEAR, 3, 1), up, D(YEAR, 5, 1))
    appeal(third, review, D(YEAR, 7, 1), fix, D(YEAR, 9, 1))
    appeal(
        y[Outcome.UNAVAILABLE_NOT_HELD.value],
        review,
        D(YEAR, 12, 1),
        other,
        D(YEAR, 12, 20),
    )
    appeal(y[Outcome.WITHHELD_PROCESS_INFO.value], review, D(YEAR, 11, 1))
    # Decided in 2026: still 尚未审结 on 31 December 2025.
    appeal(
        y[Outcome.WITHHELD_ENFORCEMENT_FILE.value],
        review,
        D(YEAR, 10, 1),
        up,
        D(YEAR + 1, 2, 1),
    )
    appeal(
        y[Outcome.WITHHELD_LAW_PROHIBITED.value],
        direct,
        D(YEAR, 5, 10),
        up,
        D(YEAR, 11, 1),
    )
    appeal(y["leg_third_party"], direct, D(YEAR, 6, 1), fix, D(YEAR, 12, 1))
    appeal(y[Outcome.WITHHELD_SECURITY_STABILITY.value], direct, D(YEAR, 9, 1))
    appeal(secret, after, D(YEAR, 6, 1), up, D(YEAR, 12, 1))
    appeal(third, after, D(YEAR, 10, 1), other, D(YEAR, 12, 30))
    # Outside A's 2025: filed in 2024, or about agency B's request.
    appeal(y["done_last_year"], review, D(YEAR - 1, 8, 1), up, D(YEAR - 1, 10, 1))
    appeal(y["agency_b"], review, D(YEAR, 4, 1))


def _conversions(y: Year) -> None:
    converted(y["carried_disclosed"], published_on=D(YEAR, 1, 20))
    converted(y[Outcome.DISCLOSED.value], published_on=D(YEAR, 2, 14))
    converted(y["bus_disclosed"])  # a draft, not yet published
    linked(y["oth_disclosed_subunit"])
    not_converted(y[Outcome.PARTIAL.value], NonConversionReason.TAX_FEES)
    not_converted(y["carried_partial"], NonConversionReason.SOCIAL_SECURITY)
    # pub_partial: no decision yet.


def build_year(matrix: Any) -> Year:
    """Create the whole year and return its named records."""
    y = Year()
    _natural_persons(matrix, y)
    _organisations(matrix, y)
    _carry_over_and_outside(matrix, y)
    _appeals(y)
    _conversions(y)
    return y


def add_dates_as_they_happened(matrix: Any, y: Year) -> None:
    """Two natural persons' requests of agency A built through the services.

    - ``np_withdrawn_december``: received Mon 15 Dec 2025; the applicant's
      withdrawal letter arrived Tue 30 Dec and was entered after New Year (today):
      dated 30 Dec 2025, it is a （六）3 of 2025, not of the year it was entered.
    - ``np_consultation_lapsed``: received Mon 3 Nov 2025, another agency consulted
      on Mon 10 Nov with 15 working days (11–14, 17–21, 24–28 Nov, 1 Dec) → Mon 1
      Dec; silent, the job of 2 Dec records consent and resumes the clock. Not
      replied by 31 Dec: carried out (四) like any open request.
    """
    from requests_ import services
    from tests.requests_ import factories as fx

    editor = matrix.user("editor_a")
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(YEAR, 12, 15))
    y.r["np_withdrawn_december"] = services.request_withdraw(
        actor=editor, request=request, on=D(YEAR, 12, 30), reason="申请人来函撤回"
    )
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(YEAR, 11, 3))
    services.request_consultation_start(
        actor=editor,
        request=request,
        kind="agency",
        party="区财政局",
        on=D(YEAR, 11, 10),
    )
    (resumed,) = services.consultations_expire(D(YEAR, 12, 2))
    y.r["np_consultation_lapsed"] = resumed
