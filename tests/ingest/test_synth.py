"""Synthetic incidents (app.synth, `rouei synth`): varied, linked, indexed, repeatable."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.cli import cli
from app.db import make_engine, upgrade
from app.models import Incident, IncidentSource, Source
from app.search import incident_filter, parse_query
from app.synth import synthesize


def test_synthesize_makes_varied_linked_incidents(engine):
    with Session(engine) as session:
        assert synthesize(session, count=120, seed=7) == 120
        session.commit()
        incidents = session.exec(select(Incident)).all()
        assert len(incidents) == 120
        assert len({i.attack_type for i in incidents}) >= 6
        assert len({i.organization for i in incidents}) >= 40
        assert len({i.disclosed_on.year for i in incidents}) >= 5
        assert any(i.records_max is None for i in incidents)  # unknown stays unknown
        assert all(i.discovered_on is None or i.discovered_on < i.disclosed_on for i in incidents)
        links = session.exec(select(IncidentSource)).all()
        assert len(links) == 120
        source = session.get(Source, links[0].source_id)
        assert "お詫び" in source.text and source.text[links[0].segment_start:links[0].segment_end]
        # Indexed: a word every notice has finds them all; a skimming case finds its cards.
        assert session.exec(select(func.count()).select_from(Incident)
                            .where(incident_filter(session, parse_query("再発防止")))).one() == 120
        skimmed = session.exec(select(func.count()).select_from(Incident).where(
            incident_filter(session, parse_query("カード")), col(Incident.attack_type) == "web_skimming")).one()
        assert skimmed == sum(i.attack_type == "web_skimming" for i in incidents)


def test_same_seed_same_data(tmp_path):
    rows = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        upgrade(engine)
        with Session(engine) as session:
            synthesize(session, count=30, seed=1, index=False)
            rows.append([(i.organization, i.attack_type, i.disclosed_on, i.records_max)
                         for i in session.exec(select(Incident).order_by(col(Incident.id)))])
        engine.dispose()
    assert rows[0] == rows[1]


def test_more_can_be_added(engine):
    with Session(engine) as session:
        synthesize(session, count=30, seed=1)
        synthesize(session, count=30, seed=1)  # new ids, new keys: no unique clash
        session.commit()
        assert session.exec(select(func.count()).select_from(Incident)).one() == 60
        # A row added the ordinary way gets a fresh id (PostgreSQL sequences were moved on).
        session.add(Incident(slug="after-synth", leaked_items=[]))
        session.commit()


def test_cli_synth(env_database, engine):
    result = CliRunner().invoke(cli, ["synth", "--count", "25", "--seed", "3"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Incident)).one() == 25
