"""Properties of the personal-data screen.

Every checksum-valid, plausible 18-digit resident ID, generated from its parts and
embedded anywhere in random Chinese text (alone or with others), is found as a
``resident_id`` hit at exactly its offsets; the same number with a wrong check
character is never reported as a resident ID.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from requests_.screening import (
    ID_CHECK_CHARS,
    PROVINCE_CODES,
    HitKind,
    find_personal_data,
    resident_id_check_char,
)

EXAMPLES = 200

# Chinese text with punctuation and letters, never digits next to a number (a longer
# digit run is, rightly, not an ID).
chinese = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from("，。；：、（）《》“”！？ 　abcXYZ"),
    ),
    max_size=40,
)


@st.composite
def resident_ids(draw) -> str:
    """Draw a valid ID: province, area, birth date, sequence, check character."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(st.integers(min_value=0, max_value=9999))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{province:02d}{area:04d}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def id_hits(text: str) -> list:
    return [h for h in find_personal_data(text) if h.kind == HitKind.RESIDENT_ID]


@settings(max_examples=EXAMPLES, deadline=None)
@given(chinese, resident_ids(), chinese)
def test_every_valid_id_is_found_at_its_offsets(before, number, after):
    """One valid ID in Chinese text: one resident_id hit, offsets exact."""
    text = before + number + after
    hits = id_hits(text)
    assert [(h.start, h.end, h.value) for h in hits] == [
        (len(before), len(before) + 18, number)
    ]
    assert text[hits[0].start : hits[0].end] == number


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(st.lists(st.tuples(chinese, resident_ids()), min_size=1, max_size=5), chinese)
def test_several_ids_are_all_found_in_order(parts, tail):
    """Several IDs separated by Chinese text are each found, in order, exactly."""
    text, expected = "", []
    for before, number in parts:
        text += before + "：" + number
        expected.append((len(text) - 18, len(text), number))
    text += "。" + tail
    assert [(h.start, h.end, h.value) for h in id_hits(text)] == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(chinese, resident_ids(), st.integers(min_value=1, max_value=10), chinese)
def test_a_wrong_check_character_is_never_a_resident_id(before, number, shift, after):
    """Replacing the check character by any other is never reported as an ID."""
    right = ID_CHECK_CHARS.index(number[-1])
    wrong = ID_CHECK_CHARS[(right + shift) % len(ID_CHECK_CHARS)]
    assert id_hits(before + number[:-1] + wrong + after) == []


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(chinese, resident_ids(), chinese)
def test_lower_case_x_and_full_width_digits_are_found_too(before, number, after):
    """A full-width copy of the ID is found at the same offsets (length is kept)."""
    wide = number.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    wide = wide.replace("X", "x")
    hits = id_hits(before + wide + after)
    assert [(h.start, h.end) for h in hits] == [(len(before), len(before) + 18)]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=300))
def test_the_screen_never_raises_and_offsets_are_in_range(text):
    """Any text: no exception, every hit's value is the text at its offsets."""
    for hit in find_personal_data(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.value
