"""Answers computed once per version of the data: an ETag from the search stamp, a 304 for a
view the client already holds, and the finished response kept for the next client.

The search stamp (``incident_search_state``) changes with every write to the tables a public
page shows — database triggers bump it (migration 0007), so a write made with raw SQL counts
too — whichever process makes it. A public GET of the same URL, Host, htmx headers and
encoding under the same stamp, code and day is the same answer. So ``ResponseCache``:

- reads the stamp (one indexed row, in the thread pool);
- answers 304 at once when If-None-Match names the ETag of (stamp, view): nothing is rendered;
- else sends the bytes it kept for the view under that stamp, gzip included;
- else lets the app answer, adds the ETag, and keeps a 200 that is public (no Set-Cookie, no
  ``no-store``/``private``) and small enough.

What it never touches: a request with the admin's session cookie or an Authorization header
(their pages carry forms and tokens), anything but GET, and paths off the list below (the
admin's reads, /sources with its clock, the CSV export that streams). Entries are evicted
least recently used, within a byte budget per process.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from anyio import to_thread
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.session import COOKIE

# Paths whose answer is a function of the data, the URL and the headers in ``view_key``.
CACHED_PATHS = frozenset({"/", "/api/incidents", "/api/facets", "/api/stats"})
CACHED_PREFIXES = ("/incidents/", "/orgs/", "/vendors/", "/charts/", "/api/incidents/", "/api/orgs/",
                   "/api/vendors/")
# Not these, though a prefix above would take them: they stream or carry the time of day.
UNCACHED_SUFFIXES = (".csv", ".atom")
CHART_CSV = "/charts/"

MAX_BYTES = 64 * 1024 * 1024  # kept bodies per process
MAX_BODY = 1024 * 1024  # a bigger answer is sent, not kept
STAMP_SQL = text("SELECT stamp FROM incident_search_state WHERE id = 1")
JST = timedelta(hours=9)


def cached_path(path: str) -> bool:
    if path in CACHED_PATHS:
        return True
    if path.startswith(CHART_CSV):  # a chart's CSV is small and cached like the page
        return True
    return path.startswith(CACHED_PREFIXES) and not path.endswith(UNCACHED_SUFFIXES)


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", []):
        if key == name:
            return value
    return b""


def cacheable_request(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET" or not cached_path(scope["path"]):
        return False
    for key, value in scope.get("headers", []):
        if key == b"authorization" or (key == b"cookie" and COOKIE.encode() in value):
            return False
    return True


def view_key(scope: Scope, build: str) -> bytes:
    """What the answer depends on besides the data: the URL, the Host the app builds links
    from, the htmx headers, whether it may be gzipped, the code, and the day (legal windows
    count days)."""
    hx = _header(scope, b"hx-request") == b"true"
    restore = _header(scope, b"hx-history-restore-request") == b"true"
    gzip = b"gzip" in _header(scope, b"accept-encoding").lower()
    today = (datetime.now(UTC) + JST).date().isoformat()
    return b"\x00".join((scope["path"].encode(), scope.get("query_string", b""), scope.get("scheme", "http").encode(),
                         _header(scope, b"host"), b"h" if hx else b"", b"r" if restore else b"",
                         b"z" if gzip else b"", build.encode(), today.encode()))


def etag_of(stamp: int, key: bytes) -> bytes:
    return b'"s' + hashlib.blake2b(b"%d\x00" % stamp + key, digest_size=12).hexdigest().encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET), or is *."""
    if if_none_match.strip() == b"*":
        return True
    return any(tag.strip().removeprefix(b"W/") == etag for tag in if_none_match.split(b","))


class Entry:
    __slots__ = ("body", "headers", "size", "stamp")

    def __init__(self, stamp: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.stamp, self.headers, self.body = stamp, headers, body
        self.size = len(body) + sum(len(k) + len(v) for k, v in headers) + 200


class Store:
    """Kept answers by view, the newest stamp's only, least recently used out first.

    Used from the event loop's thread alone (the middleware's own code never runs in the
    thread pool), so it needs no lock.
    """

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes, self.bytes = max_bytes, 0
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()

    def get(self, key: bytes, stamp: int) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.stamp != stamp:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: bytes, entry: Entry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        self._entries[key] = entry
        self.bytes += entry.size
        while self.bytes > self.max_bytes and self._entries:
            _, gone = self._entries.popitem(last=False)
            self.bytes -= gone.size

    def __len__(self) -> int:
        return len(self._entries)


KEPT_HEADERS = frozenset({b"cache-control", b"vary", b"etag", b"expires", b"last-modified"})


def storable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    if status != 200:
        return False
    for key, value in headers:
        name = key.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True


class ResponseCache:
    """Pure ASGI middleware; see the module's docstring. ``stamp_of`` reads the stamp (None:
    no stamp table, nothing cached) and runs in the thread pool."""

    def __init__(self, app: ASGIApp, *, stamp_of: Callable[[], int | None], build: str,
                 max_bytes: int = MAX_BYTES) -> None:
        self.app, self.stamp_of, self.build = app, stamp_of, build
        self.store = Store(max_bytes)
        self.hits = self.misses = self.not_modified = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable_request(scope):
            await self.app(scope, receive, send)
            return
        try:
            stamp = await to_thread.run_sync(self.stamp_of)
        except (DBAPIError, PoolTimeout):
            stamp = None  # the app meets the same fault and answers 503 its own way
        if stamp is None:
            await self.app(scope, receive, send)
            return
        key = view_key(scope, self.build)
        etag = etag_of(stamp, key)
        entry = self.store.get(key, stamp)
        if matches(_header(scope, b"if-none-match"), etag):
            self.not_modified += 1
            headers = [(k, v) for k, v in (entry.headers if entry else []) if k.lower() in KEPT_HEADERS]
            await send({"type": "http.response.start", "status": 304,
                        "headers": [*(h for h in headers if h[0].lower() != b"etag"), (b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return
        if entry is not None:
            self.hits += 1
            await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.misses += 1
        await self._compute(scope, receive, send, key, stamp, etag)

    async def _compute(self, scope: Scope, receive: Receive, send: Send, key: bytes, stamp: int,
                       etag: bytes) -> None:
        started: dict = {}
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                started["ok"] = storable(message["status"], headers)
                if started["ok"]:
                    headers = [(k, v) for k, v in headers if k.lower() != b"etag"] + [(b"etag", etag)]
                    message = {**message, "headers": headers}
                started["headers"] = headers
            elif message["type"] == "http.response.body" and started.get("ok"):
                body = message.get("body", b"")
                size += len(body)
                if size > MAX_BODY:
                    started["ok"] = False
                    chunks.clear()
                else:
                    chunks.append(body)
                if not message.get("more_body", False) and started["ok"]:
                    self.store.put(key, Entry(stamp, started["headers"], b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keep)


def stamp_reader(engine: Engine) -> Callable[[], int | None]:
    def read() -> int | None:
        with engine.connect() as connection:
            return connection.execute(STAMP_SQL).scalar_one_or_none()

    return read
