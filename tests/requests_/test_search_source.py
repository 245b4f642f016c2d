"""The "disclosure" document source: public items only, with attachment text."""

from __future__ import annotations

import pytest

from django.utils import timezone

from requests_ import services
from requests_.search_source import DisclosureDocumentSource
from search.registry import get_source
from tests.public_site import publish_one_of_each
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def test_source_is_registered():
    """The app registers its source for doc_type "disclosure"."""
    assert isinstance(get_source("disclosure"), DisclosureDocumentSource)


def test_public_document_has_catalogue_body_attachments_and_agency_path(matrix):
    """Body and attachment text are searchable; agency_path holds the agency and
    its ancestors' codes."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = fx.converted_draft(editor, matrix.subunit_a, body="正文内容")
    services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=fx.pdf_upload("Annex budget table")
    )
    services.disclosure_update(
        actor=editor, disclosure=draft, keywords="预算", doc_no="黄教〔2025〕1号"
    )
    services.disclosure_submit(actor=editor, disclosure=draft)
    services.disclosure_approve(actor=reviewer, disclosure=draft)
    [document] = DisclosureDocumentSource().public_documents([str(draft.pk)])
    assert document.id == f"disclosure:{draft.pk}"
    assert document.agency == "310101010"
    assert document.agency_path == ("310000000", "310101000", "310101010")
    assert "正文内容" in document.body
    assert "Annex budget table" in document.body
    assert document.index_no == draft.index_no
    assert document.doc_no == "黄教〔2025〕1号"
    assert document.published_on == timezone.localdate()


def test_only_public_disclosures_become_documents(matrix):
    """Drafts, scheduled and withdrawn items are not documents."""
    corpus = publish_one_of_each(matrix)
    public = corpus.public
    source = DisclosureDocumentSource()
    hidden = (corpus.draft, corpus.scheduled, corpus.withdrawn)
    ids = [str(d.pk) for d in (*hidden, public)] + ["junk"]
    assert [d.id for d in source.public_documents(ids)] == [f"disclosure:{public.pk}"]
    assert [d.id for d in source.iter_public_documents()] == [f"disclosure:{public.pk}"]
    assert list(source.public_ids()) == [f"disclosure:{public.pk}"]
    assert list(source.public_objects(ids)) == [str(public.pk)]


def test_objects_link_to_their_public_page(matrix, client):
    """Search hits render with the object's URL, the public disclosure page."""
    disclosure = fx.published(
        matrix.user("editor_a"), matrix.user("reviewer_a"), matrix.agency_a
    )
    [obj] = DisclosureDocumentSource().public_objects([str(disclosure.pk)]).values()
    assert obj.get_absolute_url() == f"/disclosures/{disclosure.index_no}/"
    assert client.get(obj.get_absolute_url()).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_and_withdraw_reach_the_embedded_index_after_commit(matrix):
    """Through the outbox and the shipped embedded engine: a published disclosure
    is found by a word of its body (and by its agency's ancestor), a withdrawn one
    no more, and the applicant's name finds nothing."""
    from search import sync
    from search.engines import get_engine, reset_engine
    from search.engines.base import SearchQuery

    reset_engine()
    engine = get_engine()
    engine.clear()
    disclosure = fx.published(
        matrix.user("editor_a"),
        matrix.user("reviewer_a"),
        matrix.agency_a,
        body="旧住房综合改造项目资金共计3200万元。",
    )
    sync.drain_all()
    found = engine.search(SearchQuery(text="综合改造", agencies=("310000000",)))
    assert [hit.id for hit in found.hits] == [f"disclosure:{disclosure.pk}"]
    assert engine.search(SearchQuery(text=fx.APPLICANT_NAME)).total == 0
    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=disclosure, reason="已失效"
    )
    sync.drain_all()
    assert engine.search(SearchQuery(text="综合改造")).total == 0
