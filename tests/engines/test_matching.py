"""Contract: which documents a text query matches, and how they are marked."""

from __future__ import annotations

import datetime as dt

import pytest

from search.engines.base import SearchEngine, SearchQuery, Sort
from search.engines.highlight import ELLIPSIS, SNIPPET_CHARS
from tests.engines.support import make_doc

ABSURD_QUERIES = [
    pytest.param("!!!。，、；：？“”《》", id="punctuation"),
    pytest.param("负面清单" * 2500, id="10000-chars"),
    pytest.param("x" * 10_000, id="10000-latin"),
    pytest.param("'; DROP TABLE docs; --", id="sql"),
    pytest.param("\" ' * ( ) : AND OR NOT NEAR ^ ~ \\ / { } [ ]", id="syntax"),
    pytest.param("title_words : 负面 OR {body_words} : *", id="fts5-columns"),
    pytest.param('NEAR("负面" "清单", 2)', id="fts5-near"),
    pytest.param("负面~2 清单^10 title:(x) +a -b", id="lucene"),
    pytest.param("\x00\x01负面\x00清单\ud800", id="nul-surrogate"),
    pytest.param("😀🎉 清单 🇨🇳", id="emoji"),
    pytest.param("", id="empty"),
    pytest.param("   \t\n ", id="whitespace"),
]


def ids(engine: SearchEngine, text: str, **options: object) -> list[str]:
    """Return the ids of the first page for ``text``."""
    return [hit.id for hit in engine.search(SearchQuery(text=text, **options)).hits]


def test_every_word_of_a_query_must_match(engine: SearchEngine) -> None:
    """A multi-word query finds only documents containing all its words."""
    engine.index(
        [
            make_doc(1, title="住房公积金提取"),
            make_doc(2, title="住房租赁管理"),
            make_doc(3, title="公积金缴存", body="住房困难家庭"),
        ]
    )

    assert sorted(ids(engine, "住房 公积金")) == ["disclosure:1", "disclosure:3"]
    assert ids(engine, "住房 租赁") == ["disclosure:2"]


def test_segmentation_finds_words_inside_compounds(engine: SearchEngine) -> None:
    """负面清单 matches 清单, and 社会保险 matches inside 社会保险费."""
    engine.index(
        [
            make_doc(1, title="外商投资准入负面清单"),
            make_doc(2, title="社会保险费征收"),
        ]
    )

    assert ids(engine, "清单") == ["disclosure:1"]
    assert ids(engine, "负面") == ["disclosure:1"]
    assert ids(engine, "社会保险") == ["disclosure:2"]


def test_quoted_phrase_needs_the_words_together(engine: SearchEngine) -> None:
    """A quoted phrase matches only where its characters are adjacent."""
    engine.index(
        [
            make_doc(1, title="负面清单管理"),
            make_doc(2, title="负面影响评估清单"),
        ]
    )

    assert sorted(ids(engine, "负面 清单")) == ["disclosure:1", "disclosure:2"]
    assert ids(engine, '"负面清单"') == ["disclosure:1"]
    assert ids(engine, "“负面清单”") == ["disclosure:1"]


def test_one_character_query_matches_inside_words(engine: SearchEngine) -> None:
    """A single character finds documents where it is part of a longer word."""
    engine.index(
        [make_doc(1, title="税务部门统一征收"), make_doc(2, title="财政预算报告")]
    )

    assert ids(engine, "税") == ["disclosure:1"]


def test_traditional_and_full_width_queries_match(engine: SearchEngine) -> None:
    """Traditional characters and full-width digits match simplified text."""
    engine.index(
        [make_doc(1, title="2019年负面清单"), make_doc(2, title="2020年社会保险")]
    )

    assert ids(engine, "負面清單") == ["disclosure:1"]
    assert ids(engine, "２０１９") == ["disclosure:1"]


def test_synonyms_expand_abbreviations_both_ways(engine: SearchEngine) -> None:
    """社保 finds 社会保险 and 社会保障; 住房公积金 finds a text saying 公积金."""
    engine.index(
        [
            make_doc(1, title="社会保险费征收"),
            make_doc(2, title="社会保障卡申领"),
            make_doc(3, title="公积金贷款"),
            make_doc(4, title="医疗费用报销"),
        ]
    )

    assert sorted(ids(engine, "社保")) == ["disclosure:1", "disclosure:2"]
    assert ids(engine, "住房公积金") == ["disclosure:3"]


def test_document_number_is_findable_in_any_notation(engine: SearchEngine) -> None:
    """沪府办发〔2018〕16号 is found as typed, with other brackets, or as parts."""
    engine.index(
        [
            make_doc(1, title="通知一", doc_no="沪府办发〔2018〕16号"),
            make_doc(2, title="通知二", doc_no="沪府办发〔2018〕61号"),
            make_doc(3, title="通知三", doc_no="沪府办发〔2016〕18号"),
        ]
    )

    assert ids(engine, "沪府办发〔2018〕16号") == ["disclosure:1"]
    assert ids(engine, "沪府办发[2018]16号") == ["disclosure:1"]
    assert ids(engine, "沪府办发（２０１８）１６号") == ["disclosure:1"]
    assert ids(engine, '"2018" 16号') == ["disclosure:1"]


def test_keywords_and_summary_are_searched(engine: SearchEngine) -> None:
    """Keywords and summary are searchable like the body."""
    engine.index(
        [
            make_doc(1, title="实施方案", keywords="碳达峰"),
            make_doc(2, title="工作要点", summary="推进夜间经济发展"),
        ]
    )

    assert ids(engine, "碳达峰") == ["disclosure:1"]
    assert ids(engine, "夜间经济") == ["disclosure:2"]


def test_title_match_outranks_body_match(engine: SearchEngine) -> None:
    """A document about the words (title) ranks above one mentioning them."""
    engine.index(
        [
            make_doc(1, title="工作通知", body="关于垃圾分类的若干事项，" * 3),
            make_doc(2, title="垃圾分类实施办法", body="本办法适用于本市。"),
        ]
    )

    result = engine.search(SearchQuery(text="垃圾分类", sort=Sort.RELEVANCE))

    assert [hit.id for hit in result.hits] == ["disclosure:2", "disclosure:1"]
    assert result.hits[0].score > result.hits[1].score > 0


def test_title_highlight_escapes_html_and_marks_terms(engine: SearchEngine) -> None:
    """The title highlight is escaped HTML with <mark> around matched terms only."""
    engine.index(
        [make_doc(1, title="<script>alert('x')</script>关于负面清单的通知 & 附件")]
    )

    (hit,) = engine.search(SearchQuery(text="负面清单")).hits

    assert hit.highlights["title"] == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
        "关于<mark>负面清单</mark>的通知 &amp; 附件"
    )


def test_body_highlight_is_a_snippet_around_the_match(engine: SearchEngine) -> None:
    """The body highlight is about 120 characters around the best match."""
    body = "前言" * 200 + "本市最低工资标准<调整>为2480元。" + "附则" * 200
    engine.index([make_doc(1, title="通知", body=body)])

    (hit,) = engine.search(SearchQuery(text="最低工资")).hits
    snippet = hit.highlights["body"]

    assert "<mark>最低工资</mark>标准&lt;调整&gt;为2480元" in snippet
    assert snippet.startswith(ELLIPSIS)
    assert snippet.endswith(ELLIPSIS)
    visible = snippet.replace("<mark>", "").replace("</mark>", "")
    assert len(visible.replace("&lt;", "<").replace("&gt;", ">")) <= SNIPPET_CHARS + 2


def test_body_without_match_shows_its_opening(engine: SearchEngine) -> None:
    """When only the title matches, the body highlight is the opening, unmarked."""
    engine.index([make_doc(1, title="碳达峰实施方案", body="为深入贯彻落实。" * 40)])

    (hit,) = engine.search(SearchQuery(text="碳达峰")).hits

    assert hit.highlights["title"] == "<mark>碳达峰</mark>实施方案"
    assert hit.highlights["body"].startswith("为深入贯彻落实。")
    assert "<mark>" not in hit.highlights["body"]


def test_synonym_and_phrase_matches_are_highlighted(engine: SearchEngine) -> None:
    """Marks cover what matched: a synonym's full form, a phrase across punctuation."""
    engine.index([make_doc(1, title="社会保险费征收", body="沪府办发［2018］16号")])

    (hit,) = engine.search(SearchQuery(text="社保 沪府办发〔2018〕16号")).hits

    assert hit.highlights["title"] == "<mark>社会保险</mark>费征收"
    assert hit.highlights["body"] == "<mark>沪府办发［2018］16号</mark>"


def test_empty_query_lists_everything_newest_first(engine: SearchEngine) -> None:
    """No searchable text matches every document, newest first, with score 0."""
    engine.index(
        [
            make_doc(1, published_on=dt.date(2019, 1, 1)),
            make_doc(2, published_on=dt.date(2021, 1, 1)),
            make_doc(3, published_on=dt.date(2020, 1, 1)),
        ]
    )

    for text in ("", "  ", "，。！？"):
        result = engine.search(SearchQuery(text=text))
        assert result.total == 3
        assert [hit.id for hit in result.hits] == [
            "disclosure:2",
            "disclosure:3",
            "disclosure:1",
        ]
        assert all(hit.score == 0.0 for hit in result.hits)


@pytest.mark.parametrize("text", ABSURD_QUERIES)
def test_absurd_queries_are_answered_without_error(
    engine: SearchEngine, text: str
) -> None:
    """Hostile or silly input is never parsed as query syntax, and never fails."""
    engine.index(
        [make_doc(1, title="负面清单"), make_doc(2, title="住房公积金年度报告")]
    )

    result = engine.search(SearchQuery(text=text, facets=True))

    assert result.total in {0, 1, 2}
    assert len(result.hits) == result.total
    assert set(result.facets) == {"agency", "topic", "year", "doc_type"}
    assert engine.count() == 2


def test_query_syntax_characters_are_plain_text(engine: SearchEngine) -> None:
    """Operators typed by a visitor are words: OR does not widen a query."""
    engine.index(
        [make_doc(1, title="负面清单"), make_doc(2, title="住房公积金年度报告")]
    )

    assert ids(engine, "负面清单 OR 公积金") == []
    assert ids(engine, "负面清单 *") == ["disclosure:1"]
    assert ids(engine, "(负面清单)") == ["disclosure:1"]
