"""The Host header a client sends changes no URL the site builds; HEAD answers on every GET route."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, select

from app.ingest.files import ingest_file
from app.models import Incident
from app.web import create_app
from tests.conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"
FORGED = {"Host": "evil.example"}


@pytest.fixture
def slug(engine) -> str:
    for path in sorted((FIXTURES / "notices").glob("*.txt")):
        ingest_file(engine, path)
    with Session(engine) as s:
        return s.exec(select(Incident.slug)).first()


def urls_of(client: TestClient, slug: str, headers: dict[str, str]) -> list[str]:
    """Every absolute URL of the Atom feed and of an incident page's head."""
    feed = ET.fromstring(client.get("/feed.atom?type=ransomware", headers=headers).content)
    found = [e.text for e in feed.iter(f"{ATOM}id")]
    found += [e.get("href") for e in feed.iter(f"{ATOM}link")]
    page = LexborHTMLParser(client.get(f"/incidents/{slug}", headers=headers).text)
    found += [page.css_first("link[rel=canonical]").attributes["href"],
              page.css_first("meta[property='og:url']").attributes["content"]]
    moved = client.get("/api/incidents/", headers=headers, follow_redirects=False)
    found.append(moved.headers["location"])
    assert len(found) >= 6
    return found


def test_a_forged_host_changes_no_url_and_base_url_names_them_all(settings, slug):
    with TestClient(create_app(settings.model_copy(update={"base_url": "https://rouei.example"}))) as c:
        forged, plain = urls_of(c, slug, FORGED), urls_of(c, slug, {})
    assert forged == plain
    assert all(u.startswith("https://rouei.example/") for u in forged), forged


def test_without_base_url_an_unknown_host_reaches_no_url(client, slug):
    forged = urls_of(client, slug, FORGED)
    assert not any("evil.example" in u for u in forged)  # before: http://evil.example/feed.atom
    assert all(u.startswith("http://localhost/") for u in forged), forged
    local = urls_of(client, slug, {"Host": "127.0.0.1:8000"})  # development: the address used
    assert all(u.startswith("http://127.0.0.1:8000/") for u in local), local


def test_allowed_hosts_answers_400_to_any_other_host(settings):
    allowed = settings.model_copy(update={"allowed_hosts": "rouei.example, *.rouei.example"})
    with TestClient(create_app(allowed)) as c:
        assert c.get("/", headers=FORGED).status_code == 400
        assert c.get("/api/incidents", headers={"Host": "rouei.example.evil.example"}).status_code == 400
        assert c.get("/", headers={"Host": "rouei.example"}).status_code == 200
        assert c.get("/healthz", headers={"Host": "www.rouei.example:8443"}).status_code == 200


def test_a_base_url_with_a_path_is_refused_at_start(settings):
    with pytest.raises(ValueError, match="ROUEI_BASE_URL"):
        TestClient(create_app(settings.model_copy(update={"base_url": "https://x.example/sub"}))).get("/")


@pytest.mark.parametrize("path", ["/", "/?type=ransomware&q=カード", "/incidents/{slug}", "/orgs/nope",
                                  "/api/incidents", "/api/incidents/{slug}", "/api/stats",
                                  "/incidents.csv", "/feed.atom", "/healthz", "/docs", "/openapi.json",
                                  "/static/css/rouei.css", "/favicon.ico"])
def test_head_answers_on_every_get_route_with_the_get_headers_and_no_body(client, slug, path):
    path = path.format(slug=slug)
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code != 405  # before: HEAD / was 405
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "etag" in got.headers:
        assert head.headers["etag"] == got.headers["etag"]


def test_head_of_every_get_route_in_the_app_is_not_405(client, slug):
    app = client.app
    for route in app.routes:
        if "GET" not in getattr(route, "methods", set()):
            continue
        path = route.path.replace("{slug}", slug).replace("{key}", "monthly")
        assert client.head(path).status_code != 405, path
