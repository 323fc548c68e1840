"""The sources registry (#14): `rouei sources add/list/remove/check`, intervals, listing links."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.ingest.harvest import (
    SourceError,
    backoff,
    format_interval,
    guess_kind,
    listing_links,
    parse_interval,
)
from app.models import HarvestSource, Incident, Source
from tests.fixtures.ingest.synthetic import org_name
from tests.ingest.site import notice_html


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def stored(engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        return (s.exec(select(func.count()).select_from(HarvestSource)).one(),
                s.exec(select(func.count()).select_from(Source)).one(),
                s.exec(select(func.count()).select_from(Incident)).one())


def listed(engine) -> list[dict]:
    out = invoke("sources", "list", "--json")
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("text, seconds", [("6h", 21600), ("30m", 1800), ("1d", 86400), ("2h30m", 9000),
                                           ("90", 90), (" 1w ", 604800), ("1h 5m", 3900)])
def test_intervals_are_read_and_written_back(text, seconds):
    assert parse_interval(text) == seconds
    assert parse_interval(format_interval(seconds)) == seconds


@pytest.mark.parametrize("text", ["", "6x", "h", "6h and more", "-5m", "1.5h"])
def test_an_interval_that_is_not_one_is_refused(text):
    with pytest.raises(SourceError):
        parse_interval(text)


def test_backoff_doubles_from_a_quarter_hour_and_stops_at_a_week():
    assert [backoff(n, 3600) for n in (1, 2, 3, 4)] == [900, 1800, 3600, 7200]
    assert backoff(40, 3600) == 7 * 86400
    assert backoff(6, 86400 * 3) == 86400 * 3  # past five failures, never sooner than the interval


@pytest.mark.parametrize("url, links, kind", [
    ("https://ex.jp/news/feed.xml", None, "feed"), ("https://ex.jp/rss", None, "feed"),
    ("https://ex.jp/feed/", None, "feed"), ("https://ex.jp/news/2024/0401.html", None, "page"),
    ("https://ex.jp/news/", r"/news/\d+", "listing"), ("https://ex.jp/feedback.html", None, "page"),
])
def test_the_kind_is_guessed_from_the_url_and_the_link_pattern(url, links, kind):
    assert guess_kind(url, links) == kind


def test_add_list_and_remove_from_the_command_line(env_database, engine):
    added = invoke("sources", "add", "https://example.jp/news/feed.xml", "--name", "Example お知らせ", "--every", "2h")
    assert added.exit_code == 0, added.output
    assert "feed, every 2h" in added.stdout
    listing = invoke("sources", "add", "https://example.jp/news/", "--links", r"/news/\d{4}/.+\.html$")
    assert listing.exit_code == 0 and "(listing, every 6h, links" in listing.stdout
    rows = listed(engine)
    assert [(r["url"], r["kind"], r["every"], r["name"], r["state"], r["failures"], r["documents"]) for r in rows] == [
        ("https://example.jp/news/feed.xml", "feed", "2h", "Example お知らせ", "new", 0, 0),
        ("https://example.jp/news/", "listing", "6h", None, "new", 0, 0)]
    table = invoke("sources", "list")
    assert table.exit_code == 0 and "Example お知らせ" in table.stdout and "health" in table.stdout
    # Adding a URL again changes its settings, never a second row.
    again = invoke("sources", "add", "https://example.jp/news/feed.xml", "--every", "1d")
    assert again.exit_code == 0 and [r["every"] for r in listed(engine)] == ["1d", "6h"]
    off = invoke("sources", "disable", "https://example.jp/news/")
    assert off.exit_code == 0 and [r["state"] for r in listed(engine)] == ["new", "disabled"]
    assert invoke("sources", "enable", str(rows[1]["id"])).exit_code == 0
    assert [r["state"] for r in listed(engine)] == ["new", "new"]
    assert invoke("sources", "disable", "https://nowhere.example/").exit_code == 1
    gone = invoke("sources", "remove", str(rows[1]["id"]))
    assert gone.exit_code == 0 and "removed https://example.jp/news/" in gone.stdout
    assert invoke("sources", "remove", "https://example.jp/news/feed.xml").exit_code == 0
    assert listed(engine) == []
    missing = invoke("sources", "remove", "https://nowhere.example/")
    assert missing.exit_code == 1 and "no source" in missing.output


@pytest.mark.parametrize("args, why", [
    (["ftp://example.jp/feed"], "not an http(s) URL"),
    (["https://example.jp/news/", "--kind", "listing"], "needs --links"),
    (["https://example.jp/news/", "--links", "(unclosed"], "not a regular expression"),
    (["https://example.jp/feed.xml", "--every", "10s"], "at least 60 seconds"),
    (["https://example.jp/feed.xml", "--every", "soon"], "not an interval"),
])
def test_a_source_that_cannot_be_harvested_is_refused_and_nothing_is_written(env_database, engine, args, why):
    result = invoke("sources", "add", *args)
    assert result.exit_code == 2 and why in result.output
    assert stored(engine) == (0, 0, 0)


def test_listing_links_are_absolute_matched_and_given_once():
    html = ("<html><head><base href='/news/'></head><body><nav><a href='/'>トップ</a></nav>"
            "<ul><li><a href='2024/0401.html'>お詫びとお知らせ</a></li>"
            "<li><a href='2024/0401.html#top'>same again</a></li>"
            "<li><a href='https://other.example/news/2024/x.html'>他社</a></li>"
            "<li><a href='javascript:void(0)'>js</a><a href='#'>anchor</a><a href='mailto:a@b'>m</a></li>"
            "<li><a href='/news/2023/1201.html'>前年</a></li></ul></body></html>").encode("cp932")
    found = listing_links(html, "https://ex.jp/list.html", r"/news/\d{4}/")
    assert [(e.url, e.title) for e in found] == [
        ("https://ex.jp/news/2024/0401.html", "お詫びとお知らせ"),
        ("https://other.example/news/2024/x.html", "他社"),
        ("https://ex.jp/news/2023/1201.html", "前年")]
    assert listing_links(html, "https://ex.jp/list.html", r"^https://ex\.jp/news/2024/") == found[:1]


def test_check_shows_what_a_feed_and_a_listing_would_give_and_writes_nothing(env_database, engine, site, monkeypatch):
    monkeypatch.setenv("ROUEI_ALLOW_PRIVATE_FETCH", "true")
    for i in (40, 41):
        site.add(f"/news/{i}.html", notice_html(i))
    site.add("/feed.xml", (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                           f"<item><title>お知らせ40</title><link>{site.base}/news/40.html</link></item>"
                           f"<item><title>お知らせ41</title><link>{site.base}/news/41.html</link></item>"
                           "</channel></rss>"), ctype="application/rss+xml")
    site.add("/list.html", "<html><body><a href='/news/40.html'>40</a> <a href='/about.html'>about</a></body></html>")
    before = stored(engine)
    feed = invoke("sources", "check", site.base + "/feed.xml")
    assert feed.exit_code == 0, feed.output
    assert "(feed, HTTP 200): 2 document(s), 2 new" in feed.stdout
    assert f"new    {site.base}/news/41.html  お知らせ41" in feed.stdout
    listing = invoke("sources", "check", site.base + "/list.html", "--links", r"/news/\d+\.html$")
    assert listing.exit_code == 0 and "(listing, HTTP 200): 1 document(s), 1 new" in listing.stdout
    page = invoke("sources", "check", site.base + "/news/40.html")
    assert page.exit_code == 0 and f"incident: 株式会社{org_name(40)}" in page.stdout
    assert stored(engine) == before == (0, 0, 0)
    assert site.hits("/news/40.html") == 1  # the feed and listing's entries are listed, not fetched
    # Once a document is stored, check says so.
    assert invoke("ingest", "--per-host-delay", "0", site.base + "/news/40.html").exit_code == 0
    again = invoke("sources", "check", site.base + "/feed.xml")
    assert "2 document(s), 1 new" in again.stdout and f"stored {site.base}/news/40.html" in again.stdout
    broken = invoke("sources", "check", site.base + "/missing.xml")
    assert broken.exit_code == 1 and "404" in broken.output
