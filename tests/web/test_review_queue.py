"""The review queue (#13) and the public ?review= filter: list, JSON, CSV and Atom."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlmodel import Session, col, select

from app.i18n import review_label
from app.ingest.pipeline import ingest_bytes
from app.models import Incident
from app.review import REASONS, review_queue
from app.search import Filters
from tests.conftest import FIXTURES
from tests.web.test_admin_browser import TOKEN, make_client, sign_in

HERE = FIXTURES / "ingest"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def browser(settings):
    with make_client(settings) as c:
        yield c


@pytest.fixture
def store(engine, browser) -> dict[str, str]:
    """Tsubaki: two notices that disagree, a correction and a later parse waiting; the digest's
    incidents; one of them under investigation."""
    ingest_bytes(engine, uri="notice-1.txt", data=(HERE / "tsubaki_notice_1.txt").read_bytes())
    with Session(engine) as s:
        tsubaki = s.exec(select(Incident.slug)).one()
    assert browser.patch(f"/api/incidents/{tsubaki}", headers=AUTH,
                         json={"records_max": 9416, "reason": "final report"}).status_code == 200
    ingest_bytes(engine, uri="notice-2.txt", data=(HERE / "tsubaki_notice_2.txt").read_bytes())
    ingest_bytes(engine, uri="digest.txt", data=(HERE / "weekly_digest.txt").read_bytes())
    with Session(engine) as s:
        others = s.exec(select(Incident.slug).where(Incident.slug != tsubaki).order_by(col(Incident.id))).all()
    assert browser.patch(f"/api/incidents/{others[0]}", headers=AUTH,
                         json={"status": "investigating", "reason": "the notice says so"}).status_code == 200
    return {"tsubaki": tsubaki, "hedged": others[0], "other": others[1]}


def queue_page(browser, query: str = "") -> HTMLParser:
    answer = browser.get(f"/review{query}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    return HTMLParser(answer.text)


def test_the_queue_orders_by_need_with_counts_per_reason(browser, engine, store):
    sign_in(browser)
    page = queue_page(browser)
    slugs = [li.attributes["data-slug"] for li in page.css("ol.queue > li")]
    assert slugs[0] == store["tsubaki"]  # disagreement + a suggestion waiting
    first = [li.attributes["class"].split()[-1] for li in page.css("ol.queue > li")[0].css(".reasons li")]
    assert first[:2] == ["disagreement", "suggestion"]
    assert store["hedged"] in slugs
    counts = {n.attributes["data-reason"]: int(n.text()) for n in page.css(".queue-reasons .n")}
    assert counts["disagreement"] >= 1 and counts["suggestion"] == 1 and counts["uncertain"] >= 1
    for reason in REASONS:  # each count is the length of its own view
        only = queue_page(browser, f"?reason={reason}")
        items = only.css("ol.queue > li")
        assert len(items) == counts[reason]
        assert all(li.css_first(f".reasons li.{reason}") for li in items)
    with Session(engine) as s:
        whole = review_queue(s, Filters())
        assert [i.incident.slug for i in whole.items] == slugs
        scores = [whole.scores[i.incident.id] for i in whole.items]
        assert scores == sorted(scores, reverse=True)


def test_the_queue_takes_the_home_page_filters_and_reviewed_ones_leave_it(browser, store):
    sign_in(browser)
    page = queue_page(browser, "?q=椿")
    assert [li.attributes["data-slug"] for li in page.css("ol.queue > li")] == [store["tsubaki"]]
    assert browser.post(f"/api/incidents/{store['tsubaki']}/review", headers=AUTH,
                        json={"status": "reviewed", "reason": "checked"}).status_code == 200
    assert store["tsubaki"] not in [li.attributes["data-slug"] for li in queue_page(browser).css("ol.queue > li")]
    assert browser.post(f"/api/incidents/{store['hedged']}/review", headers=AUTH,
                        json={"status": "disputed", "reason": "doubtful"}).status_code == 200
    assert store["hedged"] in [li.attributes["data-slug"] for li in queue_page(browser).css("ol.queue > li")]


def test_the_queue_is_for_the_signed_in(browser, store):
    answer = browser.get("/review?reason=uncertain")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/login?next=%2Freview%3Freason%3Duncertain"


def test_the_public_list_json_csv_and_atom_filter_by_review_status(browser, store):
    browser.post(f"/api/incidents/{store['tsubaki']}/review", headers=AUTH, json={"status": "reviewed", "reason": "x"})
    browser.post(f"/api/incidents/{store['hedged']}/review", headers=AUTH, json={"status": "disputed", "reason": "y"})
    total = browser.get("/api/incidents").json()["count"]
    for status, slugs in (("reviewed", [store["tsubaki"]]), ("disputed", [store["hedged"]])):
        data = browser.get(f"/api/incidents?review={status}").json()
        assert [d["slug"] for d in data["data"]] == slugs and data["filters"]["review"] == status
        page = HTMLParser(browser.get(f"/?review={status}").text)
        assert [a.attributes["href"] for a in page.css("ol.incidents a.org")] == [f"/incidents/{s}" for s in slugs]
        assert review_label(status) in page.css_first(".chip").text()  # a chip removes it
        rows = browser.get(f"/incidents.csv?review={status}").text.splitlines()
        assert len(rows) == 2 and status in rows[1]
        feed = ET.fromstring(browser.get(f"/feed.atom?review={status}").content)
        entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
        assert len(entries) == 1
        terms = [c.get("term") for c in entries[0].findall("{http://www.w3.org/2005/Atom}category")]
        assert status in terms
    unreviewed = browser.get("/api/incidents?review=unreviewed").json()["count"]
    assert unreviewed == total - 2
    assert browser.get("/api/incidents?review=bogus").json()["count"] == total  # an unknown value selects nothing out
    facets = browser.get("/api/facets").json()["review"]
    assert {f["value"]: f["count"] for f in facets} == {"reviewed": 1, "disputed": 1, "unreviewed": total - 2}
    home = HTMLParser(browser.get("/").text)
    assert [a.attributes["href"] for a in home.css("nav.facets a.facet") if "review=" in a.attributes["href"]] == [
        "/?review=reviewed", "/?review=disputed", "/?review=unreviewed"]
    atom = ET.fromstring(browser.get("/feed.atom").content)
    for entry in atom.findall("{http://www.w3.org/2005/Atom}entry"):
        review = [c for c in entry.findall("{http://www.w3.org/2005/Atom}category") if c.get("scheme", "").endswith("?review=")]
        assert len(review) == 1 and review[0].get("term") in ("reviewed", "disputed", "unreviewed")
