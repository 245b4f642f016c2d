"""The public online form and the applicant's secret status link."""

from __future__ import annotations

import pytest

from django.utils import timezone

from requests_.models import DisclosureRequest
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def _form(agency, **overrides):
    data = {
        "agency": agency.pk,
        "title": "2025年义务教育阶段学校招生划片方案",
        "description": "申请公开本区2025年义务教育阶段公办学校招生划片方案。",
        "form_wanted": "electronic",
        **fx.applicant(),
    }
    data.update(overrides)
    return data


def _submit(client, agency, **overrides):
    return client.post("/requests/new/", _form(agency, **overrides), follow=True)


def test_online_form_gives_tracking_code_and_secret_link(matrix, client):
    """Submitting needs no account; the receipt shows the code and a working link,
    the request waits for the agency's confirmation with no clock (第三十一条)."""
    response = _submit(client, matrix.agency_a)
    assert response.status_code == 200
    request = DisclosureRequest.objects.get()
    page = response.content.decode()
    assert request.tracking_code in page
    assert request.channel == "online"
    # 第三十一条: received only when the agency confirms it; no clock until then.
    assert request.status == "submitted"
    assert request.received_on is None
    assert request.submitted_on == timezone.localdate()
    assert request.reply_due_on is None
    link = response.context["link"]
    assert client.get(link).status_code == 200
    # The receipt is shown once.
    assert client.get("/requests/submitted/").status_code == 302


def test_online_form_validates_id_checksum_and_phone(matrix, client):
    """A wrong ID check digit or a malformed phone is named on the form."""
    response = _submit(
        client, matrix.agency_a, applicant_id_number="310101198503124817"
    )
    assert response.status_code == 400
    assert "校验位" in response.content.decode()
    response = _submit(client, matrix.agency_a, applicant_phone="12345")
    assert "applicant_phone" in response.context["form"].errors
    assert not DisclosureRequest.objects.exists()


def test_online_form_is_rate_limited_per_address(matrix, client, settings):
    """Past the limit the form answers 429, whatever is posted."""
    settings.GONGKAI_ONLINE_REQUEST_LIMIT = 2
    for _ in range(2):
        assert _submit(client, matrix.agency_a).status_code == 200
    response = client.post("/requests/new/", _form(matrix.agency_a))
    assert response.status_code == 429
    assert DisclosureRequest.objects.count() == 2
    other = client.post(
        "/requests/new/", _form(matrix.agency_a), REMOTE_ADDR="10.0.0.9", follow=True
    )
    assert other.status_code == 200


def test_status_link_with_wrong_secret_is_not_found(matrix, client):
    """A wrong or missing secret finds nothing."""
    request, _ = fx.register(matrix.user("editor_a"), matrix.agency_a)
    assert (
        client.get(f"/requests/track/{request.tracking_code}/wrong/").status_code == 404
    )
    assert client.get("/requests/track/NOSUCHCODE/x/").status_code == 404


def test_track_form_redirects_to_the_status_link(matrix, client):
    """Code and secret typed into the form lead to the status page."""
    request, secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    response = client.post(
        "/requests/track/",
        {"tracking_code": request.tracking_code.lower(), "secret": secret},
        follow=True,
    )
    assert response.status_code == 200
    assert request.title in response.content.decode()


def test_applicant_answers_correction_through_the_link(matrix, client):
    """The applicant's correction restarts the clock from today."""
    editor = matrix.user("editor_a")
    from requests_ import services

    request, secret = fx.register(editor, matrix.agency_a)
    services.request_correction_request(
        actor=editor, request=request, notice="请补充年份"
    )
    page = client.get(f"/requests/track/{request.tracking_code}/{secret}/")
    assert "请补充年份" in page.content.decode()
    client.post(
        f"/requests/track/{request.tracking_code}/{secret}/correction/",
        {"text": "补充：2025年度"},
    )
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert request.correction_received_on == timezone.localdate()
    assert request.clock_start == timezone.localdate()


def test_applicant_withdraws_through_the_link(matrix, client):
    """Withdrawal through the link ends the request."""
    request, secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    client.post(f"/requests/track/{request.tracking_code}/{secret}/withdraw/")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    wrong = client.post(f"/requests/track/{request.tracking_code}/bad/withdraw/")
    assert wrong.status_code == 404


def test_reply_letter_downloads_through_the_link(matrix, client):
    """The reply letter is sent as an attachment under a safe name."""
    editor = matrix.user("editor_a")
    request, secret = fx.register(editor, matrix.agency_a)
    fx.reply(
        editor,
        request,
        "unavailable.not_held",
        "本机关不掌握",
        reply_letter=fx.pdf_upload("letter"),
    )
    response = client.get(f"/requests/track/{request.tracking_code}/{secret}/letter/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_public_nav_has_the_request_form(client):
    """The public navigation links to the online form."""
    assert "/requests/new/" in client.get("/").content.decode()


def test_guessing_status_links_is_shut_out_but_reloading_is_not(matrix, client):
    """Failed lookups are counted; past the limit a wrong guess answers 429, while
    successful reloads never count and the right link keeps working."""
    from requests_.views._common import LOOKUP_LIMIT

    request, secret = fx.register(matrix.user("editor_a"), matrix.agency_a)
    good = f"/requests/track/{request.tracking_code}/{secret}/"
    for _ in range(LOOKUP_LIMIT + 5):
        assert client.get(good).status_code == 200
    for _ in range(LOOKUP_LIMIT):
        client.get(f"/requests/track/{request.tracking_code}/guess/")
    assert (
        client.get(f"/requests/track/{request.tracking_code}/guess/").status_code == 429
    )
    assert client.get(good).status_code == 200


def test_receipt_points_to_similar_published_information(matrix, client):
    """第四十四条: the applicant is shown published items that look like the request."""
    disclosure = fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )
    response = _submit(
        client,
        matrix.agency_a,
        title="2024年度老旧小区综合改造项目资金安排",
        description="申请资金安排情况",
    )
    assert disclosure.index_no in response.content.decode()
