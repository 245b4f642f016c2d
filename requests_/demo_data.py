"""Demo content of the requests app: invented applicants, realistic subjects of
requests, the hand-written column of published disclosures (agency, topic, title,
document number, age in days, keywords, summary, body), and the templates the
rest of the column is generated from."""

import datetime as dt
import random

from requests_.models import ApplicantType

HUANGPU = "310101000"
PUDONG = "310115000"
CAIZHENG = "310000107"

APPLICANTS = [
    ("欧阳志远", "310101198503124816", "13912345678", ApplicantType.NATURAL_PERSON),
    ("林晓雯", "310115199008071238", "13761234567", ApplicantType.NATURAL_PERSON),
    ("陈建国", "11010519491231002X", "021-64581234", ApplicantType.NATURAL_PERSON),
    (
        "上海明达律师事务所",
        "91310101MA1FPX1234",
        "021-63217788",
        ApplicantType.LEGAL_SERVICES,
    ),
    (
        "上海城市发展研究院",
        "12310000425012345X",
        "021-62345678",
        ApplicantType.RESEARCH,
    ),
    ("赵丽华", "440304199206153016", "15800001111", ApplicantType.NATURAL_PERSON),
    (
        "上海申江建材有限公司",
        "91310115MA1K3ABC9X",
        "13611112222",
        ApplicantType.BUSINESS,
    ),
]

SUBJECTS = [
    (
        "2024年度老旧小区综合改造项目资金安排情况",
        "申请获取本区2024年度老旧小区综合改造项目的资金安排及实施小区名单。",
    ),
    (
        "南京东路街道2025年度为民办实事项目清单",
        "申请公开南京东路街道2025年度为民办实事项目的清单及完成情况。",
    ),
    (
        "黄浦江沿岸公共空间贯通工程环评批复",
        "申请获取黄浦江沿岸公共空间贯通工程的环境影响评价批复文件。",
    ),
    (
        "2025年义务教育阶段学校招生划片方案",
        "申请公开本区2025年义务教育阶段公办学校招生划片方案。",
    ),
    (
        "某路段道路拓宽工程征收补偿方案",
        "申请获取道路拓宽工程涉及房屋的征收补偿方案及公示材料。",
    ),
    ("2025年区级部门预算执行情况", "申请获取2025年上半年区级部门预算执行情况的报告。"),
    (
        "停车收费标准调整的依据文件",
        "申请公开公共停车场收费标准调整的依据文件和听证记录。",
    ),
    (
        "社区卫生服务中心建设项目立项批复",
        "申请获取社区卫生服务中心新建项目的立项批复。",
    ),
    ("本人2023年度社会保险缴费记录", "申请获取本人2023年度养老、医疗保险缴费记录。"),
    (
        "2024年政府采购项目合同",
        "申请公开2024年区机关事务管理局办公设备采购项目的合同。",
    ),
    ("河道整治工程竣工验收报告", "申请获取2024年区内河道整治工程的竣工验收报告。"),
    ("某企业安全生产行政处罚决定书", "申请获取对某企业作出的安全生产行政处罚决定书。"),
    (
        "垃圾分类收运处置经费使用情况",
        "申请公开2024年度生活垃圾分类收运处置经费的使用情况。",
    ),
    ("地块控制性详细规划调整批复", "申请获取某地块控制性详细规划局部调整的批复文件。"),
]


COLUMN = [
    # (agency, topic, title, doc_no, days ago, keywords, summary, body)
    (
        HUANGPU,
        "1001",
        "黄浦区2024年度旧住房综合改造项目计划",
        "黄府办发〔2024〕12号",
        240,
        "旧住房改造，综合改造，民生",
        "公布2024年度旧住房综合改造项目的实施范围、资金安排和进度计划。",
        "一、实施范围\n2024年度本区计划实施旧住房综合改造项目18个，涉及居民约6200户。\n二、资金安排\n项目总投资约3.2亿元，由市、区两级财政按比例承担。\n三、进度安排\n项目于2024年3月起陆续开工，年底前完成主体工程。",
    ),
    (
        HUANGPU,
        "1102",
        "黄浦区2025年义务教育阶段公办学校招生划片范围",
        "",
        200,
        "招生，划片，义务教育",
        "公布2025年本区公办小学、初中招生对口地段。",
        "根据《上海市2025年义务教育阶段学校招生入学工作实施意见》，现将本区2025年公办小学、初中对口地段公布如下，详见附表。对口地段以居住地址为准。",
    ),
    (
        HUANGPU,
        "0401",
        "黄浦区2024年区本级财政预算执行情况",
        "",
        150,
        "预算执行，财政收支",
        "2024年区本级一般公共预算收支执行情况。",
        "2024年，区本级一般公共预算收入完成年度预算的101.3%，一般公共预算支出完成年度预算的97.8%。重点保障教育、卫生健康、城市更新等民生支出。",
    ),
    (
        HUANGPU,
        "1003",
        "黄浦江沿岸公共空间贯通工程环境影响评价批复",
        "黄环保许评〔2023〕45号",
        120,
        "环评，滨江贯通，批复",
        "对滨江公共空间贯通工程环境影响报告表的批复。",
        "经审查，该项目符合相关规划要求，在落实报告表提出的各项污染防治和生态保护措施后，环境不利影响能够得到缓解和控制。同意项目建设。",
    ),
    (
        HUANGPU,
        "0702",
        "南京东路周边公共停车场收费标准调整说明",
        "",
        90,
        "停车收费，价格调整",
        "公布南京东路周边公共停车场收费标准调整的依据和新标准。",
        "依据《上海市机动车停放服务收费管理办法》，经成本监审和听证，自2025年7月1日起，南京东路周边公共停车场白天时段收费标准调整为每小时15元。",
    ),
    (
        CAIZHENG,
        "0401",
        "上海市2024年市级政府采购集中采购目录及标准",
        "沪财采〔2024〕3号",
        300,
        "政府采购，集中采购目录",
        "公布2024年市级集中采购目录和限额标准。",
        "一、集中采购机构采购项目：台式计算机、便携式计算机、打印设备、复印纸等。\n二、分散采购限额标准：货物、服务类项目100万元以上，工程类项目100万元以上。",
    ),
    (
        CAIZHENG,
        "0401",
        "关于2024年度市级部门预算绩效评价结果的通报",
        "沪财绩〔2025〕8号",
        160,
        "绩效评价，部门预算",
        "通报2024年度市级部门重点项目绩效评价结果。",
        "2024年度共对42个市级部门的156个重点项目开展绩效评价，评价结果为优的48个、良的83个、中的21个、差的4个。评价结果已反馈各部门并与预算安排挂钩。",
    ),
    (
        CAIZHENG,
        "0403",
        "上海市财政局2024年度行政事业性收费项目目录",
        "",
        100,
        "行政事业性收费，收费目录",
        "公布2024年度本市行政事业性收费项目目录。",
        "本目录共列入行政事业性收费项目27项。目录之外的行政事业性收费，公民、法人和其他组织有权拒绝缴纳。",
    ),
    (
        PUDONG,
        "1002",
        "浦东新区张江科学城局部地块控制性详细规划调整批复",
        "浦府规〔2024〕21号",
        210,
        "控制性详细规划，张江",
        "批复张江科学城局部地块控规调整。",
        "同意张江科学城单元局部地块的控制性详细规划调整方案。调整后地块用地性质为科研设计用地，容积率不超过3.0。",
    ),
    (
        PUDONG,
        "1003",
        "浦东新区2024年度河道整治工程竣工验收情况",
        "",
        130,
        "河道整治，竣工验收，水环境",
        "公布2024年度区内河道整治工程竣工验收情况。",
        "2024年度共完成河道整治工程23项，整治河道长度约58公里，全部通过竣工验收，水质主要指标达到Ⅳ类以上。",
    ),
    (
        PUDONG,
        "0902",
        "浦东新区2024年安全生产行政处罚情况汇总",
        "",
        60,
        "安全生产，行政处罚",
        "公布2024年度安全生产领域行政处罚案件汇总情况。",
        "2024年共作出安全生产行政处罚决定312件，罚没款合计1870万元，主要涉及未按规定开展隐患排查、特种作业人员无证上岗等违法行为。",
    ),
    (
        PUDONG,
        "1301",
        "浦东新区社区卫生服务中心新建项目立项批复",
        "浦发改〔2024〕77号",
        45,
        "社区卫生，立项批复",
        "批复两所社区卫生服务中心新建项目。",
        "同意新建社区卫生服务中心两所，总建筑面积约1.6万平方米，总投资约2.4亿元，资金由区级财政安排。",
    ),
    (
        HUANGPU,
        "1501",
        "黄浦区2025年度就业困难人员公益性岗位安置情况",
        "",
        75,
        "就业援助，公益性岗位",
        "公布2025年度公益性岗位开发和就业困难人员安置情况。",
        "2025年全区共开发公益性岗位860个，安置就业困难人员812人，"
        "岗位补贴按月足额发放。岗位主要分布在社区综合管理、养老服务和绿化养护等领域。",
    ),
    (
        CAIZHENG,
        "0402",
        "上海市2025年地方政府债券发行安排",
        "沪财债〔2025〕2号",
        35,
        "地方政府债券，专项债券",
        "公布2025年本市地方政府一般债券和专项债券的发行计划。",
        "2025年本市计划发行地方政府债券约2600亿元，其中新增专项债券主要用于"
        "保障性安居工程、城市更新和重大基础设施项目。具体发行时间以公告为准。",
    ),
    (
        PUDONG,
        "1001",
        "浦东新区生活垃圾分类收运处置经费使用情况",
        "",
        20,
        "垃圾分类，经费使用",
        "公布2024年度生活垃圾分类收运处置经费的使用情况。",
        "2024年度生活垃圾分类收运处置经费支出合计5.6亿元，其中收运费用2.1亿元、处置费用3.3亿元、宣传及设施更新0.2亿元。",
    ),
]


# --- The generated column ----------------------------------------------------------
#
# A few hundred disclosures of the kinds Shanghai's agencies really publish, made
# from templates with a fixed seed, so every run of ``seed_demo`` writes the same
# column and a newcomer's first searches (进博会, 社保, 预算, 处罚) find several
# items. Penalty decisions name companies only, never natural persons.

GENERATED_SEED = 20231105
GENERATED_YEARS = (2023, 2024, 2025, 2026)

CITY = "310000000"
QINGPU = "310118000"
DISTRICT_CODES = (
    "310101000",
    "310104000",
    "310105000",
    "310106000",
    "310107000",
    "310109000",
    "310110000",
    "310112000",
    "310113000",
    "310114000",
    "310115000",
    "310116000",
    "310117000",
    "310118000",
    "310120000",
    "310151000",
)
DEPARTMENT_CODES = tuple(f"3100001{n:02d}" for n in range(1, 13))
OFFICE, NDRC, COMMERCE, EDUCATION, HEALTH, ENVIRONMENT = DEPARTMENT_CODES[:6]
FINANCE, CIVIL, HRSS, HOUSING, PLANNING, TRANSPORT = DEPARTMENT_CODES[6:]

# The first character(s) of an agency's document numbers (文号).
DOC_PREFIX = {
    CITY: "沪府",
    OFFICE: "沪府办",
    NDRC: "沪发改",
    COMMERCE: "沪商",
    EDUCATION: "沪教委",
    HEALTH: "沪卫计",
    ENVIRONMENT: "沪环",
    FINANCE: "沪财",
    CIVIL: "沪民",
    HRSS: "沪人社",
    HOUSING: "沪建",
    PLANNING: "沪规土资",
    TRANSPORT: "沪交",
}
CIIE_EDITION = {2023: "第六届", 2024: "第七届", 2025: "第八届", 2026: "第九届"}
STREETS = (
    "南京东路街道",
    "外滩街道",
    "徐家汇街道",
    "新华路街道",
    "曹家渡街道",
    "长风新村街道",
    "四川北路街道",
    "五角场街道",
    "莘庄镇",
    "大场镇",
    "江桥镇",
    "陆家嘴街道",
    "石化街道",
    "方松街道",
    "徐泾镇",
    "南桥镇",
    "城桥镇",
)
COMPANY_WORDS = (
    "恒瑞",
    "申通",
    "浦江",
    "明珠",
    "新纪元",
    "华东",
    "东方",
    "金桥",
    "联华",
    "锦江",
    "宝隆",
    "宏达",
)
COMPANY_TRADES = (
    ("建筑工程", "未按规定采取扬尘污染防治措施", "《上海市大气污染防治条例》"),
    ("餐饮管理", "油烟净化设施未正常使用", "《中华人民共和国大气污染防治法》"),
    ("物流", "货运车辆超限运输", "《公路安全保护条例》"),
    ("化工", "危险废物未按规定贮存", "《中华人民共和国固体废物污染环境防治法》"),
    ("房地产开发", "未取得施工许可证擅自施工", "《建筑工程施工许可管理办法》"),
    ("汽车租赁", "未按规定报送车辆运营信息", "《上海市道路运输管理条例》"),
    ("医疗器械", "未按规定建立进货查验记录", "《医疗器械监督管理条例》"),
    ("印刷", "挥发性有机物排放超标", "《中华人民共和国大气污染防治法》"),
)
PROCUREMENT_ITEMS = (
    "办公设备",
    "政务信息系统运维服务",
    "物业管理服务",
    "档案数字化加工服务",
    "公务用车定点维修服务",
    "政务服务热线外包服务",
    "办公家具",
    "网络安全等级保护测评服务",
)

# (agency, topic, title, doc_no, published_on, keywords, summary, body)
GeneratedRow = tuple[str, str, str, str, dt.date, str, str, str]


def _doc_no(agency: str, name: str, year: int, number: int, kind: str = "发") -> str:
    # A district's numbers start with its first character: 黄浦区 → 黄府.
    prefix = DOC_PREFIX.get(agency) or f"{name[0]}府"
    return f"{prefix}{kind}〔{year}〕{number}号"


def _day(rng: random.Random, year: int, first_month: int, last_month: int) -> dt.date:
    month = rng.randint(first_month, last_month)
    return dt.date(year, month, rng.randint(1, 28))


def _budget(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    total = rng.randint(8, 260) + rng.randint(0, 99) / 100
    share = rng.randint(62, 91)
    return (
        agency,
        "0401",
        f"{name}{year}年部门预算",
        "",
        _day(rng, year, 1, 2),
        "部门预算，预算公开，财政拨款",
        f"公开{name}{year}年部门收支预算总表、财政拨款收支预算表及“三公”经费预算情况。",
        f"一、部门基本情况\n{name}{year}年部门预算由本部门本级及所属单位预算组成。\n"
        f"二、收支预算总体情况\n{year}年部门收入预算{total:.2f}亿元，其中财政拨款"
        f"收入占{share}%。支出预算{total:.2f}亿元，主要用于履行基本职能和重点项目。\n"
        "三、“三公”经费预算\n因公出国（境）费、公务接待费、公务用车购置及运行费"
        "比上年预算有所下降，严格执行过紧日子要求。",
    )


def _final_accounts(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    spent = rng.randint(8, 240) + rng.randint(0, 99) / 100
    return (
        agency,
        "0401",
        f"{name}{year - 1}年度部门决算",
        "",
        _day(rng, year, 7, 8),
        "部门决算，决算公开，财政支出",
        f"公开{name}{year - 1}年度部门收支决算情况及“三公”经费支出情况。",
        f"{year - 1}年度{name}收入决算{spent + 0.4:.2f}亿元，支出决算{spent:.2f}亿元，"
        "年末结转和结余按规定管理。本决算已经审计，"
        "与年初预算的差异主要是年中追加的专项经费。",
    )


def _planning(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    street = rng.choice(STREETS)
    unit = rng.randint(1, 30)
    return (
        agency,
        "1002",
        f"{name}{street}{unit:02d}单元控制性详细规划（局部调整）公示",
        "",
        _day(rng, year, 3, 11),
        "控制性详细规划，规划公示，局部调整",
        f"{street}{unit:02d}单元控制性详细规划局部调整草案公示，征求公众意见。",
        f"为完善{street}公共服务设施配套，拟对该单元控制性详细规划进行局部调整，"
        "涉及社区文化活动中心、养老服务设施和公共绿地用地布局。公示期30日，"
        "公众可通过信函或现场留言提出意见和建议。",
    )


def _penalty(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    trade, fact, law = rng.choice(COMPANY_TRADES)
    company = f"上海{rng.choice(COMPANY_WORDS)}{trade}有限公司"
    fine = rng.choice((2, 3, 5, 8, 10, 12, 20))
    doc_no = _doc_no(agency, name, year, serial, "罚")
    return (
        agency,
        "0901",
        f"行政处罚决定书（{doc_no}）",
        doc_no,
        _day(rng, year, 1, 11),
        "行政处罚，处罚决定，执法公示",
        f"对{company}{fact}的行为作出罚款人民币{fine}万元的行政处罚决定。",
        f"当事人：{company}\n经查，当事人存在{fact}的违法行为，违反了{law}的有关规定。"
        f"依据{law}，本机关决定对当事人作出罚款人民币{fine}万元的行政处罚。"
        "当事人如不服本决定，可在收到本决定书之日起六十日内申请行政复议，"
        "或者在六个月内依法提起行政诉讼。",
    )


def _ciie(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    edition = CIIE_EDITION[year]
    return (
        agency,
        "0702",
        f"关于{edition}中国国际进口博览会期间交通管理措施的通告",
        _doc_no(agency, name, year, rng.randint(10, 40), "通"),
        dt.date(year, 10, rng.randint(18, 28)),
        "进博会，交通管理，临时交通管制",
        f"{edition}进博会期间国家会展中心（上海）周边道路实施临时交通管理措施。",
        f"为保障{edition}中国国际进口博览会顺利举办，{year}年11月期间对国家会展中心"
        "（上海）周边道路实施临时交通管理：部分路段禁止货运车辆通行，"
        "设置临时停车区域，公交线路临时调整。请广大市民提前规划出行路线，"
        "优先选择轨道交通2号线、17号线前往。",
    )


def _ciie_service(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    edition = CIIE_EDITION[year]
    topic, subject, detail = rng.choice(
        (
            ("0801", "城市保障工作方案", "城市运行、环境整治、餐饮住宿和志愿服务"),
            ("0801", "展商服务指南", "展商报到、通关便利和展品入境"),
            ("1301", "医疗卫生保障方案", "现场医疗点设置和定点医院"),
        )
    )
    return (
        agency,
        topic,
        f"{name}{edition}进博会{subject}",
        "",
        dt.date(year, 9, rng.randint(1, 28)),
        "进博会，服务保障",
        f"{name}做好{edition}进博会{subject}的安排。",
        f"为全力做好{edition}中国国际进口博览会服务保障工作，"
        f"{name}明确了{detail}等方面的任务分工和工作要求。",
    )


def _social_insurance(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    base = 7310 + (year - 2023) * 380 + rng.randint(0, 50)
    return (
        agency,
        "1502",
        f"关于调整{year}年度本市职工社会保险缴费基数上下限的通知",
        _doc_no(agency, name, year, rng.randint(5, 30)),
        dt.date(year, 6, rng.randint(20, 30)),
        "社会保险，缴费基数，社保",
        f"{year}年度本市职工社会保险缴费基数上限、下限调整方案。",
        f"自{year}年7月1日起，本市职工社会保险缴费基数下限调整为{base}元，"
        f"上限调整为{base * 5}元。用人单位应按职工上年度月平均工资申报缴费基数，"
        "低于下限的按下限申报，高于上限的按上限申报。",
    )


def _social_insurance_guide(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    return (
        agency,
        "1502",
        f"{name}{year}年度社保缴费基数申报办理指南",
        "",
        dt.date(year, 7, rng.randint(1, 20)),
        "社保，缴费基数申报，社会保险",
        f"{year}年度社会保险缴费基数申报的时间、方式和材料。",
        f"{year}年度社会保险缴费基数申报自7月1日开始，用人单位可通过“一网通办”"
        "在线申报，也可到各区社会保险经办机构窗口办理。逾期未申报的，"
        "按上年度缴费基数的110%暂定。",
    )


def _public_rental(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    batch = rng.randint(1, 4)
    homes = rng.randint(120, 900)
    return (
        agency,
        "1001",
        f"{name}{year}年第{batch}批次公共租赁住房配租公告",
        "",
        _day(rng, year, 2, 11),
        "公共租赁住房，公租房，配租",
        f"{year}年第{batch}批次公共租赁住房房源{homes}套，接受符合条件的申请。",
        f"本批次公共租赁住房房源共{homes}套，户型以一室户和两室户为主。"
        "在本市有稳定工作且住房困难的常住人口可以申请，申请材料和资格条件"
        "详见附件，配租结果将在本网站公布。",
    )


def _old_estates(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    estates = rng.randint(6, 40)
    homes = estates * rng.randint(180, 420)
    return (
        agency,
        "1001",
        f"{name}{year}年度老旧小区综合改造项目计划",
        "",
        _day(rng, year, 2, 5),
        "老旧小区改造，旧住房综合改造，民生实事",
        f"{year}年度实施老旧小区综合改造项目{estates}个，惠及居民约{homes}户。",
        f"{year}年度计划对{estates}个老旧小区实施综合改造，内容包括屋面及外墙修缮、"
        "加装电梯、雨污分流、消防设施更新和无障碍设施建设，"
        "资金由市、区两级财政按比例承担。",
    )


def _procurement(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    item = rng.choice(PROCUREMENT_ITEMS)
    amount = rng.randint(18, 960)
    return (
        agency,
        "0401",
        f"{name}{year}年{item}项目政府采购合同公告",
        "",
        _day(rng, year, 3, 11),
        "政府采购，采购合同，公开招标",
        f"{item}项目政府采购合同主要条款，合同金额{amount}万元。",
        f"采购人：{name}\n项目名称：{year}年{item}项目\n采购方式：公开招标\n"
        f"合同金额：人民币{amount}万元\n中标供应商：上海{rng.choice(COMPANY_WORDS)}"
        "信息技术有限公司\n合同履行期限：自合同签订之日起一年。",
    )


def _enrolment(
    rng: random.Random, agency: str, name: str, year: int, serial: int
) -> GeneratedRow:
    return (
        agency,
        "1102",
        f"{name}{year}年义务教育阶段学校招生入学实施细则",
        "",
        dt.date(year, 4, rng.randint(1, 28)),
        "义务教育，招生入学，划片",
        f"{year}年本区义务教育阶段公办、民办学校招生入学的办法和时间安排。",
        f"{year}年义务教育阶段招生继续实行公民同招，公办学校按照对口地段入学，"
        "民办学校报名人数超过招生计划的实行电脑随机录取。"
        "适龄儿童信息登记时间为4月中下旬。",
    )


# Per year: (template, agencies always included, pool to sample from, how many).
YEAR_PLAN = (
    (_budget, DEPARTMENT_CODES, "districts", 6),
    (_final_accounts, (), "departments", 5),
    (_final_accounts, (), "districts", 4),
    (_planning, (PLANNING,), "districts", 6),
    (_penalty, (ENVIRONMENT, ENVIRONMENT, TRANSPORT, HOUSING, HEALTH), "districts", 3),
    (_ciie, (TRANSPORT, QINGPU), "districts", 0),
    (_ciie_service, (), "ciie_hosts", 1),
    (_social_insurance, (HRSS,), "districts", 0),
    (_social_insurance_guide, (), "districts", 2),
    (_public_rental, (HOUSING,), "districts", 3),
    (_old_estates, (), "districts", 5),
    (_procurement, (), "everyone", 10),
    (_enrolment, (EDUCATION,), "districts", 3),
)


def generated_column(names: dict[str, str], today: dt.date) -> list[GeneratedRow]:
    """Return the generated column rows published on or before ``today``.

    ``names`` maps agency codes to the names the titles use (short names); codes
    missing from it are skipped, so a partly seeded city still gets a column.
    """
    rng = random.Random(GENERATED_SEED)  # noqa: S311 - demo content, not a secret
    districts = tuple(c for c in DISTRICT_CODES if c in names)
    pools = {
        "districts": districts,
        "departments": DEPARTMENT_CODES,
        "ciie_hosts": (COMMERCE, OFFICE, HEALTH),
        "everyone": (*DEPARTMENT_CODES, *districts),
    }
    rows: list[GeneratedRow] = []
    for year in GENERATED_YEARS:
        serial = 0
        for maker, fixed, pool, count in YEAR_PLAN:
            for agency in (*fixed, *rng.sample(pools[pool], count)):
                serial += 1
                if agency in names:
                    rows.append(maker(rng, agency, names[agency], year, serial))
    return [row for row in rows if row[4] <= today]
