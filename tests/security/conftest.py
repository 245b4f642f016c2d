"""A small world of agency A's content, built through the services.

Every free-text field an editor or applicant can fill carries ``PAYLOAD`` (unless a
test asks for harmless text), so the stored-XSS tests can look for it on every page;
the other attack tests use the same objects as targets belonging to agency A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from negative_list import services as nl_services
from negative_list.models import Entry, ListVersion
from requests_ import services as rq_services
from requests_.models import Disclosure, DisclosureAttachment, DisclosureRequest
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
# What must never appear in a page: the payload's markup, live.
LIVE_MARKUP = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>")


@dataclass
class World:
    """Agency A's entry, published list, request, disclosures and attachment."""

    entry: Entry
    draft_entry: Entry
    version: ListVersion
    request: DisclosureRequest
    secret: str
    published: Disclosure
    draft: Disclosure
    attachment: DisclosureAttachment


def build_world(matrix: Any, text: str) -> World:
    """Build agency A's objects with ``text`` in every free-text field."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    agency = matrix.agency_a
    nl_services.interpretation_update(
        actor=editor,
        agency=agency,
        review_basis=f"<p>审核依据{text}</p>",
        adjustment_standards=f"<p>调整标准{text}</p>",
        operating_procedure=f"操作办法{text}",
    )
    version = nl.published_list(
        editor,
        reviewer,
        agency,
        [{"title": f"会议记录{text}", "scope": f"讨论记录{text}", "notes": text}],
    )
    entry = Entry.objects.get(agency=agency, published_version__isnull=False)
    draft_entry = nl.draft(
        editor, agency, title=f"草稿条目{text}", scope=f"草稿范围{text}"
    )
    request, secret = rq.register(
        editor, agency, title=f"申请{text}", description=f"描述{text}"
    )
    published = rq.converted_draft(editor, agency, body=f"正文{text}")
    published = rq_services.disclosure_update(
        actor=editor, disclosure=published, title=f"公开标题{text}", summary=text
    )
    published = rq_services.disclosure_submit(actor=editor, disclosure=published)
    published = rq_services.disclosure_approve(actor=reviewer, disclosure=published)
    draft = rq.converted_draft(editor, agency, body=f"草稿正文{text}")
    draft = rq_services.disclosure_update(
        actor=editor, disclosure=draft, title=f"草稿标题{text}", summary=text
    )
    attachment = rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("hello", "附件.pdf")
    )
    return World(
        entry, draft_entry, version, request, secret, published, draft, attachment
    )


@pytest.fixture
def world(matrix) -> World:
    return build_world(matrix, PAYLOAD)
