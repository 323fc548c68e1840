"""Write endpoints, guarded by ROUEI_ADMIN_TOKEN (compared in constant time); off without it."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlmodel import SQLModel
from starlette.concurrency import run_in_threadpool

from app import revisions
from app.ingest.pipeline import ingest_upload
from app.ingest.store import CurationError, merge_by_person, split_source
from app.revisions import FactsPatch, MergeIn, ReviewIn, SplitIn
from app.search import surviving_incident
from app.web.api import ErrorPublic, IncidentDetailPublic, incident_detail, live_incident
from app.web.deps import SessionDep

router = APIRouter(prefix="/api", tags=["admin"])


class UploadResult(SQLModel):
    uri: str
    status: str
    reason: str = ""
    created: int = 0
    updated: int = 0


def require_admin(request: Request) -> None:
    token = request.app.state.settings.admin_token
    if not token:
        raise HTTPException(403, "write endpoints are off: set ROUEI_ADMIN_TOKEN to enable them")
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "a valid admin token is needed", headers={"WWW-Authenticate": "Bearer"})


async def read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the document is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the document is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/documents", status_code=201, response_model=UploadResult,
             summary="Upload a notice (admin token)",
             responses={200: {"model": UploadResult, "description": "Already stored: nothing changed"},
                        401: {"description": "No or wrong token"}, 403: {"description": "Writes are off"},
                        413: {"description": "Too large"}, 422: {"model": UploadResult, "description": "Not readable"}})
async def upload_document(
    request: Request,
    name: Annotated[str, Query(max_length=200, description="File name, for the format (.txt, .html, .pdf)")] = "upload.txt",
) -> JSONResponse:
    """Send the document as the raw request body (`curl --data-binary @notice.pdf`). It runs the
    same pipeline as `rouei ingest`: decoded, parsed, merged, in one transaction."""
    require_admin(request)
    settings = request.app.state.settings
    data = await read_capped(request, settings.fetch_max_bytes)
    outcome = await run_in_threadpool(
        ingest_upload, request.app.state.engine, filename=name, data=data,
        max_bytes=settings.fetch_max_bytes, content_type=request.headers.get("content-type"))
    result = UploadResult(uri=outcome.uri, status=outcome.status, reason=outcome.reason,
                          created=outcome.created, updated=outcome.updated)
    status = {"failed": 422, "unchanged": 200}.get(outcome.status, 201)
    return JSONResponse(result.model_dump(), status_code=status)


# ---- corrections (#13) ----

WRITE_ERRORS = {
    401: {"model": ErrorPublic, "description": "No or wrong token"},
    403: {"model": ErrorPublic, "description": "Writes are off (ROUEI_ADMIN_TOKEN unset)"},
    404: {"model": ErrorPublic, "description": "No such incident"},
    422: {"description": "A value fails validation; the error names the field and nothing changed"},
}


@router.patch("/incidents/{slug}", response_model=IncidentDetailPublic, responses=WRITE_ERRORS,
              summary="Correct facts of an incident (admin token)", dependencies=[Depends(require_admin)])
def patch_incident(slug: str, patch: FactsPatch, session: SessionDep) -> JSONResponse:
    """Each fact sent is set and pinned: no later parse of any source overwrites it, and a
    parsed value that differs is listed under `suggestions`. Send null to clear a fact.
    `reason` is required and shown in the history with `actor`. All or nothing: a value that
    fails validation answers 422 naming the field, and nothing is changed."""
    inc = live_incident(session, slug)
    revisions.correct(session, incident=inc, changes=patch.changes(), actor=patch.actor, reason=patch.reason)
    session.commit()
    return JSONResponse(incident_detail(session, inc))


@router.post("/incidents/{slug}/review", response_model=IncidentDetailPublic, responses=WRITE_ERRORS,
             summary="Mark an incident reviewed, disputed or unreviewed (admin token)",
             dependencies=[Depends(require_admin)])
def review_incident(slug: str, review: ReviewIn, session: SessionDep) -> JSONResponse:
    """A person's word on the incident as a whole, with the reason; it is a revision too."""
    inc = live_incident(session, slug)
    revisions.set_review(session, incident=inc, status=review.status, actor=review.actor, reason=review.reason)
    session.commit()
    return JSONResponse(incident_detail(session, inc))


@router.post("/incidents/{slug}/merge", response_model=IncidentDetailPublic, responses=WRITE_ERRORS,
             summary="Merge an incident into another (admin token)", dependencies=[Depends(require_admin)])
def merge_incident(slug: str, merge: MergeIn, session: SessionDep) -> JSONResponse:
    """This incident's sources and events move to `into`, whose facts are then drawn from all
    of them; this incident's permalink redirects to `into`'s from now on. Both get a merge
    revision with `actor` and `reason`. Answers with the surviving incident. An unknown `into`
    is 404, `into` naming this incident 422; nothing changes on any error. A split of the
    moved source undoes it."""
    inc = live_incident(session, slug)
    into = surviving_incident(session, merge.into)
    if into is None:
        raise HTTPException(404, f"into: no incident {merge.into!r}")
    try:
        survivor = merge_by_person(session, incident=inc, into=into, actor=merge.actor, reason=merge.reason)
    except CurationError as exc:
        session.rollback()
        raise HTTPException(exc.status, str(exc)) from exc
    session.commit()
    return JSONResponse(incident_detail(session, survivor))


@router.post("/incidents/{slug}/split", response_model=IncidentDetailPublic, status_code=201, responses=WRITE_ERRORS,
             summary="Split a source off into an incident of its own (admin token)",
             dependencies=[Depends(require_admin)])
def split_incident(slug: str, split: SplitIn, session: SessionDep) -> JSONResponse:
    """Every passage of the source `source` leaves this incident and becomes an incident of its
    own. If that source came in through a merge, the merged-away incident comes back with its
    permalink; otherwise a new incident with a new permalink is made. Both facts are drawn
    again from their sources (a person's corrections stay pinned), and both get a split
    revision. Answers 201 with the new (or restored) incident. A source that is not this
    incident's, or its only one, is 422; nothing changes on any error."""
    inc = live_incident(session, slug)
    try:
        made = split_source(session, incident=inc, source_id=split.source, actor=split.actor, reason=split.reason)
    except CurationError as exc:
        session.rollback()
        raise HTTPException(exc.status, str(exc)) from exc
    session.commit()
    return JSONResponse(incident_detail(session, made), status_code=201,
                        headers={"Location": f"/api/incidents/{made.slug}"})
