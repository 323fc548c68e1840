"""/sources and /api/sources (#14): every registered source with its health and what it gave."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.db import session_scope
from app.ingest.harvest import add_source
from app.ingest.pipeline import ingest_bytes
from tests.fixtures.ingest.synthetic import notice, org_name


def registry(engine) -> tuple[int, int]:
    """A feed that gave two notices (one incident each) and a listing that fails."""
    with session_scope(engine) as s:
        feed = add_source(s, "https://example.jp/news/feed.xml", name="Example お知らせ", every="2h")
        bad = add_source(s, "https://broken.example/news/", links=r"/news/\d+")
        feed.last_fetched_at = feed.last_new_at = datetime(2026, 4, 1, 15, 30, tzinfo=UTC)  # 4/2 00:30 JST
        feed.last_status = "ok"
        bad.last_fetched_at = datetime(2026, 4, 1, 15, 0, tzinfo=UTC)
        bad.last_status, bad.failures = "failed", 3
        bad.last_error = "HTTP 500 <script>alert(1)</script>"
        feed_id, bad_id = feed.id, bad.id
    for i in (101, 102):
        outcome = ingest_bytes(engine, uri=f"https://example.jp/news/{i}.html", data=notice(i).encode(),
                               filename=f"{i}.txt", origin_id=feed_id)
        assert outcome.status == "new"
    return feed_id, bad_id


def test_the_page_shows_each_source_its_health_and_what_it_gave(client, engine):
    feed_id, bad_id = registry(engine)
    page = client.get("/sources")
    assert page.status_code == 200
    html = page.text
    assert "Example お知らせ" in html and "https://broken.example/news/" in html
    assert "正常" in html and "失敗中" in html and "文書2件・事案2件" in html and "文書0件・事案0件" in html
    assert "2026年4月2日 00:30" in html  # the time in Japan, not UTC's previous day
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert 'href="/incidents/' in html and org_name(101) in html and org_name(102) in html
    assert '<code>/news/\\d+</code>' in html
    english = client.get("/sources?lang=en").text
    assert "Failing" in english and "2 documents, 2 incidents" in english and "2 Apr 2026 00:30 JST" in english


def test_the_site_navigation_links_the_sources_page(client, engine):
    home = client.get("/")
    assert 'href="/sources"' in home.text
    assert 'href="/sources?lang=en"' in client.get("/?lang=en").text
    assert 'aria-current="page"' in client.get("/sources").text


def test_no_sources_yet_says_how_to_add_one(client):
    page = client.get("/sources")
    assert page.status_code == 200 and "rouei sources add URL" in page.text


def test_the_api_lists_the_sources_as_json_with_an_etag(client, engine):
    feed_id, bad_id = registry(engine)
    response = client.get("/api/sources")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 2
    feed, bad = body["data"]
    assert (feed["id"], feed["kind"], feed["every"], feed["state"], feed["documents"], feed["incidents"]) == (
        feed_id, "feed", "2h", "ok", 2, 2)
    assert feed["last_new_at"] == "2026-04-01T15:30:00+00:00"
    assert sorted(i["organization"] for i in feed["recent_incidents"]) == sorted(
        f"株式会社{org_name(i)}" for i in (101, 102))
    assert all(i["url"].startswith("/incidents/") for i in feed["recent_incidents"])
    assert (bad["id"], bad["kind"], bad["state"], bad["failures"], bad["link_pattern"]) == (
        bad_id, "listing", "failing", 3, r"/news/\d+")
    assert bad["last_error"] == "HTTP 500 <script>alert(1)</script>"
    assert "<script>" not in response.text  # written \u003c in the body, the same string when parsed
    again = client.get("/api/sources", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_disabled_source_says_so(client, engine):
    with session_scope(engine) as s:
        add_source(s, "https://example.jp/off.xml").enabled = False
    assert client.get("/api/sources").json()["data"][0]["state"] == "disabled"
    assert "停止中" in client.get("/sources").text


def test_the_sources_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/sources"]["get"]
    assert operation["summary"] == "Every registered source and its health"
    assert "HarvestSourcePublic" in schema["components"]["schemas"]
    assert "/sources" not in schema["paths"]  # the page is not API


TOKEN = "s3cret-token"


@pytest.fixture
def admin(settings):
    from fastapi.testclient import TestClient

    from app.web import create_app

    with TestClient(create_app(settings.model_copy(update={"admin_token": TOKEN}))) as c:
        c.headers["Authorization"] = f"Bearer {TOKEN}"
        yield c


def test_an_admin_adds_disables_and_removes_a_source_through_the_api(admin, client, engine):
    made = admin.post("/api/sources", json={"url": "https://example.jp/news/", "links": r"/news/\d+", "every": "1d"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["kind"], body["every"], body["state"], body["link_pattern"]) == ("listing", "1d", "new", r"/news/\d+")
    again = admin.post("/api/sources", json={"url": "https://example.jp/news/", "links": r"/news/\d+", "every": "2h"})
    assert again.status_code == 200 and again.json()["id"] == body["id"] and again.json()["every"] == "2h"
    off = admin.patch(f"/api/sources/{body['id']}", json={"enabled": False})
    assert off.status_code == 200 and off.json()["state"] == "disabled"
    assert "停止中" in client.get("/sources").text
    on = admin.patch(f"/api/sources/{body['id']}", json={"enabled": True, "name": "例"})
    assert on.json()["state"] == "new" and on.json()["name"] == "例"
    assert admin.delete(f"/api/sources/{body['id']}").status_code == 204
    assert client.get("/api/sources").json()["count"] == 0
    assert admin.delete(f"/api/sources/{body['id']}").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://example.jp/"}, "url"),
    ({"url": "https://example.jp/", "kind": "listing"}, "links"),
    ({"url": "https://example.jp/", "links": "(unclosed"}, "links"),
    ({"url": "https://example.jp/", "every": "10s"}, "every"),
    ({"url": "https://example.jp/", "kind": "podcast"}, "kind"),
    ({"url": 5}, "url"),
    ({}, "url"),
])
def test_a_bad_source_answers_422_naming_the_field_and_nothing_is_written(admin, client, body, field):
    response = admin.post("/api/sources", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert client.get("/api/sources").json()["count"] == 0


def test_source_writes_need_the_token(client, admin, engine):
    assert client.post("/api/sources", json={"url": "https://example.jp/feed.xml"}).status_code == 403
    anonymous = admin.post("/api/sources", json={"url": "https://example.jp/feed.xml"},
                           headers={"Authorization": "Bearer wrong"})
    assert anonymous.status_code == 401
    assert admin.patch("/api/sources/99999999999999", json={"enabled": False}).status_code == 422
    assert admin.patch("/api/sources/7", json={"every": "1h"}).status_code == 404
    assert client.get("/api/sources").json()["count"] == 0


def test_an_admin_registers_lists_and_removes_a_webhook(admin, client):
    made = admin.post("/api/webhooks", json={"url": "https://hooks.example.jp/rouei", "filter": "type=ransomware"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["filter"] == "type=ransomware" and len(body["secret"]) >= 16
    listed = admin.get("/api/webhooks").json()
    assert [(h["id"], h["url"], h["secret"]) for h in listed] == [(body["id"], "https://hooks.example.jp/rouei", None)]
    assert client.get("/api/webhooks").status_code == 403  # admin only, even to read
    assert admin.post("/api/webhooks", json={"url": "gopher://x"}).status_code == 422
    assert admin.post("/api/webhooks", json={"url": "https://x.jp/", "secret": "short"}).status_code == 422
    assert admin.delete(f"/api/webhooks/{body['id']}").status_code == 204
    assert admin.get("/api/webhooks").json() == []
    assert admin.delete(f"/api/webhooks/{body['id']}").status_code == 404
