"""Fetch documents over http(s) politely and safely.

Polite: a User-Agent that names us, robots.txt obeyed, one request per host per second,
conditional requests (ETag, Last-Modified). Safe: only http(s), at most 5 redirects, one
deadline for the whole request (connect, headers and body: every socket operation waits at most
what is left of it, so a server that drips a header line a second is abandoned on time), a
size cap read as the body streams in, and no private, loopback or link-local
address — checked after DNS resolution on every hop, and the connection is pinned to the
address that was checked, so a second DNS answer cannot slip one in.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

USER_AGENT = "Rouei/0.1 (+https://github.com/rouei)"
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})  # not 304, which httpx also calls a redirect


class FetchError(Exception):
    """A URL could not be fetched; the message says why, for a person."""


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body finally came from, after redirects
    status: int  # 200, or 304 when the stored version is still current
    data: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# When the request under way must be done (time.monotonic()); None outside a request.
_deadline: ContextVar[float | None] = ContextVar("rouei_fetch_deadline", default=None)


def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """The time one socket operation may wait: its own timeout or what is left of the deadline."""
    end = _deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise expired("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:  # noqa: ANN001
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname,
                                                     _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> object:
        return self.stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, each operation bounded by the request's deadline."""

    def __init__(self) -> None:
        self.backend = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # noqa: ANN001
        return _DeadlineStream(self.backend.connect_tcp(
            host, port, _left(timeout, httpcore.ConnectTimeout), local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # noqa: ANN001
        return _DeadlineStream(self.backend.connect_unix_socket(
            path, _left(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses the deadline backend. (httpx has no
    argument for a network backend, so the pool it builds is replaced by an equivalent one.)"""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                             network_backend=_DeadlineBackend())


def _check_address(ip: str, host: str) -> None:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    if not addr.is_global or addr.is_multicast:
        raise FetchError(f"refused: {host} resolves to a non-public address ({addr})")


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to, refusing private ones unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    if not allow_private:
        for ip in addresses:  # every answer: a mixed set is refused, not raced
            _check_address(ip, host)
    return addresses[0]


class Fetcher:
    """One client for a run: keeps robots.txt rules and per-host pacing between requests."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = 20 * 2**20,
                 allow_private: bool = False, per_host_interval: float = 1.0,
                 user_agent: str = USER_AGENT) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.per_host_interval = per_host_interval
        self.user_agent = user_agent
        self.client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                                   trust_env=False, headers={"User-Agent": user_agent},
                                   transport=_DeadlineTransport())
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # ---- one request ----

    def _pace(self, origin: str) -> None:
        with self._lock:
            wait = self._last.get(origin, 0.0) + self.per_host_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[origin] = time.monotonic()

    def _address(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return resolve(parts.hostname, port, allow_private=self.allow_private)

    def _once(self, url: str, ip: str, headers: dict[str, str], max_bytes: int) -> tuple[httpx.Response, bytes]:
        parts = urlsplit(url)
        assert parts.hostname is not None  # checked by _address
        self._pace(f"{parts.hostname}:{parts.port or parts.scheme}")
        # Connect to the address we checked; the Host header and TLS name stay the host's.
        target = httpx.URL(url).copy_with(host=ip)
        host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        request = self.client.build_request("GET", target, headers={**headers, "Host": host_header},
                                            extensions={"sni_hostname": parts.hostname})
        late = f"timed out: no complete answer within {self.timeout:g} s"
        token = _deadline.set(time.monotonic() + self.timeout)
        try:
            try:
                response = self.client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(late) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot connect: {exc}") from exc
            try:
                if response.status_code in REDIRECTS or response.status_code == 304 or response.status_code >= 400:
                    return response, b""
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"too large: {int(declared)} bytes > {max_bytes}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError(f"too large: more than {max_bytes} bytes")
                return response, bytes(body)
            except httpx.TimeoutException as exc:
                raise FetchError(late) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"broken response: {exc}") from exc
            finally:
                response.close()
        finally:
            _deadline.reset(token)

    def _follow(self, url: str, headers: dict[str, str], *, max_bytes: int,
                robots: bool) -> tuple[str, httpx.Response, bytes]:
        seen: list[str] = []
        for _ in range(MAX_REDIRECTS + 1):
            ip = self._address(url)  # first: a refused address is the reason, not robots.txt
            if robots and not self.allowed(url):
                raise FetchError(f"disallowed by robots.txt: {url}")
            seen.append(url)
            response, body = self._once(url, ip, headers, max_bytes)
            if response.status_code not in REDIRECTS:
                return url, response, body
            location = response.headers.get("Location")
            if not location:
                raise FetchError(f"redirect without a Location from {url}")
            url = urljoin(url, location)
        loop = " (a loop)" if len(set(seen)) < len(seen) else ""
        raise FetchError(f"too many redirects: more than {MAX_REDIRECTS}{loop}")

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body`` (a webhook's delivery) through the same address guard and pacing; no
        redirect is followed and the answer's body is not read. Returns the status code."""
        ip = self._address(url)
        parts = urlsplit(url)
        assert parts.hostname is not None  # checked by _address
        self._pace(f"{parts.hostname}:{parts.port or parts.scheme}")
        target = httpx.URL(url).copy_with(host=ip)
        host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        request = self.client.build_request("POST", target, content=body,
                                            headers={**headers, "Host": host_header},
                                            extensions={"sni_hostname": parts.hostname})
        try:
            response = self.client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot connect: {exc}") from exc
        response.close()
        return response.status_code

    # ---- robots.txt ----

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._robots[origin] = self._load_robots(origin)
        return rules.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> RobotFileParser:
        # RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (5xx,
        # network) means stay out for now.
        rules = RobotFileParser()
        try:
            _, response, body = self._follow(origin + "/robots.txt", {}, max_bytes=ROBOTS_MAX_BYTES,
                                             robots=False)
        except FetchError:
            rules.disallow_all = True
            return rules
        if response.status_code >= 500:
            rules.disallow_all = True
        elif response.status_code >= 400:
            rules.allow_all = True
        else:
            rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules

    # ---- the public call ----

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET a document; conditional when a stored version's validators are given."""
        headers = {"Accept": "text/html,application/xhtml+xml,application/pdf,application/rss+xml,"
                             "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        final, response, body = self._follow(url, headers, max_bytes=self.max_bytes, robots=True)
        if response.status_code == 304:
            return Fetched(final, 304, etag=etag, last_modified=last_modified)
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        return Fetched(final, response.status_code, body, response.headers.get("Content-Type"),
                       response.headers.get("ETag"), response.headers.get("Last-Modified"))
