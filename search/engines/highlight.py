"""Mark query terms in the original text, the same way for both engines.

Engines' own highlighters show what they indexed (FTS5's ``highlight()``
shows segmented tokens, Elasticsearch's differs per field), so both engines
call this instead: the query terms are found in a normalised *view* of the
original text that keeps one character per original character, and the
matches are marked in the original, HTML-escaped.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from search.analysis import (
    DOC_NO_TOKEN_RE,
    ParsedQuery,
    Term,
    TermKind,
    sanitize,
    t2s_converter,
)

TITLE = "title"
BODY = "body"
SNIPPET_CHARS = 120
# Context kept before the first match so the snippet reads as a sentence.
SNIPPET_LEAD_CHARS = 20
# Candidate windows examined when choosing the snippet; beyond this the
# earliest best window is good enough and the cost stays bounded.
MAX_SNIPPET_ANCHORS = 64
ELLIPSIS = "…"
MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
# Punctuation and spaces allowed between the characters of a phrase, since
# phrases match across them (the pair view drops them).
PHRASE_GAP = r"[\W_]{0,8}"
ASCII_WORD_CHARS = "0-9a-z"
_WHITESPACE_RE = re.compile(r"\s+")
_DOC_NO_OPEN = r"[\[(【〔〖]"
_DOC_NO_CLOSE = r"[\])】〕〗]"
QUERY_PATTERN_CACHE_SIZE = 256


class _MatchTable(dict[int, str]):
    """Map each code point to one normalised character, learnt on demand.

    NFKC can turn one character into several (… → ...); the view keeps the
    original then, so offsets in the view are offsets in the original text.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        safe = sanitize(char)
        if len(safe) != 1:
            value = " "
        else:
            value = unicodedata.normalize("NFKC", safe).lower()
            if len(value) != 1:
                value = char.lower() if len(char.lower()) == 1 else char
        self[code] = value
        return value


_MATCH_TABLE = _MatchTable()


def match_view(text: str) -> str:
    """Return a normalised copy of ``text`` with exactly the same length."""
    view = text.translate(_MATCH_TABLE)
    simplified = t2s_converter().convert(view) if view else view
    # OpenCC maps a few phrases to a different length; keep alignment then.
    return simplified if len(simplified) == len(view) else view


def _guarded(pattern: str, text: str) -> str:
    """Stop an ASCII word or number from matching inside a longer one."""
    if text[:1].isascii() and text[:1].isalnum():
        pattern = f"(?<![{ASCII_WORD_CHARS}])" + pattern
    if text[-1:].isascii() and text[-1:].isalnum():
        pattern += f"(?![{ASCII_WORD_CHARS}])"
    return pattern


def term_pattern(term: Term) -> str:
    """Return a regular expression finding ``term`` in a ``match_view``."""
    doc_no = DOC_NO_TOKEN_RE.match(term.text)
    if term.kind is TermKind.WORD and doc_no:
        year, serial = doc_no.groups()
        return (
            rf"{_DOC_NO_OPEN}\s*{year}\s*{_DOC_NO_CLOSE}\s*第?\s*0*{serial}(?!\d)\s*号?"
        )
    if term.kind is TermKind.WORD:
        return _guarded(re.escape(term.text), term.text)
    inner = PHRASE_GAP.join(re.escape(token) for token in term.tokens)
    return _guarded(inner, term.tokens[0][:1] + term.tokens[-1][-1:])


@functools.lru_cache(maxsize=QUERY_PATTERN_CACHE_SIZE)
def query_pattern(
    parsed: ParsedQuery,
) -> tuple[re.Pattern[str] | None, tuple[int, ...]]:
    """Compile one alternation of every term, longest first.

    Return the pattern and, per capturing group, the index of the query group
    the term belongs to (synonyms of one word count as one when choosing a
    snippet).
    """
    entries = [
        (len(term.text), index, term_pattern(term))
        for index, group in enumerate(parsed.groups)
        for term in group
    ]
    if not entries:
        return None, ()
    entries.sort(key=lambda entry: -entry[0])
    pattern = "|".join(f"({source})" for _, _, source in entries)
    return re.compile(pattern), tuple(index for _, index, _ in entries)


Span = tuple[int, int, int]


def find_spans(text: str, parsed: ParsedQuery) -> list[Span]:
    """Return ``(start, end, query_group)`` of every match in ``text``."""
    pattern, owners = query_pattern(parsed)
    if pattern is None or not text:
        return []
    return [
        (match.start(), match.end(), owners[(match.lastindex or 1) - 1])
        for match in pattern.finditer(match_view(text))
        if match.end() > match.start()
    ]


def _merge_adjacent(spans: list[Span], start: int, end: int) -> list[tuple[int, int]]:
    """Keep the spans inside ``[start, end)`` and join touching ones.

    负面清单 matched as 负面 + 清单 then reads as one mark.
    """
    merged: list[tuple[int, int]] = []
    for span_start, span_end, _ in spans:
        if span_start < start or span_end > end:
            continue
        if merged and merged[-1][1] == span_start:
            merged[-1] = (merged[-1][0], span_end)
        else:
            merged.append((span_start, span_end))
    return merged


def _render(text: str, start: int, end: int, spans: list[Span]) -> str:
    """Escape ``text[start:end]``, marking the spans that lie wholly inside."""
    pieces: list[str] = []
    position = start
    for span_start, span_end in _merge_adjacent(spans, start, end):
        pieces.append(html.escape(_WHITESPACE_RE.sub(" ", text[position:span_start])))
        pieces.append(MARK_OPEN + html.escape(text[span_start:span_end]) + MARK_CLOSE)
        position = span_end
    pieces.append(html.escape(_WHITESPACE_RE.sub(" ", text[position:end])))
    return "".join(pieces)


def mark(text: str, spans: list[Span]) -> str:
    """Return all of ``text`` escaped, with every span marked."""
    return _render(text, 0, len(text), spans).strip()


def _best_window(text: str, spans: list[Span], width: int) -> int:
    """Return the start of the window covering the most distinct query groups."""
    best_start, best_cover = 0, -1
    for anchor, (span_start, _, _) in enumerate(spans[:MAX_SNIPPET_ANCHORS]):
        start = max(0, span_start - SNIPPET_LEAD_CHARS)
        end = start + width
        cover: set[int] = set()
        for other_start, other_end, group in spans[anchor:]:
            if other_start >= end:
                break
            if other_end <= end:
                cover.add(group)
        if len(cover) > best_cover:
            best_start, best_cover = start, len(cover)
    return max(0, min(best_start, len(text) - width))


def snippet(text: str, spans: list[Span], width: int = SNIPPET_CHARS) -> str:
    """Return about ``width`` characters around the best match, marked.

    Without a match the opening of the text is shown, so every hit has a
    body excerpt.
    """
    start = _best_window(text, spans, width) if spans else 0
    end = min(len(text), start + width)
    body = _render(text, start, end, spans).strip()
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return f"{prefix}{body}{suffix}" if body else ""


def highlight(parsed: ParsedQuery, title: str, body: str) -> dict[str, str]:
    """Return the ``title`` and ``body`` highlights of one hit."""
    return {
        TITLE: mark(title, find_spans(title, parsed)),
        BODY: snippet(body, find_spans(body, parsed)),
    }
