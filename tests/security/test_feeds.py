"""Every Atom feed carries text only (issue 13, item 6).

Markup typed into a disclosure's title and summary, an entry's title and a list
version's note is published through the services; each feed (column, per agency,
per topic, saved search, negative-list versions, per agency) is fetched through the
real client and parsed with ``xml.etree``: no element is in the XHTML namespace, no
title, subtitle, summary or content is ``type="html"`` or ``"xhtml"``, and the
planted markup comes out as inert text with its tags gone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from negative_list import services as nl_services
from requests_ import services as rq_services
from search import sync
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq
from tests.search.conftest import embedded_engine  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
MARKUP = "<script>alert(1)</script><b>x</b>"
INERT = "alert(1)x"
TEXT_ELEMENTS = ("title", "subtitle", "summary", "content", "rights")


@pytest.fixture
def planted(matrix, embedded_engine):  # noqa: F811
    """A published disclosure and a published list version carrying markup."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="老旧小区资金安排。")
    draft = rq_services.disclosure_update(
        actor=editor,
        disclosure=draft,
        title=f"公开标题{MARKUP}",
        summary=MARKUP,
        keywords="资金",
    )
    draft = rq_services.disclosure_submit(actor=editor, disclosure=draft)
    disclosure = rq_services.disclosure_approve(actor=reviewer, disclosure=draft)
    nl.approved(editor, reviewer, matrix.agency_a, title=f"会议记录{MARKUP}")
    nl_services.list_version_publish(
        actor=reviewer, agency=matrix.agency_a, note=f"说明{MARKUP}"
    )
    sync.drain_all()
    return disclosure


def parse(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output


def assert_text_only(root: ET.Element) -> None:
    """No XHTML element; every text construct is plain text without a tag."""
    assert [e.tag for e in root.iter() if e.tag.startswith(XHTML)] == []
    for name in TEXT_ELEMENTS:
        for element in root.iter(ATOM + name):
            assert element.get("type", "text") == "text", (name, element.attrib)
            assert "<" not in (element.text or ""), (name, element.text)
            assert len(element) == 0  # no child elements (markup) inside


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def disclosure_feeds(matrix, disclosure) -> list[str]:
    topic = disclosure.topic
    return [
        "/feeds/disclosures/",
        f"/feeds/agencies/{matrix.agency_a.code}/",
        f"/feeds/topics/{topic.code}/",
        f"/feeds/topics/{topic.parent.code}/",
        "/feeds/search/?" + urlencode({"q": "老旧小区"}),
        "/feeds/search/",
    ]


def test_disclosure_feeds_carry_the_title_and_summary_as_text(client, matrix, planted):
    """Every feed listing the disclosure shows its title and summary as text."""
    for url in disclosure_feeds(matrix, planted):
        root = parse(client, url)
        assert_text_only(root)
        found = [
            e
            for e in entries(root)
            if f"urn:gongkai:disclosure:{planted.index_no}" == e.findtext(f"{ATOM}id")
        ]
        assert len(found) == 1, url
        entry = found[0]
        assert entry.findtext(f"{ATOM}title") == f"公开标题{INERT}", url
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "text"
        assert summary.text == INERT, url


def test_negative_list_feeds_carry_the_note_as_text(client, matrix, planted):
    """The list-version feeds (all and per agency) carry the note as text."""
    for url in (
        "/feeds/negative-lists/",
        f"/feeds/negative-lists/{matrix.agency_a.code}/",
    ):
        root = parse(client, url)
        assert_text_only(root)
        (entry,) = entries(root)
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "text"
        assert f"说明{INERT}" in summary.text


def test_saved_search_feed_title_is_text(client, planted):
    """The visitor's own query in the feed's title is text, its tags dropped."""
    root = parse(client, "/feeds/search/?" + urlencode({"q": f"资金{MARKUP}"}))
    assert_text_only(root)
    assert "<" not in root.findtext(f"{ATOM}title")


def test_control_characters_do_not_break_a_feed(client, matrix):
    """A summary with a character XML 1.0 cannot carry still gives a feed."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="正文。")
    draft = rq_services.disclosure_update(
        actor=editor, disclosure=draft, summary="概述\x0b第二行"
    )
    draft = rq_services.disclosure_submit(actor=editor, disclosure=draft)
    rq_services.disclosure_approve(actor=reviewer, disclosure=draft)
    root = parse(client, "/feeds/disclosures/")
    assert entries(root)[0].findtext(f"{ATOM}summary") == "概述第二行"
