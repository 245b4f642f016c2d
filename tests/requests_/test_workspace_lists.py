"""Sorting, filtering and scoping of the request and disclosure lists of the workspace.

Every list is read through the real client as the actor who would use it; the rows
are built so that each sort key gives its own order.
"""

from __future__ import annotations

import datetime as dt

import pytest

from requests_ import services
from requests_.models import Disclosure, DisclosureRequest
from tests.listing import assert_sorts, headers, row_order
from tests.requests_ import factories as fx

REQUESTS = "/workspace/requests/"
DISCLOSURES = "/workspace/disclosures/"


@pytest.fixture
def requests(matrix):
    """Three requests of agency A (one at its sub-unit) and one of agency B."""
    editor = matrix.user("editor_a")
    r1, _ = fx.register(
        editor, matrix.agency_a, received_on=dt.date(2025, 9, 1), title="B 预算执行"
    )
    r2 = fx.replied(
        editor,
        matrix.subunit_a,
        received_on=dt.date(2025, 9, 10),
        title="C 采购合同",
    )
    r3, _ = fx.register(
        editor, matrix.agency_a, received_on=dt.date(2025, 9, 20), title="A 规划批复"
    )
    other, _ = fx.register(
        matrix.user("editor_b"), matrix.agency_b, title="D 徐汇区的申请"
    )
    # Deadlines whose order differs from the receipt dates (as extensions make).
    for request, due in (
        (r1, (2025, 10, 20)),
        (r2, (2025, 9, 25)),
        (r3, (2025, 10, 5)),
    ):
        DisclosureRequest.objects.filter(pk=request.pk).update(
            reply_due_on=dt.date(*due)
        )
    return {"r1": r1, "r2": r2, "r3": r3, "other": other}


def _codes(requests, *names):
    return [requests[name].tracking_code for name in names]


def test_request_list_sorts_by_every_column_both_ways(matrix, requests):
    r1, r2, r3 = _codes(requests, "r1", "r2", "r3")
    markers = _codes(requests, "r1", "r2", "r3", "other")
    assert_sorts(
        matrix.client("editor_a"),
        REQUESTS,
        markers,
        {
            "code": sorted([r1, r2, r3]),
            "title": [r3, r1, r2],
            "agency": [r1, r3, r2],
            "received": [r1, r2, r3],
            "due": [r2, r3, r1],
            "status": [r1, r3, r2],
        },
    )


def test_request_list_keeps_its_filters_in_the_header_links(matrix, requests):
    """Sorting a filtered list sorts within the filter and keeps it in every link."""
    r1, r3 = _codes(requests, "r1", "r3")
    markers = _codes(requests, "r1", "r2", "r3", "other")
    assert_sorts(
        matrix.client("editor_a"),
        REQUESTS,
        markers,
        {"title": [r3, r1], "due": [r3, r1], "received": [r1, r3]},
        status="received",
    )
    page = (
        matrix.client("editor_a")
        .get(REQUESTS, {"status": "received", "sort": "-due"})
        .content.decode()
    )
    assert '<input type="hidden" name="sort" value="-due">' in page


def test_request_list_default_order_and_bad_sort_values(matrix, requests):
    """Newest first by default; a due filter puts the nearest deadline first."""
    client = matrix.client("editor_a")
    markers = _codes(requests, "r1", "r2", "r3")
    for bad in ("", "applicant_name", "-applicant_id_number", "--due", "-", "due;"):
        response = client.get(REQUESTS, {"sort": bad})
        assert response.status_code == 200
        page = response.content.decode()
        assert row_order(page, markers) == _codes(requests, "r3", "r2", "r1")
        assert headers(page)["received"]["state"] == "descending"
        assert 'type="hidden" name="sort"' not in page
    page = client.get(REQUESTS, {"due": "overdue"}).content.decode()
    assert row_order(page, markers) == _codes(requests, "r3", "r1")
    assert headers(page)["due"]["state"] == "ascending"
    assert headers(page)["due"]["params"] == {"due": "overdue", "sort": "-due"}


@pytest.mark.parametrize("actor", ["editor_a", "editor_b", "reviewer_a", "coordinator"])
def test_sorting_the_request_list_never_widens_it(matrix, requests, actor):
    """Whatever the order, each actor sees exactly the requests the scoper allows."""
    from requests_.permissions import readable_requests_qs

    visible = set(
        readable_requests_qs(matrix.user(actor)).values_list("tracking_code", flat=True)
    )
    markers = _codes(requests, "r1", "r2", "r3", "other")
    client = matrix.client(actor)
    for sort in ("code", "-title", "agency", "-received", "due", "-status"):
        page = client.get(REQUESTS, {"sort": sort}).content.decode()
        assert set(row_order(page, markers)) == visible & set(markers), sort
    assert matrix.client("anonymous").get(REQUESTS, {"sort": "code"}).status_code == 302


# --- Disclosures ---------------------------------------------------------------------


def _disclosure(editor, agency, title: str) -> Disclosure:
    draft = fx.converted_draft(editor, agency, body="项目资金共计3200万元。")
    return services.disclosure_update(actor=editor, disclosure=draft, title=title)


@pytest.fixture
def disclosures(matrix):
    """A draft and a published item of agency A, one submitted at its sub-unit."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    d1 = _disclosure(editor, matrix.agency_a, "B 草稿信息")
    d2 = services.disclosure_submit(
        actor=editor, disclosure=_disclosure(editor, matrix.subunit_a, "C 待审信息")
    )
    d3 = services.disclosure_submit(
        actor=editor, disclosure=_disclosure(editor, matrix.agency_a, "A 已发布信息")
    )
    d3 = services.disclosure_approve(actor=reviewer, disclosure=d3)
    return {"d1": d1, "d2": d2, "d3": d3}


def _titles(disclosures, *names):
    return [disclosures[name].title for name in names]


def test_disclosure_list_sorts_by_every_column_both_ways(matrix, disclosures):
    """Dates that are still empty stay at the end in either direction."""
    d1, d2, d3 = _titles(disclosures, "d1", "d2", "d3")
    by_index = [
        d.title for d in sorted(disclosures.values(), key=lambda d: (d.index_no, d.pk))
    ]
    assert_sorts(
        matrix.client("editor_a"),
        DISCLOSURES,
        [d1, d2, d3],
        {
            "index_no": by_index,
            "title": [d3, d1, d2],
            "agency": [d1, d3, d2],
            "status": [d1, d2, d3],
            "submitted": ([d2, d3, d1], [d3, d2, d1]),
            "published": ([d3, d1, d2], [d3, d2, d1]),
            "updated": [d1, d2, d3],
        },
    )


def test_disclosure_approval_queue_sorts_and_keeps_its_filter(matrix, disclosures):
    """ "Awaiting my approval" lists what the reviewer may approve, oldest first."""
    client = matrix.client("reviewer_a")
    d1, d2, d3 = _titles(disclosures, "d1", "d2", "d3")
    page = client.get(DISCLOSURES, {"awaiting": "mine"}).content.decode()
    assert row_order(page, [d1, d2, d3]) == [d2]
    head = headers(page)
    assert head["submitted"]["state"] == "ascending"
    assert head["title"]["params"] == {"awaiting": "mine", "sort": "title"}
    assert_sorts(client, DISCLOSURES, [d1, d2, d3], {"title": [d2]}, awaiting="mine")
    # The author never finds their own work in an approval queue.
    page = (
        matrix.client("editor_a")
        .get(DISCLOSURES, {"awaiting": "mine"})
        .content.decode()
    )
    assert row_order(page, [d1, d2, d3]) == []


def test_disclosure_list_ignores_bad_values_and_stays_scoped(matrix, disclosures):
    d1, d2, d3 = _titles(disclosures, "d1", "d2", "d3")
    client = matrix.client("editor_a")
    for bad in ("created_by__password", "-", "title,id", "awaiting"):
        response = client.get(DISCLOSURES, {"sort": bad, "awaiting": "everyone"})
        assert response.status_code == 200
        assert row_order(response.content.decode(), [d1, d2, d3]) == [d3, d2, d1]
    other = matrix.client("editor_b")
    for sort in ("title", "-agency", "status", "-published"):
        for awaiting in ("", "mine"):
            page = other.get(
                DISCLOSURES, {"sort": sort, "awaiting": awaiting}
            ).content.decode()
            assert row_order(page, [d1, d2, d3]) == []


# --- Annual report: the records behind one cell ---------------------------------------


@pytest.fixture
def cell(matrix):
    """Three requests of A settled in 2025 (one at its sub-unit), one of B."""
    from requests_.models import ApplicantType, Outcome
    from tests.requests_.annual_report_builders import replied

    natural, legal = ApplicantType.NATURAL_PERSON, ApplicantType.BUSINESS
    return {
        "q1": replied(
            matrix.agency_a,
            dt.date(2025, 3, 1),
            dt.date(2025, 7, 1),
            Outcome.DISCLOSED,
            natural,
            title="B 年报",
        ),
        "q2": replied(
            matrix.subunit_a,
            dt.date(2025, 5, 1),
            dt.date(2025, 5, 10),
            Outcome.PARTIAL,
            legal,
            title="C 年报",
        ),
        "q3": replied(
            matrix.agency_a,
            dt.date(2025, 6, 1),
            dt.date(2025, 6, 15),
            Outcome.DISCLOSED,
            natural,
            title="A 年报",
        ),
        "other": replied(
            matrix.agency_b,
            dt.date(2025, 6, 1),
            dt.date(2025, 6, 2),
            Outcome.DISCLOSED,
            natural,
        ),
    }


CELL = "/workspace/annual-report/cell/"


def test_annual_report_cell_sorts_its_records_and_keeps_the_cell(matrix, cell):
    """Sorting never leaves the cell: agency, year, table, row and column stay."""
    q1, q2, q3, other = _codes(cell, "q1", "q2", "q3", "other")
    params = {
        "agency": matrix.agency_a.code,
        "year": "2025",
        "table": "t3",
        "row": "total",
        "col": "total",
    }
    client = matrix.client("editor_a")
    assert_sorts(
        client,
        CELL,
        [q1, q2, q3, other],
        {
            "code": sorted([q1, q2, q3]),
            "title": [q3, q1, q2],
            "agency": [q1, q3, q2],
            "applicant": [q1, q3, q2],
            "received": [q1, q2, q3],
            "decided": [q2, q3, q1],
            "outcome": [q1, q3, q2],
            "status": [q1, q2, q3],
        },
        **params,
    )
    page = client.get(CELL, {**params, "sort": "applicant_id_number"}).content.decode()
    assert row_order(page, [q1, q2, q3, other]) == [q3, q2, q1]
    assert all(h["state"] is None for h in headers(page).values())
    other_cell = {**params, "agency": matrix.agency_b.code, "sort": "code"}
    assert client.get(CELL, other_cell).status_code == 404
