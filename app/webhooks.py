"""Webhooks (#14): a registered URL is sent a small JSON for each new incident that matches its
filter (any list's query string), signed with HMAC-SHA256 of its secret.

``enqueue`` finds, for each enabled hook, the live incidents newer than its ``since_id`` that
match its filter and queues one delivery each (unique per hook and incident, so running it
twice queues nothing twice); ``deliver`` POSTs the due deliveries through the fetcher's address
guard and retries a failed one with backoff (1 min doubling, given up after ``MAX_ATTEMPTS``).
``rouei refresh`` and ``rouei watch`` run both after each pass, inside a guard: a failing hook
never stops a pass, and ingest never waits for a hook.

The request: ``POST`` with ``Content-Type: application/json``, ``X-Rouei-Event: incident.new``,
``X-Rouei-Delivery: <id>`` and ``X-Rouei-Signature: sha256=<hex HMAC-SHA256 of the body>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from starlette.datastructures import MultiDict

from app.config import Settings
from app.db import session_scope
from app.ingest.fetch import Fetcher, FetchError
from app.models import Incident, Webhook, WebhookDelivery, utcnow

log = logging.getLogger("rouei.webhooks")

MAX_ATTEMPTS = 8
RETRY_BASE = 60  # seconds: 1 min, 2 min, 4 min … about 4 h in all
RETRY_MAX = 6 * 3600
BATCH = 200  # new incidents a hook is told of in one pass, at most
EVENT = "incident.new"


class HookError(ValueError):
    """A webhook that cannot be registered as given."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _filters(query: str):  # noqa: ANN202 - app.search.Filters
    from app.search import Filters

    return Filters.from_query(MultiDict(parse_qsl(query.lstrip("?"), keep_blank_values=False)))


def add_hook(session: Session, url: str, *, filter_query: str = "", secret: str | None = None) -> Webhook:
    """Register a hook; it is told of incidents first seen from now on."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HookError(f"not an http(s) URL: {url}")
    if len(url) > 2000 or len(filter_query) > 2000:
        raise HookError("URL or filter longer than 2000 characters")
    canonical = _filters(filter_query).query_string(page=1, sort="newest", lang="ja")
    newest = session.exec(select(func.max(Incident.id))).one() or 0
    hook = Webhook(url=url.strip(), filter=canonical, secret=secret or secrets.token_urlsafe(24), since_id=newest)
    session.add(hook)
    session.flush()
    return hook


def enqueue(engine: Engine, *, now: datetime | None = None) -> int:
    """Queue a delivery for each live incident new to each enabled hook and matching its filter."""
    from app.search import find_incidents

    queued = 0
    with Session(engine) as session:
        hooks = session.exec(select(Webhook).where(Webhook.enabled == True)).all()  # noqa: E712
    for hook in hooks:
        with session_scope(engine) as session:
            filters = replace(_filters(hook.filter), sort="added", page=1)
            page = find_incidents(session, filters, page_size=BATCH, with_facets=False)
            fresh = sorted((i for i in page.incidents if i.id > hook.since_id), key=lambda i: i.id)
            if not fresh:
                continue
            have = set(session.exec(select(WebhookDelivery.incident_id).where(
                WebhookDelivery.webhook_id == hook.id, col(WebhookDelivery.incident_id).in_([i.id for i in fresh]))))
            for inc in fresh:
                if inc.id not in have:
                    session.add(WebhookDelivery(webhook_id=hook.id, incident_id=inc.id,
                                                next_attempt_at=now or utcnow()))
                    queued += 1
            stored = session.get(Webhook, hook.id)
            if stored is not None:
                stored.since_id = max(stored.since_id, fresh[-1].id)
                session.add(stored)
    return queued


def payload(inc: Incident, hook: Webhook, delivery_id: int, base_url: str | None) -> bytes:
    path = f"/incidents/{inc.slug}"
    body = {
        "event": EVENT, "delivery": delivery_id, "webhook": hook.id, "filter": hook.filter,
        "incident": {
            "slug": inc.slug, "url": (base_url.rstrip("/") + path) if base_url else path,
            "organization": inc.organization or inc.organization_core, "attack_type": inc.attack_type,
            "discovered_on": inc.discovered_on.isoformat() if inc.discovered_on else None,
            "disclosed_on": inc.disclosed_on.isoformat() if inc.disclosed_on else None,
            "records_max": inc.records_max, "first_seen": inc.created_at.isoformat(),
        },
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class Delivered:
    sent: int = 0
    failed: int = 0


def deliver(engine: Engine, settings: Settings, *, now: datetime | None = None, fetcher: Fetcher | None = None) -> Delivered:
    """POST every due delivery once; a failure is retried later, never raised."""
    now = now or utcnow()
    done = Delivered()
    with Session(engine) as session:
        due = session.exec(select(WebhookDelivery).where(WebhookDelivery.status == "pending",
                                                         WebhookDelivery.next_attempt_at <= now)
                           .order_by(col(WebhookDelivery.id)).limit(500)).all()
    if not due:
        return done
    own = fetcher is None
    fetcher = fetcher or Fetcher(timeout=min(settings.fetch_timeout, 10.0), max_bytes=65536,
                                 allow_private=settings.allow_private_fetch, per_host_interval=0)
    try:
        for item in due:
            with session_scope(engine) as session:
                delivery = session.get(WebhookDelivery, item.id)
                hook = session.get(Webhook, item.webhook_id)
                inc = session.get(Incident, item.incident_id)
                if delivery is None or delivery.status != "pending" or hook is None or inc is None:
                    continue
                if not hook.enabled:
                    continue
                body = payload(inc, hook, delivery.id, settings.public_url or settings.base_url)
                headers = {"Content-Type": "application/json", "X-Rouei-Event": EVENT,
                           "X-Rouei-Delivery": str(delivery.id), "X-Rouei-Signature": signature(hook.secret, body)}
                try:
                    status = fetcher.post(hook.url, body, headers)
                    error = None if 200 <= status < 300 else f"HTTP {status}"
                except FetchError as exc:
                    error = str(exc)
                delivery.attempts += 1
                if error is None:
                    delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
                    hook.failures, hook.last_delivered_at, hook.last_error = 0, now, None
                    done.sent += 1
                else:
                    delivery.last_error = hook.last_error = error[:500]
                    hook.failures += 1
                    if delivery.attempts >= MAX_ATTEMPTS:
                        delivery.status = "failed"
                    else:
                        wait = min(RETRY_BASE * 2 ** (delivery.attempts - 1), RETRY_MAX)
                        delivery.next_attempt_at = now + timedelta(seconds=wait)
                    done.failed += 1
                session.add(delivery)
                session.add(hook)
    finally:
        if own:
            fetcher.close()
    return done


def run(engine: Engine, settings: Settings, *, now: datetime | None = None) -> Delivered | None:
    """Enqueue and deliver after a pass; any failure is logged, never raised (None)."""
    try:
        enqueue(engine, now=now)
        return deliver(engine, settings, now=now)
    except Exception:  # noqa: BLE001 - a hook must never stop a pass
        log.exception("webhooks failed; the pass goes on")
        return None
