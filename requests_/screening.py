"""The personal-data screen (个人信息筛查) run before a disclosure is approved.

A disclosure converted from a request (依申请转主动公开) must not publish anyone's
identity. The screen finds what a person can be identified by: resident ID numbers
(checksum-valid only, so document and index numbers do not drown the reviewer),
mainland mobile and landline numbers, Luhn-valid bank card numbers, e-mail addresses
and every literal the applicant gave about themself. The reviewer masks each hit or
accepts it with a reason; ``Hit.key`` lets that decision survive a re-screen.

Text is matched on a copy normalised character by character with NFKC, so full-width
digits (１１０１…) and punctuation (（０２１）, ＠) are found. Only characters whose
NFKC form is a single character are mapped; the copy therefore has exactly the
length of the original and every offset points into the original text.

Speed (development container, 2 CPUs): 1 MB of Chinese text takes about 0.19 s
with ~2,000 hits and as long with none; 1 MB of ASCII with 40,000 hits, 0.28 s.
The one-off NFKC table costs ~15 ms on the first call. ``test_screening.py`` fails
above one second.

First-generation 15-digit ID numbers are not screened: they expired in 2013 and a
15-digit pattern would flag far too many unrelated numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_LENGTH = _("身份证号码应为18位，当前为%(length)d位。")
ID_CHARACTERS = _("身份证号码只能由数字组成，最后一位可以是X。")
ID_REGION = _("身份证号码的地区码（前6位）无效。")
ID_BIRTH_DATE = _("身份证号码中的出生日期（第7至14位）无效。")
ID_CHECKSUM = _("身份证号码校验位（最后一位）不正确，请核对。")
PHONE_INVALID = _(
    "请输入有效的手机号码或固定电话号码（固定电话需带区号，如021-64581234）。"
)

CONTEXT_CHARS = 20
MIN_TERM_LENGTH = 2
KEY_SALT = "requests_.screening.Hit.key"

# Province-level codes that open a resident ID number (GB/T 2260); 83 is used by
# the residence permits of Taiwan residents.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45}
    | {46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 81, 82, 83}
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH_YEAR = 1900


class HitKind(StrEnum):
    """What a hit identifies a person by."""

    RESIDENT_ID = "resident_id"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    APPLICANT = "applicant"


HIT_LABELS = {
    HitKind.RESIDENT_ID: _("身份证号码"),
    HitKind.MOBILE: _("手机号码"),
    HitKind.LANDLINE: _("固定电话"),
    HitKind.BANK_CARD: _("银行卡号"),
    HitKind.EMAIL: _("电子邮箱"),
    HitKind.APPLICANT: _("申请人信息"),
}

# Equal spans go to the most specific kind: the applicant's own data first, then a
# resident ID before the bank card its digits may also pass the Luhn test as.
KIND_PRIORITY = {
    HitKind.APPLICANT: 0,
    HitKind.RESIDENT_ID: 1,
    HitKind.BANK_CARD: 2,
    HitKind.MOBILE: 3,
    HitKind.LANDLINE: 4,
    HitKind.EMAIL: 5,
}


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text.

    ``start``/``end`` index the screened text (``text[start:end] == value``);
    ``context`` is the value with about 20 characters either side; ``key`` is a
    keyed hash of the kind and the normalised value, the same for the same number
    however it is spaced, and useless for guessing the number from an audit log.
    """

    kind: HitKind
    start: int
    end: int
    value: str
    context: str
    key: str


Span = tuple[int, int, HitKind]

# ---------------------------------------------------------------------------
# Normalisation


# Digits outside the BMP whose NFKC form is an ASCII digit (mathematical digits).
_ASTRAL_DIGITS = range(0x1D7CE, 0x1D800)


@functools.cache
def _nfkc_table() -> dict[int, str]:
    """Map each character whose NFKC form is one other character to that form.

    Built once, on first use (about 20 ms), so importing the module stays cheap.
    """
    table: dict[int, str] = {}
    for code in (*range(0x80, 0xD800), *range(0xE000, 0x10000), *_ASTRAL_DIGITS):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and folded != chr(code):
            table[code] = folded
    return table


def normalize(text: str) -> str:
    """Return ``text`` with each character NFKC-folded where that keeps one character.

    Keep the length so that offsets found in the copy are offsets in ``text``.
    """
    if text.isascii():
        return text
    return text.translate(_nfkc_table())


# ---------------------------------------------------------------------------
# Checksums and plausibility


def resident_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 ASCII digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True)
    )
    return ID_CHECK_CHARS[total % 11]


def _birth_date(digits: str) -> dt.date | None:
    try:
        born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return None
    if born.year < EARLIEST_BIRTH_YEAR or born > dt.date.today():
        return None
    return born


def is_valid_resident_id(value: str) -> bool:
    """Tell whether 18 normalised characters form a plausible, checksum-valid ID."""
    value = value.upper()
    return (
        len(value) == 18
        and value[:17].isdigit()
        and value[:17].isascii()
        and int(value[:2]) in PROVINCE_CODES
        and _birth_date(value) is not None
        and resident_id_check_char(value[:17]) == value[17]
    )


def luhn_valid(digits: str) -> bool:
    """Tell whether a string of ASCII digits passes the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


# ---------------------------------------------------------------------------
# Patterns (matched against the normalised copy)

_AREA_CODE = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_SUBSCRIBER = r"(?:[2-9][0-9]{6,7}|[2-9][0-9]{2,3}[ -][0-9]{4})"

# 6 + 8 + 4, optionally split by one consistent space or hyphen.
_RESIDENT_ID_RE = re.compile(
    r"(?<![0-9])[1-68][0-9]{5}([ -]?)[0-9]{8}\1[0-9]{3}[0-9Xx](?![0-9])"
)
_MOBILE_RE = re.compile(
    r"(?<![0-9+])(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])"
)
_LANDLINE_RE = re.compile(
    rf"(?<![0-9])(?:\({_AREA_CODE}\) ?|{_AREA_CODE}[ -]){_SUBSCRIBER}(?![0-9])"
)
# 16–19 digits, contiguous or in groups of four split by one consistent separator.
# International and domestic cards open with 3–6 or 9; a leading 0, 1, 2, 7 or 8
# is far more often a code or a serial than a card.
_BANK_CARD_RE = re.compile(
    r"(?<![0-9])(?<![0-9]{4}[ -])[3-69][0-9]{3}([ -]?)[0-9]{4}\1[0-9]{4}\1[0-9]{4}"
    r"(?:\1[0-9]{1,3})?(?![0-9])(?!\1[0-9])"
)
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9-])"
)
_MOBILE_FULL_RE = re.compile(r"(?:\+?86|0086)?(1[3-9][0-9]{9})")
_NUMBER_TERM_RE = re.compile(r"[0-9Xx\s()+\-]+")
_NUMBER_SEPARATORS = r"[\s()\-]*"


_NOT_ALNUM_RE = re.compile(r"[^0-9A-Za-z]")


def _digits(value: str) -> str:
    """Return the ASCII digits and letters of ``value`` (the X of an ID number)."""
    return _NOT_ALNUM_RE.sub("", normalize(value))


def _resident_ids(norm: str) -> Iterator[Span]:
    for match in _RESIDENT_ID_RE.finditer(norm):
        if is_valid_resident_id(_digits(match.group())):
            yield match.start(), match.end(), HitKind.RESIDENT_ID


def _bank_cards(norm: str) -> Iterator[Span]:
    for match in _BANK_CARD_RE.finditer(norm):
        digits = _digits(match.group())
        # An 18-digit run with a valid ID check character is an ID number, even
        # an implausible one; calling it a card would mislead the reviewer.
        looks_like_id = len(digits) == 18 and (
            resident_id_check_char(digits[:17]) == digits[17]
        )
        if luhn_valid(digits) and not looks_like_id:
            yield match.start(), match.end(), HitKind.BANK_CARD


def _simple(pattern: re.Pattern[str], kind: HitKind, norm: str) -> Iterator[Span]:
    for match in pattern.finditer(norm):
        yield match.start(), match.end(), kind


def _term_pattern(term: str) -> re.Pattern[str] | None:
    """Compile one applicant literal, tolerant of spacing (and, in numbers, hyphens)."""
    norm = normalize(term).strip()
    if _NUMBER_TERM_RE.fullmatch(norm) and any(char.isdigit() for char in norm):
        chars = [char for char in norm if char.isalnum()]
        mobile = _MOBILE_FULL_RE.fullmatch("".join(chars))
        if mobile:  # The applicant's +86 is not written in the document.
            chars = list(mobile.group(1))
        if len(chars) < MIN_TERM_LENGTH:
            return None
        body = _NUMBER_SEPARATORS.join(re.escape(char) for char in chars)
        return re.compile(rf"(?<![0-9]){body}(?![0-9])", re.IGNORECASE)
    chars = [char for char in norm if not char.isspace()]
    if len(chars) < MIN_TERM_LENGTH:
        return None
    body = r"\s*".join(re.escape(char) for char in chars)
    # A Latin name or an e-mail must not match inside a longer word.
    head = r"(?<![A-Za-z0-9])" if chars[0].isascii() and chars[0].isalnum() else ""
    tail = r"(?![A-Za-z0-9])" if chars[-1].isascii() and chars[-1].isalnum() else ""
    return re.compile(head + body + tail, re.IGNORECASE)


def _applicant(norm: str, terms: Iterable[object]) -> Iterator[Span]:
    for term in terms:
        if not isinstance(term, str):
            continue
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        for match in pattern.finditer(norm):
            yield match.start(), match.end(), HitKind.APPLICANT


# ---------------------------------------------------------------------------
# Screening


def _key_value(kind: HitKind, value: str) -> str:
    norm = normalize(value)
    if kind == HitKind.EMAIL:
        return norm.strip().casefold()
    if kind == HitKind.APPLICANT:
        return "".join(norm.split()).casefold()
    digits = _digits(norm).upper()
    return digits[-11:] if kind == HitKind.MOBILE else digits


def _hmac_key() -> bytes:
    secret = str(settings.SECRET_KEY)
    return hashlib.sha256((KEY_SALT + secret).encode("utf-8", "surrogatepass")).digest()


def hit_key(kind: str, value: str, *, _secret: bytes | None = None) -> str:
    """Return the stable, keyed key of a hit, so accepted decisions can be found again.

    A bare SHA-256 of a phone number is reversed by trying every number; the key is
    therefore an HMAC keyed with the project's ``SECRET_KEY`` (rotating that key
    forgets the accepted decisions, which then have to be made again).
    """
    kind = HitKind(kind)
    message = f"{kind}:{_key_value(kind, value)}".encode("utf-8", "surrogatepass")
    return hmac.new(_secret or _hmac_key(), message, hashlib.sha256).hexdigest()


def _pick(group: list[Span]) -> list[Span]:
    """Keep the longest of overlapping spans; on a tie the most specific kind."""
    if len(group) == 1:
        return group
    kept: list[Span] = []
    for span in sorted(group, key=lambda s: (s[0] - s[1], KIND_PRIORITY[s[2]], s[0])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in kept):
            kept.append(span)
    return sorted(kept)


def _resolve(candidates: Iterable[Span]) -> list[Span]:
    """Split the spans into clusters of overlapping ones and resolve each cluster.

    Sweep in offset order so the cost stays linear when hits are many and apart.
    """
    resolved: list[Span] = []
    group: list[Span] = []
    group_end = -1
    for span in sorted(set(candidates), key=lambda s: (s[0], s[0] - s[1])):
        if group and span[0] >= group_end:
            resolved.extend(_pick(group))
            group = []
        group.append(span)
        group_end = max(group_end, span[1]) if len(group) > 1 else span[1]
    if group:
        resolved.extend(_pick(group))
    return resolved


def find_personal_data(text: str, *, applicant_terms: Sequence[str] = ()) -> list[Hit]:
    """Find personal data in ``text`` and return the hits sorted by offset.

    ``applicant_terms`` are the applicant's own name, ID number, phone, address and
    e-mail; each literal found becomes an ``applicant`` hit. Never raises on a str.
    """
    if not isinstance(text, str) or not text:
        return []
    if isinstance(applicant_terms, str):
        applicant_terms = (applicant_terms,)
    norm = normalize(text)
    candidates: list[Span] = []
    candidates.extend(_resident_ids(norm))
    candidates.extend(_bank_cards(norm))
    candidates.extend(_simple(_MOBILE_RE, HitKind.MOBILE, norm))
    candidates.extend(_simple(_LANDLINE_RE, HitKind.LANDLINE, norm))
    if "@" in norm:
        candidates.extend(_simple(_EMAIL_RE, HitKind.EMAIL, norm))
    candidates.extend(_applicant(norm, applicant_terms or ()))
    secret = _hmac_key()
    keys: dict[tuple[HitKind, str], str] = {}
    hits = []
    for start, end, kind in _resolve(candidates):
        value = text[start:end]
        if (kind, value) not in keys:
            keys[kind, value] = hit_key(kind, value, _secret=secret)
        context = text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]
        hits.append(Hit(kind, start, end, value, context, keys[kind, value]))
    return hits


# ---------------------------------------------------------------------------
# Masking

_FULL_WIDTH = range(0xFF01, 0xFF5F)


def _star(char: str) -> str:
    return "＊" if ord(char) in _FULL_WIDTH else "*"


def _mask_digits(value: str, *, keep_head: int, keep_tail: int) -> str:
    """Star the digits of ``value`` but the first and last few; keep separators."""
    norm = normalize(value)
    positions = [i for i, char in enumerate(norm) if char.isascii() and char.isalnum()]
    hidden = set(positions[keep_head : max(keep_head, len(positions) - keep_tail)])
    return "".join(
        _star(char) if index in hidden else char for index, char in enumerate(value)
    )


def _mask_email(value: str) -> str:
    at = normalize(value).rfind("@")
    if at <= 0:
        return _mask_name(value)
    return value[0] + "***" + value[at:]


def _mask_name(value: str) -> str:
    """Keep the first character and star every further one, keeping the spacing."""
    stripped = value.lstrip()
    lead = value[: len(value) - len(stripped)]
    if not stripped:
        return value
    rest = "".join(char if char.isspace() else "＊" for char in stripped[1:])
    return lead + stripped[0] + rest


def _mask_landline(value: str) -> str:
    digits = _digits(value)
    area = 3 if digits.startswith(("010", "02")) else 4
    return _mask_digits(value, keep_head=area, keep_tail=4)


def _mask_mobile(value: str) -> str:
    digits = _digits(value)
    return _mask_digits(value, keep_head=max(len(digits) - 8, 0), keep_tail=4)


def _mask_applicant(value: str) -> str:
    """Mask an applicant literal by the shape it has: ID, phone, e-mail or name."""
    norm = normalize(value)
    digits = _digits(norm)
    if _EMAIL_RE.fullmatch(norm.strip()):
        return _mask_email(value)
    if _NUMBER_TERM_RE.fullmatch(norm) and len(digits) >= MIN_TERM_LENGTH:
        if len(digits) == 18:
            return _mask_digits(value, keep_head=6, keep_tail=4)
        if _MOBILE_RE.fullmatch(norm.strip()):
            return _mask_mobile(value)
        return _mask_digits(value, keep_head=0, keep_tail=min(4, len(digits) // 2))
    return _mask_name(value)


_MASKERS = {
    HitKind.RESIDENT_ID: lambda value: _mask_digits(value, keep_head=6, keep_tail=4),
    HitKind.MOBILE: _mask_mobile,
    HitKind.LANDLINE: _mask_landline,
    HitKind.BANK_CARD: lambda value: _mask_digits(value, keep_head=0, keep_tail=4),
    HitKind.EMAIL: _mask_email,
    HitKind.APPLICANT: _mask_applicant,
}


def mask_hit(hit: Hit) -> str:
    """Return the masked form of one hit, keeping its shape (310101********1234)."""
    return _MASKERS[HitKind(hit.kind)](hit.value)


def mask(text: str, hits: Iterable[Hit]) -> str:
    """Return ``text`` with every hit masked and everything else left untouched.

    Apply right to left so earlier offsets stay valid. A hit that does not match
    ``text`` (screened on another version) raises ``ValueError``: silently skipping
    it would publish the very data the reviewer asked to hide.
    """
    pieces: list[str] = []
    previous_start = len(text)
    for hit in sorted(set(hits), key=lambda item: (item.start, item.end), reverse=True):
        if hit.start < 0 or text[hit.start : hit.end] != hit.value:
            msg = f"hit at {hit.start}-{hit.end} does not match the text"
            raise ValueError(msg)
        if hit.end > previous_start:
            continue  # Overlaps a hit already masked.
        pieces.append(text[hit.end : previous_start])
        pieces.append(mask_hit(hit))
        previous_start = hit.start
    pieces.append(text[:previous_start])
    return "".join(reversed(pieces))


# ---------------------------------------------------------------------------
# Form validators


def validate_resident_id(value: str) -> str:
    """Return the 18-character ID number with an upper-case X, or raise.

    The ``ValidationError`` names what is wrong (length, characters, region, birth
    date, checksum) so the applicant can correct the right digit.
    """
    norm = "".join(normalize(str(value)).split()).upper()
    if len(norm) != 18:
        raise ValidationError(ID_LENGTH, code="length", params={"length": len(norm)})
    if not re.fullmatch(r"[0-9]{17}[0-9X]", norm):
        raise ValidationError(ID_CHARACTERS, code="characters")
    if int(norm[:2]) not in PROVINCE_CODES:
        raise ValidationError(ID_REGION, code="region")
    if _birth_date(norm) is None:
        raise ValidationError(ID_BIRTH_DATE, code="birth_date")
    if resident_id_check_char(norm[:17]) != norm[17]:
        raise ValidationError(ID_CHECKSUM, code="checksum")
    return norm


_LANDLINE_FULL_RE = re.compile(rf"({_AREA_CODE})([2-9][0-9]{{6,7}})")


def validate_phone(value: str) -> str:
    """Return a mobile as 11 digits or a landline as ``021-64581234``, or raise.

    A landline needs its area code: without it the number cannot be dialled from
    the agency's own city and cannot be told apart from a service number.
    """
    norm = normalize(str(value)).strip()
    if re.fullmatch(r"[0-9+\s()\-]+", norm):
        compact = re.sub(r"[\s()\-]", "", norm)
        mobile = _MOBILE_FULL_RE.fullmatch(compact)
        if mobile:
            return mobile.group(1)
        landline = _LANDLINE_FULL_RE.fullmatch(compact)
        if landline:
            return f"{landline.group(1)}-{landline.group(2)}"
    raise ValidationError(PHONE_INVALID, code="invalid_phone")
