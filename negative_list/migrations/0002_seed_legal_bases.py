"""Seed the exemption categories (DOMAIN.md §2) and the starting provisions catalogue.

The catalogue includes provisions of the 2007 Regulation (国务院令第492号), marked
repealed on the day the 2019 revision took effect, so the legality check flags old
entries that still cite them. Coordinators maintain the catalogue afterwards.
"""

import datetime as dt

from django.db import migrations

EXEMPTIONS = [
    # code, name, short name, article, binding
    ("state_secret", "国家秘密", "国家秘密", "第十四条", True),
    ("law_prohibited", "法律、行政法规禁止公开", "法律法规禁止公开", "第十四条", True),
    (
        "security_stability",
        "危及国家安全、公共安全、经济安全、社会稳定（“三安全一稳定”）",
        "危及“三安全一稳定”",
        "第十四条",
        True,
    ),
    ("third_party", "商业秘密、个人隐私等第三方合法权益", "第三方合法权益", "第十五条", True),
    (
        "internal_affairs",
        "内部事务信息（人事管理、后勤管理、内部工作流程）",
        "内部事务信息",
        "第十六条第一款",
        False,
    ),
    (
        "process_info",
        "过程性信息（讨论记录、过程稿、磋商信函、请示报告）",
        "过程性信息",
        "第十六条第二款",
        False,
    ),
    ("enforcement_file", "行政执法案卷信息", "行政执法案卷", "第十六条第二款", False),
    ("administrative_query", "行政查询事项", "行政查询事项", "", False),
]

REGULATION_2019 = "《中华人民共和国政府信息公开条例》"
REGULATION_2007 = "《中华人民共和国政府信息公开条例》（2007年）"
IN_FORCE_2019 = dt.date(2019, 5, 15)
IN_FORCE_2008 = dt.date(2008, 5, 1)

PROVISIONS = [
    # law, article, text, in force from, repealed on, exemption codes
    (
        REGULATION_2019,
        "第十四条",
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及"
        "国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开。",
        IN_FORCE_2019,
        None,
        ["state_secret", "law_prohibited", "security_stability"],
    ),
    (
        REGULATION_2019,
        "第十五条",
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。"
        "但是，第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开。",
        IN_FORCE_2019,
        None,
        ["third_party"],
    ),
    (
        REGULATION_2019,
        "第十六条第一款",
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。",
        IN_FORCE_2019,
        None,
        ["internal_affairs"],
    ),
    (
        REGULATION_2019,
        "第十六条第二款",
        "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"
        "以及行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定。",
        IN_FORCE_2019,
        None,
        ["process_info", "enforcement_file"],
    ),
    (
        REGULATION_2019,
        "第十八条",
        "行政机关应当建立健全政府信息管理动态调整机制，对本行政机关不予公开的政府信息进行定期"
        "评估审查，对因情势变化可以公开的政府信息应当公开。",
        IN_FORCE_2019,
        None,
        [],
    ),
    (
        REGULATION_2007,
        "第八条",
        "行政机关公开政府信息，不得危及国家安全、公共安全、经济安全和社会稳定。",
        IN_FORCE_2008,
        IN_FORCE_2019,
        ["security_stability"],
    ),
    (
        REGULATION_2007,
        "第十四条第四款",
        "行政机关不得公开涉及国家秘密、商业秘密、个人隐私的政府信息。但是，经权利人同意公开或者"
        "行政机关认为不公开可能对公共利益造成重大影响的涉及商业秘密、个人隐私的政府信息，可以予以公开。",
        IN_FORCE_2008,
        IN_FORCE_2019,
        ["state_secret", "third_party"],
    ),
    (
        "《中华人民共和国保守国家秘密法》",
        "第十三条",
        "下列涉及国家安全和利益的事项，泄露后可能损害国家在政治、经济、国防、外交等领域的安全和"
        "利益的，应当确定为国家秘密……",
        dt.date(2024, 5, 1),
        None,
        ["state_secret"],
    ),
    (
        "《中华人民共和国保守国家秘密法实施条例》",
        "第五条",
        "机关、单位不得将依法应当公开的事项确定为国家秘密，不得将涉及国家秘密的信息公开。",
        dt.date(2014, 3, 1),
        None,
        ["state_secret"],
    ),
    (
        "《干部档案工作条例》",
        "",
        "干部档案是党组织和人事部门在干部管理中形成的材料，按照规定的权限和程序查阅、借阅，"
        "不得擅自对外提供。",
        dt.date(2018, 11, 28),
        None,
        ["internal_affairs", "law_prohibited"],
    ),
    (
        "《中华人民共和国个人信息保护法》",
        "第二十八条",
        "敏感个人信息是一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害或者人身、财产安全"
        "受到危害的个人信息，包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息，"
        "以及不满十四周岁未成年人的个人信息。",
        dt.date(2021, 11, 1),
        None,
        ["third_party"],
    ),
    (
        "《中华人民共和国个人信息保护法》",
        "第三十四条",
        "国家机关为履行法定职责处理个人信息，应当依照法律、行政法规规定的权限、程序进行，"
        "不得超出履行法定职责所必需的范围和限度。",
        dt.date(2021, 11, 1),
        None,
        ["third_party"],
    ),
    (
        "《中华人民共和国统计法》",
        "第二十五条",
        "统计调查中获得的能够识别或者推断单个统计调查对象身份的资料，任何单位和个人不得对外提供、"
        "泄露，不得用于统计以外的目的。",
        dt.date(2010, 1, 1),
        None,
        ["law_prohibited", "third_party"],
    ),
    (
        "《中华人民共和国税收征收管理法》",
        "第八条第二款",
        "纳税人、扣缴义务人有权要求税务机关为纳税人、扣缴义务人的情况保密。税务机关应当依法为"
        "纳税人、扣缴义务人的情况保密。",
        dt.date(2001, 5, 1),
        None,
        ["law_prohibited", "third_party"],
    ),
    (
        "《中华人民共和国反不正当竞争法》",
        "第九条第四款",
        "本法所称的商业秘密，是指不为公众所知悉、具有商业价值并经权利人采取相应保密措施的技术信息、"
        "经营信息等商业信息。",
        dt.date(2019, 4, 23),
        None,
        ["third_party"],
    ),
    (
        "《中华人民共和国民法典》",
        "第一千零三十二条",
        "自然人享有隐私权。任何组织或者个人不得以刺探、侵扰、泄露、公开等方式侵害他人的隐私权。",
        dt.date(2021, 1, 1),
        None,
        ["third_party"],
    ),
]


def seed(apps, schema_editor):
    Exemption = apps.get_model("negative_list", "Exemption")
    Provision = apps.get_model("negative_list", "Provision")
    for order, (code, name, short, article, binding) in enumerate(EXEMPTIONS, start=1):
        Exemption.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "article": article,
                "binding": binding,
                "sort_order": order,
            },
        )
    for law, article, text, since, repealed, codes in PROVISIONS:
        provision, _ = Provision.objects.update_or_create(
            law=law,
            article=article,
            defaults={"text": text, "in_force_from": since, "repealed_on": repealed},
        )
        provision.exemptions.set(Exemption.objects.filter(code__in=codes))


def unseed(apps, schema_editor):
    apps.get_model("negative_list", "Provision").objects.all().delete()
    apps.get_model("negative_list", "Exemption").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("negative_list", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
