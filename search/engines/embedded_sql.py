"""SQL of the embedded engine: schema, FTS5 expressions and filters.

Only fixed identifiers and ``?`` placeholders are ever interpolated into SQL
here; every value — and every user-typed token, quoted as an FTS5 string — is
bound.  Hence the ``S608`` exemptions.

Filter and facet values live in ``facet_keys``, one row per distinct
(agency path, topic, year, type) combination, with the number of documents
holding it; ``docs`` keeps only the key, the date and the id.  Filters and facet counts
are not computed in SQL but from bitsets (``embedded_facets``).
"""

from __future__ import annotations

from collections.abc import Iterable

from search.analysis import ParsedQuery, Term, TermKind
from search.engines.fields import FIELD_WEIGHTS, PAIR_FIELDS, WORD_FIELDS

SCHEMA_VERSION = 5
# A column holding one token in every row, so FTS5 can list the rows that do
# *not* match a query (``every NOT query``; FTS5 has no unary NOT).  Queries
# always name their columns, so no user text ever matches it.
EVERY_COLUMN = "every"
EVERY_TOKEN = "_"  # noqa: S105 - a token, not a secret
FTS_COLUMNS = (*WORD_FIELDS, *PAIR_FIELDS, EVERY_COLUMN)
# Agency codes of a path are joined with a control character, which never
# occurs in a code.
PATH_SEPARATOR = "\x1f"

# Every write transaction bumps the counter: it keys the bitsets and cached
# results of every process reading the file.
STATE_SCHEMA = """
CREATE TABLE state (version INTEGER NOT NULL);
INSERT INTO state (version) VALUES (0);
"""
SCHEMA = f"""
CREATE TABLE facet_keys (
    key INTEGER PRIMARY KEY,
    agency_path TEXT NOT NULL,
    topic TEXT NOT NULL,
    year INTEGER NOT NULL,
    doc_type TEXT NOT NULL,
    doc_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (agency_path, topic, year, doc_type)
);
CREATE TABLE agency_paths (
    agency TEXT NOT NULL,
    agency_path TEXT NOT NULL,
    PRIMARY KEY (agency, agency_path)
) WITHOUT ROWID;
CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    facet_key INTEGER NOT NULL REFERENCES facet_keys (key),
    published_on TEXT NOT NULL
);
CREATE INDEX docs_by_date ON docs (published_on, doc_id);
CREATE INDEX docs_by_key ON docs (facet_key, published_on);
CREATE TABLE texts (
    rowid INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body BLOB NOT NULL,
    indexed BLOB NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5 (
    {", ".join(FTS_COLUMNS)},
    content='',
    tokenize="ascii tokenchars '.-_'"
);
{STATE_SCHEMA}"""

# The sentinel column weighs nothing (a missing weight would count as 1.0).
BM25 = "bm25(fts, {}, 0.0)".format(", ".join(str(w) for w in FIELD_WEIGHTS * 2))
VERSION_SELECT = "SELECT version FROM state"
VERSION_BUMP = "UPDATE state SET version = version + 1"
MATCH_COUNT = "SELECT count(*) FROM fts WHERE fts MATCH ?"
MATCH_ROWID_LIST = "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?"
MATCH_TOP_BY_SCORE = (
    f"SELECT rowid, {BM25} AS score FROM fts WHERE fts MATCH ?"  # noqa: S608
    " ORDER BY score LIMIT ?"
)
# A per-query Python function of the row id (``embedded_query``): notes each
# match and tells whether the row passes the filters, before BM25 runs.
KEEP_FUNCTION = "gongkai_keep"
MATCH_SCORED_KEPT = (
    f"SELECT rowid, {BM25} FROM fts"  # noqa: S608
    f" WHERE fts MATCH ? AND {KEEP_FUNCTION}(rowid)"
)
_FTS_PLACEHOLDERS = ", ".join("?" for _ in FTS_COLUMNS)
FTS_INSERT = (
    f"INSERT INTO fts (rowid, {', '.join(FTS_COLUMNS)})"  # noqa: S608
    f" VALUES (?, {_FTS_PLACEHOLDERS})"
)
FTS_DELETE = (
    f"INSERT INTO fts (fts, rowid, {', '.join(FTS_COLUMNS)})"  # noqa: S608
    f" VALUES ('delete', ?, {_FTS_PLACEHOLDERS})"
)
FACET_KEY_INSERT = (
    "INSERT OR IGNORE INTO facet_keys (agency_path, topic, year, doc_type)"
    " VALUES (?, ?, ?, ?)"
)
FACET_KEY_SELECT = (
    "SELECT key FROM facet_keys"
    " WHERE agency_path = ? AND topic = ? AND year = ? AND doc_type = ?"
)
FACET_KEY_COUNT = "UPDATE facet_keys SET doc_count = doc_count + ? WHERE key = ?"
AGENCY_PATH_INSERT = (
    "INSERT OR IGNORE INTO agency_paths (agency, agency_path) VALUES (?, ?)"
)
ID_PAGE = "SELECT doc_id FROM docs WHERE doc_id > ? ORDER BY doc_id LIMIT ?"
_WORD_COLUMNS = "{" + " ".join(WORD_FIELDS) + "}"
_PAIR_COLUMNS = "{" + " ".join(PAIR_FIELDS) + "}"


def fts_string(tokens: Iterable[str]) -> str:
    """Quote tokens as one FTS5 string, so no input is read as FTS5 syntax."""
    return '"' + " ".join(token.replace('"', '""') for token in tokens) + '"'


def _fts_term(term: Term) -> str:
    if term.kind is TermKind.WORD:
        return f"{_WORD_COLUMNS} : {fts_string(term.tokens)}"
    pairs = term.pairs
    if not pairs:  # one character: the pairs it starts
        return f"{_PAIR_COLUMNS} : {fts_string(term.tokens)} *"
    return f"{_PAIR_COLUMNS} : {fts_string(pairs)}"


def complement(expression: str) -> str:
    """Return the expression matching exactly the rows ``expression`` does not."""
    return f'{{{EVERY_COLUMN}}} : "{EVERY_TOKEN}" NOT ({expression})'


def fts_expression(parsed: ParsedQuery) -> str:
    """Return the MATCH expression: every group required, alternatives OR-ed."""
    return " AND ".join(
        "(" + " OR ".join(_fts_term(term) for term in group) + ")"
        for group in parsed.matching_groups()
    )


def placeholders(values: tuple[object, ...]) -> str:
    """Return ``?, ?, …`` for ``values``."""
    return ", ".join("?" for _ in values)
