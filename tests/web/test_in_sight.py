"""#15, in sight: every view links its data (CSV, JSON, Atom) with its query string, pages in
the reader's language (errors and plurals too), the tab names the view, snippets are one
passage, and what is not known is not shown as a fact."""

from __future__ import annotations

import csv
import io
import re
import string
from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, select

from app import chronology, i18n, taxonomy
from app.incidents import timeline_steps
from app.models import Incident, Organization
from app.search.snippets import _render
from app.seed import load_if_empty
from app.text import slugify


@pytest.fixture
def seeded(engine):
    load_if_empty(engine)
    return engine


def page_of(client, path: str, **params) -> LexborHTMLParser:
    response = client.get(path, params=params)
    assert response.status_code == 200, path
    return LexborHTMLParser(response.text)


def exports(page: LexborHTMLParser) -> dict[str, str]:
    return {a.attributes["type"]: a.attributes["href"] for a in page.css(".exports a")}


@pytest.mark.parametrize("query", ["type=web_skimming&year=2022", "q=%E3%82%AB%E3%83%BC%E3%83%89&card=yes",
                                   "vendor=%E3%82%B7%E3%83%A7%E3%83%BC%E3%82%B1%E3%83%BC%E3%82%B9&sort=records", ""])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_filtered_view_links_its_csv_json_and_atom_with_its_query(client, seeded, query, lang):
    path = "/?" + query + ("&lang=en" if lang == "en" else "")
    page = LexborHTMLParser(client.get(path).text)
    links = exports(page)
    suffix = "?" + query if query else ""
    assert links["text/csv"] == "/incidents.csv" + suffix
    assert links["application/json"] == "/api/incidents" + suffix
    assert links["application/atom+xml"].startswith("/feed.atom")
    shown = len(page.css("ol.incidents li.incident"))
    api = client.get(links["application/json"]).json()
    assert [f"/incidents/{i['slug']}" for i in api["data"]][:shown] == [
        a.attributes["href"].removesuffix("?lang=en") for a in page.css("ol.incidents a.org")]
    rows = list(csv.DictReader(io.StringIO(client.get(links["text/csv"]).content.decode("utf-8-sig"))))
    assert len(rows) == api["count"]


def test_organisation_and_vendor_pages_link_their_data(client, seeded):
    with Session(seeded) as s:
        org = s.exec(select(Organization).order_by(Organization.id)).first()
        vendor = s.exec(select(Incident.vendor).where(Incident.vendor.is_not(None))).first()
    for path, n in ((f"/orgs/{org.slug}", None), (f"/vendors/{slugify(vendor)}", None)):
        links = exports(page_of(client, path))
        api = client.get(links["application/json"])
        assert api.status_code == 200
        n = len(api.json()["incidents"])
        table = client.get(links["text/csv"])
        assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
        assert len(list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))) == n > 0
        assert client.get(links["application/atom+xml"]).status_code == 200
    assert client.get("/orgs/no-such-org/incidents.csv").status_code == 404
    assert client.get("/vendors/no-such-vendor/incidents.csv").status_code == 404


@pytest.mark.parametrize(("path", "ja", "en"), [
    ("/no/such/page", "ページが見つかりません", "Page not found"),
    ("/orgs/no-such-org", "この組織は見つかりません", "No such organisation"),
    ("/vendors/no-such-vendor", "この委託先は見つかりません", "No such vendor"),
    ("/incidents/no-such-incident", "この事案は見つかりません", "No such incident"),
])
def test_not_found_pages_speak_the_pages_language(client, path, ja, en):
    for lang, words in (("ja", ja), ("en", en)):
        response = client.get(path, params={"lang": lang} if lang == "en" else {})
        assert response.status_code == 404
        page = LexborHTMLParser(response.text)
        assert page.css_first("html").attributes["lang"] == lang
        assert words in page.css_first("main").text()


def test_the_tab_names_the_view(client, seeded):
    assert "<title>Rouei 漏えい — 国内の情報漏えい事案</title>" in client.get("/").text
    full = client.get("/?type=ransomware&year=2023&sort=delay&lang=en").text
    assert "<title>Ransomware · 2023 · Longest delay | Rouei</title>" in full
    swap = client.get("/?type=ransomware&year=2023", headers={"HX-Request": "true"}).text
    assert swap.lstrip().startswith("<title>ランサムウェア · 2023年 | Rouei</title>")  # htmx retitles the tab


def test_the_filter_panel_says_how_many_filters_are_on(client, seeded):
    page = page_of(client, "/", type=["ransomware", "malware"], year="2023", lang="en")
    panel = page.css_first("details.facets-panel")
    assert "open" in panel.attributes  # open without JavaScript
    assert panel.css_first("summary").text(separator=" ").split() == ["Filters", "3", "active"]
    assert panel.css_first("nav.facets") is not None
    assert page_of(client, "/").css_first("details.facets-panel summary .n-active") is None


def test_the_language_link_keeps_the_filters(client, seeded):
    page = page_of(client, "/", type="ransomware", year="2023")
    assert page.css_first("a[data-lang-switch]").attributes["href"] == "/?type=ransomware&year=2023&lang=en"
    page = page_of(client, "/orgs", sort="name", lang="en")
    assert page.css_first("a[data-lang-switch]").attributes["href"] == "/orgs?sort=name"


def every_text_with(value: object) -> dict[str, str]:
    out = {}
    for key in i18n.TEXT:
        names = {name for _, name, _, _ in string.Formatter().parse(i18n.TEXT[key][1]) if name}
        out[key] = i18n.text(key, "en", **dict.fromkeys(names, value))
    return out


def test_english_says_one_of_a_thing_in_the_singular():
    for key, said in every_text_with(1).items():
        assert not re.search(r"(?<![\d,.])1 (incident|day|source|document|organisation|vendor|record|item|page|"
                             r"report|hit|filter)s\b", said), (key, said)
        assert not re.search(r"\b1 \w+ (are|lack|have)\b", said), (key, said)
    assert i18n.text("results", "en", n=1) == "1 incident"
    assert i18n.text("results", "en", n=2) == "2 incidents"
    assert i18n.text("source_gave_detail", "en", d=1, i=3) == "1 document, 3 incidents"
    assert i18n.text("results", "ja", n=1) == "1 件の事案"


def test_every_event_type_has_words_in_both_languages(client, seeded):
    for kind in taxonomy.EVENT_TYPES:
        ja, en = i18n.event_label(kind, "ja"), i18n.event_label(kind, "en")
        assert ja and en and kind not in (ja, en)
    assert set(i18n.EVENT_LABELS) == set(taxonomy.EVENT_TYPES)
    with Session(seeded) as s:
        slug = s.exec(select(Incident.slug).where(Incident.slug.contains("wakomu"))).first()
    for lang in ("ja", "en"):
        events = page_of(client, f"/incidents/{slug}", **({"lang": "en"} if lang == "en" else {})).css("details.events li")
        assert events
        for li in events:
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", li.text()), li.text()


def test_no_english_sentence_carries_an_iso_date():
    _rule, said = i18n.deadline_text("final", "施行規則第8条第2項", "late", 30, 60, date(2023, 1, 10),
                                     date(2023, 2, 9), date(2023, 3, 1), None, "en")
    assert "9 Feb 2023" in said and "2023-02-09" not in said


# ---- what is not known is not shown as a fact ----


def totals_of(page: LexborHTMLParser) -> dict[str, str]:
    dl = page.css_first("dl.totals")
    return {dt.text(): dd.text() for dt, dd in zip(dl.css("dt"), dl.css("dd"), strict=True)}


def test_an_unknown_sum_is_unknown_not_zero(client, engine):
    with Session(engine) as s:
        org = Organization(name="株式会社フメイ", core_name="フメイ", slug="fumei", match_key="fumei")
        s.add(org)
        s.flush()
        s.add(Incident(slug="fumei-1", organization_id=org.id, organization=org.name))
        s.commit()
    facts = totals_of(page_of(client, "/orgs/fumei"))
    assert facts["カード情報"] == "不明" and facts["件数の合計（判明分）"] == "不明"
    assert facts["最初と最後"] == "日付不明"
    assert "不明 〜 不明" not in page_of(client, "/incidents/fumei-1").css_first("dl.facts").text()
    english = totals_of(page_of(client, "/orgs/fumei", lang="en"))
    assert english["Card records"] == "unknown"


def test_many_repeats_are_one_summary(client, engine):
    with Session(engine) as s:
        org = Organization(name="株式会社マタ", core_name="マタ", slug="mata", match_key="mata")
        s.add(org)
        s.flush()
        for n, day in enumerate([date(2020, 1, 1), date(2020, 1, 11), date(2020, 2, 1), date(2021, 2, 1)]):
            s.add(Incident(slug=f"mata-{n}", organization_id=org.id, disclosed_on=day, card_records=10 * n))
        s.commit()
    facts = totals_of(page_of(client, "/orgs/mata"))
    assert facts["再発"] == "4回の事案。間隔は中央値21日（最短10日・最長366日）"
    assert facts["カード情報"] == "60"
    english = totals_of(page_of(client, "/orgs/mata", lang="en"))
    assert english["Repeats"] == "4 incidents; median 21 days between them (from 10 to 366)"


def test_an_impossible_order_is_flagged_not_drawn(client, engine):
    inc = Incident(slug="x", discovered_on=date(2022, 8, 19), containment_on=date(2022, 4, 19),
                   exposure_from=date(2021, 2, 22), exposure_to=date(2022, 4, 19), disclosed_on=date(2022, 11, 21))
    conflicts = chronology.impossible_orders(inc)
    assert [(c.earlier, c.later, c.days) for c in conflicts] == [("discovered_on", "containment_on", 122)]
    steps = chronology.drawable(timeline_steps(inc, []), conflicts)
    assert [s.key for s in steps] == ["exposure_from", "exposure_to", "discovered_on", "disclosed_on"]
    assert [s.gap for s in steps] == [None, 421, 122, 94]
    assert chronology.impossible_orders(Incident(slug="y", discovered_on=date(2022, 1, 1),
                                                 containment_on=date(2022, 1, 1))) == []
    with Session(engine) as s:
        s.add(Incident(slug="x", discovered_on=inc.discovered_on, containment_on=inc.containment_on,
                       disclosed_on=inc.disclosed_on))
        s.commit()
    page = page_of(client, "/incidents/x", lang="en")
    assert "Contained (19 Apr 2022) comes before Discovered (19 Aug 2022)" in page.css_first(".conflict").text()
    assert "Contained" not in page.css_first("ol.steps").text()


# ---- snippets ----


def test_a_snippet_starts_at_an_edge_not_inside_a_word():
    body = "Misdelivery of the notice to the wrong address, then the クレジットカード番号 of 12 customers"
    shown = str(_render(body, [(body.index("カード"), body.index("カード") + 3)]))
    assert shown.startswith("…then the クレジット<mark>カード</mark>") or shown.startswith("…クレジット")
    long = "x" * 200 + " 漏えい " + "y" * 10
    assert str(_render(long, [(201, 204)])).startswith("…<mark>漏えい</mark>")


def test_a_snippet_on_the_bundled_data_is_one_field_not_a_dump(client, seeded):
    page = page_of(client, "/", q="カード")
    snippets = [p.text() for p in page.css("p.snippet")]
    assert snippets
    for said in snippets:
        assert "Payment-page skimming" not in said and "決済画面改ざん" not in said, said
    assert not page_of(client, "/", q="skimming").css("p.snippet")  # only the type's label matched (no name holds it)
