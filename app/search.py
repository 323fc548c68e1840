"""Finding incidents: filters from the query string, one page of results, facet counts.

``find_incidents`` computes a page's data once; the HTML page, the htmx fragment and the
JSON API are renderings of it. Filter values are always bound, never interpolated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import extract as sql_extract
from sqlalchemy import false, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app import fts, taxonomy
from app.models import Incident

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


def year_of(column):  # noqa: ANN001, ANN201 - a SQL expression
    """The year of a date column on both engines (SQLite: strftime, PostgreSQL: extract)."""
    return sql_extract("year", column)


def delay_expr(session: Session):  # noqa: ANN201 - a SQL expression
    """Days from discovery to disclosure; NULL when either date is unknown."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(Incident.disclosed_on) - func.julianday(Incident.discovered_on)
    return Incident.disclosed_on - Incident.discovered_on


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


def _ordered(query, session: Session, sort: str):  # noqa: ANN001, ANN202 - a Select
    if sort == "delay":
        query = query.order_by(func.coalesce(delay_expr(session), -1).desc(), col(Incident.id).desc())
    elif sort == "records":
        query = query.order_by(func.coalesce(Incident.records_max, -1).desc(), col(Incident.id).desc())
    else:
        newest = func.coalesce(Incident.disclosed_on, Incident.discovered_on)
        query = query.order_by(newest.desc().nulls_last(), col(Incident.id).desc())
    return query


def find_incidents(session: Session, filters: Filters, *, page_size: int = 25) -> IncidentPage:
    text, error = text_clause(session, filters.q)
    where = _where(filters, text=text)
    total = session.exec(select(func.count()).select_from(Incident).where(*where)).one()
    query = select(Incident).where(*where)
    if filters.q and not error and filters.sort == "newest":
        # A search lists organisation and service matches first, then by relevance.
        rank = fts.rank_order(session, filters.q)
        if rank is not None:
            query = query.order_by(rank)
    query = _ordered(query, session, filters.sort)
    offset = (filters.page - 1) * page_size
    incidents = list(session.exec(query.offset(offset).limit(page_size)))
    types = dict(session.exec(
        select(Incident.attack_type, func.count()).where(*_where(filters, skip="type", text=text))
        .group_by(Incident.attack_type)).all())
    year = year_of(Incident.disclosed_on)
    years = [(None if y is None else int(y), n) for y, n in session.exec(
        select(year, func.count()).where(*_where(filters, skip="year", text=text))
        .group_by(year).order_by(year.desc().nulls_last())).all()]
    vendors = [(v, n) for v, n in session.exec(
        select(Incident.vendor, func.count()).where(*_where(filters, skip="vendor", text=text),
                                                    col(Incident.vendor).is_not(None))
        .group_by(Incident.vendor).order_by(func.count().desc(), Incident.vendor)
        .limit(VENDOR_FACET_SIZE)).all()]
    no_card = col(Incident.card_records).is_(None)
    cards = {("no" if missing else "yes"): n for missing, n in session.exec(
        select(no_card, func.count()).where(*_where(filters, skip="card", text=text)).group_by(no_card)).all()}
    return IncidentPage(filters=filters, incidents=incidents, total=total, page_size=page_size,
                        type_counts=types, year_counts=years, vendor_counts=vendors,
                        card_counts=cards, query_error=error,
                        snippets=fts.snippets(session, filters.q, [i.id for i in incidents])
                        if filters.q and not error and incidents else {})


def chart_incidents(session: Session, filters: Filters, *, limit: int | None = CHART_ROWS) -> list[Incident]:
    """Every incident the filters select (newest first, at most ``limit``; None for all)."""
    text, _ = text_clause(session, filters.q)
    query = _ordered(select(Incident).where(*_where(filters, text=text)), session, "newest")
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
