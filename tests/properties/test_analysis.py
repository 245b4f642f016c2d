"""Properties of the search analysis chain, beyond ``tests/search/test_analysis``.

That module already checks that ``normalize`` is idempotent and that
``analyze_document``/``analyze_pairs`` never raise on any text. These add: the
phrase, field and query analysers never raise either; analysis is invariant under
normalisation (so a traditional, full-width or upper-case query finds the
simplified document); normalisation is idempotent on text built to stress it
(traditional characters, full-width forms, mixed scripts, controls).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import (
    MAX_QUERY_GROUPS,
    analyze_document,
    analyze_field,
    analyze_phrase,
    analyze_query,
    normalize,
)

EXAMPLES = 200

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
# Text built from what normalisation changes: traditional characters, full-width
# ASCII, upper case, compatibility forms, controls and format characters.
stressing = st.text(
    st.one_of(
        st.sampled_from("國際關於資訊公開條例臺灣薴苧發佈號ＡＢＣ１２３ａｂｃ"),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.characters(min_codepoint=0x2160, max_codepoint=0x217F),
        st.sampled_from("\u200b\u200d\ufeff\x00\x1f\t\n ABCxyz（）〔〕"),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    ),
    max_size=80,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(stressing)
def test_normalize_is_idempotent_on_stressing_text(text):
    """Twice-normalised equals once-normalised on text made to provoke changes."""
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=EXAMPLES, deadline=None)
@given(any_text)
def test_phrase_field_and_query_analysers_never_raise(text):
    """Every analyser accepts any text; queries stay within their group cap."""
    assert all(token for token in analyze_phrase(text))
    analyze_field(text)
    query = analyze_query(text)
    assert len(query.groups) <= MAX_QUERY_GROUPS


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(any_text, stressing))
def test_analysis_is_invariant_under_normalisation(text):
    """Analysing normalised text gives the same tokens as analysing the original."""
    assert analyze_document(normalize(text)) == analyze_document(text)
    assert analyze_phrase(normalize(text)) == analyze_phrase(text)
    assert analyze_query(normalize(text)).groups == analyze_query(text).groups
