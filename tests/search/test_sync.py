"""The outbox and its consumer: drain, back-off, retry bound, reconcile, rebuild.

Failing engines fail for real: an Elasticsearch engine pointed at a closed port
(127.0.0.1:9) and an embedded engine whose index directory cannot exist (its
parent is a file; root ignores read-only modes, so a read-only directory would
not stop it).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from django.db import connection, transaction
from django.utils import timezone

from requests_ import services
from requests_.services.imports import disclosures_import
from search import registry, sync
from search.engines.base import SearchEngine, SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.embedded import EmbeddedEngine
from search.models import OutboxEntry
from tests.search.corpus import build_column

pytestmark = pytest.mark.django_db


def publish(matrix, *titles: str) -> list[Any]:
    """Publish disclosures of agency A through the import service."""
    rows = [
        (
            n,
            {
                "title": title,
                "body": f"{title}的正文。",
                "agency": matrix.agency_a.code,
            },
        )
        for n, title in enumerate(titles, start=2)
    ]
    return disclosures_import(rows=rows)


def indexed(engine: SearchEngine) -> set[str]:
    return set(engine.all_ids())


@pytest.fixture(params=["elasticsearch-closed-port", "embedded-impossible-path"])
def broken_engine(request, tmp_path: Path) -> Iterator[SearchEngine]:
    """Yield an engine that cannot work, of each kind."""
    if request.param.startswith("elasticsearch"):
        engine: SearchEngine = ElasticsearchEngine(
            "http://127.0.0.1:9", index_prefix="gkdown"
        )
    else:
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        engine = EmbeddedEngine(blocker / "index" / "search.sqlite3")
    yield engine
    engine.close()


def test_backoff_grows_and_is_capped():
    assert sync.backoff(1) == dt.timedelta(seconds=sync.BACKOFF_BASE_SECONDS)
    assert sync.backoff(2) == dt.timedelta(seconds=2 * sync.BACKOFF_BASE_SECONDS)
    assert sync.backoff(30) == dt.timedelta(seconds=sync.BACKOFF_MAX_SECONDS)


def test_publishing_writes_outbox_rows(matrix, embedded_engine):
    """Publishing records its index work in the same transaction."""
    [disclosure] = publish(matrix, "关于垃圾分类的通知")
    [row] = OutboxEntry.objects.all()
    assert (row.doc_type, row.object_id, row.action) == (
        "disclosure",
        str(disclosure.pk),
        "upsert",
    )


def test_drain_applies_and_deletes_rows(matrix, search_engine):
    """Due rows are applied to the engine and removed from the outbox."""
    first, second = publish(matrix, "关于垃圾分类的通知", "部门预算公开")
    result = sync.drain_all(search_engine)
    assert (result.applied, result.failed) == (2, 0)
    assert not OutboxEntry.objects.exists()
    assert indexed(search_engine) == {
        f"disclosure:{first.pk}",
        f"disclosure:{second.pk}",
    }

    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=first, reason="已失效"
    )
    assert sync.drain_all(search_engine).applied == 1
    assert indexed(search_engine) == {f"disclosure:{second.pk}"}


def test_the_database_not_the_row_decides(matrix, search_engine):
    """A stale "upsert" of a withdrawn item deletes it; order does not matter."""
    [disclosure] = publish(matrix, "关于垃圾分类的通知")
    sync.drain_all(search_engine)
    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=disclosure, reason="已失效"
    )
    OutboxEntry.objects.all().delete()
    OutboxEntry.objects.create(
        doc_type="disclosure", object_id=str(disclosure.pk), action="upsert"
    )
    sync.drain_all(search_engine)
    assert indexed(search_engine) == set()


def test_after_commit_drain_indexes_at_once(
    matrix, embedded_engine, django_capture_on_commit_callbacks
):
    """After the publishing transaction commits, the row is applied at once."""
    with django_capture_on_commit_callbacks(execute=True):
        [disclosure] = publish(matrix, "关于垃圾分类的通知")
    assert indexed(embedded_engine) == {f"disclosure:{disclosure.pk}"}
    assert not OutboxEntry.objects.exists()


def test_failing_engine_keeps_rows_with_backoff_and_error(matrix, broken_engine):
    """A failed batch stays: one more attempt, a back-off, the error kept."""
    publish(matrix, "关于垃圾分类的通知", "部门预算公开")
    before = timezone.now()

    result = sync.drain(engine=broken_engine)

    assert (result.applied, result.failed) == (0, 2)
    for row in OutboxEntry.objects.all():
        assert row.attempts == 1
        assert row.last_error.startswith("SearchEngineError: ")
        wait = row.next_attempt_at - before
        assert dt.timedelta(seconds=14) < wait < dt.timedelta(seconds=20)
    # Not due yet: the next drain leaves the rows alone.
    assert sync.drain(engine=broken_engine).failed == 0
    OutboxEntry.objects.update(next_attempt_at=timezone.now())
    sync.drain(engine=broken_engine)
    row = OutboxEntry.objects.first()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() > dt.timedelta(seconds=25)


def test_publishing_succeeds_while_the_engine_is_down(
    matrix, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The after-commit drain fails quietly; the publication and the row stay."""
    from search.engines import reset_engine

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.SEARCH_EMBEDDED_PATH = blocker / "search.sqlite3"
    reset_engine()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            [disclosure] = publish(matrix, "关于垃圾分类的通知")
    finally:
        reset_engine()
    assert disclosure.is_public()
    [row] = OutboxEntry.objects.all()
    assert row.attempts == 1
    assert row.last_error


def test_retries_are_bounded_and_can_be_restarted(matrix, broken_engine, tmp_path):
    """After MAX_ATTEMPTS a row rests; retry_failed gives it a fresh start."""
    [disclosure] = publish(matrix, "关于垃圾分类的通知")
    OutboxEntry.objects.update(attempts=sync.MAX_ATTEMPTS - 1)
    sync.drain(engine=broken_engine)
    [row] = OutboxEntry.objects.all()
    assert row.attempts == sync.MAX_ATTEMPTS
    OutboxEntry.objects.update(next_attempt_at=timezone.now())
    assert sync.drain(engine=broken_engine).failed == 0  # resting, not retried

    working = EmbeddedEngine(tmp_path / "ok" / "search.sqlite3")
    assert sync.reconcile(working).dead_letters == 1
    assert sync.retry_failed() == 1
    assert sync.drain_all(working).applied == 1
    assert indexed(working) == {f"disclosure:{disclosure.pk}"}


class BrokenSource:
    """A real source whose documents cannot be built (a bug in one app)."""

    doc_type = "broken"
    label = "Broken"
    order = 99

    def public_documents(self, object_ids: Iterable[str]) -> list:
        raise ValueError("cannot build this document")

    def iter_public_documents(self) -> Iterator:
        return iter(())

    def public_objects(self, object_ids: Iterable[str]) -> dict:
        return {}

    def public_ids(self) -> Iterator[str]:
        return iter(())

    def present(self, objects: dict) -> dict:
        return {}

    def api_schema(self) -> dict:
        return {}


@pytest.fixture
def broken_source() -> Iterator[BrokenSource]:
    source = BrokenSource()
    registry.register_source(source)
    yield source
    registry._SOURCES.pop(source.doc_type, None)


def test_one_bad_document_does_not_hold_back_the_batch(
    matrix, embedded_engine, broken_source
):
    """With the engine up, rows are retried one by one; only the bad one stays."""
    [disclosure] = publish(matrix, "关于垃圾分类的通知")
    OutboxEntry.objects.create(doc_type="broken", object_id="1", action="upsert")

    result = sync.drain(engine=embedded_engine)

    assert (result.applied, result.failed) == (1, 1)
    [row] = OutboxEntry.objects.all()
    assert row.doc_type == "broken"
    assert row.last_error == "ValueError: cannot build this document"
    assert indexed(embedded_engine) == {f"disclosure:{disclosure.pk}"}


def test_rows_of_an_unknown_type_delete_their_documents(matrix, embedded_engine):
    """A document type no source claims has nothing public: it is deleted."""
    OutboxEntry.objects.create(doc_type="ghost", object_id="7", action="delete")
    assert sync.drain_all(embedded_engine).applied == 1
    assert not OutboxEntry.objects.exists()


def test_reconcile_finds_and_repairs_differences(matrix, search_engine):
    """Public-but-missing and indexed-but-not-public documents are repaired."""
    column = build_column(matrix, search_engine)
    budget = column.disclosures["budget"]
    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=budget, reason="已失效"
    )
    [missing] = publish(matrix, "关于垃圾分类的通知")
    OutboxEntry.objects.all().delete()  # as if both rows were lost

    report = sync.reconcile(search_engine)
    assert report.missing == [f"disclosure:{missing.pk}"]
    assert report.stale == [f"disclosure:{budget.pk}"]
    assert not report.clean

    sync.reconcile(search_engine, repair=True)
    assert sync.reconcile(search_engine).clean
    hits = search_engine.search(SearchQuery(text="垃圾分类")).hits
    assert [hit.id for hit in hits] == [f"disclosure:{missing.pk}"]


def test_rebuild_builds_from_the_database_and_empties_the_outbox(matrix, search_engine):
    """A rebuild indexes exactly what is public; older outbox rows are done."""
    column = build_column(matrix, search_engine)
    [pending] = publish(matrix, "关于垃圾分类的通知")
    search_engine.delete([f"disclosure:{column.pk('budget')}"])

    count = sync.rebuild(search_engine)

    assert count == 10  # 7 disclosures + 1 pending + 2 entries
    assert not OutboxEntry.objects.exists()
    assert f"disclosure:{pending.pk}" in indexed(search_engine)
    assert sync.reconcile(search_engine).clean


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_skip_rows_another_worker_holds(embedded_engine):
    """On PostgreSQL a row claimed by one worker is skipped by the next."""
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    rows = [
        OutboxEntry.objects.create(
            doc_type="disclosure", object_id=str(n), action="delete"
        )
        for n in (1, 2, 3)
    ]
    held, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        from django.db import connections

        try:
            with transaction.atomic():
                list(OutboxEntry.objects.select_for_update().filter(pk=rows[0].pk))
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert held.wait(10)
        assert sync.drain(engine=embedded_engine).applied == 2
        assert list(OutboxEntry.objects.values_list("pk", flat=True)) == [rows[0].pk]
    finally:
        release.set()
        worker.join()
    assert sync.drain(engine=embedded_engine).applied == 1
