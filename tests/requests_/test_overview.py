"""The city coordinator's overview: four figures per agency, each a link to the
requests it counts; nobody else reads it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from django.utils import timezone

from portal.models import Role
from requests_ import services
from tests.conftest import outcomes
from tests.factories import MembershipFactory, UserFactory
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 12, 1)
HOW_TO_PAY = "请至黄浦区政务服务中心非税收入窗口缴纳。"


@pytest.fixture
def on_day(monkeypatch):
    """Fix the portal's today (the clock is the one thing from outside)."""

    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return set_day


def _accepted(matrix, on_day, agency, editor, received_on):
    on_day(received_on)
    request, _ = fx.register(matrix.user(editor), agency, received_on=received_on)
    return services.request_accept(actor=matrix.user(editor), request=request)


def _converted(matrix, on_day, decided_on):
    on_day(decided_on)
    request = fx.replied(
        matrix.user("editor_a"),
        matrix.agency_a,
        received_on=decided_on - dt.timedelta(days=4),
    )
    return services.conversion_decide(
        actor=matrix.user("editor_a"), request=request, decision="convert"
    )


@pytest.fixture
def city(matrix, on_day):
    """Two districts on Mon 1 December 2025, the expected figures worked out here.

    A: received 9 Oct (due 5 Nov: the make-up Saturday 11 Oct counts) and 20 Oct
    (due 17 Nov) are overdue, 28 Nov is not; a fee notice of 21 Nov is unpaid
    (pay by 19 Dec); a conversion decided Fri 19 Sep was due Thu 23 Oct (National
    Day skipped) and is still a draft. B: received 9 Oct is overdue; a request
    sent to another agency for its opinion on 3 Nov ran out on 24 Nov (15 working
    days); a conversion decided 20 Nov is due 18 Dec, not late.
    """
    a, b = matrix.agency_a, matrix.agency_b
    made = {
        "a_overdue": [
            _accepted(matrix, on_day, a, "editor_a", D(2025, 10, 9)),
            _accepted(matrix, on_day, a, "editor_a", D(2025, 10, 20)),
        ],
        "a_fresh": _accepted(matrix, on_day, a, "editor_a", D(2025, 11, 28)),
        "b_overdue": _accepted(matrix, on_day, b, "editor_b", D(2025, 10, 9)),
    }
    fee_request = _accepted(matrix, on_day, a, "editor_a", D(2025, 11, 20))
    on_day(D(2025, 11, 21))
    made["a_fee"] = services.fee_notify(
        actor=matrix.user("editor_a"),
        request=fee_request,
        scale="per_volume",
        quantity=150,
        how_to_pay=HOW_TO_PAY,
        on=D(2025, 11, 21),
    ).request
    made["a_late"] = _converted(matrix, on_day, D(2025, 9, 19))
    consulted = _accepted(matrix, on_day, b, "editor_b", D(2025, 11, 3))
    made["b_run_out"] = services.request_consultation_start(
        actor=matrix.user("editor_b"),
        request=consulted,
        kind="agency",
        party="上海市财政局",
        on=D(2025, 11, 3),
    )
    on_day(D(2025, 11, 20))
    b_request = fx.replied(matrix.user("editor_b"), b, received_on=D(2025, 11, 14))
    services.conversion_decide(
        actor=matrix.user("editor_b"), request=b_request, decision="convert"
    )
    on_day(TODAY)
    return made


def _table(html: str) -> dict[str, list[str]]:
    """Return the overview's rows: agency code (or total) → the four figures."""
    table = re.search(
        r'<table class="table" id="city-overview">.*?</table>', html, re.S
    )
    rows = re.findall(r'<tr data-agency="([^"]+)">(.*?)</tr>', table.group(0), re.S)
    return {
        code: [
            re.sub(r"<[^>]+>", "", cell)
            for cell in re.findall(r'data-figure="\w+">(.*?)</td>', cells, re.S)
        ]
        for code, cells in rows
    }


def test_figures_per_agency_worked_out_by_hand(matrix, city):
    """overdue · consultations run out · fee notices pending · conversions late."""
    html = matrix.client("coordinator").get("/workspace/city-overview/").content
    assert _table(html.decode()) == {
        "310000000": ["0", "0", "0", "0"],
        "310101000": ["2", "0", "1", "1"],
        "310101010": ["0", "0", "0", "0"],
        "310104000": ["1", "1", "0", "0"],
        "total": ["3", "1", "1", "1"],
    }


@pytest.mark.parametrize(
    ("figure", "agency", "expected"),
    [
        ("overdue", "310101000", ["a_overdue"]),
        ("overdue", "", ["a_overdue", "b_overdue"]),
        ("consultations", "310104000", ["b_run_out"]),
        ("fees", "310101000", ["a_fee"]),
        ("conversions", "310101000", ["a_late"]),
        ("conversions", "310104000", []),
    ],
)
def test_each_figure_links_to_the_requests_it_counts(
    matrix, city, figure, agency, expected
):
    """The figure's link lists exactly the requests behind it."""
    html = matrix.client("coordinator").get("/workspace/city-overview/").content
    if agency:
        link = f"/workspace/city-overview/{figure}/?agency={agency}"
        assert (link in html.decode()) == bool(expected)
    else:
        link = f"/workspace/city-overview/{figure}/"
    page = matrix.client("coordinator").get(link).content.decode()
    codes = re.findall(r'<a href="/workspace/requests/\d+/">(\w+)</a>', page)
    wanted = []
    for key in expected:
        made = city[key]
        wanted += [
            r.tracking_code for r in (made if isinstance(made, list) else [made])
        ]
    assert sorted(codes) == sorted(wanted)
    assert re.findall(r"共 (\d+) 件", page) == [str(len(wanted))]


@pytest.mark.parametrize(
    ("actor", "status"),
    list(outcomes(["coordinator", "superuser"], outsider=403).items()),
)
def test_only_the_city_coordinator_reads_the_overview(matrix, actor, status):
    """Agency staff (editors, reviewers) get 403; a visitor is sent to sign in."""
    for url in ("/workspace/city-overview/", "/workspace/city-overview/overdue/"):
        response = matrix.client(actor).get(url)
        assert response.status_code == status
        if status == 200:
            assert "全市办理情况" in response.content.decode()


def test_a_district_coordinator_is_not_the_city(matrix):
    """A coordinator of district A is refused: the overview is the city's."""
    district = UserFactory(username="coordinator_a")
    MembershipFactory(user=district, agency=matrix.agency_a, role=Role.COORDINATOR)
    client = matrix.client("anonymous")
    client.force_login(district)
    assert client.get("/workspace/city-overview/").status_code == 403
    dashboard = client.get("/workspace/").content.decode()
    assert "/workspace/city-overview/" not in dashboard
    nav = matrix.client("coordinator").get("/workspace/").content.decode()
    assert 'href="/workspace/city-overview/"' in nav
