"""A set of non-overlapping spans with logarithmic overlap checks (rules resolve overlaps)."""
from __future__ import annotations

from bisect import bisect_right, insort


class Occupied:
    """Spans already claimed by an earlier rule. Per call, never shared."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: dict[int, int] = {}

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_right(self._starts, start) - 1
        if k >= 0 and self._ends[self._starts[k]] > start:
            return True
        return k + 1 < len(self._starts) and self._starts[k + 1] < end

    def add(self, start: int, end: int) -> None:
        insort(self._starts, start)
        self._ends[start] = end
