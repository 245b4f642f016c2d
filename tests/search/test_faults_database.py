"""Fault tests: the database going away while ``search_sync`` drains the outbox.

On PostgreSQL a private cluster (a copy of ``scripts/postgres``, never the
shared server) holds an installation of its own (see ``test_faults``).  Its
outbox rows come from publishing while the index could not be written, so
each already records one failed attempt and its back-off:

* the server killed before ``search_sync`` runs: the command fails with a
  clear message, the outbox rows stay exactly as they were, a rerun after
  the restart drains them;
* the sync's connection terminated (``pg_terminate_backend``) while it holds
  its claim on a batch: the command fails clearly, every document is either
  indexed or still has its outbox row, a rerun drains the rest;
* ``search_sync --loop`` through an outage: it reports the outage, keeps
  polling on a fresh connection and drains once the server is back.

On SQLite the same happens with the database file locked by another writer.
Every case ends with ``search_check`` clean and the public search answering.
The PostgreSQL cases run in the suite's PostgreSQL pass, the SQLite ones in
its SQLite pass.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from django.conf import settings

from search.engines.embedded import EmbeddedEngine
from tests.search.test_faults import (
    MAX_BACKOFF_WAIT,
    Installation,
    PrivateService,
    wait_for,
)

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == (
    "django.db.backends.postgresql"
)
SYNC_FAILED = "CommandError: database unavailable:"
LOOP_ARGS = ("search_sync", "--loop", "--interval", "0.2", "--max-loops", "3000")
# SQLite waits this long for a lock before "database is locked" (the portal's
# 20 s would only slow the test down).
SQLITE_SETTINGS = """
from portal.settings.local import *  # noqa: F403

DATABASES["default"]["OPTIONS"]["timeout"] = 1  # noqa: F405
"""

postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="runs in the PostgreSQL pass (DATABASE_URL)"
)
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="runs in the SQLite pass")


def indexed(site: Installation) -> set[str]:
    engine = EmbeddedEngine(site.var_dir / "search.sqlite3")
    try:
        return {doc_id.partition(":")[2] for doc_id in engine.all_ids()}
    finally:
        engine.close()


def pending(site: Installation, count: int) -> list[tuple]:
    """Publish ``count`` disclosures while the index cannot be written.

    Publishing succeeds; each outbox row records the failed immediate attempt
    and a back-off (``due`` waits it out).  Return the rows.
    """
    assert site.outbox() == []
    blocker = site.var_dir / "not-a-directory"
    blocker.touch()
    site.seed(count, SEARCH_EMBEDDED_PATH=str(blocker / "search.sqlite3"))
    rows = site.outbox()
    assert len(rows) == count
    assert all(attempts == 1 and error for _, _, attempts, error in rows)
    return rows


def due(site: Installation) -> None:
    """Wait until every outbox row's back-off has passed, as a worker would."""
    [(when,)] = site.query("SELECT max(next_attempt_at) FROM search_outboxentry")
    when = dt.datetime.fromisoformat(str(when))
    if when.tzinfo is None:  # SQLite stores UTC without an offset
        when = when.replace(tzinfo=dt.UTC)
    wait = (when - dt.datetime.now(dt.UTC)).total_seconds()
    assert wait < MAX_BACKOFF_WAIT
    time.sleep(max(wait, 0) + 0.1)


def failed_clearly(done) -> bool:
    last = done.stderr.strip().splitlines()[-1]
    return done.returncode == 1 and last.startswith(SYNC_FAILED)


def assert_drained(site: Installation) -> None:
    """A rerun drains everything; index and database agree; search answers."""
    if site.outbox():
        done = site.manage("search_sync")
        assert done.stdout.startswith("applied"), done.stdout
        assert "failed 0" in done.stdout, done.stdout
    assert site.outbox() == []
    assert site.disclosure_ids() <= indexed(site)
    site.check()
    answer = site.search("公开")
    assert answer["status"] == 200
    assert answer["results"]


def read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def run_loop_through(site: Installation, tmp_path: Path, recovery) -> None:
    """Run ``search_sync --loop`` during an outage; it must wait it out."""
    output = tmp_path / "loop"
    loop = site.start(*LOOP_ARGS, output=output)
    try:
        wait_for(
            lambda: "database unavailable" in read(output.with_suffix(".err")),
            "the loop to report the outage",
        )
        recovery()
        wait_for(
            lambda: "applied" in read(output.with_suffix(".out")),
            "the loop to drain after the recovery",
        )
        assert loop.poll() is None  # it survived the outage
    finally:
        loop.terminate()
        loop.wait(timeout=60)


# --- PostgreSQL ---------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[PrivateService, Installation]]:
    """Start a private PostgreSQL cluster with an installation on it."""
    if not ON_POSTGRESQL:
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL)")
    # Durable: the tests kill the server and expect every committed row back.
    service = PrivateService(
        tmp_path_factory.mktemp("pg"), "postgres", env={"GONGKAI_PG_DURABLE": "1"}
    )
    try:
        url = service.run("start")
        site = Installation(tmp_path_factory.mktemp("site"), database_url=url)
        site.manage("migrate", "-v0")
        yield service, site
    finally:
        service.run("stop")


def superuser_url(site: Installation) -> str:
    return site.database_url.replace("//gongkai@", "//postgres@", 1)


def claiming_backend(site: Installation) -> int | None:
    """Return the backend holding the outbox claim (FOR UPDATE), if any."""
    import psycopg

    with psycopg.connect(superuser_url(site), autocommit=True) as conn:
        row = conn.execute(
            "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'search_outboxentry' AND l.mode = 'RowShareLock'"
            " AND l.pid <> pg_backend_pid() LIMIT 1"
        ).fetchone()
    return row[0] if row else None


def terminate(site: Installation, pid: int) -> None:
    import psycopg

    with psycopg.connect(superuser_url(site), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


@postgresql_only
def test_sync_with_the_server_down_fails_clearly_and_keeps_the_rows(cluster):
    """Server killed: a clear error, rows untouched; restarted: drained."""
    service, site = cluster
    rows = pending(site, 150)
    service.run("kill")
    try:
        done = site.manage("search_sync", check=False)
    finally:
        service.run("restart")
    assert failed_clearly(done), done.stderr[-2000:]
    assert site.outbox() == rows  # not lost, not charged another attempt
    due(site)
    assert_drained(site)


@postgresql_only
def test_sync_connection_terminated_mid_drain_loses_nothing(cluster, tmp_path):
    """pg_terminate_backend mid-batch: every document indexed or still queued."""
    _, site = cluster
    rows = pending(site, 1100)
    due(site)
    output = tmp_path / "sync"
    sync = site.start("search_sync", output=output)
    try:
        pid = wait_for(
            lambda: sync.poll() is None and claiming_backend(site),
            "search_sync to claim a batch",
        )
        terminate(site, pid)
        sync.wait(timeout=120)
    finally:
        if sync.poll() is None:
            sync.kill()
            sync.wait()
    error = read(output.with_suffix(".err"))
    assert sync.returncode == 1, error[-2000:]
    assert error.strip().splitlines()[-1].startswith(SYNC_FAILED)

    left = site.outbox()
    assert left, "the interrupted batch must keep its rows"
    assert set(left) <= set(rows)  # kept as they were: no attempt charged
    queued = {object_id for _, object_id, _, _ in left}
    assert site.disclosure_ids() <= indexed(site) | queued
    assert_drained(site)


@postgresql_only
def test_sync_loop_waits_out_a_server_outage(cluster, tmp_path):
    """--loop reports the outage, keeps polling and drains after the restart."""
    service, site = cluster
    pending(site, 150)
    restarted = []

    def restart() -> None:
        service.run("restart")
        restarted.append(True)

    service.run("kill")
    try:
        run_loop_through(site, tmp_path, restart)
    finally:
        if not restarted:
            service.run("restart")
    assert_drained(site)


# --- SQLite -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory) -> Installation:
    """An installation on SQLite that gives up on a lock after one second."""
    if ON_POSTGRESQL:
        pytest.skip("runs in the SQLite pass")
    var_dir = tmp_path_factory.mktemp("site")
    (var_dir / "faults_settings.py").write_text(SQLITE_SETTINGS)
    site = Installation(var_dir, settings_module="faults_settings")
    site.manage("migrate", "-v0")
    return site


@contextlib.contextmanager
def locked(site: Installation) -> Iterator[None]:
    """Hold the database's write lock, as a long transaction elsewhere would."""
    conn = sqlite3.connect(site.var_dir / "db.sqlite3", isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


@sqlite_only
def test_sync_with_the_database_locked_fails_clearly_and_keeps_the_rows(
    sqlite_site,
):
    """Database file locked: a clear error, rows untouched; unlocked: drained."""
    rows = pending(sqlite_site, 150)
    due(sqlite_site)  # so the drain gets as far as writing
    with locked(sqlite_site):
        done = sqlite_site.manage("search_sync", check=False)
    assert failed_clearly(done), done.stderr[-2000:]
    assert "database is locked" in done.stderr
    assert sqlite_site.outbox() == rows
    assert_drained(sqlite_site)


@sqlite_only
def test_sync_loop_waits_out_a_locked_database(sqlite_site, tmp_path):
    """--loop reports the lock, keeps polling and drains once it is released."""
    pending(sqlite_site, 150)
    due(sqlite_site)
    with contextlib.ExitStack() as lock:
        lock.enter_context(locked(sqlite_site))
        run_loop_through(sqlite_site, tmp_path, lock.close)
    assert_drained(sqlite_site)
