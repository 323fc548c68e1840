"""Security headers on every response, and per-client rate limits on every request that computes.

Rouei publishes text written by others: a strict Content-Security-Policy (no inline script,
no eval) keeps any markup that slips through inert. Rate-limit state lives in Redis when
``ROUEI_REDIS_URL`` is set, so several app processes share it; in memory otherwise.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import Protocol
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers to every response, streaming or not."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (n, v) for n, v in self.headers if n not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


class Limiter(Protocol):
    def hit(self, key: str) -> float:
        """Count one request; return 0 when allowed, else seconds until the next is allowed."""


class MemoryLimiter:
    """Fixed-window counter per key, in this process only."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._counts: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        now = time.monotonic()
        with self._lock:
            count, start = self._counts.get(key, (0, now))
            if now - start >= self.window:
                count, start = 0, now
            count += 1
            self._counts[key] = (count, start)
            self._counts.move_to_end(key)
            while len(self._counts) > self.max_keys:
                self._counts.popitem(last=False)
        return 0.0 if count <= self.limit else max(0.0, self.window - (now - start))


class RedisLimiter:
    """Fixed-window counter per key in Redis, shared by every app process."""

    def __init__(self, url: str, limit: int, window: int = 60) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.limit, self.window = limit, window

    def hit(self, key: str) -> float:
        import redis

        bucket = int(time.time() // self.window)
        name = f"rouei:rl:{key}:{bucket}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, self.window + 1)
            count = pipe.execute()[0]
        except redis.RedisError:
            return 0.0  # a Redis outage must not take the site down: fail open
        if count <= self.limit:
            return 0.0
        return (bucket + 1) * self.window - time.time()


def make_limiter(limit: int, redis_url: str | None) -> Limiter:
    return RedisLimiter(redis_url, limit) if redis_url else MemoryLimiter(limit)


# What costs nothing to answer: files from static/ and the health check. Everything else reads
# the store or renders a page (the home page with filters and no search is the dearest of all),
# and /admin/login is where a token would be guessed.
FREE_PREFIXES = ("/static/",)
FREE_PATHS = frozenset({"/healthz", "/favicon.ico"})


class RateLimit:
    """429 with Retry-After once a client passes its budget of requests that compute.

    The client is the connection's peer address: ``rouei serve`` lets uvicorn replace it from
    X-Forwarded-For only when the peer is one of ``ROUEI_TRUSTED_PROXIES``, so a client cannot
    choose its own identity with a header.
    """

    def __init__(self, app: ASGIApp, *, limiter: Limiter | None) -> None:
        self.app, self.limiter = app, limiter

    def limited(self, scope: Scope) -> bool:
        """Decided from the path alone: no spelling of the query string (``%71=`` for ``q=``,
        a filter without a search) can make a page that computes free."""
        path = scope.get("path", "")
        return not (path.startswith(FREE_PREFIXES) or path in FREE_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limiter is None or not self.limited(scope):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.limiter.hit(client)
        if not wait:
            await self.app(scope, receive, send)
            return
        seconds = math.ceil(wait)
        if scope.get("path", "").startswith("/api/"):
            body, kind = b'{"detail":"too many requests"}', b"application/json"
        else:
            body = f"Too many requests: try again in {seconds} s.\n".encode()
            kind = b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", kind), (b"retry-after", str(seconds).encode()),
            (b"cache-control", b"no-store"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


# Host names a request may name when neither ROUEI_BASE_URL nor ROUEI_ALLOWED_HOSTS says which:
# the machine itself (development). Any other Host is not believed: URLs use NEUTRAL_HOST.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
NEUTRAL_HOST = b"localhost"


def host_allowed(host: str, patterns: tuple[str, ...]) -> bool:
    """``host`` (without its port) is one of ``patterns``: a name, ``*.`` a name's subdomains,
    or ``*`` anything."""
    host = host.lower()
    return any(p == "*" or host == p or (p.startswith("*.") and host.endswith(p[1:])) for p in patterns)


def split_host(value: str) -> str:
    """The host of a Host header, without its port ([::1]:8000 → [::1])."""
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class PublicAddress:
    """Every URL the app builds from a request's own address (the Atom feed's ids and links, a
    page's canonical link, a redirect) names the configured public address, never a Host header
    a client chose.

    With ``base_url`` the scheme and Host of every request are replaced by it. Without, the Host
    is kept only when ``allowed_hosts`` (or, when that is unset, the loopback names) lists it,
    else it becomes ``localhost``. With ``allowed_hosts`` set, a request naming any other Host is
    answered 400 before anything runs.
    """

    def __init__(self, app: ASGIApp, *, base_url: str | None, allowed_hosts: str | None) -> None:
        self.app = app
        self.base: tuple[str, bytes] | None = None
        if base_url:
            parts = urlsplit(base_url.strip())
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
                raise ValueError(f"ROUEI_BASE_URL must be http(s)://host[:port], not {base_url!r}")
            self.base = (parts.scheme, parts.netloc.encode("idna"))
        listed = tuple(h.strip().lower() for h in (allowed_hosts or "").split(",") if h.strip())
        self.enforce = bool(listed)
        self.allowed = listed or LOOPBACK_HOSTS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"host"]
        given = next((v for k, v in scope.get("headers", []) if k == b"host"), b"").decode("latin-1")
        known = bool(given) and host_allowed(split_host(given), self.allowed)
        if self.enforce and not known:
            body = b"Unknown host: this site answers to the names in ROUEI_ALLOWED_HOSTS.\n"
            await send({"type": "http.response.start", "status": 400, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        scope = dict(scope)
        if self.base is not None:
            scope["scheme"], host = self.base[0], self.base[1]
        else:
            host = given.encode("latin-1") if known else NEUTRAL_HOST
        scope["headers"] = [(b"host", host), *headers]
        await self.app(scope, receive, send)


class HeadAsGet:
    """HEAD answers on every GET route: it runs as a GET and its body is dropped (the headers,
    Content-Length among them, are the GET's). Uptime monitors and link checkers send HEAD."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
