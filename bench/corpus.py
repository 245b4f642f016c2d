"""Generate realistic Chinese disclosures for the search benchmarks.

Titles and bodies come from templates filled with the vocabulary of Shanghai's
government information columns (notices, budgets and final accounts, social
insurance, the housing provident fund, planning, tenders, administrative
penalties, the import expo …), the sixteen districts and their bureaux, years
2015–2025 and document numbers like 沪府办发〔2023〕12号.  A fixed seed makes
every run produce the same corpus, so figures from different runs compare.
Pure Python (no Django), so the generator can feed either the database or an
engine directly.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

SEED = 20251126
CITY = ("310000000", "上海市人民政府", "上海市")
DISTRICTS = [
    ("310101000", "黄浦区"),
    ("310104000", "徐汇区"),
    ("310105000", "长宁区"),
    ("310106000", "静安区"),
    ("310107000", "普陀区"),
    ("310109000", "虹口区"),
    ("310110000", "杨浦区"),
    ("310112000", "闵行区"),
    ("310113000", "宝山区"),
    ("310114000", "嘉定区"),
    ("310115000", "浦东新区"),
    ("310116000", "金山区"),
    ("310117000", "松江区"),
    ("310118000", "青浦区"),
    ("310120000", "奉贤区"),
    ("310151000", "崇明区"),
]
BUREAUX = [
    "教育局",
    "财政局",
    "人力资源和社会保障局",
    "住房保障和房屋管理局",
    "规划和自然资源局",
    "市场监督管理局",
    "卫生健康委员会",
    "生态环境局",
    "发展和改革委员会",
    "民政局",
]
DOC_PREFIXES = {
    "city": ["沪府发", "沪府办发", "沪府规", "沪财预", "沪人社规", "沪规划资源规"],
    "district": ["府发", "府办发", "府规"],
    "bureau": ["财预", "人社规", "房管", "规资", "市监法", "卫健", "教发"],
}
YEARS = list(range(2015, 2026))
SUBJECTS = [
    "老旧小区综合改造",
    "城市更新",
    "垃圾分类",
    "养老服务设施建设",
    "义务教育阶段招生入学",
    "基本医疗保险",
    "最低生活保障标准",
    "公共租赁住房",
    "保障性租赁住房",
    "营商环境优化",
    "河长制",
    "黄浦江沿岸公共空间",
    "轨道交通建设",
    "优化生育政策",
    "就业补贴",
    "职业技能培训",
    "安全生产",
    "大气污染防治",
    "农村人居环境整治",
    "历史风貌保护",
]
EXPO_TASKS = ["服务保障", "城市运行保障", "交通保障", "安全保卫", "志愿者招募"]
AREAS = ["南京东路街道", "外滩街道", "徐家汇", "虹桥", "张江", "临港新片区", "五角场"]
PROJECTS = ["道路改建工程", "学校新建工程", "社区卫生服务中心", "绿地建设", "排水系统"]
COMPANIES = ["某某贸易有限公司", "某某餐饮管理有限公司", "某某建设工程有限公司"]
VIOLATIONS = ["销售过期食品", "未按规定明码标价", "虚假宣传", "未取得许可擅自经营"]
# Sentences any notice may contain.
GENERIC = [
    "为贯彻落实《中华人民共和国政府信息公开条例》，进一步提高政府工作透明度，现将有关事项通知如下。",
    "本通知自印发之日起施行，有效期至{year2}年12月31日。",
    "各单位要高度重视，加强组织领导，明确责任分工，确保各项工作落到实处。",
    "请各街道、镇于{date}前将材料报送区政府办公室。",
    "联系人：区政府办公室，联系电话：021-6321{phone}。",
    "如对本信息有疑问，可在工作日向{agency}咨询。",
    "坚持以人民为中心的发展思想，持续优化公共服务供给，提升群众获得感。",
    "要加强部门协同和信息共享，形成工作合力，及时研究解决推进中遇到的问题。",
    "对工作推进不力、群众反映强烈的，将予以通报并督促整改。",
    "相关材料可登录区政府门户网站政府信息公开专栏查阅下载。",
    "{year}年以来，全区累计完成投资{amount}亿元，惠及居民{amount2}户。",
    "本文件由{agency}负责解释，执行中的问题请及时反馈。",
    "各街道、镇要建立工作台账，实行清单化管理、项目化推进。",
    "请广大市民群众相互转告，共同营造良好的社会氛围。",
]
# Sentences of one kind of document, in the order of the title templates of
# ``_title``, so a word like 社会保险 is frequent only where it belongs.
KIND_SENTENCES = [
    ["各单位要结合实际制定工作方案，按时完成{subject}各项任务。"],
    [
        "{year}年度{district}一般公共预算收入{amount}亿元，比上年增长{pct}%。",
        "三公经费预算{amount5}万元，比上年减少{pct}%。",
    ],
    [
        "部门决算包括收入支出决算总表、财政拨款收入支出决算总表等九张报表。",
        "三公经费支出合计{amount5}万元，比上年减少{pct}%。",
    ],
    ["现将{subject}有关事项公告如下，请相关单位和个人遵照执行。"],
    [
        "当事人{company}{violation}，违反了《中华人民共和国食品安全法》的有关规定。",
        "依据《中华人民共和国行政处罚法》，决定给予警告并处罚款{amount4}元。",
    ],
    ["项目预算金额{amount3}万元，投标截止时间为{date}，逾期送达的投标文件不予受理。"],
    ["经评标委员会评审，确定{company}为中标人，中标金额{amount3}万元。"],
    [
        "第{expo}届中国国际进口博览会将于{month}月在国家会展中心（上海）举办。",
        "进博会期间，相关区域实施临时交通管制措施。",
    ],
    ["规划范围东至{road1}，西至{road2}，总用地面积约{area}公顷。"],
    ["社会保险缴费基数上限按照上年度全市职工月平均工资的300%确定，下限按照60%确定。"],
    ["住房公积金月缴存额上限为{amount2}元，缴存比例为单位和职工各{pct2}%。"],
    ["各区、各部门要按照实施方案要求，做好{subject}工作。"],
]
ROADS = ["中山东一路", "河南中路", "西藏中路", "淮海中路", "延安东路", "四川北路"]


# The fixed query set of the benchmarks: 1–3 words, from words in most documents
# (通知, 上海市) to a document number; bench/load.py adds a few of its own.
QUERIES = [
    "通知",
    "上海市",
    "公告",
    "预算",
    "决算",
    "社会保险",
    "社保 缴费基数",
    "住房公积金",
    "规划 公示",
    "招标 公告",
    "行政处罚 决定书",
    "进口博览会",
    "进博会 交通保障",
    "老旧小区 改造",
    "沪府办发〔2023〕12号",
    "垃圾分类 通知 黄浦区",
]


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    parent: str | None
    kind: str


@dataclass(frozen=True)
class DisclosureSpec:
    """One generated disclosure, ready for the database or an engine."""

    serial: int
    agency: str
    title: str
    body: str
    doc_no: str
    keywords: str
    published_on: dt.date
    topic_index: int


def agencies() -> list[AgencySpec]:
    """Return the city, its sixteen districts and ten bureaux per district."""
    code, name, short = CITY
    specs = [AgencySpec(code, name, short, None, "city")]
    for district_code, district in DISTRICTS:
        specs.append(
            AgencySpec(
                district_code,
                f"上海市{district}人民政府",
                district,
                code,
                "district",
            )
        )
        for number, bureau in enumerate(BUREAUX, start=1):
            specs.append(
                AgencySpec(
                    f"{district_code[:6]}{number:03d}",
                    f"上海市{district}{bureau}",
                    f"{district}{bureau}",
                    district_code,
                    "subunit",
                )
            )
    return specs


def _fill(rng: random.Random, template: str, **known: str) -> str:
    values = {
        "year": str(rng.choice(YEARS)),
        "year2": str(rng.choice(YEARS) + 3),
        "district": rng.choice(DISTRICTS)[1],
        "amount": f"{rng.uniform(50, 900):.1f}",
        "amount2": str(rng.randrange(2000, 9000)),
        "amount3": str(rng.randrange(50, 5000)),
        "amount4": str(rng.randrange(1, 200) * 1000),
        "amount5": f"{rng.uniform(10, 300):.2f}",
        "pct": f"{rng.uniform(0.5, 12):.1f}",
        "pct2": str(rng.choice([5, 6, 7])),
        "road1": rng.choice(ROADS),
        "road2": rng.choice(ROADS),
        "area": f"{rng.uniform(1, 80):.2f}",
        "date": (
            f"{rng.choice(YEARS)}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日"
        ),
        "company": rng.choice(COMPANIES),
        "violation": rng.choice(VIOLATIONS),
        "expo": str(rng.randrange(1, 9)),
        "month": str(rng.choice([10, 11])),
        "phone": f"{rng.randrange(1000, 9999)}",
        "agency": known.get("agency", "区政府办公室"),
        "subject": rng.choice(SUBJECTS),
    }
    values.update(known)
    return template.format(**values)


def _title(
    rng: random.Random, kind: int, place: str, agency: str, year: int, doc_no: str
) -> tuple[str, str]:
    subject = rng.choice(SUBJECTS)
    titles = [
        (f"关于{year}年度{place}{subject}工作的通知", f"通知,{subject}"),
        (f"{agency}{year}年度部门预算", "预算,部门预算"),
        (f"{agency}{year}年度部门决算", "决算,部门决算"),
        (f"{place}关于{subject}有关事项的公告", f"公告,{subject}"),
        (f"{agency}行政处罚决定书（{doc_no}）", "行政处罚"),
        (f"{place}{rng.choice(PROJECTS)}招标公告", "招标,政府采购"),
        (f"{place}{rng.choice(PROJECTS)}中标结果公示", "招标,中标"),
        (
            f"关于做好第{rng.randrange(1, 9)}届中国国际进口博览会"
            f"{rng.choice(EXPO_TASKS)}工作的通知",
            "进口博览会,进博会",
        ),
        (
            f"{place}{rng.choice(AREAS)}控制性详细规划（局部调整）公示",
            "规划,控制性详细规划",
        ),
        (f"关于调整{year}年度社会保险缴费基数的通知", "社会保险,社保,缴费基数"),
        (f"关于{year}年度住房公积金缴存基数调整的通知", "住房公积金,公积金"),
        (
            f"上海市人民政府办公厅关于印发《{place}{subject}实施方案》的通知",
            f"实施方案,{subject}",
        ),
    ]
    return titles[kind % len(titles)]


def _doc_no(rng: random.Random, agency: AgencySpec, year: int) -> str:
    if agency.kind == "city":
        prefix = rng.choice(DOC_PREFIXES["city"])
    elif agency.kind == "district":
        prefix = agency.short_name[:1] + rng.choice(DOC_PREFIXES["district"])
    else:
        prefix = agency.short_name[:1] + rng.choice(DOC_PREFIXES["bureau"])
    return f"{prefix}〔{year}〕{rng.randrange(1, 300)}号"


def disclosures(count: int, *, seed: int = SEED) -> Iterator[DisclosureSpec]:
    """Yield ``count`` disclosures, the same ones for the same seed."""
    rng = random.Random(seed)
    specs = agencies()
    for serial in range(1, count + 1):
        agency = rng.choice(specs)
        year = rng.choice(YEARS)
        published = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
        published = min(published, dt.date(2025, 11, 1))
        place = agency.short_name if agency.kind != "subunit" else agency.short_name[:3]
        doc_no = _doc_no(rng, agency, year)
        kind = rng.randrange(0, len(KIND_SENTENCES))
        title, keywords = _title(rng, kind, place, agency.short_name, year, doc_no)
        sentences = [
            *KIND_SENTENCES[kind],
            *rng.sample(GENERIC, rng.randrange(3, 8)),
        ]
        body = "".join(
            _fill(rng, sentence, agency=agency.name, year=str(year))
            for sentence in sentences
        )
        yield DisclosureSpec(
            serial=serial,
            agency=agency.code,
            title=title[:200],
            body=f"{agency.name}（{doc_no}）\n{body}",
            doc_no=doc_no,
            keywords=keywords,
            published_on=published,
            topic_index=rng.randrange(0, 1000),
        )
