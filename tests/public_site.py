"""Helpers for tests of the public site: Atom parsing and a published corpus.

``publish_converted`` goes the whole way a real item goes: a request with an
applicant's name and ID number is registered, replied 予以公开, converted,
submitted and approved, so a test can search any output for the applicant.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from requests_ import services
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


@dataclass(frozen=True)
class Corpus:
    """One disclosure of agency A in each state only ``public`` leaves the house in."""

    public: Any
    withdrawn: Any
    scheduled: Any
    draft: Any


def publish_one_of_each(matrix: Any) -> Corpus:
    """Return a public disclosure of agency A beside a withdrawn one, one approved
    for the day after tomorrow and a draft."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    public = publish_converted(matrix)
    withdrawn = publish_converted(matrix)
    services.disclosure_withdraw(actor=reviewer, disclosure=withdrawn, reason="失效")
    scheduled = services.disclosure_approve(
        actor=reviewer,
        disclosure=fx.submitted(editor, matrix.agency_a),
        publish_at=timezone.now() + dt.timedelta(days=2),
    )
    draft = fx.converted_draft(editor, matrix.agency_a)
    return Corpus(public, withdrawn, scheduled, draft)


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
