"""The personal-data screen: real-format numbers, offsets, masking, form validators.

Valid ID numbers are computed here with an independent MOD 11-2 (the recursive
form of ISO 7064, not the weight table the module uses) and card numbers with an
independent Luhn, so a wrong table in the module cannot agree with itself.
"""

from __future__ import annotations

import random
import re

import pytest

from django.core.exceptions import ValidationError

from requests_.screening import (
    ID_BIRTH_DATE,
    ID_CHARACTERS,
    ID_CHECKSUM,
    ID_LENGTH,
    ID_REGION,
    PHONE_INVALID,
    Hit,
    HitKind,
    find_personal_data,
    hit_key,
    mask,
    mask_hit,
    validate_phone,
    validate_resident_id,
)
from tests.requests_.factories import PUBLISHED_SAMPLE_ID, mod11_2


def make_id(region: str = "310101", birth: str = "19850615", seq: str = "123") -> str:
    first17 = region + birth + seq
    return first17 + mod11_2(first17)


def wrong_check(valid: str) -> str:
    """Return the ID with every other check character tried, the first one."""
    return valid[:17] + next(c for c in "0123456789X" if c != valid[17])


def luhn_complete(payload: str) -> str:
    """Append the Luhn check digit, doubling from the right of the full number."""
    digits = [int(d) for d in payload + "0"]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return payload + str((10 - total % 10) % 10)


def kinds(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(hit.kind, hit.value) for hit in find_personal_data(text, **kwargs)]


# --- resident ID numbers ----------------------------------------------------


def test_reference_checksum_agrees_with_the_published_sample() -> None:
    """The test's own MOD 11-2 reproduces the standard's sample: it can be trusted."""
    assert mod11_2(PUBLISHED_SAMPLE_ID[:17]) == "X"


def test_published_sample_is_found_in_a_chinese_sentence() -> None:
    """A valid ID inside Chinese punctuation is one hit with exact offsets."""
    text = f"申请人张三（身份证号{PUBLISHED_SAMPLE_ID}，联系电话13800138000）"
    hits = find_personal_data(text)
    assert [(h.kind, h.value) for h in hits] == [
        ("resident_id", PUBLISHED_SAMPLE_ID),
        ("mobile", "13800138000"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.value
        assert hit.value in hit.context
    assert (
        hits[0].context
        == f"申请人张三（身份证号{PUBLISHED_SAMPLE_ID}，联系电话13800138000）"
    )


def test_id_with_wrong_check_character_is_not_a_hit() -> None:
    """The brief's 110105194912310021 ends in 1 where the checksum demands X."""
    text = "申请人张三（身份证号110105194912310021，联系电话13800138000）"
    assert kinds(text) == [("mobile", "13800138000")]
    for valid in (make_id(), make_id("440305", "20000229", "771"), PUBLISHED_SAMPLE_ID):
        assert kinds(f"号码{valid}。") == [("resident_id", valid)]
        assert kinds(f"号码{wrong_check(valid)}。") == []


def test_computed_ids_over_many_birth_dates_are_all_found() -> None:
    """Every computed ID is found, every one with a wrong check character is not."""
    rng = random.Random(4)
    for _ in range(200):
        valid = make_id(
            rng.choice(["110105", "310101", "440106", "510104", "650102", "820000"]),
            f"{rng.randint(1900, 2020)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d}",
            f"{rng.randint(0, 999):03d}",
        )
        assert kinds(f"身份证：{valid}") == [("resident_id", valid)]
        assert not any(k == "resident_id" for k, _ in kinds(wrong_check(valid)))


@pytest.mark.parametrize(
    ("first17", "why"),
    [
        ("44052418800101001", "born 1880, before 1900 (the standard's own old sample)"),
        ("31010119850230123", "30 February"),
        ("31010120991231123", "born in the future"),
        ("99010119850615123", "region 99 does not exist"),
        ("71010119850615123", "region starts with 7"),
    ],
)
def test_checksum_valid_but_implausible_ids_are_not_hits(
    first17: str, why: str
) -> None:
    """A checksum alone is one chance in eleven; the date and region must fit too."""
    assert kinds("证件号" + first17 + mod11_2(first17)) == [], why


def test_id_inside_a_longer_digit_run_is_not_a_hit() -> None:
    """Part of a 19- or 20-digit number is not an ID number."""
    valid = make_id("110105")
    assert kinds(f"编号1{valid}号") == []
    assert kinds(f"编号{valid}9号") == []


def test_full_width_id_reports_offsets_in_the_original_text() -> None:
    """NFKC finds full-width digits; ligatures before them do not shift offsets."""
    valid = make_id("110105", "19491231", "002")
    full_width = valid.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    text = f"㍿ﬁ½（身份证号：{full_width}）"
    [hit] = find_personal_data(text)
    assert hit.kind == "resident_id"
    assert text[hit.start : hit.end] == full_width == hit.value
    assert hit.start == text.index(full_width)
    assert hit.key == find_personal_data(valid)[0].key


def test_spaced_id_is_found_whole() -> None:
    """The 6-8-4 grouping of forms is one hit, not a mobile and a fragment."""
    valid = make_id()
    spaced = f"{valid[:6]} {valid[6:14]} {valid[14:]}"
    assert kinds(f"身份证 {spaced} 。") == [("resident_id", spaced)]


# --- phones -----------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "8613912345678",
        "１３９１２３４５６７８",
        "19912345678",
    ],
)
def test_mobile_numbers_are_found_whole(number: str) -> None:
    """Mobile numbers are found with their grouping and country code."""
    assert kinds(f"联系电话：{number}。") == [("mobile", number)]


@pytest.mark.parametrize(
    "number",
    [
        "021-64581234",
        "(021)64581234",
        "（021）64581234",
        "021 6458 1234",
        "0571-87654321",
        "010-62751234",
        "0755 8888 1234",
    ],
)
def test_landlines_are_found_whole(number: str) -> None:
    """Landlines with an area code and a separator are found."""
    assert kinds(f"办公电话{number}，") == [("landline", number)]


@pytest.mark.parametrize(
    "text",
    [
        "市民服务热线12345",
        "拨打12345或95588咨询",
        "沪府办发〔2018〕16号",
        "索引号：310101000/2025-00012",
        "成文日期：2025-10-01，20251001",
        "客服电话400-820-8820",
        "金额1234567.89元，第12号",
        "文号：国办发〔2019〕3号、第2025-00012号",
        "12800138000 是无效号段",
        "共计13800138000123条",
        "统一社会信用代码12310000425005467E",
    ],
)
def test_service_numbers_dates_and_document_numbers_are_not_hits(text: str) -> None:
    """Hotlines, dates, document and index numbers are not personal data."""
    assert kinds(text) == []


# --- bank cards ---------------------------------------------------------------


def test_bank_cards_pass_luhn_or_are_not_hits() -> None:
    """A Luhn-valid card number is a hit, grouped or not; a wrong digit is not."""
    card = luhn_complete("622202000000000000")
    assert len(card) == 19
    grouped = " ".join(card[i : i + 4] for i in range(0, 19, 4))
    assert grouped == f"6222 0200 0000 0000 00{card[-1]}"
    bad = card[:-1] + str((int(card[-1]) + 1) % 10)
    bad_grouped = " ".join(bad[i : i + 4] for i in range(0, 19, 4))
    assert kinds(f"开户账号{card}。") == [("bank_card", card)]
    assert kinds(f"卡号：{grouped}。") == [("bank_card", grouped)]
    assert kinds(f"卡号：{bad} 或 {bad_grouped}") == []
    assert kinds("测试卡 4111-1111-1111-1111") == [("bank_card", "4111-1111-1111-1111")]


def test_an_id_that_also_passes_luhn_is_an_id() -> None:
    """The same 18 digits are reported once, as the more specific resident ID."""
    valid = next(
        candidate
        for seq in range(1000)
        if (candidate := make_id("310101", "19850615", f"{seq:03d}"))[-1] != "X"
        and luhn_complete(candidate[:-1]) == candidate
    )
    assert kinds(f"证件{valid}") == [("resident_id", valid)]


# --- e-mail and applicant terms ---------------------------------------------------


def test_email_addresses_are_found_in_chinese_text() -> None:
    """Addresses are found between Chinese characters, full-width ones too."""
    text = (
        "请发送至zhang.san+foia@mail.example.com.cn，"
        "或ｌｉｓｉ＠ｅｘａｍｐｌｅ．ｏｒｇ。"
    )
    assert kinds(text) == [
        ("email", "zhang.san+foia@mail.example.com.cn"),
        ("email", "ｌｉｓｉ＠ｅｘａｍｐｌｅ．ｏｒｇ"),
    ]
    assert kinds("无效地址 user@localhost 和 @example.com") == []


def test_applicant_terms_are_found_with_spacing_and_case_variations() -> None:
    """The applicant's literals are found however the document spaces them."""
    terms = [
        "张三",
        "139-1234-5678",
        "上海市黄浦区人民大道200号",
        "Zhang.San@Example.com",
    ]
    text = (
        "经查，张 三于2025年3月1日来电（13912345678），住址上海市黄浦区 人民大道200号，"
        "邮箱zhang.san@example.com。"
    )
    found = kinds(text, applicant_terms=terms)
    assert found == [
        ("applicant", "张 三"),
        ("applicant", "13912345678"),
        ("applicant", "上海市黄浦区 人民大道200号"),
        ("applicant", "zhang.san@example.com"),
    ]


def test_applicant_id_with_lower_case_x_wins_over_the_id_kind() -> None:
    """An applicant literal and a detector on the same span make one applicant hit."""
    text = f"身份证号{PUBLISHED_SAMPLE_ID}"
    assert kinds(text, applicant_terms=[PUBLISHED_SAMPLE_ID.lower()]) == [
        ("applicant", PUBLISHED_SAMPLE_ID)
    ]


def test_short_and_odd_terms_are_ignored() -> None:
    """One-character terms would flag every sentence; a bare str is one term."""
    assert kinds("张先生来信", applicant_terms=["张", " ", ""]) == []
    assert kinds("王小明来信", applicant_terms="王小明") == [("applicant", "王小明")]
    assert kinds("Mr Lin wrote to Berlin", applicant_terms=["Lin"]) == [
        ("applicant", "Lin")
    ]


def test_overlapping_hits_keep_the_longest_once_sorted() -> None:
    """The mobile with +86 covers the applicant's bare number; no duplicates."""
    text = "电话+86 13800138000；再次：13800138000；张三"
    hits = find_personal_data(text, applicant_terms=["13800138000", "张三", "张三"])
    assert [(h.kind, h.value) for h in hits] == [
        ("mobile", "+86 13800138000"),
        ("applicant", "13800138000"),
        ("applicant", "张三"),
    ]
    assert [h.start for h in hits] == sorted(h.start for h in hits)


# --- keys ---------------------------------------------------------------------


def test_key_is_stable_across_spacing_and_reveals_nothing() -> None:
    """Re-screening finds the same key; the key does not contain the number."""
    first = find_personal_data("电话138-0013-8000")[0]
    second = find_personal_data("另一份材料里 +86 138 0013 8000 出现")[0]
    assert first.key == second.key == hit_key("mobile", "13800138000")
    assert re.fullmatch(r"[0-9a-f]{64}", first.key)
    assert "13800138000" not in first.key
    assert hit_key("applicant", "13800138000") != first.key


# --- masking ------------------------------------------------------------------


def test_mask_keeps_the_shape_of_each_kind() -> None:
    """Masks follow the usual shapes: 310101********1234, 138****8000, …"""
    valid = make_id("310101")
    card = luhn_complete("622202000000000000")
    text = (
        f"申请人张三丰，身份证{valid}，手机138-0013-8000，座机021-64581234，"
        f"卡号{card}，邮箱zhangsan@example.com。"
    )
    hits = find_personal_data(text, applicant_terms=["张三丰"])
    masked = {h.kind: mask_hit(h) for h in hits}
    assert masked == {
        "applicant": "张＊＊",
        "resident_id": valid[:6] + "********" + valid[-4:],
        "mobile": "138-****-8000",
        "landline": "021-****1234",
        "bank_card": "*" * 15 + card[-4:],
        "email": "z***@example.com",
    }


def test_mask_leaves_everything_else_identical() -> None:
    """Only the hit spans change; the masked text screens clean."""
    valid = make_id("110105", "19491231", "002")
    text = (
        f"　　申请人李四（身份证号{valid}，电话（021）64581234，"
        "手机１３９１２３４５６７８），邮箱li.si@example.com。\n"
        "第二段 文号沪府办发〔2018〕16号。"
    )
    hits = find_personal_data(text, applicant_terms=["李四"])
    masked = mask(text, hits)
    assert len(hits) == 5
    cursor = 0
    rebuilt = []
    for hit in hits:
        rebuilt.append(text[cursor : hit.start])
        rebuilt.append(mask_hit(hit))
        cursor = hit.end
    rebuilt.append(text[cursor:])
    assert masked == "".join(rebuilt)
    assert masked.endswith(
        "，邮箱l***@example.com。\n第二段 文号沪府办发〔2018〕16号。"
    )
    assert "手机１３９＊＊＊＊５６７８）" in masked
    assert find_personal_data(masked) == []
    assert mask(text, []) == text


def test_mask_refuses_hits_from_another_text() -> None:
    """A stale hit raises instead of leaving the data unmasked."""
    hits = find_personal_data("手机13800138000")
    with pytest.raises(ValueError, match="does not match"):
        mask("手机号码13800138000", hits)


def test_mask_applies_right_to_left_with_length_changing_masks() -> None:
    """E-mail masks change length; earlier hits are still masked correctly."""
    text = "a@example.com 与 bob.smith@example.org 与 13800138000"
    hits = find_personal_data(text)
    assert mask(text, hits) == "a***@example.com 与 b***@example.org 与 138****8000"
    assert mask_hit(Hit(HitKind.APPLICANT, 0, 2, "张三", "张三", "k")) == "张＊"


# --- robustness and speed -------------------------------------------------------


def test_never_raises_on_arbitrary_strings() -> None:
    """Random text of every script, lone surrogates included, is screened quietly."""
    rng = random.Random(11)
    alphabet = "0123456789０１２３４５６７８９Xx+-() ＠@.　，张三\ud800\U0001d7ce①⑩ﬁ\n"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        terms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))]
        hits = find_personal_data(text, applicant_terms=terms)
        for hit in hits:
            assert text[hit.start : hit.end] == hit.value
        mask(text, hits)


def test_one_megabyte_reply_is_screened_completely() -> None:
    """Every planted number in a 1 MB reply is found (speed: bench/screening.py)."""
    valid = make_id()
    paragraph = (
        "根据《中华人民共和国政府信息公开条例》第二十七条，本机关于2025年3月1日收到"
        "您的申请（沪府办发〔2018〕16号），索引号310101000/2025-00012，现答复如下。"
    ) * 20 + f"联系人王五，电话13912345678，身份证{valid}，邮箱wang@example.com。"
    text = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    hits = find_personal_data(text, applicant_terms=["王五", "13912345678"])
    planted = text.count(valid)
    assert planted > 100
    assert sum(1 for hit in hits if hit.kind == "resident_id") == planted
    assert sum(1 for hit in hits if hit.value == "王五") == text.count("王五")


# --- form validators --------------------------------------------------------------


def test_validate_resident_id_normalises() -> None:
    """Lower-case x, full width and spaces are accepted and normalised."""
    assert validate_resident_id("11010519491231002x") == PUBLISHED_SAMPLE_ID
    assert validate_resident_id(" １１０１０５ １９４９１２３１ ００２Ｘ ") == (
        PUBLISHED_SAMPLE_ID
    )


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1101051949123100", "length", ID_LENGTH),
        ("11010519491231002Y", "characters", ID_CHARACTERS),
        ("11010519491231X021", "characters", ID_CHARACTERS),
        ("990101" + "19850615123" + "0", "region", ID_REGION),
        (make_id(birth="19850230"), "birth_date", ID_BIRTH_DATE),
        ("110105194912310021", "checksum", ID_CHECKSUM),
    ],
)
def test_validate_resident_id_names_the_problem(
    value: str, code: str, message: object
) -> None:
    """Each defect has its own code and Chinese message."""
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(value)
    assert caught.value.code == code
    assert caught.value.message == message
    assert "身份证" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("(021)64581234", "021-64581234"),
        ("021 6458 1234", "021-64581234"),
        ("0571-87654321", "0571-87654321"),
    ],
)
def test_validate_phone_normalises(value: str, expected: str) -> None:
    """Mobiles become 11 digits, landlines area-hyphen-number."""
    assert validate_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "12345", "64581234", "12800138000", "138001380001", "电话", "021-1234"],
)
def test_validate_phone_rejects_in_chinese(value: str) -> None:
    """Service numbers, numbers without area code and junk are refused."""
    with pytest.raises(ValidationError) as caught:
        validate_phone(value)
    assert caught.value.message == PHONE_INVALID
    assert caught.value.code == "invalid_phone"
