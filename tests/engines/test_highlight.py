"""The shared highlighter: alignment with the original text, marks, snippets."""

from __future__ import annotations

import pytest

from search.analysis import analyze_query
from search.engines.highlight import (
    ELLIPSIS,
    SNIPPET_CHARS,
    find_spans,
    highlight,
    match_view,
    snippet,
)


@pytest.mark.parametrize(
    "text",
    ["……负面清单", "㈱公司", "ﬁle Ⅻ", "２０１８年 ＡＢＣ", "負面清單", "a\x00b\ud800c"],
)
def test_match_view_keeps_one_character_per_character(text: str) -> None:
    """Offsets in the normalised view are offsets in the original text."""
    assert len(match_view(text)) == len(text)


def test_match_view_normalises_width_case_and_script() -> None:
    """The view folds full-width, upper case and traditional characters."""
    assert match_view("２０１８年ＡＢＣ負面清單") == "2018年abc负面清单"


def test_matches_are_marked_in_the_original_text() -> None:
    """A simplified query marks traditional and full-width original text."""
    marks = highlight(analyze_query("负面清单 2018"), "２０１８年負面清單", "")

    assert marks["title"] == "<mark>２０１８</mark>年<mark>負面清單</mark>"


def test_ascii_terms_do_not_match_inside_longer_words() -> None:
    """2018 is not marked inside 20180, nor ai inside said."""
    parsed = analyze_query("2018 ai")

    assert find_spans("20180 said", parsed) == []
    assert [s[:2] for s in find_spans("2018 ai", parsed)] == [(0, 4), (5, 7)]


def test_snippet_prefers_the_window_with_most_query_words() -> None:
    """The window covering both words beats an earlier one with just one."""
    parsed = analyze_query("公积金 提取")
    body = "公积金" + "。" * 300 + "申请提取住房公积金" + "。" * 300

    text = snippet(body, find_spans(body, parsed))

    # 住房公积金 is a synonym of 公积金, and touching marks merge
    assert "申请<mark>提取住房公积金</mark>" in text
    assert text.startswith(ELLIPSIS)
    assert len(text) <= SNIPPET_CHARS + 60


def test_empty_query_marks_nothing() -> None:
    """Without a query the title is only escaped, the body only cut."""
    marks = highlight(analyze_query(""), "a < b", "正文" * 100)

    assert marks["title"] == "a &lt; b"
    assert "<mark>" not in marks["body"]
    assert marks["body"].endswith(ELLIPSIS)
