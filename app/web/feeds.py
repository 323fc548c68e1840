"""Every list as data: CSV for spreadsheets and Atom for feed readers, for any filter."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session

from app import i18n
from app.export import csv_chunks, csv_text
from app.incidents import org_view, vendor_view
from app.models import Incident
from app.search import find_incidents, incident_ids
from app.text import strip_invisible
from app.web.api import FiltersDep
from app.web.deps import SessionDep
from app.web.render import lang_of

router = APIRouter(tags=["feeds"])

FEED_SIZE = 50
CSV_MAX_ROWS = 100_000
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids; hostile or broken text must not break the feed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")



def clean(text: str | None) -> str:
    """Text a feed reader can parse and show: no XML-illegal characters, no bidi controls."""
    return strip_invisible(_XML_ILLEGAL.sub("", text or ""))


def rfc3339(value: datetime | None) -> str:
    value = value or datetime.now(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@router.get("/incidents.csv", summary="The incidents of the current filters as CSV")
def incidents_csv(request: Request, session: SessionDep, filters: FiltersDep) -> Response:
    """UTF-8 with a BOM (Excel in Japan opens it), one row per incident, stable documented
    columns; cells that begin with = + - @ are neutralised. A search too long to run is a 400,
    not an empty file. Streamed: the rows are read and written a batch at a time."""
    ids = incident_ids(session, filters, limit=CSV_MAX_ROWS)
    return StreamingResponse(_stream_csv(request.app.state.engine, ids), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="rouei-incidents.csv"',
                                      "Cache-Control": "public, max-age=60"})


def _stream_csv(engine: Engine, ids: tuple[int, ...]) -> Iterator[str]:
    # A session of its own: the request's is closed once the answer starts. One transaction,
    # so every batch reads the same version of the store.
    with Session(engine) as session:
        yield from csv_chunks(session, ids)


def _csv_response(session: SessionDep, incidents: list[Incident], name: str) -> Response:
    return Response(csv_text(session, [i.id for i in incidents]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "public, max-age=60"})


@router.get("/orgs/{slug}/incidents.csv", summary="An organisation's incidents as CSV")
def org_csv(slug: str, request: Request, session: SessionDep) -> Response:
    """The incidents of ``/orgs/SLUG``, newest first, in the columns of /incidents.csv."""
    view = org_view(session, slug)
    if view is None:
        raise HTTPException(404, i18n.text("not_found_org", lang_of(request)))
    return _csv_response(session, view.incidents, f"rouei-org-{slug}.csv")


@router.get("/vendors/{slug}/incidents.csv", summary="A vendor's incidents as CSV")
def vendor_csv(slug: str, request: Request, session: SessionDep) -> Response:
    """The incidents of ``/vendors/SLUG`` (every spelling of the vendor), newest first."""
    view = vendor_view(session, slug)
    if view is None:
        raise HTTPException(404, i18n.text("not_found_vendor", lang_of(request)))
    return _csv_response(session, view.incidents, f"rouei-vendor-{slug}.csv")


def atom(request: Request, incidents: list[Incident], *, title: str, self_path: str, page_path: str) -> Response:
    """An Atom feed of these incidents: each entry's ``published`` is when Rouei first saw the
    incident (``created_at``), its ``updated`` when its facts last changed (``updated_at``)."""
    base = str(request.base_url).rstrip("/")
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attrs.items()})
        if text is not None:
            node.text = clean(text)
        return node

    sub(root, "title", title)
    sub(root, "id", base + self_path)
    sub(root, "link", rel="self", type="application/atom+xml", href=base + self_path)
    sub(root, "link", rel="alternate", type="text/html", href=base + page_path)
    updated = max((i.updated_at for i in incidents if i.updated_at), default=None)
    sub(root, "updated", rfc3339(updated))
    author = sub(root, "author")
    sub(author, "name", "Rouei")
    for inc in incidents:
        name = i18n.org_name(inc)
        entry = sub(root, "entry")
        sub(entry, "title", f"{name}{'「' + inc.service + '」' if inc.service else ''} — {i18n.attack_label(inc.attack_type)}")
        sub(entry, "id", f"{base}/incidents/{inc.slug}")
        sub(entry, "link", rel="alternate", type="text/html", href=f"{base}/incidents/{inc.slug}")
        sub(entry, "published", rfc3339(inc.created_at))
        sub(entry, "updated", rfc3339(max(inc.updated_at or inc.created_at, inc.created_at)))
        sub(entry, "category", term=inc.attack_type, label=i18n.attack_label(inc.attack_type))
        sub(entry, "category", term=inc.review_status, scheme=f"{base}/?review=",  # scheme + term: the list of that status
            label=i18n.review_label(inc.review_status))
        unknown = i18n.text("unknown")
        summary = (f"{i18n.text('discovered')} {inc.discovered_on or unknown} / "
                   f"{i18n.text('disclosed')} {inc.disclosed_on or unknown} / "
                   f"{i18n.text('records')} {i18n.count(inc.records_max, inc.records_max_qualifier)} / "
                   f"{i18n.fact_label('review_status')} {i18n.review_label(inc.review_status)}")
        sub(entry, "summary", summary, type="text")
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    return Response(body, media_type="application/atom+xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=300"})


@router.get("/feed.atom", summary="Atom feed of the newest incidents for any filter")
def feed(request: Request, session: SessionDep, filters: FiltersDep) -> Response:
    """The 50 newest incidents of any filter: by disclosure (the default) or, with
    ``sort=added``, by when Rouei first saw them — the feed of what is new."""
    # The feed's links keep the interface language of the page it was found on.
    sort = "added" if filters.sort == "added" else "newest"
    filters = replace(filters, page=1, sort=sort, lang=lang_of(request))
    page = find_incidents(session, filters, page_size=FEED_SIZE, with_facets=False)
    qs = filters.query_string()
    described = "、".join(i18n.attack_label(t) for t in filters.types) or i18n.text("feed_all")
    title = i18n.text("feed_title", types=described)
    if filters.vendor:
        title = f"{title} — {filters.vendor}"
    return atom(request, page.incidents, title=title, self_path="/feed.atom" + (f"?{qs}" if qs else ""),
                page_path="/" + (f"?{qs}" if qs else ""))


@router.get("/orgs/{slug}/feed.atom", summary="Atom feed of an organisation's incidents, newest added first")
def org_feed(slug: str, request: Request, session: SessionDep) -> Response:
    """Following an organisation is subscribing to its page: its incidents, newest first seen
    first (``published`` first seen, ``updated`` last change)."""
    view = org_view(session, slug)
    if view is None:
        raise HTTPException(404, i18n.text("not_found_org", lang_of(request)))
    newest = sorted(view.incidents, key=lambda i: (i.created_at, i.id or 0), reverse=True)[:FEED_SIZE]
    lang = lang_of(request)
    suffix = "?lang=en" if lang == "en" else ""
    return atom(request, newest, title=f"{view.org.name} — Rouei", self_path=f"/orgs/{slug}/feed.atom{suffix}",
                page_path=f"/orgs/{slug}{suffix}")
