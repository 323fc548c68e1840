"""HTML pages: the incident list (full page or htmx fragment) and each incident's permalink."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app.models import Incident, IncidentEvent, IncidentSource, Organization, Source
from app.search import SORTS, Filters, find_incidents
from app.web.render import templates

router = APIRouter()


def get_session(request: Request):
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    filters = Filters.from_query(request.query_params)
    page = find_incidents(session, filters, page_size=request.app.state.settings.page_size)
    context = {"page": page, "filters": filters, "sorts": SORTS}
    if is_htmx(request):
        response = templates.TemplateResponse(request, "index.html", context, block_name="results")
    else:
        response = templates.TemplateResponse(request, "index.html", context)
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/incidents/{slug}", response_class=HTMLResponse)
def incident_page(slug: str, request: Request, session: SessionDep) -> Response:
    incident = session.exec(select(Incident).where(Incident.slug == slug)).first()
    if incident is None:
        raise HTTPException(404, "この事案は見つかりません")
    seen = {incident.id}
    while incident.merged_into_id is not None:  # a merged-away permalink points to the survivor
        incident = session.get(Incident, incident.merged_into_id)
        if incident is None or incident.id in seen:
            raise HTTPException(404, "この事案は見つかりません")
        seen.add(incident.id)
    if incident.slug != slug:
        return RedirectResponse(f"/incidents/{incident.slug}", status_code=301)
    links = session.exec(select(IncidentSource, Source).join(Source)
                         .where(IncidentSource.incident_id == incident.id)
                         .order_by(col(Source.published_on), col(Source.id))).all()
    events = session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == incident.id)
                          .order_by(col(IncidentEvent.date).nulls_last(), col(IncidentEvent.id))).all()
    org = session.get(Organization, incident.organization_id) if incident.organization_id else None
    return templates.TemplateResponse(request, "incident.html", {
        "incident": incident, "links": links, "events": events, "org": org,
    })
