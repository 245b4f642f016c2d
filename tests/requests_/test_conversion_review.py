"""Four eyes on "not convert", the reason checked against the applicant, amendments
with their history, the close guard and the conversions past their window."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from django.utils import timezone

from portal import audit
from portal.errors import DomainError, PermissionDenied
from portal.models import Role
from requests_ import selectors, services
from requests_.models import DisclosureRequest
from requests_.services import conversion
from tests.conftest import outcomes
from tests.factories import MembershipFactory, UserFactory
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def _person(username: str, *roles: tuple) -> object:
    user = UserFactory(username=username)
    for agency, role in roles:
        MembershipFactory(user=user, agency=agency, role=role)
    return user


def amend_to_not_convert(editor, request, amendment_reason):
    """Amend a decision to "not convert" (registration information of the applicant)."""
    return services.conversion_amend(
        actor=editor,
        request=request,
        decision="not_convert",
        reason="registration",
        concerns_applicant=True,
        amendment_reason=amendment_reason,
    )


def verbs(request: DisclosureRequest) -> list[str]:
    return [
        e.verb
        for e in audit.events_for(request).order_by("id")
        if e.verb.startswith("request.conversion") or e.verb == "request.close"
    ]


@pytest.fixture
def on_day(monkeypatch):
    """Fix the portal's today (the clock is the one thing from outside)."""

    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return set_day


# --- Four eyes -----------------------------------------------------------------------


def test_not_convert_waits_for_a_reviewer_then_holds(matrix):
    """The editor's "not convert" is pending until reviewer_a approves it; until
    then the request cannot be closed and sits in the reviewer's queue."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request = fx.replied(editor, matrix.agency_a)
    proposal = fx.propose(editor, request, note="申请人本人的不动产登记信息。")
    request.refresh_from_db()
    assert (request.conversion_decision, proposal.status) == ("", "pending")
    assert list(selectors.conversions_to_decide(editor)) == []
    assert list(selectors.conversion_reviews_awaiting(reviewer)) == [proposal]
    with pytest.raises(DomainError) as exc:
        services.request_close(actor=editor, request=request)
    assert exc.value.message == conversion.PENDING_REVIEW
    with pytest.raises(DomainError) as exc:
        services.conversion_decide(actor=editor, request=request, decision="convert")
    assert exc.value.message == conversion.PENDING_REVIEW

    proposed = audit.events_for(request).get(verb="request.conversion_propose")
    assert (proposed.before, proposed.after) == (
        {},
        {
            "conversion_review": proposal.pk,
            "proposed_decision": "not_convert",
            "proposed_reason": "registration",
            "review_status": "pending",
        },
    )
    services.conversion_review_approve(actor=reviewer, review=proposal, note="同意。")
    request.refresh_from_db()
    proposal.refresh_from_db()
    assert (
        request.conversion_decision,
        request.non_conversion_reason,
        request.non_conversion_note,
        request.conversion_decided_by,
    ) == ("not_convert", "registration", "申请人本人的不动产登记信息。", editor)
    assert (proposal.status, proposal.reviewed_by, proposal.review_note) == (
        "approved",
        reviewer,
        "同意。",
    )
    assert list(selectors.conversion_reviews_awaiting(reviewer)) == []
    services.request_close(actor=editor, request=request)
    assert verbs(request) == [
        "request.conversion_propose",
        "request.conversion_approve",
        "request.close",
    ]


def test_nobody_approves_their_own_proposal(matrix):
    """A person who is both editor and reviewer of A may not approve what they
    proposed; a colleague reviewer may."""
    both = _person(
        "both_a", (matrix.agency_a, Role.EDITOR), (matrix.agency_a, Role.REVIEWER)
    )
    request = fx.replied(both, matrix.agency_a)
    proposal = fx.propose(both, request)
    assert list(selectors.conversion_reviews_awaiting(both)) == []
    with pytest.raises(PermissionDenied) as exc:
        services.conversion_review_approve(actor=both, review=proposal)
    assert exc.value.message == conversion.OWN_PROPOSAL
    with pytest.raises(PermissionDenied):
        services.conversion_review_return(actor=both, review=proposal, reason="x")
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    services.conversion_review_approve(actor=matrix.user("reviewer_a"), review=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "approved"


@pytest.mark.parametrize(
    "who", ["reviewer_b", "city_reviewer", "coordinator", "superuser", "editor_a"]
)
def test_only_a_reviewer_of_the_handling_agency_reviews(matrix, who):
    """Another agency's reviewer, a city-wide reviewer, the coordinator, a
    superuser and the editor are all refused, and see no queue."""
    people = {
        "reviewer_b": lambda: _person("reviewer_b", (matrix.agency_b, Role.REVIEWER)),
        "city_reviewer": lambda: _person("city_rev", (matrix.city, Role.REVIEWER)),
    }
    actor = people[who]() if who in people else matrix.user(who)
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    proposal = fx.propose(matrix.user("editor_a"), request)
    with pytest.raises(PermissionDenied):
        services.conversion_review_approve(actor=actor, review=proposal)
    with pytest.raises(PermissionDenied):
        services.conversion_review_return(actor=actor, review=proposal, reason="x")
    assert list(selectors.conversion_reviews_awaiting(actor)) == []
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_returned_proposal_goes_back_to_the_editor_with_the_reason(matrix):
    """Returning needs a reason; the request needs a decision again and the
    returned row keeps the reviewer's words; it cannot be reviewed twice."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request = fx.replied(editor, matrix.agency_a)
    proposal = fx.propose(editor, request)
    with pytest.raises(DomainError) as exc:
        services.conversion_review_return(actor=reviewer, review=proposal, reason=" ")
    assert exc.value.message == conversion.RETURN_REASON_REQUIRED
    services.conversion_review_return(
        actor=reviewer,
        review=proposal,
        reason="所申请的是区规划批复，不是申请人本人登记信息。",
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_note) == (
        "returned",
        "所申请的是区规划批复，不是申请人本人登记信息。",
    )
    assert list(selectors.conversions_to_decide(editor)) == [request]
    with pytest.raises(DomainError) as exc:
        services.conversion_review_approve(actor=reviewer, review=proposal)
    assert exc.value.message == conversion.NOT_PENDING
    request = services.conversion_decide(
        actor=editor, request=request, decision="convert"
    )
    assert request.conversion_decision == "convert"
    assert [(r.decision, r.status) for r in request.conversion_reviews.all()] == [
        ("not_convert", "returned"),
        ("convert", "in_force"),
    ]
    assert verbs(request) == [
        "request.conversion_propose",
        "request.conversion_return",
        "request.conversion_decide",
    ]


# --- The reason against the applicant ---------------------------------------------

SOCIAL_NOT_FOR_BUSINESS = (
    "“申请人本人社会保障信息”只适用于申请人为自然人的申请，本申请人为商业企业。"
)
MEDICAL_NOT_FOR_RESEARCH = (
    "“申请人本人医疗卫生信息”只适用于申请人为自然人的申请，本申请人为科研机构。"
)


@pytest.mark.parametrize(
    ("applicant_type", "reason", "concerns", "refusal"),
    [
        ("natural_person", "tax_fees", True, None),
        ("natural_person", "social_security", True, None),
        ("natural_person", "medical", True, None),
        ("natural_person", "registration", True, None),
        ("natural_person", "medical", False, conversion.NOT_ABOUT_APPLICANT),
        ("business", "tax_fees", True, None),
        ("business", "registration", True, None),
        ("business", "social_security", True, SOCIAL_NOT_FOR_BUSINESS),
        ("business", "registration", False, conversion.NOT_ABOUT_APPLICANT),
        ("research", "registration", True, None),
        ("research", "medical", True, MEDICAL_NOT_FOR_RESEARCH),
        # The case: a research body asking for a company's penalty.
        ("research", "registration", False, conversion.NOT_ABOUT_APPLICANT),
        ("public_interest", "other_personal", True, None),
    ],
)
def test_reason_must_fit_the_applicant(
    matrix, applicant_type, reason, concerns, refusal
):
    """Each reason is the applicant's own affair: refused when the information is
    not about the applicant, or the reason cannot describe this kind of applicant."""
    editor = matrix.user("editor_a")
    request = fx.replied(editor, matrix.agency_a, applicant_type=applicant_type)

    def decide():
        return services.conversion_decide(
            actor=editor,
            request=request,
            decision="not_convert",
            reason=reason,
            note="本单位自身事项。",
            concerns_applicant=concerns,
        )

    if refusal is None:
        decide()
        assert conversion.pending_proposal(request).reason == reason
    else:
        with pytest.raises(DomainError) as exc:
            decide()
        assert exc.value.message == str(refusal)
        assert request.conversion_reviews.count() == 0


def test_the_form_offers_only_reasons_that_fit_the_applicant(matrix):
    """A company's request offers tax, registration and other; a person's all five;
    the 'concerns the applicant' box shows with 'not convert'."""
    editor = matrix.user("editor_a")
    client = matrix.client("editor_a")
    options = {}
    for kind in ("business", "natural_person"):
        request = fx.replied(editor, matrix.agency_a, applicant_type=kind)
        page = client.get(f"/workspace/requests/{request.pk}/").content.decode()
        form = re.search(r'<form[^>]*/conversion/".*?</form>', page, re.S).group(0)
        select = re.search(r'<select name="reason".*?</select>', form, re.S).group(0)
        options[kind] = re.findall(r'<option value="(\w+)"', select)
        assert re.search(
            r'<input type="checkbox" name="concerns_applicant"[^>]*'
            r'data-show-when="decision=not_convert"',
            form,
        )
    assert options == {
        "business": ["tax_fees", "registration", "other_personal"],
        "natural_person": [
            "tax_fees",
            "social_security",
            "medical",
            "registration",
            "other_personal",
        ],
    }


# --- Amendments ----------------------------------------------------------------------


def test_amendments_keep_every_decision_and_its_reason(matrix):
    """convert → not convert waits for review (the draft stays until approved, then
    is detached and named in the event); not convert → convert is the editor's."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    request = fx.replied(editor, matrix.agency_a)
    request = services.conversion_decide(
        actor=editor, request=request, decision="convert"
    )
    first_draft = request.disclosure
    with pytest.raises(DomainError) as exc:
        amend_to_not_convert(editor, request, "")
    assert exc.value.message == conversion.AMENDMENT_REASON_REQUIRED
    with pytest.raises(DomainError) as exc:
        services.conversion_amend(
            actor=editor, request=request, decision="convert", amendment_reason="再转"
        )
    assert exc.value.message == conversion.AMENDMENT_SAME

    amend_to_not_convert(editor, request, "复核发现所提供的是申请人本人的登记信息。")
    request.refresh_from_db()
    assert (request.conversion_decision, request.disclosure) == ("convert", first_draft)
    proposal = conversion.pending_proposal(request)
    services.conversion_review_approve(actor=reviewer, review=proposal)
    request.refresh_from_db()
    assert (request.conversion_decision, request.disclosure) == ("not_convert", None)
    approve_event = audit.events_for(request).get(verb="request.conversion_approve")
    assert approve_event.after["detached_disclosure"] == first_draft.index_no

    request = services.conversion_amend(
        actor=editor,
        request=request,
        decision="convert",
        amendment_reason="申请人书面同意公开，改为转主动公开。",
    )
    assert request.conversion_decision == "convert"
    assert request.non_conversion_reason == ""
    assert request.disclosure not in (None, first_draft)
    assert [
        (r.decision, r.status, r.reason, r.amendment_reason, r.previous_id)
        for r in request.conversion_reviews.order_by("id")
    ] == [
        ("convert", "replaced", "", "", None),
        (
            "not_convert",
            "replaced",
            "registration",
            "复核发现所提供的是申请人本人的登记信息。",
            request.conversion_reviews.order_by("id")[0].pk,
        ),
        (
            "convert",
            "in_force",
            "",
            "申请人书面同意公开，改为转主动公开。",
            request.conversion_reviews.order_by("id")[1].pk,
        ),
    ]
    assert verbs(request) == [
        "request.conversion_decide",
        "request.conversion_propose",
        "request.conversion_approve",
        "request.conversion_amend",
    ]


def test_amending_needs_a_decision_and_an_unpublished_disclosure(matrix):
    """Nothing to amend before a decision; a published conversion is withdrawn by
    a reviewer first, never silently reversed."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    undecided = fx.replied(editor, matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        services.conversion_amend(
            actor=editor, request=undecided, decision="convert", amendment_reason="x"
        )
    assert exc.value.message == conversion.NOTHING_TO_AMEND
    published = fx.published(editor, reviewer, matrix.agency_a)
    request = published.source_requests.get()
    with pytest.raises(DomainError) as exc:
        amend_to_not_convert(editor, request, "x")
    assert exc.value.message == conversion.AMEND_PUBLISHED


# --- Close guard ---------------------------------------------------------------------


def test_converted_request_closes_only_once_its_disclosure_is_published(matrix):
    """Draft and submitted refuse the close naming the index number; published
    allows it."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = fx.converted_draft(editor, matrix.agency_a, body="项目资金共计3200万元。")
    request = draft.source_requests.get()
    expected = (
        f"已决定转为主动公开，但主动公开信息 {draft.index_no} 尚未发布，"
        "申请暂不能办结。"
    )
    with pytest.raises(DomainError) as exc:
        services.request_close(actor=editor, request=request)
    assert exc.value.message == expected
    submitted = services.disclosure_submit(actor=editor, disclosure=draft)
    with pytest.raises(DomainError) as exc:
        services.request_close(actor=editor, request=request)
    assert exc.value.message == expected
    services.disclosure_approve(actor=reviewer, disclosure=submitted)
    closed = services.request_close(actor=editor, request=request)
    assert closed.status == "closed"


# --- Past the publishing window ------------------------------------------------------


def _converted_on(matrix, on_day, day: dt.date, **overrides) -> DisclosureRequest:
    on_day(day)
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a, **overrides)
    return services.conversion_decide(
        actor=matrix.user("editor_a"),
        request=request,
        decision="convert",
        draft={"topic": fx.topic()},
    )


def test_conversions_past_their_window_on_national_day_2025(matrix, on_day):
    """Decided Fri 2025-09-19: 20 working days skip 1–8 October and count the
    make-up Sundays/Saturdays 28 Sep and 11 Oct, so due Thu 2025-10-23. Decided
    2025-09-30: due Tue 2025-11-04. A published one is never listed."""
    early = _converted_on(matrix, on_day, dt.date(2025, 9, 19))
    later = _converted_on(matrix, on_day, dt.date(2025, 9, 30))
    done = _converted_on(matrix, on_day, dt.date(2025, 9, 19))
    services.disclosure_update(
        actor=matrix.user("editor_a"), disclosure=done.disclosure, body="正文。"
    )
    services.disclosure_submit(
        actor=matrix.user("editor_a"), disclosure=done.disclosure
    )
    services.disclosure_approve(
        actor=matrix.user("reviewer_a"), disclosure=done.disclosure
    )

    def listed(today, actor="editor_a"):
        return [
            (row["request"].pk, row["due"], row["late"])
            for row in selectors.conversions_past_window(
                matrix.user(actor), today=today
            )
        ]

    assert listed(dt.date(2025, 10, 23)) == []
    assert listed(dt.date(2025, 10, 24)) == [(early.pk, dt.date(2025, 10, 23), 1)]
    assert listed(dt.date(2025, 11, 5)) == [
        (early.pk, dt.date(2025, 10, 23), 9),
        (later.pk, dt.date(2025, 11, 4), 1),
    ]
    assert listed(dt.date(2025, 11, 5), "coordinator") == listed(dt.date(2025, 11, 5))
    assert listed(dt.date(2025, 11, 5), "editor_b") == []


def test_window_around_spring_festival_2026(matrix, on_day):
    """Decided Fri 2026-02-06: the make-up Saturdays 14 and 28 Feb count, 15–23 Feb
    do not, so due Thu 2026-03-12."""
    request = _converted_on(matrix, on_day, dt.date(2026, 2, 6))
    reviewer = matrix.user("reviewer_a")
    assert selectors.conversions_past_window(reviewer, today=dt.date(2026, 3, 12)) == []
    assert [
        (row["request"], row["due"])
        for row in selectors.conversions_past_window(
            reviewer, today=dt.date(2026, 3, 13)
        )
    ] == [(request, dt.date(2026, 3, 12))]


def test_late_list_page_and_dashboard_panel(matrix, on_day):
    """The agency's staff read the late conversions on their dashboard and on the
    list page; another agency's editor sees none."""
    request = _converted_on(matrix, on_day, dt.date(2025, 9, 19))
    on_day(dt.date(2025, 10, 28))
    page = matrix.client("editor_a").get("/workspace/requests/conversions/late/")
    html = page.content.decode()
    table = re.search(
        r'<table class="table" id="conversions-late">.*?</table>', html, re.S
    )
    cells = re.findall(r'<td data-label="[^"]+">(.*?)</td>', table.group(0), re.S)
    assert re.sub(r"<[^>]+>", "", cells[0]) == request.tracking_code
    assert cells[3:] == ["2025-09-19", "2025-10-23", "3 个工作日"]
    dashboard = matrix.client("reviewer_a").get("/workspace/").content.decode()
    panel = re.search(r'id="panel-conversions_late".*?</section>', dashboard, re.S)
    assert re.findall(r"超过发布期限 (\d+) 个工作日", panel.group(0)) == ["3"]
    other = matrix.client("editor_b").get("/workspace/requests/conversions/late/")
    assert "没有超过发布期限的转主动公开。" in other.content.decode()
    assert request.tracking_code not in other.content.decode()


# --- Pages ---------------------------------------------------------------------------


def test_review_through_the_pages(matrix):
    """The editor proposes on the request's page; it then shows as pending; the
    reviewer sees the approve and return forms (the editor does not) and approves."""
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    editor, reviewer = matrix.client("editor_a"), matrix.client("reviewer_a")
    url = f"/workspace/requests/{request.pk}/"
    response = editor.post(
        f"{url}conversion/",
        {
            "decision": "not_convert",
            "reason": "registration",
            "concerns_applicant": "on",
        },
    )
    assert response.status_code == 302
    proposal = conversion.pending_proposal(request)
    editor_page = editor.get(url).content.decode()
    notice = re.search(r'id="conversion-pending"><p>(.*?)</p>', editor_page).group(1)
    name = matrix.user("editor_a").get_full_name()
    today = timezone.localdate().isoformat()
    expected = f"不转为主动公开的建议待审核：申请人本人登记信息 · {name} · {today}"
    assert notice == expected
    review_action = f"{url}conversion/reviews/{proposal.pk}/approve/"
    assert review_action not in editor_page
    reviewer_page = reviewer.get(url).content.decode()
    assert review_action in reviewer_page
    dashboard = reviewer.get("/workspace/").content.decode()
    panel = re.search(r'id="panel-conversion_reviews".*?</section>', dashboard, re.S)
    assert panel.group(0).count(f"{request.tracking_code} ") == 1

    refused = editor.post(review_action, {"note": ""})
    assert refused.status_code == 403
    empty = reviewer.post(f"{url}conversion/reviews/{proposal.pk}/return/", {})
    assert empty.status_code == 400
    assert reviewer.post(review_action, {"note": "同意。"}).status_code == 302
    request.refresh_from_db()
    assert request.conversion_decision == "not_convert"
    history = re.search(
        r'<table class="table" id="conversion-history">.*?</table>',
        editor.get(url).content.decode(),
        re.S,
    ).group(0)
    assert re.findall(
        r'data-label="状态"><span class="badge">(.*?)</span>', history
    ) == ["审核通过"]


def test_amend_through_the_page_needs_its_reason(matrix):
    """The amend form refuses a missing reason (400) and records one given."""
    editor = matrix.client("editor_a")
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    services.conversion_decide(
        actor=matrix.user("editor_a"), request=request, decision="convert"
    )
    url = f"/workspace/requests/{request.pk}/conversion/amend/"
    data = {"decision": "not_convert", "reason": "tax_fees", "concerns_applicant": "on"}
    assert editor.post(url, data).status_code == 400
    assert conversion.pending_proposal(request) is None
    response = editor.post(url, {**data, "amendment_reason": "系申请人本人纳税记录。"})
    assert response.status_code == 302
    proposal = conversion.pending_proposal(request)
    assert (proposal.decision, proposal.amendment_reason) == (
        "not_convert",
        "系申请人本人纳税记录。",
    )


@pytest.fixture
def proposal_a(matrix):
    request = fx.replied(matrix.user("editor_a"), matrix.agency_a)
    return fx.propose(matrix.user("editor_a"), request)


@pytest.mark.parametrize(
    ("actor", "status"), list(outcomes(["reviewer_a"], ok=302).items())
)
def test_review_page_matrix(matrix, proposal_a, actor, status):
    """Only reviewer_a (A's reviewer, not the proposer) approves on the page."""
    url = (
        f"/workspace/requests/{proposal_a.request_id}/conversion/reviews/"
        f"{proposal_a.pk}/approve/"
    )
    response = matrix.client(actor).post(url, {"note": ""})
    assert response.status_code == status
    proposal_a.refresh_from_db()
    assert proposal_a.status == ("approved" if actor == "reviewer_a" else "pending")


@pytest.mark.parametrize(
    ("actor", "status"), list(outcomes(["reviewer_a"], anonymous=403).items())
)
def test_review_api_matrix(matrix, proposal_a, actor, status):
    """The staff API answers the same: only reviewer_a returns the proposal."""
    url = (
        f"/api/v1/requests/{proposal_a.request_id}/conversion/reviews/"
        f"{proposal_a.pk}/return/"
    )
    response = matrix.client(actor).post(
        url, {"reason": "不属于申请人本人信息。"}, content_type="application/json"
    )
    assert response.status_code == status
    proposal_a.refresh_from_db()
    assert proposal_a.status == ("returned" if actor == "reviewer_a" else "pending")


# --- Staff API -----------------------------------------------------------------------


def test_propose_approve_and_amend_through_the_api(matrix):
    """Propose (pending, no decision yet), approve, then amend back to convert; the
    request's reviews list tells the story."""
    request = fx.replied(
        matrix.user("editor_a"), matrix.agency_a, applicant_type="business"
    )
    editor, reviewer = matrix.client("editor_a"), matrix.client("reviewer_a")
    base = f"/api/v1/requests/{request.pk}/conversion/"
    refused = editor.post(
        base,
        {"decision": "not_convert", "reason": "medical", "concerns_applicant": True},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "“申请人本人医疗卫生信息”只适用于申请人为自然人的申请，本申请人为商业企业。"
    )
    body = editor.post(
        base,
        {"decision": "not_convert", "reason": "tax_fees", "concerns_applicant": True},
        content_type="application/json",
    ).json()
    assert body["conversion_decision"] is None
    [pending] = body["conversion_reviews"]
    assert (pending["status"], pending["proposed_by"]) == ("pending", "editor_a")
    body = reviewer.post(
        f"{base}reviews/{pending['id']}/approve/",
        {"reason": "同意"},
        content_type="application/json",
    ).json()
    assert (body["conversion_decision"], body["non_conversion_reason"]) == (
        "not_convert",
        "tax_fees",
    )
    body = editor.post(
        f"{base}amend/",
        {"decision": "convert", "amendment_reason": "企业同意公开。"},
        content_type="application/json",
    ).json()
    assert body["conversion_decision"] == "convert"
    assert [
        (r["decision"], r["status"], r["reviewed_by"], r["amendment_reason"])
        for r in body["conversion_reviews"]
    ] == [
        ("not_convert", "replaced", "reviewer_a", ""),
        ("convert", "in_force", None, "企业同意公开。"),
    ]


@pytest.mark.parametrize(
    ("actor", "listed"),
    [
        ("anonymous", None),
        ("editor_a", True),
        ("editor_b", False),
        ("reviewer_a", True),
        ("coordinator", True),
        ("superuser", True),
    ],
)
def test_late_list_matrix(matrix, on_day, actor, listed):
    """Staff of A and the city list A's late conversion; B's editor reads an empty
    list; a visitor is sent to sign in."""
    request = _converted_on(matrix, on_day, dt.date(2025, 9, 19))
    on_day(dt.date(2025, 10, 24))
    response = matrix.client(actor).get("/workspace/requests/conversions/late/")
    if listed is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r'<a href="/workspace/requests/\d+/">(\w+)</a>', html)
    assert codes == ([request.tracking_code] if listed else [])
