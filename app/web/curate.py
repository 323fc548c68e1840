"""Writes from the browser: sign in with the admin token once, then correct, review, merge and
split from the incident page with plain forms (each with the session's CSRF token). Each form
posts here and is answered with a redirect to the incident (303), or a page that names what
was wrong (4xx) with nothing changed. htmx boosts the forms when it is there.
"""

from __future__ import annotations

import hmac
import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from app import revisions
from app.ingest.store import CurationError, merge_by_person, split_source
from app.models import COUNT_FIELDS
from app.revisions import FactsPatch, MergeIn, ReviewIn, SplitIn
from app.search import surviving_incident
from app.web import session as admin_session
from app.web.deps import SessionDep
from app.web.render import lang_of, render_error, templates, with_lang

router = APIRouter(prefix="/admin")

# The facts the incident page offers a form for (qualifiers go with their count).
# (The core name and supply chain are PATCH's: the page shows neither as a fact of its own.)
EDITABLE = tuple(f for f in revisions.CORRECTABLE
                 if f not in revisions.QUALIFIERS and f not in ("supply_chain", "organization_core"))
# No length cap here: the CSRF check comes first, then the models cap each value (multipart caps a part at 1 MB).
FormText = Annotated[str | None, Form()]
_ITEM_SPLIT = re.compile(r"[、,，\n]+")


def _safe_next(value: str | None) -> str | None:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value and len(value) < 500:
        return value
    return None


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _login_page(request: Request, *, status: int = 200, error: str | None = None, next_: str | None = None) -> Response:
    if not admin_session.admin_token(request):
        return _no_store(render_error(request, 403, _words(request, "admin_off")))
    nonce, csrf = admin_session.login_csrf(request)
    response = templates.TemplateResponse(request, "admin_login.html", {
        "lang": lang_of(request), "error": error, "next": _safe_next(next_) or "", "csrf": csrf,
        "admin": admin_session.current(request)}, status_code=status)
    admin_session.set_login_nonce(request, response, nonce)
    return _no_store(response)


def _words(request: Request, key: str) -> str:
    from app.i18n import text

    return text(key, lang_of(request))


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the query's name
    return _login_page(request, next_=next)


@router.post("/login", include_in_schema=False)
def login(request: Request, token: FormText = None, who: FormText = None, csrf: FormText = None,
          next: FormText = None) -> Response:  # noqa: A002
    admin_session.same_origin(request)
    configured = admin_session.admin_token(request)
    if not configured:
        return _no_store(render_error(request, 403, _words(request, "admin_off")))
    admin_session.check_login_csrf(request, csrf)
    if not token or not hmac.compare_digest(token.strip().encode(), configured.encode()):
        return _login_page(request, status=401, error=_words(request, "admin_bad_token"), next_=next)
    name = "".join(ch for ch in (who or "") if ch.isprintable()).strip()[:200] or revisions.DEFAULT_ACTOR
    response = RedirectResponse(_safe_next(next) or with_lang("/review", lang_of(request)), status_code=303)
    admin_session.open_session(request, response, name)
    return _no_store(response)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: FormText = None) -> Response:
    admin_session.require_form(request, csrf)
    response = RedirectResponse(with_lang("/", lang_of(request)), status_code=303)
    admin_session.close_session(request, response)
    return _no_store(response)


# ---- the incident page's forms ----


def _back(request: Request, slug: str, anchor: str = "") -> Response:
    url = with_lang(f"/incidents/{slug}", lang_of(request)) + (f"#{anchor}" if anchor else "")
    return _no_store(RedirectResponse(url, status_code=303))


def _invalid(request: Request, exc: ValidationError) -> Response:
    named = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors())
    return _no_store(render_error(request, 422, f"{named}. Nothing was changed."))


def _fact_value(field: str, raw: str | None) -> Any:
    """A form's text as the fact's value: empty clears it; counts lose their separators."""
    text = (raw or "").strip()
    if text == "":
        return None
    if field in COUNT_FIELDS:
        digits = text.replace(",", "").replace("，", "").replace("件", "").strip()
        return int(digits) if digits.isdecimal() and len(digits) <= 16 else text
    if field == "leaked_items":
        return [item.strip() for item in _ITEM_SPLIT.split(text) if item.strip()]
    return text


def _live(session: SessionDep, slug: str):  # noqa: ANN202 - an Incident
    inc = surviving_incident(session, slug)
    if inc is None:
        raise HTTPException(404, "この事案は見つかりません")
    return inc


@router.post("/incidents/{slug}/edit", include_in_schema=False)
def edit(slug: str, request: Request, session: SessionDep, csrf: FormText = None, field: FormText = None,
         value: FormText = None, pick: FormText = None, qualifier: FormText = None, reason: FormText = None) -> Response:
    admin = admin_session.require_form(request, csrf)
    if field not in EDITABLE:
        return _no_store(render_error(request, 422, f"field: not a fact a person may correct: {field!r}. "
                                                    "Nothing was changed."))
    changes: dict[str, Any] = {field: _fact_value(field, pick if pick not in (None, "") else value)}
    if field in COUNT_FIELDS and qualifier is not None:
        changes[f"{field}_qualifier"] = qualifier or None
    try:
        patch = FactsPatch.model_validate({**changes, "reason": reason or "", "actor": admin.who})
    except ValidationError as exc:
        return _invalid(request, exc)
    inc = _live(session, slug)
    revisions.correct(session, incident=inc, changes=patch.changes(), actor=patch.actor, reason=patch.reason)
    session.commit()
    return _back(request, inc.slug, f"fact-{field}")


@router.post("/incidents/{slug}/review", include_in_schema=False)
def review(slug: str, request: Request, session: SessionDep, csrf: FormText = None, status: FormText = None,
           reason: FormText = None) -> Response:
    admin = admin_session.require_form(request, csrf)
    try:
        said = ReviewIn.model_validate({"status": status, "reason": reason or "", "actor": admin.who})
    except ValidationError as exc:
        return _invalid(request, exc)
    inc = _live(session, slug)
    revisions.set_review(session, incident=inc, status=said.status, actor=said.actor, reason=said.reason)
    session.commit()
    return _back(request, inc.slug)


@router.post("/incidents/{slug}/merge", include_in_schema=False)
def merge(slug: str, request: Request, session: SessionDep, csrf: FormText = None, into: FormText = None,
          reason: FormText = None) -> Response:
    admin = admin_session.require_form(request, csrf)
    target_slug = (into or "").strip().rstrip("/").rsplit("/incidents/", 1)[-1].split("?", 1)[0]
    try:
        said = MergeIn.model_validate({"into": target_slug, "reason": reason or "", "actor": admin.who})
    except ValidationError as exc:
        return _invalid(request, exc)
    inc = _live(session, slug)
    target = surviving_incident(session, said.into)
    if target is None:
        return _no_store(render_error(request, 404, f"into: no incident {said.into!r}. Nothing was changed."))
    try:
        merge_by_person(session, incident=inc, into=target, actor=said.actor, reason=said.reason)
    except CurationError as exc:
        session.rollback()
        return _no_store(render_error(request, exc.status, f"{exc}. Nothing was changed."))
    session.commit()
    return _back(request, target.slug)


@router.post("/incidents/{slug}/split", include_in_schema=False)
def split(slug: str, request: Request, session: SessionDep, csrf: FormText = None, source: FormText = None,
          reason: FormText = None) -> Response:
    admin = admin_session.require_form(request, csrf)
    try:
        said = SplitIn.model_validate({"source": (source or "").strip(), "reason": reason or "", "actor": admin.who})
    except ValidationError as exc:
        return _invalid(request, exc)
    inc = _live(session, slug)
    try:
        made = split_source(session, incident=inc, source_id=said.source, actor=said.actor, reason=said.reason)
    except CurationError as exc:
        session.rollback()
        return _no_store(render_error(request, exc.status, f"{exc}. Nothing was changed."))
    session.commit()
    return _back(request, made.slug)


# ---- what the incident page's forms show ----


def _plain_input(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _kind(field: str) -> str:
    if field.endswith("_on") or field in ("exposure_from", "exposure_to"):
        return "date"
    if field in COUNT_FIELDS:
        return "count"
    return {"attack_type": "attack", "status": "status", "leaked_items": "items"}.get(field, "text")


def _sentence(text: str, start: int, end: int, reach: int = 80) -> str:
    """The evidence span widened to its sentence (to 。 or a line break, at most ``reach`` either side)."""
    lo = max(0, start - reach)
    cut = max(text.rfind("。", lo, start), text.rfind("\n", lo, start))
    lo = cut + 1 if cut >= 0 else lo
    hi = min(len(text), end + reach)
    stops = [i for i in (text.find("。", end, hi), text.find("\n", end, hi)) if i >= 0]
    hi = min(stops) + 1 if stops else hi
    return text[lo:hi].strip()


def edit_context(view: Any) -> dict[str, dict[str, Any]]:
    """For each fact's form: its current value as the input shows it, the kind of input, the
    sentences that prove it (source number, text) and each source's value to pick from."""
    inc = view.incident
    out: dict[str, dict[str, Any]] = {}
    for field in EDITABLE:
        evidence: list[tuple[int, str]] = []
        for ref in view.sources:
            span = (ref.link.evidence or {}).get(field)
            text = ref.source.text or ""
            if (isinstance(span, list) and len(span) == 2 and all(isinstance(v, int) for v in span)
                    and 0 <= span[0] < span[1] <= len(text)):
                evidence.append((ref.n, _sentence(text, span[0], span[1])))
        candidates, seen = [], set()
        for version in view.history.get(field, []):
            shown = _plain_input(version.value)
            if shown and shown not in seen:
                seen.add(shown)
                candidates.append({"value": shown, "label": version.label(), "uri": version.uri})
        out[field] = {"kind": _kind(field), "value": _plain_input(getattr(inc, field, None)),
                      "qualifier": getattr(inc, f"{field}_qualifier", None) if field in COUNT_FIELDS else None,
                      "evidence": evidence[:3], "candidates": candidates[:8]}
    return out


# ---- the review queue ----

review_router = APIRouter()


@review_router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_queue_page(request: Request, session: SessionDep) -> Response:
    """Incidents ordered by how much they need a person, with counts per reason; the home
    page's query string filters it, ``reason=`` keeps one reason. Signed in only."""
    from app.review import PAGE_SIZE, REASONS, review_queue
    from app.search import Filters

    admin = admin_session.current(request)
    if admin is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return _no_store(RedirectResponse(f"/admin/login?{urlencode({'next': target})}", status_code=303))
    filters = Filters.from_query(request.query_params)
    reason = request.query_params.get("reason") or ""
    reason = reason if reason in REASONS else ""
    queue = review_queue(session, filters, reason=reason, page=filters.page, page_size=PAGE_SIZE)
    return _no_store(templates.TemplateResponse(request, "review.html", {
        "lang": filters.lang, "filters": filters, "queue": queue, "reasons": REASONS, "admin": admin}))
