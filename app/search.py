"""Finding incidents: filters from the query string, one page of results, facet counts.

``find_incidents`` computes a page's data once; the HTML page, the htmx fragment and the
JSON API are renderings of it. Filter values are always bound, never interpolated.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import numpy as np
from markupsafe import Markup
from sqlalchemy import false
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app import columns, fts, taxonomy
from app.columns import Columns, Matches, page_of, year_of
from app.db import is_sqlite
from app.models import Incident

log = logging.getLogger(__name__)

SORTS = {
    "newest": "新しい公表順",
    "delay": "公表までの日数が長い順",
    "records": "件数が多い順",
}
SORTS_EN = {"newest": "Newest disclosure", "delay": "Longest delay", "records": "Largest leak"}
CARD_VALUES = ("yes", "no")
LANGS = ("ja", "en")
MAX_QUERY_CHARS = 2000  # past fts.MAX_QUERY_CHARS, so an over-long search is told why
MAX_PAGE = 10_000
VENDOR_FACET_SIZE = 15
# Charts draw every matching incident; past this many the page would get heavy, so the
# chart rows are capped (newest first) and the cap is said on the page.
CHART_ROWS = 2_000



@dataclass(frozen=True)
class Filters:
    """Everything that selects a view; lives in the query string so every view is a URL."""

    q: str = ""
    types: tuple[str, ...] = ()
    year: int | None = None
    vendor: str = ""
    card: str = ""  # "yes": card data leaked (card_records known), "no": not, "": either
    sort: str = "newest"
    page: int = 1
    lang: str = "ja"  # not a filter, but part of the view, so every link keeps it

    @classmethod
    def from_query(cls, params) -> Filters:  # noqa: ANN001 - a starlette QueryParams / MultiDict
        q = " ".join(str(params.get("q") or "").replace("\x00", " ").split())[:MAX_QUERY_CHARS]
        types = tuple(dict.fromkeys(t for t in params.getlist("type") if t in taxonomy.BY_KEY))
        year = _int(params.get("year"), 1900, 2200)
        sort = params.get("sort") if params.get("sort") in SORTS else "newest"
        page = _int(params.get("page"), 1, MAX_PAGE) or 1
        vendor = str(params.get("vendor") or "").replace("\x00", "").strip()[:MAX_QUERY_CHARS]
        card = params.get("card") if params.get("card") in CARD_VALUES else ""
        lang = params.get("lang") if params.get("lang") in LANGS else "ja"
        return cls(q=q, types=types, year=year, vendor=vendor, card=card, sort=sort, page=page,
                   lang=lang)

    def query_string(self, **changes) -> str:
        f = replace(self, **changes)
        pairs: list[tuple[str, str]] = []
        if f.q:
            pairs.append(("q", f.q))
        pairs += [("type", t) for t in f.types]
        if f.year:
            pairs.append(("year", str(f.year)))
        if f.vendor:
            pairs.append(("vendor", f.vendor))
        if f.card:
            pairs.append(("card", f.card))
        if f.sort != "newest":
            pairs.append(("sort", f.sort))
        if f.page != 1:
            pairs.append(("page", str(f.page)))
        if f.lang != "ja":
            pairs.append(("lang", f.lang))
        return urlencode(pairs)

    def url(self, path: str = "/", **changes) -> str:
        qs = self.query_string(**changes)
        return f"{path}?{qs}" if qs else path

    @property
    def active(self) -> bool:
        return bool(self.q or self.types or self.year or self.vendor or self.card)

    def toggle_type(self, key: str) -> str:
        types = tuple(t for t in self.types if t != key) if key in self.types else (*self.types, key)
        return self.url(types=types, page=1)

    def toggle(self, name: str, value: object) -> str:
        """The URL that sets a single-valued filter, or clears it when it already holds ``value``."""
        empty = None if name == "year" else ""
        return self.url(**{name: empty if getattr(self, name) == value else value, "page": 1})

    def chips(self) -> list[Chip]:
        """The active filters, each with a description and the URL that removes it."""
        en = self.lang == "en"
        out = [Chip("q", "Search" if en else "検索", f"“{self.q}”", self.url(q="", page=1))] if self.q else []
        out += [Chip("type", "Attack" if en else "攻撃種別", taxonomy.label(t, self.lang),
                     self.toggle_type(t)) for t in self.types]
        if self.year:
            out.append(Chip("year", "Disclosed" if en else "公表年",
                            str(self.year) if en else f"{self.year}年", self.toggle("year", self.year)))
        if self.vendor:
            out.append(Chip("vendor", "Vendor" if en else "委託先", self.vendor,
                            self.toggle("vendor", self.vendor)))
        if self.card:
            text = {"yes": ("カード情報あり", "Card data leaked"),
                    "no": ("カード情報なし・不明", "No card data / unknown")}[self.card][en]
            out.append(Chip("card", "Card" if en else "カード", text, self.toggle("card", self.card)))
        return out


@dataclass(frozen=True)
class Chip:
    name: str
    label: str
    value: str
    remove_url: str


def _int(value, low: int, high: int) -> int | None:  # noqa: ANN001
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@dataclass
class IncidentPage:
    filters: Filters
    incidents: list[Incident]
    total: int
    page_size: int
    type_counts: dict[str, int] = field(default_factory=dict)
    # Each facet is counted with its own filter left out, so its other values stay reachable.
    year_counts: list[tuple[int | None, int]] = field(default_factory=list)
    vendor_counts: list[tuple[str, int]] = field(default_factory=list)
    card_counts: dict[str, int] = field(default_factory=dict)
    # A search the index cannot run (too long, nothing searchable) explains itself here.
    query_error: str | None = None
    snippets: dict[int, Markup] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def text_clause(session: Session, q: str) -> tuple[ColumnElement[bool] | None, str | None]:
    """The full-text condition for ``q`` (None when empty), or a false one and the reason."""
    if not q:
        return None, None
    try:
        return fts.incident_filter(session, q), None
    except fts.QueryError as exc:
        return false(), str(exc)


def _where(filters: Filters, *, skip: str = "", text: ColumnElement[bool] | None = None) -> list:
    clauses = [col(Incident.merged_into_id).is_(None)]
    if text is not None:
        clauses.append(text)
    if filters.types and skip != "type":
        clauses.append(col(Incident.attack_type).in_(filters.types))
    if filters.year and skip != "year":
        clauses.append(year_of(Incident.disclosed_on) == filters.year)
    if filters.vendor and skip != "vendor":
        clauses.append(Incident.vendor == filters.vendor)
    if filters.card and skip != "card":
        known = col(Incident.card_records).is_not(None)
        clauses.append(known if filters.card == "yes" else col(Incident.card_records).is_(None))
    return clauses


# ---- counts and facets: one pass per search, cached under the search stamp ----


@dataclass(frozen=True)
class Cell:
    """Live incidents matching a search that share every facet value, and how many."""

    attack_type: str
    year: int | None
    vendor: str | None
    card: str  # "yes" / "no", as Filters.card
    count: int

    def passes(self, filters: Filters, skip: str = "") -> bool:
        """Whether these incidents pass the filters, ``skip`` (a facet's own filter) aside."""
        return ((not filters.types or skip == "type" or self.attack_type in filters.types)
                and (not filters.year or skip == "year" or self.year == filters.year)
                and (not filters.vendor or skip == "vendor" or self.vendor == filters.vendor)
                and (not filters.card or skip == "card" or self.card == filters.card))


class SearchCache:
    """Recent search results, per database and search stamp (least recently used out).

    Two kinds of entry: the cells of a search text (facet filters are applied to them in
    Python, so every facet click on a common search reuses one entry, and the home page with
    no search is one entry too), and the ids of one page of a view. The stamp changes with
    every write (app.fts.bump_stamp), in whichever process makes it, so an entry is never
    served for data it was not computed from.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: tuple, value: tuple) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CACHE = SearchCache()


def _cached(session: Session, stamp: int | None, key: tuple, compute,  # noqa: ANN001
            cache: SearchCache = CACHE) -> tuple:
    """``compute()``, or what it gave before under the same database, stamp and key."""
    if stamp is None:  # a database without the stamp table (not migrated): never cache
        return compute()
    full = (session.get_bind().url.render_as_string(), stamp, *key)
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.put(full, value)
    return value


@contextmanager
def _index_scans(session: Session, parsed: fts.ParsedQuery | None) -> Iterator[None]:
    """On PostgreSQL, for a search, prefer its index to a sequential scan of ``incident_search``.

    The planner prices a sequential scan of that narrow table below a bitmap scan of its GIN
    index for a common word, but the scan must unpack every row's tsvector (~130 ms at 10k
    incidents, against ~1.5 ms for the index). SQLite needs nothing here, nor a view with no
    search (it reads every live incident).
    """
    if parsed is None or is_sqlite(session):
        yield
        return
    conn = session.connection()
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    try:
        yield
    finally:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = DEFAULT")


# A match set is a flag per incident (100 kB at 100,000 incidents), so few are kept: enough
# for a search's page requests (sort, facet clicks, the next page) to follow its count.
MATCHES = SearchCache(size=32)


def _matches(session: Session, stamp: int | None, parsed: fts.ParsedQuery, cols: Columns) -> Matches:
    """Every incident ``parsed`` matches, fetched from the index at once (cached under the stamp)."""
    def compute() -> tuple[Matches]:
        with _index_scans(session, parsed):
            query = fts.matching_ids(session, parsed)
            ids = columns.fetch_ids(session, query) if query is not None else np.empty(0, np.int64)
        return (Matches.of(ids, cols.size),)

    return _cached(session, stamp, ("matches", parsed), compute, cache=MATCHES)[0]


def _count_cells(cols: Columns, matches: Matches | None) -> tuple[Cell, ...]:
    return tuple(Cell(*cols.keys[k], n) for k, n in cols.count(matches).items())


def _facets(cells: tuple[Cell, ...], filters: Filters) -> dict:
    def counts(skip: str, value) -> Counter:  # noqa: ANN001 - a function of a cell
        out: Counter = Counter()
        for c in cells:
            if c.passes(filters, skip):
                out[value(c)] += c.count
        return out

    years = counts("year", lambda c: c.year)
    vendors = counts("vendor", lambda c: c.vendor)
    vendors.pop(None, None)
    return {
        "type_counts": dict(counts("type", lambda c: c.attack_type)),
        "year_counts": sorted(years.items(), key=lambda yn: (yn[0] is None, -(yn[0] or 0))),
        "vendor_counts": sorted(vendors.items(), key=lambda vn: (-vn[1], vn[0]))[:VENDOR_FACET_SIZE],
        "card_counts": dict(counts("card", lambda c: c.card)),
    }


def _page_ids(session: Session, cols: Columns, filters: Filters, parsed: fts.ParsedQuery | None,
              matches: Matches | None, *, offset: int, limit: int) -> tuple[int, ...]:
    """Ids of one page in the page's order: names matches first (and a selective query's
    best by relevance), then the sort the user chose."""
    order = cols.order(session, filters.sort)
    ok = cols.passing(lambda key: Cell(*key, 0).passes(filters))
    named, best = None, {}
    if parsed and filters.sort == "newest":
        with _index_scans(session, parsed):
            rank = fts.ranking(session, parsed, matched=cols.count_all(matches))
            if rank and rank.names_ids is not None:
                named = Matches.of(columns.fetch_ids(session, rank.names_ids), cols.size).hit
        best = {incident_id: place for place, incident_id in enumerate(rank.best if rank else ())}
    return tuple(page_of(order, cols.cell_of, ok, matches, offset, limit, first=named, best=best))


# Pages further in than this are not cached (a CSV export asks for everything at once).
CACHED_ROWS = 1_000


def find_incidents(session: Session, filters: Filters, *, page_size: int = 25,
                   with_facets: bool = True, with_snippets: bool = True) -> IncidentPage:
    """One page of incidents for ``filters``, its total and (``with_facets``) facet counts.

    The search's matches are fetched from the index at once; their counts per facet cell and
    the page are then read off the in-memory columns (app.columns). Counts are cached per
    search text and pages per view, under the search stamp. CSV exports pass
    ``with_facets=False`` and get no snippets either; the JSON API, which has no use for
    snippets, passes ``with_snippets=False``.
    """
    parsed: fts.ParsedQuery | None = None
    error = None
    if filters.q:
        try:
            parsed = fts.parse_query(filters.q) or None
        except fts.QueryError as exc:
            error = str(exc)
    if error:
        return IncidentPage(filters=filters, incidents=[], total=0, page_size=page_size,
                            query_error=error)
    stamp = fts.search_stamp(session)  # before anything cached under it: see fts.search_stamp
    cols = columns.COLUMNS.get(session, stamp)

    def matches() -> Matches | None:
        return None if parsed is None else _matches(session, stamp, parsed, cols)

    cells = _cached(session, stamp, ("cells", parsed), lambda: _count_cells(cols, matches()))
    total = sum(c.count for c in cells if c.passes(filters))
    offset = (filters.page - 1) * page_size
    view = replace(filters, page=1, lang="ja")

    def page_ids() -> tuple[int, ...]:
        return _page_ids(session, cols, filters, parsed, matches(), offset=offset, limit=page_size)

    if offset >= total:
        ids: tuple[int, ...] = ()
    elif offset + page_size <= CACHED_ROWS:
        ids = _cached(session, stamp, ("page", parsed, view, offset, page_size), page_ids)
    else:
        ids = page_ids()
    rows = {i.id: i for i in session.exec(select(Incident).where(col(Incident.id).in_(ids)))} if ids else {}
    incidents = [rows[i] for i in ids if i in rows]
    page = IncidentPage(filters=filters, incidents=incidents, total=total, page_size=page_size)
    if with_facets:
        page = replace(page, **_facets(cells, filters))
        if parsed and incidents and with_snippets:
            page.snippets = fts.snippets(session, parsed, [i.id for i in incidents])
    return page


def chart_incidents(session: Session, filters: Filters, *, limit: int | None = CHART_ROWS) -> list[Incident]:
    """Every incident the filters select (newest first, at most ``limit``; None for all)."""
    text, _ = text_clause(session, filters.q)
    query = columns.ordered(select(Incident).where(*_where(filters, text=text)), session, "newest")
    return list(session.exec(query.limit(limit)))


def surviving_incident(session: Session, slug: str) -> Incident | None:
    """The incident a permalink names, following merges to the survivor; None if there is none
    (unknown slug, or a broken merge chain)."""
    incident = session.exec(select(Incident).where(Incident.slug == slug)).first()
    seen: set[int] = set()
    while incident is not None and incident.merged_into_id is not None:
        if incident.id in seen:
            return None
        seen.add(incident.id)
        incident = session.get(Incident, incident.merged_into_id)
    return incident


def warm(engine) -> None:  # noqa: ANN001 - an Engine
    """Build the current columns and the default order, and load the tagger (at start-up,
    in a thread of its own: a failure is logged, and the first search builds them instead)."""
    try:
        fts.parse_query("漏洩")
        with Session(engine) as session:
            columns.COLUMNS.get(session, fts.search_stamp(session)).order(session, "newest")
    except Exception:  # noqa: BLE001 - a store that cannot be read yet is the requests' concern
        log.warning("could not prepare the search columns", exc_info=True)
