"""Helpers for tests of the public site: Atom parsing and a published corpus.

``publish_converted`` goes the whole way a real item goes: a request with an
applicant's name and ID number is registered, replied 予以公开, converted,
submitted and approved, so a test can search any output for the applicant.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from tests.requests_ import factories as fx

ATOM = "{http://www.w3.org/2005/Atom}"
APPLICANT_MARKERS = (fx.APPLICANT_NAME, fx.APPLICANT_ID, fx.APPLICANT_PHONE)


def publish_converted(matrix: Any, agency: Any = None, **kwargs: Any):
    """Return a published disclosure converted from a request with an applicant.

    Agency B's items are drafted by its editor and approved by the superuser.
    """
    agency = agency or matrix.agency_a
    if agency == matrix.agency_b:
        editor, reviewer = matrix.user("editor_b"), matrix.user("superuser")
    else:
        editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    return fx.published(editor, reviewer, agency, **kwargs)


def parse_atom(content: bytes) -> ET.Element:
    """Parse an Atom feed and check what RFC 4287 requires of it and its entries."""
    root = ET.fromstring(content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.find(f"{ATOM}{name}").text or "").strip(), name
    links = root.findall(f"{ATOM}link")
    assert any(link.get("rel") == "self" for link in links)
    assert any(link.get("rel") == "alternate" for link in links)
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{name}").text or "").strip(), name
        link = entry.find(f"{ATOM}link")
        assert link is not None
        assert link.get("href", "").startswith("http")
    return root


def entry_links(root: ET.Element) -> list[str]:
    return [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]


def assert_no_applicant_data(text: str) -> None:
    for marker in APPLICANT_MARKERS:
        assert marker not in text
