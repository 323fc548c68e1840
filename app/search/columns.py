"""The live incidents as in-memory columns: what a search page needs to know of every incident.

A search of a common word matches most incidents (漏洩 is in three notices of four). Counting
its facets in SQL costs one index probe per match, and listing its first page in SQL costs a
list of every match: about 60 ms at 100,000 incidents, on either engine, before anything is
cached. With these columns the database only lists the matching ids (one index read, fetched
as one string), and the rest is array work in Python: counting 75,000 matches into facet
cells takes about 5 ms, and a page is read off a sort order that is already in memory.

This is what Lucene calls doc values and Solr's field cache: built per version of the data
and per process, on first use, then shared by every request. The version is the search stamp
(``app.search.index.bump_stamp``), which every write replaces, whichever process makes it.

- ``cell_of[id]``: the facet cell of a live incident (an index into ``keys``), -1 otherwise.
- ``keys[k]``: one value per facet (app.search.filters.FACETS) of cell ``k``.
- ``order(sort)``: live ids in a sort's order, and each id's place in it (built when a sort is
  first asked for).
- ``facts()``: what the charts read of each incident (app.search.aggregates), built when the
  charts first ask.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from app.models import Incident
from app.search.aggregates import Facts
from app.search.cache import LRU, database_key
from app.search.engine import LIVE, engine_of
from app.search.filters import FACETS, FacetKey


def order_terms(session: Session, sort: str) -> list:
    """A sort's ORDER BY terms: ties go to the newer id, unknown values last."""
    if sort == "delay":
        return [func.coalesce(engine_of(session).delay(), -1).desc(), col(Incident.id).desc()]
    if sort == "records":
        return [func.coalesce(Incident.records_max, -1).desc(), col(Incident.id).desc()]
    if sort == "added":  # first seen by Rouei, newest first
        return [col(Incident.created_at).desc(), col(Incident.id).desc()]
    newest = func.coalesce(Incident.disclosed_on, Incident.discovered_on)
    return [newest.desc().nulls_last(), col(Incident.id).desc()]


def ordered(query, session: Session, sort: str):  # noqa: ANN001, ANN201 - a Select
    """``query`` in a sort's order."""
    return query.order_by(*order_terms(session, sort))


def _parse_ids(joined: str | None) -> np.ndarray:
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, np.int64)


def fetch_ids(session: Session, query: Select) -> np.ndarray:
    """The ids ``query`` selects (one integer column), in no particular order.

    Fetched as one comma-separated string: a row per id costs ~10× more in Python.
    """
    column = list(query.subquery().c)[0]
    return _parse_ids(session.execute(select(engine_of(session).id_list(column))).scalar_one_or_none())


@dataclass(frozen=True)
class Order:
    ids: np.ndarray  # live ids in the sort's order


@dataclass(frozen=True)
class Matches:
    """What a search matched: a flag per id (merged incidents may be flagged too)."""

    hit: np.ndarray  # bool, by id

    @classmethod
    def of(cls, ids: np.ndarray, size: int) -> Matches:
        hit = np.zeros(size, dtype=bool)
        hit[ids[(ids >= 0) & (ids < size)]] = True
        return cls(hit)


@dataclass
class Columns:
    stamp: int | None
    keys: list[FacetKey]
    cell_of: np.ndarray  # int32 by id: index into keys, -1 for no live incident
    _orders: dict[str, Order] = field(default_factory=dict)
    _facts: Facts | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, session: Session, stamp: int | None) -> Columns:
        engine = engine_of(session)
        dense = [f for f in FACETS if f.sparse is None]
        groups = [f.group() for f in dense]
        query = engine.cells_query(select(*groups, engine.id_list(Incident.id))
                                   .where(LIVE).group_by(*groups))
        top = session.execute(select(func.max(Incident.id))).scalar_one_or_none() or 0
        cell_of = np.full(top + 1, -1, dtype=np.int32)
        keys: list[FacetKey] = []
        for *values, joined in session.execute(query):
            ids = _parse_ids(joined)
            # An id past max(id) was written since it was read: a later stamp will have it.
            cell_of[ids[ids <= top]] = len(keys)
            read = dict(zip((f.key for f in dense), (f.read(v) for f, v in zip(dense, values, strict=True)),
                            strict=True))
            keys.append(tuple(read[f.key] if f.sparse is None else f.sparse for f in FACETS))
        # A sparse facet: only the incidents off its usual value move to cells of their own.
        index = {key: k for k, key in enumerate(keys)}
        for place, facet in enumerate(FACETS):
            if facet.sparse is None:
                continue
            column = facet.group()
            for incident_id, value in session.execute(select(Incident.id, column).where(LIVE, column != facet.sparse)):
                if incident_id > top or cell_of[incident_id] < 0:
                    continue
                key = list(keys[cell_of[incident_id]])
                key[place] = facet.read(value)
                moved = tuple(key)
                if moved not in index:
                    index[moved] = len(keys)
                    keys.append(moved)
                cell_of[incident_id] = index[moved]
        return cls(stamp, keys, cell_of)

    @property
    def size(self) -> int:
        return len(self.cell_of)

    def order(self, session: Session, sort: str) -> Order:
        with self._lock:
            if (known := self._orders.get(sort)) is not None:
                return known
            joined = session.execute(engine_of(session).ordered_ids(order_terms(session, sort), sort))
            ids = _parse_ids(joined.scalar_one_or_none())
            ids = ids[(ids >= 0) & (ids < self.size)]
            self._orders[sort] = built = Order(ids[self.cell_of[ids] >= 0])
            return built

    def facts(self, session: Session) -> Facts:
        with self._lock:
            if self._facts is None:
                self._facts = Facts.build(session, self.size)
            return self._facts

    def selected(self, passes: Callable[[FacetKey], bool], matches: Matches | None) -> np.ndarray:
        """A flag by id for each live incident that passes a filter and the matches."""
        chosen = self.passing(passes)[self.cell_of]
        return chosen if matches is None else chosen & matches.hit

    def count(self, matches: Matches | None) -> dict[int, int]:
        """Live incidents per cell among the matches (None: every live incident)."""
        cells = self.cell_of if matches is None else self.cell_of[matches.hit]
        counted = np.bincount(cells[cells >= 0], minlength=len(self.keys))
        return {k: int(n) for k, n in enumerate(counted) if n}

    def count_all(self, matches: Matches | None) -> int:
        """Live incidents among the matches (None: every live incident)."""
        live = self.cell_of >= 0
        return int(np.count_nonzero(live if matches is None else live & matches.hit))

    def passing(self, passes: Callable[[FacetKey], bool]) -> np.ndarray:
        """A flag for each cell whose incidents pass a filter, and a last False one, which
        ``cell_of``'s -1 (no live incident) lands on."""
        return np.array([bool(passes(key)) for key in self.keys] + [False], dtype=bool)


def page_of(order: Order, cell_of: np.ndarray, ok: np.ndarray, matches: Matches | None,
            offset: int, limit: int, first: np.ndarray | None = None,
            best: dict[int, int] | None = None) -> list[int]:
    """Rows ``offset``..``offset + limit`` of the live incidents that pass the ``ok`` cells
    and the matches: those ``first`` flags (by id) first, then by ``best`` place, each group in
    ``order``. One vectorised pass over the order (~1 ms at 100,000 incidents)."""
    ids = order.ids
    keep = ok[cell_of[ids]]
    if matches is not None:
        keep &= matches.hit[ids]
    chosen = ids[keep]
    if first is not None or best:
        rank = np.zeros(len(chosen), dtype=np.int64)
        if best:
            places = np.full(len(cell_of), len(best), dtype=np.int64)
            places[list(best)] = list(best.values())
            rank += places[chosen]
        if first is not None:
            rank += np.where(first[chosen], 0, len(best or ()) + 1)
        chosen = chosen[np.argsort(rank, kind="stable")]
    return chosen[offset:offset + limit].tolist()


class Registry:
    """The columns of each database for its current stamp (a few databases, latest stamp)."""

    def __init__(self, size: int = 8) -> None:
        self._entries: LRU[Columns] = LRU(size)
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}

    def get(self, session: Session, stamp: int | None) -> Columns:
        if stamp is None:  # a database without the stamp table (not migrated): never keep
            return Columns.build(session, None)
        url = database_key(session)
        known = self._entries.get(url)
        if known is not None and known.stamp == stamp:
            return known
        with self._lock:
            building = self._building.setdefault(url, threading.Lock())
        with building:  # one build per database at a time; the others wait and reuse it
            known = self._entries.get(url)
            if known is not None and known.stamp == stamp:
                return known
            built = Columns.build(session, stamp)
            self._entries.put(url, built)
            return built

    def clear(self) -> None:
        self._entries.clear()


COLUMNS = Registry()
