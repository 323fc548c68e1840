"""URLs and feeds against a local HTTP server the tests start themselves (no internet)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.ingest.fetch import USER_AGENT, Fetcher, FetchError, resolve
from app.ingest.urls import feed_entries, ingest_url, is_feed
from app.models import Incident, IncidentSource, Source
from tests.fixtures.ingest.synthetic import notice, org_name, pdf
from tests.ingest.site import notice_html


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout=1.0, max_bytes=200_000, allow_private=True, per_host_interval=0) as f:
        yield f


def run_all(engine, fetcher, url):
    return list(ingest_url(engine, fetcher, url))


def live_incidents(engine) -> list[Incident]:
    with Session(engine) as s:
        return s.exec(select(Incident).where(col(Incident.merged_into_id).is_(None))).all()


# ---- documents ----


def test_shift_jis_html_without_a_charset_header_is_read_and_reduced_to_its_article(engine, site, fetcher):
    html = notice_html(1).replace("<head>", '<head><meta charset="Shift_JIS">')
    site.add("/sjis.html", html.encode("cp932"), ctype="text/html")
    (outcome,) = run_all(engine, fetcher, site.base + "/sjis.html")
    assert outcome.status == "new" and outcome.created == 1
    with Session(engine) as s:
        source = s.exec(select(Source)).one()
        assert source.format == "html" and source.encoding in ("cp932", "shift_jis")
        assert "ニュース一覧" not in source.text and "よく読まれている" not in source.text
        assert "Copyright" not in source.text
    assert [i.organization_core for i in live_incidents(engine)] == [org_name(1)]


def test_utf8_html_with_a_charset_header(engine, site, fetcher):
    site.add("/utf8.html", notice_html(2), ctype="text/html; charset=UTF-8")
    (outcome,) = run_all(engine, fetcher, site.base + "/utf8.html")
    assert outcome.status == "new"
    assert [i.organization_core for i in live_incidents(engine)] == [org_name(2)]


def test_a_pdf_made_in_the_test_is_read_through_its_text_layer(engine, site, fetcher):
    lines = [line for line in notice(3).splitlines() if line.strip()]
    site.add("/notice.pdf", pdf(lines), ctype="application/pdf")
    (outcome,) = run_all(engine, fetcher, site.base + "/notice.pdf")
    assert outcome.status == "new", outcome.reason
    with Session(engine) as s:
        source = s.exec(select(Source)).one()
        assert source.format == "pdf" and "弊社" in source.text
    assert [i.organization_core for i in live_incidents(engine)] == [org_name(3)]


def test_a_binary_file_named_txt_fails_with_a_reason(engine, site, fetcher):
    site.add("/notice.txt", bytes(range(256)) * 20, ctype="text/plain")
    (outcome,) = run_all(engine, fetcher, site.base + "/notice.txt")
    assert outcome.status == "failed" and "binary" in outcome.reason


# ---- feeds ----


def rss(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>お知らせ{n}</title><link>{base}{p}</link>"
                    f"<pubDate>Mon, 0{n + 1} Apr 2024 09:00:00 +0900</pubDate></item>" for n, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>お知らせ</title>'
            f"<link>{base}/</link><description>x</description>{items}</channel></rss>")


def atom(paths: list[str]) -> str:
    entries = "".join(f'<entry><title>お知らせ{n}</title><link href="{p}"/><id>urn:x:{n}</id>'
                      f"<updated>2024-05-0{n + 1}T09:00:00+09:00</updated></entry>" for n, p in enumerate(paths))
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>お知らせ</title><id>urn:x</id><updated>2024-05-01T00:00:00Z</updated>{entries}</feed>")


def test_rss_feed_entries_are_each_fetched_and_ingested_with_their_dates(engine, site, fetcher):
    for i in (10, 11):
        site.add(f"/n{i}.html", notice_html(i))
    site.add("/feed.rss", rss(site.base, ["/n10.html", "/n11.html"]), ctype="application/rss+xml")
    outcomes = run_all(engine, fetcher, site.base + "/feed.rss")
    assert [o.status for o in outcomes] == ["new", "new"]
    assert [o.uri for o in outcomes] == [site.base + "/n10.html", site.base + "/n11.html"]
    with Session(engine) as s:
        dates = sorted(str(d) for d in s.exec(select(Source.published_on)).all())
    assert dates == ["2024-04-01", "2024-04-02"]
    assert sorted(i.organization_core for i in live_incidents(engine)) == sorted([org_name(10), org_name(11)])


def test_atom_feed_with_relative_links(engine, site, fetcher):
    site.add("/a/n12.html", notice_html(12))
    site.add("/a/feed.xml", atom(["n12.html", "/missing.html"]), ctype="application/atom+xml")
    outcomes = run_all(engine, fetcher, site.base + "/a/feed.xml")
    assert [(o.status, o.uri.rsplit("/", 1)[-1]) for o in outcomes] == [("new", "n12.html"), ("failed", "missing.html")]
    assert "404" in outcomes[1].reason


@pytest.mark.parametrize("data, ctype, expected", [
    (b'<?xml version="1.0"?>\n<rss version="2.0"></rss>', "text/xml", True),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>", None, True),
    (b"<!doctype html><html></html>", "text/html", False),
    (b"anything", "application/rss+xml", True),
])
def test_what_is_a_feed(data, ctype, expected):
    assert is_feed(data, ctype) is expected


def test_feed_entries_are_deduplicated():
    data = rss("http://x.test", ["/a", "/a", "/b"]).encode()
    assert [e.url for e in feed_entries(data, "http://x.test/feed")] == ["http://x.test/a", "http://x.test/b"]


# ---- failures: each one a clear reason ----


def test_404(engine, site, fetcher):
    (outcome,) = run_all(engine, fetcher, site.base + "/nothing-here")
    assert outcome.status == "failed" and outcome.reason.startswith("HTTP 404")


@pytest.mark.slow
def test_a_server_slower_than_the_timeout(engine, site, fetcher):
    def slow(_h):
        time.sleep(2.5)
        return 200, {"Content-Type": "text/html"}, notice_html(4).encode()

    site.routes["/slow.html"] = slow
    started = time.monotonic()
    (outcome,) = run_all(engine, fetcher, site.base + "/slow.html")
    assert outcome.status == "failed" and "timed out" in outcome.reason
    assert time.monotonic() - started < 2.4


def test_a_redirect_loop_stops_after_five_redirects(engine, site, fetcher):
    site.add("/loop1", "", status=302, headers={"Location": "/loop2"})
    site.add("/loop2", "", status=302, headers={"Location": "/loop1"})
    (outcome,) = run_all(engine, fetcher, site.base + "/loop1")
    assert outcome.status == "failed" and "too many redirects" in outcome.reason
    assert site.hits("/loop1") + site.hits("/loop2") == 6


def test_a_redirect_is_followed_and_the_requested_url_is_the_source(engine, site, fetcher):
    site.add("/old", "", status=301, headers={"Location": "/new.html"})
    site.add("/new.html", notice_html(5))
    (outcome,) = run_all(engine, fetcher, site.base + "/old")
    assert outcome.status == "new" and outcome.uri == site.base + "/old"


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_is_refused(engine, site, fetcher, chunked):
    headers = {"Transfer-Encoding": "chunked"} if chunked else {}
    site.add("/big.html", b"<p>" + b"a" * 400_000 + b"</p>", headers=headers)
    (outcome,) = run_all(engine, fetcher, site.base + "/big.html")
    assert outcome.status == "failed" and "too large" in outcome.reason


def test_robots_txt_is_respected_and_read_once_per_host(engine, site, fetcher):
    site.add("/private/n.html", notice_html(6))
    site.add("/n7.html", notice_html(7))
    (outcome,) = run_all(engine, fetcher, site.base + "/private/n.html")
    assert outcome.status == "failed" and "robots.txt" in outcome.reason
    assert site.hits("/private/n.html") == 0
    assert run_all(engine, fetcher, site.base + "/n7.html")[0].status == "new"
    assert site.hits("/robots.txt") == 1


def test_a_robots_txt_that_errors_keeps_us_out_and_a_missing_one_lets_us_in(site):
    site.add("/n8.html", notice_html(8))
    site.routes.pop("/robots.txt")
    with Fetcher(timeout=1, allow_private=True, per_host_interval=0) as f:
        assert f.get(site.base + "/n8.html").status == 200
    site.add("/robots.txt", "oops", status=503)
    with Fetcher(timeout=1, allow_private=True, per_host_interval=0) as f, pytest.raises(FetchError, match="robots"):
        f.get(site.base + "/n8.html")


def test_private_addresses_are_refused_unless_allowed(engine, site):
    site.add("/n9.html", notice_html(9))
    with Fetcher(timeout=1, per_host_interval=0) as f:
        (outcome,) = run_all(engine, f, site.base + "/n9.html")
    assert outcome.status == "failed" and "non-public address" in outcome.reason
    assert site.seen == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "192.168.0.1", "::1"])
def test_resolve_refuses_non_public_hosts(host):
    with pytest.raises(FetchError, match="non-public"):
        resolve(host, 80, allow_private=False)
    assert resolve("127.0.0.1", 80, allow_private=True) == "127.0.0.1"


def test_a_redirect_to_a_private_address_is_refused_on_the_hop(site, monkeypatch):
    # Only the test server's own loopback address passes; the check runs again on every hop,
    # so a page that redirects to a metadata address is refused before connecting there.
    from app.ingest import fetch

    real = fetch._check_address
    monkeypatch.setattr(fetch, "_check_address", lambda ip, host: None if ip == "127.0.0.1" else real(ip, host))
    site.add("/out", "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with Fetcher(timeout=1, per_host_interval=0) as f, pytest.raises(FetchError, match="non-public"):
        f.get(site.base + "/out")
    assert site.hits("/out") == 1


@pytest.mark.slow
def test_one_request_per_host_per_interval(site):
    site.add("/robots.txt", "", ctype="text/plain")
    for n in range(3):
        site.add(f"/p{n}", "x", ctype="text/plain")
    with Fetcher(timeout=1, allow_private=True, per_host_interval=0.3) as f:
        started = time.monotonic()
        for n in range(3):
            f.get(f"{site.base}/p{n}")
        # robots.txt + 3 pages: three waits of 0.3 s
        assert time.monotonic() - started >= 0.85


def test_user_agent_names_rouei(site, fetcher):
    site.add("/ua", "x", ctype="text/plain")
    fetcher.get(site.base + "/ua")
    assert all(h.get("User-Agent") == USER_AGENT for _, h in site.seen)


# ---- versions: conditional requests, new content ----


def test_conditional_requests_and_a_new_version_of_the_same_url(engine, site, fetcher):
    url = site.base + "/v.html"
    body = {"html": notice_html(20).replace("最大", "")}
    etag = {"value": '"v1"'}

    def versioned(handler):
        if handler.headers.get("If-None-Match") == etag["value"]:
            return 304, {"ETag": etag["value"]}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": etag["value"],
                     "Last-Modified": "Mon, 01 Apr 2024 00:00:00 GMT"}, body["html"].encode()

    site.routes["/v.html"] = versioned
    assert run_all(engine, fetcher, url)[0].status == "new"
    with Session(engine) as s:
        first = s.exec(select(Source)).one()
        assert (first.etag, first.last_modified) == ('"v1"', "Mon, 01 Apr 2024 00:00:00 GMT")
    again = run_all(engine, fetcher, url)[0]
    assert again.status == "unchanged" and "304" in again.reason, again.reason
    assert site.seen[-1][1].get("If-None-Match") == '"v1"'
    assert site.seen[-1][1].get("If-Modified-Since") == "Mon, 01 Apr 2024 00:00:00 GMT"
    # The page is revised: a count corrected. Same URL, new content: a new version.
    old_count = f"{100 + (20 * 37) % 9000:,}"
    body["html"] = body["html"].replace(old_count, "77")
    etag["value"] = '"v2"'
    revised = run_all(engine, fetcher, url)[0]
    assert revised.status == "updated" and revised.updated == 1
    with Session(engine) as s:
        assert len(s.exec(select(Source).where(Source.uri == url)).all()) == 2
        (incident,) = live_incidents(engine)
        assert incident.records_max == 77
        assert s.exec(select(func.count()).select_from(IncidentSource)).one() == 2


def test_cli_ingests_urls_and_prints_plain_lines_when_not_a_terminal(env_database, engine, site, monkeypatch):
    monkeypatch.setenv("ROUEI_ALLOW_PRIVATE_FETCH", "true")
    site.add("/n30.html", notice_html(30))
    result = CliRunner().invoke(cli, ["ingest", "--per-host-delay", "0", site.base + "/n30.html",
                                      site.base + "/gone.html"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"new       {site.base}/n30.html" in result.output
    assert "HTTP 404" in result.output and "1 new, 0 updated, 0 unchanged, 1 failed" in result.output
    only_bad = CliRunner().invoke(cli, ["ingest", "--per-host-delay", "0", site.base + "/gone.html"])
    assert only_bad.exit_code == 1


# ---- one deadline for the whole request ----


class Trickle:
    """A raw socket server on loopback: robots.txt is 404 at once; any other path answers its
    status line, then one header line every ``interval`` seconds (``lines`` of them), and, when
    ``body`` is set, a body in the same drip."""

    def __init__(self, *, interval: float, lines: int, body: bool = False) -> None:
        self.interval, self.lines, self.body = interval, lines, body
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            request = conn.recv(65536)
            try:
                if b" /robots.txt " in request:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                if self.body:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                 b"Content-Length: 1000000\r\n\r\n")
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                for i in range(self.lines):
                    if self.stop.wait(self.interval):
                        return
                    conn.sendall(b"x" if self.body else b"X-Drip-%d: %d\r\n" % (i, i))
            except OSError:
                return  # the client hung up: what a deadline does

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def trickle() -> Iterator[Callable[..., Trickle]]:
    made: list[Trickle] = []

    def make(**kw) -> Trickle:
        made.append(Trickle(**kw))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.mark.slow
@pytest.mark.parametrize("body", [False, True], ids=["headers", "body"])
def test_a_server_that_trickles_is_abandoned_at_the_deadline(trickle, body):
    server = trickle(interval=0.2, lines=100, body=body)  # 20 s of drip, each wait under 1 s
    with Fetcher(timeout=1.5, max_bytes=2_000_000, allow_private=True, per_host_interval=0) as f:
        started = time.monotonic()
        with pytest.raises(FetchError, match="no complete answer within 1.5 s"):
            f.get(server.base + "/notice.html")
        elapsed = time.monotonic() - started
    # robots.txt is its own request; the trickled one ends at 1.5 s (before: after 20 s of drip)
    assert 1.4 < elapsed < 2.5


@pytest.mark.slow
def test_cli_ingest_of_a_trickling_server_ends_with_a_failed_document(env_database, trickle, monkeypatch):
    server = trickle(interval=0.2, lines=100)
    monkeypatch.setenv("ROUEI_ALLOW_PRIVATE_FETCH", "true")
    monkeypatch.setenv("ROUEI_FETCH_TIMEOUT", "1")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["ingest", server.base + "/notice.html"], catch_exceptions=False)
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and "timed out" in result.output and "Traceback" not in result.output
