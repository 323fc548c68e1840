"""Answers kept per search stamp (app.web.cache), the stamp bumped by the database's triggers
(migration 0007), and static files with versions in their URLs (app.web.assets)."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import text

from app.web.assets import IMMUTABLE, file_version
from app.web.session import COOKIE
from tests.web.test_api import dataset  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("dataset")


def total_shown(client, path: str) -> int:
    """The count of matching incidents: the API's ``count``, or the home page's results heading."""
    if path.startswith("/api/"):
        return client.get(path).json()["count"]
    heading = LexborHTMLParser(client.get(path).text).css_first("#results-heading")
    assert heading is not None, "the results have their heading"
    return int(re.sub(r"\D", "", heading.text()))


def test_a_repeated_view_is_a_304_and_each_view_has_its_own_etag(client):
    views = [("/", {}), ("/", {"HX-Request": "true"}), ("/?lang=en", {}), ("/api/incidents", {}),
             ("/api/facets?type=ransomware", {})]
    tags = set()
    for path, headers in views:
        first = client.get(path, headers=headers)
        assert first.status_code == 200
        tag = first.headers["etag"]
        tags.add(tag)
        again = client.get(path, headers={**headers, "If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        other = client.get(path, headers={**headers, "If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.content == first.content
    assert len(tags) == len(views), "the page, its fragment, each language and each API view differ"


def test_a_kept_answer_is_the_same_bytes_as_a_computed_one(client):
    first = client.get("/?type=ransomware")
    kept = client.get("/?type=ransomware")
    assert kept.content == first.content
    assert kept.headers["etag"] == first.headers["etag"]
    assert kept.headers["vary"] == first.headers["vary"]
    assert kept.headers["content-security-policy"], "the outer middleware still adds its headers"


@pytest.mark.parametrize(("statement", "query", "step"), [
    # hidden as merged into another incident: the list loses one
    ("UPDATE incident SET merged_into_id = (SELECT min(id) FROM incident) "
     "WHERE id = (SELECT max(id) FROM incident)", "", -1),
    # a new type: the type gains one
    ("UPDATE incident SET attack_type = 'ransomware' WHERE attack_type = 'misdelivery'", "?type=ransomware", 1),
])
def test_a_raw_sql_write_changes_what_the_pages_show(client, engine, statement, query, step):
    before = (total_shown(client, f"/{query}"), total_shown(client, f"/api/incidents{query}"))
    etag = client.get(f"/{query}").headers["etag"]
    assert client.get(f"/{query}", headers={"If-None-Match": etag}).status_code == 304
    with engine.begin() as conn:  # around the app: no reindex, no bump_stamp of its own
        conn.execute(text(statement))
    after = (total_shown(client, f"/{query}"), total_shown(client, f"/api/incidents{query}"))
    assert after == (before[0] + step, before[1] + step)
    assert client.get(f"/{query}", headers={"If-None-Match": etag}).status_code == 200, "the old ETag is stale"


@pytest.mark.parametrize("table", ["organization", "source", "incidentsource", "incidentevent", "revision"])
def test_a_write_to_any_table_a_page_reads_bumps_the_stamp(engine, table):
    read = text("SELECT stamp FROM incident_search_state WHERE id = 1")
    with engine.begin() as conn:
        before = conn.execute(read).scalar_one()
    with engine.begin() as conn:
        if table == "revision":
            incident = conn.execute(text("SELECT min(id) FROM incident")).scalar_one()
            conn.execute(text("INSERT INTO revision (incident_id, field, kind, applied, created_at) "
                              "VALUES (:i, 'status', 'suggestion', false, CURRENT_TIMESTAMP)"), {"i": incident})
        else:
            column = {"organization": "name", "source": "title", "incidentsource": "segment_start",
                      "incidentevent": "type"}[table]
            conn.execute(text(f"UPDATE {table} SET {column} = {column} WHERE id = (SELECT min(id) FROM {table})"))
    with engine.begin() as conn:
        assert conn.execute(read).scalar_one() != before


def test_a_rolled_back_write_keeps_the_stamp(engine):
    read = text("SELECT stamp FROM incident_search_state WHERE id = 1")
    with engine.begin() as conn:
        before = conn.execute(read).scalar_one()
    with engine.connect() as conn:
        conn.execute(text("UPDATE incident SET title = 'x'"))
        conn.rollback()
    with engine.begin() as conn:
        assert conn.execute(read).scalar_one() == before


def test_an_organisation_renamed_in_sql_shows_on_its_page(client, engine):
    with engine.begin() as conn:
        slug = conn.execute(text("SELECT slug FROM organization ORDER BY id LIMIT 1")).scalar_one()
    first = client.get(f"/orgs/{slug}")
    assert first.status_code == 200 and "改名後の名前" not in first.text
    with engine.begin() as conn:
        conn.execute(text("UPDATE organization SET name = '改名後の名前' WHERE slug = :s"), {"s": slug})
    assert "改名後の名前" in client.get(f"/orgs/{slug}").text


def test_signed_in_and_admin_requests_are_never_kept(client):
    signed = client.get("/", headers={"Cookie": f"{COOKIE}=anything"})
    assert "etag" not in signed.headers
    token = client.get("/api/incidents", headers={"Authorization": "Bearer x"})
    assert "etag" not in token.headers or token.headers["etag"] != client.get("/api/incidents").headers["etag"]


def test_errors_are_not_kept(client):
    missing = client.get("/incidents/no-such-incident")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_static_files_have_versioned_urls_kept_for_a_year(client):
    page = client.get("/").text
    versioned = re.findall(r'(?:src|href)="/static/([^"?]+)\?v=([0-9a-f]+)"', page)
    assert {p for p, _ in versioned} >= {"css/rouei.css", "js/rouei.js"}
    for path, version in versioned:
        assert version == file_version(path)
        response = client.get(f"/static/{path}?v={version}")
        assert response.status_code == 200 and response.headers["cache-control"] == IMMUTABLE
    stale = client.get("/static/css/rouei.css?v=0000000000")
    assert stale.headers["cache-control"] == "no-cache", "an old version is revalidated"
    assert client.get("/static/css/rouei.css").headers["cache-control"] == "no-cache"
    vendor = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert vendor.headers["cache-control"] == IMMUTABLE, "a name with its version is immutable"
