"""Every `rouei` command, through typer's runner, against the test database."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.models import Incident, IncidentSource, Source
from tests.conftest import FIXTURES

NOTICES = FIXTURES / "notices"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [[], ["serve"], ["ingest"], ["parse"], ["export"], ["import"],
                                     ["db"], ["db", "upgrade"], ["db", "downgrade"], ["db", "reindex"], ["synth"],
                                     ["dataset"], ["dataset", "build"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_parse_json_prints_one_contract_line_per_file_in_order(tmp_path):
    bad = tmp_path / "binary.txt"
    bad.write_bytes(b"\x00\x01\x02\xff" * 100)
    files = [str(NOTICES / "hanamizuki_notice.txt"), str(bad), str(NOTICES / "weekly_digest.txt")]
    result = run("parse", "--json", *files)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in rows] == files
    assert "error" in rows[1] and rows[1]["error"]
    incident = rows[0]["incidents"][0]
    for key in ("is_incident", "organization", "organization_core", "service", "attack_type",
                "supply_chain", "vendor", "discovered_on", "disclosed_on", "exposure_from",
                "exposure_to", "records_max", "card_records", "personal_records",
                "reported_to_ppc_on", "reported_to_police_on", "leaked_items", "status",
                "events", "evidence"):
        assert key in incident
    assert incident["organization_core"] == "ハナミズキ商店"


def test_parse_exits_non_zero_only_when_no_file_could_be_read(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("parse", "--json", str(empty), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert all("error" in json.loads(line) for line in result.stdout.splitlines())


def test_db_upgrade_and_downgrade(env_database):
    assert run("db", "downgrade", "base").exit_code == 0
    assert run("db", "upgrade").exit_code == 0


def test_db_reindex_rebuilds_the_search_index(env_database, engine):
    from sqlalchemy import text

    run("ingest", str(NOTICES))
    table = "incident_fts" if engine.dialect.name == "sqlite" else "incident_search"
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table}"))
    result = run("db", "reindex")
    assert result.exit_code == 0 and "Indexed" in result.output
    with Session(engine) as s:
        incidents = s.exec(select(func.count()).select_from(Incident)).one()
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == incidents


def test_ingest_a_folder_then_again_changes_nothing(env_database, engine):
    first = run("ingest", str(NOTICES))
    assert first.exit_code == 0, first.output
    with Session(engine) as s:
        incidents = s.exec(select(func.count()).select_from(Incident)).one()
        sources = s.exec(select(func.count()).select_from(Source)).one()
    assert sources == 4 and incidents >= 3
    second = run("ingest", str(NOTICES))
    assert "4 unchanged" in second.output
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Incident)).one() == incidents


def test_ingest_reports_bad_files_and_goes_on(env_database, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "good.txt").write_text((NOTICES / "midorino_misdelivery.txt").read_text("utf-8"), "utf-8")
    result = run("ingest", str(tmp_path))
    assert result.exit_code == 0
    assert "2 failed" in result.output and "1 new" in result.output


def test_ingest_fails_when_nothing_could_be_ingested(env_database, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert run("ingest", str(tmp_path / "empty.txt")).exit_code == 1


def test_export_jsonl_then_import_into_an_empty_store_gives_the_same_data(env_database, engine, tmp_path, monkeypatch):
    run("ingest", str(NOTICES))
    dump = tmp_path / "dump.jsonl"
    assert run("export", "--format", "jsonl", "-o", str(dump)).exit_code == 0
    records = [json.loads(line) for line in dump.read_text("utf-8").splitlines()]
    assert {r["kind"] for r in records} == {"organization", "source", "incident"}

    other = f"sqlite:///{tmp_path / 'other.db'}"
    from app.config import get_settings
    monkeypatch.setenv("ROUEI_DATABASE_URL", other)
    get_settings.cache_clear()
    assert run("import", str(dump)).exit_code == 0
    again = tmp_path / "again.jsonl"
    run("export", "--format", "jsonl", "-o", str(again))
    assert again.read_text("utf-8") == dump.read_text("utf-8")


def test_import_of_a_broken_file_changes_nothing(env_database, engine, tmp_path):
    run("ingest", str(NOTICES / "midorino_misdelivery.txt"))
    dump = tmp_path / "dump.jsonl"
    run("export", "--format", "jsonl", "-o", str(dump))
    broken = tmp_path / "broken.jsonl"
    lines = dump.read_text("utf-8").splitlines()
    changed = [json.loads(line) for line in lines]
    for record in changed:
        if record["kind"] == "incident":
            record["slug"] = "new-" + record["slug"]
    broken.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in changed) + "\n{not json\n", "utf-8")
    with Session(engine) as s:
        before = s.exec(select(func.count()).select_from(Incident)).one()
    result = run("import", str(broken))
    assert result.exit_code == 1 and "nothing was changed" in result.output
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Incident)).one() == before


def test_export_csv_opens_in_excel_and_neutralises_formulas(env_database, engine, tmp_path):
    run("ingest", str(NOTICES))
    with Session(engine) as s:
        incident = s.exec(select(Incident)).first()
        incident.service = "=cmd|' /C calc'!A0"
        s.add(incident)
        s.commit()
    out = tmp_path / "out.csv"
    assert run("export", "--format", "csv", "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) >= 3
    assert any(r["service"] == "'=cmd|' /C calc'!A0" for r in rows)
    with Session(engine) as s:
        linked = s.exec(select(func.count()).select_from(IncidentSource)).one()
    assert linked >= len(rows)


# ---- corrections (#13) ----


def test_edit_corrects_and_pins_history_lists_it_and_a_bad_value_changes_nothing(env_database, engine):
    from app.ingest.pipeline import ingest_bytes

    ingest_bytes(engine, uri="notice-1.txt", data=(FIXTURES / "ingest" / "tsubaki_notice_1.txt").read_bytes())
    with Session(engine) as s:
        slug = s.exec(select(Incident.slug)).one()
    runner = CliRunner()
    bad = runner.invoke(cli, ["edit", slug, "--set", "discovered_on=2022-13-45", "--set", "records_max=5",
                              "--reason", "typo"])
    assert bad.exit_code == 1 and "discovered_on" in bad.output
    done = runner.invoke(cli, ["edit", slug, "--set", "discovered_on=2024-01-20", "--set", "records_max=",
                               "--reason", "the final report", "--by", "hanako"])
    assert done.exit_code == 0, done.output
    assert "discovered_on: \"2024-01-22\" → \"2024-01-20\"" in done.output
    with Session(engine) as s:
        inc = s.exec(select(Incident)).one()
        assert (inc.discovered_on.isoformat(), inc.records_max) == ("2024-01-20", None)
    assert runner.invoke(cli, ["review", slug, "reviewed", "--reason", "checked"]).exit_code == 0
    lines = runner.invoke(cli, ["history", slug]).output.splitlines()
    assert "review" in lines[0] and "reviewed" in lines[0]
    assert any("correction" in line and "hanako" in line and "the final report" in line for line in lines)
    assert any("parser" in line and "notice-1.txt" in line for line in lines)
    assert runner.invoke(cli, ["history", "no-such-incident"]).exit_code == 1


def test_merge_then_split_from_the_shell_round_trips_and_a_bad_one_changes_nothing(env_database, engine):
    from app.ingest.pipeline import ingest_bytes

    ingest_bytes(engine, uri="notice-1.txt", data=(FIXTURES / "ingest" / "tsubaki_notice_1.txt").read_bytes())
    ingest_bytes(engine, uri="digest.txt", data=(FIXTURES / "ingest" / "weekly_digest.txt").read_bytes())
    with Session(engine) as s:
        first, second = s.exec(select(Incident.slug).order_by(Incident.id)).all()[:2]
    runner = CliRunner()
    same = runner.invoke(cli, ["merge", first, first, "--reason", "x"])
    assert same.exit_code == 1 and "into" in same.output and "Nothing was changed" in same.output
    done = runner.invoke(cli, ["merge", first, second, "--reason", "one breach", "--by", "hanako"])
    assert done.exit_code == 0, done.output
    with Session(engine) as s:
        assert s.exec(select(Incident).where(Incident.slug == first)).one().merged_into_id is not None
    wrong = runner.invoke(cli, ["split", second, "--source", "nowhere.txt", "--reason", "x"])
    assert wrong.exit_code == 1 and "notice-1.txt" in wrong.output  # it lists the sources there are
    back = runner.invoke(cli, ["split", second, "--source", "notice-1.txt", "--reason", "two breaches"])
    assert back.exit_code == 0, back.output
    assert back.output.strip() == first
    with Session(engine) as s:
        assert s.exec(select(Incident).where(Incident.slug == first)).one().merged_into_id is None
    lines = runner.invoke(cli, ["history", first]).output.splitlines()
    assert "split" in lines[0] and "two breaches" in lines[0]
