"""The world the API fuzzer runs in: the actor matrix, agency A's secrets, sessions.

Agency A gets one object in every state the public and other agencies must not see,
each carrying a recognisable marker: a draft and a submitted negative-list entry, a
working interpretation newer than the published list, draft, submitted, scheduled
and withdrawn disclosures, and a request with an applicant's identity. Beside them
sit published objects (a list version, a disclosure in the search index), a review
cycle, an appeal and a screening hit, so that the fuzzer's ids reach real rows.

The fuzzed requests go through the real WSGI application (not Django's test
client): CSRF is enforced as for a browser, and each signed-in actor sends its
session cookie plus a CSRF cookie and the matching ``X-CSRFToken`` header.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import pytest

from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.utils import timezone

from negative_list import services as nl_services
from negative_list.models import Entry, ListVersion, ListVersionItem, Provision
from portal import services as portal_services
from portal.models import Agency, CalendarOverride, Membership
from requests_ import services as rq_services
from requests_.models import Disclosure, DisclosureRequest, ScreeningHit
from tests.conftest import ACTORS, build_matrix
from tests.negative_list import factories as nl
from tests.public_site import publish_converted
from tests.requests_ import factories as rq

# Markers of what must stay inside agency A (ASCII, so no encoding hides them).
DRAFT_ENTRY = "ZQXDRAFTENTRY"
SUBMITTED_ENTRY = "ZQXSUBMITTEDENTRY"
DRAFT_INTERPRETATION = "ZQXDRAFTINTERPRETATION"
DRAFT_DISCLOSURE = "ZQXDRAFTDISCLOSURE"
SUBMITTED_DISCLOSURE = "ZQXSUBMITTEDDISCLOSURE"
SCHEDULED_DISCLOSURE = "ZQXSCHEDULEDDISCLOSURE"
WITHDRAWN_BODY = "ZQXWITHDRAWNBODY"
APPLICANT_NAME = "ZQXAPPLICANTNAME"
APPLICANT_ID = "11010519491231002X"
APPLICANT_PHONE = "13700137000"
APPLICANT_EMAIL = "zqxapplicant@example.org"
APPLICANT_ADDRESS = "ZQXAPPLICANTADDRESS"

ENTRY_MARKERS = (DRAFT_ENTRY, SUBMITTED_ENTRY)
DISCLOSURE_MARKERS = (
    DRAFT_DISCLOSURE,
    SUBMITTED_DISCLOSURE,
    SCHEDULED_DISCLOSURE,
    WITHDRAWN_BODY,
)
IDENTITY_MARKERS = (
    APPLICANT_NAME,
    APPLICANT_ID,
    APPLICANT_PHONE,
    APPLICANT_EMAIL,
    APPLICANT_ADDRESS,
)
MARKERS = (
    *ENTRY_MARKERS,
    DRAFT_INTERPRETATION,
    *DISCLOSURE_MARKERS,
    *IDENTITY_MARKERS,
)

# Actors whose responses must never carry agency A's secrets.
OUTSIDERS = ("anonymous", "editor_b")


@dataclass
class Credentials:
    """What one actor sends: cookies and headers (empty for anonymous)."""

    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FuzzWorld:
    """The actors' credentials and the values real path parameters take."""

    matrix: Any
    credentials: dict[str, Credentials]
    known: dict[str, list[Any]]


def _still_secret(marker: str) -> bool:
    """Return whether ``marker`` is still not public (the fuzzer may publish)."""
    if marker in IDENTITY_MARKERS:
        return True
    if marker in ENTRY_MARKERS:
        return not ListVersionItem.objects.filter(scope__contains=marker).exists()
    if marker == DRAFT_INTERPRETATION:
        return not ListVersion.objects.filter(review_basis__contains=marker).exists()
    now = timezone.now()
    carriers = Disclosure.objects.filter(body__contains=marker)
    return not any(d.is_public(now) for d in carriers)


def leaked_markers(body: bytes, sent: str = "") -> list[str]:
    """Return the markers found in ``body`` that are still secret.

    A marker the request itself carried is only echoed (schemathesis draws string
    constants from the loaded code, these markers included), not leaked.
    """
    text = body.decode("utf-8", errors="replace")
    return [m for m in MARKERS if m in text and m not in sent and _still_secret(m)]


def sent_text(request: Any) -> str:
    """Return what a prepared request carried, URL and body, percent-decoded."""
    body = request.body or b""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    return unquote_plus(f"{request.url} {body}")


def _plant_entries(matrix: Any) -> None:
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    agency = matrix.agency_a
    nl_services.interpretation_update(
        actor=editor,
        agency=agency,
        review_basis="<p>依据条例审核</p>",
        adjustment_standards="<p>按年度调整</p>",
        operating_procedure="按程序办理",
    )
    nl.published_list(editor, reviewer, agency, [{"notes": "已公开事项"}])
    nl.draft(editor, agency, title=f"草稿条目{DRAFT_ENTRY}", scope=f"范围{DRAFT_ENTRY}")
    nl.submitted(
        editor,
        agency,
        title=f"待审条目{SUBMITTED_ENTRY}",
        scope=f"范围{SUBMITTED_ENTRY}",
    )
    nl_services.interpretation_update(
        actor=editor,
        agency=agency,
        review_basis=f"<p>审核依据{DRAFT_INTERPRETATION}</p>",
        adjustment_standards="<p>按年度调整</p>",
        operating_procedure="按程序办理",
    )
    nl_services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="年度评审",
        agency=agency,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def _plant_disclosures(matrix: Any) -> None:
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    agency = matrix.agency_a
    publish_converted(matrix)
    publish_converted(matrix, agency=matrix.agency_b)
    draft = rq.converted_draft(editor, agency, body=f"草稿正文{DRAFT_DISCLOSURE}")
    # A mobile number in the draft gives the screen a hit to act on.
    rq_services.disclosure_update(
        actor=editor,
        disclosure=draft,
        title=f"草稿{DRAFT_DISCLOSURE}",
        summary=f"联系电话13800138000 {DRAFT_DISCLOSURE}",
    )
    rq.submitted(editor, agency, body=f"待审正文{SUBMITTED_DISCLOSURE}")
    scheduled = rq.submitted(editor, agency, body=f"定时正文{SCHEDULED_DISCLOSURE}")
    rq_services.disclosure_approve(
        actor=reviewer,
        disclosure=scheduled,
        publish_at=timezone.now() + dt.timedelta(days=30),
    )
    withdrawn = rq.published(editor, reviewer, agency, body=f"撤回{WITHDRAWN_BODY}")
    rq_services.disclosure_withdraw(
        actor=reviewer, disclosure=withdrawn, reason="信息有误"
    )


def _plant_request(matrix: Any) -> None:
    editor = matrix.user("editor_a")
    rq.register(
        editor,
        matrix.agency_a,
        applicant_name=APPLICANT_NAME,
        applicant_id_number=APPLICANT_ID,
        applicant_phone=APPLICANT_PHONE,
        applicant_email=APPLICANT_EMAIL,
        applicant_address=APPLICANT_ADDRESS,
    )
    replied = rq.replied(editor, matrix.agency_a, outcome="disclosed")
    rq_services.appeal_record(
        actor=editor,
        request=replied,
        kind="review",
        filed_on=timezone.localdate(),
    )


def _known_values(matrix: Any) -> dict[str, list[Any]]:
    """Return the real values of each path parameter, for the fuzzer to aim at."""
    ids: set[int] = set()
    for model in (
        Entry,
        DisclosureRequest,
        Disclosure,
        Provision,
        Membership,
        CalendarOverride,
    ):
        ids.update(model.objects.values_list("pk", flat=True))
    from negative_list.models import ReviewCycle, ReviewTask
    from requests_.models import Appeal

    for model in (ReviewCycle, ReviewTask):
        ids.update(model.objects.values_list("pk", flat=True))
    return {
        "id": sorted(ids),
        "code": sorted(Agency.objects.values_list("code", flat=True)),
        "index_no": sorted(Disclosure.objects.values_list("index_no", flat=True)),
        "number": sorted(
            set(ListVersion.objects.values_list("number", flat=True)) | {1, 2}
        ),
        "hit_pk": sorted(ScreeningHit.objects.values_list("pk", flat=True)),
        "appeal_pk": sorted(Appeal.objects.values_list("pk", flat=True)),
    }


def _credentials(matrix: Any) -> dict[str, Credentials]:
    """Sign each actor in; give each the CSRF cookie a browser would hold."""
    csrf = Client().get("/accounts/login/").cookies[settings.CSRF_COOKIE_NAME].value
    result = {}
    for actor in ACTORS:
        user = matrix.users[actor]
        if user is None:
            result[actor] = Credentials()
            continue
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        result[actor] = Credentials(
            cookies={
                settings.SESSION_COOKIE_NAME: session,
                settings.CSRF_COOKIE_NAME: csrf,
            },
            headers={"X-CSRFToken": csrf},
        )
    return result


class InTransactionApp:
    """The WSGI application, keeping the test's connection open across requests.

    Django's test client does the same: without it the handler's request signals
    would close the connection that holds the test's transaction (SQLite's
    in-memory database ignores that; PostgreSQL would lose the test's data).
    The body is read inside, so the signal sent when it is closed is covered too.
    """

    def __init__(self) -> None:
        self.handler = get_wsgi_application()

    def __call__(self, environ: dict, start_response: Any) -> list[bytes]:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors():
    """Collect the exceptions behind 500 responses, for the failure message."""
    caught: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        caught.append("".join(traceback.format_exception(*sys.exc_info())))

    signals.got_request_exception.connect(record, weak=False)
    yield caught
    signals.got_request_exception.disconnect(record)


def _build() -> FuzzWorld:
    from search import sync
    from search.engines import get_engine, reset_engine

    reset_engine()
    matrix = build_matrix()
    portal_services.calendar_override_set(
        actor=matrix.user("coordinator"),
        date=dt.date(2030, 10, 8),
        is_workday=True,
        note="调休",
    )
    _plant_entries(matrix)
    _plant_disclosures(matrix)
    _plant_request(matrix)
    sync.drain_all(get_engine())
    return FuzzWorld(matrix, _credentials(matrix), _known_values(matrix))


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the world once per module, in a transaction rolled back at its end.

    Each test runs in a savepoint inside it (pytest-django's ``db``), so what one
    test's fuzzing changes is gone before the next test starts.
    """
    from search.engines import reset_engine

    tmp = tmp_path_factory.mktemp("fuzz")
    with (
        django_db_blocker.unblock(),
        override_settings(
            SEARCH_ENGINE="embedded", SEARCH_EMBEDDED_PATH=tmp / "search.sqlite3"
        ),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)
    reset_engine()


@pytest.fixture
def fuzz_world(_module_world, db) -> FuzzWorld:
    """Agency A's secrets and published objects; every actor signed in."""
    return _module_world
