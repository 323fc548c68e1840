"""Registered sources, harvested on a schedule (#14).

A source is a feed (RSS/Atom: each entry's page is a document), a listing (an HTML page whose
links that match a pattern are the documents) or a page (the page itself is the document).
``refresh`` makes one pass over the sources that are due: each source is fetched with a
conditional GET (its ETag and Last-Modified), only entries and links never stored before are
fetched, each document is its own transaction, and the source's state (validators, health,
next due time) is written only when its harvest ends, so a pass killed midway loses nothing
and the next one does the rest. A failed fetch is recorded and backed off exponentially; it
never stops the other sources.

Two passes never harvest one source at once: on PostgreSQL each source is claimed with a
session-level advisory lock (``pg_try_advisory_lock``), so several watchers share the work;
on SQLite a pass holds a lock file beside the database, and a second pass finds it taken and
leaves. Every request goes through ``Fetcher``: the SSRF guard, robots.txt, size and time
limits and the per-host delay.
"""

from __future__ import annotations

import fcntl
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app.config import Settings
from app.db import session_scope
from app.ingest.fetch import Fetched, Fetcher, FetchError
from app.ingest.pipeline import Outcome, ingest_bytes
from app.ingest.urls import Entry, feed_entries, ingest_url, is_feed
from app.models import SOURCE_KINDS, HarvestSource, IncidentSource, Source, utcnow

# Any constant: the first key of the advisory lock that claims one source (the second is its id).
CLAIM_LOCK = 0x726F75
MIN_INTERVAL = 60  # seconds: the shortest interval `rouei sources add --every` takes
BACKOFF_BASE = 15 * 60  # the first retry after a failure, doubled at each failure after it
BACKOFF_MAX = 7 * 24 * 3600
MAX_NEW_PER_PASS = 100  # new entries or links fetched from one source in one pass
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_INTERVAL = re.compile(r"(\d+)\s*([smhdw])")


class SourceError(ValueError):
    """A source that cannot be registered as given; the message says why, for a person."""


# ---- intervals ----


def parse_interval(value: str) -> int:
    """Seconds in ``6h``, ``30m``, ``1d``, ``2h30m`` or a bare number of seconds."""
    raw = value.strip().lower()
    if raw.isdigit():
        return int(raw)
    parts = _INTERVAL.findall(raw)
    if not parts or _INTERVAL.sub("", raw).strip():
        raise SourceError(f"not an interval: {value!r} (write 6h, 30m, 1d or 2h30m)")
    return sum(int(n) * _UNITS[u] for n, u in parts)


def format_interval(seconds: int) -> str:
    out = []
    for unit in ("w", "d", "h", "m", "s"):
        n, seconds = divmod(seconds, _UNITS[unit])
        if n:
            out.append(f"{n}{unit}")
    return "".join(out) or "0s"


def backoff(failures: int, interval: int) -> int:
    """Seconds before a source that failed ``failures`` times in a row is tried again: 15 min,
    30 min, 1 h … doubling, never past a week nor sooner than its interval would be after the
    sixth failure (a source fetched weekly is not hammered hourly)."""
    delay = BACKOFF_BASE * 2 ** max(0, failures - 1)
    if failures >= 6:
        delay = max(delay, interval)
    return min(delay, BACKOFF_MAX)


# ---- the registry ----


def guess_kind(url: str, links: str | None) -> str:
    if links:
        return "listing"
    path = urlsplit(url).path.lower()
    if path.endswith((".rss", ".rdf", ".atom", ".xml")) or re.search(r"(?:^|/)(?:feed|rss|atom)(?:/|$)", path):
        return "feed"
    return "page"


def check_pattern(links: str | None) -> str | None:
    if not links:
        return None
    if len(links) > 500:
        raise SourceError("--links: at most 500 characters")
    try:
        re.compile(links)
    except re.error as exc:
        raise SourceError(f"--links: not a regular expression: {exc}") from exc
    return links


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"not an http(s) URL: {url}")
    if len(url) > 2000:
        raise SourceError("URL longer than 2000 characters")
    return url.strip()


def add_source(session: Session, url: str, *, kind: str | None = None, name: str | None = None,
               every: str = "6h", links: str | None = None) -> HarvestSource:
    """Register a source (or change the one of this URL). Raises SourceError when invalid."""
    url = check_url(url)
    links = check_pattern(links)
    kind = kind or guess_kind(url, links)
    if kind not in SOURCE_KINDS:
        raise SourceError(f"kind must be one of {', '.join(SOURCE_KINDS)}, not {kind!r}")
    if kind == "listing" and not links:
        raise SourceError("a listing needs --links REGEX: the pattern its notice links match")
    interval = parse_interval(every)
    if interval < MIN_INTERVAL:
        raise SourceError(f"--every: at least {MIN_INTERVAL} seconds (1m)")
    src = session.exec(select(HarvestSource).where(HarvestSource.url == url)).first()
    if src is None:
        src = HarvestSource(url=url)
    src.kind, src.name, src.interval_seconds, src.link_pattern = kind, (name or None), interval, links
    if src.name:
        src.name = src.name[:300]
    src.enabled = True
    session.add(src)
    session.flush()
    return src


def find_source(session: Session, key: str) -> HarvestSource | None:
    """A source by its URL or its number."""
    src = session.exec(select(HarvestSource).where(HarvestSource.url == key.strip())).first()
    if src is None and key.strip().isdigit():
        src = session.get(HarvestSource, int(key.strip()))
    return src


def remove_source(session: Session, src: HarvestSource) -> None:
    """Forget a source; the documents and incidents it gave stay, no longer attributed to it."""
    for doc in session.exec(select(Source).where(Source.origin_id == src.id)).all():
        doc.origin_id = None
        session.add(doc)
    session.flush()
    session.delete(src)


@dataclass(frozen=True)
class Health:
    """A source and what it gave, for `rouei sources list`, /sources and /api/sources."""

    source: HarvestSource
    documents: int
    incidents: int

    @property
    def state(self) -> str:
        """ok, failing, disabled or new (never fetched)."""
        src = self.source
        if not src.enabled:
            return "disabled"
        if src.failures:
            return "failing"
        return "new" if src.last_fetched_at is None else "ok"


def health(session: Session) -> list[Health]:
    """Every registered source with the documents and live incidents it gave, oldest first."""
    from app.models import Incident

    sources = session.exec(select(HarvestSource).order_by(col(HarvestSource.id))).all()
    docs = dict(session.exec(select(Source.origin_id, func.count(col(Source.id)))
                             .where(col(Source.origin_id).is_not(None)).group_by(Source.origin_id)).all())
    # An incident merged into another counts as the one it was merged into.
    incs = dict(session.exec(
        select(Source.origin_id, func.count(func.distinct(func.coalesce(Incident.merged_into_id, Incident.id))))
        .join(IncidentSource, col(IncidentSource.source_id) == Source.id)
        .join(Incident, col(Incident.id) == IncidentSource.incident_id)
        .where(col(Source.origin_id).is_not(None)).group_by(Source.origin_id)).all())
    return [Health(s, docs.get(s.id, 0), incs.get(s.id, 0)) for s in sources]


def recent_incidents(session: Session, *, per_source: int = 3) -> dict[int, list]:
    """Each source's newest live incidents (merged ones as their survivor), newest first."""
    from app.models import Incident

    survivor = func.coalesce(Incident.merged_into_id, Incident.id)
    rows = session.exec(
        select(Source.origin_id, survivor, func.max(Incident.created_at))
        .join(IncidentSource, col(IncidentSource.source_id) == Source.id)
        .join(Incident, col(Incident.id) == IncidentSource.incident_id)
        .where(col(Source.origin_id).is_not(None))
        .group_by(Source.origin_id, survivor)
        .order_by(func.max(Incident.created_at).desc(), survivor.desc())).all()
    picked: dict[int, list[int]] = {}
    for origin, incident_id, _ in rows:
        chosen = picked.setdefault(origin, [])
        if len(chosen) < per_source:
            chosen.append(incident_id)
    wanted = {i for ids in picked.values() for i in ids}
    found = {i.id: i for i in session.exec(select(Incident).where(col(Incident.id).in_(wanted)))} if wanted else {}
    return {origin: [found[i] for i in ids if i in found] for origin, ids in picked.items()}


def is_due(src: HarvestSource, now: datetime) -> bool:
    return src.enabled and (src.next_due_at is None or _aware(src.next_due_at) <= now)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# ---- what a source lists ----


def listing_links(data: bytes, base_url: str, pattern: str | None) -> list[Entry]:
    """The links of an HTML listing page that match ``pattern`` (searched in the absolute URL),
    in page order, once each; same-page anchors and non-http links are left out."""
    from selectolax.lexbor import LexborHTMLParser

    from app.extract import decode_bytes

    try:  # the parser's charset detection (meta tag, BOM, guess), then the markup itself
        encoding = decode_bytes(data, filename="listing.html").encoding or "utf-8"
        html = data.decode(encoding, "replace")
    except (LookupError, ValueError):
        html = data.decode("utf-8", "replace")
    tree = LexborHTMLParser(html.lstrip("\ufeff"))
    base = tree.css_first("base[href]")
    if base is not None:
        base_url = urljoin(base_url, base.attributes.get("href") or "")
    wanted = re.compile(pattern) if pattern else None
    page = base_url.split("#", 1)[0]
    out: dict[str, Entry] = {}
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if not url.lower().startswith(("http://", "https://")) or url == page:
            continue
        if wanted is not None and not wanted.search(url):
            continue
        title = a.text(strip=True) or None
        out.setdefault(url, Entry(url=url, title=title[:300] if title else None))
    return list(out.values())


def entries_of(kind: str, fetched: Fetched, pattern: str | None) -> list[Entry] | None:
    """The documents a fetched source lists; None when the source is itself the document."""
    if kind == "feed" or (kind == "page" and is_feed(fetched.data, fetched.content_type)):
        entries = feed_entries(fetched.data, fetched.url)
        if not entries and not is_feed(fetched.data, fetched.content_type):
            raise FetchError("not an RSS or Atom feed")
        return entries
    if kind == "listing":
        return listing_links(fetched.data, fetched.url, pattern)
    return None


def known_uris(engine: Engine, uris: list[str]) -> set[str]:
    if not uris:
        return set()
    with Session(engine) as session:
        found: set[str] = set()
        for start in range(0, len(uris), 500):
            chunk = uris[start:start + 500]
            found |= set(session.exec(select(Source.uri).where(col(Source.uri).in_(chunk))).all())
        return found


# ---- `rouei sources check`: what a pass would take, writing nothing ----


@dataclass
class Check:
    url: str
    kind: str
    status: int = 0
    entries: list[tuple[Entry, bool]] = field(default_factory=list)  # (entry, already stored)
    incidents: list[str] = field(default_factory=list)  # a page: what the parser finds in it
    error: str | None = None


def check_source(engine: Engine, fetcher: Fetcher, url: str, *, kind: str | None = None,
                 links: str | None = None) -> Check:
    """Fetch a source once (no validators) and say what a pass would ingest; writes nothing."""
    from app import extract
    from app.ingest.documents import to_text
    from app.ingest.pipeline import already_stored
    from app.ingest.store import content_hash

    url = check_url(url)
    links = check_pattern(links)
    with Session(engine) as session:
        registered = session.exec(select(HarvestSource).where(HarvestSource.url == url)).first()
    if registered is not None:
        kind = kind or registered.kind
        links = links or registered.link_pattern
    kind = kind or guess_kind(url, links)
    result = Check(url=url, kind=kind)
    try:
        fetched = fetcher.get(url)
        result.status = fetched.status
        entries = entries_of(kind, fetched, links)
    except FetchError as exc:
        result.error = str(exc)
        return result
    except Exception as exc:  # noqa: BLE001 - a broken feed is the source's fault: say so
        result.error = f"unreadable: {exc}"
        return result
    if entries is not None:
        known = known_uris(engine, [e.url for e in entries])
        result.entries = [(e, e.url in known) for e in entries]
        return result
    if already_stored(engine, content_hash(fetched.data)):
        result.entries = [(Entry(url=url), True)]
        return result
    result.entries = [(Entry(url=url), False)]
    try:
        decoded = to_text(fetched.data, filename=None, content_type=fetched.content_type)
    except extract.DecodeError as exc:
        result.error = str(exc)
        return result
    for item in extract.parse_text(decoded.text):
        if item.is_incident:
            result.incidents.append(" · ".join(str(v) for v in (
                item.organization or item.organization_core or "?", item.attack_type,
                item.disclosed_on or item.discovered_on or "") if v))
    return result


# ---- one pass ----


@dataclass
class Harvested:
    """What one source gave in a pass."""

    url: str
    status: str  # ok, unchanged, failed, skipped (claimed by another pass), stopped
    reason: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    # Entries left for the next pass (past MAX_NEW_PER_PASS) or that failed: the source's
    # validators are then not kept, so the next pass reads it whole again instead of a 304.
    unfinished: bool = False

    @property
    def new_documents(self) -> int:
        return sum(o.status in ("new", "updated") for o in self.outcomes)


@dataclass
class PassResult:
    sources: list[Harvested] = field(default_factory=list)
    locked: bool = False  # another pass holds the SQLite lock file: this one did nothing
    error: str | None = None  # `watch` only: the store was unavailable for this pass
    hooks: object = None  # app.webhooks.Delivered: what the webhooks were sent after the pass

    @property
    def all_failed(self) -> bool:
        tried = [h for h in self.sources if h.status not in ("skipped", "stopped")]
        return bool(tried) and all(h.status == "failed" for h in tried)


def _lock_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}.refresh-lock")


@contextmanager
def pass_lock(engine: Engine) -> Iterator[bool]:
    """SQLite: the lock file beside the database, taken without waiting (False: another pass
    holds it). PostgreSQL: always True; sources are claimed one by one (``claim``)."""
    path = _lock_path(engine)
    if path is None:
        yield True
        return
    try:
        handle = path.open("a+")
    except OSError:  # a read-only folder: the pass's writes fail anyway, one by one, with reasons
        yield True
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def claim(engine: Engine, source_id: int) -> Iterator[bool]:
    """PostgreSQL: hold this source's advisory lock for the harvest (False: another pass has it).
    The lock is the session's, on a connection kept out of any transaction; it goes with the
    connection if the process dies."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k, :id)"),
                                {"k": CLAIM_LOCK, "id": source_id}).scalar())
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k, :id)"), {"k": CLAIM_LOCK, "id": source_id})


def due_sources(engine: Engine, now: datetime) -> list[int]:
    with Session(engine) as session:
        rows = session.exec(select(HarvestSource).where(HarvestSource.enabled == True)  # noqa: E712
                            .order_by(col(HarvestSource.next_due_at).is_not(None), col(HarvestSource.next_due_at),
                                      col(HarvestSource.id))).all()
        return [s.id for s in rows if is_due(s, now)]


def _record(engine: Engine, source_id: int, *, now: datetime, result: Harvested,
            fetched: Fetched | None) -> None:
    """The source's state after its harvest: health, validators, next due time."""
    with session_scope(engine) as session:
        src = session.get(HarvestSource, source_id)
        if src is None:  # removed while it was harvested
            return
        src.last_fetched_at = now
        src.last_status = result.status
        if result.status == "failed":
            src.failures += 1
            src.last_error = result.reason[:2000]
            src.next_due_at = now + timedelta(seconds=backoff(src.failures, src.interval_seconds))
        else:
            src.failures = 0
            src.last_error = None
            src.next_due_at = now + timedelta(seconds=src.interval_seconds)
            if result.unfinished:
                src.etag = src.last_modified = None
            elif fetched is not None and not fetched.not_modified:
                src.etag, src.last_modified = fetched.etag, fetched.last_modified
            if result.new_documents:
                src.last_new_at = now
        session.add(src)


def harvest_source(engine: Engine, fetcher: Fetcher, source_id: int, *, now: datetime,
                   stop: threading.Event, on_outcome: Callable[[Outcome], None]) -> Harvested:
    """One source's harvest: a conditional GET, then each new document in its own transaction."""
    with Session(engine) as session:
        src = session.get(HarvestSource, source_id)
        if src is None or not is_due(src, now):  # another pass did it a moment ago
            return Harvested(src.url if src else str(source_id), "skipped", "not due")
        session.expunge(src)
    result = Harvested(src.url, "ok")
    fetched: Fetched | None = None
    try:
        fetched = fetcher.get(src.url, etag=src.etag, last_modified=src.last_modified)
        if fetched.not_modified:
            result.status, result.reason = "unchanged", "not modified (304)"
        else:
            entries = entries_of(src.kind, fetched, src.link_pattern)
            if entries is None:
                outcome = ingest_bytes(engine, uri=src.url, data=fetched.data, content_type=fetched.content_type,
                                       filename=fetched.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or None,
                                       etag=fetched.etag, last_modified=fetched.last_modified, origin_id=src.id)
                result.outcomes.append(outcome)
                on_outcome(outcome)
                if outcome.status == "failed":
                    result.status, result.reason = "failed", outcome.reason
            else:
                known = known_uris(engine, [e.url for e in entries])
                fresh = [e for e in entries if e.url not in known]
                if len(fresh) > MAX_NEW_PER_PASS:
                    fresh, result.unfinished = fresh[:MAX_NEW_PER_PASS], True
                for entry in fresh:
                    if stop.is_set():
                        result.status = "stopped"
                        break
                    for outcome in ingest_url(engine, fetcher, entry.url, published_on=entry.published_on,
                                              feeds=False, origin_id=src.id):
                        result.outcomes.append(outcome)
                        on_outcome(outcome)
                        if outcome.status == "failed":
                            result.unfinished = True
                if not fresh:
                    result.status, result.reason = "unchanged", "nothing new listed"
    except FetchError as exc:
        result.status, result.reason = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - a broken feed or page is the source's fault
        from app.db import unavailable

        if unavailable(exc):
            raise
        result.status, result.reason = "failed", f"unreadable: {exc}"[:500]
    if result.status != "stopped":  # a stopped harvest stays due: the next pass finishes it
        _record(engine, source_id, now=now, result=result, fetched=fetched)
    return result


def refresh(engine: Engine, settings: Settings, *, now: datetime | None = None,
            stop: threading.Event | None = None, per_host_interval: float = 1.0,
            on_source: Callable[[Harvested], None] = lambda h: None,
            on_outcome: Callable[[Outcome], None] = lambda o: None) -> PassResult:
    """One pass over the sources due at ``now``; see the module's docstring."""
    stop = stop or threading.Event()
    result = PassResult()
    with pass_lock(engine) as locked:
        if not locked:
            result.locked = True
            return result
        when = now or utcnow()
        with Fetcher(timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes,
                     allow_private=settings.allow_private_fetch, per_host_interval=per_host_interval) as fetcher:
            for source_id in due_sources(engine, when):
                if stop.is_set():
                    break
                with claim(engine, source_id) as mine:
                    if not mine:
                        harvested = Harvested(str(source_id), "skipped", "claimed by another pass")
                    else:
                        harvested = harvest_source(engine, fetcher, source_id, now=now or utcnow(), stop=stop,
                                                   on_outcome=on_outcome)
                result.sources.append(harvested)
                on_source(harvested)
            if not stop.is_set():
                with claim(engine, 0) as mine:  # key 0: the webhooks' deliveries (sources start at 1)
                    if mine:
                        from app import webhooks

                        result.hooks = webhooks.run(engine, settings, now=now)
    return result


def next_due(engine: Engine) -> datetime | None:
    """When the next enabled source is due (None: there is none)."""
    with Session(engine) as session:
        rows = session.exec(select(HarvestSource).where(HarvestSource.enabled == True)).all()  # noqa: E712
    if not rows:
        return None
    return min((_aware(s.next_due_at) if s.next_due_at else datetime.min.replace(tzinfo=UTC)) for s in rows)


def watch(engine: Engine, settings: Settings, *, stop: threading.Event, per_host_interval: float = 1.0,
          min_sleep: float = 5.0, max_sleep: float = 300.0, jitter: float = 0.1,
          on_pass: Callable[[PassResult, float], None] = lambda r, s: None,
          on_source: Callable[[Harvested], None] = lambda h: None,
          on_outcome: Callable[[Outcome], None] = lambda o: None) -> int:
    """Passes until ``stop`` is set: after each, sleep until the next source is due (between
    ``min_sleep`` and ``max_sleep`` seconds, so a source added meanwhile is seen), lengthened by
    up to ``jitter`` of itself so that watchers started together drift apart. A stop that comes
    during a pass ends it after the document being ingested. Returns the passes made."""
    import random

    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from app.db import describe, unavailable

    passes = 0
    while not stop.is_set():
        try:
            result = refresh(engine, settings, stop=stop, per_host_interval=per_host_interval,
                             on_source=on_source, on_outcome=on_outcome)
            due = next_due(engine)
        except (DBAPIError, PoolTimeout) as exc:  # the store is down for a while: wait, not die
            if unavailable(exc) is None:
                raise
            result, due = PassResult(error=f"database unavailable: {describe(exc)}"), None
        passes += 1
        wait = max_sleep if due is None else (due - utcnow()).total_seconds()
        if result.error:
            wait = min(max(30.0, min_sleep), max_sleep)
        wait = min(max(wait, min_sleep), max_sleep) * (1 + random.uniform(0, jitter))  # noqa: S311 - not crypto
        on_pass(result, wait)
        stop.wait(wait)
    return passes
