"""A ParsedQuery → the ids it matches (as selects for the engine), and how they rank.

Terms that only need the token index fold into one index expression (one FTS5 MATCH, one
tsquery), so the index does the AND / OR / NOT; a term with a route of its own adds a flat
list of ids (its routes UNIONed), so SQLite can drive a query of few matches from any one of
them by rowid lookups. What each engine's expressions look like is its Engine's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, literal, select, true, union
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from app.models import Incident
from app.search.engine import Engine, engine_of
from app.search.query import ParsedQuery

# Above this many matching incidents a query is "common" and is not ordered by relevance:
# scoring costs per match (bm25 over a word in most notices costs ~200 ms at 100k), and with
# no positions kept (detail=column) FTS5's bm25 re-reads each row, about 80 µs a match.
SELECTIVE_LIMIT = 250
RANKED = SELECTIVE_LIMIT  # how many of a selective query's best matches go by relevance


@dataclass(frozen=True)
class _Lists:
    """A search as selects of ids: all of ``positive`` (each one list), none of ``negative``.

    ``nothing``: a term has no route at all, so nothing can match.
    """

    positive: tuple = ()
    negative: tuple = ()
    nothing: bool = False


def _listed(selects: Iterable[Select]):  # noqa: ANN202 - one select of ids
    selects = list(selects)
    return selects[0] if len(selects) == 1 else union(*selects)


def _lists(engine: Engine, parsed: ParsedQuery) -> _Lists:
    wanted: list[str] = []  # index expressions that must all match
    positive: list = []  # id lists for terms with a route of their own
    for group in parsed.groups:
        routes = [t.routes for t in group]
        if any(map(engine.own_list, routes)):
            selects = [s for r in routes for s in engine.term_ids(r)]
            if not selects:
                return _Lists(nothing=True)
            positive.append(_listed(selects))
        elif exprs := [e for r in routes if (e := engine.term_expr(r))]:
            wanted.append(engine.OR.join(f"({e})" for e in exprs))
        else:
            return _Lists(nothing=True)
    unwanted: list[str] = []
    negative: list = []
    for term in parsed.excluded:
        r = term.routes
        if engine.own_list(r):
            negative += engine.term_ids(r)
        elif e := engine.term_expr(r):
            unwanted.append(e)
    if wanted:
        expr = engine.AND.join(f"({e})" for e in wanted) + "".join(engine.NOT.format(e) for e in unwanted)
        positive.insert(0, engine.match(expr))
    elif unwanted:
        negative.insert(0, engine.match(engine.OR.join(f"({e})" for e in unwanted)))
    return _Lists(tuple(positive), tuple(negative))


def incident_filter(session: Session, parsed: ParsedQuery) -> ColumnElement[bool] | None:
    """A where-clause on ``Incident.id`` for a search; None when it is empty."""
    if not parsed:
        return None
    lists = _lists(engine_of(session), parsed)
    if lists.nothing:
        return literal(False) == literal(True)
    clauses = [col(Incident.id).in_(p) for p in lists.positive]
    if lists.negative:
        clauses.append(col(Incident.id).not_in(_listed(lists.negative)))
    return and_(*clauses) if clauses else true()


def matching_ids(session: Session, parsed: ParsedQuery) -> Select | None:
    """One select of the ids of the incidents a search matches (merged ones included); None
    when nothing can match. For fetching the matches at once (app.search.columns), not for a
    WHERE."""
    lists = _lists(engine_of(session), parsed)
    if lists.nothing:
        return None
    if not lists.positive:  # exclusions only
        every = select(col(Incident.id))
        return every.where(col(Incident.id).not_in(_listed(lists.negative))) if lists.negative else every
    first, *rest = lists.positive
    if not rest and not lists.negative:
        return first
    ident = list(first.subquery().c)[0]
    clauses = [ident.in_(p) for p in rest]
    if lists.negative:
        clauses.append(ident.not_in(_listed(lists.negative)))
    return select(ident).where(*clauses)


# ---- ranking ----


@dataclass(frozen=True)
class Ranking:
    """How a search orders its matches ahead of the caller's own order (date, size, delay).

    ``names_ids``: the select of the incidents whose organisation, service or vendor matches
    a positive term; they come first (None: no term has a names route). ``best``: a selective
    query's best-scored incidents (bm25 / ts_rank), best first; empty for a common query,
    which keeps the caller's order within each names group.
    """

    names_ids: Select | None
    best: tuple[int, ...] = ()


def ranking(session: Session, parsed: ParsedQuery, *, matched: int | None = None) -> Ranking | None:
    """The ranking of a search; None for a query with no positive term.

    Relevance is used only when the query is selective (at most ``SELECTIVE_LIMIT``
    incidents match its words): its ``RANKED`` best incidents are found in one indexed query.
    For a common query only the names-first step is given: scoring every posting of a word
    most notices contain costs ~200 ms at 100k.

    ``matched``: how many live incidents the caller knows the query matches. Past the limit,
    a query whose terms have no substring route needs no probe: its matches all match the
    words the probe would count.
    """
    if not parsed.groups:
        return None
    engine = engine_of(session)
    expr = engine.OR.join(f"({e})" for t in parsed.positive if (e := engine.relevance_expr(t.routes)))
    common = (matched is not None and matched > SELECTIVE_LIMIT
              and not any(t.routes.substring for t in parsed.positive))
    best = tuple(_best(session, engine, expr) if expr and not common else ())
    names = [e for t in parsed.positive if (e := engine.names_expr(t.routes))]
    return Ranking(engine.names_match(engine.OR.join(names)) if names else None, best)


def _best(session: Session, engine: Engine, expr: str) -> list[int]:
    """Best-scored incidents for ``expr`` if it matches at most SELECTIVE_LIMIT, else []."""
    conn = session.connection()
    if conn.execute(engine.probe_sql, {"e": expr, "n": SELECTIVE_LIMIT + 1}).scalar_one() > SELECTIVE_LIMIT:
        return []
    return list(conn.execute(engine.best_sql, {"e": expr, "n": RANKED}).scalars())
