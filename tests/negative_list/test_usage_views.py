"""The evidence on the pages: the review task, the review cycle, the coordinator's
overview and its drill-downs, the staff API, the public list page and the open
data; who may read which; and that nothing about a request leaves the house.

Figures are those of ``usage_data``, written out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest

from django.urls import reverse
from django.utils import timezone

from negative_list import services
from negative_list.models import ReviewTask
from tests.conftest import ACTORS
from tests.negative_list.usage_data import Y, build
from tests.requests_.annual_report_builders import report_statuses

pytestmark = pytest.mark.django_db

OVERVIEW = "/workspace/negative-list/usage/"
CELL = "/workspace/negative-list/usage/cell/"
API = "/api/v1/negative-list-usage/"
A1_ROW = ["1", "0", "2", "0", "1", "0", "4", "1", "1", "0", "1", "3"]
A2_ROW = ["0", "0", "0", "1", "1", "0", "2", "0", "0", "1", "0", "1"]
A1_REASON = "建议修订或取消：引用该事项的答复被复议或诉讼纠正 1 件"


@pytest.fixture
def history(matrix):
    return build(matrix)


def _url(base: str, **params) -> str:
    return f"{base}?{urlencode(params)}"


def usage_row(html: str, entry) -> tuple[list[str], str, str]:
    """Return the counts, the last citation and the hint of one entry's row."""
    row = re.search(rf'<tr id="usage-{entry.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no usage row for {entry.code}"
    cells = dict(re.findall(r'data-key="([^"]+)">(.*?)</td>', row.group(1), re.S))
    counts = [
        re.sub(r"<[^>]+>", "", value)
        for key, value in cells.items()
        if key not in ("last_cited", "reasons")
    ]
    hint = re.sub(r"<[^>]+>", "", cells["reasons"])
    return counts, cells["last_cited"], hint


# --- The reviewer's page and the cycle ------------------------------------------------


@pytest.fixture
def cycle(matrix, history):
    return services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="年度定期评审",
        agency=matrix.agency_a,
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )


def test_review_task_shows_the_entrys_use_before_the_decision(matrix, cycle, history):
    """The reviewer of A1 reads its refusals per year, the appeals' results, the
    last citation and why it is a candidate, above the form."""
    task = ReviewTask.objects.get(cycle=cycle, entry=history.entries["A1"])
    html = matrix.client("reviewer_a").get(
        reverse("negative_list:task_detail", args=[task.pk])
    )
    html = unescape(html.content.decode())
    assert html.index('id="usage-title"') < html.index("记录评审结论")
    counts, last, hint = usage_row(html, history.entries["A1"])
    assert counts == A1_ROW
    assert last == f"{Y}-02-01"
    assert hint == A1_REASON
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers[1:8] == [
        f"{Y - 2}年不予公开",
        f"{Y - 2}年部分公开",
        f"{Y - 1}年不予公开",
        f"{Y - 1}年部分公开",
        f"{Y}年不予公开",
        f"{Y}年部分公开",
        "合计",
    ]


def test_review_task_cells_link_to_the_requests_they_count(matrix, cycle, history):
    task = ReviewTask.objects.get(cycle=cycle, entry=history.entries["A1"])
    client = matrix.client("reviewer_a")
    html = client.get(reverse("negative_list:task_detail", args=[task.pk]))
    html = unescape(html.content.decode())
    link = re.search(
        rf'data-key="withheld.{Y - 1}"><a href="([^"]+)">2</a>', html
    ).group(1)
    listing = client.get(link).content.decode()
    codes = re.findall(r">(AR\d{8})</a>", listing)
    r = history.requests
    assert sorted(codes) == sorted([r["r2"].tracking_code, r["r10"].tracking_code])


def test_review_cycle_summary_counts_the_candidates(matrix, cycle, history):
    """A's cycle reviews A1 and A2; only A1 (corrected on review) is flagged."""
    html = matrix.client("reviewer_a").get(
        reverse("negative_list:cycle_detail", args=[cycle.pk])
    )
    html = unescape(html.content.decode())
    assert re.findall(r"建议修订或取消的事项：(\d+) 项。", html) == ["1"]
    assert usage_row(html, history.entries["A1"])[0] == A1_ROW
    assert usage_row(html, history.entries["A2"]) == (A2_ROW, f"{Y}-02-02", "—")


# --- The coordinator's overview -------------------------------------------------------


def test_overview_shows_use_outside_categories_and_duplicates(matrix, history):
    html = matrix.client("coordinator").get(_url(OVERVIEW, agency="all", year=Y))
    html = unescape(html.content.decode())
    assert usage_row(html, history.entries["A1"])[0] == A1_ROW
    assert usage_row(html, history.entries["B2"]) == (["0"] * 12, "从未引用", "—")
    outside = html[html.index('id="outside"') : html.index('id="categories-title"')]
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>(.*?)</tr>', outside, re.S)
    assert [(name, re.findall(r">(\d+)<", cells)) for name, cells in rows] == [
        ("上海市黄浦区人民政府", ["0", "1", "1", "2"]),
        ("上海市徐汇区人民政府", ["0", "0", "2", "2"]),
    ]
    categories = html[html.index('id="categories"') : html.index("duplicates-title")]
    process = re.search(r"过程性信息</th>(.*?)</tr>", categories, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", process)
    ]
    assert cells == ["1 / 1", "0 / 0", "1 / 3", "1.0 / 1.0"]
    assert '<strong class="outlier">3</strong>' in process
    duplicates = re.findall(r"<li>([^<]+)</li>", html[html.index("duplicates-title") :])
    assert duplicates == [
        "黄浦区 · 310101000-001 区政府常务会议讨论记录",
        "徐汇区 · 310104000-001 区政府常务会议讨论记录",
    ]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("which", ["a", "b", "all"])
def test_overview_and_drill_down_permission_matrix(matrix, history, actor, which):
    """As the annual report: own agencies, the city for the coordinator; another
    agency's staff get 404, a visitor the login page."""
    code = {"a": "310101000", "b": "310104000", "all": "all"}[which]
    expected = report_statuses(ok=200, anonymous=302)[actor][which]
    client = matrix.client(actor)
    page = client.get(_url(OVERVIEW, agency=code, year=Y))
    cell = client.get(
        _url(CELL, agency=code, year=Y, table="outside", row=code, col="total")
    )
    assert (page.status_code, cell.status_code) == (expected, expected)
    if expected == 302:
        assert cell["Location"].startswith(reverse("login"))


def test_drill_down_of_another_agency_never_lists_its_requests(matrix, history):
    """editor_b asking for A1's cell gets a 404, not B's or A's requests."""
    a1 = history.entries["A1"].pk
    response = matrix.client("editor_b").get(
        _url(CELL, agency="310101000", year=Y, table="entry", row=a1, col="total")
    )
    assert response.status_code == 404
    assert history.requests["r1"].tracking_code not in response.content.decode()


def test_drill_down_of_appeals_lists_them(matrix, history):
    a1 = history.entries["A1"].pk
    html = matrix.client("editor_a").get(
        _url(
            CELL,
            agency="310101000",
            scope="agency",
            year=Y,
            table="entry",
            row=a1,
            col="appeal.pending",
        )
    )
    html = html.content.decode()
    assert re.findall(r"共 (\d+) 条", html) == ["1"]
    assert history.requests["r2"].tracking_code in html
    assert "清单事项使用情况明细" in html


# --- The staff API --------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_api_permission_matrix(matrix, history, actor):
    expected = report_statuses(ok=200, anonymous=403)[actor]["a"]
    response = matrix.client(actor).get(_url(API, agency="310101000", year=Y))
    assert response.status_code == expected


def test_api_gives_the_same_figures_with_links(matrix, history):
    body = (
        matrix.client("reviewer_a")
        .get(_url(API, agency="310101000", scope="agency", year=Y))
        .json()
    )
    assert body["years"] == [Y - 2, Y - 1, Y]
    a1 = body["entries"][0]
    assert (a1["code"], a1["candidate"], a1["last_cited"]) == (
        "310101000-001",
        True,
        f"{Y}-02-01",
    )
    assert [c["count"] for c in a1["cells"]] == [int(n) for n in A1_ROW]
    assert a1["reasons"] == ["引用该事项的答复被复议或诉讼纠正 1 件"]
    zero = next(c for c in a1["cells"] if c["key"] == "appeal.other")
    assert zero["records"] == ""
    assert body["outside"] == [
        {
            "agency": "310101000",
            "cells": [
                {
                    "key": k,
                    "label": label,
                    "count": n,
                    "records": body["outside"][0]["cells"][i]["records"],
                }
                for i, (k, label, n) in enumerate(
                    [
                        (str(Y - 2), f"{Y - 2}年", 0),
                        (str(Y - 1), f"{Y - 1}年", 1),
                        (str(Y), f"{Y}年", 1),
                        ("total", "合计", 2),
                    ]
                )
            ],
        }
    ]
    schema = matrix.client("reviewer_a").get("/api/schema/").content.decode()
    assert "/api/v1/negative-list-usage/" in schema


# --- Public: aggregate only -----------------------------------------------------------


def _request_detail(history) -> list[str]:
    """Everything about a request that must never reach a public output."""
    values = ["测试申请人", "/workspace/", "usage/cell"]
    for item in history.requests.values():
        values += [item.tracking_code, item.title]
    return values


def test_public_list_shows_last_years_citations_and_no_request(matrix, history):
    html = unescape(
        matrix.client("anonymous")
        .get(reverse("negative_list:agency", args=["310101000"]))
        .content.decode()
    )
    assert f"{Y - 1}年引用次数" in html
    cited = re.findall(r'<tr id="entry-(\d+)">.*?class="cited">(\d+)</td>', html, re.S)
    entries = history.entries
    assert cited == [(str(entries["A1"].pk), "2"), (str(entries["A2"].pk), "1")]
    leaked = [value for value in _request_detail(history) if value in html]
    assert leaked == []


def test_open_data_counts_per_entry_and_year_and_nothing_else(matrix, history):
    client = matrix.client("anonymous")
    raw = client.get("/open-data/negative-list-usage.csv")
    text = b"".join(raw.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5 * 3
    a1 = [r for r in rows if r["事项编号"] == "310101000-001"]
    assert [
        (
            r["年度"],
            r["不予公开"],
            r["部分公开"],
            r["复议诉讼"],
            r["维持"],
            r["纠正"],
            r["其他"],
            r["尚未审结"],
        )
        for r in a1
    ] == [
        (str(Y - 3), "1", "0", "1", "0", "1", "0", "0"),
        (str(Y - 2), "1", "0", "1", "0", "1", "0", "0"),
        (str(Y - 1), "2", "0", "2", "1", "0", "0", "1"),
    ]
    document = json.loads(client.get("/open-data/negative-list-usage.json").content)
    a2 = [r for r in document["rows"] if r["事项编号"] == "310101000-002"]
    assert [(r["年度"], r["部分公开"], r["其他"]) for r in a2] == [
        (Y - 3, 0, 0),
        (Y - 2, 0, 0),
        (Y - 1, 1, 1),
    ]
    for body in (text, json.dumps(document, ensure_ascii=False)):
        assert [v for v in _request_detail(history) if v in body] == []


def test_open_data_index_lists_the_dataset(matrix):
    html = matrix.client("anonymous").get(reverse("open_data")).content.decode()
    assert "负面清单事项引用情况" in html
    assert "/open-data/negative-list-usage.csv" in html
