"""Fault test: publishing while Elasticsearch is down loses nothing.

Publish while the node is stopped → the publication succeeds and the outbox
keeps the row; start the node, run ``search_sync`` → index and database agree
(``search_check`` clean).

Why a private node: the node named by ``ELASTICSEARCH_URL`` is shared by the rest
of the suite and, on a development machine, by other test runs at the same
time; killing it would fail them.  ``scripts/elasticsearch`` keeps its state
beside the project root it lives in, so a copy of the script under ``tmp_path``
controls a second, independent node with the documented fault-injection
sequence (``kill``, assertions against the dead node, ``restart`` on the same
port with the same data).  It costs about 45 s (start and restart) and needs no
test ordering.  The test runs wherever Elasticsearch can: when
``ELASTICSEARCH_URL`` is set or ``GONGKAI_REQUIRE_ELASTICSEARCH=1`` (CI), where
a node that cannot be started, killed or restarted fails it; elsewhere it skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command
from django.utils import timezone

from search.engines import get_engine, reset_engine
from search.engines.base import SearchEngineError, SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine
from search.models import OutboxEntry
from tests.engines.support import REQUIRE_VARIABLE, URL_VARIABLE, unique_prefix
from tests.requests_ import factories as fx
from tests.search.test_sync import publish

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT_TIMEOUT = 240
MAX_BACKOFF_WAIT = 60.0


class PrivateNode:
    """A node of this test's own, driven by a copy of ``scripts/elasticsearch``."""

    def __init__(self, root: Path) -> None:
        self.scripts = root / "scripts"
        self.scripts.mkdir(parents=True)
        for name in ("elasticsearch", "_lib.sh"):
            shutil.copy2(PROJECT / "scripts" / name, self.scripts / name)

    def run(self, command: str) -> str:
        done = subprocess.run(  # noqa: S603 - the project's own script
            [str(self.scripts / "elasticsearch"), command],
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"scripts/elasticsearch {command} failed:\n{done.stderr}")
        return done.stdout.strip()


@pytest.fixture
def private_node(tmp_path: Path) -> Iterator[PrivateNode]:
    if not os.environ.get(URL_VARIABLE) and os.environ.get(REQUIRE_VARIABLE) != "1":
        pytest.skip(f"no Elasticsearch here ({URL_VARIABLE} unset)")
    node = PrivateNode(tmp_path / "es")
    try:
        yield node
    finally:
        node.run("stop")


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


def test_publishing_while_elasticsearch_is_down_loses_nothing(
    matrix, settings, private_node, django_capture_on_commit_callbacks
):
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = private_node.run("start")
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
        wait_until_due()
        assert command("search_sync") == "applied 1, failed 0\n"

        assert not OutboxEntry.objects.exists()
        assert "index and database agree" in command("search_check")
        hits = engine.search(SearchQuery(text="垃圾分类")).hits
        assert [hit.id for hit in hits] == [f"disclosure:{during.pk}"]
        assert f"disclosure:{before.pk}" in set(engine.all_ids())
    finally:
        with contextlib.suppress(SearchEngineError):
            engine.drop()
        reset_engine()
