"""The management commands: search_sync, search_rebuild, search_check."""

from __future__ import annotations

import os
from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from requests_ import services
from search import sync
from search.engines.embedded import EmbeddedEngine
from search.models import OutboxEntry
from tests.search.corpus import build_column
from tests.search.test_sync import publish

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def generation(engine) -> str:
    """Return what the index name points at now (file or index behind alias)."""
    if isinstance(engine, EmbeddedEngine):
        return os.readlink(engine.path)
    return ",".join(engine.client.indices.get_alias(name=engine.alias))


def test_search_sync_drains_the_outbox(matrix, search_engine):
    publish(matrix, "关于垃圾分类的通知", "部门预算公开")
    out, _ = run("search_sync")
    assert out == "applied 2, failed 0\n"
    assert not OutboxEntry.objects.exists()
    assert search_engine.count() == 2


def test_search_sync_retry_failed_and_loop(matrix, embedded_engine):
    """--retry-failed revives resting rows; --loop reconciles on its schedule."""
    [disclosure] = publish(matrix, "关于垃圾分类的通知")
    OutboxEntry.objects.update(attempts=sync.MAX_ATTEMPTS, last_error="x")
    out, _ = run("search_sync", "--retry-failed")
    assert out.splitlines() == ["reset 1 failed rows", "applied 1, failed 0"]

    embedded_engine.delete([f"disclosure:{disclosure.pk}"])  # lost from the index
    out, _ = run(
        "search_sync",
        "--loop",
        "--max-loops",
        "1",
        "--interval",
        "0",
        "--reconcile-every",
        "0",
    )
    assert "repaired: 1 missing, 0 stale" in out
    assert embedded_engine.count() == 1


def test_search_rebuild_swaps_in_a_new_index(matrix, search_engine):
    build_column(matrix, search_engine)
    before = generation(search_engine)

    out, err = run("search_rebuild")

    assert out.startswith("indexed 9 documents in ")
    assert "indexing" in err  # the progress bar
    assert generation(search_engine) != before
    assert sync.reconcile(search_engine).clean
    quiet, quiet_err = run("search_rebuild", "--quiet")
    assert quiet.startswith("indexed 9 documents")
    assert quiet_err == ""


def test_search_check_reports_differences_and_repairs_them(matrix, search_engine):
    """Differences exit non-zero with the ids; --repair makes the check clean."""
    column = build_column(matrix, search_engine)
    out, _ = run("search_check")
    assert "index and database agree" in out

    services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"),
        disclosure=column.disclosures["budget"],
        reason="已失效",
    )
    [missing] = publish(matrix, "关于垃圾分类的通知")
    OutboxEntry.objects.all().delete()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("search_check", stdout=out, stderr=err)
    report = out.getvalue()
    assert f"missing from index: 1\n  disclosure:{missing.pk}" in report
    assert f"stale in index: 1\n  disclosure:{column.pk('budget')}" in report

    out, _ = run("search_check", "--repair")
    assert "repaired: index and database agree" in out
    out, _ = run("search_check")
    assert "index and database agree" in out


def test_search_check_fails_when_the_engine_is_down(matrix, settings):
    """An unreachable engine is an error, never a clean report."""
    from search.engines import reset_engine

    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    reset_engine()
    try:
        with pytest.raises(CommandError, match="search engine unavailable"):
            run("search_check")
        with pytest.raises(CommandError, match="search engine unavailable"):
            run("search_rebuild", "--quiet")
    finally:
        reset_engine()
