"""SQL of the embedded engine: schema, FTS5 expressions and filters.

Only fixed identifiers and ``?`` placeholders are ever interpolated into SQL
here; every value — and every user-typed token, quoted as an FTS5 string — is
bound.  Hence the ``S608`` exemptions.

Filter and facet values live in ``facet_keys``, one row per distinct
(agency path, topic, year, type) combination, with the number of documents
holding it; ``docs`` keeps only the key, the date and the id, so a search
touches one narrow row per match.  Facet counts are not computed here but
from bitsets (``embedded_facets``); the SQL filters serve the BM25 page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from search.analysis import ParsedQuery, Term, TermKind
from search.engines.base import Facet, SearchQuery
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
MATCH_ROWIDS = "SELECT rowid FROM fts WHERE fts MATCH ?"
MATCH_SCORED = f"SELECT rowid, {BM25} FROM fts WHERE fts MATCH ?"  # noqa: S608
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
MATCH_BASE = "fts CROSS JOIN docs AS d ON d.rowid = fts.rowid"
# Ties break on the date, then the id: the order of ``DocValues.newest``.
RELEVANCE_ORDER = "rank_score, d.published_on DESC, d.doc_id DESC"
_WORD_COLUMNS = "{" + " ".join(WORD_FIELDS) + "}"
_PAIR_COLUMNS = "{" + " ".join(PAIR_FIELDS) + "}"
_AGENCY_CONDITION = (
    "k.agency_path IN (SELECT agency_path FROM agency_paths WHERE agency IN ({}))"
)


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
        for group in parsed.groups
    )


@dataclass(frozen=True)
class Clause:
    """A piece of SQL with its bound values."""

    sql: str
    params: tuple[object, ...] = ()


def placeholders(values: tuple[object, ...]) -> str:
    """Return ``?, ?, …`` for ``values``."""
    return ", ".join("?" for _ in values)


def where(clauses: Iterable[Clause | None]) -> Clause:
    """Join clauses with AND into a ``WHERE`` (empty when there are none)."""
    active = [clause for clause in clauses if clause is not None]
    sql = " AND ".join(clause.sql for clause in active)
    params: tuple[object, ...] = sum((clause.params for clause in active), ())
    return Clause(f" WHERE {sql}" if sql else "", params)


def key_conditions(query: SearchQuery) -> dict[Facet, Clause]:
    """Return each active facet filter as a condition on ``facet_keys AS k``."""
    conditions: dict[Facet, Clause] = {}
    if query.agencies:
        sql = _AGENCY_CONDITION.format(placeholders(query.agencies))
        conditions[Facet.AGENCY] = Clause(sql, query.agencies)
    for facet, column, values in (
        (Facet.TOPIC, "k.topic", query.topics),
        (Facet.YEAR, "k.year", query.years),
        (Facet.DOC_TYPE, "k.doc_type", tuple(str(t) for t in query.doc_types)),
    ):
        if values:
            conditions[facet] = Clause(f"{column} IN ({placeholders(values)})", values)
    return conditions


def date_clause(query: SearchQuery) -> Clause | None:
    """Return the publication-date range as a condition on ``docs AS d``."""
    parts: list[Clause] = []
    if query.date_from:
        parts.append(Clause("d.published_on >= ?", (query.date_from.isoformat(),)))
    if query.date_to:
        parts.append(Clause("d.published_on <= ?", (query.date_to.isoformat(),)))
    if not parts:
        return None
    return Clause(
        " AND ".join(p.sql for p in parts), sum((p.params for p in parts), ())
    )


def doc_filters(conditions: dict[Facet, Clause], date: Clause | None) -> list[Clause]:
    """Return every filter as conditions on ``docs AS d``."""
    clauses = [date] if date else []
    if conditions:
        keys = where(conditions.values())
        clauses.append(
            Clause(
                f"d.facet_key IN (SELECT k.key FROM facet_keys AS k{keys.sql})",  # noqa: S608
                keys.params,
            )
        )
    return clauses
