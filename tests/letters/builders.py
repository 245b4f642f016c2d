"""Builders for letter tests: an agency set up for letters, a replied request.

Everything goes through the services, like the views do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from letters import services
from portal import services as portal_services
from requests_.models import Outcome
from tests.requests_ import factories as rq

PREFIX = "黄府信"
REVIEW_BODY = "上海市人民政府"
COURT = "上海铁路运输法院"
RECEIVED = dt.date(2026, 11, 2)
# The clock of the letters app during a test: 2099-03-15, 10:00 in Shanghai.
LETTER_DAY = dt.date(2099, 3, 15)
RELEASED_NAME = "资金安排表.pdf"


@pytest.fixture
def letter_clock(monkeypatch):
    """Fix the day letters are drafted and issued on (LETTER_DAY)."""
    moment = timezone.make_aware(dt.datetime(2099, 3, 15, 10, 0))
    monkeypatch.setattr(services, "now", lambda: moment)
    return moment


def set_up_letters(agency: Any, superuser: Any, **overrides: str) -> Any:
    """Give ``agency`` the prefix, review body and court its letters need."""
    values = {"doc_no_prefix": PREFIX, "review_body": REVIEW_BODY, "court": COURT}
    values.update(overrides)
    return portal_services.agency_update(actor=superuser, agency=agency, **values)


def registered(editor: Any, agency: Any, **overrides: Any):
    request, secret = rq.register(editor, agency, received_on=RECEIVED, **overrides)
    return request, secret


def add_file(editor: Any, request: Any, name: str = RELEASED_NAME, text: str = "FUNDS"):
    upload = SimpleUploadedFile(name, rq.pdf_bytes(text), "application/pdf")
    return services.released_file_add(actor=editor, request=request, file=upload)


def _history_for(editor: Any, request: Any, outcome: str) -> Any:
    """Walk ``request`` through what ``outcome`` needs to have happened first."""
    from requests_ import services as rq_services

    if outcome in (Outcome.UNAVAILABLE_STILL_UNCLEAR, Outcome.OTHER_NO_CORRECTION):
        request = rq_services.request_correction_request(
            actor=editor,
            request=request,
            notice="请写明所需信息的年份。",
            on=RECEIVED,
            reply_by=RECEIVED + dt.timedelta(days=10),
        )
    if outcome == Outcome.UNAVAILABLE_STILL_UNCLEAR:
        request = rq_services.request_correction_receive(
            actor=editor, request=request, text="各个年份的。", on=RECEIVED
        )
    fees = getattr(rq_services, "fee_notify", None)
    if outcome == Outcome.OTHER_FEE_UNPAID and fees is not None:
        rq_services.fee_notify(
            actor=editor,
            request=request,
            scale="per_volume",
            quantity=500,
            how_to_pay="银行转账",
            on=RECEIVED,
        )
        rq_services.fee_lapse(actor=editor, request=request)
    mark = getattr(rq_services, "request_mark_repeat", None)
    if outcome == Outcome.NOT_HANDLED_REPEAT and mark is not None:
        earlier, _ = rq.register(
            editor, request.agency, received_on=RECEIVED - dt.timedelta(days=7)
        )
        request = mark(actor=editor, request=request, earlier=earlier)
    return type(request).objects.get(pk=request.pk)


def reply_for(editor: Any, request: Any, outcome: str, entry: Any = None):
    """Reply with ``outcome`` after the history it needs (a lapse is its own end).

    A partial disclosure cites third_party.
    """
    from requests_ import services as rq_services

    request = _history_for(editor, request, outcome)
    if outcome == Outcome.OTHER_NO_CORRECTION:
        return rq_services.request_lapse(actor=editor, request=request)
    extra: dict[str, Any] = {}
    if outcome == Outcome.PARTIAL:
        extra["exemption_code"] = "third_party"
    if entry is not None:
        extra["negative_list_entry"] = entry
    return rq.reply(editor, request, outcome, "经查，具体情况如下。", **extra)


def issued_reply(editor: Any, agency: Any, outcome: str = Outcome.DISCLOSED):
    """Register, release a file (for a releasing outcome), reply, draft, issue."""
    request, secret = registered(editor, agency)
    if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL):
        add_file(editor, request)
    request = reply_for(editor, request, outcome)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    return services.letter_issue(actor=editor, letter=letter), secret


def consulting(editor: Any, request: Any, kind: str, party: str) -> Any:
    """Start a consultation of ``party`` (named where the service takes a party)."""
    import inspect

    from requests_ import services as rq_services

    start = rq_services.request_consultation_start
    named = {"party": party} if "party" in inspect.signature(start).parameters else {}
    return start(actor=editor, request=request, kind=kind, on=RECEIVED, **named)
