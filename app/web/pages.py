"""HTML pages: the incident list (full page or htmx fragment), each incident's permalink,
organisation and vendor pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app import charts
from app.models import Incident, IncidentEvent, IncidentSource, Organization, Source
from app.search import MAX_PAGE, Filters, chart_incidents, find_incidents, surviving_incident
from app.text import slugify
from app.web.deps import SessionDep
from app.web.render import evidence_spans, fact_label, highlight, lang_of, templates, with_lang

router = APIRouter()

# Attack types done with intent (不正の目的): their 確報 window is 60 days, not 30.
MALICIOUS = {"web_skimming", "unauthorized_access", "ransomware", "malware", "account_takeover",
             "phishing", "insider"}
# Reporting to the PPC became mandatory with the amended act in force from this day.
PPC_DUTY_FROM = date(2022, 4, 1)
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


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    check_page(request)
    filters = Filters.from_query(request.query_params)
    page = find_incidents(session, filters, page_size=request.app.state.settings.page_size)
    rows = chart_incidents(session, filters)
    context = {"page": page, "filters": filters, "lang": filters.lang,
               "charts": charts.all_charts(rows, filters.lang), "chart_total": len(rows)}
    if is_htmx(request):
        response = templates.TemplateResponse(request, "index.html", context, block_name="results")
    else:
        response = templates.TemplateResponse(request, "index.html", context)
    response.headers["Vary"] = "HX-Request"
    return response


# ---- the incident page ----


@dataclass(frozen=True)
class Step:
    key: str
    day: date
    gap: int | None  # days since the previous step


def timeline_steps(incident: Incident, ppc_dates: list[date]) -> list[Step]:
    """The incident's own timeline from its facts, in date order, with the gaps between steps."""
    found = [(k, getattr(incident, k)) for k in (
        "exposure_from", "exposure_to", "discovered_on", "containment_on", "reported_to_ppc_on",
        "reported_to_police_on", "disclosed_on")]
    if len(ppc_dates) > 1:
        found.append(("ppc_final", ppc_dates[-1]))
    order = {k: n for n, (k, _) in enumerate(found)}
    dated = sorted(((k, d) for k, d in found if d), key=lambda kd: (kd[1], order[kd[0]]))
    steps, previous = [], None
    for key, day in dated:
        steps.append(Step(key, day, (day - previous).days if previous else None))
        previous = day
    return steps


@dataclass(frozen=True)
class Check:
    rule: str
    verdict: str  # "met", "late", "unknown" — shown as words, colour only repeats it
    detail: str


def legal_checks(incident: Incident, ppc_dates: list[date], lang: str) -> list[Check]:
    """速報 (about 3–5 days) and 確報 (30 days, 60 when malicious) windows, where dates allow."""
    en = lang == "en"
    found = incident.discovered_on
    days = 60 if incident.attack_type in MALICIOUS else 30
    why = ("malicious case: 60 days" if en else "不正の目的によるもの: 60日") if days == 60 else (
        "30 days" if en else "30日")
    quick = "Preliminary report (速報) within 3–5 days of discovery" if en else "速報: 発覚から3〜5日以内"
    final = f"Final report (確報) within {days} days ({why})" if en else f"確報: 発覚から{days}日以内（{why}）"
    if found is None:
        msg = "The discovery date is unknown, so the windows cannot be checked." if en else "発覚日が不明のため判定できません。"
        return [Check(quick, "unknown", msg), Check(final, "unknown", msg)]
    if found < PPC_DUTY_FROM:
        msg = ("Discovered before the duty to report began (1 April 2022)." if en
               else "2022年4月1日の改正個人情報保護法施行前の発覚のため、報告義務の対象外です。")
        return [Check(quick, "unknown", msg)]
    first = ppc_dates[0] if ppc_dates else None
    if first is None:
        checks = [Check(quick, "unknown", "No report date to the PPC in the sources." if en
                        else "個人情報保護委員会への報告日は出典にありません。")]
    else:
        gap = (first - found).days
        ok = gap <= 5
        checks = [Check(quick, "met" if ok else "late", (
            f"Reported {gap} days after discovery." if en else f"発覚から{gap}日後に報告。")
            + ("" if ok else (" Later than the guideline." if en else " 目安を過ぎています。")))]
    deadline = found + timedelta(days=days)
    if len(ppc_dates) > 1:
        gap = (ppc_dates[-1] - found).days
        ok = gap <= days
        checks.append(Check(final, "met" if ok else "late", (
            f"A later report {gap} days after discovery is taken as the final one." if en
            else f"発覚から{gap}日後の2回目以降の報告を確報とみなしています。")))
    else:
        checks.append(Check(final, "unknown", (
            f"No final-report date in the sources; it was due by {deadline.isoformat()}." if en
            else f"確報の日付は出典にありません（期限は{deadline.year}年{deadline.month}月{deadline.day}日）。")))
    return checks


def _resolve(session: Session, slug: str) -> Incident:
    incident = surviving_incident(session, slug)  # a merged-away permalink points to the survivor
    if incident is None:
        raise HTTPException(404, "この事案は見つかりません")
    return incident


def _sources(links: list[tuple[IncidentSource, Source]], lang: str) -> tuple[list[dict], dict[str, list]]:
    """Each source with its text highlighted, and for each fact the anchors of its evidence."""
    labels = {f: fact_label(f, lang) for f in EVIDENCE_FIELDS}
    labels["organization_core"] = fact_label("organization_core", lang)
    shown, anchors = [], {}
    for n, (link, src) in enumerate(links, start=1):
        spans = evidence_spans(link.evidence, len(src.text)) if src.text else []
        anchor = f"ev-{link.id}"
        window = (link.segment_start, link.segment_end) if link.segment_end > link.segment_start else None
        body = highlight(src.text, spans, anchor=anchor, labels=labels, window=window) if src.text else None
        shown.append({"link": link, "src": src, "n": n, "body": body,
                      "is_url": src.uri.startswith(("http://", "https://"))})
        for s in spans:
            anchors.setdefault(s.field, []).append((n, f"#{anchor}-{s.field}"))
    return shown, anchors


def _related(session: Session, incident: Incident) -> dict[str, list[Incident]]:
    alive = col(Incident.merged_into_id).is_(None)
    related: dict[str, list[Incident]] = {"org": [], "vendor": []}
    same_org = [Incident.organization_id == incident.organization_id] if incident.organization_id else (
        [Incident.organization_core == incident.organization_core] if incident.organization_core else [])
    if same_org:
        related["org"] = list(session.exec(select(Incident).where(
            alive, Incident.id != incident.id, *same_org).order_by(col(Incident.disclosed_on).desc()).limit(20)))
    if incident.vendor:
        related["vendor"] = list(session.exec(select(Incident).where(
            alive, Incident.id != incident.id, Incident.vendor == incident.vendor)
            .order_by(col(Incident.disclosed_on).desc()).limit(20)))
    return related


@router.get("/incidents/{slug}", response_class=HTMLResponse)
def incident_page(slug: str, request: Request, session: SessionDep) -> Response:
    lang = lang_of(request)
    incident = _resolve(session, slug)
    if incident.slug != slug:
        return RedirectResponse(with_lang(f"/incidents/{incident.slug}", lang), status_code=301)
    links = list(session.exec(select(IncidentSource, Source).join(Source)
                              .where(IncidentSource.incident_id == incident.id)
                              .order_by(col(Source.published_on), col(Source.id))).all())
    events = session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == incident.id)
                          .order_by(col(IncidentEvent.date).nulls_last(), col(IncidentEvent.id))).all()
    ppc_dates = sorted({e.date for e in events if e.type == "reported_to_ppc" and e.date}
                       | ({incident.reported_to_ppc_on} if incident.reported_to_ppc_on else set()))
    org = session.get(Organization, incident.organization_id) if incident.organization_id else None
    sources, anchors = _sources(links, lang)
    return templates.TemplateResponse(request, "incident.html", {
        "incident": incident, "sources": sources, "anchors": anchors, "events": events, "org": org,
        "steps": timeline_steps(incident, ppc_dates), "checks": legal_checks(incident, ppc_dates, lang),
        "related": _related(session, incident), "lang": lang,
        "vendor_slug": slugify(incident.vendor) if incident.vendor else None,
        "canonical": str(request.url.replace(query=None)),
    })


# ---- organisation and vendor pages ----


def _totals(incidents: list[Incident]) -> dict[str, Any]:
    known = [i.records_max for i in incidents if i.records_max is not None]
    cards = [i.card_records for i in incidents if i.card_records is not None]
    dates = sorted(d for i in incidents if (d := i.disclosed_on or i.discovered_on))
    return {"count": len(incidents), "records": sum(known), "records_known": len(known),
            "cards": sum(cards), "cards_known": len(cards),
            "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
            "gaps": [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]}


def _by_date(query):  # noqa: ANN001, ANN202 - a Select
    when = col(Incident.disclosed_on)
    return query.order_by(when.desc().nulls_last(), col(Incident.discovered_on).desc().nulls_last(),
                          col(Incident.id).desc())


@router.get("/orgs/{slug}", response_class=HTMLResponse)
def org_page(slug: str, request: Request, session: SessionDep) -> Response:
    org = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if org is None:
        raise HTTPException(404, "この組織は見つかりません")
    incidents = list(session.exec(_by_date(select(Incident).where(
        Incident.organization_id == org.id, col(Incident.merged_into_id).is_(None)))))
    vendors = sorted({i.vendor for i in incidents if i.vendor})
    return templates.TemplateResponse(request, "org.html", {
        "org": org, "incidents": incidents, "totals": _totals(incidents), "lang": lang_of(request),
        "vendors": [(v, slugify(v)) for v in vendors],
    })


@router.get("/vendors/{slug}", response_class=HTMLResponse)
def vendor_page(slug: str, request: Request, session: SessionDep) -> Response:
    names = session.exec(select(Incident.vendor).where(
        col(Incident.vendor).is_not(None), col(Incident.merged_into_id).is_(None)).distinct()).all()
    matching = sorted(n for n in names if n and slugify(n) == slug)
    if not matching:
        raise HTTPException(404, "この委託先は見つかりません")
    incidents = list(session.exec(_by_date(select(Incident).where(
        col(Incident.vendor).in_(matching), col(Incident.merged_into_id).is_(None)))))
    org_ids = {i.organization_id for i in incidents if i.organization_id}
    orgs = {o.id: o for o in session.exec(select(Organization).where(col(Organization.id).in_(org_ids)))}
    hit: dict[str, dict[str, Any]] = {}
    for inc in incidents:
        org = orgs.get(inc.organization_id)
        name = org.name if org else (inc.organization or inc.organization_core or "")
        entry = hit.setdefault(name, {"org": org, "name": name, "incidents": []})
        entry["incidents"].append(inc)
    return templates.TemplateResponse(request, "vendor.html", {
        "vendor": matching[0], "slug": slug, "incidents": incidents, "orgs": list(hit.values()),
        "totals": _totals(incidents), "lang": lang_of(request),
    })
