"""Starting data of the browser tests, built through the apps' services."""

from __future__ import annotations

from negative_list.models import ListVersion
from requests_ import services
from requests_.models import Disclosure, DisclosureRequest
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

ATTACHMENT_NAME = "资金安排表.pdf"


def published_list(matrix, agency=None) -> ListVersion:
    """Publish one process-information entry as the first version of A's list."""
    return nl.published_list(
        matrix.user("editor_a"),
        matrix.user("reviewer_a"),
        agency or matrix.agency_a,
        [{}],
    )


def published_disclosure(
    matrix,
    *,
    title: str = "2024年度老旧小区综合改造项目资金安排",
    body: str = "项目资金共计3200万元，涉及12个小区。",
    agency=None,
    attachment: bool = True,
) -> Disclosure:
    """Convert a disclosed request of ``agency`` and publish it (with a PDF)."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    agency = agency or matrix.agency_a
    editor = editor if agency == matrix.agency_a else matrix.user("editor_b")
    disclosure = rq.converted_draft(editor, agency, body=body)
    disclosure = services.disclosure_update(
        actor=editor, disclosure=disclosure, title=title
    )
    if attachment:
        services.disclosure_attachment_add(
            actor=editor,
            disclosure=disclosure,
            upload=rq.pdf_upload("Funding table 2024", name=ATTACHMENT_NAME),
        )
    services.disclosure_submit(actor=editor, disclosure=disclosure)
    if agency != matrix.agency_a:
        reviewer = matrix.user("superuser")
    return services.disclosure_approve(actor=reviewer, disclosure=disclosure)


def registered_request(matrix, **overrides) -> DisclosureRequest:
    request, _secret = rq.register(
        matrix.user("editor_a"), matrix.agency_a, **overrides
    )
    return request
