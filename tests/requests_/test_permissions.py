"""The actor matrix over requests and disclosures, through the real client."""

from __future__ import annotations

import pytest

from django.utils import timezone

from requests_.models import DisclosureRequest
from tests.conftest import A_STAFF, ACTORS, STAFF, outcomes
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def _expect(table: dict[str, int]) -> list[tuple[str, int]]:
    assert set(table) == set(ACTORS)
    return list(table.items())


def _post_and_reread(matrix, actor: str, status: int, obj, url: str, data=None):
    """POST ``data`` to ``url`` (its ``{}`` is ``obj``'s pk) as ``actor``, expect
    ``status``, and reread ``obj`` to check the effect; the API is sent JSON."""
    client, url = matrix.client(actor), url.format(obj.pk)
    if url.startswith("/api/"):
        response = client.post(url, data or {}, content_type="application/json")
    else:
        response = client.post(url, data or {})
    assert response.status_code == status
    obj.refresh_from_db()


@pytest.fixture
def request_a(matrix):
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    return request


@pytest.fixture
def submitted_a(matrix):
    return fx.submitted(matrix.user("editor_a"), matrix.agency_a)


@pytest.fixture
def published_a(matrix):
    return fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(STAFF)),
)
def test_request_list_page(matrix, request_a, actor, status):
    """Staff open the list; only those working for agency A see A's request."""
    response = matrix.client(actor).get("/workspace/requests/")
    assert response.status_code == status
    if status == 200:
        visible = request_a.tracking_code in response.content.decode()
        assert visible is (actor != "editor_b")


# The staff reads of agency A's objects: (fixture, URL, what anonymous gets).
STAFF_READS = {
    "request_page": ("request_a", "/workspace/requests/{pk}/", 302),
    "request_api": ("request_a", "/api/v1/requests/{pk}/", 403),
    "disclosure_page": ("submitted_a", "/workspace/disclosures/{pk}/", 302),
    "disclosure_api": ("submitted_a", "/api/v1/staff/disclosures/{pk}/", 403),
}


@pytest.mark.parametrize("read", STAFF_READS)
@pytest.mark.parametrize("actor", ACTORS)
def test_staff_reads_are_scoped_to_the_agency(matrix, request, read, actor):
    """A's staff and the city-wide roles read A's request and its disclosure in
    review, page and API alike; another agency's editor cannot even learn they
    exist (404)."""
    fixture, url, anonymous = STAFF_READS[read]
    obj = request.getfixturevalue(fixture)
    response = matrix.client(actor).get(url.format(pk=obj.pk))
    assert response.status_code == outcomes(A_STAFF, anonymous=anonymous)[actor]


HANDLERS = ("editor_a", "superuser")


@pytest.mark.parametrize(("actor", "status"), _expect(outcomes(HANDLERS, ok=302)))
def test_request_action_page(matrix, request_a, actor, status):
    """Only the agency's editors (and superusers) take workflow actions."""
    _post_and_reread(matrix, actor, status, request_a, "/workspace/requests/{}/accept/")
    assert (request_a.status == "in_progress") is (actor in HANDLERS)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), anonymous=403)),
)
def test_request_action_api(matrix, request_a, actor, status):
    """A workflow action through the API needs the handling role."""
    _post_and_reread(matrix, actor, status, request_a, "/api/v1/requests/{}/accept/")
    assert (request_a.status == "in_progress") is (status == 200)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("reviewer_a",), anonymous=403)),
)
def test_request_extension_api(matrix, request_a, actor, status):
    """An extension is approved by a reviewer of the handling agency itself
    (第三十三条): never the handler, nor a city-wide coordinator or superuser."""
    _post_and_reread(
        matrix,
        actor,
        status,
        request_a,
        "/api/v1/requests/{}/extend/",
        {
            "days": 10,
            "reason": "需要调取档案",
            "applicant_notice": "延长答复期限",
            "notified_on": timezone.localdate().isoformat(),
            "notice_channel": "email",
        },
    )
    assert request_a.extension_days == (10 if status == 200 else 0)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), anonymous=403)),
)
def test_request_confirm_api(matrix, actor, status):
    """Confirming an online submission (第三十一条) is the handling editors'."""
    from requests_ import services

    item = services.request_submit_online(
        agency=matrix.agency_a,
        title="某文件",
        description="申请某文件",
        **fx.applicant(),
    ).request
    _post_and_reread(matrix, actor, status, item, "/api/v1/requests/{}/confirm/")
    assert (item.status == "received") is (status == 200)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), anonymous=403)),
)
def test_request_run_out_api(matrix, actor, status):
    """Recording a consultation that ran out is the handling editors'."""
    import datetime as dt

    from requests_ import services

    editor = matrix.user("editor_a")
    item, _ = fx.register(editor, matrix.agency_a, received_on=dt.date(2025, 9, 26))
    services.request_consultation_start(
        actor=editor,
        request=item,
        kind="agency",
        party="区财政局",
        on=dt.date(2025, 10, 9),
    )
    _post_and_reread(matrix, actor, status, item, "/api/v1/requests/{}/run-out/")
    assert (item.consultation_result == "consent_by_silence") is (status == 200)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), ok=201, outsider=403, anonymous=403)),
)
def test_request_create_api(matrix, actor, status):
    """Registering a request for agency A needs an editor of A."""
    payload = {
        "agency": matrix.agency_a.code,
        "channel": "in_person",
        "received_on": "2025-10-09",
        "title": "某文件",
        "description": "申请某文件",
        **fx.applicant(),
    }
    response = matrix.client(actor).post(
        "/api/v1/requests/create/", payload, content_type="application/json"
    )
    assert response.status_code == status
    registered = DisclosureRequest.objects.filter(
        agency=matrix.agency_a, title="某文件"
    ).count()
    assert registered == (1 if status == 201 else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_unpublished_disclosure_is_not_public_for_anyone(matrix, submitted_a, actor):
    """The public page and API of a disclosure in review are 404 for everyone."""
    client = matrix.client(actor)
    assert client.get(f"/disclosures/{submitted_a.index_no}/").status_code == 404
    assert client.get(f"/api/v1/disclosures/{submitted_a.index_no}/").status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_published_disclosure_is_public_for_everyone(matrix, published_a, actor):
    """Everyone reads a published disclosure, page and API."""
    client = matrix.client(actor)
    assert client.get(f"/disclosures/{published_a.index_no}/").status_code == 200
    assert client.get(f"/api/v1/disclosures/{published_a.index_no}/").status_code == 200


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("reviewer_a", "superuser"), anonymous=403)),
)
def test_disclosure_approve_api(matrix, submitted_a, actor, status):
    """Only a reviewer of the agency who did not write it approves (the author is
    an editor and also fails four eyes)."""
    _post_and_reread(
        matrix, actor, status, submitted_a, "/api/v1/staff/disclosures/{}/approve/"
    )
    assert (submitted_a.status == "published") is (status == 200)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), anonymous=403)),
)
def test_disclosure_submit_api(matrix, actor, status):
    """The agency's editors send a converted draft to review; nobody else."""
    draft = fx.converted_draft(
        matrix.user("editor_a"), matrix.agency_a, body="项目资金共计3200万元。"
    )
    _post_and_reread(
        matrix, actor, status, draft, "/api/v1/staff/disclosures/{}/submit/"
    )
    assert draft.status == ("submitted" if status == 200 else "draft")


WITHDRAWERS = ("reviewer_a", "coordinator", "superuser")


@pytest.mark.parametrize(("actor", "status"), _expect(outcomes(WITHDRAWERS, ok=302)))
def test_disclosure_withdraw_page(matrix, published_a, actor, status):
    """Reviewers and coordinators withdraw; editors do not."""
    url = "/workspace/disclosures/{}/withdraw/"
    _post_and_reread(matrix, actor, status, published_a, url, {"reason": "已失效"})
    assert (published_a.status == "withdrawn") is (actor in WITHDRAWERS)


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(STAFF)),
)
def test_subunit_request_visible_to_parent_agency_staff(matrix, actor, status):
    """A role at agency A covers its sub-unit's requests too."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.subunit_a)
    response = matrix.client(actor).get("/workspace/requests/")
    assert response.status_code == status
    if status == 200:
        assert (request.tracking_code in response.content.decode()) is (
            actor != "editor_b"
        )


def test_disclosure_participants_are_everyone_who_changed_the_content(matrix):
    """Creator, a later editor, who masked a hit and the submitter count; the
    reviewer who accepted a hit or returned the draft does not."""
    from portal.models import Role
    from requests_ import services
    from requests_.permissions import disclosure_participants
    from tests.factories import MembershipFactory, UserFactory

    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    helper = UserFactory(username="helper")
    MembershipFactory(user=helper, agency=matrix.agency_a, role=Role.EDITOR)
    masker = UserFactory(username="masker")
    MembershipFactory(user=masker, agency=matrix.agency_a, role=Role.REVIEWER)
    draft = fx.converted_draft(
        editor, matrix.agency_a, body="电话13812345678，办公电话021-63281234。"
    )
    services.disclosure_update(actor=helper, disclosure=draft, summary="摘要")
    services.disclosure_submit(actor=editor, disclosure=draft)
    services.disclosure_return(actor=reviewer, disclosure=draft, reason="请核对")
    services.disclosure_submit(actor=editor, disclosure=draft)
    mobile = draft.screening_hits.get(kind="mobile")
    services.screen_hit_mask(actor=masker, hit=mobile)
    landline = draft.screening_hits.get(kind="landline")
    services.screen_hit_accept(actor=reviewer, hit=landline, reason="单位电话")
    draft.refresh_from_db()
    assert disclosure_participants(draft) == {editor.pk, helper.pk, masker.pk}
