"""Corrections over the API (#13): PATCH, review and history; a correction outlives re-ingest."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.ingest.pipeline import ingest_bytes
from app.models import Incident, Revision
from app.web import create_app
from tests.conftest import FIXTURES

HERE = FIXTURES / "ingest"
FIRST, SECOND = (HERE / "tsubaki_notice_1.txt").read_bytes(), (HERE / "tsubaki_notice_2.txt").read_bytes()
TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def admin_client(settings):
    with TestClient(create_app(settings.model_copy(update={"admin_token": TOKEN}))) as c:
        yield c


@pytest.fixture
def slug(engine) -> str:
    ingest_bytes(engine, uri="notice-1.txt", data=FIRST)
    with Session(engine) as s:
        return s.exec(select(Incident.slug)).one()


def snapshot(engine) -> tuple:
    with Session(engine) as s:
        incidents = [i.model_dump() for i in s.exec(select(Incident).order_by(Incident.id))]
        return incidents, s.exec(select(func.count()).select_from(Revision)).one()


def test_patch_then_history_then_reingest_the_correction_stands_and_the_parse_waits(admin_client, engine, slug):
    response = admin_client.patch(f"/api/incidents/{slug}", headers=AUTH, json={
        "discovered_on": "2024-01-20", "records_max": 9416, "reason": "the final report", "actor": "hanako"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["slug"], body["discovered_on"], body["records_max"], body["records_max_qualifier"]) == (
        slug, "2024-01-20", 9416, None)
    assert body["corrections"]["records_max"]["actor"] == "hanako"
    assert body["corrections"]["records_max"]["reason"] == "the final report"

    history = admin_client.get(f"/api/incidents/{slug}/history").json()
    assert history["count"] == len(history["data"]) > 3
    ids = [r["id"] for r in history["data"]]
    assert ids == sorted(ids, reverse=True)
    newest = {r["field"]: r for r in history["data"][:3]}
    assert newest["discovered_on"] == {**newest["discovered_on"], "kind": "correction", "old_value": "2024-01-22",
                                       "new_value": "2024-01-20", "applied": True}
    assert newest["records_max"]["old_value"] == 100_000
    assert any(r["kind"] == "parser" and r["source"] == "notice-1.txt" for r in history["data"])

    # re-ingest: the same bytes change nothing; 第2報 (5,836) is only a suggestion
    assert ingest_bytes(engine, uri="elsewhere/notice-1.txt", data=FIRST).status == "unchanged"
    assert ingest_bytes(engine, uri="notice-2.txt", data=SECOND).status == "updated"
    detail = admin_client.get(f"/api/incidents/{slug}").json()
    assert (detail["discovered_on"], detail["records_max"]) == ("2024-01-20", 9416)
    assert [(s["field"], s["new_value"], s["source"], s["applied"]) for s in detail["suggestions"]] == [
        ("records_max", 5836, "notice-2.txt", False)]
    assert len(detail["sources"]) == 2


def test_the_incident_page_shows_each_fact_state_the_suggestion_and_the_history(admin_client, engine, slug):
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    admin_client.patch(f"/api/incidents/{slug}", headers=AUTH, json={
        "records_max": 9416, "reason": "the final report", "actor": "hanako"})
    ingest_bytes(engine, uri="notice-2.txt", data=SECOND)
    for lang, heading, corrected in (("ja", "訂正履歴", "訂正済み（hanako）: the final report"),
                                     ("en", "History", "corrected by hanako: the final report")):
        page = HTMLParser(admin_client.get(f"/incidents/{slug}?lang={lang}").text)
        states = [n.text(strip=True) for n in page.css("dl.facts .fact-state")]
        assert states.count(corrected) == 1 and len(states) > 5  # records: corrected; the rest parsed
        assert page.css_first("#history-h").text(strip=True) == heading
        rows = page.css("ol.revisions li")
        fixes = [r.text() for r in rows if "correction" in (r.attributes.get("class") or "")]
        # the count and its qualifier (a count set alone is exact)
        assert len(fixes) == 2 and all("hanako" in f and "the final report" in f for f in fixes)
        assert any("suggested" in (r.attributes.get("class") or "") and "5,836" in r.text() for r in rows)
        waiting = page.css_first(".suggestions li").text()
        assert "notice-2.txt" in waiting and "5,836" in waiting and "9,416" in waiting


def test_review_is_recorded_and_shown(admin_client, slug):
    response = admin_client.post(f"/api/incidents/{slug}/review", headers=AUTH,
                                 json={"status": "reviewed", "reason": "checked against the notice"})
    assert response.status_code == 200, response.text
    assert response.json()["review_status"] == "reviewed"
    newest = admin_client.get(f"/api/incidents/{slug}/history").json()["data"][0]
    assert (newest["kind"], newest["old_value"], newest["new_value"]) == ("review", "unreviewed", "reviewed")
    assert admin_client.post(f"/api/incidents/{slug}/review", headers=AUTH,
                             json={"status": "fabricated", "reason": "x"}).status_code == 422
    assert "確認済み" in admin_client.get(f"/incidents/{slug}").text


@pytest.mark.parametrize("payload, field", [
    ({"discovered_on": "2022-13-45", "reason": "r"}, "discovered_on"),
    ({"records_max": -1, "reason": "r"}, "records_max"),
    ({"attack_type": "cyber", "reason": "r"}, "attack_type"),
    ({"records_max_qualifier": "たぶん", "reason": "r"}, "records_max_qualifier"),
    ({"discovered_on": "2024-01-20"}, "reason"),
    ({"discovered_on": "2024-01-20", "reason": ""}, "reason"),
    ({"discovred_on": "2024-01-20", "reason": "r"}, "discovred_on"),
    # a valid field beside an invalid one: neither is written
    ({"disclosed_on": "2024-02-02", "card_records": -5, "reason": "r"}, "card_records"),
])
def test_an_invalid_value_is_422_naming_the_field_and_changes_nothing(admin_client, engine, slug, payload, field):
    before = snapshot(engine)
    response = admin_client.patch(f"/api/incidents/{slug}", headers=AUTH, json=payload)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}
    assert field in response.json()["detail"]
    assert snapshot(engine) == before


@pytest.mark.parametrize("headers, status", [({}, 401), ({"Authorization": "Bearer wrong"}, 401),
                                             ({"Authorization": TOKEN}, 401)])
def test_unauthorised_writes_are_refused_and_change_nothing(admin_client, engine, slug, headers, status):
    before = snapshot(engine)
    good = {"discovered_on": "2024-01-20", "reason": "r"}
    assert admin_client.patch(f"/api/incidents/{slug}", headers=headers, json=good).status_code == status
    # refused before the body is read: a bad body without a token is 401 too, not 422
    assert admin_client.patch(f"/api/incidents/{slug}", headers=headers, json={"x": 1}).status_code == status
    assert admin_client.post(f"/api/incidents/{slug}/review", headers=headers,
                             json={"status": "reviewed", "reason": "r"}).status_code == status
    assert snapshot(engine) == before


def test_writes_are_off_without_a_token_configured(client, engine, slug):
    before = snapshot(engine)
    assert client.patch(f"/api/incidents/{slug}", headers=AUTH,
                        json={"discovered_on": "2024-01-20", "reason": "r"}).status_code == 403
    assert snapshot(engine) == before
    assert client.get(f"/api/incidents/{slug}/history").status_code == 200  # reading is public


def test_unknown_incident_is_404(admin_client):
    assert admin_client.patch("/api/incidents/nope", headers=AUTH,
                              json={"discovered_on": "2024-01-20", "reason": "r"}).status_code == 404
    assert admin_client.get("/api/incidents/nope/history").status_code == 404
