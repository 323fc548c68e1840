"""The page and the API render one view (app.incidents), so they cannot disagree."""

from __future__ import annotations

from collections import Counter

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, select

from app.db import session_scope
from app.extract import Extracted
from app.ingest.files import ingest_file
from app.ingest.store import DocumentIn, content_hash, save_document
from app.models import Incident
from app.seed import load_if_empty
from tests.conftest import FIXTURES
from tests.web.test_web import slug_of

SECTIONS = {"同じ組織": "related_organization", "同じ委託先": "related_vendor"}


def related_on_page(html: str) -> dict[str, list[str]]:
    """Each related-incidents section of the incident page: its heading's key → the slugs listed."""
    out: dict[str, list[str]] = {}
    for h3 in LexborHTMLParser(html).css("article.incident-page h3"):
        key = next(v for k, v in SECTIONS.items() if h3.text().startswith(k))
        node = h3.next
        while node is not None and node.tag != "ol":
            node = node.next
        out[key] = [a.attributes["href"].removeprefix("/incidents/") for a in node.css("a.org")]
    return out


def slugs(links: list[dict]) -> list[str]:
    return [r["slug"] for r in links]


@pytest.fixture
def bundled(engine):
    """The bundled dataset: slug → incident."""
    load_if_empty(engine)
    with Session(engine) as s:
        return {i.slug: i for i in s.exec(select(Incident))}


@pytest.fixture
def notices(engine):
    """The notices of tests/fixtures, ingested: their slugs."""
    for path in sorted((FIXTURES / "notices").glob("*.txt")):
        ingest_file(engine, path)
    with Session(engine) as s:
        return [i.slug for i in s.exec(select(Incident))]


@pytest.fixture
def repeats(engine, bundled):
    """The bundled set, and ワコム hit three more times: twice through ショーケース (so they are
    related both ways), once with no date of disclosure."""
    reports = [("ransomware", "2024-03-01", "2024-04-10", "ショーケース"), ("misdelivery", "2025-06-01", None, None),
               ("loss_theft", "2019-01-10", "2019-02-01", "ショーケース")]
    for n, (kind, found, told, vendor) in enumerate(reports):
        facts = {"is_incident": True, "organization": "株式会社ワコム", "attack_type": kind,
                 "discovered_on": found, "disclosed_on": told, "vendor": vendor,
                 "supply_chain": bool(vendor), "service": f"別のサイト{n}"}
        text = f"株式会社ワコムのお知らせ（別件{n}）"
        with session_scope(engine) as s:
            save_document(s, doc=DocumentIn(uri=f"https://example.org/wacom/{n}", text=text,
                                            content_hash=content_hash(text.encode())), incidents=[Extracted.from_json(facts)])
    with Session(engine) as s:
        return {i.slug: i for i in s.exec(select(Incident))}


def test_page_and_api_list_the_same_related_incidents_in_the_same_order(client, repeats):
    bundled = repeats
    orgs = Counter(i.organization_id for i in bundled.values() if i.organization_id and not i.merged_into_id)
    chosen = [i for i in bundled.values() if not i.merged_into_id and (i.vendor or orgs[i.organization_id] > 1)]
    assert any(i.vendor for i in chosen) and any(orgs[i.organization_id] > 2 for i in chosen)
    both_ways = 0
    for inc in chosen:
        page = related_on_page(client.get(f"/incidents/{inc.slug}").text)
        api = client.get(f"/api/incidents/{inc.slug}").json()
        assert page.get("related_organization", []) == slugs(api["related_organization"]), inc.slug
        assert page.get("related_vendor", []) == slugs(api["related_vendor"]), inc.slug
        both = page.get("related_organization", []) + page.get("related_vendor", [])
        assert slugs(api["related"]) == list(dict.fromkeys(both)), inc.slug
        assert inc.slug not in both
        both_ways += len(both) > len(api["related"])
    assert both_ways, "an incident of the same organisation and vendor is listed twice on the page, once in related"
    wacom = [i for i in bundled.values() if "ワコム" in (i.organization or "") and not i.merged_into_id]
    undated = next(i for i in wacom if i.disclosed_on is None)
    other = next(i for i in wacom if i.disclosed_on is not None)
    listed = client.get(f"/api/incidents/{other.slug}").json()["related_organization"]
    assert [r["slug"] for r in listed][-1] == undated.slug  # unknown dates last, on every engine


def test_related_through_a_vendor_are_newest_first(client, bundled):
    api = client.get(f"/api/incidents/{slug_of(bundled, '日本出版販売')}").json()
    assert {slug_of(bundled, "カバーマーク"), slug_of(bundled, "エスビー食品")} <= set(slugs(api["related_vendor"]))
    dates = [r["disclosed_on"] for r in api["related_vendor"]]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True) and dates[:len(known)] == known


def test_page_and_api_give_the_same_legal_verdicts(client, notices):
    for slug in notices:
        api = client.get(f"/api/incidents/{slug}").json()
        if api["slug"] != slug:
            continue  # merged away: its page redirects
        for lang in ("ja", "en"):
            page = LexborHTMLParser(client.get(f"/incidents/{slug}" + ("?lang=en" if lang == "en" else "")).text)
            shown = [(li.attributes["class"].split()[1], li.css_first("strong").text())
                     for li in page.css("li.check")]
            assert shown == [(c["verdict"], c["text"][lang]["rule"]) for c in api["legal_checks"]], slug
    hana = next(s for s in notices if "hana-mizuki" in s)
    checks = client.get(f"/api/incidents/{hana}").json()["legal_checks"]
    assert [c["rule"] for c in checks] == ["required", "preliminary", "final"]
    assert checks[1]["verdict"] == "on_time" and checks[1]["gap_days"] == 4
    assert checks[2]["window_days"] == 60  # a malicious case


def test_page_and_api_give_the_same_timeline(client, notices):
    slug = next(s for s in notices if "hana-mizuki" in s)
    page = LexborHTMLParser(client.get(f"/incidents/{slug}").text)
    shown = [t.attributes["datetime"] for t in page.css("ol.steps time")]
    assert shown == [s["date"] for s in client.get(f"/api/incidents/{slug}").json()["steps"]]


def test_org_and_vendor_pages_and_api_list_the_same_incidents(client, bundled):
    from app.text import slugify

    for path in ("/orgs/wakomu", f"/vendors/{slugify('ショーケース')}"):
        page = LexborHTMLParser(client.get(path).text)
        listed = [a.attributes["href"].removeprefix("/incidents/") for a in page.css("ol.incidents a.org")]
        assert listed and listed == slugs(client.get(f"/api{path}").json()["incidents"]), path


def test_history_shows_each_source_value(client, notices):
    slug = next(s for s in notices if "hana-mizuki" in s)
    history = client.get(f"/api/incidents/{slug}").json()["history"]
    assert history["organization"] and all(v["chosen"] in (True, False) for v in history["organization"])
    assert sum(v["chosen"] for v in history["organization"]) == 1


@pytest.mark.parametrize("query", ["", "type=ransomware&lang=en", "q=漏えい&card=yes", "year=2022&review=unreviewed"])
def test_filter_panel_and_api_list_every_facet_alike(client, repeats, query):
    """Each FACETS entry is one panel on the page and one list in /api/facets, with the same
    values and counts: a facet is added in one place."""
    from app import i18n
    from app.search import FACETS

    lang = "en" if "lang=en" in query else "ja"
    api = client.get(f"/api/facets?{query}").json()
    nav = LexborHTMLParser(client.get(f"/?{query}").text).css_first("nav.facets")
    titles = [h.text() for h in nav.css("h2.facet-title")]
    assert titles == [i18n.text(f.title, lang) for f in FACETS]
    assert set(api) == {f.api_key for f in FACETS}
    for facet, ul in zip(FACETS, nav.css("ul"), strict=True):
        shown = {}
        for item in ul.css(".facet"):
            count = item.css_first("span.n")
            if count is not None:
                shown[item.text().removesuffix(count.text()).strip()] = int(count.text())
        listed = {v["label"]: v["count"] for v in api[facet.api_key]}
        # the panel leaves out what no incident holds where the facet says so; the rest agree
        assert shown == {k: n for k, n in listed.items() if n or not facet.hide_zero}, facet.key
        for item in ul.css("a.facet[aria-current]"):  # a chosen value's link removes it
            assert f"{facet.key}=" not in item.attributes["href"]
