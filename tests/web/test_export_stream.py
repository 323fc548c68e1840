"""/incidents.csv and the JSON Lines export read their rows in batches, the links joined in
SQL: the statements they run do not grow with the rows (app.export)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import event

from app import export
from app.db import session_scope
from tests.web.test_api import ORGS, dataset  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("dataset")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(export, "BATCH", 3)  # ten incidents: four batches


class Statements:
    """Counts the statements an engine runs while active."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine, self.seen = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        self.seen.append(statement)


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize("query", ["", "?type=web_skimming", "?sort=records", "?q=株式会社"])
def test_the_csv_in_batches_has_the_lists_rows_in_its_order(client, query):
    listed = client.get(f"/api/incidents{query or '?'}&limit=200").json()["data"]
    response = client.get(f"/incidents.csv{query}")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = rows_of(response)
    assert [r["slug"] for r in rows] == [i["slug"] for i in listed]
    assert rows, "each query selects something"
    for row in rows:
        n = next(i for i, o in enumerate(ORGS) if o[0] in row["organization"] or row["organization"].endswith(o[0]))
        assert row["sources"] == f"https://example.org/{n}"


@pytest.mark.usefixtures("small_batches")
def test_the_csv_runs_two_statements_a_batch_not_one_a_row(client):
    engine = client.app.state.engine
    client.get("/incidents.csv?type=web_skimming"), client.get("/incidents.csv")  # columns, caches
    with Statements(engine) as few:
        assert len(rows_of(client.get("/incidents.csv?type=web_skimming"))) == 2  # one batch
    with Statements(engine) as many:
        assert len(rows_of(client.get("/incidents.csv"))) == len(ORGS)  # four batches
    assert len(many.seen) - len(few.seen) == 2 * 3, "three batches more: their rows and their links"


@pytest.mark.usefixtures("small_batches")
def test_the_jsonl_export_reads_a_batch_of_incidents_at_a_time(engine):
    with Statements(engine) as run, session_scope(engine) as session:
        out = io.StringIO()
        assert export.write_jsonl(session, out) == len(ORGS)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    incidents = [r for r in records if r["kind"] == "incident"]
    assert [r["organization"] for r in incidents] == [o[0] for o in ORGS]
    assert all(len(r["sources"]) == 1 and len(r["events"]) == 1 for r in incidents)
    # organisations, sources, slugs, ids, then four queries per batch of three
    assert len([s for s in run.seen if s.lstrip().upper().startswith("SELECT")]) == 4 + 4 * 4
