"""POST /api/documents: the ingest pipeline behind an admin token; off without one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.web import create_app
from tests.conftest import FIXTURES

NOTICE = (FIXTURES / "notices" / "midorino_misdelivery.txt").read_bytes()
TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def admin_client(settings):
    with TestClient(create_app(settings.model_copy(update={"admin_token": TOKEN, "fetch_max_bytes": 100_000}))) as c:
        yield c


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_writes_are_off_without_a_configured_token(client):
    response = client.post("/api/documents", content=NOTICE, headers=auth())
    assert response.status_code == 403
    assert "ROUEI_ADMIN_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": TOKEN}, auth(TOKEN + "x")])
def test_a_missing_or_wrong_token_is_refused(admin_client, headers):
    response = admin_client.post("/api/documents", content=NOTICE, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_upload_runs_the_pipeline_and_the_incident_appears(admin_client):
    response = admin_client.post("/api/documents?name=notice.txt", content=NOTICE, headers=auth())
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 1
    listed = admin_client.get("/api/incidents?type=misdelivery").json()
    assert listed["count"] == 1 and listed["data"][0]["records_max"] == 152
    again = admin_client.post("/api/documents?name=notice.txt", content=NOTICE, headers=auth())
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


def test_unreadable_and_oversized_uploads_get_clear_errors(admin_client):
    binary = admin_client.post("/api/documents", content=bytes(range(256)) * 10, headers=auth())
    assert binary.status_code == 422 and binary.json()["reason"]
    big = admin_client.post("/api/documents", content=b"a" * 100_001, headers=auth())
    assert big.status_code == 413
    assert admin_client.get("/api/incidents").json()["count"] == 0


@pytest.mark.slow
def test_an_upload_past_the_cap_is_a_413_that_names_the_cap(admin_client):
    # Declared too large: refused before the body is read.
    declared = admin_client.post("/api/documents", content=b"a" * 100_001,
                                 headers={**auth(), "Content-Length": "100001"})
    assert declared.status_code == 413
    assert declared.json() == {"detail": "the document is larger than 100000 bytes"}

    # No length declared (chunked): counted while it streams in.
    def chunks():
        for _ in range(11):
            yield b"a" * 10_000

    streamed = admin_client.post("/api/documents", content=chunks(), headers=auth())
    assert streamed.status_code == 413
    assert streamed.json()["detail"] == "the document is larger than 100000 bytes"
    assert streamed.headers["content-type"] == "application/json"
    at_cap = admin_client.post("/api/documents?name=notice.txt", content=NOTICE.ljust(100_000, b" "),
                               headers=auth())
    assert at_cap.status_code == 201, at_cap.text


def test_a_201_character_name_is_a_422_in_the_documented_shape(admin_client):
    response = admin_client.post(f"/api/documents?name={'a' * 201}", content=NOTICE, headers=auth())
    assert response.status_code == 422
    assert response.json()["detail"] == "invalid request: name"
    assert [e["field"] for e in response.json()["errors"]] == ["name"]
    documented = admin_client.get("/openapi.json").json()["paths"]["/api/documents"]["post"]["responses"]["422"]
    shapes = documented["content"]["application/json"]["schema"]["anyOf"]
    assert {"$ref": "#/components/schemas/ValidationErrorPublic"} in shapes
    assert {"$ref": "#/components/schemas/UploadResult"} in shapes
