"""The default engine: SQLite FTS5 in a file of its own, no server needed.

Layout of one index file (a *generation*; SQL in ``embedded_sql``):

* ``fts`` — a contentless FTS5 table of the pre-analysed text (six columns:
  title/meta/body × words/pairs, see ``fields``, and a sentinel column with
  one token per row for complements), tokenised on spaces only:
  FTS5's ``ascii`` tokenizer treats every non-ASCII character (Han, 〔〕) as
  part of a token and, with ``tokenchars '.-_'``, keeps abc-123 and 12.5
  whole, so each of our tokens is exactly one FTS5 token;
* ``docs`` — the narrow side table (id, date, facet key), joined with the
  FTS match driving (``CROSS JOIN``), which is what keeps filtered queries
  fast (a wide table or ``rowid IN (subquery)`` is far slower; see
  ``bench/RESULTS.md``, "Design figures");
* ``facet_keys`` and ``agency_paths`` — the filter and facet values, shared
  by all documents with the same combination;
* ``state`` — a version counter every write transaction bumps, keying the
  in-memory bitsets and cached results of every process;
* ``texts`` — the original title and (compressed) body for highlighting,
  which happens in Python because FTS5's ``highlight()`` shows tokens, plus
  the exact column values given to FTS5, which a contentless table needs
  back to delete a row.

A search (``embedded_query``) counts the matches in FTS5, reads their row
ids into a bitset and derives the total and the facets from in-memory
bitsets of the filter values (``embedded_facets``); only a relevance page
runs BM25.  Whole results are cached per index version, so a repeated query
costs a lookup until the index changes.

The configured path is a symbolic link to the current generation.  A rebuild
writes a new generation and swaps the link with ``os.replace``.  Replacing
the database file itself would be unsafe in WAL mode: readers of the old file
keep using ``<path>-wal``, which a new file of the same name would then
inherit.  Each connection remembers which generation it opened and reopens
when the link has moved (checked on every call: a ``readlink`` is cheap).
Connections are per thread, as ``sqlite3`` requires.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from search.analysis import ParsedQuery, analyze_query, sanitize
from search.engines import embedded_sql as sql
from search.engines.base import (
    Hit,
    ProgressCallback,
    SearchDocument,
    SearchEngine,
    SearchEngineError,
    SearchQuery,
    SearchResult,
)
from search.engines.embedded_facets import (
    RESULT_CACHE_ENTRIES,
    DocValues,
    IndexVersion,
    ResultCache,
)
from search.engines.embedded_query import EXACT_RANK_LIMIT, search_rows
from search.engines.embedded_sql import fts_expression, fts_string
from search.engines.fields import IndexedText, index_text
from search.engines.highlight import highlight

__all__ = ["EmbeddedEngine", "fts_expression", "fts_string", "open_generation"]

BUSY_TIMEOUT_SECONDS = 10.0
# Documents analysed and written per transaction: large enough to amortise
# the commit, small enough to keep the write lock short.
INDEX_BATCH = 500
ID_BATCH = 10_000
# zlib level 1 compresses Chinese text nearly as well as level 6, far faster.
COMPRESSION_LEVEL = 1
CACHE_SIZE_KIB = 65_536
MMAP_SIZE_BYTES = 256 * 1024 * 1024
OPEN_ATTEMPTS = 3
# Joins the six FTS column values stored for deletion; never inside a token
# because analysis turns control characters into spaces.
VALUE_SEPARATOR = "\x1f"
MS_PER_SECOND = 1000.0
SIDE_FILES = ("", "-wal", "-shm", "-journal")

OUTDATED_SCHEMA = "the search index file is outdated: run manage.py search_rebuild"
NO_INDEX_FILE = "the search index file could not be opened"
DISK_FULL = "disk full: the search index {path} cannot be written ({error})"
# A generation file (see ``_new_generation``) and its side files or temporary link.
GENERATION_FILE = (
    r"\.?({name}\.\d{{8}}T\d{{6}}-[0-9a-f]{{8}})(?:-wal|-shm|-journal|\.link)?"
)


def _compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), COMPRESSION_LEVEL)


def _decompress(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def _batches(items: Iterable[object], size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _is_disk_full(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or getattr(error, "errno", None) in (
        errno.ENOSPC,
        errno.EDQUOT,
    )


@contextlib.contextmanager
def _engine_errors(path: Path | None = None) -> Iterator[None]:
    """Report SQLite and file-system failures as ``SearchEngineError``.

    A full disk names the index file, so the operator knows what to free.
    """
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        if _is_disk_full(error):
            where = path or "file"
            raise SearchEngineError(
                DISK_FULL.format(path=where, error=error)
            ) from error
        raise SearchEngineError(str(error)) from error


def open_generation(file: Path) -> sqlite3.Connection:
    """Open a generation file for reading and writing, tuned for searching.

    Raise ``SearchEngineError`` if its schema is not this engine's.
    """
    # mode=rw: never create a file, e.g. a generation deleted by a rebuild
    # between reading the link and opening it (the caller retries).
    conn = sqlite3.connect(
        f"{file.as_uri()}?mode=rw",
        uri=True,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
    )
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version != sql.SCHEMA_VERSION:
            raise SearchEngineError(OUTDATED_SCHEMA)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        conn.execute(f"PRAGMA mmap_size = {MMAP_SIZE_BYTES}")
    except BaseException:
        conn.close()
        raise
    return conn


class EmbeddedEngine(SearchEngine):
    """Search with SQLite FTS5 in the file (symbolic link) at ``path``."""

    name = "embedded"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        result_cache: int = RESULT_CACHE_ENTRIES,
        exact_rank_limit: int = EXACT_RANK_LIMIT,
    ) -> None:
        """Remember the path; files are created on first use."""
        self.path = Path(path).absolute()
        self.exact_rank_limit = exact_rank_limit
        self.results = ResultCache(result_cache)
        self._local = threading.local()
        self._values: DocValues | None = None
        self._values_lock = threading.Lock()

    # --- files and connections ------------------------------------------------

    def _new_generation(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(4)
        return self.path.with_name(f"{self.path.name}.{stamp}")

    def _create_database(self, file: Path, *, wal: bool) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(file, isolation_level=None)
        try:
            conn.executescript(sql.SCHEMA)
            conn.execute(f"PRAGMA user_version = {sql.SCHEMA_VERSION}")
            if wal:
                conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()

    def _remove_files(self, file: Path, suffixes: tuple[str, ...] = SIDE_FILES) -> None:
        for suffix in suffixes:
            with contextlib.suppress(FileNotFoundError):
                file.with_name(file.name + suffix).unlink()

    def _create_initial(self) -> None:
        """Create an empty generation and link it, unless another process won."""
        generation = self._new_generation()
        self._create_database(generation, wal=True)
        try:
            os.symlink(generation.name, self.path)
        except FileExistsError:
            self._remove_files(generation)

    def _target(self) -> Path:
        """Return the generation file the path points at, creating one if none."""
        for _ in range(OPEN_ATTEMPTS):
            try:
                return self.path.parent / os.readlink(self.path)
            except FileNotFoundError:
                self._create_initial()
            except OSError as error:
                if error.errno != errno.EINVAL:
                    raise
                return self.path  # a plain database file, used as it is
        raise SearchEngineError(NO_INDEX_FILE)

    def _conn(self) -> sqlite3.Connection:
        """Return this thread's connection to the current generation."""
        for _ in range(OPEN_ATTEMPTS):
            target = self._target()
            state = getattr(self._local, "state", None)
            if state is not None and state[0] == target:
                return state[1]
            self.close()
            try:
                conn = open_generation(target)
            except sqlite3.OperationalError:
                continue  # swapped and deleted meanwhile: read the link again
            self._local.state = (target, conn)
            return conn
        raise SearchEngineError(NO_INDEX_FILE)

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        state = getattr(self._local, "state", None)
        if state is not None:
            self._local.state = None
            state[1].close()

    @contextlib.contextmanager
    def _transaction(self, conn: sqlite3.Connection, begin: str) -> Iterator[None]:
        conn.execute(begin)
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- writing ----------------------------------------------------------------

    def _facet_key(self, conn: sqlite3.Connection, doc: SearchDocument) -> int:
        path = sql.PATH_SEPARATOR.join(doc.agency_codes)
        values = (path, doc.topic, doc.year, str(doc.doc_type))
        conn.execute(sql.FACET_KEY_INSERT, values)
        conn.executemany(
            sql.AGENCY_PATH_INSERT, [(code, path) for code in doc.agency_codes]
        )
        (key,) = conn.execute(sql.FACET_KEY_SELECT, values).fetchone()
        return key

    def _unindex(self, conn: sqlite3.Connection, rowid: int, facet_key: int) -> None:
        """Remove a row's FTS entry and its facet count (not the docs row)."""
        stored = conn.execute("SELECT indexed FROM texts WHERE rowid = ?", (rowid,))
        row = stored.fetchone()
        if row is not None:
            values = _decompress(row[0]).split(VALUE_SEPARATOR)
            conn.execute(sql.FTS_DELETE, (rowid, *values, sql.EVERY_TOKEN))
        conn.execute(sql.FACET_KEY_COUNT, (-1, facet_key))

    def _upsert(
        self, conn: sqlite3.Connection, doc: SearchDocument, text: IndexedText
    ) -> None:
        key = self._facet_key(conn, doc)
        published = doc.published_on.isoformat()
        found = conn.execute(
            "SELECT rowid, facet_key FROM docs WHERE doc_id = ?", (doc.id,)
        ).fetchone()
        if found is None:
            cursor = conn.execute(
                "INSERT INTO docs (doc_id, facet_key, published_on) VALUES (?, ?, ?)",
                (doc.id, key, published),
            )
            rowid = cursor.lastrowid
        else:
            rowid = found[0]
            self._unindex(conn, rowid, found[1])
            conn.execute(
                "UPDATE docs SET facet_key = ?, published_on = ? WHERE rowid = ?",
                (key, published, rowid),
            )
        conn.execute(sql.FACET_KEY_COUNT, (1, key))
        values = text.as_tuple()
        conn.execute(
            "INSERT OR REPLACE INTO texts (rowid, title, body, indexed)"
            " VALUES (?, ?, ?, ?)",
            (
                rowid,
                sanitize(doc.title),
                _compress(sanitize(doc.body)),
                _compress(VALUE_SEPARATOR.join(values)),
            ),
        )
        conn.execute(sql.FTS_INSERT, (rowid, *values, sql.EVERY_TOKEN))

    def _write_batches(
        self,
        conn: sqlite3.Connection,
        docs: Iterable[SearchDocument],
        progress: ProgressCallback | None = None,
    ) -> int:
        written = 0
        for batch in _batches(docs, INDEX_BATCH):
            # Analyse before taking the write lock, which other writers wait on.
            analysed = [(doc, index_text(doc)) for doc in batch]
            with self._transaction(conn, "BEGIN IMMEDIATE"):
                conn.execute(sql.VERSION_BUMP)
                for doc, text in analysed:
                    self._upsert(conn, doc, text)
            written += len(analysed)
            if progress is not None:
                progress(written)
        return written

    def index(self, docs: Iterable[SearchDocument], *, refresh: bool = True) -> int:
        """Add or replace documents; they are searchable at once in SQLite."""
        with _engine_errors(self.path):
            return self._write_batches(self._conn(), docs)

    def delete(self, ids: Iterable[str], *, refresh: bool = True) -> None:
        """Remove documents by id; unknown ids are ignored."""
        with _engine_errors(self.path):
            conn = self._conn()
            for batch in _batches(ids, INDEX_BATCH):
                with self._transaction(conn, "BEGIN IMMEDIATE"):
                    conn.execute(sql.VERSION_BUMP)
                    for doc_id in batch:
                        found = conn.execute(
                            "SELECT rowid, facet_key FROM docs WHERE doc_id = ?",
                            (doc_id,),
                        ).fetchone()
                        if found is None:
                            continue
                        self._unindex(conn, *found)
                        conn.execute("DELETE FROM texts WHERE rowid = ?", found[:1])
                        conn.execute("DELETE FROM docs WHERE rowid = ?", found[:1])

    # --- reading ----------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Run the query in one read transaction, so all counts agree."""
        started = time.perf_counter()
        with _engine_errors():
            conn = self._conn()
            with self._transaction(conn, "BEGIN"):
                version = self._version(conn)
                key = (version, query)
                result = self.results.get(key)
                if not isinstance(result, SearchResult):
                    parsed = analyze_query(query.text)
                    values = self._doc_values(conn, version)
                    total, rows, facets = search_rows(
                        conn, values, query, parsed, self.exact_rank_limit
                    )
                    hits = self._hits(conn, rows, parsed)
                    result = SearchResult(total, hits, facets, 0.0)
                    self.results.put(key, result)
        took_ms = (time.perf_counter() - started) * MS_PER_SECOND
        return SearchResult(result.total, result.hits, result.facets, took_ms)

    def _version(self, conn: sqlite3.Connection) -> IndexVersion:
        (counter,) = conn.execute(sql.VERSION_SELECT).fetchone()
        return (str(self._local.state[0]), counter)

    def _doc_values(self, conn: sqlite3.Connection, version: IndexVersion) -> DocValues:
        """Return the bitsets of ``version``, reading them if this one is new."""
        values = self._values
        if values is not None and values.version == version:
            return values
        with self._values_lock:  # one thread reads them, the others wait
            values = self._values
            if values is None or values.version != version:
                values = DocValues.load(conn, version, sql.PATH_SEPARATOR)
                self._values = values
        return values

    def _hits(
        self, conn: sqlite3.Connection, rows: list[tuple], parsed: ParsedQuery
    ) -> list[Hit]:
        if not rows:
            return []
        rowids = tuple(row[0] for row in rows)
        texts = {
            rowid: (title, _decompress(body))
            for rowid, title, body in conn.execute(
                "SELECT rowid, title, body FROM texts"  # noqa: S608 - placeholders only
                f" WHERE rowid IN ({sql.placeholders(rowids)})",
                rowids,
            )
        }
        return [
            Hit(doc_id, 0.0 - score, highlight(parsed, *texts.get(rowid, ("", ""))))
            for rowid, doc_id, score in rows
        ]

    def count(self) -> int:
        """Return how many documents are indexed."""
        with _engine_errors():
            (total,) = self._conn().execute("SELECT count(*) FROM docs").fetchone()
        return total

    def all_ids(self) -> Iterator[str]:
        """Yield every document id in id order, a batch per statement."""
        last = ""
        while True:
            with _engine_errors():
                batch = [
                    doc_id
                    for (doc_id,) in self._conn().execute(sql.ID_PAGE, (last, ID_BATCH))
                ]
            yield from batch
            if len(batch) < ID_BATCH:
                return
            last = batch[-1]

    def ping(self) -> bool:
        """Return whether the index file opens and answers."""
        try:
            self._conn().execute("SELECT 1 FROM docs LIMIT 1").fetchall()
        except (sqlite3.Error, OSError, SearchEngineError):
            return False
        return True

    # --- rebuilding -------------------------------------------------------------

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Write a new generation file, then point the path at it atomically.

        One rebuild at a time per index (a lock beside it), and each first
        deletes what a crashed one left behind; a failed one removes its file.
        """
        generation = self._new_generation()
        with _engine_errors(self.path), self._rebuild_lock():
            self._remove_stale_generations()
            try:
                self._create_database(generation, wal=False)
                count = self._fill(generation, docs, progress)
            except BaseException:
                self._remove_files(generation)
                raise
            self._swap(generation)
        return count

    @contextlib.contextmanager
    def _rebuild_lock(self) -> Iterator[None]:
        """Hold this index's rebuild lock (released by the kernel on a crash)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(f".{self.path.name}.rebuild-lock")
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def _remove_stale_generations(self) -> None:
        """Delete generation files no link points at (a crashed rebuild's).

        Safe under the rebuild lock once the link exists: no other rebuild is
        filling one, and ``_create_initial`` only links a file while none does.
        """
        current = self._target().name
        pattern = re.compile(GENERATION_FILE.format(name=re.escape(self.path.name)))
        for file in self.path.parent.iterdir():
            found = pattern.fullmatch(file.name)
            if found is not None and found.group(1) != current:
                file.unlink(missing_ok=True)

    def _fill(
        self,
        generation: Path,
        docs: Iterable[SearchDocument],
        progress: ProgressCallback | None,
    ) -> int:
        conn = sqlite3.connect(generation, isolation_level=None)
        try:
            # Nobody reads this file until the swap, and a crash just leaves a
            # file to delete, so skip the journal while loading.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
            count = self._write_batches(conn, docs, progress)
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        fd = os.open(generation, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return count

    def _swap(self, generation: Path) -> None:
        previous: Path | None
        try:
            previous = self._target()
        except SearchEngineError:
            previous = None
        link = self.path.with_name(f".{generation.name}.link")
        os.symlink(generation.name, link)
        os.replace(link, self.path)
        if previous is None or previous == generation:
            return
        # Open connections keep the unlinked file until they notice the new
        # link on their next call and reopen.
        if previous == self.path:  # a plain file, now replaced by the link
            self._remove_files(previous, SIDE_FILES[1:])
        else:
            self._remove_files(previous)

    def clear(self) -> None:
        """Swap in an empty generation."""
        self.rebuild(())
