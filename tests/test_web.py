"""The first pages, through an in-process client: the list, a permalink, errors."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
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
    assert response.text.lstrip().startswith('<section id="results"')
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
    "year=99999", "page=-1", "page=abc", "page=999999999999", "sort=drop+table", "q=NEAR(a+b)+OR+-",
    "vendor=%25%25", "q=😀🔥",
])
def test_odd_query_strings_never_answer_500(client, loaded, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 200


def test_static_assets_are_served_locally(client):
    for path in ("/static/vendor/htmx-2.0.11.min.js", "/static/vendor/plotly-basic-2.35.3.min.js",
                 "/static/css/rouei.css"):
        assert client.get(path).status_code == 200


def test_healthz(client):
    assert client.get("/healthz").text == "ok"
