"""What is new (#14): first seen and last changed, ?sort=added, Atom feeds of any filter,
organisation and vendor, and the autodiscovery links that let feed readers find them."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, col, select

from app import revisions, search
from app.db import session_scope
from app.ingest.urls import feed_entries
from app.models import Incident
from app.seed import load_if_empty
from app.text import slugify

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def added(engine) -> list[str]:
    """The bundled dataset, first seen one day apart in an order unlike disclosure's: the slugs,
    newest first seen first."""
    load_if_empty(engine)
    with session_scope(engine) as s:
        live = s.exec(select(Incident).where(col(Incident.merged_into_id).is_(None))
                      .order_by(col(Incident.disclosed_on).asc().nulls_first(), col(Incident.id))).all()
        for n, inc in enumerate(live):  # the oldest disclosure is the newest seen
            inc.created_at = inc.updated_at = START + timedelta(days=len(live) - n)
            s.add(inc)
        search.bump_stamp(s)
        return [i.slug for i in live]


def timestamp(value: datetime) -> tuple:
    return value.astimezone(UTC).timetuple()[:6]


def test_sort_added_lists_the_newest_first_seen_first(client, added):
    api = client.get("/api/incidents", params={"sort": "added", "limit": 200}).json()
    assert [i["slug"] for i in api["data"]] == added
    newest = client.get("/api/incidents", params={"limit": 200}).json()
    assert [i["slug"] for i in newest["data"]] != added  # not disclosure order
    page = LexborHTMLParser(client.get("/?sort=added").text)
    listed = [a.attributes["href"].removeprefix("/incidents/") for a in page.css("ol.incidents a.org")]
    assert listed == added[:len(listed)] and listed
    assert page.css_first("#sort option[selected]").attributes["value"] == "added"
    ransomware = client.get("/api/incidents", params={"sort": "added", "type": "ransomware"}).json()["data"]
    assert [i["slug"] for i in ransomware] == [s for s in added if s in {i["slug"] for i in ransomware}]


def test_the_added_feed_is_valid_atom_published_first_seen_updated_last_change(client, engine, added):
    response = client.get("/feed.atom", params={"sort": "added"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.link.rsplit("/", 1)[-1] for e in parsed.entries] == added[:50]
    with Session(engine) as s:
        first = s.exec(select(Incident).where(Incident.slug == added[0])).one()
    entry = parsed.entries[0]
    assert entry.published_parsed[:6] == timestamp(first.created_at)
    assert entry.updated_parsed[:6] == timestamp(first.updated_at)
    assert any(ln.get("rel") == "self" and "sort=added" in ln.href for ln in parsed.feed.links)

    # A correction changes the incident: updated moves, published (first seen) stays.
    with session_scope(engine) as s:
        inc = s.exec(select(Incident).where(Incident.slug == added[0])).one()
        revisions.correct(s, incident=inc, changes={"records_max": 12345}, actor="t", reason="test")
    again = feedparser.parse(client.get("/feed.atom", params={"sort": "added"}).content).entries[0]
    assert again.published_parsed[:6] == entry.published_parsed[:6]
    assert calendar.timegm(again.updated_parsed) > calendar.timegm(entry.updated_parsed)
    # The default feed stays in disclosure order.
    newest = feedparser.parse(client.get("/feed.atom").content)
    assert [e.link.rsplit("/", 1)[-1] for e in newest.entries] != added[:50]


def test_the_incident_page_says_when_it_was_first_seen_and_last_changed(client, added):
    html = client.get(f"/incidents/{added[0]}").text
    first = START + timedelta(days=len(added))  # 09:00 in Japan
    assert f'Rouei が最初に見つけた日時: <time datetime="{first.isoformat()}">{first.year}年{first.month}月{first.day}日 09:00</time>' in html
    assert "Last changed" in client.get(f"/incidents/{added[0]}?lang=en").text


def alternates(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    return [n.attributes["href"] for n in tree.css('head link[rel="alternate"][type="application/atom+xml"]')]


@pytest.mark.parametrize("path, feed", [
    ("/", "/feed.atom?sort=added"),
    ("/?type=web_skimming&year=2022", "/feed.atom?type=web_skimming&year=2022&sort=added"),
    ("/?type=ransomware&lang=en", "/feed.atom?type=ransomware&sort=added&lang=en"),
    ("/orgs/wakomu", "/orgs/wakomu/feed.atom"),
    (f"/vendors/{slugify('ショーケース')}", "/feed.atom?vendor=%E3%82%B7%E3%83%A7%E3%83%BC%E3%82%B1%E3%83%BC%E3%82%B9&sort=added"),
])
def test_pages_carry_their_feed_for_readers_to_find(client, added, path, feed):
    html = client.get(path).text
    assert alternates(html) == [feed]
    assert f'class="feed" href="{feed.replace("&", "&amp;")}"' in html  # and a link people see
    parsed = feedparser.parse(client.get(feed).content)
    assert not parsed.bozo and parsed.entries


def test_following_an_organisation_or_a_vendor_gives_only_its_incidents(client, added):
    org = client.get("/api/orgs/wakomu").json()
    feed = feedparser.parse(client.get("/orgs/wakomu/feed.atom").content)
    assert sorted(e.link.rsplit("/", 1)[-1] for e in feed.entries) == sorted(i["slug"] for i in org["incidents"])
    assert feed.feed.title.startswith(org["name"])
    vendor = client.get(f"/api/vendors/{slugify('ショーケース')}").json()
    by_vendor = feedparser.parse(client.get("/feed.atom", params={"vendor": "ショーケース", "sort": "added"}).content)
    assert sorted(e.link.rsplit("/", 1)[-1] for e in by_vendor.entries) == sorted(i["slug"] for i in vendor["incidents"])
    assert client.get("/orgs/no-such-org/feed.atom").status_code == 404


@pytest.mark.parametrize("stamp, day", [
    ("<pubDate>Mon, 01 Apr 2024 08:00:00 +0900</pubDate>", date(2024, 4, 1)),  # 23:00 UTC the day before
    ("<pubDate>Mon, 01 Apr 2024 23:30:00 -0500</pubDate>", date(2024, 4, 1)),  # 04:30 UTC the day after
    ("<pubDate>Mon, 01 Apr 2024</pubDate>", date(2024, 4, 1)),
    ("<pubDate>not a date</pubDate>", None),
])
def test_an_rss_date_is_the_day_the_publisher_wrote(stamp, day):
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
           f"<link>https://ex.jp/n.html</link>{stamp}</item></channel></rss>").encode()
    (entry,) = feed_entries(rss, "https://ex.jp/feed.xml")
    assert entry.published_on == day


def test_an_atom_date_is_the_day_the_publisher_wrote():
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b'<id>urn:x</id><updated>2024-05-01T07:00:00+09:00</updated><entry><title>x</title>'
            b'<link href="https://ex.jp/a.html"/><id>urn:x:1</id><published>2024-05-01T07:00:00+09:00</published>'
            b"<updated>2024-05-02T07:00:00+09:00</updated></entry></feed>")
    (entry,) = feed_entries(atom, "https://ex.jp/feed.xml")
    assert entry.published_on == date(2024, 5, 1)
