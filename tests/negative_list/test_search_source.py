"""Published entries as search documents of doc_type "entry"."""

from __future__ import annotations

import pytest

from negative_list import services
from negative_list.models import Entry
from negative_list.search_source import EntryDocumentSource
from search.registry import get_source
from tests.negative_list import factories

pytestmark = pytest.mark.django_db


def test_source_is_registered():
    assert isinstance(get_source("entry"), EntryDocumentSource)


def test_only_entries_of_current_versions_are_public(
    matrix, published, editor, reviewer
):
    source = EntryDocumentSource()
    draft = factories.draft(editor, matrix.agency_a, title="草稿事项")
    ids = [str(pk) for pk in Entry.objects.values_list("pk", flat=True)]
    documents = source.public_documents(ids)
    assert {d.title for d in documents} == {
        "区政府常务会议讨论记录",
        "纳税人涉税保密信息",
    }
    document = next(d for d in documents if d.title == "纳税人涉税保密信息")
    assert document.id.startswith("entry:")
    assert document.agency == "310101000"
    assert document.agency_path == ("310000000", "310101000")
    assert "纳税申报资料" in document.body
    assert str(draft.pk) not in source.public_objects(ids)
    assert len(list(source.iter_public_documents())) == 2
    assert set(source.public_ids()) == {d.id for d in source.iter_public_documents()}


def test_retired_entry_leaves_the_public_set(matrix, published, reviewer):
    cycle = services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="评审",
        agency=matrix.agency_a,
        due_on=published.published_at.date().replace(
            year=published.published_at.year + 1
        ),
    )
    first, second = cycle.tasks.order_by("entry__serial")
    factories.retained(reviewer, first)
    services.review_task_record(
        actor=reviewer,
        task=second,
        legality="pass",
        conciseness="fail",
        decision="retire",
        reasons="已无必要",
    )
    services.review_cycle_close(actor=matrix.user("coordinator"), cycle=cycle)
    public = EntryDocumentSource().public_objects(
        [str(second.entry_id), str(first.entry_id)]
    )
    assert set(public) == {str(first.entry_id)}


def test_public_object_links_to_the_row_on_the_public_page(matrix, published):
    entry = Entry.objects.get(code="310101000-002")
    item = EntryDocumentSource().public_objects([str(entry.pk)])[str(entry.pk)]
    assert item.get_absolute_url() == f"/negative-lists/310101000/#entry-{entry.pk}"


def test_publishing_reaches_the_embedded_engine_after_commit(
    matrix, editor, reviewer, django_capture_on_commit_callbacks
):
    """The outbox row written by publication is applied once the transaction commits."""
    from search.engines import get_engine
    from search.engines.base import SearchQuery

    engine = get_engine()
    engine.clear()
    factories.approved(editor, reviewer, matrix.agency_a, **factories.second_wording())
    with django_capture_on_commit_callbacks(execute=True):
        services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    entry = Entry.objects.get()
    result = engine.search(SearchQuery(text="纳税申报"))
    assert [hit.id for hit in result.hits] == [f"entry:{entry.pk}"]
    engine.clear()
