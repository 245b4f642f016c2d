"""Fault tests: the disk holding the embedded index fills up.

The index lives on a small tmpfs of its own, filled to the last byte by a
filler file, so SQLite meets a genuine ``ENOSPC`` (``SQLITE_FULL``): no
simulated error, and the database (elsewhere) keeps all its space.

* Publishing on a full index disk succeeds; the immediate index update fails
  with a clear "disk full" error naming the index file, which is logged and
  kept in the outbox row; ``search_check`` reports the difference; once space
  is freed, ``search_sync`` applies the row and ``search_check`` is clean.
* ``search_rebuild`` on a full disk fails with the same clear error, the old
  index keeps serving and no partial generation file is left behind; once
  space is freed the rebuild succeeds.

Mounting needs root (CI runs ``make test`` as root); where mounting is not
permitted the tests skip and say why.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from django.core.management import CommandError

from search.engines import get_engine, reset_engine
from search.engines.base import SearchQuery
from search.models import OutboxEntry
from tests.requests_ import factories as fx
from tests.search.test_faults import (
    SEED_WORDS,
    assert_catches_up,
    command,
)
from tests.search.test_sync import publish

pytestmark = pytest.mark.django_db

DISK_SIZE = "4m"
FILL_CHUNKS = (1 << 20, 1 << 12, 1)
MAX_FILL = 64 << 20  # far more than the disk holds
DISK_FULL = "disk full"


class SmallDisk:
    """A mounted tmpfs that can be filled up and freed again."""

    def __init__(self, mountpoint: Path) -> None:
        self.mountpoint = mountpoint
        self.filler = mountpoint / "filler"

    def fill(self) -> None:
        """Write until the file system refuses another byte."""
        with self.filler.open("ab", buffering=0) as out:
            for size in FILL_CHUNKS:
                chunk = b"\0" * size
                with contextlib.suppress(OSError):
                    for _ in range(MAX_FILL // size):  # bounded
                        out.write(chunk)
            with pytest.raises(OSError, match="No space left") as refused:
                out.write(b"\0")
        assert refused.value.errno == errno.ENOSPC

    def free(self) -> None:
        self.filler.unlink()

    def index_files(self) -> set[str]:
        """Return the index's files (generations, side files), not the lock."""
        return {
            p.name
            for p in self.mountpoint.iterdir()
            if p.name.startswith("search.sqlite3")
        }


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """Mount a small tmpfs for the index; unmount it afterwards."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() != 0 or not mount or not umount:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    done = subprocess.run(  # noqa: S603 - fixed argv
        [
            mount,
            "-t",
            "tmpfs",
            "-o",
            f"size={DISK_SIZE},mode=0700",
            "tmpfs",
            mountpoint,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield SmallDisk(mountpoint)
    finally:
        reset_engine()  # close the index connections before unmounting
        subprocess.run([umount, mountpoint], check=True)  # noqa: S603


@pytest.fixture
def engine(disk, settings):
    """The project's embedded engine, its index file on the small disk."""
    settings.SEARCH_ENGINE = "embedded"
    settings.SEARCH_EMBEDDED_PATH = disk.mountpoint / "search.sqlite3"
    reset_engine()
    return get_engine()


def long_body() -> str:
    """Return text that needs fresh pages in the index, whatever it reuses."""
    rng = random.Random(8)
    return "".join(rng.choice(SEED_WORDS) for _ in range(3000))


def test_publishing_on_a_full_index_disk_keeps_the_row_and_catches_up(
    matrix, engine, disk, caplog, django_capture_on_commit_callbacks
):
    """Disk full: publication commits, the row keeps a clear error; freed: synced."""
    with django_capture_on_commit_callbacks(execute=True):
        [before] = publish(matrix, "磁盘写满前发布的部门预算")
    assert engine.count() == 1

    disk.fill()
    with (
        caplog.at_level(logging.WARNING, logger="search"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        during = fx.published(
            matrix.user("editor_a"),
            matrix.user("reviewer_a"),
            matrix.agency_a,
            body="磁盘写满时发布的垃圾分类实施方案。" + long_body(),
        )
    during.refresh_from_db()
    assert during.is_public()  # the database is unaffected
    [row] = OutboxEntry.objects.all()
    assert row.object_id == str(during.pk)
    assert row.attempts == 1
    assert DISK_FULL in row.last_error
    assert str(disk.mountpoint / "search.sqlite3") in row.last_error
    assert any(DISK_FULL in record.getMessage() for record in caplog.records)
    with pytest.raises(CommandError):
        command("search_check")
    assert engine.search(SearchQuery(text="部门预算")).total == 1  # reads still work

    disk.free()
    assert_catches_up(engine, before, during)


def test_rebuild_on_a_full_disk_fails_clearly_and_keeps_the_old_index(
    matrix, engine, disk, django_capture_on_commit_callbacks
):
    """Disk full: the rebuild fails clearly, leaves no file, the old index serves."""
    with django_capture_on_commit_callbacks(execute=True):
        [disclosure] = publish(matrix, "重建前发布的部门预算")
    serving = disk.index_files()

    disk.fill()
    with pytest.raises(CommandError) as failed:
        command("search_rebuild", "--quiet")
    message = str(failed.value)
    assert message.startswith("search engine unavailable: disk full")
    assert str(disk.mountpoint / "search.sqlite3") in message
    assert disk.index_files() == serving  # no partial generation left behind
    hits = engine.search(SearchQuery(text="部门预算")).hits
    assert [hit.id for hit in hits] == [f"disclosure:{disclosure.pk}"]

    disk.free()
    assert "indexed 1 documents" in command("search_rebuild", "--quiet")
    assert "index and database agree" in command("search_check")
    assert engine.search(SearchQuery(text="部门预算")).total == 1
