"""One public projection, and the personal-data screen over exactly it (issue 13,
item 1).

The first tests tie the projection to the screen and to every output, so a field
added to one and not the other fails here. The rest plant the applicant's ID
number, phone, e-mail and name in a disclosure's keywords, its document number and
an attachment's file name: the screen finds each, approval is refused until they
are masked (or the file replaced), and afterwards none of them appears on the
public page, in the public API, in search (on both engines), in the feeds, in the
sitemap or in the open data as CSV, XLSX and JSON.
"""

from __future__ import annotations

import csv
import html
import io
import json
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from django.db import models

from portal.errors import DomainError
from requests_ import projection
from requests_ import services as rq_services
from requests_.api.public import disclosure_public_data
from requests_.models import Disclosure, DisclosureAttachment, HitStatus
from requests_.models.disclosure import INDEX_NO_VALIDATOR
from requests_.public_site import COLUMN_SOURCES, SITEMAP_FIELDS
from requests_.services import disclosures as disclosure_services
from requests_.services import screen
from search import sync
from tests.requests_ import factories as rq
from tests.search.conftest import embedded_engine, search_engine  # noqa: F401

pytestmark = pytest.mark.django_db

PERSONAL = {
    "name": rq.APPLICANT_NAME,
    "id": rq.APPLICANT_ID,
    "phone": rq.APPLICANT_PHONE,
    "email": rq.APPLICANT_EMAIL,
}
# How each value reads once masked (the screen's own shapes).
MASKED_ID = "310101********4816"
PLANTED = "、".join(PERSONAL.values())


# --- The projection and the screen agree -------------------------------------------


def test_screen_locations_are_exactly_the_projections_own_text_fields():
    """The screen masks in place exactly the projection's free-text fields."""
    projected = {f.name for f in projection.DISCLOSURE_FIELDS if f.screened}
    assert set(screen.TEXT_LOCATIONS) == projected
    assert projected == {"title", "summary", "body", "keywords", "doc_no"}


def test_screen_reads_every_text_of_the_projection_and_nothing_else(matrix):
    """The texts the screen reads are keyed by exactly the projection's text fields
    and, per attachment, its screened fields (name, text, metadata)."""
    editor = matrix.user("editor_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="正文。")
    attachment = rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("Annex", "附件.pdf")
    )
    expected = set(projection.TEXT_FIELDS) | {
        projection.attachment_location(attachment, field)
        for field in projection.ATTACHMENT_FIELDS
        if field.screened
    }
    assert set(screen.screen_texts(draft)) == expected
    assert {
        f"attachment:{attachment.pk}",
        f"attachment:{attachment.pk}:name",
        f"attachment:{attachment.pk}:metadata",
    } <= expected


def _model_field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Disclosure, projection.DISCLOSURE_FIELDS),
        (DisclosureAttachment, projection.ATTACHMENT_FIELDS),
    ],
    ids=["disclosure", "attachment"],
)
def test_every_unscreened_public_field_cannot_hold_free_text(model, fields):
    """A projection field the screen skips is not free text: a date, a flag, a
    number, a controlled choice, or the index number in its checked format. A text
    field added to the projection without being screened fails here."""
    for field in fields:
        model_field = _model_field(model, field.name)
        if field.screened:
            assert isinstance(model_field, models.CharField | models.TextField)
            continue
        if field.name == "index_no":
            assert INDEX_NO_VALIDATOR in model_field.validators
            continue
        assert not isinstance(model_field, models.CharField | models.TextField), (
            field.name
        )


def test_outputs_take_their_fields_from_the_projection(matrix, rf):
    """The API's keys, the open-data columns and the sitemap's fields are the
    projection's; nothing else is published."""
    keys = {f.key for f in projection.DISCLOSURE_FIELDS}
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    item = rq.published(editor, reviewer, matrix.agency_a)
    data = disclosure_public_data(item, rf.get("/"))
    assert set(data) == keys | {"attachments", "url"}
    assert {key for _column, key, _show in COLUMN_SOURCES} <= keys
    names = {f.name for f in projection.DISCLOSURE_FIELDS}
    assert set(SITEMAP_FIELDS) <= names


def test_staff_see_chinese_labels_for_every_location(matrix):
    """Each location is named in words: field labels, and the file's name."""
    editor = matrix.user("editor_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="正文。")
    attachment = rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("Annex", "附件.pdf")
    )
    files = {attachment.pk: attachment}
    labels = {
        location: screen.location_label(location, files)
        for location in screen.screen_texts(draft)
    }
    assert labels == {
        "title": "名称",
        "summary": "内容概述",
        "body": "正文",
        "keywords": "关键词",
        "doc_no": "文号",
        f"attachment:{attachment.pk}": "附件正文（附件.pdf）",
        f"attachment:{attachment.pk}:name": "附件文件名（附件.pdf）",
        f"attachment:{attachment.pk}:metadata": "附件元数据（附件.pdf）",
    }


# --- The applicant's data in keywords and 文号 ---------------------------------------


def _draft_with(matrix, field: str, value: str) -> Disclosure:
    editor = matrix.user("editor_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="项目资金安排情况。")
    draft = rq_services.disclosure_update(
        actor=editor, disclosure=draft, **{field: value}, summary="老旧小区资金"
    )
    return rq_services.disclosure_submit(actor=editor, disclosure=draft)


def _open_at(disclosure: Disclosure, location: str) -> list[str]:
    return list(
        disclosure.screening_hits.filter(
            location=location, status=HitStatus.OPEN
        ).values_list("kind", flat=True)
    )


def _mask_all(matrix, disclosure: Disclosure, location: str) -> None:
    """Mask every open hit at ``location`` as the editor (four eyes: the reviewer
    who approves has made no edit)."""
    editor = matrix.user("editor_a")
    while True:
        hit = disclosure.screening_hits.filter(
            location=location, status=HitStatus.OPEN
        ).first()
        if hit is None:
            return
        rq_services.screen_hit_mask(actor=editor, hit=hit)


def _approve_refused(matrix, disclosure: Disclosure) -> None:
    with pytest.raises(DomainError) as exc:
        rq_services.disclosure_approve(
            actor=matrix.user("reviewer_a"), disclosure=disclosure
        )
    assert exc.value.message == disclosure_services.SCREEN_UNRESOLVED


def _xlsx_text(body: bytes) -> str:
    workbook = load_workbook(io.BytesIO(body))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def public_outputs(client, disclosure: Disclosure) -> dict[str, str]:
    """Fetch every public output that can carry the disclosure, as text."""

    def get(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    api = json.loads(get(f"/api/v1/disclosures/{disclosure.index_no}/"))
    rows = list(csv.reader(io.StringIO(get("/open-data/disclosures.csv").decode())))
    return {
        "page": html.unescape(get(disclosure.get_absolute_url()).decode()),
        "api": json.dumps(api, ensure_ascii=False),
        "feed": html.unescape(get("/feeds/disclosures/").decode()),
        "agency feed": html.unescape(
            get(f"/feeds/agencies/{disclosure.agency.code}/").decode()
        ),
        "sitemap": get("/sitemap-disclosures.xml").decode(),
        "csv": "\n".join(",".join(row) for row in rows),
        "xlsx": _xlsx_text(get("/open-data/disclosures.xlsx")),
        "json": json.dumps(
            json.loads(get("/open-data/disclosures.json")), ensure_ascii=False
        ),
    }


def assert_nowhere_public(client, disclosure: Disclosure) -> dict[str, str]:
    outputs = public_outputs(client, disclosure)
    for output, text in outputs.items():
        for what, value in PERSONAL.items():
            assert value not in text, f"{what} found in {output}"
    return outputs


@pytest.mark.parametrize(
    ("field", "location"), [("keywords", "keywords"), ("doc_no", "doc_no")]
)
def test_applicant_data_in_a_catalogue_field_is_found_and_blocks_approval(
    matrix, client, field, location
):
    """The applicant's name, ID, phone and e-mail in the keywords or the 文号 are
    each a hit there; approval is refused until they are masked; then the
    disclosure is published and none of them appears in any public output."""
    draft = _draft_with(matrix, field, PLANTED)
    assert sorted(_open_at(draft, location)) == ["applicant"] * len(PERSONAL)
    _approve_refused(matrix, draft)
    _mask_all(matrix, draft, location)
    draft.refresh_from_db()
    assert (
        getattr(draft, field)
        == "欧＊＊＊、310101********4816、139****5678、o***@example.com"
    )
    published = rq_services.disclosure_approve(
        actor=matrix.user("reviewer_a"), disclosure=draft
    )
    outputs = assert_nowhere_public(client, published)
    # The masked value is published: the outputs were really checked.
    for output in ("page", "api", "csv", "xlsx", "json"):
        assert MASKED_ID in outputs[output], output
    if field == "keywords":
        assert MASKED_ID in outputs["feed"]


def test_applicant_data_in_an_attachment_name_blocks_until_the_file_is_replaced(
    matrix, client
):
    """An attachment named after the applicant is a hit on its name; it cannot be
    masked online (the existing message says why); approval waits until the file
    is replaced; the published name carries nothing of the applicant."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="详见附件。")
    named = f"{rq.APPLICANT_NAME}_{rq.APPLICANT_ID}_{rq.APPLICANT_PHONE}.pdf"
    attachment = rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("Annex", named)
    )
    draft = rq_services.disclosure_submit(actor=editor, disclosure=draft)
    location = f"attachment:{attachment.pk}:name"
    assert sorted(_open_at(draft, location)) == ["applicant"] * 3
    hit = draft.screening_hits.filter(location=location).first()
    with pytest.raises(DomainError) as exc:
        rq_services.screen_hit_mask(actor=editor, hit=hit)
    assert exc.value.message == screen.MASK_ONLY_TEXT
    _approve_refused(matrix, draft)
    draft = rq_services.disclosure_return(
        actor=reviewer, disclosure=draft, reason="改名"
    )
    rq_services.disclosure_attachment_remove(actor=editor, attachment=attachment)
    rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("Annex", "名单.pdf")
    )
    draft = rq_services.disclosure_submit(actor=editor, disclosure=draft)
    published = rq_services.disclosure_approve(actor=reviewer, disclosure=draft)
    outputs = assert_nowhere_public(client, published)
    assert "名单.pdf" in outputs["page"]
    assert "名单.pdf" in outputs["api"]


def test_attachment_metadata_is_screened(matrix):
    """Text left in a stored file's metadata is screened at its own location and
    blocks approval (it cannot be masked online)."""
    editor = matrix.user("editor_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="详见附件。")
    attachment = rq_services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=rq.pdf_upload("Annex", "附件.pdf")
    )
    # A file whose metadata could not be removed keeps it as text on the row.
    DisclosureAttachment.objects.filter(pk=attachment.pk).update(
        metadata_text=f"Author: {rq.APPLICANT_NAME} Tel {rq.APPLICANT_PHONE}"
    )
    rq_services.screen_rerun(actor=editor, disclosure=draft)
    assert sorted(_open_at(draft, f"attachment:{attachment.pk}:metadata")) == [
        "applicant",
        "applicant",
    ]
    hit = draft.screening_hits.get(
        location=f"attachment:{attachment.pk}:metadata", kind="applicant", start=8
    )
    with pytest.raises(DomainError) as exc:
        rq_services.screen_hit_mask(actor=editor, hit=hit)
    assert exc.value.message == screen.MASK_ONLY_TEXT


def test_workspace_names_the_location_of_a_hit_in_chinese(matrix):
    """The staff page names a keyword hit by the field's label."""
    draft = _draft_with(matrix, "keywords", rq.APPLICANT_ID)
    page = matrix.client("reviewer_a").get(f"/workspace/disclosures/{draft.pk}/")
    assert page.status_code == 200
    assert '<td data-label="位置">关键词</td>' in page.content.decode()


# --- Search on both engines ----------------------------------------------------------


def test_search_for_the_masked_id_finds_nothing(matrix, client, search_engine):  # noqa: F811
    """After masking, a search for the applicant's ID number finds nothing, on
    either engine; a disclosure whose reviewer kept the same number on purpose is
    found by it, so the search would have found a leak."""
    masked = _draft_with(matrix, "keywords", PLANTED)
    _mask_all(matrix, masked, "keywords")
    masked = rq_services.disclosure_approve(
        actor=matrix.user("reviewer_a"), disclosure=masked
    )
    kept = _draft_with(matrix, "doc_no", rq.APPLICANT_ID)
    for hit in kept.screening_hits.all():
        rq_services.screen_hit_accept(
            actor=matrix.user("reviewer_a"), hit=hit, reason="对照用"
        )
    kept = rq_services.disclosure_approve(
        actor=matrix.user("reviewer_a"), disclosure=kept
    )
    sync.drain_all()

    def found(q: str) -> list[str]:
        response = client.get("/api/v1/disclosures/?" + urlencode({"q": q}))
        assert response.status_code == 200
        return [r["index_no"] for r in response.json()["results"]]

    assert found(rq.APPLICANT_ID) == [kept.index_no]
    assert found(rq.APPLICANT_PHONE) == []
    assert found(rq.APPLICANT_EMAIL) == []
    assert masked.index_no in found("老旧小区资金")
    page = client.get("/disclosures/?" + urlencode({"q": rq.APPLICANT_ID}))
    assert masked.index_no not in page.content.decode()


def test_negative_list_outputs_take_their_fields_from_its_projection():
    """The list's open-data columns, downloads and search body name projection
    fields only."""
    from negative_list import exports, public_site
    from negative_list import projection as nl_projection

    names = {name for name, _label in nl_projection.ITEM_FIELDS}
    assert {name for _column, name in public_site.ITEM_COLUMNS} <= names
    assert set(exports.COLUMN_FIELDS) <= names
    assert set(nl_projection.ITEM_BODY_FIELDS) <= names
