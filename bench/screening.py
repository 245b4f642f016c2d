"""Benchmark the personal-data screen on a 1 MB reply.

Run: .venv/bin/python bench/screening.py
Prints the time to screen and mask 1 MB of realistic Chinese text with planted
numbers, beside a naive alternative (one regex per kind over the text, without
checksums), so the cost of checksum validation and overlap resolution is visible.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.conf import settings

# Hit keys are HMACs keyed by SECRET_KEY; a throwaway key is enough here.
settings.configure(SECRET_KEY="bench-only")  # noqa: S106

from requests_.screening import find_personal_data, mask, resident_id_check_char  # noqa: E402

RUNS = 5


def make_id(prefix: str = "31010119850612123") -> str:
    return prefix + resident_id_check_char(prefix)


def corpus(size: int = 1_000_000) -> str:
    paragraph = (
        "根据《中华人民共和国政府信息公开条例》第二十七条，本机关于2025年3月1日收到"
        "您的申请（沪府办发〔2018〕16号），索引号310101000/2025-00012，现答复如下。"
    ) * 20 + f"联系人王五，电话13912345678，身份证{make_id()}，邮箱wang@example.com。"
    return (paragraph * (size // len(paragraph) + 1))[:size]


NAIVE = [
    re.compile(r"\d{17}[\dXx]"),
    re.compile(r"1[3-9]\d{9}"),
    re.compile(r"0\d{2,3}-\d{7,8}"),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
]


def timed(fn) -> tuple[float, object]:
    samples = []
    result = None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def main() -> None:
    text = corpus()
    find_personal_data("预热")
    screen_ms, hits = timed(lambda: find_personal_data(text, applicant_terms=["王五"]))
    mask_ms, _ = timed(lambda: mask(text, hits))
    naive_ms, naive = timed(
        lambda: [m.span() for rx in NAIVE for m in rx.finditer(text)]
    )
    print(
        f"text: {len(text):,} chars, {len(hits):,} hits, {len(naive):,} naive matches"
    )
    print(f"screen (checksums, overlaps, terms): {screen_ms:8.1f} ms median of {RUNS}")
    print(f"mask:                                {mask_ms:8.1f} ms")
    print(f"naive regexes, no validation:        {naive_ms:8.1f} ms")


if __name__ == "__main__":
    main()
