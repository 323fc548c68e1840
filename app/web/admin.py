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
from app.ingest.run import decoder
from app.revisions import FactsPatch, ReviewIn
from app.web.api import (
    ErrorPublic,
    IncidentDetailPublic,
    incident_detail,
    live_incident,
    single_valued,
)
from app.web.deps import SessionDep

router = APIRouter(prefix="/api", tags=["admin"], dependencies=[Depends(single_valued)])


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
                        413: {"description": "Too large"},
                        422: {"model": UploadResult, "description": "Not readable (the reason names why, or the limit "
                              "it passed); or a parameter fails validation"}},
             openapi_extra={"requestBody": {"required": True, "description": (
                 "The document's bytes. Plain text in any Japanese encoding is described here; HTML "
                 "and PDF are read too, by their Content-Type or by `name`'s extension."),
                 "content": {"text/plain": {"schema": {"type": "string", "minLength": 1,
                                                       "pattern": "^[^\\u0000]*$"}}}}})
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
        max_bytes=settings.fetch_max_bytes, content_type=request.headers.get("content-type"),
        decode=decoder(settings))
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
