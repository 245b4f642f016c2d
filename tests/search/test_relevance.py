"""Relevance: realistic queries find the right disclosures in the top 3.

The corpus (``relevance_corpus.json``) is 42 Shanghai-style disclosures and
negative-list entries.  Each case names the documents a person searching the
column would expect among the first three results, on both engines.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engines.base import SearchDocument, SearchEngine, SearchQuery
from tests.engines.support import ENGINE_PARAMS, open_engine

CORPUS_PATH = Path(__file__).with_name("relevance_corpus.json")
TOP = 3

CASES = [
    # plain words and compounds
    ("外商投资 负面清单", ["disclosure:1", "entry:41"]),
    ("负面清单 2018", ["disclosure:1"]),
    ("跨境服务贸易", ["disclosure:2"]),
    ("公积金提取", ["disclosure:5"]),
    ("住房公积金 年度报告", ["disclosure:6"]),
    ("进口博览会", ["disclosure:7", "disclosure:8"]),
    ("2019年财政预算", ["disclosure:9"]),
    ("部门预算公开", ["disclosure:10"]),
    ("门诊特殊病种", ["disclosure:11"]),
    ("优化营商环境", ["disclosure:13"]),
    ("一网通办", ["disclosure:14"]),
    ("垃圾分类", ["disclosure:15"]),
    ("旧区改造", ["disclosure:20", "disclosure:19"]),
    ("疫情防控", ["disclosure:21"]),
    ("职业技能培训补贴", ["disclosure:22"]),
    ("政府信息公开 年度报告 2019", ["disclosure:24", "disclosure:23"]),
    ("义务教育 招生", ["disclosure:25"]),
    ("额度拍卖", ["disclosure:26"]),
    ("养老服务补贴", ["disclosure:27"]),
    ("碳达峰", ["disclosure:28"]),
    ("电梯安全", ["disclosure:29"]),
    ("食品安全专项整治", ["disclosure:30"]),
    ("人工智能", ["disclosure:31"]),
    ("AI", ["disclosure:31"]),
    ("集中供应土地", ["disclosure:32"]),
    ("个人所得税 专项附加扣除", ["disclosure:33"]),
    ("平均工资", ["disclosure:34"]),
    ("张江科学城", ["disclosure:36"]),
    ("换乘优惠", ["disclosure:37"]),
    ("夜间经济", ["disclosure:38"]),
    ("高校毕业生就业", ["disclosure:40"]),
    ("金融业务许可", ["entry:42"]),
    ('"最低工资标准"', ["disclosure:4"]),
    # abbreviations through the synonym table
    ("社保", ["disclosure:3"]),
    ("社保费 征收", ["disclosure:3"]),
    ("进博会 交通管制", ["disclosure:7"]),
    ("医保 门诊", ["disclosure:11"]),
    ("发改委 水价", ["disclosure:12"]),
    ("人社局 最低工资", ["disclosure:4"]),
    ("卫健委 疫情", ["disclosure:21"]),
    ("住建委 住房租赁", ["disclosure:39"]),
    ("低保标准", ["disclosure:16"]),
    ("长护险", ["disclosure:17"]),
    ("公租房", ["disclosure:18"]),
    ("自贸区", ["disclosure:2"]),
    # traditional characters and full-width forms
    ("社會保險費", ["disclosure:3"]),
    ("負面清單", ["disclosure:1"]),
    ("義務教育 招生", ["disclosure:25"]),
    ("關於進一步優化營商環境", ["disclosure:13"]),
    ("２０２１年 土地", ["disclosure:32"]),
    # document numbers
    ("沪府办发〔2018〕16号", ["disclosure:1"]),
    ("沪府办发[2018]16号", ["disclosure:1"]),
    ('"2018" 16号', ["disclosure:1"]),
    ("沪府令〔2016〕50号", ["disclosure:26"]),
    ("沪府发〔2017〕97号", ["disclosure:17"]),
]


def load_corpus() -> list[SearchDocument]:
    """Return the fixture corpus as search documents."""
    rows = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
    return [
        SearchDocument(
            **{
                **row,
                "agency_path": tuple(row["agency_path"]),
                "published_on": dt.date.fromisoformat(row["published_on"]),
            }
        )
        for row in rows
    ]


@pytest.fixture(scope="module", params=ENGINE_PARAMS)
def corpus_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchEngine]:
    """Yield each engine with the corpus indexed, once per module."""
    with open_engine(request.param, tmp_path_factory.mktemp("relevance")) as engine:
        engine.index(load_corpus())
        yield engine


def test_corpus_is_indexed_whole(corpus_engine: SearchEngine) -> None:
    """Every corpus document is in the index."""
    assert corpus_engine.count() == len(load_corpus())


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_documents_rank_in_the_top_three(
    corpus_engine: SearchEngine, text: str, expected: list[str]
) -> None:
    """The documents a person would expect are among the first three hits."""
    result = corpus_engine.search(SearchQuery(text=text, size=TOP))
    top = [hit.id for hit in result.hits]

    assert set(expected) <= set(top), f"{text!r}: top {TOP} {top}"
