"""Read the editable table of government abbreviations used to expand queries.

The table lives in ``search/data/synonyms.txt`` so that editors can extend it
without touching code; it is applied at query time only, so an edit never
requires re-indexing.  This module only parses the file; normalising the
entries and matching them inside queries is the analysis chain's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SYNONYMS_PATH = Path(__file__).resolve().parent / "data" / "synonyms.txt"
COMMENT = "#"
KEY_SEPARATOR = ":"
FULL_FORM_SEPARATORS = (",", "，", "、")


@dataclass(frozen=True)
class SynonymEntry:
    """One abbreviation and the full forms it stands for."""

    abbreviation: str
    full_forms: tuple[str, ...]


def parse_synonyms(text: str) -> list[SynonymEntry]:
    """Parse ``简称: 全称, 全称`` lines, skipping blanks, comments and bad lines.

    Malformed lines are skipped rather than rejected: a typo in an editor's
    change must not take the public search down.
    """
    entries: list[SynonymEntry] = []
    for raw_line in text.splitlines():
        line = raw_line.split(COMMENT, 1)[0].strip()
        key, separator, rest = line.partition(KEY_SEPARATOR)
        if not separator:
            key, separator, rest = line.partition("：")
        if not separator or not key.strip():
            continue
        for sep in FULL_FORM_SEPARATORS[1:]:
            rest = rest.replace(sep, FULL_FORM_SEPARATORS[0])
        fulls = tuple(
            part.strip() for part in rest.split(FULL_FORM_SEPARATORS[0]) if part.strip()
        )
        if fulls:
            entries.append(SynonymEntry(key.strip(), fulls))
    return entries


def load_synonyms(path: Path | None = None) -> list[SynonymEntry]:
    """Load the synonym table from ``path`` (default: the bundled data file)."""
    source = path or SYNONYMS_PATH
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return parse_synonyms(text)
