"""Finding incidents: one page of results, its total and its facet counts.

``find_incidents`` computes a page's data once; the HTML page, the htmx fragment and the
JSON API are renderings of it. The search text is parsed (and tokenised) once, here; the
ParsedQuery then goes to matching, ranking and snippets.
"""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace

import numpy as np
from markupsafe import Markup
from sqlalchemy import false
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app import i18n
from app.models import Incident
from app.search import columns
from app.search.aggregates import Aggregates, Facts, aggregate
from app.search.cache import MATCHES, cached
from app.search.columns import Columns, Matches, page_of
from app.search.engine import engine_of
from app.search.filters import FACETS, Counts, Facet, FacetKey, Filters, Option
from app.search.index import search_stamp
from app.search.match import incident_filter, matching_ids, ranking
from app.search.query import ParsedQuery, QueryError, parse_query
from app.search.snippets import snippets

log = logging.getLogger(__name__)

# Pages further in than this are not cached (a CSV export asks for everything at once).
CACHED_ROWS = 1_000


@dataclass
class IncidentPage:
    filters: Filters
    incidents: list[Incident]
    total: int
    page_size: int
    # Each facet's values with their counts, by facet key (FACETS; empty without facets).
    # Each is counted with its own filter left out, so its other values stay reachable.
    facets: dict[str, Counts] = field(default_factory=dict)
    # A search the index cannot run (too long, nothing searchable) explains itself here.
    query_error: str | None = None
    snippets: dict[int, Markup] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def counts(self, key: str) -> dict:
        """One facet's counts by value (the values it lists, zeros included)."""
        return dict(self.facets.get(key, ()))

    def panels(self) -> list[Panel]:
        """The filter panel: each facet's heading and the values it offers, in the view's language."""
        lang = self.filters.lang
        return [Panel(f, i18n.text(f.title, lang), f.options(self.facets[f.key], self.filters, listed_only=True),
                      i18n.text(f.empty, lang) if f.empty else "")
                for f in FACETS if f.key in self.facets]


@dataclass(frozen=True)
class Panel:
    facet: Facet
    title: str
    options: list[Option]
    empty: str  # what the panel says when the facet offers nothing


def text_clause(session: Session, q: str) -> tuple[ColumnElement[bool] | None, str | None]:
    """The full-text condition for ``q`` (None when empty), or a false one and the reason."""
    if not q:
        return None, None
    try:
        return incident_filter(session, parse_query(q)), None
    except QueryError as exc:
        return false(), str(exc)


def _search_scans(session: Session, parsed: ParsedQuery | None) -> AbstractContextManager[None]:
    """The engine's planner settings for a search's statements (none for a view with no
    search: it reads every live incident)."""
    return nullcontext() if parsed is None else engine_of(session).search_scans(session)


def _matches(session: Session, stamp: int | None, parsed: ParsedQuery, cols: Columns) -> Matches:
    """Every incident ``parsed`` matches, fetched from the index at once (cached under the stamp)."""
    def compute() -> tuple[Matches]:
        with _search_scans(session, parsed):
            query = matching_ids(session, parsed)
            ids = columns.fetch_ids(session, query) if query is not None else np.empty(0, np.int64)
        return (Matches.of(ids, cols.size),)

    return cached(session, stamp, ("matches", parsed), compute, cache=MATCHES)[0]


@dataclass(frozen=True)
class Cell:
    """Live incidents matching a search that share every facet value, and how many."""

    key: FacetKey
    count: int


def _count_cells(cols: Columns, matches: Matches | None) -> tuple[Cell, ...]:
    return tuple(Cell(cols.keys[k], n) for k, n in cols.count(matches).items())


def _facets(cells: tuple[Cell, ...], filters: Filters) -> dict[str, Counts]:
    """Each facet's counts, with its own filter left out."""
    out = {}
    for i, facet in enumerate(FACETS):
        counted: Counter = Counter()
        passes = filters.cell_test(skip=facet.key)
        for c in cells:
            if passes(c.key):
                counted[c.key[i]] += c.count
        out[facet.key] = facet.shape(counted)
    return out


def _page_ids(session: Session, cols: Columns, filters: Filters, parsed: ParsedQuery | None,
              matches: Matches | None, *, offset: int, limit: int) -> tuple[int, ...]:
    """Ids of one page in the page's order: names matches first (and a selective query's
    best by relevance), then the sort the user chose."""
    order = cols.order(session, filters.sort)
    ok = cols.passing(filters.cell_test())
    named, best = None, {}
    if parsed and filters.sort == "newest":
        with _search_scans(session, parsed):
            rank = ranking(session, parsed, matched=cols.count_all(matches))
            if rank and rank.names_ids is not None:
                named = Matches.of(columns.fetch_ids(session, rank.names_ids), cols.size).hit
        best = {incident_id: place for place, incident_id in enumerate(rank.best if rank else ())}
    return tuple(page_of(order, cols.cell_of, ok, matches, offset, limit, first=named, best=best))


def find_incidents(session: Session, filters: Filters, *, page_size: int = 25,
                   with_facets: bool = True, with_snippets: bool = True) -> IncidentPage:
    """One page of incidents for ``filters``, its total and (``with_facets``) facet counts.

    The search's matches are fetched from the index at once; their counts per facet cell and
    the page are then read off the in-memory columns (app.search.columns). Counts are cached
    per search text and pages per view, under the search stamp. CSV exports pass
    ``with_facets=False`` and get no snippets either; the JSON API, which has no use for
    snippets, passes ``with_snippets=False``.
    """
    parsed: ParsedQuery | None = None
    if filters.q:
        try:
            parsed = parse_query(filters.q) or None
        except QueryError as exc:
            return IncidentPage(filters=filters, incidents=[], total=0, page_size=page_size,
                                query_error=str(exc))
    stamp = search_stamp(session)  # before anything cached under it: see index.search_stamp
    cols = columns.COLUMNS.get(session, stamp)

    def matches() -> Matches | None:
        return None if parsed is None else _matches(session, stamp, parsed, cols)

    cells = cached(session, stamp, ("cells", parsed), lambda: _count_cells(cols, matches()))
    passes = filters.cell_test()
    total = sum(c.count for c in cells if passes(c.key))
    offset = (filters.page - 1) * page_size
    view = replace(filters, page=1, lang="ja")

    def page_ids() -> tuple[int, ...]:
        return _page_ids(session, cols, filters, parsed, matches(), offset=offset, limit=page_size)

    if offset >= total:
        ids: tuple[int, ...] = ()
    elif offset + page_size <= CACHED_ROWS:
        ids = cached(session, stamp, ("page", parsed, view, offset, page_size), page_ids)
    else:
        ids = page_ids()
    rows = {i.id: i for i in session.exec(select(Incident).where(col(Incident.id).in_(ids)))} if ids else {}
    incidents = [rows[i] for i in ids if i in rows]
    page = IncidentPage(filters=filters, incidents=incidents, total=total, page_size=page_size)
    if with_facets:
        page = replace(page, facets=_facets(cells, filters))
        if parsed and incidents and with_snippets:
            page.snippets = snippets(session, parsed, [i.id for i in incidents])
    return page


@dataclass(frozen=True)
class ChartData:
    """The charts' figures over every incident the filters select, and the timeline's rows."""

    aggregates: Aggregates
    newest: list[Incident]  # the aggregates' ``newest``, in that order


def chart_data(session: Session, filters: Filters) -> ChartData:
    """What the charts draw for ``filters``: aggregated from the in-memory columns over every
    matching incident (cached per view under the search stamp), whatever the page or sort."""
    try:
        parsed = parse_query(filters.q) or None if filters.q else None
    except QueryError:
        return ChartData(aggregate(Facts.of([]), np.zeros(0, bool)), [])
    stamp = search_stamp(session)
    cols = columns.COLUMNS.get(session, stamp)

    def compute() -> tuple[Aggregates]:
        matches = None if parsed is None else _matches(session, stamp, parsed, cols)
        return (aggregate(cols.facts(session), cols.selected(filters.cell_test(), matches)),)

    view = replace(filters, page=1, sort="newest", lang="ja")
    (data,) = cached(session, stamp, ("aggregates", parsed, view), compute)
    ids = data.newest
    rows = {i.id: i for i in session.exec(select(Incident).where(col(Incident.id).in_(ids)))} if ids else {}
    return ChartData(data, [rows[i] for i in ids if i in rows])


def surviving_incident(session: Session, slug: str) -> Incident | None:
    """The incident a permalink names, following merges to the survivor; None if there is none
    (unknown slug, or a broken merge chain)."""
    if "\x00" in slug:  # no slug holds one, and PostgreSQL refuses it in a query
        return None
    incident = session.exec(select(Incident).where(Incident.slug == slug)).first()
    seen: set[int] = set()
    while incident is not None and incident.merged_into_id is not None:
        if incident.id in seen:
            return None
        seen.add(incident.id)
        incident = session.get(Incident, incident.merged_into_id)
    return incident


def warm(engine) -> None:  # noqa: ANN001 - an Engine
    """Load the dictionary and build the current columns, the default order and the charts'
    facts (at start-up, in a thread of its own: a failure is logged, and the first search or
    chart does it instead).

    Parsing a word runs this thread's tagger (each thread has its own, app.extract.tokens):
    fugashi is imported and the UniDic dictionary read, so the request threads' taggers find
    its files in the page cache.
    """
    try:
        parse_query("漏洩")
        with Session(engine) as session:
            cols = columns.COLUMNS.get(session, search_stamp(session))
            cols.order(session, "newest")
            cols.facts(session)
    except Exception:  # noqa: BLE001 - a store that cannot be read yet is the requests' concern
        log.warning("could not prepare the search columns", exc_info=True)
