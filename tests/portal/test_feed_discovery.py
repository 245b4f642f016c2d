"""Feed autodiscovery: pages advertise their Atom feeds in <head>, and each works.

Browsers and feed readers find a feed through ``<link rel="alternate"
type="application/atom+xml">`` in the page's head. Each advertised feed is
fetched through the real client and parsed as Atom.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.negative_list import factories as nl
from tests.public_site import parse_atom, publish_converted

pytestmark = pytest.mark.django_db

ATOM_TYPE = "application/atom+xml"


class HeadFeeds(HTMLParser):
    """Collect the Atom alternates of a page's <head> (and nothing in <body>)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.feeds: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif (
            self.in_head
            and tag == "link"
            and values.get("rel") == "alternate"
            and values.get("type") == ATOM_TYPE
        ):
            self.feeds.append(values)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def head_feeds(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadFeeds()
    parser.feed(response.content.decode())
    return parser.feeds


def assert_feeds_work(client, feeds: list[dict[str, str]]) -> None:
    for feed in feeds:
        assert feed["title"].strip(), feed
        response = client.get(feed["href"])
        assert response.status_code == 200, feed["href"]
        assert response["Content-Type"].startswith(ATOM_TYPE), feed["href"]
        parse_atom(response.content)


@pytest.fixture
def site(matrix, embedded_index):
    publish_converted(matrix)
    nl.published_list(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a, [{}]
    )
    return matrix


def test_home_page_advertises_the_column_and_list_feeds(site, client):
    feeds = head_feeds(client, "/")
    assert [f["href"] for f in feeds] == [
        "/feeds/disclosures/",
        "/feeds/negative-lists/",
    ]
    assert_feeds_work(client, feeds)


def test_column_advertises_its_feed(site, client):
    feeds = head_feeds(client, "/disclosures/")
    assert [f["href"] for f in feeds] == ["/feeds/disclosures/"]
    assert_feeds_work(client, feeds)


def test_a_saved_search_advertises_its_own_feed(site, client):
    """The column with a query advertises the saved-search feed of that query."""
    feeds = head_feeds(client, "/disclosures/?q=老旧小区&sort=newest")
    hrefs = [f["href"] for f in feeds]
    assert hrefs[0] == "/feeds/disclosures/"
    saved = urlsplit(hrefs[1])
    assert saved.path == "/feeds/search/"
    assert parse_qs(saved.query) == {"q": ["老旧小区"], "sort": ["newest"]}
    assert "老旧小区" in feeds[1]["title"]
    assert_feeds_work(client, feeds)


def test_agency_page_advertises_its_disclosure_and_list_feeds(site, client):
    code = site.agency_a.code
    feeds = head_feeds(client, f"/agencies/{code}/")
    assert [f["href"] for f in feeds] == [
        f"/feeds/agencies/{code}/",
        f"/feeds/negative-lists/{code}/",
    ]
    assert_feeds_work(client, feeds)
