"""Sorting, filtering and scoping of the negative-list pages of the workspace.

Entries, the review queue, review cycles, their tasks and the provisions catalogue
are read through the real client; the rows differ by every sort key.
"""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from negative_list import services
from negative_list.models import Entry, Provision, ReviewCycle, ReviewTask
from tests.listing import assert_sorts, headers, row_order
from tests.negative_list import factories

W = "/workspace/negative-list/"


def _by_category(entries: list[Entry]) -> list[str]:
    return [
        e.code
        for e in sorted(
            entries, key=lambda e: (e.latest_version.category.sort_order, e.pk)
        )
    ]


@pytest.fixture
def entries(matrix, editor, reviewer):
    """A draft, a submitted and an approved entry of A, and a draft of B."""
    e1 = factories.draft(editor, matrix.agency_a, title="B 会议记录")
    e2 = factories.submitted(
        editor, matrix.subunit_a, **{**factories.second_wording(), "title": "A 涉税"}
    )
    e3 = factories.approved(editor, reviewer, matrix.agency_a, title="C 内部讨论")
    other = factories.draft(matrix.user("editor_b"), matrix.agency_b, title="D 徐汇")
    return {"e1": e1, "e2": e2, "e3": e3, "other": other}


def test_entry_list_sorts_by_every_column_both_ways(matrix, entries):
    e1, e2, e3, other = (entries[k].code for k in ("e1", "e2", "e3", "other"))
    rows = [entries[k] for k in ("e1", "e2", "e3")]
    assert _by_category(rows) != [e1, e2, e3]
    assert_sorts(
        matrix.client("editor_a"),
        W,
        [e1, e2, e3, other],
        {
            "code": [e1, e3, e2],
            "agency": [e1, e3, e2],
            "category": _by_category(rows),
            "title": [e2, e1, e3],
            "status": [e1, e2, e3],
            "version": [e1, e2, e3],
        },
    )


def test_entry_list_sorts_within_its_filter_and_falls_back_on_bad_keys(matrix, entries):
    e1, e2, e3 = (entries[k].code for k in ("e1", "e2", "e3"))
    client = matrix.client("editor_a")
    assert_sorts(client, W, [e1, e2, e3], {"title": [e1]}, status="draft")
    for bad in ("latest_version__author__password", "-", "serial", "code "):
        response = client.get(W, {"sort": bad})
        assert response.status_code == 200
        page = response.content.decode()
        assert row_order(page, [e1, e2, e3]) == [e1, e3, e2]
        assert headers(page)["code"]["state"] == "ascending"


@pytest.mark.parametrize("actor", ["editor_a", "editor_b", "reviewer_a", "coordinator"])
def test_sorting_the_entry_list_never_widens_it(matrix, entries, actor):
    from negative_list.permissions import readable_entries_qs

    codes = [e.code for e in entries.values()]
    visible = set(
        readable_entries_qs(matrix.user(actor)).values_list("code", flat=True)
    )
    client = matrix.client(actor)
    for sort in ("code", "-agency", "category", "-title", "status", "-version"):
        page = client.get(W, {"sort": sort}).content.decode()
        assert set(row_order(page, codes)) == visible & set(codes), sort


# --- The review queue ----------------------------------------------------------------


@pytest.fixture
def queue(matrix, editor):
    """Three submissions awaiting reviewer A, and one of agency B."""
    s1 = factories.submitted(editor, matrix.agency_a, title="B 会议记录")
    s2 = factories.submitted(
        editor, matrix.subunit_a, **{**factories.second_wording(), "title": "A 涉税"}
    )
    s3 = factories.submitted(editor, matrix.agency_a, title="C 内部讨论")
    other = factories.submitted(matrix.user("editor_b"), matrix.agency_b)
    return {"s1": s1, "s2": s2, "s3": s3, "other": other}


def _cells(queue, *names):
    """Return the code cells of the queue's rows (the checks also quote codes)."""
    return [f'<td data-label="编号">{queue[name].code}</td>' for name in names]


def test_review_queue_sorts_by_every_column_both_ways(matrix, queue):
    s1, s2, s3, other = _cells(queue, "s1", "s2", "s3", "other")
    rows = [queue[k] for k in ("s1", "s2", "s3")]
    assert_sorts(
        matrix.client("reviewer_a"),
        f"{W}review/",
        [s1, s2, s3, other],
        {
            "code": [s1, s3, s2],
            "title": [s2, s1, s3],
            "agency": [s1, s3, s2],
            "category": [f'<td data-label="编号">{c}</td>' for c in _by_category(rows)],
            "submitted": [s1, s2, s3],
        },
    )


def test_review_queue_oldest_first_by_default_and_filtered_by_agency(matrix, queue):
    s1, s2, s3, other = _cells(queue, "s1", "s2", "s3", "other")
    client = matrix.client("reviewer_a")
    for bad in ("", "author", "-submitted_at"):
        page = client.get(f"{W}review/", {"sort": bad}).content.decode()
        assert row_order(page, [s1, s2, s3, other]) == [s1, s2, s3]
        assert headers(page)["submitted"]["state"] == "ascending"
    code = matrix.subunit_a.code
    assert_sorts(client, f"{W}review/", [s1, s2, s3], {"title": [s2]}, agency=code)
    # Another agency's code in the filter shows nothing of that agency.
    page = client.get(f"{W}review/", {"agency": matrix.agency_b.code}).content.decode()
    assert row_order(page, [s1, s2, s3, other]) == [s1, s2, s3]


def test_the_author_never_finds_their_entries_in_a_review_queue(matrix, queue):
    codes = _cells(queue, "s1", "s2", "s3", "other")
    for actor in ("editor_a", "editor_b", "coordinator"):
        page = (
            matrix.client(actor).get(f"{W}review/", {"sort": "-code"}).content.decode()
        )
        assert row_order(page, codes) == []


# --- Review cycles and their tasks ---------------------------------------------------


@pytest.fixture
def cycles(matrix, editor, reviewer):
    """An open cycle of A with two tasks, an open one of B, a closed city-wide one."""
    factories.published_list(
        editor, reviewer, matrix.agency_a, [{}, factories.second_wording()]
    )
    coordinator = matrix.user("coordinator")
    today = timezone.localdate()
    c1 = services.review_cycle_open(
        actor=coordinator,
        title="B 黄浦年度评审",
        agency=matrix.agency_a,
        due_on=today + dt.timedelta(days=30),
    )
    c2 = ReviewCycle.objects.create(
        title="C 徐汇年度评审",
        agency=matrix.agency_b,
        due_on=today + dt.timedelta(days=10),
        opened_by=coordinator,
    )
    c3 = ReviewCycle.objects.create(
        title="A 全市评审",
        agency=None,
        due_on=today + dt.timedelta(days=20),
        status=ReviewCycle.Status.CLOSED,
        opened_by=coordinator,
    )
    return {"c1": c1, "c2": c2, "c3": c3}


def test_cycle_list_sorts_by_every_column_both_ways(matrix, cycles):
    c1, c2, c3 = (cycles[k].title for k in ("c1", "c2", "c3"))
    assert_sorts(
        matrix.client("coordinator"),
        f"{W}cycles/",
        [c1, c2, c3],
        {
            "title": [c3, c1, c2],
            # The city-wide cycle has no agency and stays last either way.
            "scope": ([c1, c2, c3], [c2, c1, c3]),
            "due": [c2, c3, c1],
            "open": [c2, c3, c1],
            "status": [c1, c2, c3],
            "opened": [c1, c2, c3],
        },
    )


def test_cycle_list_filters_by_status_and_stays_scoped(matrix, cycles):
    c1, c2, c3 = (cycles[k].title for k in ("c1", "c2", "c3"))
    assert_sorts(
        matrix.client("coordinator"),
        f"{W}cycles/",
        [c1, c2, c3],
        {"title": [c1, c2]},
        status="open",
    )
    client = matrix.client("editor_a")
    for sort in ("title", "-scope", "due", "-open", "status", "bogus"):
        page = client.get(f"{W}cycles/", {"sort": sort}).content.decode()
        assert set(row_order(page, [c1, c2, c3])) == {c1, c3}, sort
    page = client.get(f"{W}cycles/", {"sort": "bogus"}).content.decode()
    assert row_order(page, [c1, c3]) == [c3, c1]
    assert headers(page)["opened"]["state"] == "descending"


def test_cycle_tasks_sort_by_every_column_and_filter_by_status(matrix, cycles):
    """Tasks not yet recorded come first by verdict; the unassigned stay last."""
    tasks = list(ReviewTask.objects.filter(cycle=cycles["c1"]).order_by("pk"))
    services.review_task_record(
        actor=matrix.user("reviewer_a"),
        task=tasks[0],
        legality=ReviewTask.Verdict.PASS,
        conciseness=ReviewTask.Verdict.FAIL,
        decision=ReviewTask.Decision.AMEND,
        reasons="范围可以合并。",
    )
    t1, t2 = (task.entry.code for task in tasks)
    url = f"{W}cycles/{cycles['c1'].pk}/"
    client = matrix.client("reviewer_a")
    assert_sorts(
        client,
        url,
        [t1, t2],
        {
            "entry": [t1, t2],
            "agency": [t1, t2],
            "legality": [t2, t1],
            "conciseness": [t2, t1],
            "decision": [t2, t1],
            "reviewer": ([t1, t2], [t1, t2]),
        },
    )
    assert_sorts(client, url, [t1, t2], {"entry": [t2]}, status="open")
    page = client.get(url, {"sort": "reasons"}).content.decode()
    assert row_order(page, [t1, t2]) == [t1, t2]
    assert matrix.client("editor_b").get(url, {"sort": "entry"}).status_code == 404


# --- The provisions catalogue --------------------------------------------------------


def test_provisions_sort_by_law_article_and_validity(matrix):
    """In force first by default; law, article and validity each order the rows."""
    p1 = Provision.objects.create(law="《测试法B》", article="第二条", text="乙")
    p2 = Provision.objects.create(
        law="《测试法A》",
        article="第三条",
        text="甲",
        repealed_on=dt.date(2020, 1, 1),
    )
    p3 = Provision.objects.create(law="《测试法C》", article="第一条", text="丙")
    texts = {p: f'<td data-label="条文摘要">{p.text}</td>' for p in (p1, p2, p3)}
    t1, t2, t3 = texts[p1], texts[p2], texts[p3]
    client = matrix.client("editor_a")
    assert_sorts(
        client,
        f"{W}provisions/",
        [t1, t2, t3],
        {
            "law": [t2, t1, t3],
            # Code-point order of the numerals: 一 < 三 < 二.
            "article": [t3, t2, t1],
            "validity": [t1, t3, t2],
        },
    )
    page = client.get(f"{W}provisions/", {"sort": "text"}).content.decode()
    assert row_order(page, [t1, t2, t3]) == [t1, t3, t2]
    assert headers(page)["validity"]["state"] == "ascending"
