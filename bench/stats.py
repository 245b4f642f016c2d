"""Summary statistics shared by the benchmarks (pure Python, no Django)."""

from __future__ import annotations


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank ``pct`` percentile of ``values`` (NaN if empty)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[rank]
