"""The first pages, through an in-process client: the list, a permalink, errors."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, select

from app.db import session_scope
from app.ingest.files import ingest_file
from app.models import Incident
from tests.conftest import FIXTURES


class Links(HTMLParser):
    """Collects the hrefs of the page's incident links and the text of its h1/h2."""

    def __init__(self) -> None:
        super().__init__()
        self.incident_links: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/incidents/"):
            self.incident_links.append(href)
        self._in_heading = tag in ("h1", "h2")

    def handle_data(self, data):
        if self._in_heading and data.strip():
            self.headings.append(data.strip())

    def handle_endtag(self, tag):
        if tag in ("h1", "h2"):
            self._in_heading = False


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


@pytest.fixture
def loaded(engine):
    for path in sorted((FIXTURES / "notices").glob("*.txt")):
        ingest_file(engine, path)
    with Session(engine) as s:
        return [i.slug for i in s.exec(select(Incident))]


def test_home_lists_every_incident_with_a_permalink(client, loaded):
    response = client.get("/")
    assert response.status_code == 200
    page = parse(response.text)
    assert sorted(set(page.incident_links)) == sorted(f"/incidents/{s}" for s in loaded)
    assert f"{len(loaded)} 件の事案" in page.headings


def test_filter_by_attack_type_keeps_only_that_type(client, loaded, engine):
    with Session(engine) as s:
        misdelivery = {i.slug for i in s.exec(select(Incident).where(Incident.attack_type == "misdelivery"))}
    assert misdelivery, "the fixtures hold a misdelivery"
    page = parse(client.get("/?type=misdelivery").text)
    assert {link.removeprefix("/incidents/") for link in page.incident_links} == misdelivery


def test_htmx_request_gets_the_results_fragment_only(client, loaded):
    response = client.get("/?type=misdelivery", headers={"HX-Request": "true"})
    assert response.status_code == 200
    # The tab's new title (htmx takes a top-level <title> of a fragment), then the results.
    title, _, rest = response.text.lstrip().partition("\n")
    assert title == "<title>誤送信・誤送付 | Rouei</title>"
    assert rest.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]


def test_permalink_shows_the_incident_and_its_sources(client, loaded):
    for slug in loaded:
        response = client.get(f"/incidents/{slug}")
        assert response.status_code == 200
        assert f'href="/incidents/{slug}"' in response.text
        assert 'property="og:title"' in response.text


def test_merged_incident_permalink_redirects_to_the_survivor(client, loaded, engine):
    if len(loaded) < 2:
        pytest.skip("needs two incidents")
    with session_scope(engine) as s:
        gone = s.exec(select(Incident).where(Incident.slug == loaded[0])).one()
        survivor = s.exec(select(Incident).where(Incident.slug == loaded[1])).one()
        gone.merged_into_id = survivor.id
        s.add(gone)
    response = client.get(f"/incidents/{loaded[0]}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/incidents/{loaded[1]}"


def test_unknown_permalink_is_a_404_page(client):
    response = client.get("/incidents/no-such-incident")
    assert response.status_code == 404
    assert "見つかりません" in response.text


@pytest.mark.parametrize("query", [
    "q=%22%27%29%28*", "q=" + "漏" * 5_000, "q=" + "a" * 30_000, "q=%00", "type=nope&type=ransomware", "year=abc",
    "year=99999", "page=-1", "page=abc", "page=10000", "sort=drop+table", "q=NEAR(a+b)+OR+-",
    "vendor=%25%25", "q=😀🔥",
])
def test_odd_query_strings_never_answer_500(client, loaded, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["10001", "999999999999", "9" * 5_000])
def test_a_page_number_past_the_cap_is_a_400_that_says_so(client, loaded, page):
    from app.search import MAX_PAGE

    response = client.get(f"/?page={page}")
    assert response.status_code == 400
    assert f"ページ番号は{MAX_PAGE:,}までです" in response.text
    english = client.get(f"/?page={page}&lang=en")
    assert english.status_code == 400 and f"up to {MAX_PAGE:,}" in english.text


def test_static_assets_are_served_locally(client):
    for path in ("/static/vendor/htmx-2.0.11.min.js", "/static/vendor/plotly-basic-2.35.3.min.js",
                 "/static/css/rouei.css"):
        assert client.get(path).status_code == 200


def test_healthz(client):
    assert client.get("/healthz").text == "ok"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(
            v in a.get(k.rstrip("_"), "").split() for k, v in attrs.items())]


def tags(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture
def seeded(engine):
    from app.seed import load_if_empty

    load_if_empty(engine)
    with Session(engine) as s:
        return {i.slug: i for i in s.exec(select(Incident))}


def slug_of(seeded, org: str) -> str:
    """The bundled incident of an organisation, found by name (slugs follow the dataset)."""
    return next(slug for slug, i in seeded.items() if org in (i.organization or ""))


def test_no_inline_script_only_static_sources(client, loaded):
    for path in ["/", f"/incidents/{loaded[0]}", "/?lang=en"]:
        page = tags(client.get(path).text)
        assert page.scripts
        for attrs, body in page.scripts:
            assert attrs.get("src", "").startswith("/static/") and not body.strip(), attrs
        assert not [a for _, a in page.tags if "style" in a or any(k.startswith("on") for k in a)]


def test_home_draws_four_charts_from_data_attributes(client, loaded):
    page = tags(client.get("/").text)
    plots = page.find("div", class_="plot")
    assert len(plots) == 5  # (#15: the PPC chart)
    for plot in plots:
        figure = json.loads(plot["data-figure"])
        assert {"data", "layout"} <= set(figure) <= {"data", "layout", "shared", "narrow"}


def test_facets_add_and_chips_remove_themselves(client, loaded):
    page = tags(client.get("/?type=misdelivery").text)
    facet_links = {a["href"] for a in page.find("a", class_="facet")}
    assert "/" in facet_links  # the active facet links to its own removal
    assert any("type=misdelivery&type=" in h for h in facet_links)  # others add to it
    assert all(a["hx-get"] == a["href"] for a in page.find("a", class_="facet"))
    chips = page.find("a", class_="chip")
    assert [c["href"] for c in chips if "clear" not in c["class"]] == ["/"]
    section = page.find("section", id="results")
    assert section and section[0].get("hx-push-url") == "true"


def test_every_facet_kind_filters(client, seeded):
    html = client.get("/").text
    page = tags(html)
    hrefs = [a["href"] for a in page.find("a", class_="facet")]
    for needle in ("year=2022", "vendor=", "card=yes", "card=no"):
        href = next(h for h in hrefs if needle in h)
        response = client.get(href)
        assert response.status_code == 200
        assert tags(response.text).find("a", class_="chip")


def test_history_restore_request_gets_the_whole_page(client, loaded):
    response = client.get("/?type=misdelivery", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.text


def test_results_show_dates_delay_and_qualified_counts(client, seeded):
    html = client.get("/?q=ジェントス").text
    assert "2022年8月12日" in html and "2022年11月28日" in html
    assert "108日" in html
    assert "最大5,521件" in html
    item = next(li for li in LexborHTMLParser(client.get("/?q=メタップス").text).css("li.incident")
                if "メタップス" in li.css_first("a.org").text())
    discovered = item.css_first("span.dates time")
    assert discovered.text() == "不明" and "datetime" not in discovered.attributes  # unknown discovery date
    assert item.css_first("span.records").text(deep=False).split() == ["件数", "不明"]  # unknown count


def test_sorts_answer_on_this_engine(client, seeded):
    for sort in ("newest", "delay", "records"):
        assert client.get(f"/?sort={sort}").status_code == 200
    first = parse(client.get("/?sort=delay").text).incident_links[0]
    longest = max((i for i in seeded.values() if i.discovered_on and i.disclosed_on),
                  key=lambda i: i.disclosed_on - i.discovered_on)
    assert first == f"/incidents/{longest.slug}"


def test_english_labels(client, seeded):
    html = client.get("/?lang=en&type=ransomware").text
    page = tags(html)
    assert page.find("html")[0]["lang"] == "en"
    assert "Ransomware" in html and "incidents" in html
    assert all("lang=en" in a["href"] for a in page.find("a", class_="facet"))
    assert "/incidents/" in html and "?lang=en" in html
    wacom = seeded[slug_of(seeded, "ワコム")]
    incident = client.get(f"/incidents/{wacom.slug}?lang=en").text
    found = wacom.discovered_on
    assert f"{found.day} {found:%b} {found.year}" in incident and "Payment-page skimming" in incident


def test_incident_page_links_each_fact_to_highlighted_evidence(client, loaded):
    slug = next(s for s in loaded if "hana-mizuki" in s)
    html = client.get(f"/incidents/{slug}").text
    page = tags(html)
    targets = [a["href"] for a in page.find("a", class_="ev-link")]
    assert targets
    anchors = {a["id"] for a in page.find("span", class_="ev-anchor")}
    assert {t.lstrip("#") for t in targets} <= anchors
    assert "<mark" in html
    assert "2023年11月2日" in html  # Japanese dates


def test_incident_page_timeline_gaps_and_legal_windows(client, loaded):
    slug = next(s for s in loaded if "hana-mizuki" in s)
    html = client.get(f"/incidents/{slug}").text
    assert "+4日" in html  # discovery 11/2 → report to the PPC 11/6
    page = tags(html)
    verdicts = [a["class"] for a in page.find("li", class_="check")]
    # the duty, then the 速報 (4 days: on time) and the 確報 (no second report: unknown)
    assert verdicts == ["check unknown", "check on_time", "check unknown"]
    assert "60日" in html  # a malicious case: the 確報 window is 60 days


def test_legal_window_rules():
    from datetime import date

    from app.incidents import legal_checks

    late = Incident(slug="x", attack_type="ransomware", discovered_on=date(2023, 1, 1))
    late.reported_to_ppc_on = date(2023, 1, 20)
    checks = legal_checks(late, "ja")
    assert [c.verdict for c in checks] == ["late", "late", "unknown"]
    assert "60日" in checks[2].rule and "2023年3月2日" in checks[2].detail
    old = Incident(slug="y", attack_type="ransomware", discovered_on=date(2021, 5, 1))
    assert "対象外" in legal_checks(old, "ja")[0].detail
    nodate = Incident(slug="z", attack_type="ransomware")
    assert {c.verdict for c in legal_checks(nodate, "en")} == {"unknown"}


def test_source_text_is_escaped_and_highlights_stay_markup(client, loaded, engine):
    from app.models import IncidentSource, Source

    slug = next(s for s in loaded if "hana-mizuki" in s)
    with session_scope(engine) as s:
        inc = s.exec(select(Incident).where(Incident.slug == slug)).one()
        link = s.exec(select(IncidentSource).where(IncidentSource.incident_id == inc.id)).first()
        src = s.get(Source, link.source_id)
        evil = "<script>alert(1)</script>"
        src.text = evil + src.text
        link.evidence = {k: [a + len(evil), b + len(evil)] for k, (a, b) in link.evidence.items()}
        link.evidence["bogus"] = [5, 10_000_000]  # out of range: skipped, not an error
        link.segment_start, link.segment_end = 0, len(src.text)
        s.add(src)
        s.add(link)
    html = client.get(f"/incidents/{slug}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark" in html


def test_bundled_source_without_text_says_so(client, seeded):
    html = client.get(f"/incidents/{slug_of(seeded, 'ワコム')}").text
    assert "本文は保存されていない" in html
    assert 'property="og:description"' in html and 'name="twitter:card"' in html


def test_related_incidents_through_the_same_vendor(client, seeded):
    html = client.get(f"/incidents/{slug_of(seeded, '日本出版販売')}").text
    links = parse(html).incident_links
    assert f"/incidents/{slug_of(seeded, 'カバーマーク')}" in links
    assert f"/incidents/{slug_of(seeded, 'エスビー食品')}" in links


def test_org_page_lists_its_incidents_and_totals(client, seeded):
    response = client.get("/orgs/wakomu")
    assert response.status_code == 200
    assert f"/incidents/{slug_of(seeded, 'ワコム')}" in parse(response.text).incident_links
    assert "147,545" in response.text
    assert client.get("/orgs/no-such-org").status_code == 404


def test_vendor_page_lists_every_organisation_hit(client, seeded):
    from app.text import slugify

    response = client.get(f"/vendors/{slugify('ショーケース')}")
    assert response.status_code == 200
    links = set(parse(response.text).incident_links)
    assert {f"/incidents/{slug_of(seeded, org)}" for org in ("日本出版販売", "カバーマーク", "エスビー食品")} <= links
    assert client.get("/vendors/no-such-vendor").status_code == 404
