"""The web application: pages (HTML and htmx fragments), the JSON API under /api, CSV and Atom
feeds, and the admin write endpoints."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from app import __version__, i18n, search
from app.config import Settings, get_settings
from app.db import POOL_OVERFLOW, POOL_SIZE, describe, make_engine, unavailable, upgrade
from app.web import admin, api, curate, feeds, pages
from app.web import openapi as openapi_doc
from app.web.assets import STATIC_DIR, VersionedStatic, build_token
from app.web.cache import ResponseCache, stamp_reader
from app.web.render import lang_of, render_error, templates
from app.web.security import HeadAsGet, PublicAddress, RateLimit, SecurityHeaders, make_limiter
from app.web.session import PrivateWhenSignedIn

UNAVAILABLE_PAGE = {"ja": "データベースが一時的に利用できません。しばらくしてから再度お試しください。",
                    "en": "The database is unavailable for a moment. Please try again shortly."}

log = logging.getLogger("rouei.web")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        upgrade(engine)  # the schema is brought to head whenever the app starts
        # Sync routes run in anyio's thread pool (40 threads by default): no more at once
        # than the engine has connections, or under load the extra threads time out waiting.
        to_thread.current_default_thread_limiter().total_tokens = POOL_SIZE + POOL_OVERFLOW
        # Build the search columns in the background, so the first search need not.
        warming = threading.Thread(target=search.warm, args=(engine,), name="rouei-warm", daemon=True)
        warming.start()
        if settings.decode_isolated:  # the decoding child's fork server imports for seconds
            from app.ingest.isolate import shared

            threading.Thread(target=shared().start, name="rouei-decoder", daemon=True).start()
        yield
        warming.join(timeout=30)  # its connection goes back to the pool before the pool goes
        engine.dispose()

    app = FastAPI(title="Rouei (漏えい)", version=__version__, lifespan=lifespan,
                  description="Japanese data-breach incidents, each fact with its evidence. "
                  "Every page's filters work on `/api/incidents`, `/incidents.csv` and `/feed.atom` "
                  "with the same query string.", docs_url=None, redoc_url=None)
    app.state.settings = settings

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_doc.document_validation_errors(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.engine = engine
    app.mount("/static", VersionedStatic(directory=STATIC_DIR), name="static")
    app.include_router(pages.router, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(admin.router)
    app.include_router(feeds.router, include_in_schema=False)
    app.include_router(curate.router, include_in_schema=False)
    app.include_router(curate.review_router, include_in_schema=False)
    # Innermost first. The response cache keeps what GZip made (the encoding is part of its
    # key), and the rate limit counts every request, a cached answer's too.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ResponseCache, stamp_of=stamp_reader(engine), build=build_token())
    # The data is public: any site may read it, nobody may write through a browser.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                       allow_headers=["If-None-Match"], expose_headers=["ETag"])
    limiter = make_limiter(settings.rate_limit, settings.redis_url) if settings.rate_limit > 0 else None
    app.add_middleware(RateLimit, limiter=limiter)
    app.add_middleware(HeadAsGet)
    app.add_middleware(PrivateWhenSignedIn)
    app.add_middleware(PublicAddress, base_url=settings.base_url, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders, hsts=settings.hsts)  # outermost: every answer has them

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request):
        # Swagger UI from static/, not a CDN: offline, and no inline script for the CSP.
        return templates.TemplateResponse(request, "docs.html", {"lang": lang_of(request)})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        # Starlette's own words (Not Found, Method Not Allowed) in the page's language.
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = i18n.text("not_found", lang_of(request))
        return render_error(request, exc.status_code, detail)

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, exc: ClientDisconnect) -> Response:
        # The client hung up while sending its body (an upload cut off): nothing to answer and
        # nobody to answer to; one line for the log, not a traceback.
        client = request.client.host if request.client else "unknown"
        log.warning("client %s disconnected during %s %s before its body was read", client,
                    request.method, request.url.path)
        return Response(status_code=400)

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def database_unavailable(request: Request, exc: Exception):
        # Locked, read-only or unreachable: the client may retry; anything else is a bug (500).
        fault = unavailable(exc)
        if fault is None:
            raise exc
        log.warning("503 for %s %s: %s", request.method, request.url.path, describe(exc))
        headers = {"Retry-After": str(fault.retry_after), "Cache-Control": "no-store"}
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": f"database unavailable: {fault.reason}"}, status_code=503,
                                headers=headers)
        response = render_error(request, 503, UNAVAILABLE_PAGE[lang_of(request)])
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            # Each error names its field (a body's "body" and a query's "query" dropped) and says
            # why, without echoing the value sent.
            errors = [{"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
                      for e in exc.errors()]
            fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
            return JSONResponse({"detail": f"invalid request: {fields}", "errors": errors}, status_code=422)
        return render_error(request, 400, i18n.text("bad_request", lang_of(request)))

    return app
