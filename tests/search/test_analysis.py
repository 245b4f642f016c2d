"""The analysis chain: normalisation, segmentation, queries and synonyms."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import (
    MAX_QUERY_GROUPS,
    MAX_TOKEN_CHARS,
    ParsedQuery,
    Term,
    TermKind,
    analyze_document,
    analyze_field,
    analyze_pairs,
    analyze_phrase,
    analyze_query,
    normalize,
    phrase_pairs,
    synonyms_of,
)
from search.synonyms import load_synonyms, parse_synonyms

FUZZ_EXAMPLES = 300
MIXED_TOKENS = ["住", "房", "公", "积", "金", "2018", "abc", "年", "x" * 300]
# Any Unicode scalar value, surrogates included (Python strings may hold them).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)


def group_texts(parsed: ParsedQuery) -> list[list[str]]:
    """Return the term texts of each group, for compact assertions."""
    return [[term.text for term in group] for group in parsed.groups]


# --- normalize ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("２０１８年", "2018年"),
        ("ＡＢＣ－１２３", "abc-123"),
        ("負面清單", "负面清单"),
        ("關於進一步優化營商環境的通知", "关于进一步优化营商环境的通知"),
        ("沪府办发［２０１８］１６号", "沪府办发[2018]16号"),
        ("Shanghai", "shanghai"),
        ("负面\u200b清单\ufeff", "负面清单"),
        ("a\x00b\x07c", "a b c"),
        ("坏\ud800字", "坏\ufffd字"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    """Width, case, script, invisible and control characters are normalised."""
    assert normalize(raw) == expected


def test_normalize_settles_chained_conversions() -> None:
    """OpenCC maps 薴 → 苧 → 苎; one call already gives the final form."""
    assert normalize("薴") == normalize(normalize("薴")) == "苎"


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    """Normalising twice changes nothing."""
    once = normalize(text)
    assert normalize(once) == once


# --- documents ------------------------------------------------------------------


def test_search_mode_yields_parts_of_words() -> None:
    """负面清单 also yields 负面 and 清单; 社会保险费 yields 社会保险 inside it."""
    tokens = analyze_document("外商投资负面清单与社会保险费")

    assert {"负面", "清单", "外商投资", "外商", "投资"} <= set(tokens)
    assert {"社会保险费", "社会保险", "社会", "保险", "保险费"} <= set(tokens)


def test_numbers_and_latin_words_stay_whole() -> None:
    """Years, decimals and codes are single tokens, with their parts as well."""
    tokens = analyze_document("2018年增长12.5%，编号ABC-123，covid_19")

    assert {"2018", "12.5", "abc-123", "abc", "123", "covid_19"} <= set(tokens)
    assert "年" in tokens


def test_document_numbers_get_a_canonical_token() -> None:
    """Every bracket style of a document number yields the same 〔year〕n token."""
    for text in (
        "沪府办发〔2018〕16号",
        "沪府办发[2018]16号",
        "沪府办发（２０１８）１６号",
        "沪府办发【2018】第016号",
    ):
        assert "〔2018〕16" in analyze_document(text), text


def test_punctuation_and_spaces_are_dropped() -> None:
    """No token is empty, whitespace, or punctuation."""
    tokens = analyze_document("“一网通办”！！ （试行）…… 、；")

    assert tokens
    assert all(token.strip() and any(c.isalnum() for c in token) for token in tokens)


def test_traditional_document_is_indexed_simplified() -> None:
    """A traditional text is indexed under simplified tokens."""
    assert {"负面", "清单"} <= set(analyze_document("負面清單"))


def test_phrase_tokens_are_one_per_character() -> None:
    """The phrase view has one token per ideograph and whole Latin words."""
    assert analyze_phrase("沪府办发〔2018〕16号 12.5% ABC") == [
        "沪",
        "府",
        "办",
        "发",
        "2018",
        "16",
        "号",
        "12.5",
        "abc",
    ]


def test_pairs_overlap_and_close_the_field() -> None:
    """Pairs overlap; longer tokens join with _; the last token pairs with _."""
    assert analyze_pairs("住房公积金，2018年") == [
        "住房",
        "房公",
        "公积",
        "积金",
        "金_2018",
        "2018_年",
        "年_",
    ]
    assert phrase_pairs(["住", "房"], closed=False) == ["住房"]
    assert phrase_pairs([], closed=True) == []


@settings(max_examples=FUZZ_EXAMPLES)
@given(st.lists(st.sampled_from(MIXED_TOKENS), max_size=12), st.booleans())
def test_pairs_of_any_token_mix(tokens: list[str], closed: bool) -> None:
    """Single characters pair directly, others through ``_``, in every mix."""
    expected = []
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        expected.append(a + b if len(a) == 1 == len(b) else f"{a}_{b}")
    if closed and tokens:
        expected.append(tokens[-1] + "_")

    assert phrase_pairs(tokens, closed=closed) == expected
    assert phrase_pairs(tuple(tokens), closed=closed) == expected


def test_phrase_terms_match_through_pairs() -> None:
    """A phrase's pairs are what it must match; one character has none."""
    (phrase,) = analyze_query('"公积金"').groups[0]
    (single,) = analyze_query("税").groups[0]

    assert phrase.pairs == ("公积", "积金")
    assert single.kind is TermKind.PHRASE
    assert single.pairs == ()


def test_quoted_latin_word_is_a_word() -> None:
    """A quoted year is a whole word token, which the word index holds."""
    (term,) = analyze_query('"2018"').groups[0]

    assert term.kind is TermKind.WORD
    assert term.tokens == ("2018",)


def test_analyze_field_matches_the_separate_views() -> None:
    """``analyze_field`` is the two views computed from one normalisation."""
    text = "關於2019年社會保險費征收的通知"
    field = analyze_field(text)

    assert field.words == analyze_document(text)
    assert field.pairs == analyze_pairs(text)


def test_tokens_are_capped_in_length() -> None:
    """An absurdly long word is cut to the engines' token limit."""
    tokens = analyze_document("a" * 1000 + " " + "9" * 1000)

    assert tokens
    assert max(map(len, tokens)) == MAX_TOKEN_CHARS


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(any_text)
def test_analysis_never_raises_and_never_yields_blank_tokens(text: str) -> None:
    """Any input gives tokens without whitespace or separators inside."""
    for token in analyze_document(text) + analyze_pairs(text):
        assert token
        assert not any(char.isspace() or char == "\x1f" for char in token)


# --- queries --------------------------------------------------------------------


def test_query_words_become_required_groups() -> None:
    """Each word is one required group; function words are dropped."""
    parsed = analyze_query("关于负面清单的通知")

    assert group_texts(parsed) == [["关于"], ["负面"], ["清单"], ["通知"]]
    assert all(t.kind is TermKind.WORD for t in parsed.terms())


def test_only_function_words_are_still_searched() -> None:
    """A query of nothing but function words searches for them."""
    assert group_texts(analyze_query("的")) == [["的"]]


def test_unknown_character_runs_become_exact_phrases() -> None:
    """Characters the dictionary cannot place form one phrase (沪府)."""
    parsed = analyze_query("沪府办发")

    assert group_texts(parsed) == [["沪府"], ["办发"]]
    first = parsed.groups[0][0]
    assert first.kind is TermKind.PHRASE
    assert first.tokens == ("沪", "府")


def test_quoted_text_is_one_phrase() -> None:
    """ASCII, full-width and Chinese quotes delimit exact phrases."""
    for text in ('"负面清单"', "＂负面清单＂", "“负面清单”", "「负面清单」"):
        parsed = analyze_query(text)
        assert parsed.phrases == ("负面清单",), text
        assert group_texts(parsed) == [["负面清单"]]
        assert parsed.groups[0][0].kind is TermKind.PHRASE


def test_unbalanced_quote_is_ignored() -> None:
    """A lone quote character is just punctuation."""
    assert group_texts(analyze_query('负面清单"')) == [["负面"], ["清单"]]


def test_document_number_query_uses_the_canonical_token() -> None:
    """A typed document number becomes its 〔year〕n token plus the prefix."""
    parsed = analyze_query("沪府办发（２０１８）１６号")

    assert group_texts(parsed) == [["〔2018〕16"], ["沪府"], ["办发"]]


def test_traditional_query_is_simplified() -> None:
    """負面清單 asks for 负面 and 清单."""
    assert group_texts(analyze_query("負面清單")) == [["负面"], ["清单"]]


@pytest.mark.parametrize(
    ("query", "alternatives"),
    [
        ("社保", {"社保", "社会保障", "社会保险"}),
        ("医保", {"医保", "医疗保障", "医疗保险"}),
        ("公积金", {"公积金", "住房公积金"}),
        ("进博会", {"进博会", "中国国际进口博览会", "进口博览会"}),
        ("发改委", {"发改委", "发展改革委", "发展和改革委员会"}),
        ("人社局", {"人社局", "人力资源社会保障局", "人力资源和社会保障局"}),
        ("住建委", {"住建委", "住房城乡建设管理委", "住房和城乡建设管理委员会"}),
        ("卫健委", {"卫健委", "卫生健康委", "卫生健康委员会"}),
        ("社会保险", {"社会保险", "社保"}),
        ("住房公积金", {"住房公积金", "公积金"}),
        ("社會保險", {"社会保险", "社保"}),
    ],
)
def test_synonyms_expand_into_one_group(query: str, alternatives: set[str]) -> None:
    """An abbreviation or full form becomes one group of all its alternatives."""
    parsed = analyze_query(query)

    assert len(parsed.groups) == 1
    assert {term.text for term in parsed.groups[0]} == alternatives


def test_alternatives_covering_another_are_not_matched_separately() -> None:
    """中国国际进口博览会 contains 进口博览会: matching it adds no document."""
    parsed = analyze_query("进博会 交通")

    assert group_texts(parsed)[0] == ["进博会", "中国国际进口博览会", "进口博览会"]
    assert [[t.text for t in group] for group in parsed.matching_groups()] == [
        ["进博会", "进口博览会"],
        ["交通"],
    ]


def test_only_same_kind_sequences_cover_each_other() -> None:
    """Words cover words, pair phrases cover pair phrases; one character never."""
    word = Term(TermKind.WORD, "社会 保险", ("社会", "保险"))
    part = Term(TermKind.WORD, "保险", ("保险",))
    phrase = Term(TermKind.PHRASE, "保险费", ("保", "险", "费"))
    char = Term(TermKind.PHRASE, "险", ("险",))
    twice = Term(TermKind.WORD, "保险", ("保险",))

    def kept(*group: Term) -> list[str]:
        (matching,) = ParsedQuery(groups=(group,)).matching_groups()
        return [term.text for term in matching]

    assert kept(word, part) == ["保险"]
    assert kept(part, phrase) == ["保险", "保险费"]  # different kinds
    assert kept(phrase, char) == ["保险费", "险"]  # a prefix query, not a phrase
    assert kept(part, twice) == ["保险"]  # duplicates collapse to one


def test_synonyms_are_found_inside_a_longer_query() -> None:
    """Table entries are matched inside running text, longest first."""
    assert group_texts(analyze_query("浦东新区社保缴费")) == [
        ["浦东新区"],
        ["社保", "社会保障", "社会保险"],
        ["缴费"],
    ]


def test_full_forms_do_not_expand_to_each_other() -> None:
    """社会保险 expands to 社保 but not to 社会保障, a different thing."""
    assert synonyms_of("社会保险") == ("社会保险", "社保")


def test_query_syntax_characters_are_not_terms() -> None:
    """Operators and quotes of SQL, FTS5 and Lucene leave only plain words."""
    parsed = analyze_query("\" ' * ( ) : AND OR NOT NEAR ^ ~ \\ / { } [ ] -")

    assert group_texts(parsed) == [["and"], ["or"], ["not"], ["near"]]


def test_punctuation_only_query_is_empty() -> None:
    """Nothing searchable left means an empty query (match all)."""
    assert analyze_query("，。！？……（）").is_empty
    assert analyze_query("").is_empty


def test_long_queries_are_capped() -> None:
    """10,000 characters give at most ``MAX_QUERY_GROUPS`` groups."""
    words = "负面清单 社会保险 住房公积金 财政预算 2018 abc "
    parsed = analyze_query(words * 500)

    assert 0 < len(parsed.groups) <= MAX_QUERY_GROUPS
    many = " ".join(f"w{n}" for n in range(100))
    assert len(analyze_query(many).groups) == MAX_QUERY_GROUPS


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(any_text)
def test_query_analysis_never_raises(text: str) -> None:
    """Any input parses into well-formed groups."""
    parsed = analyze_query(text)

    for group in parsed.groups:
        assert group
        for term in group:
            assert term.tokens
            assert all(token and " " not in token for token in term.tokens)


# --- the synonym table ----------------------------------------------------------


def test_synonym_file_format() -> None:
    """Comments, blank and malformed lines are skipped; both colons work."""
    entries = parse_synonyms(
        "# comment\n\n社保: 社会保障, 社会保险  # trailing\n"
        "医保：医疗保障、医疗保险\nno separator here\n: 空键\n空值:\n"
    )

    assert [(e.abbreviation, e.full_forms) for e in entries] == [
        ("社保", ("社会保障", "社会保险")),
        ("医保", ("医疗保障", "医疗保险")),
    ]


def test_bundled_synonym_table_loads(tmp_path: Path) -> None:
    """The shipped table has about twenty entries; a missing file means none."""
    assert len(load_synonyms()) >= 20
    assert load_synonyms(tmp_path / "missing.txt") == []
