"""Builders for the annual-report tests: rows created directly, with explicit dates.

The report reads history, so these bypass the workflow (which dates everything
"today") and write exactly the dates a test states.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from django.utils import timezone

from requests_.models import (
    Appeal,
    AppealResult,
    ApplicantType,
    Channel,
    ConversionDecision,
    Disclosure,
    DisclosureRequest,
    DisclosureStatus,
    FeeNotice,
    FeeScale,
    FeeStatus,
    Outcome,
    RequestStatus,
)
from requests_.models.choices import OutcomeCategory
from tests.conftest import A_STAFF, ACTORS

RELEASED = (Outcome.DISCLOSED, Outcome.PARTIAL)

# Who may read the report of agency A, of agency B and the city total.
REPORT_READERS = {
    "a": A_STAFF,
    "b": ("editor_b", "coordinator", "superuser"),
    "all": ("coordinator", "superuser"),
}


def report_statuses(*, ok: int, anonymous: int) -> dict[str, dict[str, int]]:
    """Return, per actor and scope, the status of asking for a report: ``ok`` for
    a reader, 404 for any other member of staff, ``anonymous`` for a visitor."""
    return {
        actor: {
            scope: ok
            if actor in readers
            else anonymous
            if actor == "anonymous"
            else 404
            for scope, readers in REPORT_READERS.items()
        }
        for actor in ACTORS
    }


class ReportRequestFactory(factory.django.DjangoModelFactory):
    """A request as it stands in the database; pass ``agency`` and dates."""

    class Meta:
        model = DisclosureRequest

    tracking_code = factory.Sequence(lambda n: f"AR{n:08d}")
    secret_hash = "0" * 64
    channel = Channel.POST
    received_on = dt.date(2025, 3, 3)
    clock_start = factory.LazyAttribute(lambda r: r.received_on)
    applicant_type = ApplicantType.NATURAL_PERSON
    applicant_name = "测试申请人"
    title = factory.Sequence(lambda n: f"年度报告测试申请{n}")
    description = "申请获取本机关有关信息。"
    status = RequestStatus.IN_PROGRESS


def received(agency: Any, on: dt.date, kind: str = ApplicantType.NATURAL_PERSON, **kw):
    """Return a request received ``on`` and still open (no decision)."""
    return ReportRequestFactory(
        agency=agency, received_on=on, applicant_type=kind, **kw
    )


def replied(
    agency: Any,
    received_on: dt.date,
    replied_on: dt.date,
    outcome: str,
    kind: str = ApplicantType.NATURAL_PERSON,
    **kw: Any,
) -> DisclosureRequest:
    """Return a request replied on ``replied_on`` with ``outcome``."""
    outcome = Outcome(outcome)
    exemption = outcome.reason if outcome.category == OutcomeCategory.WITHHELD else ""
    if outcome == Outcome.PARTIAL:
        exemption = "third_party"
    fields: dict[str, Any] = {
        "status": RequestStatus.REPLIED,
        "outcome": outcome,
        "replied_on": replied_on,
        "exemption_code": exemption,
        "reply_text": "答复内容。",
    }
    fields.update(kw)
    return received(agency, received_on, kind, **fields)


def lapsed(agency: Any, received_on: dt.date, on: dt.date, **kw: Any):
    """Return a request that lapsed ``on`` (no correction in time), as the workflow
    records it."""
    return replied(
        agency,
        received_on,
        on,
        Outcome.OTHER_NO_CORRECTION,
        status=RequestStatus.LAPSED,
        closed_on=on,
        correction_requested_on=received_on,
        **kw,
    )


def withdrawn(agency: Any, received_on: dt.date, on: dt.date, **kw: Any):
    """Return a request withdrawn ``on``, as the workflow records it."""
    return replied(
        agency,
        received_on,
        on,
        Outcome.OTHER_OTHER,
        status=RequestStatus.WITHDRAWN,
        withdrawn_on=on,
        closed_on=on,
        **kw,
    )


def fee_lapsed(
    request: DisclosureRequest, notified_on: dt.date, pay_by: dt.date
) -> FeeNotice:
    """Give ``request`` a fee notice that lapsed the day after ``pay_by``."""
    return FeeNotice.objects.create(
        request=request,
        scale=FeeScale.PER_VOLUME,
        quantity=31,
        amount=10,
        basis="按量计收（第五条）：共 31 页，合计 10 元。",
        how_to_pay="窗口缴纳。",
        notified_on=notified_on,
        pay_by=pay_by,
        status=FeeStatus.LAPSED,
        lapsed_on=pay_by + dt.timedelta(days=1),
    )


def appeal(
    request: DisclosureRequest,
    kind: str,
    filed_on: dt.date,
    result: str = AppealResult.PENDING,
    decided_on: dt.date | None = None,
) -> Appeal:
    return Appeal.objects.create(
        request=request,
        kind=kind,
        filed_on=filed_on,
        result=result,
        decided_on=decided_on,
    )


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def converted(
    request: DisclosureRequest, published_on: dt.date | None = None
) -> DisclosureRequest:
    """Convert ``request``; publish its disclosure on ``published_on`` if given."""
    serial = Disclosure.objects.count() + 1
    disclosure = Disclosure.objects.create(
        agency=request.agency,
        index_no=f"{request.agency.code}/{request.replied_on.year}-{serial:05d}",
        title=request.title,
        status=DisclosureStatus.PUBLISHED if published_on else DisclosureStatus.DRAFT,
        publish_at=at_noon(published_on) if published_on else None,
    )
    return _decide(request, ConversionDecision.CONVERT, disclosure=disclosure)


def linked(request: DisclosureRequest) -> DisclosureRequest:
    """Link ``request`` to an already published disclosure (第四十四条)."""
    serial = Disclosure.objects.count() + 1
    disclosure = Disclosure.objects.create(
        agency=request.agency,
        index_no=f"{request.agency.code}/2020-{serial:05d}",
        title="已主动公开的信息",
        status=DisclosureStatus.PUBLISHED,
        publish_at=at_noon(dt.date(2020, 6, 1)),
    )
    return _decide(request, ConversionDecision.LINK_EXISTING, disclosure=disclosure)


def not_converted(request: DisclosureRequest, reason: str) -> DisclosureRequest:
    return _decide(
        request, ConversionDecision.NOT_CONVERT, non_conversion_reason=reason
    )


def _decide(request: DisclosureRequest, decision: str, **fields: Any):
    DisclosureRequest.objects.filter(pk=request.pk).update(
        conversion_decision=decision,
        conversion_decided_on=request.replied_on,
        **fields,
    )
    request.refresh_from_db()
    return request
