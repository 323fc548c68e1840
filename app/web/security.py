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
# the store or renders a page (the home page with filters and no search is the dearest of all).
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
