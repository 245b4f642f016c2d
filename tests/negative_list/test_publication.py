"""Publishing list versions: snapshot, change summary, search outbox, interpretation."""

from __future__ import annotations

import pytest

from negative_list import selectors, services
from negative_list.models import Entry, Interpretation, ListVersion
from negative_list.services.lists import NOTHING_TO_PUBLISH
from portal.errors import DomainError, PermissionDenied
from search.models import OutboxEntry
from tests.negative_list import factories

pytestmark = pytest.mark.django_db


def test_first_publication_snapshots_approved_entries(matrix, published):
    """Version 1 copies the approved wording, ordered by serial, with basis text."""
    assert published.number == 1
    items = list(published.items.order_by("position"))
    assert [i.title for i in items] == ["区政府常务会议讨论记录", "纳税人涉税保密信息"]
    assert items[0].basis == "《中华人民共和国政府信息公开条例》第十六条第二款"
    assert items[1].category_name == "第三方合法权益"
    assert published.change_summary["added"] == ["310101000-001", "310101000-002"]
    assert published.change_summary["text"] == "新增2项、取消0项、修订0项，保留0项。"


def test_publication_enqueues_search_upserts_in_the_transaction(matrix, published):
    """Each newly published entry is queued for the index as doc_type "entry"."""
    rows = OutboxEntry.objects.filter(doc_type="entry")
    ids = set(Entry.objects.filter(agency=matrix.agency_a).values_list("pk", flat=True))
    assert {int(r.object_id) for r in rows} == ids
    assert {r.action for r in rows} == {"upsert"}


def test_nothing_to_publish_is_refused(matrix, published, reviewer):
    with pytest.raises(DomainError) as caught:
        services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    assert caught.value.message == str(NOTHING_TO_PUBLISH)


def test_editor_cannot_publish(matrix, editor, reviewer):
    factories.approved(editor, reviewer, matrix.agency_a)
    with pytest.raises(PermissionDenied):
        services.list_version_publish(actor=editor, agency=matrix.agency_a)


def test_amended_entry_enters_next_version_with_new_wording(
    matrix, published, editor, reviewer
):
    """v2 carries the approved amendment; v1 keeps the old wording."""
    entry = Entry.objects.get(code="310101000-001")
    factories.amended(
        editor, entry, scope="区政府常务会议的讨论记录中尚未形成正式决定的内容"
    )
    # While the amendment is pending, the public list still shows version 1.
    assert selectors.published_entries(matrix.agency_a).count() == 2
    services.entry_submit(actor=editor, entry=entry)
    services.entry_approve(actor=reviewer, entry=entry)
    v2 = services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    assert v2.number == 2
    assert v2.change_summary["amended"] == ["310101000-001"]
    assert (
        v2.items.get(entry=entry).scope
        == "区政府常务会议的讨论记录中尚未形成正式决定的内容"
    )
    assert published.items.get(entry=entry).scope.startswith("区政府常务会议、专题会议")


def test_published_entries_follow_the_current_version(
    matrix, published, editor, reviewer
):
    factories.approved(editor, reviewer, matrix.agency_a, **factories.letters_wording())
    services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    assert selectors.published_entries(matrix.agency_a).count() == 3
    assert selectors.published_entries(matrix.agency_b).count() == 0


def test_interpretation_is_sanitised_and_published_with_the_version(
    matrix, editor, reviewer
):
    """Scripts and event handlers are removed; the text goes public with the version."""
    services.interpretation_update(
        actor=editor,
        agency=matrix.agency_a,
        review_basis=(
            '<p onclick="x()">依据《条例》第十四条<script>alert(1)</script></p>'
        ),
        adjustment_standards="<ul><li>兜底表述一律删除</li></ul>",
        operating_procedure='<a href="javascript:alert(1)">办法</a>',
    )
    stored = Interpretation.objects.get(agency=matrix.agency_a)
    assert stored.review_basis == "<p>依据《条例》第十四条</p>"
    assert "javascript" not in stored.operating_procedure
    factories.approved(editor, reviewer, matrix.agency_a)
    version = services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    assert version.adjustment_standards == "<ul><li>兜底表述一律删除</li></ul>"


def test_interpretation_of_another_agency_is_refused(matrix):
    with pytest.raises(PermissionDenied):
        services.interpretation_update(
            actor=matrix.user("editor_b"),
            agency=matrix.agency_a,
            review_basis="",
            adjustment_standards="",
            operating_procedure="",
        )


def test_published_lists_index_counts_entries(matrix, published):
    rows = selectors.published_lists()
    assert [(r.agency.code, r.entry_count, r.version.number) for r in rows] == [
        ("310101000", 2, 1)
    ]
    assert rows[0].last_reviewed is None
    assert ListVersion.objects.count() == 1
