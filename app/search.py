"""Finding incidents: filters from the query string, one page of results, facet counts.

``find_incidents`` computes a page's data once; the HTML page, the htmx fragment and the
JSON API are renderings of it. Filter values are always bound, never interpolated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from sqlalchemy import extract as sql_extract
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app import taxonomy
from app.models import Incident

SORTS = {
    "newest": "新しい公表順",
    "delay": "公表までの日数が長い順",
    "records": "件数が多い順",
}
MAX_QUERY_CHARS = 200
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Filters:
    """Everything that selects a view; lives in the query string so every view is a URL."""

    q: str = ""
    types: tuple[str, ...] = ()
    year: int | None = None
    vendor: str = ""
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_query(cls, params) -> Filters:  # noqa: ANN001 - a starlette QueryParams / MultiDict
        q = " ".join(str(params.get("q") or "").replace("\x00", " ").split())[:MAX_QUERY_CHARS]
        types = tuple(dict.fromkeys(t for t in params.getlist("type") if t in taxonomy.BY_KEY))
        year = _int(params.get("year"), 1900, 2200)
        sort = params.get("sort") if params.get("sort") in SORTS else "newest"
        page = _int(params.get("page"), 1, MAX_PAGE) or 1
        vendor = str(params.get("vendor") or "")[:MAX_QUERY_CHARS]
        return cls(q=q, types=types, year=year, vendor=vendor, sort=sort, page=page)

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
        if f.sort != "newest":
            pairs.append(("sort", f.sort))
        if f.page != 1:
            pairs.append(("page", str(f.page)))
        return urlencode(pairs)

    def url(self, path: str = "/", **changes) -> str:
        qs = self.query_string(**changes)
        return f"{path}?{qs}" if qs else path

    def toggle_type(self, key: str) -> str:
        types = tuple(t for t in self.types if t != key) if key in self.types else (*self.types, key)
        return self.url(types=types, page=1)


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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(filters: Filters, *, skip_types: bool = False) -> list:
    clauses = [col(Incident.merged_into_id).is_(None)]
    if filters.types and not skip_types:
        clauses.append(col(Incident.attack_type).in_(filters.types))
    if filters.year:
        clauses.append(sql_extract("year", Incident.disclosed_on) == filters.year)
    if filters.vendor:
        clauses.append(Incident.vendor == filters.vendor)
    for term in filters.q.split():
        like = f"%{_escape_like(term)}%"
        clauses.append(or_(*(col(c).ilike(like, escape="\\") for c in (
            Incident.organization, Incident.organization_core, Incident.service,
            Incident.vendor, Incident.title))))
    return clauses


def find_incidents(session: Session, filters: Filters, *, page_size: int = 25) -> IncidentPage:
    where = _where(filters)
    total = session.exec(select(func.count()).select_from(Incident).where(*where)).one()
    query = select(Incident).where(*where)
    if filters.sort == "delay":
        delay = func.coalesce(
            func.julianday(Incident.disclosed_on) - func.julianday(Incident.discovered_on), -1
        ) if session.get_bind().dialect.name == "sqlite" else func.coalesce(
            Incident.disclosed_on - Incident.discovered_on, -1)
        query = query.order_by(delay.desc(), col(Incident.id).desc())
    elif filters.sort == "records":
        query = query.order_by(func.coalesce(Incident.records_max, -1).desc(), col(Incident.id).desc())
    else:
        newest = func.coalesce(Incident.disclosed_on, Incident.discovered_on)
        query = query.order_by(newest.desc().nulls_last(), col(Incident.id).desc())
    offset = (filters.page - 1) * page_size
    incidents = list(session.exec(query.offset(offset).limit(page_size)))
    counts = dict(session.exec(
        select(Incident.attack_type, func.count()).where(*_where(filters, skip_types=True))
        .group_by(Incident.attack_type)).all())
    return IncidentPage(filters=filters, incidents=incidents, total=total, page_size=page_size,
                        type_counts=counts)
