"""Four eyes means anyone who touched it: approval is refused to everyone who wrote
or edited any version of the content, read from the record of who edited, so that a
colleague's later trivial edit cannot launder an earlier rewrite.

Every scenario runs through the real client, in the workspace pages and the staff
API, with a user holding both the editor and the reviewer role in agency A.
"""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from negative_list import services as nl_services
from negative_list.models import Entry, ReviewTask
from portal.errors import FOUR_EYES
from portal.models import Role
from requests_ import services as rq_services
from requests_.models import DisclosureStatus
from tests.factories import MembershipFactory, UserFactory
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db

NL_WORKSPACE = "/workspace/negative-list/"
NL_API = "/api/v1/negative-lists/"
DISCLOSURES = "/workspace/disclosures/"
STAFF_API = "/api/v1/staff/disclosures/"
PHONE_BODY = "项目联系人电话13812345678。"


@pytest.fixture
def both(matrix):
    """A user who is both editor and reviewer of agency A."""
    user = UserFactory(username="both_roles")
    MembershipFactory(user=user, agency=matrix.agency_a, role=Role.EDITOR)
    MembershipFactory(user=user, agency=matrix.agency_a, role=Role.REVIEWER)
    return user


def _client(matrix, user):
    client = matrix.client("anonymous")
    client.force_login(user)
    return client


def _page_refuses(client, url: str) -> None:
    """POST to a workspace action: a refusal of right, so the 403 page, saying why
    (the rule of ``portal.web``, the same status as the API's)."""
    response = client.post(url)
    assert response.status_code == 403
    assert str(FOUR_EYES) in response.content.decode()


def _api_refuses(client, url: str, data: dict | None = None) -> None:
    response = client.post(url, data or {}, content_type="application/json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "four_eyes"
    assert error["message"] == str(FOUR_EYES)


# --- Negative-list entries -----------------------------------------------------------


def _rewritten_then_touched_up(matrix, both) -> Entry:
    """editor_a drafts, ``both`` rewrites, editor_a fixes a comma and submits."""
    editor = matrix.user("editor_a")
    entry = nl.draft(editor, matrix.agency_a)
    nl_services.entry_update(
        actor=both,
        entry=entry,
        content=nl.content(scope="区政府常务会议讨论记录，全文不予公开"),
    )
    nl_services.entry_update(
        actor=editor,
        entry=entry,
        content=nl.content(scope="区政府常务会议讨论记录，全文不予公开。"),
    )
    return nl_services.entry_submit(actor=editor, entry=entry)


def test_entry_rewritten_earlier_is_refused_after_a_colleagues_later_edit(matrix, both):
    """The both-roles user who rewrote the draft cannot approve it once a colleague
    edited it last: refused in the workspace and the API, status unchanged; a
    reviewer who never touched it approves."""
    entry = _rewritten_then_touched_up(matrix, both)
    client = _client(matrix, both)
    _page_refuses(client, f"{NL_WORKSPACE}entries/{entry.pk}/approve/")
    _api_refuses(client, f"{NL_API}entries/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.latest_version.reviewed_by is None

    response = matrix.client("reviewer_a").post(f"{NL_API}entries/{entry.pk}/approve/")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == Entry.Status.APPROVED
    assert entry.latest_version.reviewed_by == matrix.user("reviewer_a")


def test_entry_detail_page_tells_the_earlier_editor_they_may_not_approve(matrix, both):
    """The entry page shows the four-eyes notice to the earlier editor and not to a
    reviewer who never touched the entry."""
    entry = _rewritten_then_touched_up(matrix, both)
    url = f"{NL_WORKSPACE}entries/{entry.pk}/"
    notice = "不能审核（四眼原则）"
    assert notice in _client(matrix, both).get(url).content.decode()
    assert notice not in matrix.client("reviewer_a").get(url).content.decode()


def _published_by(matrix, author) -> Entry:
    """``author`` drafts an entry that reviewer_a approves and publishes."""
    entry = nl.submitted(author, matrix.agency_a)
    reviewer = matrix.user("reviewer_a")
    nl_services.entry_approve(actor=reviewer, entry=entry)
    nl_services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    entry.refresh_from_db()
    return entry


def test_amendment_is_refused_to_the_author_of_an_earlier_version(matrix, both):
    """Whoever wrote version 1 cannot approve version 2 that a colleague amended:
    every version counts, not only the latest one."""
    editor = matrix.user("editor_a")
    entry = _published_by(matrix, both)
    nl_services.entry_amend(actor=editor, entry=entry, change_note="调整范围")
    nl_services.entry_update(
        actor=editor, entry=entry, content=nl.content(notes="修订后的说明。")
    )
    nl_services.entry_submit(actor=editor, entry=entry)
    client = _client(matrix, both)
    _api_refuses(client, f"{NL_API}entries/{entry.pk}/approve/")
    _page_refuses(client, f"{NL_WORKSPACE}entries/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.latest_version.number == 2

    response = matrix.client("reviewer_a").post(f"{NL_API}entries/{entry.pk}/approve/")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == Entry.Status.APPROVED


def test_periodic_review_is_refused_to_the_author_of_an_earlier_version(matrix, both):
    """A review task on the published version 2 is refused to the author of version
    1 (the API answers 403 and the task stays open); an outside reviewer records."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    entry = _published_by(matrix, both)
    nl_services.entry_amend(actor=editor, entry=entry, change_note="调整范围")
    nl_services.entry_submit(actor=editor, entry=entry)
    nl_services.entry_approve(actor=reviewer, entry=entry)
    nl_services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    entry.refresh_from_db()
    assert entry.published_version.author == editor
    cycle = nl_services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="2026年度定期评审",
        agency=matrix.agency_a,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    task = cycle.tasks.get(entry=entry)
    verdict = {"legality": "pass", "conciseness": "pass", "decision": "retain"}
    _api_refuses(_client(matrix, both), f"{NL_API}tasks/{task.pk}/record/", verdict)
    task.refresh_from_db()
    assert task.status == ReviewTask.Status.OPEN
    assert task.reviewer is None

    response = matrix.client("reviewer_a").post(
        f"{NL_API}tasks/{task.pk}/record/", verdict, content_type="application/json"
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == ReviewTask.Status.DONE


# --- Disclosures ---------------------------------------------------------------------


def _touch_up_and_submit(matrix, disclosure):
    """editor_a makes a trivial last edit and submits."""
    editor = matrix.user("editor_a")
    rq_services.disclosure_update(
        actor=editor, disclosure=disclosure, summary="2024年度项目资金安排。"
    )
    return rq_services.disclosure_submit(actor=editor, disclosure=disclosure)


def _disclosure_refused(matrix, both, disclosure) -> None:
    """``both`` is refused in the page and the API; the status stays submitted."""
    client = _client(matrix, both)
    _page_refuses(client, f"{DISCLOSURES}{disclosure.pk}/approve/")
    _api_refuses(client, f"{STAFF_API}{disclosure.pk}/approve/")
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.SUBMITTED
    assert disclosure.approved_by is None


def _outsider_approves(matrix, disclosure) -> None:
    response = matrix.client("reviewer_a").post(
        f"{STAFF_API}{disclosure.pk}/approve/", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == DisclosureStatus.PUBLISHED
    disclosure.refresh_from_db()
    assert disclosure.status == DisclosureStatus.PUBLISHED
    assert disclosure.approved_by == matrix.user("reviewer_a")


def _only_an_outsider_approves(matrix, who, disclosure) -> None:
    """``who`` is refused; a reviewer who never touched ``disclosure`` approves."""
    _disclosure_refused(matrix, who, disclosure)
    _outsider_approves(matrix, disclosure)


def test_disclosure_rewritten_earlier_is_refused_after_a_colleagues_later_edit(
    matrix, both
):
    """The both-roles user who rewrote the body cannot approve once editor_a edited
    last; a reviewer who never touched it approves."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a, body="初稿")
    response = _client(matrix, both).post(
        f"{STAFF_API}{draft.pk}/update/",
        {"body": "项目资金共计3200万元，涉及12个小区。"},
        content_type="application/json",
    )
    assert response.status_code == 200
    submitted = _touch_up_and_submit(matrix, draft)
    assert submitted.updated_by == matrix.user("editor_a")
    _only_an_outsider_approves(matrix, both, submitted)


def test_disclosure_is_refused_to_who_only_added_an_attachment(matrix, both):
    """Adding an attachment is an edit: its author cannot approve, even after a
    colleague's later edit."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a, body="正文")
    response = _client(matrix, both).post(
        f"{DISCLOSURES}{draft.pk}/attachments/",
        {"file": rq.pdf_upload("Project funds 32 million", "资金安排.pdf")},
    )
    assert response.status_code == 302
    assert draft.attachments.count() == 1
    submitted = _touch_up_and_submit(matrix, draft)
    _only_an_outsider_approves(matrix, both, submitted)


def test_disclosure_is_refused_to_who_only_removed_an_attachment(matrix, both):
    """Removing an attachment is an edit too."""
    editor = matrix.user("editor_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="正文")
    attachment = rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("old list", "旧名单.pdf")
    )
    response = _client(matrix, both).post(
        f"{DISCLOSURES}{draft.pk}/attachments/{attachment.pk}/remove/"
    )
    assert response.status_code == 302
    assert draft.attachments.count() == 0
    submitted = _touch_up_and_submit(matrix, draft)
    _only_an_outsider_approves(matrix, both, submitted)


def test_disclosure_is_refused_to_who_only_masked_a_hit(matrix, both):
    """Masking a screening hit changes the text: whoever masked cannot approve; a
    reviewer who never touched it approves the masked text."""
    draft = rq.submitted(matrix.user("editor_a"), matrix.agency_a, body=PHONE_BODY)
    hit = draft.screening_hits.get()
    response = _client(matrix, both).post(
        f"{STAFF_API}{draft.pk}/hits/{hit.pk}/mask/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert "13812345678" not in draft.body
    assert draft.updated_by == matrix.user("editor_a")
    _only_an_outsider_approves(matrix, both, draft)


def test_a_reviewer_who_masked_in_the_workspace_leaves_approval_to_another(matrix):
    """A plain reviewer who masks a hit on the page is refused approval too; a
    second reviewer approves."""
    draft = rq.submitted(matrix.user("editor_a"), matrix.agency_a, body=PHONE_BODY)
    hit = draft.screening_hits.get()
    masker = UserFactory(username="reviewer_masker")
    MembershipFactory(user=masker, agency=matrix.agency_a, role=Role.REVIEWER)
    client = _client(matrix, masker)
    response = client.post(f"{DISCLOSURES}{draft.pk}/screen/{hit.pk}/mask/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "13812345678" not in draft.body
    _only_an_outsider_approves(matrix, masker, draft)


def test_accepting_a_hit_is_a_review_decision_not_an_edit(matrix):
    """Keeping a hit with a reason leaves the text as it is, so the reviewer who
    accepted it may approve (the positive control of the masking case)."""
    draft = rq.submitted(
        matrix.user("editor_a"), matrix.agency_a, body="街道办公电话021-63281234。"
    )
    hit = draft.screening_hits.get()
    client = matrix.client("reviewer_a")
    response = client.post(
        f"{STAFF_API}{draft.pk}/hits/{hit.pk}/accept/",
        {"reason": "单位公开办公电话"},
        content_type="application/json",
    )
    assert response.status_code == 200
    _outsider_approves(matrix, draft)


def test_disclosure_page_offers_approval_only_to_who_never_touched_it(matrix, both):
    """The earlier editor sees the four-eyes notice instead of the approve button,
    and the API does not list approval among their actions; a reviewer who never
    touched the disclosure sees the button and the action."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a, body="初稿")
    rq_services.disclosure_update(actor=both, disclosure=draft, body="改写后的正文")
    submitted = _touch_up_and_submit(matrix, draft)
    url = f"{DISCLOSURES}{submitted.pk}/"
    button = "审核通过并发布"
    mine = _client(matrix, both).get(url).content.decode()
    assert 'id="four-eyes"' in mine
    assert str(FOUR_EYES) in mine
    assert button not in mine
    theirs = matrix.client("reviewer_a").get(url).content.decode()
    assert 'id="four-eyes"' not in theirs
    assert button in theirs
    api = f"{STAFF_API}{submitted.pk}/"
    assert _client(matrix, both).get(api).json()["available_actions"] == ["return"]
    assert matrix.client("reviewer_a").get(api).json()["available_actions"] == [
        "return",
        "approve",
    ]


# --- Publishing a list version (the interpretation goes public with it) -------------


def _interpretation_rewritten_by(matrix, both) -> None:
    """``both`` rewrites the interpretation through the API, then editor_a touches it
    up; an entry drafted by editor_a and approved by reviewer_a awaits publication."""
    url = f"{NL_API}agencies/{matrix.agency_a.code}/interpretation/update/"
    for client, basis in (
        (_client(matrix, both), "<p>依据条例第十四条审核</p>"),
        (matrix.client("editor_a"), "<p>依据条例第十四条审核。</p>"),
    ):
        response = client.post(
            url,
            {
                "review_basis": basis,
                "adjustment_standards": "<p>按年度调整</p>",
                "operating_procedure": "<p>每年评审</p>",
            },
            content_type="application/json",
        )
        assert response.status_code == 200
    nl.approved(matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a)


def test_publication_is_refused_to_an_editor_of_the_interpretation(matrix, both):
    """The both-roles user who rewrote the interpretation cannot publish the list
    that would carry it, even after a colleague's later edit: 403 ``four_eyes`` in
    the API, the message on the workspace page, and no version is published."""
    from negative_list.models import ListVersion
    from negative_list.services.lists import INTERPRETATION_FOUR_EYES

    _interpretation_rewritten_by(matrix, both)
    client = _client(matrix, both)
    response = client.post(
        f"{NL_API}agencies/{matrix.agency_a.code}/publish/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "four_eyes"
    assert error["message"] == str(INTERPRETATION_FOUR_EYES)
    page = client.post(
        f"{NL_WORKSPACE}agencies/{matrix.agency_a.code}/publish/", {"note": "年度调整"}
    )
    assert page.status_code == 403
    assert str(INTERPRETATION_FOUR_EYES) in page.content.decode()
    assert ListVersion.objects.filter(agency=matrix.agency_a).count() == 0


def test_publication_by_a_reviewer_who_never_edited_the_interpretation(matrix, both):
    """reviewer_a, who never touched the interpretation, publishes it: version 1
    carries the interpretation as last edited and the approved entry."""
    _interpretation_rewritten_by(matrix, both)
    response = matrix.client("reviewer_a").post(
        f"{NL_API}agencies/{matrix.agency_a.code}/publish/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 1
    assert body["interpretation"]["review_basis"] == "<p>依据条例第十四条审核。</p>"
    assert len(body["items"]) == 1
