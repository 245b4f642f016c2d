"""Atom feeds of the column: whole column, per agency, per topic, saved search."""

from __future__ import annotations

import pytest

from search import sync
from tests.public_site import (
    assert_no_applicant_data,
    entry_links,
    parse_atom,
    publish_converted,
    publish_one_of_each,
)

pytestmark = pytest.mark.django_db


def test_column_feed_is_atom_with_public_items_only(matrix):
    """The column feed lists published items and nothing scheduled or withdrawn."""
    corpus = publish_one_of_each(matrix)
    response = matrix.client("anonymous").get("/feeds/disclosures/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    links = entry_links(parse_atom(response.content))
    assert any(link.endswith(corpus.public.get_absolute_url()) for link in links)
    for hidden in (corpus.withdrawn, corpus.scheduled, corpus.draft):
        assert not any(link.endswith(hidden.get_absolute_url()) for link in links)


def test_feeds_never_contain_applicant_data(matrix):
    """Name, ID number and phone of the applicant appear in no feed."""
    item = publish_converted(matrix)
    client = matrix.client("anonymous")
    for url in (
        "/feeds/disclosures/",
        f"/feeds/agencies/{matrix.agency_a.code}/",
        f"/feeds/topics/{item.topic.code}/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert item.title in text
        assert_no_applicant_data(text)


def test_agency_feed_includes_sub_units_but_not_other_agencies(matrix):
    """An agency's feed holds its own and its sub-units' items only."""
    own = publish_converted(matrix)
    sub = publish_converted(matrix, agency=matrix.subunit_a)
    response = matrix.client("anonymous").get(
        f"/feeds/agencies/{matrix.agency_a.code}/"
    )
    links = entry_links(parse_atom(response.content))
    assert len(links) == 2
    assert {own.get_absolute_url(), sub.get_absolute_url()} == {
        "/" + link.split("/", 3)[3] for link in links
    }
    other = matrix.client("anonymous").get(f"/feeds/agencies/{matrix.agency_b.code}/")
    assert entry_links(parse_atom(other.content)) == []


def test_topic_feed_and_unknown_codes(matrix):
    """A topic feed lists items of the topic; unknown agencies or topics are 404."""
    item = publish_converted(matrix)
    client = matrix.client("anonymous")
    root = parse_atom(client.get(f"/feeds/topics/{item.topic.code}/").content)
    assert len(entry_links(root)) == 1
    assert client.get("/feeds/topics/nope/").status_code == 404
    assert client.get("/feeds/agencies/nope/").status_code == 404


def test_saved_search_feed_lists_matches_newest_first(matrix, embedded_index):
    """/feeds/search/ takes the column's parameters and lists what matches."""
    item = publish_converted(matrix)
    publish_converted(matrix, agency=matrix.agency_b)
    sync.drain_all(embedded_index)
    client = matrix.client("anonymous")
    response = client.get(
        "/feeds/search/", {"q": "老旧小区", "agency": matrix.agency_a.code, "page": "3"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    root = parse_atom(response.content)
    links = entry_links(root)
    assert len(links) == 1
    assert links[0].endswith(item.get_absolute_url())
    assert_no_applicant_data(text)
    assert client.get("/feeds/search/", {"agency": "nope"}).status_code == 400
