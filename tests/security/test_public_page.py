"""The public disclosure page reads the public projection, like every other output.

Its catalogue panel lists exactly the projection's fields (those the page does
not show as its heading and sections); what the projection leaves out (who wrote
it, the reviewer's return reason, accepted screening reasons, internal notes)
never reaches the page.
"""

from __future__ import annotations

import lxml.html
import pytest

from requests_ import projection
from requests_ import services as rq_services
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db

RETURN_REASON = "内部意见：请核对资金数额QX7"
ACCEPT_REASON = "单位办公电话按规定公开QX8"


@pytest.fixture
def published(matrix):
    """A disclosure that was returned once, screened, and then published."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="联系电话021-63281234。")
    rq_services.disclosure_update(
        actor=editor,
        disclosure=draft,
        doc_no="黄府发〔2025〕3号",
        keywords="老旧小区，资金",
        summary="资金安排概述",
    )
    rq_services.disclosure_submit(actor=editor, disclosure=draft)
    rq_services.disclosure_return(
        actor=reviewer, disclosure=draft, reason=RETURN_REASON
    )
    rq_services.disclosure_submit(actor=editor, disclosure=draft)
    for hit in draft.screening_hits.all():
        rq_services.screen_hit_accept(actor=reviewer, hit=hit, reason=ACCEPT_REASON)
    return rq_services.disclosure_approve(actor=reviewer, disclosure=draft)


def _panel(html: str) -> list[tuple[str, str]]:
    tree = lxml.html.fromstring(html)
    (panel,) = tree.xpath("//dl[contains(@class, 'disclosure-meta')]")
    labels = [dt.text_content().strip() for dt in panel.xpath("./dt")]
    values = [dd.text_content().strip() for dd in panel.xpath("./dd")]
    return list(zip(labels, values, strict=True))


def test_catalogue_panel_shows_exactly_the_projection_fields(client, published):
    page = client.get(f"/disclosures/{published.index_no}/").content.decode()
    assert _panel(page) == [
        ("索引号", published.index_no),
        ("发布机构", published.agency.name),
        ("主题分类", published.topic.full_name),
        ("文号", "黄府发〔2025〕3号"),
        ("成文日期", "—"),
        ("发布日期", _date(published.publish_at)),
        ("关键词", "老旧小区、资金"),
        ("是否有效", "有效"),
    ]
    # Every projection field is on the page: in the panel, or as a section.
    shown = {label for label, _value in _panel(page)}
    for field in projection.DISCLOSURE_FIELDS:
        if field.name in projection.PAGE_SECTIONS:
            assert getattr(published, field.name) in page
        else:
            assert str(projection.PAGE_LABELS.get(field.name, field.label)) in shown


def _date(moment) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def test_nothing_outside_the_projection_reaches_the_page(matrix, client, published):
    """The author, the return reason and the accepted screening reason are staff
    data: none is on the public page."""
    page = client.get(f"/disclosures/{published.index_no}/").content.decode()
    assert RETURN_REASON not in page
    assert ACCEPT_REASON not in page
    assert published.created_by.username not in page
    assert matrix.user("reviewer_a").username not in page
    assert "021-63281234" in page  # the accepted hit stays, as the reviewer chose


def test_attachments_listed_are_the_projection_attachments(matrix, client):
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="正文")
    rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("附件正文", "资金表.pdf")
    )
    rq_services.disclosure_submit(actor=editor, disclosure=draft)
    disclosure = rq_services.disclosure_approve(actor=reviewer, disclosure=draft)
    page = client.get(f"/disclosures/{disclosure.index_no}/").content.decode()
    expected = projection.project(disclosure)["attachments"]
    assert len(expected) == 1
    tree = lxml.html.fromstring(page)
    links = tree.xpath("//article//a[contains(@href, '/attachments/')]")
    assert [a.text_content() for a in links] == ["资金表.pdf"]
    assert links[0].get("href") == (
        f"/disclosures/{disclosure.index_no}/attachments/{expected[0].pk}/"
    )
