"""Merge and split by a person (#13): both are revisions; a split undoes a merge exactly."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.export import FACTS
from app.ingest.pipeline import ingest_bytes
from app.models import Incident, IncidentEvent, IncidentSource, Revision
from app.web import create_app
from tests.conftest import FIXTURES

HERE = FIXTURES / "ingest"
NOTICE, DIGEST = (HERE / "tsubaki_notice_1.txt").read_bytes(), (HERE / "weekly_digest.txt").read_bytes()
TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def admin_client(settings):
    with TestClient(create_app(settings.model_copy(update={"admin_token": TOKEN})), follow_redirects=False) as c:
        yield c


def state(engine) -> dict:
    """Every incident's facts, merge pointer, sources and events: what a merge and split touch."""
    with Session(engine) as s:
        out = {}
        for inc in s.exec(select(Incident).order_by(col(Incident.id))):
            links = sorted((link.source_id, link.segment_start) for link in
                           s.exec(select(IncidentSource).where(IncidentSource.incident_id == inc.id)))
            events = sorted((e.source_id or 0, e.type, str(e.date)) for e in
                            s.exec(select(IncidentEvent).where(IncidentEvent.incident_id == inc.id)))
            out[inc.slug] = ({n: getattr(inc, n) for n in FACTS}, inc.merged_into_id, links, events)
        return out


@pytest.fixture
def two(engine) -> tuple[str, str, int]:
    """The notice's incident, a digest incident, and the notice's source id."""
    ingest_bytes(engine, uri="notice-1.txt", data=NOTICE)
    ingest_bytes(engine, uri="digest.txt", data=DIGEST)
    with Session(engine) as s:
        rows = s.exec(select(Incident.slug, IncidentSource.source_id)
                      .join(IncidentSource, col(IncidentSource.incident_id) == Incident.id)
                      .order_by(col(Incident.id))).all()
    notice_slug, notice_source = rows[0]
    digest_slug = next(slug for slug, source in rows if source != notice_source)
    return notice_slug, digest_slug, notice_source


def test_merge_then_split_round_trips_to_the_original_incidents_and_permalinks(admin_client, engine, two):
    notice, digest, source = two
    before = state(engine)
    response = admin_client.post(f"/api/incidents/{notice}/merge", headers=AUTH,
                                 json={"into": digest, "reason": "one breach, two reports", "actor": "hanako"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["slug"] == digest
    assert source in [s["id"] for s in body["sources"]] and len(body["sources"]) == 2
    # the old permalink redirects, the API answers with the survivor
    page = admin_client.get(f"/incidents/{notice}")
    assert (page.status_code, page.headers["location"]) == (301, f"/incidents/{digest}")
    assert admin_client.get(f"/api/incidents/{notice}").json()["slug"] == digest
    # the list, its count and the search follow at once (a new search stamp)
    assert notice not in [i["slug"] for i in admin_client.get("/api/incidents?limit=200").json()["data"]]
    found = admin_client.get("/api/incidents", params={"q": "椿"}).json()["data"]
    assert [i["slug"] for i in found] == [digest]
    merges = [r for r in admin_client.get(f"/api/incidents/{digest}/history").json()["data"] if r["kind"] == "merge"]
    assert [(r["old_value"], r["new_value"], r["actor"], r["reason"]) for r in merges] == [
        (notice, digest, "hanako", "one breach, two reports")]

    response = admin_client.post(f"/api/incidents/{digest}/split", headers=AUTH,
                                 json={"source": source, "reason": "another breach after all", "actor": "taro"})
    assert response.status_code == 201, response.text
    assert response.json()["slug"] == notice and response.headers["location"] == f"/api/incidents/{notice}"
    assert admin_client.get(f"/incidents/{notice}").status_code == 200
    assert state(engine) == before
    found = admin_client.get("/api/incidents", params={"q": "椿"}).json()["data"]
    assert [i["slug"] for i in found] == [notice]
    for slug in (notice, digest):
        history = admin_client.get(f"/api/incidents/{slug}/history").json()["data"]
        split = next(r for r in history if r["kind"] == "split")
        assert (split["old_value"], split["new_value"], split["actor"], split["reason"], split["source"]) == (
            digest, notice, "taro", "another breach after all", "notice-1.txt")


def test_a_split_of_a_source_that_was_never_merged_makes_a_new_incident_with_a_new_permalink(admin_client, engine):
    ingest_bytes(engine, uri="notice-1.txt", data=NOTICE)
    ingest_bytes(engine, uri="notice-2.txt", data=(HERE / "tsubaki_notice_2.txt").read_bytes())
    with Session(engine) as s:
        inc = s.exec(select(Incident)).one()
        slug = inc.slug
        second = max(link.source_id for link in s.exec(select(IncidentSource)))
    response = admin_client.post(f"/api/incidents/{slug}/split", headers=AUTH,
                                 json={"source": second, "reason": "a different breach"})
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["slug"] != slug and [s["id"] for s in made["sources"]] == [second]
    assert made["organization"] and made["records_max"] == 5836
    assert admin_client.get(f"/incidents/{made['slug']}").status_code == 200
    left = admin_client.get(f"/api/incidents/{slug}").json()
    assert second not in [s["id"] for s in left["sources"]] and left["records_max"] == 100_000


@pytest.mark.parametrize(("path", "payload", "status", "words"), [
    ("merge", {"into": "no-such-incident", "reason": "x"}, 404, "into"),
    ("merge", {"into": "SELF", "reason": "x"}, 422, "into"),
    ("merge", {"into": "OTHER"}, 422, "reason"),
    ("merge", {"into": "OTHER", "reason": "x", "extra": 1}, 422, "extra"),
    ("merge", {"into": 12, "reason": "x"}, 422, "into"),
    ("split", {"source": 999999, "reason": "x"}, 422, "source"),
    ("split", {"source": "SOURCE", "reason": "x"}, 422, "only source"),
    ("split", {"source": -1, "reason": "x"}, 422, "source"),
    ("split", {"source": 2**40, "reason": "x"}, 422, "source"),
    ("split", {"source": 1, "reason": ""}, 422, "reason"),
])
def test_a_bad_merge_or_split_is_4xx_naming_the_problem_and_changes_nothing(admin_client, engine, two, path, payload,
                                                                           status, words):
    notice, digest, source = two
    swap = {"SELF": notice, "OTHER": digest, "SOURCE": source}
    payload = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    before = state(engine)
    with Session(engine) as s:
        revisions = len(s.exec(select(Revision)).all())
    response = admin_client.post(f"/api/incidents/{notice}/{path}", headers=AUTH, json=payload)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert state(engine) == before
    with Session(engine) as s:
        assert len(s.exec(select(Revision)).all()) == revisions


@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"Authorization": "Bearer wrong"}, 401)])
def test_merge_and_split_need_the_token(admin_client, engine, two, headers, status):
    notice, digest, source = two
    before = state(engine)
    assert admin_client.post(f"/api/incidents/{notice}/merge", headers=headers,
                             json={"into": digest, "reason": "x"}).status_code == status
    assert admin_client.post(f"/api/incidents/{notice}/split", headers=headers,
                             json={"source": source, "reason": "x"}).status_code == status
    assert state(engine) == before


def test_merge_and_split_are_in_openapi_with_examples(client):
    spec = client.get("/openapi.json").json()
    for path, model in (("/api/incidents/{slug}/merge", "MergeIn"), ("/api/incidents/{slug}/split", "SplitIn")):
        assert "post" in spec["paths"][path]
        assert spec["components"]["schemas"][model]["examples"]
