"""Backup and restore, as an operator does it (README → Operations).

A real installation in a temporary var dir is migrated, filled with the demo city
and indexed; its database is backed up with the database's own tool (SQLite's
online backup API; ``pg_dump``/``pg_restore`` on PostgreSQL), restored into a
fresh installation, whose index is rebuilt from the restored rows with
``search_rebuild``; the search API then answers exactly as before. The commands
run as subprocesses with ``portal.settings.local``, like on a server.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from django.conf import settings

from tests.processes import run_python

QUERIES = ("公开", "预算", "清单", "会议", "住房")

# Runs in the installation: ask the public search API through Django's client.
SEARCH_SCRIPT = """
import json
from django.test import Client
client = Client(HTTP_HOST="localhost")
out = {}
for q in %r:
    response = client.get("/api/v1/disclosures/", {"q": q})
    assert response.status_code == 200, response.content
    body = response.json()
    out[q] = {
        "count": body.get("count", body.get("total")),
        "ids": [r.get("index_no") or r.get("id") or r.get("url")
                for r in body.get("results", [])],
    }
print("RESULTS" + json.dumps(out, ensure_ascii=False))
"""


def manage(var_dir: Path, *args: str, database_url: str | None = None) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SEARCH_ENGINE", "SEARCH_EMBEDDED_PATH"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.local",
        GONGKAI_VAR_DIR=str(var_dir),
        SEARCH_ENGINE="embedded",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return run_python("manage.py", *args, env=env)


def search_results(var_dir: Path, database_url: str | None = None) -> dict:
    out = manage(
        var_dir, "shell", "-c", SEARCH_SCRIPT % (QUERIES,), database_url=database_url
    )
    line = next(line for line in out.splitlines() if line.startswith("RESULTS"))
    return json.loads(line.removeprefix("RESULTS"))


def install(var_dir: Path, database_url: str | None = None) -> dict:
    """Migrate, load the demo city, build the index; return the search answers."""
    manage(var_dir, "migrate", "-v0", database_url=database_url)
    manage(var_dir, "seed_demo", database_url=database_url)
    manage(var_dir, "search_rebuild", "--quiet", database_url=database_url)
    return search_results(var_dir, database_url)


def assert_same_and_meaningful(before: dict, after: dict) -> None:
    assert after == before
    assert any(answer["ids"] for answer in before.values()), before


def test_sqlite_backup_restore_rebuild_gives_the_same_search(tmp_path):
    """SQLite: online backup → fresh var dir → search_rebuild → same answers."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    before = install(old)

    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(old / "db.sqlite3") as src, sqlite3.connect(backup) as dst:
        src.backup(dst)  # consistent even while the portal writes (WAL)
    with sqlite3.connect(backup) as src, sqlite3.connect(new / "db.sqlite3") as dst:
        src.backup(dst)

    assert not (new / "search.sqlite3").exists()  # the index is not backed up
    manage(new, "migrate", "-v0")  # a no-op on a restored, current database
    manage(new, "search_rebuild", "--quiet")
    assert_same_and_meaningful(before, search_results(new))


def pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    or not pg_tool("pg_dump"),
    reason="needs PostgreSQL (DATABASE_URL) and pg_dump/pg_restore",
)
def test_postgresql_dump_restore_rebuild_gives_the_same_search(tmp_path):
    """PostgreSQL: pg_dump -Fc → pg_restore into a new database → same answers."""
    url = urlparse(os.environ["DATABASE_URL"])
    suffix = uuid.uuid4().hex[:8]
    names = (f"backup_src_{suffix}", f"backup_dst_{suffix}")
    base = url._replace(path="/postgres").geturl()
    urls = [url._replace(path=f"/{name}").geturl() for name in names]
    conn_args = ["-h", url.hostname, "-p", str(url.port), "-U", url.username]
    env = {**os.environ, "PGPASSWORD": url.password or ""}

    def psql_admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql)

    for name in names:
        psql_admin(f'CREATE DATABASE "{name}"')
    try:
        old, new = tmp_path / "old", tmp_path / "new"
        old.mkdir()
        new.mkdir()
        before = install(old, urls[0])
        dump = tmp_path / "gongkai.dump"
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [pg_tool("pg_dump"), *conn_args, "-Fc", "-f", str(dump), names[0]],
            env=env,
            check=True,
            timeout=300,
        )
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [
                pg_tool("pg_restore"),
                *conn_args,
                "--no-owner",
                "-d",
                names[1],
                str(dump),
            ],
            env=env,
            check=True,
            timeout=300,
        )
        manage(new, "search_rebuild", "--quiet", database_url=urls[1])
        assert_same_and_meaningful(before, search_results(new, urls[1]))
    finally:
        for name in names:
            psql_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
