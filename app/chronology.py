"""Dates of one incident that cannot be in the order they are: containment before discovery,
an exposure that ends before it begins. Such a pair is flagged in words on the incident page
and its later fact is left off the drawn timeline, rather than drawn as if it happened so.

Pure: the incident's own facts in, the conflicts out. Words live in ``app.i18n``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

# (must come first, must come after): a breach is exposed before it is found, and found before
# it is contained, reported or announced.
ORDER: tuple[tuple[str, str], ...] = (
    ("exposure_from", "exposure_to"),
    ("exposure_from", "discovered_on"),
    ("exposure_from", "disclosed_on"),
    ("discovered_on", "containment_on"),
    ("discovered_on", "reported_to_ppc_on"),
    ("discovered_on", "reported_to_police_on"),
    ("discovered_on", "disclosed_on"),
)


@dataclass(frozen=True)
class Conflict:
    earlier: str  # the fact that must come first …
    earlier_day: date
    later: str  # … and the one dated before it
    later_day: date

    @property
    def days(self) -> int:
        return (self.earlier_day - self.later_day).days


def impossible_orders(incident: Any) -> list[Conflict]:
    """Every pair of the incident's dates in an order a breach cannot take."""
    out = []
    for first, then in ORDER:
        a, b = getattr(incident, first, None), getattr(incident, then, None)
        if a and b and b < a:
            out.append(Conflict(first, a, then, b))
    return out


def drawable(steps: list[Any], conflicts: list[Conflict]) -> list[Any]:
    """The timeline's steps without the facts dated before what must precede them, the gaps
    between the steps left measured again."""
    dropped = {c.later for c in conflicts}
    kept, previous = [], None
    for step in steps:
        if step.key in dropped:
            continue
        kept.append(replace(step, gap=(step.day - previous).days if previous else None))
        previous = step.day
    return kept
