"""The fee notice through the staff API and the request page, with the actor matrix."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from portal.models import AuditEvent
from requests_ import services
from requests_.models import DisclosureRequest, FeeNotice, FeeStatus, RequestStatus
from requests_.views.public import status_url
from tests.conftest import A_STAFF, ACTORS, STAFF, outcomes
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db
D = dt.date
HOW_TO_PAY = "至区政务服务中心非税收入窗口缴纳。"


def _expect(table: dict[str, int]) -> list[tuple[str, int]]:
    assert set(table) == set(ACTORS)
    return list(table.items())


@pytest.fixture
def accepted_a(matrix):
    editor = matrix.user("editor_a")
    request, secret = fx.register(editor, matrix.agency_a, received_on=D(2026, 1, 26))
    request = services.request_accept(actor=editor, request=request)
    request.secret = secret
    return request


@pytest.fixture
def noticed_a(matrix, accepted_a):
    services.fee_notify(
        actor=matrix.user("editor_a"),
        request=accepted_a,
        scale="per_volume",
        quantity=101,
        how_to_pay=HOW_TO_PAY,
        on=D(2026, 2, 5),
    )
    return accepted_a


def _post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), ok=201, anonymous=403)),
)
def test_send_notice_api(matrix, accepted_a, actor, status):
    """The agency's editors send the notice; the body is the 收费通知书's fields."""
    response = _post(
        matrix.client(actor),
        f"/api/v1/requests/{accepted_a.pk}/fee-notice/",
        {
            "scale": "per_volume",
            "quantity": 101,
            "how_to_pay": HOW_TO_PAY,
            "on": "2026-02-05",
        },
    )
    assert response.status_code == status
    accepted_a.refresh_from_db()
    if status != 201:
        assert not FeeNotice.objects.exists()
        assert accepted_a.status == RequestStatus.IN_PROGRESS
        return
    body = response.json()
    notice = FeeNotice.objects.get()
    assert {k: body[k] for k in ("id", "request", "tracking_code", "scale")} == {
        "id": notice.pk,
        "request": accepted_a.pk,
        "tracking_code": accepted_a.tracking_code,
        "scale": "per_volume",
    }
    # 101 pages: 70 × 10 + 1 × 20 = 720 元; pay by 11 Mar 2026 (see test_fees_scales).
    assert (body["amount"], body["pay_by"], body["status"]) == (
        "720.00",
        "2026-03-11",
        "pending",
    )
    assert (body["quantity"], body["how_to_pay"], body["notified_on"]) == (
        101,
        HOW_TO_PAY,
        "2026-02-05",
    )
    assert accepted_a.status == RequestStatus.FEE_PENDING


@pytest.mark.parametrize(
    ("actor", "status"), _expect(outcomes(("reviewer_a",), anonymous=403))
)
def test_waiver_api(matrix, noticed_a, actor, status):
    """Only a reviewer of the agency waives; the handler and the city cannot."""
    response = _post(
        matrix.client(actor),
        f"/api/v1/requests/{noticed_a.pk}/fee-notice/waiver/",
        {"reason": "申请人确有经济困难。", "on": "2026-02-10"},
    )
    assert response.status_code == status
    notice = FeeNotice.objects.get()
    if status == 200:
        assert response.json()["status"] == "waived"
        assert response.json()["waived_by"] == "reviewer_a"
        assert notice.status == FeeStatus.WAIVED
    else:
        assert notice.status == FeeStatus.PENDING


@pytest.mark.parametrize(
    ("actor", "status"),
    _expect(outcomes(("editor_a", "superuser"), anonymous=403)),
)
def test_payment_api(matrix, noticed_a, actor, status):
    """Recording the payment is the handling editors'; it restarts the clock."""
    response = _post(
        matrix.client(actor),
        f"/api/v1/requests/{noticed_a.pk}/fee-notice/payment/",
        {"paid_amount": "720.00", "paid_on": "2026-03-02", "receipt_number": "NO-1"},
    )
    assert response.status_code == status
    noticed_a.refresh_from_db()
    paid = status == 200
    assert (noticed_a.status == RequestStatus.IN_PROGRESS) is paid
    if paid:
        assert (response.json()["paid_on"], response.json()["receipt_number"]) == (
            "2026-03-02",
            "NO-1",
        )


def test_refusals_name_the_field(matrix, noticed_a):
    """A wrong amount and an early lapse come back as the one JSON error shape."""
    client = matrix.client("editor_a")
    response = _post(
        client,
        f"/api/v1/requests/{noticed_a.pk}/fee-notice/payment/",
        {"paid_amount": "700", "paid_on": "2026-03-02", "receipt_number": "NO-1"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "实缴金额应与通知金额 720.00 元一致。",
            "fields": {"paid_amount": ["实缴金额应与通知金额 720.00 元一致。"]},
        }
    }
    response = _post(
        client,
        f"/api/v1/requests/{noticed_a.pk}/fee-notice/lapse/",
        {"on": "2026-03-11"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "lapse_too_early"
    response = _post(
        client,
        f"/api/v1/requests/{noticed_a.pk}/fee-notice/lapse/",
        {"on": "2026-03-12"},
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["lapsed_on"]) == (
        "lapsed",
        "2026-03-12",
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_read_notice_and_pending_list(matrix, noticed_a, actor):
    """A's staff read the notice; B's editor learns nothing; the pending list is
    scoped the same way."""
    client = matrix.client(actor)
    response = client.get(f"/api/v1/requests/{noticed_a.pk}/fee-notice/")
    assert response.status_code == outcomes(A_STAFF, anonymous=403)[actor]
    response = client.get("/api/v1/requests/fee-notices/pending/")
    assert response.status_code == outcomes(STAFF, anonymous=403)[actor]
    if response.status_code == 200:
        codes = [row["tracking_code"] for row in response.json()]
        assert codes == ([] if actor == "editor_b" else [noticed_a.tracking_code])


def test_request_page_offers_and_shows_the_fee(matrix, accepted_a):
    """The handler sends the notice from the request's page and sees it there."""
    client = matrix.client("editor_a")
    page = client.get(f"/workspace/requests/{accepted_a.pk}/").content.decode()
    assert "发出收费通知（停止计时）" in page
    response = client.post(
        f"/workspace/requests/{accepted_a.pk}/fee_notify/",
        {
            "scale": "per_item",
            "quantity": "1",
            "how_to_pay": HOW_TO_PAY,
            "on": "2026-02-05",
        },
    )
    # The 1st request of the month is free: refused on the page, nothing sent.
    assert response.status_code == 400
    assert "本申请不需收费" in response.content.decode()
    response = client.post(
        f"/workspace/requests/{accepted_a.pk}/fee_notify/",
        {
            "scale": "per_volume",
            "quantity": "31",
            "how_to_pay": HOW_TO_PAY,
            "on": "2026-02-05",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/workspace/requests/{accepted_a.pk}/").content.decode()
    assert '<dd id="fee-amount">10.00 元</dd>' in page
    assert '<dd id="fee-pay-by">2026年3月11日</dd>' in page


def test_applicant_key_never_leaves(matrix, noticed_a, anon_client):
    """The key is on the row only: not in the API, the pages, the public status
    page, the admin or any audit event."""
    key = DisclosureRequest.objects.get(pk=noticed_a.pk).applicant_key
    assert len(key) == 64
    editor = matrix.client("editor_a")
    responses = [
        editor.get(f"/api/v1/requests/{noticed_a.pk}/"),
        editor.get(f"/api/v1/requests/{noticed_a.pk}/fee-notice/"),
        editor.get("/api/v1/requests/fee-notices/pending/"),
        editor.get(f"/workspace/requests/{noticed_a.pk}/"),
        anon_client.get(status_url(noticed_a.tracking_code, noticed_a.secret)),
        matrix.client("superuser").get(
            f"/admin/requests_/disclosurerequest/{noticed_a.pk}/change/"
        ),
    ]
    for response in responses:
        assert response.status_code == 200
        assert key.encode() not in response.content
    events = json.dumps(list(AuditEvent.objects.values("before", "after", "note")))
    assert key not in events
    assert "applicant_key" not in events


@pytest.mark.parametrize("actor", STAFF)
def test_dashboard_lists_pending_fees_to_the_agencys_staff(matrix, noticed_a, actor):
    """The "my work" panel lists the unpaid notice with its amount and deadline;
    agency B's editor does not see it."""
    page = matrix.client(actor).get("/workspace/").content.decode()
    assert "待申请人缴费（停止计时）" in page
    line = "720.00 元，缴费期限 2026-03-11"
    assert (line in page) is (actor != "editor_b")
    assert (noticed_a.tracking_code in page) is (actor != "editor_b")
