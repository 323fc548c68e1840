"""The two indexes: every organisation (repeat offenders first) and every vendor (victims per
vendor), each row aggregated in SQL over the live incidents, sorted and paged.

Pages (``/orgs``, ``/vendors``) and the API (``/api/orgs``, ``/api/vendors``) read these values,
so they list the same rows in the same order. An organisation's row is one ``GROUP BY`` over
its incidents, sorted and paged by the database. A vendor has no table: its rows are the
incidents' ``vendor`` spellings, and spellings with one slug are one vendor (as on
``/vendors/SLUG``), so the database groups by spelling and victim and the few groups are
merged here. A page is kept under the search stamp (``app.search.cache``), so it is computed
once for each state of the store. Services take a session and never commit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.incidents import alive
from app.models import Incident, Organization
from app.search.cache import cached
from app.search.index import search_stamp
from app.text import slugify

PAGE_SIZE = 50
MAX_PAGE = 10_000
ORG_SORTS = ("repeat", "records", "recent", "name")  # their labels: i18n's index_sort_<key>
VENDOR_SORTS = ("victims", "incidents", "records", "recent", "name")


@dataclass(frozen=True)
class OrgRow:
    slug: str
    name: str
    incidents: int
    records: int | None  # the sum of the known counts; None when none is known
    records_unknown: int  # incidents whose count is unknown
    last: date | None  # the latest incident's disclosure (or discovery) date


@dataclass(frozen=True)
class VendorRow:
    slug: str
    name: str
    victims: int  # organisations hit through it
    incidents: int
    records: int | None
    records_unknown: int
    last: date | None


@dataclass(frozen=True)
class IndexPage:
    rows: list[Any]
    total: int  # rows in all pages
    page: int
    pages: int
    sort: str


def page_number(raw: str | None) -> int:
    """A page from a query string: 1 when missing or garbled, at most MAX_PAGE."""
    raw = (raw or "").strip()
    if not raw.isdecimal() or len(raw) > len(str(MAX_PAGE)):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def _last_date() -> Any:
    return func.max(func.coalesce(Incident.disclosed_on, Incident.discovered_on))


def _cached(session: Session, key: tuple, compute: Any) -> IndexPage:
    """``compute()``, kept under the search stamp, which every write to the incidents changes
    (in whichever process): a page is computed once per state of the store."""
    return cached(session, search_stamp(session), ("directory", *key), lambda: (compute(),))[0]


def org_index(session: Session, *, sort: str = "repeat", page: int = 1, page_size: int = PAGE_SIZE) -> IndexPage:
    """Organisations with at least one live incident. ``repeat`` (the default): most incidents
    first, then most records, then the latest incident; ``records``, ``recent`` and ``name``
    put their own key first. Ties end on the name and the slug, so paging is stable."""
    sort = sort if sort in ORG_SORTS else "repeat"
    return _cached(session, ("orgs", sort, page, page_size), lambda: _org_index(session, sort, page, page_size))


def _org_index(session: Session, sort: str, page: int, page_size: int) -> IndexPage:
    n = func.count(Incident.id).label("n")
    records = func.sum(Incident.records_max).label("records")
    known = func.count(Incident.records_max).label("known")
    last = _last_date().label("last")
    order = {
        "repeat": (n.desc(), records.desc().nulls_last(), last.desc().nulls_last()),
        "records": (records.desc().nulls_last(), n.desc(), last.desc().nulls_last()),
        "recent": (last.desc().nulls_last(), n.desc()),
        "name": (),
    }[sort]
    live = (col(Incident.organization_id).is_not(None), alive())
    total = session.exec(select(func.count(func.distinct(Incident.organization_id))).where(*live)).one()
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    stmt = (select(Organization.slug, Organization.name, n, records, known, last)
            .join(Incident, col(Incident.organization_id) == Organization.id).where(*live)
            .group_by(Organization.id, Organization.slug, Organization.name)
            .order_by(*order, Organization.name, Organization.slug)
            .offset((page - 1) * page_size).limit(page_size))
    # PostgreSQL's SUM of a bigint is a numeric (a Decimal here): back to int.
    rows = [OrgRow(slug, name, count, int(records) if known else None, count - known, last_day)
            for slug, name, count, records, known, last_day in session.exec(stmt)]
    return IndexPage(rows, total, page, pages, sort)


@lru_cache(maxsize=4096)
def vendor_slug(name: str) -> str:
    """The slug of a vendor spelling (as ``app.incidents.vendor_view`` matches it)."""
    return slugify(name)


def vendor_rows(session: Session) -> list[VendorRow]:
    """Every vendor named by a live incident, unsorted. The database groups the incidents by
    (spelling, organisation); the groups of one slug are merged, each organisation counted once
    (an incident without one counts its name)."""
    name_of = func.coalesce(Incident.organization_core, Incident.organization)
    stmt = (select(Incident.vendor, Incident.organization_id, name_of, func.count(Incident.id),
                   func.sum(Incident.records_max), func.count(Incident.records_max), _last_date())
            .where(col(Incident.vendor).is_not(None), Incident.vendor != "", alive())
            .group_by(Incident.vendor, Incident.organization_id, name_of))
    merged: dict[str, dict[str, Any]] = {}
    for vendor, org_id, org_name, count, records, known, last in session.exec(stmt):
        slug = vendor_slug(vendor)
        acc = merged.setdefault(slug, {"names": set(), "victims": set(), "n": 0, "records": 0,
                                       "known": 0, "last": None})
        acc["names"].add(vendor)
        acc["victims"].add(org_id if org_id is not None else ("name", org_name or ""))
        acc["n"] += count
        acc["records"] += int(records or 0)
        acc["known"] += known
        if last is not None and (acc["last"] is None or last > acc["last"]):
            acc["last"] = last
    return [VendorRow(slug, min(acc["names"]), len(acc["victims"]), acc["n"],
                      acc["records"] if acc["known"] else None, acc["n"] - acc["known"], acc["last"])
            for slug, acc in merged.items()]


def _vendor_key(sort: str) -> Any:
    def desc_date(d: date | None) -> int:
        return -(d.toordinal() if d else 0)

    return {
        "victims": lambda r: (-r.victims, -r.incidents, desc_date(r.last), r.name, r.slug),
        "incidents": lambda r: (-r.incidents, -r.victims, desc_date(r.last), r.name, r.slug),
        "records": lambda r: (r.records is None, -(r.records or 0), -r.victims, r.name, r.slug),
        "recent": lambda r: (desc_date(r.last), -r.victims, r.name, r.slug),
        "name": lambda r: (r.name, r.slug),
    }[sort]


def vendor_index(session: Session, *, sort: str = "victims", page: int = 1,
                 page_size: int = PAGE_SIZE) -> IndexPage:
    """Vendors, most organisations hit first (then most incidents, the latest incident)."""
    sort = sort if sort in VENDOR_SORTS else "victims"
    return _cached(session, ("vendors", sort, page, page_size), lambda: _vendor_index(session, sort, page, page_size))


def _vendor_index(session: Session, sort: str, page: int, page_size: int) -> IndexPage:
    rows = sorted(vendor_rows(session), key=_vendor_key(sort))
    pages = max(1, math.ceil(len(rows) / page_size))
    page = min(page, pages)
    return IndexPage(rows[(page - 1) * page_size:page * page_size], len(rows), page, pages, sort)
