"""HTML pages: the incident list (full page or htmx fragment), each incident's permalink,
organisation and vendor pages. The views come from ``app.incidents``; this module renders."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import charts, chronology, directory, i18n
from app.i18n import STATUS_LABELS, fact_label
from app.incidents import IncidentView, incident_view, org_view, vendor_view
from app.models import REVIEW_STATUSES
from app.search import MAX_PAGE, Filters, chart_data, find_incidents, surviving_incident
from app.taxonomy import QUALIFIERS
from app.web.curate import edit_context
from app.web.deps import SessionDep
from app.web.render import evidence_spans, highlight, lang_of, templates, with_lang
from app.web.session import current as current_admin

router = APIRouter()

EVIDENCE_FIELDS = ("organization", "service", "attack_type", "vendor", "status", "discovered_on",
                   "disclosed_on", "exposure_from", "exposure_to", "containment_on",
                   "reported_to_ppc_on", "reported_to_police_on", "records_max", "card_records",
                   "personal_records", "leaked_items")



def is_htmx(request: Request) -> bool:
    """An htmx swap wants a fragment; a history restore (back/forward miss) wants the page."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def check_page(request: Request) -> None:
    """A page number past MAX_PAGE is refused with a message (a garbled one still means page 1)."""
    raw = (request.query_params.get("page") or "").strip()
    # Compare lengths first: int() of thousands of digits is slow, and refused past 4,300.
    if raw.isdecimal() and (len(raw) > len(str(MAX_PAGE)) or int(raw) > MAX_PAGE):
        en = lang_of(request) == "en"
        raise HTTPException(400, f"Page numbers go up to {MAX_PAGE:,}." if en
                            else f"ページ番号は{MAX_PAGE:,}までです。")


def tab_title(filters: Filters) -> str:
    """The tab names the view: its filters, sort and page before the site's name."""
    lang = filters.lang
    parts = [chip.value for chip in filters.chips()]
    if filters.sort != "newest":
        parts.append(i18n.text(f"sort_{filters.sort}", lang))
    if filters.page > 1:
        parts.append(i18n.text("page_n", lang, n=filters.page))
    return " · ".join(parts) + " | Rouei" if parts else i18n.text("title", lang)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    check_page(request)
    filters = Filters.from_query(request.query_params)
    page = find_incidents(session, filters, page_size=request.app.state.settings.page_size)
    data = chart_data(session, filters)
    context = {"page": page, "filters": filters, "lang": filters.lang, "fragment": is_htmx(request),
               "tab_title": tab_title(filters), "charts": charts.all_charts(data, filters.lang),
               "chart_total": data.aggregates.total}
    if is_htmx(request):
        response = templates.TemplateResponse(request, "index.html", context, block_name="results")
    else:
        response = templates.TemplateResponse(request, "index.html", context)
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/charts/{key}.csv")
def chart_csv(key: str, request: Request, session: SessionDep) -> Response:
    """What one chart of the home page draws for the same query string, as CSV (UTF-8 with a
    BOM, like /incidents.csv; cells that could run as formulas neutralised)."""
    if key not in charts.KEYS:
        raise HTTPException(404, "no such chart")
    filters = Filters.from_query(request.query_params)
    chart = next(c for c in charts.all_charts(chart_data(session, filters), filters.lang) if c.key == key)
    return Response(charts.csv_text(chart), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="rouei-chart-{key}.csv"',
                             "Cache-Control": "public, max-age=60"})


# ---- the incident page ----


def _sources(view: IncidentView, lang: str) -> tuple[list[dict], dict[str, list]]:
    """Each source with its text highlighted, and for each fact the anchors of its evidence."""
    labels = {f: fact_label(f, lang) for f in EVIDENCE_FIELDS}
    labels["organization_core"] = fact_label("organization_core", lang)
    shown, anchors = [], {}
    for ref in view.sources:
        link, src, n = ref.link, ref.source, ref.n
        spans = evidence_spans(link.evidence, len(src.text)) if src.text else []
        anchor = f"ev-{link.id}"
        window = (link.segment_start, link.segment_end) if link.segment_end > link.segment_start else None
        body = highlight(src.text, spans, anchor=anchor, labels=labels, window=window) if src.text else None
        shown.append({"link": link, "src": src, "n": n, "body": body,
                      "is_url": src.uri.startswith(("http://", "https://"))})
        for s in spans:
            anchors.setdefault(s.field, []).append((n, f"#{anchor}-{s.field}"))
    return shown, anchors


@router.get("/incidents/{slug}", response_class=HTMLResponse)
def incident_page(slug: str, request: Request, session: SessionDep) -> Response:
    lang = lang_of(request)
    incident = surviving_incident(session, slug)  # a merged-away permalink points to the survivor
    if incident is None:
        raise HTTPException(404, i18n.text("not_found_incident", lang))
    if incident.slug != slug:
        return RedirectResponse(with_lang(f"/incidents/{incident.slug}", lang), status_code=301)
    view = incident_view(session, incident)
    conflicts = chronology.impossible_orders(incident)
    sources, anchors = _sources(view, lang)
    admin = current_admin(request)
    return templates.TemplateResponse(request, "incident.html", {
        "admin": admin, "editing": edit_context(view) if admin else {},
        "qualifiers": QUALIFIERS, "statuses": tuple(STATUS_LABELS), "review_statuses": REVIEW_STATUSES,
        "incident": incident, "sources": sources, "anchors": anchors, "events": view.events,
        "org": view.organization, "steps": chronology.drawable(view.steps, conflicts), "conflicts": conflicts, "checks": [c.words(lang) for c in view.checks],
        "related": view.related, "lang": lang, "vendor_slug": view.vendor_slug,
        "corrections": view.corrections, "suggestions": view.suggestions, "revisions": view.revisions,
        "canonical": str(request.url.replace(query=None)),
    })


# ---- organisation and vendor pages, and their indexes ----


def _index_page(request: Request, kind: str, index: directory.IndexPage) -> Response:
    """/orgs or /vendors: the whole page, or (an htmx swap) only its table and pager."""
    lang = lang_of(request)
    default = directory.ORG_SORTS[0] if kind == "orgs" else directory.VENDOR_SORTS[0]

    def url(path: str = f"/{kind}", *, sort: str = index.sort, page: int = 1, with_lang: bool = True) -> str:
        pairs = [("sort", sort)] if sort != default else []
        pairs += [("page", str(page))] if page != 1 else []
        pairs += [("lang", "en")] if lang == "en" and with_lang else []
        return f"{path}?{urlencode(pairs)}" if pairs else path

    title = [i18n.text(f"{kind}_title", lang)]
    if index.sort != default:
        title.append(i18n.text(f"index_sort_{index.sort}", lang))
    if index.page > 1:
        title.append(i18n.text("page_n", lang, n=index.page))
    context = {"index": index, "kind": kind, "lang": lang, "url": url, "tab_title": " · ".join(title) + " | Rouei",
               "sorts": directory.ORG_SORTS if kind == "orgs" else directory.VENDOR_SORTS}
    block = {"block_name": "index"} if is_htmx(request) else {}
    response = templates.TemplateResponse(request, "directory.html", context, **block)
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/orgs", response_class=HTMLResponse)
def orgs_index(request: Request, session: SessionDep) -> Response:
    """Every organisation with an incident, repeat offenders first."""
    params = request.query_params
    return _index_page(request, "orgs", directory.org_index(
        session, sort=params.get("sort") or "", page=directory.page_number(params.get("page"))))


@router.get("/vendors", response_class=HTMLResponse)
def vendors_index(request: Request, session: SessionDep) -> Response:
    """Every vendor an incident names, most organisations hit first."""
    params = request.query_params
    return _index_page(request, "vendors", directory.vendor_index(
        session, sort=params.get("sort") or "", page=directory.page_number(params.get("page"))))


@router.get("/orgs/{slug}", response_class=HTMLResponse)
def org_page(slug: str, request: Request, session: SessionDep) -> Response:
    view = org_view(session, slug)
    if view is None:
        raise HTTPException(404, i18n.text("not_found_org", lang_of(request)))
    return templates.TemplateResponse(request, "org.html", {
        "org": view.org, "incidents": view.incidents, "totals": view.totals, "lang": lang_of(request),
        "vendors": view.vendors,
    })


@router.get("/vendors/{slug}", response_class=HTMLResponse)
def vendor_page(slug: str, request: Request, session: SessionDep) -> Response:
    view = vendor_view(session, slug)
    if view is None:
        raise HTTPException(404, i18n.text("not_found_vendor", lang_of(request)))
    return templates.TemplateResponse(request, "vendor.html", {
        "vendor": view.name, "slug": slug, "incidents": view.incidents, "orgs": view.orgs,
        "totals": view.totals, "lang": lang_of(request),
    })


# ---- the registered sources (#14) ----


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, session: SessionDep) -> Response:
    """Every registered source with its health and what it gave; public and read-only."""
    from app.ingest.harvest import format_interval, health, recent_incidents

    rows = health(session)
    return templates.TemplateResponse(request, "sources.html", {
        "rows": rows, "recent": recent_incidents(session), "every": format_interval, "lang": lang_of(request),
    })
