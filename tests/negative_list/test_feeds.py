"""Atom feed of newly published negative-list versions."""

from __future__ import annotations

import pytest

from tests.negative_list import factories as nl
from tests.public_site import ATOM, entry_links, parse_atom

pytestmark = pytest.mark.django_db


def _publish(matrix, wordings):
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    return nl.published_list(editor, reviewer, matrix.agency_a, wordings)


def test_feed_lists_every_published_version_newest_first(matrix):
    """Each published version is an entry linking to its version page."""
    first = _publish(matrix, [{}])
    second = _publish(matrix, [nl.second_wording()])
    response = matrix.client("anonymous").get("/feeds/negative-lists/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_atom(response.content)
    links = entry_links(root)
    code = matrix.agency_a.code
    assert links[0].endswith(f"/negative-lists/{code}/versions/{second.number}/")
    assert links[1].endswith(f"/negative-lists/{code}/versions/{first.number}/")
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert "第2版" in titles[0]


def test_agency_feed_holds_only_that_agency(matrix):
    """The per-agency feed lists that agency's versions; unknown codes are 404."""
    _publish(matrix, [{}])
    client = matrix.client("anonymous")
    own = parse_atom(
        client.get(f"/feeds/negative-lists/{matrix.agency_a.code}/").content
    )
    other = parse_atom(
        client.get(f"/feeds/negative-lists/{matrix.agency_b.code}/").content
    )
    assert len(entry_links(own)) == 1
    assert entry_links(other) == []
    assert client.get("/feeds/negative-lists/nope/").status_code == 404
