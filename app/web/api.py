"""The JSON API: the same filters and query string as the pages, public models only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import create_model
from sqlmodel import Field, Session, SQLModel
from starlette.datastructures import MultiDict

from app import directory, i18n, ppc, revisions, search
from app.incidents import incident_view, org_view, vendor_view
from app.models import EventPublic, Incident, IncidentPublic, SourcePublic
from app.revisions import RevisionView
from app.search import (
    FACETS,
    MAX_PAGE,
    Filters,
    IncidentPage,
    chart_data,
    find_incidents,
    surviving_incident,
)
from app.web.deps import SessionDep


class ErrorPublic(SQLModel):
    detail: str


def validation_error(field: str, message: str) -> RequestValidationError:
    """A 422 for one query parameter, sent in the same shape as FastAPI's own validation."""
    return RequestValidationError([{"loc": ("query", field), "msg": message, "type": "value_error"}])


NOT_MODIFIED = {304: {"description": "Not modified (If-None-Match matched the ETag)"}}
NOT_FOUND = {404: {"model": ErrorPublic, "description": "No such item"}, **NOT_MODIFIED}
BAD_REQUEST = {400: {"model": ErrorPublic, "description": "A parameter cannot be used"}, **NOT_MODIFIED}

REPEATABLE = frozenset({"type"})  # the only query parameters that are lists


def single_valued(request: Request) -> None:
    """A parameter the schema gives one value must not come twice (?limit=5&limit=500): which
    one would count is a guess, so the request is refused, naming it."""
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in seen and name not in REPEATABLE:
            raise validation_error(name, "given more than once; this parameter takes one value")
        seen.add(name)


router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(single_valued)])

MAX_LIMIT = 200
# No real cursor points past this many rows; a made-up one must not reach the database.
MAX_OFFSET = MAX_PAGE * MAX_LIMIT
CACHE_CONTROL = "public, max-age=60"
# In JSON these three only occur inside strings, where \u escapes mean the same: the data
# comes back unchanged, and no byte of the body reads as markup to anything that sniffs it.
_JSON_MARKUP = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})



# ---- public models ----


class IncidentLink(SQLModel):
    slug: str
    organization: str | None
    attack_type: str
    disclosed_on: date | None
    url: str


class FacetValue(SQLModel):
    value: str
    label: str
    count: int


# One list per facet of the filter panel (app.search.filters.FACETS), under its API name.
FacetsPublic = create_model("FacetsPublic", __base__=SQLModel,
                            **{f.api_key: (list[FacetValue], Field(default_factory=list, description=i18n.text(f.title, "en")))
                               for f in FACETS})


class IncidentListPublic(SQLModel):
    data: list[dict[str, Any]]
    count: int
    next_cursor: int | None = Field(default=None, description="The cursor of the next page; null on the last")
    filters: dict[str, Any]
    query_error: str | None = None
    facets: FacetsPublic | None = None


class SourceWithEvidence(SourcePublic):
    segment: list[int]
    evidence: dict[str, list[int]]


class StepPublic(SQLModel):
    key: str
    date: date
    gap_days: int | None


class CheckWords(SQLModel):
    rule: str
    detail: str
    triggers: list[str] = Field(default=[], description="The four triggers of 第7条, one line each (the duty's line)")


class LegalCheckPublic(SQLModel):
    rule: str = Field(description="required (the duty, 施行規則第7条), preliminary (速報) or final (確報)")
    verdict: str = Field(description="not_required, on_time, late or unknown; the first line's is the whole's")
    reason: str = Field(description="required: triggered, no_trigger, before_duty or open; a deadline: "
                                    "reported, or the fact it waits for (discovered_on, reported_to_ppc_on, …)")
    article: str = Field(description="The rule it stands on (施行規則第8条第2項 …)")
    window_days: int | None = Field(description="N: the deadline is discovery + N days")
    gap_days: int | None = Field(description="R−D: days from discovery to the report judged")
    deadline: date | None = Field(description="D+N")
    text: dict[str, CheckWords] = Field(description="The check in words, by language (ja, en)")


class TriggerPublic(SQLModel):
    key: str = Field(description="sensitive, property, malicious or over_1000")
    article: str
    fires: bool | None = Field(description="null: a fact is missing")
    facts: list[str] = Field(description="The facts that fire it (or rule it out)")
    missing: str | None


class DeadlinePublic(SQLModel):
    rule: str = Field(description="preliminary (速報) or final (確報)")
    article: str
    verdict: str = Field(description="on_time, late or unknown")
    window_days: int
    window_alt: int | None = Field(description="60 when whether it was done with intent is unknown")
    discovered_on: date | None = Field(description="D")
    due_on: date | None = Field(description="D+N")
    reported_on: date | None = Field(description="R")
    gap_days: int | None = Field(description="R−D")
    missing: str | None


class ObligationPublic(SQLModel):
    required: bool | None = Field(description="Whether a report to the PPC was owed; null: a fact is missing")
    reason: str = Field(description="triggered, no_trigger, before_duty (before 2022-04-01) or open")
    verdict: str = Field(description="not_required, on_time, late or unknown")
    missing: list[str] = Field(description="The facts an unknown verdict waits for")
    triggers: list[TriggerPublic]
    deadlines: list[DeadlinePublic]


class FactVersionPublic(SQLModel):
    value: int | str
    qualifier: str | None
    uri: str
    report: dict[str, Any]
    current: bool
    chosen: bool


class RevisionPublic(SQLModel):
    """One change to an incident's facts (see app.revisions)."""

    id: int
    field: str | None = Field(description="The fact; null for a merge or split")
    old_value: Any
    new_value: Any
    kind: str = Field(description="parser, correction, merge, split, import or review")
    applied: bool = Field(description="false: a parsed value a corrected fact did not take (a suggestion)")
    source: str | None = Field(description="The document that made it (parser revisions)")
    actor: str | None = Field(description="The person who made it (corrections, reviews)")
    reason: str | None
    created_at: datetime


class IncidentDetailPublic(IncidentPublic):
    attack_type_label: dict[str, str]
    delay_days: int | None
    url: str
    sources: list[SourceWithEvidence]
    events: list[EventPublic]
    steps: list[StepPublic]
    legal_checks: list[LegalCheckPublic]
    ppc: ObligationPublic = Field(description="The duty to report to the PPC as data: triggers, deadlines, verdict")
    related: list[IncidentLink] = Field(description="Same organisation first, then same vendor; each once")
    related_organization: list[IncidentLink] = Field(description="Same organisation, newest first")
    related_vendor: list[IncidentLink] = Field(description="Same vendor, newest first")
    history: dict[str, list[FactVersionPublic]] = Field(
        description="Each fact as every source gave it, oldest report first; the value kept is chosen")
    corrections: dict[str, RevisionPublic] = Field(
        description="Facts a person corrected (pinned: no parse overwrites them), with who and why")
    suggestions: list[RevisionPublic] = Field(
        description="Parsed values a corrected fact did not take, newest first: keep or take")


class HistoryPublic(SQLModel):
    slug: str
    data: list[RevisionPublic]
    count: int


class OrganizationPublic(SQLModel):
    slug: str
    name: str
    core_name: str
    aliases: list[str]
    incident_count: int
    records_total: int | None
    incidents: list[IncidentLink]


class VendorPublic(SQLModel):
    slug: str
    name: str
    organizations: list[str]
    incidents: list[IncidentLink]


class StatRow(SQLModel):
    attack_type: str
    year: int | None
    incidents: int
    with_delay: int
    median_delay_days: float | None
    records_total: int | None = Field(description="The sum of the known counts; null when no count of the group is known")
    records_unknown: int = Field(description="Incidents of the group whose count is unknown")


class StatsPublic(SQLModel):
    data: list[StatRow]


# ---- helpers ----


def cached_json(request: Request, payload: Any) -> Response:
    """JSON with an ETag of its body; a matching If-None-Match gets 304."""
    body = json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":"))
    body = body.translate(_JSON_MARKUP).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


# A comma-separated list of public field names (spaces and empty items allowed), so that every
# value the schema admits is one the API answers.
_FIELD = "(?:" + "|".join(IncidentPublic.model_fields) + ")"
FIELDS_PATTERN = rf"^[ ,]*{_FIELD}(?:[ ]*,[ ,]*{_FIELD})*[ ,]*$"


def api_filters(
    q: Annotated[str | None, Query(description=f"Search text, as on the home page (at most {search.MAX_PARSED_QUERY_CHARS} characters)",
                                   examples=["ワコム"], json_schema_extra={"maxLength": search.MAX_PARSED_QUERY_CHARS})] = None,
    type: Annotated[list[str] | None, Query(description="Attack type keys (repeatable); unknown keys are ignored",
                                            examples=[["web_skimming"]])] = None,
    year: Annotated[str | None, Query(description="Year of disclosure", examples=["2022"])] = None,
    vendor: Annotated[str | None, Query(description="Vendor name, exactly as the vendor facet gives it",
                                        examples=["ショーケース"])] = None,
    card: Annotated[str | None, Query(description="`yes`: card data leaked; `no`: none or unknown",
                                      examples=["yes"])] = None,
    sort: Annotated[str | None, Query(description="newest (disclosure, the default), added (first seen by Rouei, newest first), delay or records",
                                      examples=["delay"])] = None,
    review: Annotated[str | None, Query(description="A person's word: `reviewed`, `disputed` or `unreviewed`",
                                        examples=["reviewed"])] = None,
    ppc: Annotated[str | None, Query(description="The PPC obligation's verdict: `late`, `unknown`, `on_time` or `not_required`",
                                     examples=["late"])] = None,
    lang: Annotated[Literal["ja", "en"] | None, Query(description="The language of labels (facet values): `ja` (the default) or `en`")] = None,
) -> Filters:
    """The home page's filters, declared so that OpenAPI documents each one, read through the
    same ``Filters.from_query`` as the page. The page answers an over-long search with a message
    in the list; the API says so with a 400 instead of an empty answer."""
    given = {"q": q, "type": type or [], "year": year, "vendor": vendor, "card": card, "sort": sort,
             "review": review, "ppc": ppc, "lang": lang}
    params = MultiDict([(k, v) for k, vs in given.items() for v in (vs if isinstance(vs, list) else [vs])
                        if v is not None])
    filters = Filters.from_query(params)
    # The length sent is what the schema's maxLength bounds; a search that normalising makes
    # longer (㍻ → 平成) runs, and its answer's query_error says why it found nothing.
    if q is not None and len(q) > search.MAX_PARSED_QUERY_CHARS:
        raise HTTPException(400, f"q is too long: a search takes at most {search.MAX_PARSED_QUERY_CHARS} characters")
    return filters


FiltersDep = Annotated[Filters, Depends(api_filters)]


PUBLIC_FIELDS = tuple(IncidentPublic.model_fields)


def incident_dict(inc: Incident, fields: tuple[str, ...] = PUBLIC_FIELDS) -> dict[str, Any]:
    data = IncidentPublic.model_validate(inc, from_attributes=True).model_dump(mode="json")
    data["url"] = f"/incidents/{inc.slug}"
    return {k: v for k, v in data.items() if k in fields or k == "slug"}


def link(inc: Incident) -> IncidentLink:
    return IncidentLink(slug=inc.slug, organization=inc.organization or inc.organization_core,
                        attack_type=inc.attack_type, disclosed_on=inc.disclosed_on,
                        url=f"/incidents/{inc.slug}")


def live_incident(session: Session, slug: str) -> Incident:
    inc = surviving_incident(session, slug)
    if inc is None:
        raise HTTPException(404, "incident not found")
    return inc


# ---- routes ----


@router.get("/incidents", response_model=IncidentListPublic, summary="Incidents for the home page's filters", responses=BAD_REQUEST)
def list_incidents(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    cursor: Annotated[int, Query(ge=0, le=MAX_OFFSET, description=(
        "next_cursor of the previous answer: how many incidents came before. One made with "
        "another limit starts at that limit's page holding it"))] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Incidents per answer, 1 to {MAX_LIMIT}")] = 50,
    fields: Annotated[str | None, Query(max_length=2000, pattern=FIELDS_PATTERN, description=(
        f"Comma-separated columns to return, of: {', '.join(PUBLIC_FIELDS)}"),
        examples=["slug,organization,attack_type"])] = None,
    facets: Annotated[bool, Query(description="Also return the facet counts (as /api/facets), from the same search")] = False,
) -> Response:
    """Every filter of the home page works here with the same query string, so each page URL
    maps to its data: `/?type=ransomware` → `/api/incidents?type=ransomware`.
    With `facets=true` the answer also holds the facet counts, as the home page shows them."""
    offset = cursor - cursor % limit
    filters = replace(filters, page=offset // limit + 1)
    chosen = PUBLIC_FIELDS
    if fields:  # the pattern let only public names through
        chosen = tuple(f for f in (s.strip() for s in fields.split(",")) if f in PUBLIC_FIELDS)
    page = find_incidents(session, filters, page_size=limit, with_facets=facets, with_snippets=False)
    nxt = offset + len(page.incidents)
    payload = {
        "data": [incident_dict(i, chosen) for i in page.incidents],
        "count": page.total,
        "next_cursor": nxt if nxt < page.total else None,
        "query_error": page.query_error,
        "filters": {"q": filters.q, "type": list(filters.types), "year": filters.year,
                    "vendor": filters.vendor or None, "card": filters.card or None, "sort": filters.sort,
                    "review": filters.review or None, "ppc": filters.ppc or None},
    }
    if facets:
        payload["facets"] = facets_payload(page)
    return cached_json(request, payload)


def revision_dict(view: RevisionView) -> dict[str, Any]:
    r = view.revision
    return RevisionPublic(id=r.id, field=r.field, old_value=r.old_value, new_value=r.new_value, kind=r.kind,
                          applied=r.applied, source=view.source_uri, actor=r.actor, reason=r.reason,
                          created_at=r.created_at).model_dump(mode="json")


def obligation_dict(ob: ppc.Obligation | None) -> dict[str, Any] | None:
    """The PPC obligation (app.ppc) as JSON: each trigger and deadline with its facts."""
    if ob is None:
        return None

    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {"required": ob.required, "reason": ob.reason, "verdict": ob.verdict, "missing": list(ob.missing),
            "triggers": [{"key": t.key, "article": t.article, "fires": t.fires, "facts": list(t.facts),
                          "missing": t.missing} for t in ob.triggers],
            "deadlines": [{"rule": d.rule, "article": d.article, "verdict": d.verdict, "window_days": d.window_days,
                           "window_alt": d.window_alt, "discovered_on": iso(d.discovered), "due_on": iso(d.due),
                           "reported_on": iso(d.reported), "gap_days": d.gap, "missing": d.missing}
                          for d in ob.deadlines]}


@router.get("/incidents/{slug}", response_model=IncidentDetailPublic, summary="One incident with sources and evidence", responses=NOT_FOUND)
def get_incident(slug: str, request: Request, session: SessionDep) -> Response:
    """All facts, each source with the character spans of its evidence, the timeline, the legal
    windows and related incidents, as the incident page shows them; and each fact as every
    source gave it, which facts a person corrected and the parsed values waiting for one.
    A merged-away slug answers with the surviving incident."""
    return cached_json(request, incident_detail(session, live_incident(session, slug)))


@router.get("/incidents/{slug}/history", response_model=HistoryPublic, summary="Every revision of an incident, newest first",
            responses=NOT_FOUND)
def get_history(slug: str, request: Request, session: SessionDep) -> Response:
    """What the parser set from which source, what a person corrected or reviewed and why,
    merges and suggestions not taken (`applied: false`), newest first."""
    inc = live_incident(session, slug)
    data = [revision_dict(v) for v in revisions.history(session, inc)]
    return cached_json(request, {"slug": inc.slug, "data": data, "count": len(data)})


def incident_detail(session: Session, incident: Incident) -> dict[str, Any]:
    """IncidentDetailPublic of one live incident (GET, and the answer to a write)."""
    view = incident_view(session, incident)
    inc = view.incident
    detail = incident_dict(inc)
    detail.update(
        attack_type_label={"ja": i18n.attack_label(inc.attack_type, "ja"), "en": i18n.attack_label(inc.attack_type, "en")},
        delay_days=view.delay_days,
        sources=[{**SourcePublic.model_validate(ref.source, from_attributes=True).model_dump(mode="json"),
                  "segment": [ref.link.segment_start, ref.link.segment_end],
                  "evidence": {k: v for k, v in ref.link.evidence.items() if isinstance(v, list)}}
                 for ref in view.sources],
        events=[{"type": e.type, "date": e.date.isoformat() if e.date else None,
                 "evidence": [e.evidence_start, e.evidence_end] if e.evidence_start is not None else None}
                for e in view.events],
        steps=[{"key": s.key, "date": s.day.isoformat(), "gap_days": s.gap} for s in view.steps],
        legal_checks=[{"rule": c.rule, "verdict": c.verdict, "reason": c.reason, "article": c.article,
                       "window_days": c.window_days, "gap_days": c.gap,
                       "deadline": c.deadline.isoformat() if c.deadline else None,
                       "text": {lang: {"rule": w.rule, "detail": w.detail, "triggers": w.triggers}
                                for lang in ("ja", "en") for w in [c.words(lang)]}}
                      for c in view.checks],
        ppc=obligation_dict(view.checks[0].obligation),
        related=[link(r).model_dump(mode="json") for r in view.related.all()],
        related_organization=[link(r).model_dump(mode="json") for r in view.related.organization],
        related_vendor=[link(r).model_dump(mode="json") for r in view.related.vendor],
        history={name: [{"value": v.value.isoformat() if isinstance(v.value, date) else v.value,
                         "qualifier": v.qualifier, "uri": v.uri, "report": v.report.as_json(),
                         "current": v.current, "chosen": v.chosen} for v in versions]
                 for name, versions in view.history.items()},
        corrections={name: revision_dict(v) for name, v in view.corrections.items()},
        suggestions=[revision_dict(v) for v in view.suggestions],
    )
    return detail


class OrgRowPublic(SQLModel):
    slug: str
    name: str
    incidents: int
    records_total: int | None = Field(description="The sum of the known counts; null when none is known")
    records_unknown: int = Field(description="Incidents whose count is unknown")
    last_incident_on: date | None = Field(description="The latest incident's disclosure (or discovery) date")
    url: str


class VendorRowPublic(OrgRowPublic):
    organizations: int = Field(description="Organisations hit through the vendor")


class OrgIndexPublic(SQLModel):
    data: list[OrgRowPublic]
    count: int = Field(description="Rows on every page")
    page: int
    pages: int
    sort: str


class VendorIndexPublic(OrgIndexPublic):
    data: list[VendorRowPublic]  # type: ignore[assignment]


def index_payload(index: directory.IndexPage, kind: str) -> dict[str, Any]:
    def row(r: Any) -> dict[str, Any]:
        out = {"slug": r.slug, "name": r.name, "incidents": r.incidents, "records_total": r.records,
               "records_unknown": r.records_unknown,
               "last_incident_on": r.last.isoformat() if r.last else None, "url": f"/{kind}/{r.slug}"}
        if kind == "vendors":
            out["organizations"] = r.victims
        return out

    return {"data": [row(r) for r in index.rows], "count": index.total, "page": index.page,
            "pages": index.pages, "sort": index.sort}


PageQuery = Annotated[int, Query(ge=1, le=directory.MAX_PAGE, description="Page (50 rows a page)")]


@router.get("/orgs", response_model=OrgIndexPublic, summary="Every organisation with an incident, repeat offenders first",
            responses=NOT_MODIFIED)
def list_orgs(request: Request, session: SessionDep, page: PageQuery = 1,
              sort: Annotated[str, Query(pattern="^(" + "|".join(directory.ORG_SORTS) + ")$",
                                         description="repeat (the default: most incidents, then most "
                                         "records, then the latest incident), records, recent or name")] = "repeat",
              ) -> Response:
    """The rows of `/orgs`, in its order: each organisation with its live incidents counted, the
    sum of their known record counts and the date of the latest."""
    return cached_json(request, index_payload(directory.org_index(session, sort=sort, page=page), "orgs"))


@router.get("/vendors", response_model=VendorIndexPublic, summary="Every vendor an incident names, most organisations hit first",
            responses=NOT_MODIFIED)
def list_vendors(request: Request, session: SessionDep, page: PageQuery = 1,
                 sort: Annotated[str, Query(pattern="^(" + "|".join(directory.VENDOR_SORTS) + ")$",
                                            description="victims (the default: most organisations hit, then "
                                            "most incidents, then the latest), incidents, records, recent or name")] = "victims",
                 ) -> Response:
    """The rows of `/vendors`, in its order. Spellings of one vendor with one slug are one row."""
    return cached_json(request, index_payload(directory.vendor_index(session, sort=sort, page=page), "vendors"))


@router.get("/orgs/{slug}", response_model=OrganizationPublic, summary="An organisation and all its incidents", responses=NOT_FOUND)
def get_org(slug: str, request: Request, session: SessionDep) -> Response:
    view = org_view(session, slug)
    if view is None:
        raise HTTPException(404, "organisation not found")
    org = view.org
    payload = OrganizationPublic(slug=org.slug, name=org.name, core_name=org.core_name,
                                 aliases=org.aliases, incident_count=view.totals.count,
                                 records_total=view.totals.records if view.totals.records_known else None,
                                 incidents=[link(i) for i in view.incidents])
    return cached_json(request, payload.model_dump(mode="json"))


@router.get("/vendors/{slug}", response_model=VendorPublic, summary="A vendor and every organisation hit through it", responses=NOT_FOUND)
def get_vendor(slug: str, request: Request, session: SessionDep) -> Response:
    view = vendor_view(session, slug)
    if view is None:
        raise HTTPException(404, "vendor not found")
    payload = VendorPublic(slug=slug, name=view.name, organizations=view.organizations,
                           incidents=[link(i) for i in view.incidents])
    return cached_json(request, payload.model_dump(mode="json"))


@router.get("/facets", response_model=FacetsPublic, summary="Facet counts for the current filters", responses=BAD_REQUEST)
def get_facets(request: Request, session: SessionDep, filters: FiltersDep) -> Response:
    """Counts per attack type, year of disclosure, vendor and card data among the incidents the
    filters select — each facet counted without its own filter, exactly as on the home page."""
    return cached_json(request, facets_payload(find_incidents(session, filters, page_size=1,
                                                              with_snippets=False)))


def facets_payload(page: IncidentPage) -> dict[str, Any]:
    """FacetsPublic of a page's facet counts: every facet's values, as FACETS lists them."""
    return {f.api_key: [{"value": "" if o.value is None else str(o.value), "label": o.label, "count": o.count}
                        for o in f.options(page.facets.get(f.key, []), page.filters)]
            for f in FACETS}


@router.get("/stats", response_model=StatsPublic, summary="Counts and median delays per attack type and year", responses=BAD_REQUEST)
def get_stats(request: Request, session: SessionDep, filters: FiltersDep) -> Response:
    """Per attack type and year of disclosure: incidents, how many have both dates, the median
    days from discovery to disclosure, the records stated in total (null when no count of the
    group is known) and how many counts are unknown. Aggregated like the home page's charts,
    over every incident the filters select."""
    data = [{"attack_type": g.kind, "year": g.year, "incidents": g.incidents, "with_delay": g.with_delay,
             "median_delay_days": g.median_delay, "records_total": g.records_total,
             "records_unknown": g.records_unknown} for g in chart_data(session, filters).aggregates.stats]
    return cached_json(request, {"data": data})


# ---- registered sources (#14) ----


class HarvestSourcePublic(SQLModel):
    id: int
    url: str
    kind: str = Field(description="feed (RSS/Atom), listing (a page of notice links) or page")
    name: str | None
    every: str = Field(description="The interval, as 6h, 30m, 1d")
    interval_seconds: int
    link_pattern: str | None = Field(description="A listing's regular expression for the links it follows")
    state: str = Field(description="ok, failing, disabled or new (never fetched)")
    enabled: bool
    last_fetched_at: datetime | None
    last_status: str | None = Field(description="ok, unchanged or failed")
    last_error: str | None
    last_new_at: datetime | None = Field(description="When it last gave a new document")
    failures: int = Field(description="Consecutive failed fetches (retried later and later)")
    next_due_at: datetime | None = Field(description="When the next pass takes it; null: now")
    documents: int = Field(description="Documents its harvest stored")
    incidents: int = Field(description="Live incidents those documents support")
    recent_incidents: list[IncidentLink]


class SourcesPublic(SQLModel):
    data: list[HarvestSourcePublic]
    count: int


def sources_payload(session: Session, *, only: int | None = None) -> dict[str, Any]:
    from app.ingest.harvest import format_interval, health, recent_incidents

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    rows = health(session)
    recent = recent_incidents(session)
    data = []
    for h in rows:
        if only is not None and h.source.id != only:
            continue
        s = h.source
        data.append({
            "id": s.id, "url": s.url, "kind": s.kind, "name": s.name, "every": format_interval(s.interval_seconds),
            "interval_seconds": s.interval_seconds, "link_pattern": s.link_pattern, "state": h.state,
            "enabled": s.enabled, "last_fetched_at": iso(s.last_fetched_at), "last_status": s.last_status,
            "last_error": s.last_error, "last_new_at": iso(s.last_new_at), "failures": s.failures,
            "next_due_at": iso(s.next_due_at), "documents": h.documents, "incidents": h.incidents,
            "recent_incidents": [link(i).model_dump() for i in recent.get(s.id, [])],
        })
    return {"data": data, "count": len(data)}


@router.get("/sources", response_model=SourcesPublic, summary="Every registered source and its health",
            responses=NOT_MODIFIED)
def get_sources(request: Request, session: SessionDep) -> Response:
    """The feeds, listing pages and pages Rouei harvests (`rouei sources add`), each with its
    health: last fetched, last status and error, last new document, consecutive failures, next
    due time, and the documents and incidents it gave. Public and read-only."""
    return cached_json(request, sources_payload(session))
