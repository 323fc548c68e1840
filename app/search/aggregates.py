"""What the charts and ``/api/stats`` draw, aggregated over every incident a view selects.

The charts used to be drawn from the newest 2,000 incidents shipped as rows; past that they
were wrong, and the rows were most of the page. Now one ``Facts`` per search stamp holds, for
each live incident, the few values the charts read (type, dates, counts, organisation) as
arrays indexed by id, next to the search columns (``Columns.facts``). A view's selection is a
flag per id (the facet cells that pass and the search's matches), and ``aggregate`` reduces the
flagged incidents to the figures: counts per month and type, delay quantiles per type, the
organisations with most records, the newest incidents' ids, and the per-type-and-year stats.
At 100,000 incidents that is a few milliseconds of array work, and the result is cached
under the stamp like counts and facets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, select

from app import ppc, taxonomy
from app.models import Incident
from app.search.engine import LIVE

TIMELINE_ROWS = 40  # bars of 22 px: taller than a screen past this
TOP_ORGS = 20
QUANTILES = (10, 25, 50, 75, 90)
_KIND = {key: n for n, key in enumerate(taxonomy.KEYS)}
_OTHER = _KIND["other"]
_VERDICT = {v: n for n, v in enumerate(ppc.VERDICTS)}
# What the PPC chart counts: the reports found late, and those whose verdict a fact is missing for.
PPC_SHOWN = ("late", "unknown")


def personal_records(records: int | None, card: int | None, personal: int | None) -> int | None:
    """Records other than card data: the stated figure, else the total when it is not the card count."""
    if personal is not None:
        return personal
    if records is not None and records != card:
        return records
    return None


@dataclass(frozen=True)
class Facts:
    """Per-id arrays (index = incident id) of what the charts read; -1 or 0 where unknown."""

    live: np.ndarray  # bool
    kind: np.ndarray  # int16: index into taxonomy.KEYS
    found: np.ndarray  # int32: date ordinal of discovery, 0 unknown
    told: np.ndarray  # int32: date ordinal of disclosure, 0 unknown
    month: np.ndarray  # int32: year * 12 + month - 1 of disclosure, -1 unknown
    year: np.ndarray  # int32: year of disclosure, 0 unknown
    records: np.ndarray  # int64: records_max, -1 unknown
    card: np.ndarray  # int64: card_records, -1 unknown
    personal: np.ndarray  # int64: ``personal_records``, -1 unknown
    org: np.ndarray  # int32: index into ``names``
    names: tuple[str, ...]  # the name shown for an organisation ("" unknown)
    verdict: np.ndarray | None = None  # int8: index into ppc.VERDICTS (the stored ppc_verdict)

    @property
    def size(self) -> int:
        return len(self.live)

    @classmethod
    def of(cls, rows: Iterable[tuple], size: int | None = None) -> Facts:
        """From (id, attack_type, discovered_on, disclosed_on, records_max, card_records,
        personal_records, organization, organization_core[, ppc_verdict]) rows; ids past ``size``
        are left out."""
        rows = list(rows)
        if size is None:
            size = max((r[0] for r in rows), default=-1) + 1
        rows = [r for r in rows if 0 <= r[0] < size]
        live = np.zeros(size, bool)
        kind = np.zeros(size, np.int16)
        found, told, month, year = (np.zeros(size, np.int32) for _ in range(4))
        month -= 1
        records, card, personal = (np.full(size, -1, np.int64) for _ in range(3))
        org = np.zeros(size, np.int32)
        verdict = np.full(size, _VERDICT["unknown"], np.int8)
        codes: dict[str, int] = {}
        if rows:
            ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
            live[ids] = True
            kind[ids] = [_KIND.get(r[1], _OTHER) for r in rows]
            found[ids] = [r[2].toordinal() if r[2] else 0 for r in rows]
            told[ids] = [r[3].toordinal() if r[3] else 0 for r in rows]
            month[ids] = [r[3].year * 12 + r[3].month - 1 if r[3] else -1 for r in rows]
            year[ids] = [r[3].year if r[3] else 0 for r in rows]
            records[ids] = [-1 if r[4] is None else r[4] for r in rows]
            card[ids] = [-1 if r[5] is None else r[5] for r in rows]
            personal[ids] = [-1 if (p := personal_records(r[4], r[5], r[6])) is None else p for r in rows]
            org[ids] = [codes.setdefault(r[7] or r[8] or "", len(codes)) for r in rows]
            verdict[ids] = [_VERDICT.get(r[9] if len(r) > 9 else "unknown", _VERDICT["unknown"]) for r in rows]
        return cls(live, kind, found, told, month, year, records, card, personal, org, tuple(codes), verdict)

    @classmethod
    def build(cls, session: Session, size: int) -> Facts:
        """Every live incident's facts, in one query."""
        query = select(Incident.id, Incident.attack_type, Incident.discovered_on, Incident.disclosed_on,
                       Incident.records_max, Incident.card_records, Incident.personal_records,
                       Incident.organization, Incident.organization_core, Incident.ppc_verdict).where(LIVE)
        return cls.of(session.execute(query), size)


@dataclass(frozen=True)
class Delays:
    """Days from discovery to disclosure of one attack type's incidents."""

    kind: str
    n: int
    quantiles: tuple[float, ...]  # at QUANTILES percent (linear interpolation; 50 is the median)

    @property
    def median(self) -> float:
        return self.quantiles[QUANTILES.index(50)]


@dataclass(frozen=True)
class OrgRecords:
    name: str  # "" unknown
    personal: int
    card: int


@dataclass(frozen=True)
class StatGroup:
    kind: str
    year: int | None
    incidents: int
    with_delay: int
    median_delay: float | None
    records_total: int | None  # None when no count of the group is known
    records_unknown: int


@dataclass(frozen=True)
class Aggregates:
    total: int
    first_month: int  # year * 12 + month - 1 of ``monthly``'s first column
    monthly: dict[str, tuple[int, ...]]  # attack type -> incidents per month of disclosure
    undisclosed: int  # no disclosure date: in no month
    delays: tuple[Delays, ...]  # per type, in taxonomy order
    undated: int  # no discovery or no disclosure date: no delay
    orgs: tuple[OrgRecords, ...]  # the TOP_ORGS organisations with most records, most first
    uncounted: int  # neither a card nor another count: in no organisation's total
    newest: tuple[int, ...]  # ids of the TIMELINE_ROWS newest dated incidents, newest first
    stats: tuple[StatGroup, ...]
    # PPC reports: verdict -> (year, attack type) -> incidents, for the verdicts in PPC_SHOWN;
    # and how many of the selection had each verdict (the chart's notes).
    ppc: dict[str, dict[tuple[int, str], int]] | None = None
    ppc_totals: dict[str, int] | None = None
    ppc_undisclosed: int = 0  # late or unknown, no disclosure date: in no year

    @property
    def months(self) -> list[str]:
        width = len(next(iter(self.monthly.values()), ()))
        return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(self.first_month, self.first_month + width)]


def _months(facts: Facts, chosen: np.ndarray) -> tuple[int, dict[str, tuple[int, ...]]]:
    month = facts.month[chosen]
    dated = month >= 0
    if not dated.any():
        return 0, {}
    month, kinds = month[dated], facts.kind[chosen][dated]
    first, width = int(month.min()), int(month.max() - month.min()) + 1
    grid = np.bincount(kinds.astype(np.int64) * width + (month - first),
                       minlength=len(taxonomy.KEYS) * width).reshape(len(taxonomy.KEYS), width)
    return first, {key: tuple(int(n) for n in grid[k]) for k, key in enumerate(taxonomy.KEYS) if grid[k].any()}


def _quantiles(days: np.ndarray) -> tuple[float, ...]:
    return tuple(float(q) for q in np.percentile(days, QUANTILES))


def _top_orgs(facts: Facts, chosen: np.ndarray) -> tuple[OrgRecords, ...]:
    card = np.maximum(facts.card[chosen], 0)
    personal = np.maximum(facts.personal[chosen], 0)
    org = facts.org[chosen]
    width = len(facts.names)
    card_sum = np.bincount(org, weights=card, minlength=width).astype(np.int64)
    personal_sum = np.bincount(org, weights=personal, minlength=width).astype(np.int64)
    size = np.maximum(card_sum, personal_sum)
    candidates = np.flatnonzero(size > 0)
    if len(candidates) > TOP_ORGS:  # ties at the cut are kept, then sorted by name
        cut = np.partition(size[candidates], -TOP_ORGS)[-TOP_ORGS]
        candidates = candidates[size[candidates] >= cut]
    best = sorted(candidates.tolist(), key=lambda o: (-int(size[o]), facts.names[o]))[:TOP_ORGS]
    return tuple(OrgRecords(facts.names[o], int(personal_sum[o]), int(card_sum[o])) for o in best)


def _stats(facts: Facts, chosen: np.ndarray, delay: np.ndarray, dated: np.ndarray) -> tuple[StatGroup, ...]:
    kinds, years, records = facts.kind[chosen], facts.year[chosen], facts.records[chosen]
    groups = kinds.astype(np.int64) * 10_000 + years
    out = []
    for group in np.unique(groups):
        members = groups == group
        days = delay[members & dated]
        known = records[members & (records >= 0)]
        kind, year = divmod(int(group), 10_000)
        out.append(StatGroup(taxonomy.KEYS[kind], year or None, int(members.sum()), len(days),
                             float(np.median(days)) if len(days) else None,
                             int(known.sum()) if len(known) else None, int(members.sum()) - len(known)))
    return tuple(sorted(out, key=lambda g: (g.kind, g.year or 0)))


def _ppc(facts: Facts, chosen: np.ndarray) -> tuple[dict[str, dict[tuple[int, str], int]], dict[str, int], int]:
    """Late and unknown PPC verdicts per year of disclosure and attack type."""
    verdict = facts.verdict[chosen] if facts.verdict is not None else np.full(len(chosen), _VERDICT["unknown"], np.int8)
    totals = {v: int((verdict == n).sum()) for v, n in _VERDICT.items()}
    years, kinds = facts.year[chosen], facts.kind[chosen]
    out: dict[str, dict[tuple[int, str], int]] = {}
    undisclosed = 0
    for v in PPC_SHOWN:
        mine = verdict == _VERDICT[v]
        undisclosed += int((mine & (years == 0)).sum())
        groups = years[mine & (years > 0)].astype(np.int64) * 100 + kinds[mine & (years > 0)]
        values, counts = np.unique(groups, return_counts=True)
        out[v] = {(int(g) // 100, taxonomy.KEYS[int(g) % 100]): int(c) for g, c in zip(values, counts, strict=True)}
    return out, totals, undisclosed


def aggregate(facts: Facts, selected: np.ndarray) -> Aggregates:
    """The figures of every live incident flagged in ``selected`` (a bool per id)."""
    chosen = np.flatnonzero(selected[:facts.size] & facts.live)
    first, monthly = _months(facts, chosen)
    found, told = facts.found[chosen], facts.told[chosen]
    dated = (found > 0) & (told > 0)
    delay = (told - found).astype(np.int64)
    kinds = facts.kind[chosen]
    delays = tuple(Delays(key, int(days.size), _quantiles(days))
                   for k, key in enumerate(taxonomy.KEYS)
                   if (days := delay[dated & (kinds == k)]).size)
    # Newest disclosure first, then newest discovery, then the newer id.
    ids = chosen[dated]
    newest = ids[np.lexsort((-ids, -found[dated], -told[dated]))[:TIMELINE_ROWS]]
    counted = (facts.card[chosen] > 0) | (facts.personal[chosen] > 0)
    return Aggregates(
        total=len(chosen), first_month=first, monthly=monthly,
        undisclosed=int((told == 0).sum()), delays=delays, undated=int((~dated).sum()),
        orgs=_top_orgs(facts, chosen), uncounted=int((~counted).sum()),
        newest=tuple(newest.tolist()), stats=_stats(facts, chosen, delay, dated),
        **dict(zip(("ppc", "ppc_totals", "ppc_undisclosed"), _ppc(facts, chosen), strict=True)))
