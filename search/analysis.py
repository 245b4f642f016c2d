"""Turn Chinese text into index tokens and queries, identically for both engines.

The chain: sanitise (control and format characters, lone surrogates) → Unicode
NFKC (full-width → half-width) → lower-case → traditional → simplified (OpenCC
``t2s``) → word segmentation → clean-up.  Both engines index exactly these
tokens, so relevance does not depend on which engine runs.

Documents are segmented in a *max-word* mode: the precise segmentation plus
every dictionary word inside each longer word (社会保险费 also yields 社会保险,
社会, 保险, 保险费), so a query for any dictionary word finds it even inside a
longer compound.  jieba's own search mode emits only the 2- and 3-character
sub-words and would miss 社会保险 there.  Queries are segmented precisely, and
runs of single characters (names, abbreviations missing from the dictionary)
become exact phrases, matched against a second view of the text: overlapping
character pairs (``phrase_pairs``; 住房公积金 → 住房 房公 公积 积金).  A phrase
is the run of its pairs at consecutive positions; a single character is a
prefix query on the pairs (every occurrence starts one pair, the last one
pairs with an end marker).  Pairs have sparse postings where single
characters have huge ones (CJK bigram indexing, as in Lucene's ``cjk``
analyzer), which halves the time of phrase-heavy queries (``bench/RESULTS.md``,
"Design figures").  The pairs also serve quoted phrases and synonyms that are
not dictionary words.

Segmentation runs without jieba's HMM new-word guessing because its guesses
depend on the surrounding text and would differ between a query and the same
words inside a document.

Segmentation uses rjieba (jieba-rs), an order of magnitude faster than
jieba for the same dictionary (``bench/RESULTS.md``, "Design figures").  The
OpenCC converter is built once and cached.

Document numbers such as 沪府办发〔2018〕16号 are kept findable by emitting a
canonical ``〔2018〕16`` token besides the ordinary pieces (沪, 府, 办发, 2018,
16, 号), whatever brackets the text uses ([], (), 【】, 〔〕, 〖〗).

No public function here raises on any ``str`` input.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import opencc
import rjieba

from search.synonyms import SynonymEntry, load_synonyms

# A token longer than this is cut: whitespace-splitting engines have token
# length limits (Elasticsearch's whitespace tokenizer splits at 255), and a
# truncated token is still distinctive.
MAX_TOKEN_CHARS = 64
# Queries are typed into a search box; anything longer is noise or abuse.
MAX_QUERY_CHARS = 256
# Every group becomes a required clause; cap them so no query can build an
# expression the engines reject (Elasticsearch's clause limit, FTS5's depth).
MAX_QUERY_GROUPS = 24
# Sub-words are looked up only inside words up to this length; longer "words"
# do not occur in the dictionary and would cost quadratic lookups.
MAX_SUBWORD_SOURCE_CHARS = 12
# jieba's search mode adds the dictionary words of up to this many characters
# found inside longer words; longer sub-words are added here.
SEARCH_MODE_SUBWORD_CHARS = 3

# Single-character function words carry no meaning on their own in a query;
# dropping them avoids a required clause that matches every document.
QUERY_STOPWORDS = frozenset("的了和与及或之其等着在是对把被")

# CJK ideographs (BMP, extension A, compatibility, extensions B-H) and 〇.
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Non-Han words: letters and digits, optionally joined by . - _ (abc-123,
# 12.5, v1.2), kept whole because the segmenter would split them.
_LATIN_WORD = rf"[^\W_{HAN_CLASS}]+(?:[._\-][^\W_{HAN_CLASS}]+)*"
_LATIN_RE = re.compile(_LATIN_WORD)
_HAN_RUN_RE = re.compile(f"[{HAN_CLASS}]+")
_RUN_RE = re.compile(rf"([{HAN_CLASS}]+)|({_LATIN_WORD})")
_CONNECTOR_RE = re.compile(r"[._\-]")
# The per-character view: one token per ideograph, other words whole (a
# decimal point stays inside a number, as in Elasticsearch's ``standard``).
_PHRASE_TOKEN_RE = re.compile(
    rf"[{HAN_CLASS}]|[^\W_{HAN_CLASS}]+(?:\.[^\W_{HAN_CLASS}]+)*"
)
# 〔2018〕16号 with any of the brackets writers use (after NFKC: [] and ()).
_OPEN_BRACKETS = "[(【〔〖"
_CLOSE_BRACKETS = "])】〕〗"
DOC_NO_YEAR_DIGITS = 4
DOC_NO_MAX_SERIAL_DIGITS = 6
_DOC_NO_RE = re.compile(
    rf"[{re.escape(_OPEN_BRACKETS)}]\s*(\d{{{DOC_NO_YEAR_DIGITS}}})\s*"
    rf"[{re.escape(_CLOSE_BRACKETS)}]\s*第?\s*(\d{{1,{DOC_NO_MAX_SERIAL_DIGITS}}})"
    r"(?!\d)\s*号?"
)
DOC_NO_TOKEN_RE = re.compile(rf"^〔(\d{{{DOC_NO_YEAR_DIGITS}}})〕(\d+)$")
# Joins a pair whose parts are not both single characters, and closes a
# field; never part of a per-character token.
PAIR_JOINER = "_"
# A byte other than 1: a token length other than one character.
_NOT_ONE_RE = re.compile(rb"[^\x01]")
# Quoted phrases: ASCII quotes (full-width ones become ASCII under NFKC),
# Chinese curly quotes and corner brackets.
_PHRASE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')

# Characters that must never reach a tokenizer, a database or a converter:
# C0/C1 controls (NUL included) become spaces, invisible format characters
# (zero-width spaces, bidi marks, BOM) disappear, lone surrogates are replaced.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FORMAT_RE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_UNSAFE_RE = re.compile(
    "|".join(p.pattern for p in (_CONTROL_RE, _FORMAT_RE, _SURROGATE_RE))
)
REPLACEMENT_CHARACTER = "\ufffd"
# Iterations after which normalisation is certainly a fixed point (two
# suffice for every code point; the third is a guard).
_NORMALIZE_PASSES = 3


class TermKind(StrEnum):
    """How an engine matches a term."""

    # One token of the word index (``analyze_document`` output).
    WORD = "word"
    # Consecutive characters (``analyze_phrase`` output), matched through the
    # character pairs of the text (``phrase_pairs``).
    PHRASE = "phrase"


@dataclass(frozen=True)
class Term:
    """One way of satisfying a query group, already normalised."""

    kind: TermKind
    text: str
    tokens: tuple[str, ...]

    @property
    def pairs(self) -> tuple[str, ...]:
        """Return the pairs a phrase must match at consecutive positions.

        A one-character phrase has none: it is a prefix query on the pairs.
        """
        return tuple(phrase_pairs(self.tokens, closed=False))


@dataclass(frozen=True)
class ParsedQuery:
    """A query as required groups of alternatives.

    A document matches when every group has at least one matching term; the
    alternatives of a group are the user's word and its synonyms.  ``phrases``
    repeats the quoted phrases (each is also a one-term group) for display.
    """

    groups: tuple[tuple[Term, ...], ...] = ()
    phrases: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Return whether nothing searchable is left (match every document)."""
        return not self.groups

    def terms(self) -> Iterator[Term]:
        """Yield every term of every group."""
        for group in self.groups:
            yield from group

    def matching_groups(self) -> tuple[tuple[Term, ...], ...]:
        """Return the groups without the alternatives another one covers.

        An alternative containing another of its group at consecutive
        positions (中国国际进口博览会 beside 进口博览会, from the synonym
        table) matches no document the shorter one misses.  Dropping it
        leaves the matches as they are and spares the engines its phrase,
        the costliest part of such a query.  Highlighting keeps every term.
        """
        return tuple(_uncovered(group) for group in self.groups)


def _uncovered(group: tuple[Term, ...]) -> tuple[Term, ...]:
    kept: list[Term] = []
    for index, term in enumerate(group):
        others = (*kept, *group[index + 1 :])
        if not any(_covers(term, other) for other in others):
            kept.append(term)
    return tuple(kept)


def _covers(longer: Term, shorter: Term) -> bool:
    """Return whether every match of ``longer`` is a match of ``shorter``."""
    if longer.kind is not shorter.kind:
        return False
    if shorter.kind is TermKind.PHRASE and len(shorter.tokens) < 2:
        return False  # a prefix query on the pairs, not a pair phrase
    size = len(shorter.tokens)
    return any(
        longer.tokens[start : start + size] == shorter.tokens
        for start in range(len(longer.tokens) - size + 1)
    )


# --- normalisation -----------------------------------------------------------


@functools.cache
def t2s_converter() -> opencc.OpenCC:
    """Build the traditional → simplified converter once per process."""
    return opencc.OpenCC("t2s")


def sanitize(text: str) -> str:
    """Remove what no downstream component accepts, keeping the text readable."""
    if not _UNSAFE_RE.search(text):
        return text
    text = _SURROGATE_RE.sub(REPLACEMENT_CHARACTER, text)
    text = _CONTROL_RE.sub(" ", text)
    return _FORMAT_RE.sub("", text)


def _normalize_once(text: str) -> str:
    text = sanitize(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    return t2s_converter().convert(text) if text else text


def normalize(text: str) -> str:
    """Return NFKC, lower-cased, simplified text; idempotent.

    Run to a fixed point because a few code points only settle on a second
    pass (OpenCC maps 薴 to 苧 and 苧 to 苎); the check costs about a tenth of
    the first pass thanks to the NFKC quick check.
    """
    result = _normalize_once(text)
    for _ in range(_NORMALIZE_PASSES - 1):
        again = _normalize_once(result)
        if again == result:
            break
        result = again
    return result


# --- segmentation ------------------------------------------------------------


def _clip(token: str) -> str:
    return token[:MAX_TOKEN_CHARS]


def _long_subwords(word: str) -> Iterator[str]:
    """Yield the dictionary words of four or more characters inside ``word``.

    jieba's search mode already emits the two- and three-character ones.
    """
    length = len(word)
    if length > MAX_SUBWORD_SOURCE_CHARS:
        return
    for size in range(SEARCH_MODE_SUBWORD_CHARS + 1, length):
        for start in range(length - size + 1):
            candidate = word[start : start + size]
            if rjieba.has_word(candidate):
                yield candidate


def _doc_no_tokens(normalized: str) -> Iterator[str]:
    for match in _DOC_NO_RE.finditer(normalized):
        yield f"〔{match.group(1)}〕{int(match.group(2))}"


def _runs(normalized: str) -> Iterator[tuple[bool, str]]:
    """Yield ``(is_han, text)`` for each Han run and each non-Han word."""
    for match in _RUN_RE.finditer(normalized):
        han, latin = match.groups()
        yield (True, han) if han else (False, latin)


def _latin_tokens(normalized: str) -> Iterator[str]:
    for word in _LATIN_RE.findall(normalized):
        yield _clip(word)
        if _CONNECTOR_RE.search(word):
            yield from (_clip(part) for part in _CONNECTOR_RE.split(word))


def _index_tokens(normalized: str) -> list[str]:
    tokens: list[str] = []
    for run in _HAN_RUN_RE.findall(normalized):
        tokens.extend(rjieba.cut_for_search(run, False))
    long_words = [word for word in tokens if len(word) > SEARCH_MODE_SUBWORD_CHARS + 1]
    for word in long_words:
        tokens.extend(_long_subwords(word))
    tokens.extend(_latin_tokens(normalized))
    tokens.extend(_doc_no_tokens(normalized))
    return tokens


def analyze_document(text: str) -> list[str]:
    """Return the word-index tokens of a document field.

    The order carries no meaning (Han words, then Latin words, then document
    numbers): phrases are matched on ``analyze_phrase`` tokens instead.
    """
    return _index_tokens(normalize(text))


def _phrase_tokens(normalized: str) -> list[str]:
    tokens = _PHRASE_TOKEN_RE.findall(normalized)
    if max(map(len, tokens), default=0) > MAX_TOKEN_CHARS:
        tokens = [_clip(token) for token in tokens]
    return tokens


def analyze_phrase(text: str) -> list[str]:
    """Return the per-character tokens: one per ideograph, other words whole.

    Punctuation and spaces are dropped, so a phrase matches across them, as
    with Elasticsearch's ``standard`` tokenizer.
    """
    return _phrase_tokens(normalize(text))


def _longer_tokens(tokens: Sequence[str]) -> Iterator[int]:
    """Yield the positions of the tokens that are not one character."""
    try:
        sizes = bytes(map(len, tokens))  # found by a regex, in C
    except ValueError:  # a token longer than 255 characters
        yield from (i for i, size in enumerate(map(len, tokens)) if size != 1)
        return
    for found in _NOT_ONE_RE.finditer(sizes):
        yield found.start()


def phrase_pairs(tokens: Sequence[str], *, closed: bool) -> list[str]:
    """Return the overlapping pairs of per-character tokens.

    Two single characters join directly (住房); longer tokens join with
    ``PAIR_JOINER`` (2018_年) so no two different pairs can look alike.  A
    ``closed`` sequence (a document field) ends with its last token paired
    with the joiner, so every token starts exactly one pair.
    """
    # Pair everything directly in C, then re-join the few pairs touching a
    # longer token (a number, a Latin word): a quarter of the analysis time
    # went into a per-pair Python loop before.
    pairs = list(map(operator.add, tokens, tokens[1:]))
    if len("".join(tokens)) != len(tokens):
        last = len(tokens) - 1
        for index in _longer_tokens(tokens):
            if index > 0:
                pairs[index - 1] = tokens[index - 1] + PAIR_JOINER + tokens[index]
            if index < last:
                pairs[index] = tokens[index] + PAIR_JOINER + tokens[index + 1]
    if closed and tokens:
        pairs.append(tokens[-1] + PAIR_JOINER)
    return pairs


def analyze_pairs(text: str) -> list[str]:
    """Return the pair view of a document field (see ``phrase_pairs``)."""
    return phrase_pairs(_phrase_tokens(normalize(text)), closed=True)


@dataclass(frozen=True)
class AnalyzedField:
    """A document field in both views, normalised once."""

    words: list[str]
    pairs: list[str]


def analyze_field(text: str) -> AnalyzedField:
    """Return ``analyze_document`` and ``analyze_pairs`` of one field together."""
    normalized = normalize(text)
    pairs = phrase_pairs(_phrase_tokens(normalized), closed=True)
    return AnalyzedField(_index_tokens(normalized), pairs)


# --- synonyms ----------------------------------------------------------------


@dataclass(frozen=True)
class _SynonymIndex:
    expansions: dict[str, tuple[str, ...]]
    pattern: re.Pattern[str] | None


def _build_synonym_index(entries: Iterable[SynonymEntry]) -> _SynonymIndex:
    expansions: dict[str, list[str]] = {}

    def add(key: str, values: Iterable[str]) -> None:
        bucket = expansions.setdefault(key, [key])
        bucket.extend(value for value in values if value not in bucket)

    for entry in entries:
        abbreviation = normalize(entry.abbreviation).strip()
        fulls = [normalize(full).strip() for full in entry.full_forms]
        fulls = [full for full in fulls if full]
        if not abbreviation or not fulls:
            continue
        add(abbreviation, fulls)
        for full in fulls:
            add(full, [abbreviation])
    keys = sorted(expansions, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
    return _SynonymIndex({k: tuple(v) for k, v in expansions.items()}, pattern)


@functools.cache
def _synonyms() -> _SynonymIndex:
    return _build_synonym_index(load_synonyms())


def reload_synonyms() -> None:
    """Forget the cached synonym table so the next query re-reads the file."""
    _synonyms.cache_clear()


def synonyms_of(text: str) -> tuple[str, ...]:
    """Return the normalised alternatives of a term, itself first."""
    key = normalize(text).strip()
    return _synonyms().expansions.get(key, (key,) if key else ())


# --- queries -----------------------------------------------------------------


def _term_for(normalized: str) -> Term | None:
    """Match a dictionary word as a token, anything else as an exact phrase."""
    chars = tuple(_phrase_tokens(normalized))
    if not chars:
        return None
    runs = list(_runs(normalized))
    if len(runs) == 1:
        is_han, run = runs[0]
        if not is_han or (len(run) > 1 and rjieba.cut(run, False) == [run]):
            return Term(TermKind.WORD, run, (_clip(run),))
    return _phrase_term(list(chars))


def _phrase_term(chars: list[str]) -> Term:
    """Return a phrase, or a word if it is one non-Han word (indexed whole)."""
    if len(chars) == 1 and not _HAN_RUN_RE.fullmatch(chars[0]):
        return Term(TermKind.WORD, chars[0], (chars[0],))
    return Term(TermKind.PHRASE, "".join(chars), tuple(chars))


def _han_run_groups(run: str) -> Iterator[tuple[Term, ...]]:
    """Yield one group per word; merge consecutive single characters.

    Single characters are what the dictionary could not place (names,
    unlisted abbreviations such as 沪府); as an exact phrase they match only
    where they occur together.  Function words split runs and are dropped.
    """
    single: list[str] = []
    for word in rjieba.cut(run, False):
        if len(word) > 1:
            if single:
                yield (_phrase_term(single),)
                single = []
            yield (Term(TermKind.WORD, _clip(word), (_clip(word),)),)
        elif word in QUERY_STOPWORDS:
            if single:
                yield (_phrase_term(single),)
                single = []
        else:
            single.append(word)
    if single:
        yield (_phrase_term(single),)


def _segment_query(normalized: str) -> Iterator[tuple[Term, ...]]:
    """Yield the groups of plain query text (no synonyms, numbers, quotes)."""
    for is_han, run in _runs(normalized):
        if is_han:
            yield from _han_run_groups(run)
        else:
            yield (Term(TermKind.WORD, _clip(run), (_clip(run),)),)


def _synonym_groups(normalized: str) -> Iterator[tuple[Term, ...]]:
    """Yield groups for synonym-table hits and for the text between them."""
    index = _synonyms()
    position = 0
    matches = index.pattern.finditer(normalized) if index.pattern else ()
    for match in matches:
        yield from _segment_query(normalized[position : match.start()])
        terms = (_term_for(alt) for alt in index.expansions[match.group()])
        group = tuple(term for term in terms if term is not None)
        if group:
            yield group
        position = match.end()
    yield from _segment_query(normalized[position:])


def _doc_no_groups(normalized: str) -> tuple[list[tuple[Term, ...]], str]:
    """Return document-number groups and the text with those numbers removed."""
    groups = [
        (Term(TermKind.WORD, token, (token,)),) for token in _doc_no_tokens(normalized)
    ]
    return groups, _DOC_NO_RE.sub(" ", normalized)


def _quoted_phrases(normalized: str) -> tuple[list[str], str]:
    phrases = [
        next(part for part in match.groups() if part is not None)
        for match in _PHRASE_RE.finditer(normalized)
    ]
    return phrases, _PHRASE_RE.sub(" ", normalized)


def _unique_groups(groups: Iterable[tuple[Term, ...]]) -> tuple[tuple[Term, ...], ...]:
    seen: set[frozenset[Term]] = set()
    unique: list[tuple[Term, ...]] = []
    for group in groups:
        key = frozenset(group)
        if key not in seen:
            seen.add(key)
            unique.append(group)
    return tuple(unique[:MAX_QUERY_GROUPS])


def analyze_query(text: str) -> ParsedQuery:
    """Parse what a visitor typed into required groups of alternatives.

    Quoted text is an exact phrase; a document number becomes its canonical
    token; synonym-table entries expand into alternatives; everything else is
    segmented precisely, dropping single-character function words unless
    nothing else is left.  Nothing typed is ever interpreted as engine syntax.
    """
    normalized = normalize(text[:MAX_QUERY_CHARS])
    quoted, rest = _quoted_phrases(normalized)
    phrase_groups: list[tuple[Term, ...]] = []
    phrases: list[str] = []
    for phrase in quoted:
        chars = _phrase_tokens(phrase)
        if chars:
            phrase_groups.append((_phrase_term(chars),))
            phrases.append("".join(chars))
    doc_no_groups, rest = _doc_no_groups(rest)
    groups = [*phrase_groups, *doc_no_groups, *_synonym_groups(rest)]
    if not groups:
        # Only function words were typed: search for them after all.
        groups = [(_phrase_term([char]),) for char in _phrase_tokens(rest)]
    return ParsedQuery(_unique_groups(groups), tuple(phrases))
