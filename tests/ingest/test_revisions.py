"""Revisions as the record (#13): parses and corrections are rows; a correction pins its field."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app import revisions
from app.db import session_scope
from app.export import export_records, import_records
from app.ingest.pipeline import ingest_bytes
from app.models import Incident, Revision
from tests.conftest import FIXTURES

HERE = FIXTURES / "ingest"
FIRST, SECOND = (HERE / "tsubaki_notice_1.txt").read_bytes(), (HERE / "tsubaki_notice_2.txt").read_bytes()


def tsubaki(s: Session) -> Incident:
    return s.exec(select(Incident).where(Incident.organization_core == "ツバキ精工")).one()


def rows(s: Session, inc: Incident, **where) -> list[Revision]:
    query = select(Revision).where(Revision.incident_id == inc.id)
    for name, value in where.items():
        query = query.where(getattr(Revision, name) == value)
    return list(s.exec(query.order_by(Revision.id)))


def test_a_parse_is_a_revision_made_by_its_source(engine):
    ingest_bytes(engine, uri="notice-1.txt", data=FIRST)
    with Session(engine) as s:
        inc = tsubaki(s)
        made = {r.field: r for r in rows(s, inc, kind="parser")}
        assert made["records_max"].new_value == 100_000 and made["records_max"].old_value is None
        assert made["discovered_on"].new_value == "2024-01-22"
        assert all(r.applied and r.source_id for r in made.values() if r.field != "attack_type")
    ingest_bytes(engine, uri="notice-2.txt", data=SECOND)
    with Session(engine) as s:
        inc = tsubaki(s)
        change = rows(s, inc, kind="parser", field="records_max")[-1]
        assert (change.old_value, change.new_value) == (100_000, 5836) and inc.records_max == 5836


def test_a_correction_pins_its_field_and_a_later_parse_is_only_a_suggestion(engine):
    ingest_bytes(engine, uri="notice-1.txt", data=FIRST)
    with session_scope(engine) as s:
        inc = tsubaki(s)
        revisions.correct(s, incident=inc, changes={"records_max": 9416, "discovered_on": date(2024, 1, 20)},
                          actor="reviewer", reason="the final report")
    with Session(engine) as s:
        inc = tsubaki(s)
        assert (inc.records_max, inc.records_max_qualifier, inc.discovered_on) == (9416, None, date(2024, 1, 20))
        assert revisions.suggestions(s, inc) == []
        assert {"records_max", "records_max_qualifier", "discovered_on"} <= revisions.pinned(s, inc.id)
    # 第2報 says 5,836 and repeats the discovery date: the reviewed values stand
    assert ingest_bytes(engine, uri="notice-2.txt", data=SECOND).status == "updated"
    assert ingest_bytes(engine, uri="notice-2-again.txt", data=SECOND).status == "unchanged"
    with Session(engine) as s:
        inc = tsubaki(s)
        assert (inc.records_max, inc.discovered_on) == (9416, date(2024, 1, 20))
        waiting = revisions.suggestions(s, inc)
        assert [(v.revision.field, v.revision.new_value) for v in waiting] == [("records_max", 5836)]
        assert waiting[0].source_uri == "notice-2.txt" and not waiting[0].revision.applied
        # the discovery date the parser gives is the one it gave before: nothing new to suggest
        assert not rows(s, inc, kind="parser", field="discovered_on", applied=False)
    # taking the suggestion is a correction too; then nothing is waiting
    with session_scope(engine) as s:
        inc = tsubaki(s)
        revisions.correct(s, incident=inc, changes={"records_max": 5836}, actor="reviewer", reason="take 第2報")
    with Session(engine) as s:
        assert revisions.suggestions(s, tsubaki(s)) == []


def test_history_is_newest_first_and_an_export_round_trips_it(engine, tmp_path):
    from app.db import make_engine, upgrade

    ingest_bytes(engine, uri="notice-1.txt", data=FIRST)
    with session_scope(engine) as s:
        inc = tsubaki(s)
        revisions.correct(s, incident=inc, changes={"records_max": 9416}, actor="reviewer", reason="why")
        revisions.set_review(s, incident=inc, status="reviewed", actor="reviewer", reason="checked")
    with Session(engine) as s:
        inc = tsubaki(s)
        seen = revisions.history(s, inc)
        assert [v.revision.id for v in seen] == sorted((v.revision.id for v in seen), reverse=True)
        assert seen[0].revision.kind == "review" and seen[0].revision.new_value == "reviewed"
        records = list(export_records(s))
    other = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    upgrade(other)
    with session_scope(other) as s:
        import_records(s, records)
    with Session(other) as s:
        again = list(export_records(s))
        assert [r for r in again if r["kind"] == "incident"] == [r for r in records if r["kind"] == "incident"]
        assert tsubaki(s).review_status == "reviewed"
        assert "records_max" in revisions.pinned(s, tsubaki(s).id)
    other.dispose()
