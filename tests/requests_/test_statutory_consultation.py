"""Consultations with their own clocks (第三十二条, 第三十四条) and the overdue count.

A request received Fri 26 Sep 2025 is due Thu 30 Oct 2025. Consulted on Thu 9 Oct,
16 working days remain (10, 11 (make-up), 13–17, 20–24, 27–30 Oct), and the
consulted party has 15 working days: 10, 11, 13–17, 20–24, 27, 28, 29 Oct → Wed
29 October 2025.
"""

from __future__ import annotations

import re

import pytest

from django.core.management import call_command

from portal.errors import DomainError
from requests_ import selectors, services
from requests_.clock import overdue_days
from requests_.models import DisclosureRequest
from tests.requests_ import factories as fx
from tests.requests_ import statutory
from tests.requests_.statutory import D, error, post

clock_at = statutory.clock_at
CONSULTED = D(2025, 10, 9)
RECEIVED = D(2025, 9, 26)

pytestmark = pytest.mark.django_db

API = "/api/v1/requests"


def _consulting(matrix, editor, kind, on=CONSULTED, received_on=RECEIVED):
    request, _ = fx.register(editor, matrix.agency_a, received_on=received_on)
    return services.request_consultation_start(
        actor=editor,
        request=request,
        kind=kind,
        party="上海某建设有限公司" if kind == "third_party" else "区财政局",
        on=on,
    )


def test_consultation_has_its_own_15_working_days(matrix, editor):
    """The term is stored and shown with the rule; the party is required."""
    request = _consulting(matrix, editor, "third_party")
    assert request.consultation_started_on == D(2025, 10, 9)
    assert request.consultation_due_on == D(2025, 10, 29)
    assert request.paused_remaining_days == 16
    rows = {row["key"]: row for row in selectors.deadlines(request)}
    assert rows["consultation_opinion"]["due"] == D(2025, 10, 29)
    assert "第三十二条" in str(rows["consultation_opinion"]["label"])
    other, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    with pytest.raises(DomainError) as exc:
        services.request_consultation_start(
            actor=editor, request=other, kind="agency", party=" ", on=D(2025, 10, 9)
        )
    assert exc.value.field == "party"


def test_third_party_silence_resumes_the_clock_from_the_last_day(matrix, editor):
    """Nothing by 29 Oct: the job on 30 Oct resumes the clock from 29 Oct with the
    16 days left (30, 31 Oct, 3–7, 10–14, 17–20 Nov) → Thursday 20 November 2025;
    the request is listed until the handler replies. On 29 Oct the job does
    nothing."""
    request = _consulting(matrix, editor, "third_party")
    assert services.consultations_expire(D(2025, 10, 29)) == []
    call_command("expire_consultations", "--date", "2025-10-30")
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert request.consultation_result == "no_answer"
    assert request.consultation_ended_on == D(2025, 10, 29)
    assert request.reply_due_on == D(2025, 11, 20)
    listed = selectors.consultations_run_out(DisclosureRequest.objects.all())
    assert list(listed) == [request]
    fx.reply(
        editor, request, reply_text="经审查，依法决定。", replied_on=D(2025, 11, 3)
    )
    assert list(selectors.consultations_run_out(DisclosureRequest.objects.all())) == []


def test_another_agencys_silence_counts_as_consent(matrix, editor):
    """第三十四条: recorded as consent, same resumption as above."""
    request = _consulting(matrix, editor, "agency")
    resumed = services.consultations_expire(D(2025, 11, 3))
    assert [r.pk for r in resumed] == [request.pk]
    request.refresh_from_db()
    assert request.consultation_result == "consent_by_silence"
    assert request.reply_due_on == D(2025, 11, 20)


def test_a_late_answer_does_not_buy_time(matrix, editor):
    """An answer on 5 Nov, after the term: the clock resumes from 29 Oct all the
    same (→ 20 Nov). An answer in time on 20 Oct resumes from then (21–24, 27–31
    Oct, 3–7, 10, 11 Nov → 11 Nov)."""
    late = _consulting(matrix, editor, "agency")
    late = services.request_consultation_end(
        actor=editor, request=late, on=D(2025, 11, 5)
    )
    assert late.consultation_result == "answered"
    assert late.reply_due_on == D(2025, 11, 20)
    timely = _consulting(matrix, editor, "third_party")
    timely = services.request_consultation_end(
        actor=editor, request=timely, on=D(2025, 10, 20)
    )
    assert timely.reply_due_on == D(2025, 11, 11)


def test_a_pause_after_the_deadline_keeps_the_days_overdue(matrix, editor):
    """Due 30 Oct, consulted on Wed 5 Nov 2025: 31 Oct, 3, 4, 5 Nov were used beyond
    the term, so it stays 4 working days overdue while paused (the old clock said
    0). Answered on Thu 20 Nov, it resumes still 4 days late: its deadline reads
    Fri 14 Nov (17–20 Nov counted), and on Fri 21 Nov it is 5 days overdue."""
    request = _consulting(matrix, editor, "third_party", on=D(2025, 11, 5))
    assert request.paused_remaining_days == -4
    assert overdue_days(request, D(2025, 11, 19)) == 4
    assert request in selectors.overdue(
        DisclosureRequest.objects.all(), D(2025, 11, 19)
    )
    request = services.request_consultation_end(
        actor=editor, request=request, on=D(2025, 11, 20)
    )
    assert request.reply_due_on == D(2025, 11, 14)
    assert overdue_days(request, D(2025, 11, 20)) == 4
    assert overdue_days(request, D(2025, 11, 21)) == 5
    assert selectors.overdue_figures(
        DisclosureRequest.objects.all(), D(2025, 11, 21)
    ) == {request.pk: 5}


def test_overdue_before_a_spring_festival_consultation_survives_it(matrix, editor):
    """Received Fri 9 Jan 2026, due Fri 6 Feb; consulting another agency on Wed 11
    Feb (3 days over: 9, 10, 11 Feb). Its 15 days: 12, 13, 14 (make-up), 24–27,
    28 (make-up) Feb, 2–6, 9, 10 Mar → Tue 10 Mar 2026. Silent: resumed from 10
    Mar still 3 days late, deadline Thu 5 Mar (6, 9, 10 Mar counted); 4 days
    overdue on Wed 11 Mar."""
    request = _consulting(
        matrix, editor, "agency", on=D(2026, 2, 11), received_on=D(2026, 1, 9)
    )
    assert request.consultation_due_on == D(2026, 3, 10)
    assert overdue_days(request, D(2026, 3, 1)) == 3
    services.consultations_expire(D(2026, 3, 11))
    request.refresh_from_db()
    assert request.reply_due_on == D(2026, 3, 5)
    assert overdue_days(request, D(2026, 3, 11)) == 4


def test_consultation_and_run_out_through_the_staff_api(matrix, editor):
    """pause names the party and shows the term; run-out before the term ends is
    refused, after it records consent and resumes."""
    request, _ = fx.register(editor, matrix.agency_a, received_on=D(2025, 9, 26))
    client = matrix.client("editor_a")
    url = f"{API}/{request.pk}"
    body = post(
        client,
        f"{url}/pause/",
        {"kind": "agency", "party": "区财政局", "on": "2025-10-09"},
    ).json()
    assert body["consultation"] == {
        "kind": "agency",
        "party": "区财政局",
        "started_on": "2025-10-09",
        "due_on": "2025-10-29",
        "ended_on": None,
        "result": None,
    }
    early = post(client, f"{url}/run-out/", {"on": "2025-10-29"})
    assert early.status_code == 400
    assert error(early)["code"] == "consultation_not_run_out"
    body = post(client, f"{url}/run-out/", {"on": "2025-10-30"}).json()
    assert body["status"] == "in_progress"
    assert body["consultation"]["result"] == "consent_by_silence"
    assert [d["due"] for d in body["deadlines"] if d["key"] == "reply"] == [
        "2025-11-20"
    ]


def test_dashboard_lists_consultations_run_out_and_overdue_days(
    matrix, editor, clock_at
):
    """On 3 Nov 2025 the dashboard lists the silent consultation under its panel
    and the request paused after its deadline (30 Oct) as 2 days overdue
    (31 Oct, 3 Nov)."""
    clock_at(D(2025, 11, 3))
    silent = _consulting(matrix, editor, "third_party")
    late = _consulting(matrix, editor, "agency", on=D(2025, 11, 3))
    page = matrix.client("editor_a").get("/workspace/").content.decode()
    panel = page.split("征求意见期限已过、待承办人决定")[1].split("</section>")[0]
    assert silent.tracking_code in panel
    assert late.tracking_code not in panel
    overdue = page.split("已超期的申请")[1].split("</section>")[0]
    assert re.findall(
        rf"{late.tracking_code}.*?超期 (\d+) 个工作日", overdue, re.S
    ) == ["2"]


def test_run_out_is_offered_only_after_the_term(matrix, editor, clock_at):
    """On 29 Oct 2025 (the term's last day) the handler is not offered "run out";
    on 30 Oct they are, and other staff never are."""
    from portal.workflow import allowed_actions
    from requests_.transitions import REQUEST_TRANSITIONS

    request = _consulting(matrix, editor, "third_party")
    clock_at(D(2025, 10, 29))
    assert "run_out" not in allowed_actions(REQUEST_TRANSITIONS, request, editor)
    clock_at(D(2025, 10, 30))
    assert "run_out" in allowed_actions(REQUEST_TRANSITIONS, request, editor)
    reviewer = matrix.user("reviewer_a")
    assert "run_out" not in allowed_actions(REQUEST_TRANSITIONS, request, reviewer)
