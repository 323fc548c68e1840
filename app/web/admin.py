"""Write endpoints, guarded by ROUEI_ADMIN_TOKEN (compared in constant time); off without it."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Field, SQLModel, col, delete, select
from starlette.concurrency import run_in_threadpool

from app import revisions
from app.ingest.pipeline import ingest_upload
from app.ingest.run import decoder
from app.ingest.store import CurationError, merge_by_person, split_source
from app.models import HarvestSource, Webhook, WebhookDelivery
from app.revisions import FactsPatch, MergeIn, ReviewIn, SplitIn
from app.search import surviving_incident
from app.web.api import (
    ErrorPublic,
    HarvestSourcePublic,
    IncidentDetailPublic,
    incident_detail,
    live_incident,
    single_valued,
    sources_payload,
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


# ---- registered sources (#14) ----

SourceId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The source's number")]
SOURCE_ERRORS = {**WRITE_ERRORS, 404: {"model": ErrorPublic, "description": "No such source"}}


class SourceIn(SQLModel):
    url: str = Field(max_length=2000, description="The feed's, listing's or page's http(s) URL")
    kind: str | None = Field(default=None, description="feed, listing or page; guessed when left out")
    name: str | None = Field(default=None, max_length=300)
    every: str = Field(default="6h", max_length=40, description="30m, 6h, 1d, 2h30m (at least 1m)")
    links: str | None = Field(default=None, max_length=500, description="A listing's link pattern (regex)")


class SourcePatch(SQLModel):
    enabled: bool | None = None
    name: str | None = Field(default=None, max_length=300)
    every: str | None = Field(default=None, max_length=40)
    links: str | None = Field(default=None, max_length=500)


def _invalid(exc: Exception, field: str) -> JSONResponse:
    return JSONResponse({"detail": f"invalid request: {field}", "errors": [{"field": field, "message": str(exc)}]},
                        status_code=422)


def _field_of(message: str) -> str:
    return next((f for f, words in (("links", "--links"), ("every", "--every"), ("every", "interval"),
                                    ("kind", "kind"), ("links", "listing")) if words in message), "url")


@router.post("/sources", status_code=201, response_model=HarvestSourcePublic, responses=SOURCE_ERRORS,
             summary="Register a source to harvest (admin token)", dependencies=[Depends(require_admin)])
def create_source(body: SourceIn, session: SessionDep) -> JSONResponse:
    """As `rouei sources add`: a URL already registered has its settings changed (200)."""
    from app.ingest.harvest import SourceError, add_source

    existed = session.exec(select(HarvestSource.id).where(HarvestSource.url == body.url.strip())).first()
    try:
        src = add_source(session, body.url, kind=body.kind, name=body.name, every=body.every, links=body.links)
    except SourceError as exc:
        session.rollback()
        return _invalid(exc, _field_of(str(exc)))
    session.commit()
    (payload,) = sources_payload(session, only=src.id)["data"]
    return JSONResponse(payload, status_code=200 if existed else 201)


def _source(session, source_id: int) -> HarvestSource:  # noqa: ANN001 - a Session
    src = session.get(HarvestSource, source_id)
    if src is None:
        raise HTTPException(404, "no such source")
    return src


@router.patch("/sources/{source_id}", response_model=HarvestSourcePublic, responses=SOURCE_ERRORS,
              summary="Enable, disable or change a source (admin token)", dependencies=[Depends(require_admin)])
def patch_source(source_id: SourceId, patch: SourcePatch, session: SessionDep) -> JSONResponse:
    """`enabled: false` stops its harvest (it stays listed, with what it gave); true resumes it
    at the next pass."""
    from app.ingest.harvest import MIN_INTERVAL, SourceError, check_pattern, parse_interval

    src = _source(session, source_id)
    try:
        if patch.every is not None:
            seconds = parse_interval(patch.every)
            if seconds < MIN_INTERVAL:
                raise SourceError(f"--every: at least {MIN_INTERVAL} seconds (1m)")
            src.interval_seconds = seconds
        if patch.links is not None:
            if src.kind == "listing" and not patch.links:
                raise SourceError("a listing needs --links REGEX: the pattern its notice links match")
            src.link_pattern = check_pattern(patch.links)
    except SourceError as exc:
        session.rollback()
        return _invalid(exc, _field_of(str(exc)))
    if patch.name is not None:
        src.name = patch.name or None
    if patch.enabled is not None:
        if patch.enabled and not src.enabled:
            src.next_due_at, src.failures = None, 0
        src.enabled = patch.enabled
    session.add(src)
    session.commit()
    (payload,) = sources_payload(session, only=src.id)["data"]
    return JSONResponse(payload)


@router.delete("/sources/{source_id}", status_code=204, responses=SOURCE_ERRORS,
               summary="Forget a source (admin token)", dependencies=[Depends(require_admin)])
def delete_source(source_id: SourceId, session: SessionDep) -> Response:
    """The documents and incidents it gave stay, no longer attributed to it."""
    from app.ingest.harvest import remove_source

    remove_source(session, _source(session, source_id))
    session.commit()
    return Response(status_code=204)


# ---- webhooks (#14) ----


class WebhookIn(SQLModel):
    url: str = Field(max_length=2000, description="The http(s) URL to POST to")
    filter: str = Field(default="", max_length=2000, description="A list's query string: type=ransomware&year=2024")
    secret: str | None = Field(default=None, min_length=16, max_length=200,
                               description="The HMAC-SHA256 secret; a random one is made when left out")


class WebhookPublic(SQLModel):
    id: int
    url: str
    filter: str
    enabled: bool
    failures: int
    last_delivered_at: datetime | None
    last_error: str | None
    secret: str | None = Field(default=None, description="Only in the answer that created it")


def _hook_dict(hook: Webhook, *, with_secret: bool = False) -> dict:
    return {"id": hook.id, "url": hook.url, "filter": hook.filter, "enabled": hook.enabled, "failures": hook.failures,
            "last_delivered_at": hook.last_delivered_at.isoformat() if hook.last_delivered_at else None,
            "last_error": hook.last_error, "secret": hook.secret if with_secret else None}


@router.post("/webhooks", status_code=201, response_model=WebhookPublic, responses=WRITE_ERRORS,
             summary="Register a webhook for new incidents matching a filter (admin token)",
             dependencies=[Depends(require_admin)])
def create_webhook(body: WebhookIn, session: SessionDep) -> JSONResponse:
    """After each harvest pass the URL is sent `POST` JSON for each incident first seen since
    that matches `filter`, signed `X-Rouei-Signature: sha256=<HMAC-SHA256 of the body>`;
    failures are retried with backoff. The secret is shown once, here."""
    from app.webhooks import HookError, add_hook

    try:
        hook = add_hook(session, body.url, filter_query=body.filter, secret=body.secret)
    except HookError as exc:
        session.rollback()
        return _invalid(exc, "url")
    session.commit()
    return JSONResponse(_hook_dict(hook, with_secret=True), status_code=201)


@router.get("/webhooks", response_model=list[WebhookPublic], responses=WRITE_ERRORS,
            summary="The webhooks (admin token)", dependencies=[Depends(require_admin)])
def list_webhooks(session: SessionDep) -> JSONResponse:
    return JSONResponse([_hook_dict(h) for h in session.exec(select(Webhook).order_by(col(Webhook.id)))])


@router.delete("/webhooks/{hook_id}", status_code=204, responses=WRITE_ERRORS,
               summary="Forget a webhook and its queued deliveries (admin token)", dependencies=[Depends(require_admin)])
def delete_webhook(hook_id: SourceId, session: SessionDep) -> Response:
    hook = session.get(Webhook, hook_id)
    if hook is None:
        raise HTTPException(404, "no such webhook")
    session.exec(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id))
    session.delete(hook)
    session.commit()
    return Response(status_code=204)
