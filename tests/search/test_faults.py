"""Fault tests: Elasticsearch going away mid-publication and mid-rebuild.

* Publishing while the node is down loses nothing: the publication succeeds
  and the outbox keeps the row; after a restart ``search_sync`` applies it and
  ``search_check`` is clean.
* ``manage.py search_rebuild`` killed (``kill -9``) while it bulk-indexes, and
  the node killed while a rebuild bulk-indexes: the alias keeps the old,
  complete index; a rerun completes, and leftovers are cleaned up, not ignored
  (the next rebuild deletes half-built indices).
* The embedded engine's rebuild killed while it fills a new generation file:
  the old generation keeps serving, and the rerun deletes the orphan file.

The rebuilds run as subprocesses of an ``Installation`` (a portal in a var dir
of its own, on the suite's kind of database, with a seeded corpus) and are
interrupted once the new index demonstrably receives documents — an unaliased
index whose indexing counter moved, a generation file with rows in it — never
after a guessed sleep.  Every case ends with ``search_check`` clean.

Why a private node: the node named by ``ELASTICSEARCH_URL`` is shared by the
rest of the suite and, on a development machine, by other test runs at the
same time; killing it would fail them.  ``scripts/elasticsearch`` keeps its
state beside the project root it lives in, so a copy of the script under a
temporary directory controls a second, independent node with the documented
fault-injection sequence (``kill``, assertions against the dead node,
``restart`` on the same port with the same data).  One node serves the module
(a start costs about 20 s).  These tests run wherever Elasticsearch can: when
``ELASTICSEARCH_URL`` is set or ``GONGKAI_REQUIRE_ELASTICSEARCH=1`` (CI), where
a node that cannot be started, killed or restarted fails them; elsewhere they
skip.

The other fault modules (``test_faults_*.py``) share the helpers here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest

from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from search.engines import get_engine, reset_engine
from search.engines.base import SearchEngineError, SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine
from search.models import OutboxEntry
from tests.engines.support import REQUIRE_VARIABLE, URL_VARIABLE, unique_prefix
from tests.requests_ import factories as fx
from tests.search.test_sync import publish

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT_TIMEOUT = 240
COMMAND_TIMEOUT = 600
MAX_BACKOFF_WAIT = 60.0
POLL_SECONDS = 0.02


CONFIGURATION = (
    "DJANGO_SETTINGS_MODULE",
    "GONGKAI_VAR_DIR",
    "DATABASE_URL",
    "SEARCH_ENGINE",
    "SEARCH_EMBEDDED_PATH",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_INDEX_PREFIX",
)
SEED_AGENCY = "310101000"
# Words of the seeded corpus; every body holds several, so 公开 finds documents.
SEED_WORDS = [
    "政府",
    "信息",
    "公开",
    "关于",
    "通知",
    "管理",
    "工作",
    "实施",
    "方案",
    "预算",
    "社会",
    "保障",
    "教育",
    "住房",
    "交通",
    "环境",
    "卫生",
    "垃圾",
    "分类",
    "城市",
    "更新",
    "街道",
    "社区",
    "养老",
    "服务",
    "医疗",
    "就业",
    "补贴",
]
SEED_SCRIPT = """
import random
from portal.models import Agency
from requests_.services.imports import disclosures_import

Agency.objects.get_or_create(
    code={agency!r},
    defaults={{"name": "上海市黄浦区人民政府", "short_name": "黄浦区",
              "kind": Agency.Kind.DISTRICT}},
)
rng = random.Random({seed})
words = {words!r}
rows = []
for n in range({count}):
    body = "".join(rng.choice(words) for _ in range({words_per_body}))
    title = f"第{{{seed}}}-{{n}}号关于{{body[:8]}}的通知"
    rows.append((n + 2, {{"title": title, "body": body, "agency": {agency!r},
                        "published_on": "2024-03-01"}}))
disclosures_import(rows=rows)
"""
SEARCH_SCRIPT = """
import json
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/api/v1/disclosures/", {{"q": {text!r}}})
print("RESULT" + json.dumps({{"status": response.status_code, **response.json()}}))
"""


class PrivateService:
    """An instance of this test's own, driven by a copy of ``scripts/<script>``.

    The scripts keep their state beside the project root they live in, so a
    copy under a temporary directory controls an independent instance.
    """

    def __init__(
        self, root: Path, script: str = "elasticsearch", env: dict | None = None
    ) -> None:
        self.script = script
        self.env = {**os.environ, **(env or {})}
        self.scripts = root / "scripts"
        self.scripts.mkdir(parents=True)
        for name in (script, "_lib.sh"):
            shutil.copy2(PROJECT / "scripts" / name, self.scripts / name)

    timeout = SCRIPT_TIMEOUT

    def run(self, command: str) -> str:
        """Run ``scripts/<script> command`` (split on spaces); return its output."""
        done = subprocess.run(  # noqa: S603 - the project's own script
            [str(self.scripts / self.script), *command.split()],
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
            env=self.env,
        )
        if done.returncode != 0:
            pytest.fail(f"scripts/{self.script} {command} failed:\n{done.stderr}")
        return done.stdout.strip()


def require_elasticsearch() -> None:
    """Skip where no Elasticsearch can run; CI (the variable set) never skips."""
    if not os.environ.get(URL_VARIABLE) and os.environ.get(REQUIRE_VARIABLE) != "1":
        pytest.skip(f"no Elasticsearch here ({URL_VARIABLE} unset)")


@pytest.fixture(scope="module")
def node(tmp_path_factory) -> Iterator[tuple[PrivateService, str]]:
    """Start a private Elasticsearch node for the module; yield it and its URL."""
    require_elasticsearch()
    yield from started(PrivateService(tmp_path_factory.mktemp("es")), "start", "stop")


def started(service: PrivateService, start: str, stop: str) -> Iterator:
    """Run ``start``; yield the service and what it printed (its URL); ``stop`` it."""
    try:
        yield service, service.run(start)
    finally:
        service.run(stop)


def keep_running(service: PrivateService, engine: ElasticsearchEngine) -> None:
    """Restart a node a failed test left dead (the module's tests share it)."""
    if not engine.ping():
        service.run("restart")


class Installation:
    """A portal in a var dir of its own; ``manage.py`` runs as a subprocess.

    ``database_url`` selects PostgreSQL (else SQLite in the var dir); the
    keyword settings are environment variables given to every command.
    """

    def __init__(
        self,
        var_dir: Path,
        *,
        database_url: str | None = None,
        settings_module: str = "portal.settings.local",
        **settings: str,
    ) -> None:
        self.var_dir = var_dir
        self.database_url = database_url
        self.settings_module = settings_module
        self.settings = settings
        self.seeded = 0

    def env(self, **settings: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CONFIGURATION}
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            GONGKAI_VAR_DIR=str(self.var_dir),
            PYTHONPATH=os.pathsep.join([str(self.var_dir), str(PROJECT)]),
            PYTHONUNBUFFERED="1",
            **self.settings,
            **settings,
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def manage(
        self, *args: str, check: bool = True, **settings: str
    ) -> subprocess.CompletedProcess:
        """Run a command to its end; with ``check``, fail the test if it fails."""
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=self.env(**settings),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        if check and done.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done

    def start(self, *args: str, output: Path, **settings: str) -> subprocess.Popen:
        """Start a command in the background, its output in ``output``.{out,err}."""
        out = output.with_suffix(".out").open("w")
        err = output.with_suffix(".err").open("w")
        with out, err:  # the child keeps its own copies
            return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [sys.executable, "manage.py", *args],
                cwd=PROJECT,
                env=self.env(**settings),
                stdout=out,
                stderr=err,
                text=True,
            )

    def seed(self, count: int, *, words_per_body: int = 120, **settings: str) -> None:
        """Publish ``count`` disclosures in one import (one transaction).

        The after-commit drain indexes them at once, unless the engine is
        down; then they wait in the outbox for ``search_sync``.
        """
        self.seeded += 1
        script = SEED_SCRIPT.format(
            agency=SEED_AGENCY,
            seed=self.seeded,
            words=SEED_WORDS,
            count=count,
            words_per_body=words_per_body,
        )
        self.manage("shell", "-c", script, **settings)

    def search(self, text: str, **settings: str) -> dict:
        """Ask the public search API, as a visitor would."""
        out = self.manage("shell", "-c", SEARCH_SCRIPT.format(text=text), **settings)
        line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT"))
        return json.loads(line.removeprefix("RESULT"))

    def check(self, **settings: str) -> str:
        """Run ``search_check``; fail the test unless index and database agree."""
        out = self.manage("search_check", **settings).stdout
        assert "index and database agree" in out, out
        return out

    def query(self, sql: str) -> list[tuple]:
        """Read the installation's database directly (no Django here)."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                return conn.execute(sql).fetchall()
        with contextlib.closing(sqlite3.connect(self.var_dir / "db.sqlite3")) as conn:
            return conn.execute(sql).fetchall()

    def outbox(self) -> list[tuple]:
        """Return the outbox rows: (id, object_id, attempts, last_error)."""
        return self.query(
            "SELECT id, object_id, attempts, last_error FROM search_outboxentry"
            " ORDER BY id"
        )

    def disclosure_ids(self) -> set[str]:
        return {str(pk) for (pk,) in self.query("SELECT id FROM requests__disclosure")}


def wait_for(
    condition: Callable[[], object], what: str, *, timeout: float = 180.0
) -> object:
    """Poll ``condition`` until it returns something true (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(POLL_SECONDS)
    pytest.fail(f"gave up waiting for {what} after {timeout:.0f} s")


def command(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def wait_until_due() -> None:
    """Wait out the back-off of the failed rows, as a real worker would."""
    due = max(OutboxEntry.objects.values_list("next_attempt_at", flat=True))
    wait = (due - timezone.now()).total_seconds()
    assert wait < MAX_BACKOFF_WAIT
    if wait > 0:
        time.sleep(wait + 0.1)


@pytest.mark.django_db
@pytest.mark.elasticsearch
def assert_catches_up(engine, before, during) -> None:
    """Once due, the sync applies the waiting row; index and database then agree,
    ``during`` (about 垃圾分类) is found and ``before`` is still there."""
    wait_until_due()
    assert command("search_sync") == "applied 1, failed 0\n"
    assert not OutboxEntry.objects.exists()
    assert "index and database agree" in command("search_check")
    hits = engine.search(SearchQuery(text="垃圾分类")).hits
    assert [hit.id for hit in hits] == [f"disclosure:{during.pk}"]
    assert f"disclosure:{before.pk}" in set(engine.all_ids())


def test_publishing_while_elasticsearch_is_down_loses_nothing(
    matrix, settings, node, django_capture_on_commit_callbacks
):
    """Node killed: publishing succeeds, the row waits; restarted: synced."""
    private_node, url = node
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = unique_prefix()
    reset_engine()
    engine = get_engine()
    assert isinstance(engine, ElasticsearchEngine)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            [before] = publish(matrix, "停机前发布的部门预算")
        assert engine.count() == 1
        assert not OutboxEntry.objects.exists()

        private_node.run("kill")
        assert engine.ping() is False
        with django_capture_on_commit_callbacks(execute=True):
            during = fx.published(
                matrix.user("editor_a"),
                matrix.user("reviewer_a"),
                matrix.agency_a,
                body="停机期间发布的垃圾分类实施方案。",
            )
        during.refresh_from_db()
        assert during.is_public()  # publishing succeeded
        [row] = OutboxEntry.objects.all()
        assert row.object_id == str(during.pk)
        assert row.attempts == 1
        assert "SearchEngineError" in row.last_error
        with pytest.raises(CommandError):
            command("search_check")

        private_node.run("restart")
        assert_catches_up(engine, before, during)
    finally:
        keep_running(private_node, engine)
        with contextlib.suppress(SearchEngineError):
            engine.drop()
        reset_engine()


# --- rebuilds killed half-way --------------------------------------------------

CORPUS = 1200
GENERATION_PREFIX = "search.sqlite3."
SIDE_SUFFIXES = ("-wal", "-shm")


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> Iterator[Installation]:
    """Migrate and seed an installation on the suite's kind of database."""
    var_dir = tmp_path_factory.mktemp("installation")
    database_url = None
    admin_url = None
    name = f"faults_{uuid.uuid4().hex[:8]}"
    if (
        django_settings.DATABASES["default"]["ENGINE"]
        == "django.db.backends.postgresql"
    ):
        import psycopg

        url = urlparse(os.environ["DATABASE_URL"])
        admin_url = url._replace(path="/postgres").geturl()
        database_url = url._replace(path=f"/{name}").geturl()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        site = Installation(var_dir, database_url=database_url)
        site.manage("migrate", "-v0")
        # Published with no index to write to (every test builds its own), so
        # seeding spends no time indexing; the rebuilds drop the outbox rows.
        blocker = var_dir / "not-a-directory"
        blocker.touch()
        site.seed(CORPUS, SEARCH_EMBEDDED_PATH=str(blocker / "search.sqlite3"))
        yield site
    finally:
        if admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def elasticsearch(installation, node) -> Iterator[tuple[ElasticsearchEngine, dict]]:
    """Build a serving index on the private node; yield an engine and settings.

    Each test leaves a complete index behind the alias for the next one.
    """
    _, url = node
    config = {
        "SEARCH_ENGINE": "elasticsearch",
        "ELASTICSEARCH_URL": url,
        "ELASTICSEARCH_INDEX_PREFIX": unique_prefix(),
    }
    engine = ElasticsearchEngine(url, index_prefix=config["ELASTICSEARCH_INDEX_PREFIX"])
    try:
        installation.manage("search_rebuild", "--quiet", **config)
        yield engine, config
    finally:
        with contextlib.suppress(Exception):
            engine.drop()
        engine.close()


def indices(engine: ElasticsearchEngine) -> set[str]:
    return set(engine.client.indices.get(index=f"{engine.alias}-*"))


def aliased(engine: ElasticsearchEngine) -> set[str]:
    return set(engine.client.indices.get_alias(name=engine.alias))


def receiving_documents(engine: ElasticsearchEngine, serving: set[str]):
    """Return a new index that has received documents, or None."""
    for name in indices(engine) - serving:
        stats = engine.client.indices.stats(index=name, metric="indexing")
        primaries = stats["_all"]["primaries"]  # empty while shards start
        if primaries.get("indexing", {}).get("index_total", 0) > 0:
            return name
    return None


def interrupt_when(process, condition, what: str):
    """Wait for ``condition`` while the rebuild still runs; return its value."""

    def check():
        if process.poll() is not None:
            pytest.fail(f"the rebuild ended (exit {process.returncode}) before {what}")
        return condition()

    return wait_for(check, what)


def kill_rebuild_when(installation, config: dict, tmp_path: Path, condition, what: str):
    """Start a rebuild, kill -9 it once ``condition`` holds; return its value."""
    rebuild = installation.start(
        "search_rebuild", "--quiet", output=tmp_path / "rebuild", **config
    )
    try:
        reached = interrupt_when(rebuild, condition, what)
    finally:
        rebuild.kill()
        rebuild.wait()
    assert rebuild.returncode == -signal.SIGKILL
    return reached


def assert_rebuilt_cleanly(installation, engine, config, leftover: str) -> None:
    """Rerun the rebuild: one complete index behind the alias, nothing left over."""
    installation.manage("search_rebuild", "--quiet", **config)
    [current] = aliased(engine)
    assert indices(engine) == {current}  # the half-built index is gone
    assert leftover != current
    assert engine.count() == CORPUS
    installation.check(**config)
    answer = installation.search("公开", **config)
    assert answer["status"] == 200
    assert answer["results"]


@pytest.mark.elasticsearch
def test_killed_elasticsearch_rebuild_reruns_cleanly(
    installation, elasticsearch, tmp_path
):
    """kill -9 mid-bulk: the alias keeps the old index; a rerun cleans up."""
    engine, config = elasticsearch
    serving = aliased(engine)
    half = kill_rebuild_when(
        installation,
        config,
        tmp_path,
        lambda: receiving_documents(engine, serving),
        "the new index received documents",
    )

    assert aliased(engine) == serving  # never swapped
    assert engine.count() == CORPUS  # the old index still serves everything
    assert half in indices(engine)  # left behind until the next rebuild
    assert_rebuilt_cleanly(installation, engine, config, half)


@pytest.mark.elasticsearch
def test_node_dying_mid_rebuild_fails_clearly_then_reruns_cleanly(
    installation, node, elasticsearch, tmp_path
):
    """The node killed mid-bulk: a clear error; after restart old index, rerun."""
    service, _ = node
    engine, config = elasticsearch
    serving = aliased(engine)
    output = tmp_path / "rebuild"
    rebuild = installation.start("search_rebuild", "--quiet", output=output, **config)
    try:
        half = interrupt_when(
            rebuild,
            lambda: receiving_documents(engine, serving),
            "the new index received documents",
        )
        service.run("kill")
        rebuild.wait(timeout=300)
    finally:
        if rebuild.poll() is None:
            rebuild.kill()
            rebuild.wait()
        service.run("restart")  # the module's other tests need the node
    assert rebuild.returncode == 1
    error = output.with_suffix(".err").read_text()
    # The last line is the command's own message (the client logs its retries).
    assert (
        error.strip()
        .splitlines()[-1]
        .startswith("CommandError: search engine unavailable")
    )

    wait_for(lambda: engine.ping(), "the node to answer again")
    assert aliased(engine) == serving
    assert engine.count() == CORPUS
    assert half in indices(engine)  # the failed rebuild could not delete it
    assert_rebuilt_cleanly(installation, engine, config, half)


def generation_files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.name.startswith(GENERATION_PREFIX)}


def filling_generation(directory: Path, serving: str):
    """Return a generation file other than ``serving`` with rows in it, or None."""
    for name in generation_files(directory):
        if name == serving or name.endswith(("-wal", "-shm", "-journal")):
            continue
        uri = f"{(directory / name).as_uri()}?mode=ro"
        try:
            with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=0)) as c:
                (rows,) = c.execute("SELECT count(*) FROM docs").fetchone()
        except sqlite3.Error:
            continue  # still being created, or locked for a commit
        if rows:
            return name
    return None


def test_killed_embedded_rebuild_keeps_serving_and_leaves_no_orphan(
    installation, tmp_path
):
    """kill -9 mid-rebuild: the old generation serves; the rerun removes the orphan."""
    index = tmp_path / "index"
    path = index / "search.sqlite3"
    config = {"SEARCH_ENGINE": "embedded", "SEARCH_EMBEDDED_PATH": str(path)}
    installation.manage("search_rebuild", "--quiet", **config)
    serving = os.readlink(path)

    orphan = kill_rebuild_when(
        installation,
        config,
        tmp_path,
        lambda: filling_generation(index, serving),
        "the new generation file received documents",
    )

    assert os.readlink(path) == serving
    assert orphan in generation_files(index)
    answer = installation.search("公开", **config)
    assert answer["status"] == 200
    assert answer["results"]  # the old generation keeps serving

    installation.manage("search_rebuild", "--quiet", **config)
    current = os.readlink(path)
    assert current not in {serving, orphan}
    assert generation_files(index) <= {current, *(current + s for s in SIDE_SUFFIXES)}
    installation.check(**config)
    assert installation.search("公开", **config)["results"]
