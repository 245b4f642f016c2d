"""Turn a ``SearchDocument`` into the analysed text both engines index.

Three searchable fields, each in two views (see ``search.analysis``):

* ``title`` — the title, weighted highest;
* ``meta`` — document number, index number and keywords, weighted between
  title and body because a match there names the document precisely;
* ``body`` — summary and body.

``*_words`` hold word tokens (scoring, ordinary queries); ``*_pairs`` hold
overlapping character pairs (quoted phrases, unlisted abbreviations,
synonyms that are not dictionary words, one-character queries).  Tokens are
joined by single spaces, the only separator either engine's tokenizer needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.analysis import analyze_field
from search.engines.base import SearchDocument

WORD_SEPARATOR = " "
FIELD_NAMES = ("title", "meta", "body")
WORD_FIELDS = tuple(f"{name}_words" for name in FIELD_NAMES)
PAIR_FIELDS = tuple(f"{name}_pairs" for name in FIELD_NAMES)
# Relative weights of title, meta and body, for BM25 in both engines: a title
# match should outrank many body mentions, as in the government sites' own
# search, and a document number or keyword names the document nearly as well.
FIELD_WEIGHTS = (10.0, 5.0, 1.0)


@dataclass(frozen=True)
class IndexedText:
    """The six analysed strings of one document, in ``WORD_FIELDS`` then
    ``PAIR_FIELDS`` order."""

    title_words: str
    meta_words: str
    body_words: str
    title_pairs: str
    meta_pairs: str
    body_pairs: str

    def as_tuple(self) -> tuple[str, ...]:
        """Return the strings in column order."""
        return (
            self.title_words,
            self.meta_words,
            self.body_words,
            self.title_pairs,
            self.meta_pairs,
            self.body_pairs,
        )

    def as_dict(self) -> dict[str, str]:
        """Return the strings keyed by field name."""
        return dict(zip((*WORD_FIELDS, *PAIR_FIELDS), self.as_tuple(), strict=True))


def meta_text(doc: SearchDocument) -> str:
    """Return the identifying text: document number, index number, keywords."""
    return "\n".join(part for part in (doc.doc_no, doc.index_no, doc.keywords) if part)


def body_text(doc: SearchDocument) -> str:
    """Return the running text: summary, then body."""
    return "\n".join(part for part in (doc.summary, doc.body) if part)


def index_text(doc: SearchDocument) -> IndexedText:
    """Analyse a document's fields once for whichever engine indexes it."""
    title = analyze_field(doc.title)
    meta = analyze_field(meta_text(doc))
    body = analyze_field(body_text(doc))
    join = WORD_SEPARATOR.join
    return IndexedText(
        join(title.words),
        join(meta.words),
        join(body.words),
        join(title.pairs),
        join(meta.pairs),
        join(body.pairs),
    )
