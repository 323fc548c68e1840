"""A local HTTP server the ingest tests start themselves (no internet): routes, and what it saw."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fixtures.ingest.synthetic import notice

Route = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


def page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            "<header><nav><a href='/'>トップ</a> <a href='/news'>ニュース一覧</a> <a href='/ir'>IR情報</a></nav></header>"
            "<div class='sidebar'><ul><li><a href='/r1'>よく読まれている記事の見出しがここに入ります</a></li></ul></div>"
            f"<main><article><h1>{title}</h1>{body}</article></main>"
            "<footer><p>Copyright サンプル株式会社 All rights reserved.</p></footer></body></html>")


def notice_html(i: int) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in notice(i).splitlines() if line.strip())
    return page("お詫びとお知らせ", paragraphs)


class Site:
    """Routes and what the server saw: request paths and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, dict[str, str], bytes]] = []  # what was POSTed (webhooks)
        self.post_status: dict[str, int] = {}
        self.base = ""

    def add(self, path: str, body: bytes | str, *, status: int = 200, ctype: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = lambda _h: (status, {"Content-Type": ctype, **(headers or {})}, data)

    def add_versioned(self, path: str, body: Callable[[], bytes | str], *,
                      ctype: str = "text/html; charset=utf-8") -> None:
        """A route that answers 304 to a request whose If-None-Match is its body's ETag."""
        import hashlib

        def route(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
            raw = body()
            data = raw.encode() if isinstance(raw, str) else raw
            etag = f'"{hashlib.sha256(data).hexdigest()[:16]}"'
            if handler.headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": ctype, "ETag": etag}, data

        self.routes[path] = route

    def hits(self, path: str) -> int:
        return sum(p == path for p, _ in self.seen)


@contextmanager
def serve() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.seen.append((self.path, dict(self.headers)))
            route = state.routes.get(self.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = route(self)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if headers.get("Transfer-Encoding") == "chunked":
                for start in range(0, len(body), 65536):
                    chunk = body[start:start + 65536]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            elif status != 304:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.posts.append((self.path, dict(self.headers), body))
            status = state.post_status.get(self.path, 200)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # serve_forever's poll interval is what shutdown() waits for: 0.5 s by default, per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    state.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
