"""URLs and feeds: fetch, then the same pipeline as files; a feed's entries are each fetched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.ingest.documents import to_text
from app.ingest.fetch import Fetcher, FetchError
from app.ingest.pipeline import Decoder, Outcome, ingest_bytes
from app.models import Source

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml", "application/feed+json")
_FEED_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published_on: date | None = None


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def is_feed(data: bytes, content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in _FEED_TYPES[:3]:
        return True
    return bool(_FEED_ROOT.match(data[:2048]))


def entry_date(item) -> date | None:  # noqa: ANN001 - a feedparser entry
    """The day an entry was published, in the publisher's own time zone: a pubDate of
    ``Mon, 01 Apr 2024 08:00:00 +0900`` is 1 April, not feedparser's UTC 31 March."""
    for key in ("published", "updated"):
        raw = str(dict.get(item, key) or "").strip()  # not item.get: feedparser maps updated to published
        if not raw:
            continue
        try:
            return parsedate_to_datetime(raw).date()  # RFC 822 (RSS)
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()  # RFC 3339 (Atom)
        except ValueError:
            pass
    when = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")  # any form feedparser read
    return date(*when[:3]) if when else None


def feed_entries(data: bytes, base_url: str) -> list[Entry]:
    """The entries of an RSS or Atom feed: each one's page URL (absolute) and date."""
    import feedparser

    parsed = feedparser.parse(data)
    out: list[Entry] = []
    for item in parsed.entries:
        link = item.get("link") or next((ln.get("href") for ln in item.get("links", []) if ln.get("href")), None)
        if not link:
            continue
        out.append(Entry(url=urljoin(base_url, link), title=item.get("title"), published_on=entry_date(item)))
    return list({e.url: e for e in out}.values())


def latest_version(engine: Engine, uri: str) -> Source | None:
    with Session(engine) as session:
        return session.exec(select(Source).where(Source.uri == uri).order_by(col(Source.id).desc())).first()


def ingest_url(engine: Engine, fetcher: Fetcher, url: str, *,
               published_on: date | None = None, feeds: bool = True,
               origin_id: int | None = None, decode: Decoder = to_text) -> Iterator[Outcome]:
    """Fetch one URL and ingest it; a feed yields one outcome per entry's page."""
    stored = latest_version(engine, url)
    try:
        fetched = fetcher.get(url, etag=stored.etag if stored else None,
                              last_modified=stored.last_modified if stored else None)
    except FetchError as exc:
        yield Outcome(url, "failed", str(exc))
        return
    if fetched.not_modified:
        yield Outcome(url, "unchanged", "not modified (304)")
        return
    if feeds and is_feed(fetched.data, fetched.content_type):
        try:
            entries = feed_entries(fetched.data, fetched.url)
        except Exception as exc:  # noqa: BLE001 - feedparser raises many kinds; report, go on
            yield Outcome(url, "failed", f"unreadable feed: {exc}")
            return
        if not entries:
            yield Outcome(url, "failed", "feed without entries")
            return
        for entry in entries:
            yield from ingest_url(engine, fetcher, entry.url, published_on=entry.published_on, feeds=False,
                                  origin_id=origin_id, decode=decode)
        return
    name = fetched.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or None
    yield ingest_bytes(engine, uri=url, data=fetched.data, filename=name,
                       content_type=fetched.content_type, published_on=published_on,
                       etag=fetched.etag, last_modified=fetched.last_modified, origin_id=origin_id,
                       decode=decode)
