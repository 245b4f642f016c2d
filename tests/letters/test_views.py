"""Letter pages, the applicant's copies through the secret link, and the API.

Every page through the real client: staff reach letters of their agencies (the
handling agency's editors write them, everyone else who reads the request only
reads), the applicant reaches issued letters and released files only with the
request's own secret, and the applicant's name appears on staff pages of the
handling agency alone.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from letters import services
from letters.models import Letter
from requests_.models import Outcome
from tests.conftest import ACTORS, outcomes
from tests.letters import builders as b
from tests.requests_ import factories as rq

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letter_clock")]

READERS = ("editor_a", "reviewer_a", "coordinator", "superuser")
WRITERS = ("editor_a", "superuser")


@pytest.fixture
def editor(matrix):
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    return matrix.user("editor_a")


@pytest.fixture
def issued(matrix, editor):
    """An issued reply (disclosed, one released file) and its request's secret."""
    return b.issued_reply(editor, matrix.agency_a)


def _draft(editor, agency, outcome=Outcome.OTHER_OTHER) -> Letter:
    request, _ = b.registered(editor, agency)
    request = b.reply_for(editor, request, outcome)
    return services.letter_draft(actor=editor, request=request, kind="reply")


def _paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


@pytest.mark.parametrize(
    ("actor", "expected"), outcomes(READERS, anonymous=302).items()
)
def test_letter_page_matrix(matrix, issued, actor, expected):
    """Readers of the request read its letters; editor_b of B gets 404."""
    letter, _ = issued
    response = matrix.client(actor).get(f"/workspace/letters/{letter.pk}/")
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert re.findall(r'id="letter-number">([^<]+)<', html) == [
            "黄府信公复〔2099〕1号"
        ]


@pytest.mark.parametrize("actor", ACTORS)
def test_issue_through_the_page(matrix, editor, actor):
    """Only the handling agency's editors issue (others who read get 403)."""
    letter = _draft(editor, matrix.agency_a)
    expected = outcomes(WRITERS, anonymous=302)[actor]
    response = matrix.client(actor).post(f"/workspace/letters/{letter.pk}/issue/")
    stored = Letter.objects.get(pk=letter.pk)
    if expected == 200:
        assert response.status_code == 302
        assert (stored.status, stored.number) == ("issued", "黄府信公复〔2099〕1号")
    else:
        assert response.status_code == expected
        assert (stored.status, stored.number) == ("draft", "")


def test_the_staff_page_names_the_applicant_only_for_the_handling_agency(
    matrix, issued
):
    letter, _ = issued
    own = matrix.client("editor_a").get(f"/workspace/letters/{letter.pk}/")
    city = matrix.client("coordinator").get(f"/workspace/letters/{letter.pk}/")
    assert f"<p>{rq.APPLICANT_NAME}：</p>" in own.content.decode()
    assert rq.APPLICANT_NAME not in city.content.decode()
    code = letter.request.tracking_code
    assert f"<p>申请人（查询码 {code}）：</p>" in city.content.decode()


def test_edit_then_issue_through_the_pages(matrix, editor):
    letter = _draft(editor, matrix.agency_a)
    client = matrix.client("editor_a")
    response = client.post(
        f"/workspace/letters/{letter.pk}/edit/",
        {"body": "经核查，本机关作如下处理。\n特此告知。", "addressee": ""},
    )
    assert response.status_code == 302
    client.post(f"/workspace/letters/{letter.pk}/issue/")
    page = client.get(f"/workspace/letters/{letter.pk}/").content.decode()
    body = re.search(r'<div class="letter-body">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r"<p>(.*?)</p>", body) == [
        "经核查，本机关作如下处理。",
        "特此告知。",
    ]
    # An issued letter offers no edit form and no issue button any more.
    assert "letter-issue" not in page
    assert f'action="/workspace/letters/{letter.pk}/edit/"' not in page
    refused = client.post(
        f"/workspace/letters/{letter.pk}/edit/", {"body": "改动", "addressee": ""}
    )
    assert refused.status_code == 400
    assert (
        Letter.objects.get(pk=letter.pk).body
        == "经核查，本机关作如下处理。\n特此告知。"
    )


def test_void_through_the_page_keeps_the_number(matrix, issued):
    letter, _ = issued
    client = matrix.client("editor_a")
    response = client.post(
        f"/workspace/letters/{letter.pk}/void/", {"reason": "日期打错"}
    )
    assert response.status_code == 302
    stored = Letter.objects.get(pk=letter.pk)
    assert (stored.status, stored.number, stored.void_reason) == (
        "void",
        "黄府信公复〔2099〕1号",
        "日期打错",
    )


def test_staff_docx_reads_back(matrix, issued):
    """The DOCX holds title, number, salutation, body, agency and date in order."""
    letter, _ = issued
    response = matrix.client("editor_a").get(f"/workspace/letters/{letter.pk}/docx/")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    paragraphs = _paragraphs(response.content)
    code = letter.request.tracking_code
    assert paragraphs[:3] == [
        "上海市黄浦区人民政府政府信息公开申请答复书",
        "黄府信公复〔2099〕1号",
        f"{rq.APPLICANT_NAME}：",
    ]
    assert paragraphs[3].startswith(
        f"本机关于2026年11月2日收到您提出的政府信息公开申请（查询码 {code}）"
    )
    assert paragraphs[-5:] == [
        "1. 资金安排表.pdf",
        paragraphs[-4],
        "特此告知。",
        "上海市黄浦区人民政府",
        "2099年3月15日",
    ]
    assert paragraphs[-4].startswith(
        "如对本答复不服，可以依照《中华人民共和国行政复议法》第二十条"
    )


def test_workspace_page_lists_letters_and_offers_drafting_to_editors(matrix, issued):
    letter, _ = issued
    url = f"/workspace/requests/{letter.request_id}/"
    own = matrix.client("editor_a").get(url).content.decode()
    city = matrix.client("coordinator").get(url).content.decode()
    for html in (own, city):
        assert re.findall(r'<td data-label="文号">([^<]+)</td>', html) == [
            "黄府信公复〔2099〕1号"
        ]
    assert 'id="letter-draft"' in own
    assert 'id="letter-draft"' not in city


def test_draft_from_the_workspace_page(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.NOT_HANDLED_PETITION)
    response = matrix.client("editor_a").post(
        f"/workspace/letters/new/{request.pk}/", {"kind": "reply"}
    )
    letter = Letter.objects.get(request=request)
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/letters/{letter.pk}/"
    assert (letter.kind, letter.status) == ("reply", "draft")
    refused = matrix.client("coordinator").post(
        f"/workspace/letters/new/{request.pk}/", {"kind": "reply"}
    )
    assert refused.status_code == 403
    assert Letter.objects.filter(request=request).count() == 1


def test_released_file_upload_and_staff_download(matrix, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request, _ = b.registered(editor, matrix.agency_a)
    data = rq.pdf_bytes("RELEASED")
    upload = SimpleUploadedFile("计划表.pdf", data, "application/pdf")
    response = matrix.client("editor_a").post(
        f"/workspace/letters/files/new/{request.pk}/", {"file": upload}
    )
    assert response.status_code == 302
    released = request.released_files.get()
    assert released.original_name == "计划表.pdf"
    got = matrix.client("reviewer_a").get(f"/workspace/letters/files/{released.pk}/")
    assert b"".join(got.streaming_content) == data
    outsider = matrix.client("editor_b").get(f"/workspace/letters/files/{released.pk}/")
    assert outsider.status_code == 404


def test_dashboard_panel_lists_drafts_of_the_editor(matrix, editor):
    letter = _draft(editor, matrix.agency_a)
    html = matrix.client("editor_a").get("/workspace/").content.decode()
    assert "已起草未签发的文书" in html
    assert f"/workspace/requests/{letter.request_id}/" in html
    assert re.findall(r"共 (\d+) 份草稿待签发", html) == ["1"]
    other = matrix.client("editor_b").get("/workspace/").content.decode()
    assert "已起草未签发的文书" not in other


def test_drafts_for_is_scoped_to_the_writer(matrix, editor):
    from letters.selectors import drafts_for

    letter = _draft(editor, matrix.agency_a)
    issued_letter = services.letter_issue(
        actor=editor, letter=_draft(editor, matrix.agency_a)
    )
    assert list(drafts_for(editor)) == [letter]
    assert issued_letter not in drafts_for(editor)
    assert list(drafts_for(matrix.user("editor_b"))) == []
    assert list(drafts_for(matrix.user("reviewer_a"))) == []


# --- The applicant, through the secret link ------------------------------------------


def _status(client, letter, secret):
    return client.get(f"/requests/track/{letter.request.tracking_code}/{secret}/")


def test_tracking_page_lists_issued_letters_and_files_not_drafts(
    matrix, editor, issued, anon_client
):
    letter, secret = issued
    draft = services.letter_draft(actor=editor, request=letter.request, kind="reply")
    html = _status(anon_client, letter, secret).content.decode()
    code = letter.request.tracking_code
    links = re.findall(r'href="(/requests/track/[^"]+)"', html)
    base = f"/requests/track/{code}/{secret}/"
    released = letter.request.released_files.get()
    assert [link for link in links if "/letters/" in link or "/files/" in link] == [
        f"{base}letters/{letter.pk}/",
        f"{base}letters/{letter.pk}/docx/",
        f"{base}files/{released.pk}/",
    ]
    assert f"/letters/{draft.pk}/" not in html
    assert rq.APPLICANT_NAME not in html


def test_letter_and_file_need_the_requests_own_secret(matrix, editor, issued):
    """Without the secret, or with another request's secret: 404. Drafts: 404."""
    from django.test import Client

    letter, secret = issued
    code = letter.request.tracking_code
    other, other_secret = b.registered(editor, matrix.agency_a)
    released = letter.request.released_files.get()
    draft = services.letter_draft(actor=editor, request=letter.request, kind="reply")
    paths = [
        f"letters/{letter.pk}/",
        f"letters/{letter.pk}/docx/",
        f"files/{released.pk}/",
    ]
    client = Client()
    for path in paths:
        assert client.get(f"/requests/track/{code}/{secret}/{path}").status_code == 200
        assert client.get(f"/requests/track/{code}/{path}").status_code == 404
        wrong = f"/requests/track/{code}/{other_secret}/{path}"
        assert client.get(wrong).status_code == 404
        theirs = f"/requests/track/{other.tracking_code}/{other_secret}/{path}"
        assert client.get(theirs).status_code == 404
    draft_path = f"/requests/track/{code}/{secret}/letters/{draft.pk}/"
    assert client.get(draft_path).status_code == 404


def test_applicant_reads_the_letter_and_downloads_the_file(matrix, issued, anon_client):
    letter, secret = issued
    base = f"/requests/track/{letter.request.tracking_code}/{secret}/"
    page = anon_client.get(f"{base}letters/{letter.pk}/")
    html = page.content.decode()
    assert re.findall(r'id="letter-number">([^<]+)<', html) == ["黄府信公复〔2099〕1号"]
    assert f"<p>申请人（查询码 {letter.request.tracking_code}）：</p>" in html
    assert rq.APPLICANT_NAME not in html
    assert page["Cache-Control"] == "private, no-store"
    docx = anon_client.get(f"{base}letters/{letter.pk}/docx/")
    assert _paragraphs(docx.content)[:2] == [
        "上海市黄浦区人民政府政府信息公开申请答复书",
        "黄府信公复〔2099〕1号",
    ]
    assert rq.APPLICANT_NAME not in "".join(_paragraphs(docx.content))
    assert docx["Cache-Control"] == "private, no-store"
    released = letter.request.released_files.get()
    download = anon_client.get(f"{base}files/{released.pk}/")
    assert b"".join(download.streaming_content) == rq.pdf_bytes("FUNDS")
    assert download["Cache-Control"] == "private, no-store"


def test_files_wait_for_the_reply_letter(matrix, editor, anon_client):
    """A file added before the reply is issued is not yet the applicant's."""
    request, secret = b.registered(editor, matrix.agency_a)
    released = b.add_file(editor, request)
    base = f"/requests/track/{request.tracking_code}/{secret}/"
    assert anon_client.get(f"{base}files/{released.pk}/").status_code == 404
    assert "applicant-files" not in anon_client.get(base).content.decode()


# --- API -----------------------------------------------------------------------------


def test_api_draft_update_issue(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.OTHER_OTHER)
    client = matrix.client("editor_a")
    created = client.post(
        "/api/v1/letters/draft/",
        {"request": request.pk, "kind": "reply"},
        "application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["available_actions"] == ["edit", "cancel", "issue"]
    updated = client.post(
        f"/api/v1/letters/{pk}/update/", {"body": "正文。"}, "application/json"
    )
    assert updated.json()["body"] == "正文。"
    issued = client.post(f"/api/v1/letters/{pk}/issue/")
    assert issued.status_code == 200
    data = issued.json()
    assert (data["status"], data["number"], data["letter_date"]) == (
        "issued",
        "黄府信公复〔2099〕1号",
        "2099-03-15",
    )
    assert data["available_actions"] == ["void"]
    assert rq.APPLICANT_NAME not in issued.content.decode()


def test_api_permissions(matrix, issued):
    letter, _ = issued
    url = f"/api/v1/letters/{letter.pk}/"
    statuses = {actor: matrix.client(actor).get(url).status_code for actor in ACTORS}
    assert statuses == {
        "anonymous": 403,
        "editor_a": 200,
        "editor_b": 404,
        "reviewer_a": 200,
        "coordinator": 200,
        "superuser": 200,
    }
    refused = matrix.client("reviewer_a").post(
        f"/api/v1/letters/{letter.pk}/void/", {"reason": "x"}, "application/json"
    )
    assert refused.status_code == 403
    assert Letter.objects.get(pk=letter.pk).status == "issued"
    listed = matrix.client("editor_b").get("/api/v1/letters/").json()
    assert listed == []


def test_tracking_page_links_the_published_item(matrix, editor, issued, anon_client):
    """After the released information is converted and published, the applicant's
    page links the public item."""
    from requests_ import services as rq_services

    letter, secret = issued
    request = rq_services.conversion_decide(
        actor=editor,
        request=letter.request,
        decision="convert",
        draft={"title": "2024年度老旧小区综合改造项目资金安排", "topic": rq.topic()},
    )
    disclosure = rq_services.disclosure_update(
        actor=editor, disclosure=request.disclosure, body="项目资金共计3200万元。"
    )
    html = _status(anon_client, letter, secret).content.decode()
    assert 'id="published-item"' not in html  # a draft is not public yet
    disclosure = rq_services.disclosure_submit(actor=editor, disclosure=disclosure)
    rq_services.disclosure_approve(
        actor=matrix.user("reviewer_a"), disclosure=disclosure
    )
    html = _status(anon_client, letter, secret).content.decode()
    assert re.findall(
        r'<p id="published-item">该信息已转为主动公开：<a href="([^"]+)">([^<]+)</a>',
        html,
    ) == [
        (f"/disclosures/{disclosure.index_no}/", "2024年度老旧小区综合改造项目资金安排")
    ]


def test_the_requests_history_tells_the_letter_in_words(matrix, issued):
    letter, _ = issued
    html = matrix.client("editor_a").get(f"/workspace/requests/{letter.request_id}/")
    html = html.content.decode()
    verbs = re.findall(r'<span class="history-verb">([^<]+)</span>', html)
    assert verbs[:3] == ["签发文书", "起草文书", "作出答复"]
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td data-label="变更前">[^<]*</td>'
        r'<td data-label="变更后">([^<]+)</td></tr>',
        html,
    )
    assert ("文书类型", "政府信息公开申请答复书") in rows
    assert ("文书状态", "已签发") in rows
    assert ("文号", "黄府信公复〔2099〕1号") in rows


def test_the_coordinator_sets_the_letter_settings_on_the_agency_page(matrix):
    """Prefix, review body and court are edited with the agency; letters use them."""
    from portal.models import Agency

    url = f"/workspace/agencies/{matrix.agency_a.code}/edit/"
    client = matrix.client("coordinator")
    assert 'name="doc_no_prefix"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "上海市黄浦区人民政府",
            "short_name": "黄浦区",
            "kind": "district",
            "parent": matrix.city.pk,
            "sort_order": 0,
            "is_active": "on",
            "doc_no_prefix": "黄府信",
            "review_body": "上海市人民政府",
            "court": "上海铁路运输法院",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=matrix.agency_a.pk)
    assert (agency.doc_no_prefix, agency.review_body, agency.court) == (
        "黄府信",
        "上海市人民政府",
        "上海铁路运输法院",
    )


def test_letter_text_is_shown_as_text_not_markup(matrix, editor, anon_client):
    """Words typed into a draft are escaped on the staff and applicant pages."""
    request, secret = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.OTHER_OTHER)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    services.letter_update(
        actor=editor, letter=letter, body='见附件<script>alert("x")</script>。'
    )
    services.letter_issue(actor=editor, letter=letter)
    staff = matrix.client("editor_a").get(f"/workspace/letters/{letter.pk}/")
    public = anon_client.get(
        f"/requests/track/{request.tracking_code}/{secret}/letters/{letter.pk}/"
    )
    for html in (staff.content.decode(), public.content.decode()):
        assert "<script>alert" not in html
        assert (
            "<p>见附件&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;。</p>" in html
        )
