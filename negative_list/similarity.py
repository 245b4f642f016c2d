"""Token similarity between entries, for the near-duplicate check.

Tokens come from the search app's analysis chain, so "similar" means the same as in
search (normalised, simplified, segmented). The import is lazy and falls back to
plain jieba segmentation, so this app works even without the search app's module.
"""

from __future__ import annotations

import functools
import re

# Tokens that carry no meaning for telling entries apart.
STOP_TOKENS = frozenset(
    [
        *"的了和与及或之其等在是对把被中以为",
        *("有关", "相关", "涉及", "信息", "材料", "事项", "内容"),
    ]
)
_WORD_RE = re.compile(r"\w")


@functools.lru_cache(maxsize=8192)
def tokens(text: str) -> frozenset[str]:
    """Return the set of meaningful tokens of ``text``.

    Cached by text: the near-duplicate check compares one entry with every other,
    and the others' wording rarely changes between two page views.
    """
    try:
        from search.analysis import analyze_document
    except ImportError:  # pragma: no cover - the search app ships the chain
        import rjieba

        raw = rjieba.cut_for_search(text.lower(), False)
    else:
        raw = analyze_document(text)
    return frozenset(t for t in raw if _WORD_RE.search(t) and t not in STOP_TOKENS)


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    """Return |A ∩ B| / |A ∪ B|, 0 for two empty sets."""
    union = left | right
    return len(left & right) / len(union) if union else 0.0
