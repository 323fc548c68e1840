"""The indexes (#15): /orgs (repeat offenders first) and /vendors (victims per vendor), their
JSON, htmx paging and sort, and the links that lead to them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import text
from sqlmodel import Session, col, select

from app import directory, search
from app.db import session_scope
from app.models import Incident
from app.synth import synthesize
from app.text import slugify

# Two spellings of one vendor (one slug); the incident merged away must count nowhere.
SPELLINGS = ("株式会社ペイリンク", "ペイリンク株式会社")


@pytest.fixture
def store(engine):
    with session_scope(engine) as s:
        synthesize(s, count=240, seed=7)
    with session_scope(engine) as s:
        paylink = s.exec(select(Incident).where(Incident.vendor == SPELLINGS[0])
                         .order_by(col(Incident.id))).all()
        assert len(paylink) >= 2, "the synthetic data names the vendor"
        # One organisation hit under both spellings counts once; a merged incident not at all.
        twin = Incident(slug="twin", organization_id=paylink[0].organization_id,
                        organization=paylink[0].organization, vendor=SPELLINGS[1],
                        attack_type="web_skimming", disclosed_on=date(2030, 1, 1))
        gone = Incident(slug="gone", organization_id=paylink[1].organization_id, vendor="消えた委託先株式会社",
                        merged_into_id=paylink[1].id, records_max=10**9)
        s.add(twin)
        s.add(gone)
        search.bump_stamp(s)
    return engine


def all_rows(client, kind: str, **params) -> list[dict]:
    rows, page = [], 1
    while True:
        body = client.get(f"/api/{kind}", params={**params, "page": page}).json()
        rows += body["data"]
        if page >= body["pages"]:
            return rows
        page += 1


def test_orgs_are_ordered_as_an_sql_aggregate_over_the_store_says(client, store):
    with Session(store) as s:
        expected = {slug: (n, None if records is None else int(records), str(last) if last else None)
                    for slug, n, records, last in s.execute(text(
            "SELECT o.slug, COUNT(i.id), SUM(i.records_max), MAX(COALESCE(i.disclosed_on, i.discovered_on)) "
            "FROM organization o JOIN incident i ON i.organization_id = o.id "
            "WHERE i.merged_into_id IS NULL GROUP BY o.id, o.slug"))}
    rows = all_rows(client, "orgs")
    assert all(isinstance(r["records_total"], int | None) for r in rows)  # a sum, not a string
    assert len(rows) == len(expected) == client.get("/api/orgs").json()["count"]
    assert {r["slug"]: (r["incidents"], r["records_total"], r["last_incident_on"]) for r in rows} == expected
    # Repeat offenders first: incidents, then records (unknown last), then the latest incident.
    keys = [(-r["incidents"], r["records_total"] is None, -(r["records_total"] or 0),
             r["last_incident_on"] is None, "".join(chr(0x10FFFF - ord(c)) for c in r["last_incident_on"] or ""))
            for r in rows]
    assert keys == sorted(keys)
    assert rows[0]["incidents"] == max(n for n, _, _ in expected.values()) > 1
    by_records = all_rows(client, "orgs", sort="records")
    known = [r["records_total"] for r in by_records if r["records_total"] is not None]
    assert known == sorted(known, reverse=True) and by_records[-1]["records_total"] is None or not known
    assert sorted(r["slug"] for r in by_records) == sorted(expected)


def test_vendors_count_each_organisation_once_under_every_spelling(client, store):
    with Session(store) as s:
        live = s.exec(select(Incident).where(col(Incident.vendor).is_not(None), col(Incident.merged_into_id).is_(None))).all()
    victims: dict[str, set] = defaultdict(set)
    incidents: dict[str, int] = defaultdict(int)
    for inc in live:
        victims[slugify(inc.vendor)].add(inc.organization_id)
        incidents[slugify(inc.vendor)] += 1
    rows = all_rows(client, "vendors")
    assert {r["slug"]: (r["organizations"], r["incidents"]) for r in rows} == {
        v: (len(orgs), incidents[v]) for v, orgs in victims.items()}
    assert [r["organizations"] for r in rows] == sorted((r["organizations"] for r in rows), reverse=True)
    paylink = next(r for r in rows if r["slug"] == slugify(SPELLINGS[0]))
    assert paylink["name"] == min(SPELLINGS) and paylink["last_incident_on"] == "2030-01-01"
    assert not any(r["name"] == "消えた委託先株式会社" for r in rows)
    assert client.get(paylink["url"]).status_code == 200


@pytest.mark.parametrize("kind", ["orgs", "vendors"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_index_pages_list_the_api_rows_in_both_languages(client, store, kind, lang):
    params = {"lang": "en"} if lang == "en" else {}
    response = client.get(f"/{kind}", params=params)
    assert response.status_code == 200
    page = LexborHTMLParser(response.text)
    assert page.css_first("html").attributes["lang"] == lang
    listed = [a.attributes["href"] for a in page.css("table.index tbody th a")]
    api = client.get(f"/api/{kind}").json()["data"]
    suffix = "?lang=en" if lang == "en" else ""
    assert listed == [r["url"] + suffix for r in api]
    nxt = page.css_first('.pager a[rel="next"]')
    if nxt is not None:
        assert nxt.attributes["href"] == f"/{kind}?page=2" + ("&lang=en" if lang == "en" else "")
    assert page.css_first(f'nav.site-nav a[href="/{kind}{suffix}"]').attributes.get("aria-current") == "page"


def test_sort_and_page_swap_the_table_and_name_the_tab(client, store):
    full = client.get("/orgs", params={"sort": "name", "page": 2, "lang": "en"})
    assert "<title>Organisations, repeat offenders first · By name · page 2 | Rouei</title>" in full.text
    swap = client.get("/orgs", params={"sort": "name", "page": 2, "lang": "en"}, headers={"HX-Request": "true"})
    assert swap.status_code == 200 and "<header" not in swap.text
    fragment = LexborHTMLParser(swap.text)
    assert swap.text.lstrip().startswith("<title>Organisations, repeat offenders first · By name · page 2")
    api = client.get("/api/orgs", params={"sort": "name", "page": 2}).json()
    assert [a.attributes["href"] for a in fragment.css("table.index tbody th a")] == [
        r["url"] + "?lang=en" for r in api["data"]]
    assert fragment.css_first("#index-sort option[selected]").attributes["value"] == "name"
    assert fragment.css_first('.pager a[rel="prev"]').attributes["href"] == "/orgs?sort=name&lang=en"


@pytest.mark.parametrize("path", ["/orgs?page=abc&sort=%00", "/orgs?page=99999999999999999999",
                                  "/vendors?sort=<x>&page=-3", "/vendors?page=10000"])
def test_garbled_paging_is_page_one_or_the_last(client, store, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/api/orgs?page=0", "/api/orgs?sort=biggest", "/api/vendors?page=x",
                                  "/api/vendors?page=1&page=2"])
def test_the_api_refuses_what_it_cannot_answer(client, store, path):
    assert client.get(path).status_code == 422


def test_an_empty_store_has_empty_indexes(client):
    for kind in ("orgs", "vendors"):
        assert client.get(f"/api/{kind}").json() == {"data": [], "count": 0, "page": 1, "pages": 1,
                                                     "sort": directory.ORG_SORTS[0] if kind == "orgs" else "victims"}
        page = LexborHTMLParser(client.get(f"/{kind}", params={"lang": "en"}).text)
        assert page.css_first("p.empty") is not None


def test_incident_organisation_and_vendor_pages_link_the_indexes(client, store):
    with Session(store) as s:
        inc = s.exec(select(Incident).where(Incident.vendor == SPELLINGS[0])).first()
        org_slug = s.execute(text("SELECT slug FROM organization WHERE id = :i"), {"i": inc.organization_id}).scalar()
    for path in (f"/incidents/{inc.slug}", f"/orgs/{org_slug}", f"/vendors/{slugify(SPELLINGS[0])}"):
        page = LexborHTMLParser(client.get(path, params={"lang": "en"}).text)
        crumbs = {a.attributes["href"] for a in page.css(".crumbs a")}
        assert {"/orgs?lang=en", "/vendors?lang=en"} <= crumbs, path
        assert {"/orgs?lang=en", "/vendors?lang=en"} <= {a.attributes["href"] for a in page.css("nav.site-nav a")}


def test_a_write_shows_at_once(client, store):
    """The pages are kept under the search stamp; a write replaces it, so the next view counts it."""
    before = {r["slug"]: r["incidents"] for r in all_rows(client, "orgs")}
    last = min(before, key=lambda slug: (before[slug], slug))
    with session_scope(store) as s:
        org_id = s.execute(text("SELECT id FROM organization WHERE slug = :s"), {"s": last}).scalar()
        for n in range(max(before.values()) + 1):
            s.add(Incident(slug=f"again-{n}", organization_id=org_id, attack_type="other"))
        search.bump_stamp(s)
    top = client.get("/api/orgs").json()["data"][0]
    assert top["slug"] == last and top["incidents"] == before[last] + max(before.values()) + 1
