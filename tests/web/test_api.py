"""Every view as data: the JSON API, CSV and Atom answer the same filters as the pages."""

from __future__ import annotations

import csv
import io
import re

import feedparser
import pytest

from app.db import session_scope
from app.extract import Extracted
from app.ingest.store import DocumentIn, content_hash, save_document

ORGS = [
    # (organisation, type, discovered, disclosed, records, vendor)
    ("株式会社あおば商会", "web_skimming", "2022-03-01", "2022-07-15", 3000, "フォーム支援社"),
    ("株式会社いろは堂", "web_skimming", "2022-05-10", "2022-09-01", 120, "フォーム支援社"),
    ("うみべ市", "misdelivery", "2023-01-05", "2023-01-06", 48, None),
    ("株式会社えがお精工", "ransomware", "2023-06-01", "2023-06-20", None, None),
    ("おおぞら大学", "misconfiguration", "2021-11-11", "2022-01-20", 2500, None),
    ("株式会社かえで物産", "account_takeover", "2024-02-02", "2024-02-28", 15000, None),
    ("きらら病院", "ransomware", "2024-08-01", None, 90000, None),
    ("株式会社くすのき", "unauthorized_access", None, "2021-04-01", 7, "保守委託社"),
    ("=HYPERLINK(\"http://x\")株式会社", "other", None, None, None, None),
    ("けやき町", "loss_theft", "2022-12-24", "2023-01-10", 30, None),
]


@pytest.fixture
def dataset(engine):
    for n, (org, kind, found, told, records, vendor) in enumerate(ORGS):
        facts = {"is_incident": True, "organization": org, "attack_type": kind,
                 "discovered_on": found, "disclosed_on": told, "records_max": records,
                 "vendor": vendor, "supply_chain": bool(vendor), "leaked_items": ["氏名"],
                 "evidence": {"organization": [0, 3]}, "events": [{"type": "disclosed", "date": told, "evidence": [0, 3]}]}
        with session_scope(engine) as s:
            text = f"{org}のお知らせ{n}"
            save_document(s, doc=DocumentIn(uri=f"https://example.org/{n}", text=text,
                                            content_hash=content_hash(text.encode())), incidents=[Extracted.from_json(facts)])
    return engine


def page_slugs(client, qs: str) -> list[str]:
    html = client.get(f"/?{qs}").text
    results = html[html.index('id="results"'):]
    return list(dict.fromkeys(re.findall(r'href="/incidents/([^"#?]+)"', results)))


def api_slugs(client, qs: str) -> list[str]:
    return [d["slug"] for d in client.get(f"/api/incidents?{qs}&limit=200").json()["data"]]


def csv_slugs(client, qs: str) -> list[str]:
    text = client.get(f"/incidents.csv?{qs}").content.decode("utf-8-sig")
    return [row["slug"] for row in csv.DictReader(io.StringIO(text))]


COMBINATIONS = [
    "", "type=web_skimming", "type=ransomware", "type=web_skimming&type=ransomware",
    "type=misdelivery&type=loss_theft&type=insider", "year=2022", "year=2023", "year=1999",
    "type=web_skimming&year=2022", "vendor=フォーム支援社", "vendor=保守委託社&type=unauthorized_access",
    "q=あおば", "q=大学", "q=株式会社", "q=株式会社+えがお", "sort=delay", "sort=records",
    "sort=records&type=ransomware", "type=nonsense", "q=存在しない組織",
]


@pytest.mark.parametrize("qs", COMBINATIONS)
def test_page_api_and_csv_list_the_same_incidents(client, dataset, qs):
    from_api = api_slugs(client, qs)
    assert page_slugs(client, qs) == from_api
    assert csv_slugs(client, qs) == from_api


def test_api_pages_with_a_cursor_through_every_incident(client, dataset):
    seen, cursor = [], None
    while True:
        answer = client.get("/api/incidents", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [d["slug"] for d in answer["data"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(ORGS) == answer["count"]


@pytest.mark.parametrize("qs, status", [
    ("cursor=%%%", 422), ("cursor=eyJvIjogM30&limit=2", 422), ("limit=0", 422), ("limit=100000", 422),
    ("fields=nope", 422), ("fields=slug,nope", 422), ("fields=slug,organization", 200),
    ("fields= slug , ,organization,", 200), ("limit=5&limit=500", 422), ("type=ransomware&type=phishing", 200),
])
def test_api_rejects_bad_parameters_clearly(client, dataset, qs, status):
    response = client.get(f"/api/incidents?{qs}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")


def test_every_api_422_names_its_fields_in_the_documented_shape(client, dataset):
    for qs, field in [("limit=201", "limit"), ("cursor=x", "cursor"), ("fields=nope", "fields"),
                      ("limit=5&limit=6", "limit")]:
        body = client.get(f"/api/incidents?{qs}").json()
        assert set(body) == {"detail", "errors"} and body["detail"] == f"invalid request: {field}"
        assert [e["field"] for e in body["errors"]] == [field] and body["errors"][0]["message"]


def test_a_cursor_made_with_another_limit_starts_at_the_page_holding_it(client, dataset):
    everything = [d["slug"] for d in client.get("/api/incidents?limit=200").json()["data"]]
    answer = client.get("/api/incidents?limit=2&cursor=3").json()
    assert [d["slug"] for d in answer["data"]] == everything[2:4]
    assert answer["next_cursor"] == (4 if len(everything) > 4 else None)


def test_fields_chooses_the_columns(client, dataset):
    row = client.get("/api/incidents?fields=organization,records_max").json()["data"][0]
    assert set(row) == {"slug", "organization", "records_max"}


def test_incident_detail_has_sources_evidence_and_events(client, dataset):
    slug = api_slugs(client, "q=あおば")[0]
    detail = client.get(f"/api/incidents/{slug}").json()
    assert detail["organization"] == "株式会社あおば商会"
    assert detail["delay_days"] == 136
    assert detail["sources"][0]["uri"] == "https://example.org/0"
    assert detail["sources"][0]["evidence"]["organization"] == [0, 3]
    assert "text" not in detail["sources"][0]
    assert detail["events"][0]["type"] == "disclosed"
    assert [r["organization"] for r in detail["related"]] == ["株式会社いろは堂"]


def test_unknown_things_are_json_404s(client, dataset):
    for path in ("/api/incidents/nope", "/api/orgs/nope", "/api/vendors/nope"):
        response = client.get(path)
        assert response.status_code == 404 and "detail" in response.json()


def test_org_and_vendor(client, dataset):
    slug = api_slugs(client, "q=あおば")[0]
    detail = client.get(f"/api/incidents/{slug}").json()
    vendors = client.get("/api/facets").json()["vendor"]
    assert {v["value"]: v["count"] for v in vendors} == {"フォーム支援社": 2, "保守委託社": 1}
    from app.text import slugify

    vendor = client.get(f"/api/vendors/{slugify('フォーム支援社')}").json()
    assert vendor["organizations"] == ["株式会社あおば商会", "株式会社いろは堂"]
    assert detail["slug"] in [i["slug"] for i in vendor["incidents"]]


def test_facets_match_the_home_page_counts(client, dataset):
    facets = client.get("/api/facets?type=web_skimming").json()
    kinds = {f["value"]: f["count"] for f in facets["attack_type"]}
    assert kinds["web_skimming"] == 2 and kinds["ransomware"] == 2, "a facet ignores its own filter"
    assert {f["value"]: f["count"] for f in facets["year"]} == {"2022": 2}
    assert {f["value"]: f["count"] for f in facets["card"]} == {"yes": 0, "no": 2}


def test_stats_give_counts_and_median_delays(client, dataset):
    rows = client.get("/api/stats").json()["data"]
    skimming = [r for r in rows if r["attack_type"] == "web_skimming" and r["year"] == 2022]
    assert skimming == [{"attack_type": "web_skimming", "year": 2022, "incidents": 2, "with_delay": 2,
                         "median_delay_days": (136 + 114) / 2, "records_total": 3120,
                         "records_unknown": 0}]


def test_reads_carry_etag_and_cache_control_and_answer_304(client, dataset):
    first = client.get("/api/incidents")
    assert first.headers["cache-control"].startswith("public")
    again = client.get("/api/incidents", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_cors_allows_reading_from_any_site(client, dataset):
    response = client.get("/api/incidents", headers={"Origin": "https://elsewhere.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_csv_is_excel_friendly_and_neutralises_formulas(client, dataset):
    response = client.get("/incidents.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(ORGS)
    risky = [r for r in rows if "HYPERLINK" in r["organization"]]
    assert risky[0]["organization"].startswith("'=")


def test_atom_feed_is_valid_and_follows_filters(client, dataset):
    feed = feedparser.parse(client.get("/feed.atom").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(ORGS)
    ransomware = feedparser.parse(client.get("/feed.atom?type=ransomware").content)
    assert not ransomware.bozo
    assert {e.link.rsplit("/", 1)[1] for e in ransomware.entries} == set(api_slugs(client, "type=ransomware"))
    assert all(e.tags[0].term == "ransomware" for e in ransomware.entries)


def test_atom_survives_hostile_text(client, engine):
    facts = {"is_incident": True, "organization": "<script>alert(1)</script>\x07株式会社\u202e", "attack_type": "other"}
    with session_scope(engine) as s:
        save_document(s, doc=DocumentIn(uri="x", text="x", content_hash=content_hash(b"x")),
                      incidents=[Extracted.from_json(facts)])
    body = client.get("/feed.atom").content
    assert b"<script>" not in body
    feed = feedparser.parse(body)
    assert not feed.bozo and "alert(1)" in feed.entries[0].title


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    assert "/api/incidents" in spec["paths"]
    assert spec["paths"]["/api/incidents"]["get"]["description"]
    assert client.get("/docs").status_code == 200


def test_every_declared_filter_is_read(client, dataset):
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/api/incidents", "/api/facets", "/api/stats"):
        params = {p["name"]: p for p in spec[path]["get"]["parameters"]}
        assert {"q", "type", "year", "vendor", "card", "sort"} <= set(params), path
        assert all(params[n].get("description") for n in ("q", "type", "year", "vendor", "card", "sort"))
    answers = {
        "q=あおば": {"株式会社あおば商会"},
        "type=ransomware": {"株式会社えがお精工", "きらら病院"},
        "year=2021": {"株式会社くすのき"},
        "vendor=保守委託社": {"株式会社くすのき"},
        "card=yes": set(),
    }
    for qs, orgs in answers.items():
        body = client.get(f"/api/incidents?{qs}").json()
        assert {r["organization"] for r in body["data"]} == orgs, qs
    assert client.get("/api/incidents?card=yes").json()["filters"]["card"] == "yes"
    by_delay = [r["slug"] for r in client.get("/api/incidents?sort=delay").json()["data"]]
    assert by_delay != [r["slug"] for r in client.get("/api/incidents").json()["data"]]
