"""The public column search page, on both engines, through the real client."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from django.urls import resolve, reverse
from django.utils import timezone

from requests_ import services
from requests_.models import Disclosure
from requests_.search_source import DisclosureDocumentSource
from search import selectors, sync
from search.engines.base import SearchQuery
from search.models import OutboxEntry
from tests.requests_ import factories as fx
from tests.search.conftest import get_with_fresh_engine, use_dead_elasticsearch
from tests.search.corpus import EXPO_DOC_NO

pytestmark = pytest.mark.django_db

URL = "/disclosures/"


def titles(response) -> list[str]:
    """Return the result titles of a page, marks removed, in order."""
    found = re.findall(
        r'<h3 class="result-title"><a href="[^"]*">(.*?)</a>', response.text
    )
    return [re.sub(r"</?mark>", "", title) for title in found]


def count(response) -> int:
    match = re.search(r"共 (\d+) 条结果", response.text)
    assert match, response.text
    return int(match.group(1))


def test_route_names_and_nav_link(client):
    """The column is ``search:column`` at /disclosures/ and linked from the nav."""
    assert reverse("search:column") == URL
    assert resolve(URL).url_name == "column"
    response = client.get("/")
    assert 'href="/disclosures/"' in response.text
    assert "依申请转主动公开专栏" in response.text


def test_detail_routes_of_the_requests_app_are_not_shadowed(client, column):
    """/disclosures/<index no>/ and its API stay the requests app's detail views."""
    index_no = column.index_no("budget")
    assert "/" in index_no
    page = client.get(f"/disclosures/{index_no}/")
    api = client.get(f"/api/v1/disclosures/{index_no}/")
    assert resolve(f"/disclosures/{index_no}/").url_name == "disclosure_public"
    assert page.status_code == 200
    assert "黄浦区2024年度部门预算" in page.text
    assert api.status_code == 200
    assert api.json()["index_no"] == index_no


def test_without_query_lists_every_disclosure_newest_first(client, column):
    """The bare column lists the seven public disclosures, newest first."""
    response = client.get(URL)
    assert response.status_code == 200
    assert count(response) == 7
    assert titles(response)[0] == "2024年度老旧小区综合改造项目资金安排"
    assert titles(response)[-1].endswith("道路改建工程招标公告")
    assert 'aria-live="polite"' in response.text


def test_query_matches_synonyms_and_highlights(client, column):
    """社保 finds 社会保险 and marks it in the title."""
    response = client.get(URL, {"q": "社保"})
    assert count(response) == 1
    assert "<mark>社会保险</mark>" in response.text
    assert titles(response) == ["关于调整2023年度社会保险缴费基数的通知"]


def test_document_number_is_findable(client, column):
    """A document number typed as in the text finds its disclosure."""
    response = client.get(URL, {"q": EXPO_DOC_NO})
    assert titles(response) == ["关于做好第六届中国国际进口博览会服务保障工作的通知"]


def test_district_filter_covers_its_sub_units(client, column, matrix):
    """Choosing agency A also finds its sub-unit's items; facets keep B's count."""
    response = client.get(URL, {"agency": matrix.agency_a.code})
    assert count(response) == 4
    assert "黄浦区教育局2022年度部门决算" in titles(response)
    facets = response.context["page"].facets
    agency = {b.value: (b.count, b.selected) for b in facets["agency"]}
    assert agency[matrix.agency_a.code] == (4, True)
    assert agency[matrix.agency_b.code] == (2, False)
    assert agency[matrix.city.code] == (7, False)
    assert f'value="{matrix.agency_a.code}" checked' in response.text


def test_multi_select_agencies_topic_year_and_dates(client, column, matrix):
    """Values of one filter are alternatives; different filters all apply."""
    both = client.get(URL, {"agency": [matrix.subunit_a.code, matrix.agency_b.code]})
    assert count(both) == 3
    topic = column.topics[1].code
    assert count(client.get(URL, {"topic": topic})) == 2
    assert titles(
        client.get(URL, {"year": ["2023", "2021"], "ordering": "oldest"})
    ) == [
        "<script>alert(1)</script>道路改建工程招标公告".replace("<", "&lt;").replace(
            ">", "&gt;"
        ),
        "关于调整2023年度社会保险缴费基数的通知",
        "关于做好第六届中国国际进口博览会服务保障工作的通知",
    ]
    dated = client.get(URL, {"date_from": "2023-01-01", "date_to": "2023-12-31"})
    assert count(dated) == 2
    year_facet = {b.value: b.count for b in dated.context["page"].facets["year"]}
    assert year_facet[2023] == 2


def test_sort_orders(client, column):
    """Newest and oldest order by publication date; relevance by score."""
    newest = titles(client.get(URL, {"q": "通知", "ordering": "newest"}))
    oldest = titles(client.get(URL, {"q": "通知", "ordering": "oldest"}))
    assert newest == list(reversed(oldest))
    assert newest[0].startswith("关于做好第六届")
    relevance = client.get(URL, {"q": "通知"})
    assert relevance.context["sort"] == "relevance"


def test_pagination_to_the_last_page(client, column):
    """Pages of two walk the seven disclosures; links keep the whole query."""
    seen: list[str] = []
    for number in (1, 2, 3, 4):
        response = client.get(URL, {"page_size": 2, "page": number, "year": []})
        seen += titles(response)
    assert len(seen) == 7
    assert len(set(seen)) == 7
    last = client.get(URL, {"page_size": 2, "page": 4, "q": ""})
    assert 'rel="next"' not in last.text
    assert 'rel="prev"' in last.text
    first = client.get(URL, {"page_size": 2, "q": "通知"})
    assert "page=2" in first.context["next_url"]
    assert "q=" in first.context["next_url"]


def test_script_in_a_title_is_escaped(client, column):
    """A title holding markup is shown as text, with only the marks as HTML."""
    response = client.get(URL, {"q": "招标"})
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<mark>招标</mark>" in response.text


def test_empty_result_has_a_clear_message(client, column):
    response = client.get(URL, {"q": "量子计算机"})
    assert response.status_code == 200
    assert count(response) == 0
    assert "没有找到符合条件的信息" in response.text


def test_bad_parameters_are_named_not_a_500(client, column):
    response = client.get(URL, {"date_from": "2024-13-45", "year": "abc"})
    assert response.status_code == 400
    assert "发布日期自" in response.text
    assert "不是有效的年份" in response.text


def test_entries_have_their_own_tab_linking_to_the_list(client, column, matrix):
    """type=entry searches published list entries; hits link to the agency list."""
    response = client.get(URL, {"type": "entry", "q": "纳税人"})
    assert titles(response) == ["纳税人涉税保密信息"]
    list_url = reverse("negative_list:agency", args=[matrix.agency_a.code])
    assert f'href="{list_url}#entry-' in response.text
    tabs = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"disclosure": 0, "entry": 1}
    assert count(client.get(URL, {"type": "entry"})) == 2


def test_not_public_documents_are_dropped_and_repaired(client, column, matrix):
    """An indexed draft never shows; the hit queues the index's repair."""
    draft = fx.converted_draft(
        matrix.user("editor_a"), matrix.agency_a, body="草稿中的秘密预算"
    )
    [document] = DisclosureDocumentSource()._documents([draft])
    column.engine.index([document])
    withdrawn = column.disclosures["budget"]
    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=withdrawn, reason="内容有误"
    )
    OutboxEntry.objects.all().delete()  # the index still holds both

    wanted = {"q": "预算", "agency": matrix.agency_a.code}
    response = client.get(URL, wanted)

    assert titles(response) == []
    assert count(response) == 0
    queued = set(OutboxEntry.objects.values_list("object_id", "action"))
    assert queued == {(str(draft.pk), "delete"), (str(withdrawn.pk), "delete")}
    client.get(URL, wanted)
    assert OutboxEntry.objects.count() == 2  # no second row per view
    sync.drain_all(column.engine)
    query = SearchQuery(text="预算", agencies=(matrix.agency_a.code,))
    assert column.engine.search(query).hits == []


def test_scheduled_publication_appears_after_its_time(client, column, matrix):
    """A future publication is absent until its time; reconcile then indexes it."""
    disclosure = services.disclosure_approve(
        actor=matrix.user("reviewer_a"),
        disclosure=fx.submitted(
            matrix.user("editor_a"), matrix.agency_a, body="垃圾分类定时发布测试"
        ),
        publish_at=timezone.now() + dt.timedelta(hours=1),
    )
    sync.drain_all(column.engine)
    assert count(client.get(URL, {"q": "垃圾分类"})) == 0
    Disclosure.objects.filter(pk=disclosure.pk).update(
        publish_at=timezone.now() - dt.timedelta(minutes=1)
    )  # its time has come
    report = sync.reconcile(column.engine, repair=True)
    assert report.missing == [f"disclosure:{disclosure.pk}"]
    assert count(client.get(URL, {"q": "垃圾分类"})) == 1


def test_applicant_identity_never_appears(client, column):
    """Searching the applicant's name, id or phone finds nothing and shows nothing."""
    found = client.get(URL, {"q": "老旧小区"})
    assert titles(found) == ["2024年度老旧小区综合改造项目资金安排"]
    for secret in (fx.APPLICANT_NAME, fx.APPLICANT_ID, fx.APPLICANT_PHONE):
        assert secret not in found.text
        assert count(client.get(URL, {"q": secret})) == 0


@pytest.mark.parametrize("broken", ["embedded", "elasticsearch"])
def test_engine_down_shows_a_message_not_a_500(
    client, matrix, settings, tmp_path: Path, broken
):
    """With the engine unreachable the page answers 503 with a clear message."""
    if broken == "embedded":
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("")
        settings.SEARCH_ENGINE = "embedded"
        settings.SEARCH_EMBEDDED_PATH = blocker / "search.sqlite3"
    else:
        use_dead_elasticsearch(settings)
    response = get_with_fresh_engine(client, URL, {"q": "通知"})
    assert response.status_code == 503
    assert str(selectors.SEARCH_UNAVAILABLE) in response.text


def test_home_page_has_a_search_box(client, db):
    response = client.get("/")
    assert 'action="/disclosures/"' in response.text


def test_only_escaped_text_and_marks_are_trusted():
    """An engine highlight with any other markup falls back to escaped text."""
    assert selectors.safe_highlight("a &lt;b&gt; <mark>c</mark>", "x") == (
        "a &lt;b&gt; <mark>c</mark>"
    )
    assert selectors.safe_highlight("<b>c</b>", "<b>c</b>") == "&lt;b&gt;c&lt;/b&gt;"
    assert selectors.safe_highlight("", "plain & text") == "plain &amp; text"
