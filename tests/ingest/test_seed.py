"""The bundled dataset: facts of the seed incidents, loaded on first start, reproducible."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app import taxonomy
from app.cli import cli
from app.models import Incident, Source
from app.seed import BUNDLE, build_bundle, load_if_empty
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"


def bundle_records():
    return [json.loads(line) for line in BUNDLE.read_text("utf-8").splitlines()]


def test_bundle_holds_facts_only():
    records = bundle_records()
    incidents = [r for r in records if r["kind"] == "incident"]
    assert len(incidents) >= 20
    for rec in records:
        if rec["kind"] == "source":
            assert rec["text"] == "" and rec["title"] is None
        if rec["kind"] == "incident":
            assert rec["title"] is None
            assert rec["attack_type"] in taxonomy.BY_KEY
            assert all(link["evidence"] == {} for link in rec["sources"])


def test_first_start_loads_the_bundle_once(engine):
    expected = sum(r["kind"] == "incident" for r in bundle_records())
    assert load_if_empty(engine) == expected
    assert load_if_empty(engine) == 0
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Incident)).one() == expected
        assert s.exec(select(func.count()).select_from(Source)).one() >= 5


def test_serve_migrates_and_loads_data_before_starting_uvicorn(env_database, engine, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: started.update(target=target, **kw))
    result = CliRunner().invoke(cli, ["serve", "--port", "8765", "--workers", "2"], catch_exceptions=False)
    assert result.exit_code == 0
    assert started["target"] == "app.web:create_app" and started["factory"] is True
    assert (started["host"], started["port"], started["workers"]) == ("127.0.0.1", 8765, 2)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Incident)).one() > 0


def test_the_first_page_shows_the_seed_incidents(engine, settings):
    from fastapi.testclient import TestClient

    from app.web import create_app

    load_if_empty(engine)
    with TestClient(create_app(settings)) as client:
        html = client.get("/").text
        with Session(engine) as s:
            slug = s.exec(select(Incident.slug)).first()
        assert f"/incidents/{slug}" in html
        assert client.get(f"/incidents/{slug}").status_code == 200


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")
def test_bundle_is_reproducible_from_the_seeds(tmp_path):
    out = tmp_path / "bundle.jsonl"
    count, unmatched = build_bundle(SEEDS, out=out)
    assert unmatched == [], "every reviewed correction still applies"
    assert out.read_text("utf-8") == BUNDLE.read_text("utf-8"), (
        "app/data/seed_incidents.jsonl is stale: run `rouei dataset build ../shared/seeds`")
