"""The bundled dataset: facts of the seed incidents, loaded on first start, reproducible."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app import revisions, taxonomy
from app.cli import cli
from app.db import session_scope
from app.export import FACTS
from app.ingest.files import ingest_file
from app.ingest.store import bundled_hash
from app.models import Incident, IncidentEvent, IncidentSource, Source
from app.seed import BUNDLE, CORRECTIONS, build_bundle, load_bundled, load_if_empty
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
LABELLED = SHARED / "corpus" / "real"
needs_seeds = pytest.mark.skipif(not (SEEDS.is_dir() and LABELLED.is_dir()),
                                 reason="../shared/seeds and ../shared/corpus are not here")


def is_seed(source: Source) -> bool:
    return "://" not in source.uri


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


@needs_seeds
def test_bundle_is_reproducible_from_the_seeds(tmp_path):
    out = tmp_path / "bundle.jsonl"
    count, unmatched = build_bundle(SEEDS, labels=LABELLED, out=out)
    assert unmatched == [], "every reviewed correction and every labelled incident still applies"
    assert out.read_text("utf-8") == BUNDLE.read_text("utf-8"), (
        "app/data/seed_incidents.jsonl is stale: run `make dataset`")


def store_state(engine) -> tuple[dict[str, dict], dict[str, int]]:
    """Every incident's facts by slug, and how many rows each table holds."""
    with Session(engine) as s:
        facts = {i.slug: {**{n: getattr(i, n) for n in FACTS}, "merged_into_id": i.merged_into_id}
                 for i in s.exec(select(Incident))}
        rows = {m.__name__: s.exec(select(func.count()).select_from(m)).one()
                for m in (Incident, Source, IncidentSource, IncidentEvent)}
    return facts, rows


def assert_reviewed_values_stand(engine) -> None:
    """Each reviewed value holds, pinned by a correction revision that gives the review's why."""
    fixes = json.loads(CORRECTIONS.read_text("utf-8"))["corrections"]
    with Session(engine) as s:
        for fix in fixes:
            inc = s.exec(select(Incident).where(Incident.slug == fix["where"]["slug"])).one()
            assert set(fix["set"]) <= revisions.pinned(s, inc.id)
            states = revisions.facts_state(s, inc)
            assert all(states[n].revision.reason == fix["why"] for n in fix["set"])
            for name, value in fix["set"].items():
                got = getattr(inc, name)
                assert (got.isoformat() if hasattr(got, "isoformat") else got) == value, (inc.slug, name)


@needs_seeds
def test_reingesting_the_seeds_by_another_path_changes_no_fact_and_adds_no_source(engine, tmp_path):
    load_bundled(engine)
    before, rows = store_state(engine)
    assert_reviewed_values_stand(engine)
    elsewhere = shutil.copytree(SEEDS, tmp_path / "elsewhere" / "seeds")
    outcomes = [ingest_file(engine, path) for path in sorted(elsewhere.glob("*.txt"))]
    assert [o.status for o in outcomes] == ["unchanged"] * len(outcomes)
    assert store_state(engine) == (before, rows)
    assert_reviewed_values_stand(engine)
    with Session(engine) as s:
        # The same bytes were the bundle's sources: they now have their text and evidence.
        assert all(src.text for src in s.exec(select(Source)) if is_seed(src))
        assert any(link.evidence for link in s.exec(select(IncidentSource)))
    # and by the original path, a second time: still the same documents
    assert {ingest_file(engine, p).status for p in sorted(SEEDS.glob("*.txt"))} == {"unchanged"}
    assert store_state(engine) == (before, rows)


@needs_seeds
def test_a_store_loaded_from_an_older_bundle_takes_the_real_files_as_its_sources(engine):
    """Bundles before #13 named each seed by a made-up hash of its file name."""
    load_bundled(engine)
    with session_scope(engine) as s:
        for src in s.exec(select(Source)):
            if is_seed(src):
                src.content_hash = bundled_hash(src.uri)
                s.add(src)
    before, rows = store_state(engine)
    assert {ingest_file(engine, p).status for p in sorted(SEEDS.glob("*.txt"))} == {"unchanged"}
    assert store_state(engine) == (before, rows)
    with Session(engine) as s:
        assert all(src.text and src.content_hash != bundled_hash(src.uri) for src in s.exec(select(Source))
                   if is_seed(src))


@needs_seeds
def test_labelled_documents_give_linked_incidents_with_the_labels_values(engine):
    """The bundle holds the incidents of ../shared/corpus/real: each links to the notice's URL,
    holds the label's reviewed values (pinned), and what a label calls no incident is absent."""
    from app.seed import labelled_documents

    load_bundled(engine)
    documents = labelled_documents(LABELLED)
    assert len(documents) >= 30
    with Session(engine) as s:
        by_uri = {src.uri: src for src in s.exec(select(Source))}
        names = {i.organization_core for i in s.exec(select(Incident))}
        for path, url, _data in documents:
            assert url in by_uri, url
            gold = json.loads(path.read_text("utf-8"))["gold"]
            golds = gold.get("incidents", [gold])
            links = s.exec(select(IncidentSource).where(IncidentSource.source_id == by_uri[url].id)).all()
            assert len({link.incident_id for link in links}) <= sum(g.get("is_incident", True) for g in golds)
            for g in golds:
                if not g.get("is_incident", True):
                    assert g["organization_core"] not in names, (url, g["organization_core"])
                    continue
                if g["organization_core"] is None or len(golds) > 1:
                    continue
                (inc,) = [s.get(Incident, i) for i in {link.incident_id for link in links}]
                pinned = revisions.pinned(s, inc.id)
                for name in ("attack_type", "disclosed_on", "discovered_on", "records_max"):
                    want = g[name]
                    if isinstance(want, dict):
                        continue
                    got = getattr(inc, name)
                    assert (got.isoformat() if hasattr(got, "isoformat") else got) == want, (url, name)
                    assert name in pinned or want is None, (url, name)


@needs_seeds
def test_reingesting_a_labelled_document_by_its_url_changes_no_fact(engine):
    from app.ingest.pipeline import ingest_bytes
    from app.seed import labelled_documents

    load_bundled(engine)
    before, rows = store_state(engine)
    for path, url, data in labelled_documents(LABELLED)[:6]:
        assert ingest_bytes(engine, uri=url, data=data, filename=path.with_suffix(".txt").name).status == "unchanged"
    assert store_state(engine) == (before, rows)
