"""Hostile notices: markup, script URLs, CSS, spreadsheet formulas and bidi controls inside the
data stay inert on every surface; and the caps on what one request may ask for.

The fixtures under ``fixtures/hostile/`` are invented notices that the parser reads as
incidents; their service names, titles and text carry the hostile strings. The parser will not
take markup into an organisation or vendor name or a leaked item, but ``rouei import`` and the
write endpoints store whatever they are given, so the ``hostile`` fixture also puts hostile
text into those fields, as an import would. HTML is asserted by parsing it with lexbor (what a
browser builds), not by looking for substrings.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, col, select

from app import search
from app.db import session_scope
from app.ingest.files import ingest_file
from app.models import Incident, IncidentSource, Organization, Source
from app.text import slugify
from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"

SCRIPT = "<script>alert(1)</script>"
JS_LINK = '<a href="javascript:alert(1)">'
ONERROR = "<img src=x onerror=alert(1)>"
MOUSEOVER = '" onmouseover="alert(1)'
STYLE = "<style>body{display:none}</style>"
FORMULA = "=cmd|' /C calc'!A0"

# Names an import could carry: none of them is something the parser would extract.
ORG_NAME = f"株式会社{SCRIPT}ユウナギ"
ORG_ALIAS = f'ユウナギ{MOUSEOVER}" x="'
VENDOR = f'{JS_LINK}ハクロ</a>システムズ'
BIDI_ORG = "株式会社トバリ\u202e貨雑\u202c"
ITEMS = [ONERROR, MOUSEOVER, STYLE, "\t" + FORMULA, "氏名"]
FORMULA_FIELDS = {  # csv_formula.txt: one neutralised cell per trigger character
    "organization": "+SUM(1+1)*cmd|' /C calc'!A0",
    "organization_core": "-2+3+cmd|' /C calc'!A0",
    "vendor": "@SUM(1+1)*cmd|' /C calc'!A0",
    "leaked_items": ["\r" + FORMULA, "氏名"],
}

# Bidi embeddings, overrides, isolates and marks, and the zero-width characters that hide text.
BIDI = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")

# Every element the app's own templates make; markup from the data would add others.
APP_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "span", "header", "nav", "main",
    "footer", "p", "h1", "h2", "h3", "section", "form", "label", "input", "select", "option",
    "button", "div", "ol", "ul", "li", "time", "mark", "dl", "dt", "dd", "strong", "details",
    "summary", "code", "figure", "figcaption", "noscript", "article",
}
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background")


def scheme_of(url: str) -> str:
    """The scheme a browser would see: it drops ASCII whitespace and controls first."""
    squeezed = re.sub(r"[\x00-\x20]", "", url).lower()
    return squeezed.split(":", 1)[0] if ":" in squeezed.split("/", 1)[0] else ""


def inert(html: str) -> LexborHTMLParser:
    """Parse a page or fragment and assert nothing in it can run or restyle the page."""
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False):
        attrs = node.attributes
        assert node.tag in APP_TAGS, f"<{node.tag}> came from the data"
        assert not [a for a in attrs if a.lower().startswith("on")], (node.tag, attrs)
        assert "style" not in attrs, (node.tag, attrs)
        for name in URL_ATTRS:
            value = attrs.get(name)
            if value is not None and node.tag != "link":
                assert scheme_of(value) in ("", "http", "https"), (node.tag, name, value)
    for script in tree.css("script"):
        assert script.attributes.get("src", "").startswith("/static/"), script.attributes
        assert not script.text().strip()
    assert not tree.css("style"), "a <style> element"
    assert not BIDI.search(html), f"bidi/zero-width control U+{ord(BIDI.search(html)[0]):04X}"
    return tree


def text_of(tree: LexborHTMLParser, selector: str) -> str:
    return " ".join(n.text() for n in tree.css(selector))


@pytest.fixture
def hostile(engine) -> dict[str, Incident]:
    """Ingest every hostile fixture; then give some incidents hostile names as an import would.

    Returns the incidents by fixture name (the file's stem).
    """
    for path in sorted(HOSTILE.iterdir()):
        outcome = ingest_file(engine, path)
        assert outcome.status != "failed" and outcome.created == 1, (path.name, outcome)
    with session_scope(engine) as s:
        found = {stem_of(src): inc for inc, src in s.exec(
            select(Incident, Source).join(IncidentSource, col(IncidentSource.incident_id) == Incident.id)
            .join(Source, col(Source.id) == IncidentSource.source_id))}
        script, links, formula, bidi = (found[k] for k in ("script_tags", "javascript_links",
                                                           "csv_formula", "bidi_controls"))
        org = s.get(Organization, script.organization_id)
        org.name, org.aliases = ORG_NAME, [ORG_ALIAS, ONERROR]
        script.organization, script.leaked_items = ORG_NAME, ITEMS
        links.vendor = VENDOR
        for name, value in FORMULA_FIELDS.items():
            setattr(formula, name, value)
        bidi.organization = BIDI_ORG
        s.add_all([org, script, links, formula, bidi])
        s.flush()
        search.reindex_incidents(s, [i.id for i in found.values()])
    with Session(engine) as s:
        return {k: s.get(Incident, v.id) for k, v in found.items()}


def stem_of(src: Source) -> str:
    return src.uri.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def test_every_fixture_is_an_incident_with_its_hostile_service(hostile):
    assert set(hostile) == {"script_tags", "event_attributes", "javascript_links",
                            "css_injection", "csv_formula", "bidi_controls"}
    services = {k: i.service for k, i in hostile.items()}
    assert SCRIPT in services["script_tags"]
    assert MOUSEOVER in services["event_attributes"]
    assert JS_LINK in services["javascript_links"]
    assert STYLE in services["css_injection"]
    assert services["csv_formula"].startswith(FORMULA)
    assert "\u202e" in services["bidi_controls"] and "\u2066" in services["bidi_controls"]


# ---- HTML pages ----


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_home_page_and_fragment_show_the_hostile_text_as_text(client, hostile, headers):
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    tree = inert(response.text)
    services = text_of(tree, ".incident .service")
    for key in ("script_tags", "event_attributes", "javascript_links", "css_injection"):
        assert hostile[key].service in services, key  # shown, once escaped, not dropped
    assert "&lt;" not in services  # not escaped twice
    assert ORG_NAME in text_of(tree, ".incident a.org")
    assert VENDOR in text_of(tree, "nav.facets")
    assert "トバリ貨雑" in text_of(tree, ".incident a.org")  # the override is gone, the name is not


@pytest.mark.parametrize("q, key, marked", [
    ("ユウナギ", "script_tags", "ユウナギ"),
    ("alert", "event_attributes", "alert"),
    ("ハクロ", "javascript_links", "ハクロ"),
    ("トバリ", "bidi_controls", "トバリ"),
])
def test_search_snippets_mark_the_hit_next_to_inert_markup(client, hostile, q, key, marked):
    for headers in ({}, {"HX-Request": "true"}):
        tree = inert(client.get(f"/?q={quote(q)}", headers=headers).text)
        items = [li for li in tree.css("li.incident")
                 if li.css_first("a.org").attributes["href"] == f"/incidents/{hostile[key].slug}"]
        assert items, f"{q} finds {key}"
        snippet = items[0].css_first("p.snippet")
        assert snippet is not None
        assert marked.lower() in " ".join(m.text().lower() for m in snippet.css("mark"))
        assert [n.tag for n in snippet.traverse(include_text=False)][1:] == ["mark"] * len(snippet.css("mark"))
    text = snippet.text()
    if key == "script_tags":
        assert SCRIPT in text and "&lt;" not in text


def test_incident_page_and_its_evidence_highlights_are_inert(client, hostile):
    for key, inc in hostile.items():
        response = client.get(f"/incidents/{inc.slug}")
        assert response.status_code == 200, key
        tree = inert(response.text)
        service = BIDI.sub("", inc.service)  # what a reader should see
        assert service in tree.css_first("h1").text(), key
        marks = " ".join(m.text() for m in tree.css(".source-text mark"))
        assert service in marks, f"{key}: the service's evidence is marked"
        for meta in tree.css("meta[name=description], meta[property='og:description']"):
            assert service in meta.attributes["content"]
    page = inert(client.get(f"/incidents/{hostile['script_tags'].slug}").text)
    assert "\t" + FORMULA in text_of(page, "dl.facts") and ONERROR in text_of(page, "dl.facts")
    source = text_of(page, ".source-text")
    assert "</script><script src=//evil.example/x.js></script>" in source
    assert "&lt;" not in source


def test_html_sources_lose_their_elements_and_keep_escaped_text(client, hostile):
    tree = inert(client.get(f"/incidents/{hostile['javascript_links'].slug}").text)
    source = text_of(tree, ".source-text")
    assert '<a href="JaVaScRiPt:alert(1)">' in source  # written as text in the notice: text here
    assert "head script" not in source and "詳しくはこちら" in source  # <script> gone, link text kept
    tree = inert(client.get(f"/incidents/{hostile['css_injection'].slug}").text)
    source = text_of(tree, ".source-text")
    assert "</style><style>*{color:red}</style>" in source
    assert "display:none}" not in source.replace(STYLE, "")  # the real <style> element is gone


def test_org_and_vendor_pages_are_inert(client, hostile):
    with Session(client.app.state.engine) as s:
        org = s.get(Organization, hostile["script_tags"].organization_id)
    tree = inert(client.get(f"/orgs/{org.slug}").text)
    assert tree.css_first("h1").text() == ORG_NAME
    assert ORG_ALIAS in tree.css_first("p.service").text()
    assert ORG_NAME in tree.css_first("title").text()
    assert ORG_NAME in tree.css_first("meta[name=description]").attributes["content"]
    response = client.get(f"/vendors/{slugify(VENDOR)}")
    assert response.status_code == 200
    tree = inert(response.text)
    assert VENDOR in tree.css_first("h1").text()
    filter_link = next(a for a in tree.css("a") if a.attributes.get("href", "").startswith("/?vendor="))
    assert client.get(filter_link.attributes["href"]).status_code == 200


def test_incident_page_links_to_the_hostile_vendor_safely(client, hostile):
    tree = inert(client.get(f"/incidents/{hostile['javascript_links'].slug}").text)
    vendor_links = [a for a in tree.css("a") if a.attributes.get("href", "").startswith("/vendors/")]
    assert vendor_links and all(a.text() == VENDOR for a in vendor_links)
    assert {a.attributes["href"] for a in vendor_links} == {f"/vendors/{slugify(VENDOR)}"}


# ---- charts ----

# What Plotly itself decodes in text (svg_text_utils: entityToUnicode and numeric references).
PLOTLY_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "nbsp": "\u00a0", "mu": "μ", "times": "×",
                   "plusmn": "±", "deg": "°"}
# The tags Rouei writes into Plotly text itself.
OWN_PLOTLY_TAGS = re.compile(r"<br>|</?extra>")


def plotly_decode(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        return PLOTLY_ENTITIES.get(ref, m.group(0))
    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", one, text)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_chart_text_is_escaped_for_plotly_once(client, hostile):
    tree = inert(client.get("/").text)
    texts = [s for plot in tree.css("div.plot") for s in strings(json.loads(plot.attributes["data-figure"]))]
    assert texts
    for s in texts:
        assert "<" not in OWN_PLOTLY_TAGS.sub("", s), s  # no tag Plotly would render
        assert not BIDI.search(s)
    shown = [plotly_decode(part) for s in texts for part in OWN_PLOTLY_TAGS.split(s)]
    # What the reader sees is the notice's text, escaped exactly once (&quot; is not decoded
    # by Plotly, so a quote must reach it as a plain quote).
    assert ORG_NAME in shown
    for key in ("script_tags", "event_attributes", "javascript_links", "css_injection"):
        assert hostile[key].service in shown, key
    assert any(s.startswith(ORG_NAME[:18]) for s in shown)  # the records chart's axis label


# ---- Atom, CSV, JSON ----


def test_atom_feed_carries_the_text_escaped_once_as_plain_text(client, hostile):
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    allowed = {"feed", "title", "id", "link", "updated", "author", "name", "entry", "published",
               "category", "summary"}
    for node in root.iter():
        assert node.tag.startswith(atom) and node.tag[len(atom):] in allowed, node.tag
        assert node.get("type") in (None, "text") or node.tag == f"{atom}link"
        assert not any(k.lower().startswith("on") for k in node.attrib)
    assert not BIDI.search(response.text)
    assert "&amp;lt;" not in response.text
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = {e.link.rsplit("/", 1)[-1]: e for e in feed.entries}
    for key in ("script_tags", "event_attributes", "javascript_links", "css_injection"):
        entry = titles[hostile[key].slug]
        assert entry.title_detail.type == "text/plain"
        assert hostile[key].service in entry.title, key
    assert ORG_NAME in titles[hostile["script_tags"].slug].title
    assert "トバリ貨雑" in titles[hostile["bidi_controls"].slug].title


TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_csv_neutralises_every_formula_cell(client, hostile):
    response = client.get("/incidents.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(hostile)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(TRIGGERS), (column, cell)
    by_slug = {r["slug"]: r for r in rows}
    formula = by_slug[hostile["csv_formula"].slug]
    assert formula["service"] == "'" + hostile["csv_formula"].service
    for name, value in FORMULA_FIELDS.items():
        expected = "|".join(value) if isinstance(value, list) else value
        assert formula[name] == "'" + expected, name  # the text is kept, behind a quote
    assert by_slug[hostile["script_tags"].slug]["leaked_items"] == "|".join(ITEMS)  # not first: as is


@pytest.mark.parametrize("cell", [
    FORMULA, "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", " =1", "\u202e=1", "\ufeff@x", "＝1+1",
])
def test_neutralise_covers_each_trigger(cell):
    from app.export import neutralise

    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["株式会社ワコム", "2024-05-15", "12", "", "a=b", "氏名|住所"])
def test_neutralise_leaves_ordinary_cells_alone(cell):
    from app.export import neutralise

    assert neutralise(cell) == cell


def test_json_api_returns_the_strings_as_data(client, hostile):
    response = client.get("/api/incidents?limit=200")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert b"<script" not in response.content and b"<a " not in response.content
    data = {d["slug"]: d for d in response.json()["data"]}
    for key, inc in hostile.items():
        assert data[inc.slug]["service"] == inc.service, key  # bidi controls included: data is data
    assert data[hostile["script_tags"].slug]["organization"] == ORG_NAME
    assert data[hostile["script_tags"].slug]["leaked_items"] == ITEMS
    detail = client.get(f"/api/incidents/{hostile['javascript_links'].slug}")
    assert detail.headers["content-type"] == "application/json"
    assert detail.json()["vendor"] == VENDOR
    with Session(client.app.state.engine) as s:
        org = s.get(Organization, hostile["script_tags"].organization_id)
    answer = client.get(f"/api/orgs/{org.slug}").json()
    assert answer["name"] == ORG_NAME and answer["aliases"] == [ORG_ALIAS, ONERROR]
    vendor = client.get(f"/api/vendors/{slugify(VENDOR)}").json()
    assert vendor["name"] == VENDOR
    facets = client.get("/api/facets").json()
    assert VENDOR in [v["value"] for v in facets["vendor"]]



# ---- caps: what one request may ask for ----


def cursor(offset: object) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


@pytest.mark.parametrize("path", ["/api/incidents", "/api/facets", "/api/stats"])
def test_api_refuses_a_search_longer_than_the_index_takes(client, hostile, path):
    too_long = client.get(path, params={"q": "漏" * (search.MAX_PARSED_QUERY_CHARS + 1)})
    assert too_long.status_code == 400
    assert too_long.headers["content-type"] == "application/json"
    assert too_long.json()["detail"] == f"q is too long: a search takes at most {search.MAX_PARSED_QUERY_CHARS} characters"
    # At the cap the search runs (and the list says why it found nothing, as the page does).
    at_cap = client.get(path, params={"q": " ".join(["ユウナギ"] * 51)})
    assert len(" ".join(["ユウナギ"] * 51)) == 254 and at_cap.status_code == 200


@pytest.mark.parametrize("path", ["/incidents.csv", "/feed.atom"])
def test_csv_and_atom_refuse_an_over_long_search_with_an_error_page(client, hostile, path):
    response = client.get(path, params={"q": "a" * (search.MAX_PARSED_QUERY_CHARS + 1)})
    assert response.status_code == 400
    tree = inert(response.text)
    assert tree.css_first("h1").text() == "400"
    assert f"at most {search.MAX_PARSED_QUERY_CHARS} characters" in tree.css_first("main p").text()


def test_the_html_page_answers_a_10000_character_search_with_a_message(client, hostile):
    for headers in ({}, {"HX-Request": "true"}):
        # 10,000 characters (httpx refuses a query component past 64 kB, so mostly ASCII)
        response = client.get("/", params={"q": "漏" * 1_000 + "a" * 9_000}, headers=headers)
        assert response.status_code == 200
        alert = inert(response.text).css_first("p.query-error[role=alert]")
        assert alert is not None and f"{search.MAX_PARSED_QUERY_CHARS}文字まで" in alert.text()


@pytest.mark.parametrize(("limit", "bound"), [("0", "1"), ("201", "200"), ("100000", "200"), ("-1", "1")])
def test_api_limit_out_of_range_is_a_422_that_says_the_range(client, hostile, limit, bound):
    response = client.get(f"/api/incidents?limit={limit}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "invalid request: limit"
    (error,) = body["errors"]
    assert error["field"] == "limit" and error["message"].endswith(f"equal to {bound}")


def test_api_limit_at_the_cap_answers(client, hostile):
    assert client.get("/api/incidents?limit=200").json()["count"] == len(hostile)


@pytest.mark.parametrize("given", [str(10**30), str(10**9 + 7 * 200), "-200", "true", "1.5",
                                   cursor(0), "2000001"])
def test_a_made_up_cursor_is_a_422_naming_it_never_a_500(client, hostile, given):
    response = client.get(f"/api/incidents?cursor={given}&limit=1")
    assert response.status_code == 422 and response.json()["detail"] == "invalid request: cursor"


def test_openapi_states_the_caps(client):
    params = {p["name"]: p["schema"] for p in
              client.get("/openapi.json").json()["paths"]["/api/incidents"]["get"]["parameters"]}
    assert params["limit"]["maximum"] == 200 and params["limit"]["minimum"] == 1
    assert params["q"]["maxLength"] == search.MAX_PARSED_QUERY_CHARS


LONG = "a" * 20_000
LONG_JA = quote("漏" * 2_300)  # 20,700 bytes once percent-encoded


@pytest.mark.parametrize("url, status", [
    (f"/?q={LONG}", 200), (f"/?q={LONG_JA}", 200), ("/?" + "type=ransomware&" * 1_300, 200),
    (f"/?vendor={LONG}", 200), (f"/?{LONG}=1", 200), (f"/?page={'9' * 20_000}", 400),
    (f"/?q={LONG}&lang=en", 200), (f"/incidents/{LONG}", 404), (f"/orgs/{LONG}", 404),
    (f"/vendors/{LONG}", 404), (f"/incidents.csv?vendor={LONG}", 200), (f"/feed.atom?vendor={LONG}", 200),
    (f"/incidents.csv?q={LONG}", 400), (f"/api/incidents?q={LONG}", 400),
    (f"/api/incidents?vendor={LONG_JA}", 200), (f"/api/incidents?fields={'slug,' * 4_000}", 422),
    (f"/api/incidents?cursor={LONG}", 422), (f"/api/incidents/{LONG}", 404), (f"/api/orgs/{LONG}", 404),
    (f"/api/vendors/{LONG}", 404), (f"/api/facets?q={LONG}", 400), (f"/api/stats?vendor={LONG}", 200),
])
def test_a_20_kb_query_string_or_path_never_answers_500(client, hostile, url, status):
    assert len(url) > 20_000
    response = client.get(url, headers={"HX-Request": "true"} if "lang=en" in url else {})
    assert response.status_code == status
    if url.startswith("/api/"):
        assert response.headers["content-type"] == "application/json"
    elif response.headers["content-type"].startswith("text/html"):
        inert(response.text)
