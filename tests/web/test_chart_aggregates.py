"""The charts over every matching incident of a store larger than any cap: each figure equals
the same aggregate computed directly from the rows SQL selects, in both languages, for the
home page, its CSV links and /api/stats (on SQLite, or PostgreSQL with ROUEI_TEST_DATABASE_URL)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import statistics
from collections import Counter

import pytest
from sqlmodel import Session, select

from app import charts, taxonomy
from app.db import session_scope
from app.models import Incident
from app.search import Filters, chart_data
from app.search.aggregates import TIMELINE_ROWS, TOP_ORGS, personal_records
from app.search.service import text_clause
from app.synth import synthesize
from tests.web.test_web import tags

SIZE = 2_600  # past the 2,000 rows the charts once read, and past every cap of a chart
VIEWS = [Filters(), Filters(types=("web_skimming", "ransomware")), Filters(year=2021),
         Filters(q="カード"), Filters(card="yes", lang="en")]

pytestmark = pytest.mark.slow


@pytest.fixture
def store(engine):
    with session_scope(engine) as s:
        synthesize(s, count=SIZE, seed=3)
    return engine


def rows_of(session: Session, filters: Filters) -> list[Incident]:
    text, _ = text_clause(session, filters.q)
    return list(session.exec(select(Incident).where(*filters.where(text=text))))


def percentile(values: list[int], p: float) -> float:
    """The linear-interpolation percentile, written out."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * p / 100
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def expected(rows: list[Incident]) -> dict:
    dated = [i for i in rows if i.discovered_on and i.disclosed_on]
    monthly = Counter((i.attack_type, i.disclosed_on.strftime("%Y-%m")) for i in rows if i.disclosed_on)
    delays: dict[str, list[int]] = {}
    for i in dated:
        delays.setdefault(i.attack_type, []).append((i.disclosed_on - i.discovered_on).days)
    card: Counter[str] = Counter()
    personal: Counter[str] = Counter()
    for i in rows:
        c, p = i.card_records, personal_records(i.records_max, i.card_records, i.personal_records)
        if c or p:
            card[i.organization or i.organization_core or ""] += c or 0
            personal[i.organization or i.organization_core or ""] += p or 0
    orgs = sorted(set(card) | set(personal), key=lambda o: (-max(card[o], personal[o]), o))[:TOP_ORGS]
    newest = sorted(dated, key=lambda i: (i.disclosed_on, i.discovered_on, i.id), reverse=True)[:TIMELINE_ROWS]
    return {"monthly": monthly, "delays": delays, "orgs": [(o, personal[o], card[o]) for o in orgs],
            "newest": [i.id for i in newest], "undated": len(rows) - len(dated),
            "undisclosed": sum(1 for i in rows if not i.disclosed_on)}


def test_chart_figures_equal_direct_aggregates_over_every_matching_incident(store):
    with Session(store) as s:
        assert len(rows_of(s, Filters())) == SIZE
        for filters in VIEWS:
            rows = rows_of(s, filters)
            want = expected(rows)
            data = chart_data(s, filters)
            agg = data.aggregates
            assert agg.total == len(rows), filters
            got_monthly = Counter({(k, m): n for k, counts in agg.monthly.items()
                                   for m, n in zip(agg.months, counts, strict=True) if n})
            assert got_monthly == want["monthly"], filters
            assert {d.kind: d.n for d in agg.delays} == {k: len(v) for k, v in want["delays"].items()}
            for d in agg.delays:
                days = want["delays"][d.kind]
                assert d.median == statistics.median(days)
                assert d.quantiles == pytest.approx([percentile(days, p) for p in (10, 25, 50, 75, 90)])
            assert [(o.name, o.personal, o.card) for o in agg.orgs] == want["orgs"], filters
            assert list(agg.newest) == want["newest"]
            assert [i.id for i in data.newest] == want["newest"]
            assert (agg.undated, agg.undisclosed) == (want["undated"], want["undisclosed"])
            # What is drawn is what was aggregated.
            drawn = {c.key: c for c in charts.all_charts(data, filters.lang)}
            monthly = drawn["monthly"].figure
            assert sum(sum(t["y"]) for t in monthly["data"]) == sum(want["monthly"].values())
            assert drawn["timeline"].shown == min(TIMELINE_ROWS, len(rows) - want["undated"])


def test_the_whole_store_is_charted_not_the_newest_rows(store):
    with Session(store) as s:
        years = {i.disclosed_on.year for i in rows_of(s, Filters()) if i.disclosed_on}
        months = chart_data(s, Filters()).aggregates.months
    assert int(months[0][:4]) == min(years) and int(months[-1][:4]) == max(years)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_page_ships_aggregates_and_each_chart_csv_is_what_is_drawn(client, store, lang):
    suffix = "&lang=en" if lang == "en" else ""
    response = client.get(f"/?type=web_skimming{suffix}")
    page = tags(response.text)
    assert len(response.content) < 60_000
    plots = {p["id"].removeprefix("chart-"): json.loads(p["data-figure"]) for p in page.find("div", class_="plot")}
    assert set(plots) == set(charts.KEYS)
    links = {a["href"] for a in page.find("a", class_="chart-csv")}
    assert links == {f"/charts/{k}.csv?type=web_skimming{suffix}" for k in charts.KEYS}
    with Session(store) as s:
        drawn = {c.key: c for c in charts.all_charts(
            chart_data(s, Filters(types=("web_skimming",), lang=lang)), lang)}
    for key in charts.KEYS:
        got = client.get(f"/charts/{key}.csv?type=web_skimming{suffix}")
        assert got.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(got.text.removeprefix("\ufeff"))))
        header, rows = drawn[key].table
        assert table == [list(header)] + [[str(c) for c in r] for r in rows], key
    # the CSV of the monthly chart holds the same counts as the figure on the page
    monthly = list(csv.reader(io.StringIO(client.get(f"/charts/monthly.csv?type=web_skimming{suffix}").text)))
    assert [int(r[1]) for r in monthly[1:]] == plots["monthly"]["data"][0]["y"]
    assert [r[0] for r in monthly[1:]] == plots["monthly"]["shared"]["x"]
    assert len(plots["timeline"]["data"][0]["y"]) == TIMELINE_ROWS


def test_stats_are_the_aggregates_with_null_for_unknown_totals(client, store):
    rows = client.get("/api/stats").json()["data"]
    with Session(store) as s:
        live = rows_of(s, Filters())
    assert sum(r["incidents"] for r in rows) == SIZE
    for r in rows:
        group = [i for i in live if i.attack_type == r["attack_type"]
                 and (i.disclosed_on.year if i.disclosed_on else None) == r["year"]]
        known = [i.records_max for i in group if i.records_max is not None]
        days = [(i.disclosed_on - i.discovered_on).days for i in group if i.disclosed_on and i.discovered_on]
        assert r == {"attack_type": r["attack_type"], "year": r["year"], "incidents": len(group),
                     "with_delay": len(days), "median_delay_days": statistics.median(days) if days else None,
                     "records_total": sum(known) if known else None,
                     "records_unknown": len(group) - len(known)}
    assert {r["attack_type"] for r in rows} <= set(taxonomy.KEYS)


@pytest.mark.parametrize(("lang", "words"), [("ja", "データなし"), ("en", "No data")])
def test_an_empty_result_says_no_data_instead_of_empty_axes(client, engine, lang, words):
    html = client.get("/?q=存在しない語句xyz" + ("&lang=en" if lang == "en" else "")).text
    assert tags(html).find("div", class_="plot") == []
    assert re.findall(r'<p class="no-data">([^<]*)</p>', html) == [words] * len(charts.KEYS)
    csv_text = client.get("/charts/delay.csv?q=存在しない語句xyz").text
    assert csv_text.count("\r\n") == 1  # the header alone


def test_unknown_chart_is_404(client, engine):
    assert client.get("/charts/nope.csv").status_code == 404


def test_stats_total_is_null_when_every_count_is_unknown(client, engine):
    from datetime import date

    from app.search import reindex_all

    with session_scope(engine) as s:
        s.add(Incident(slug="u1", organization="U", attack_type="ransomware", disclosed_on=date(2023, 1, 5)))
        s.add(Incident(slug="u2", organization="U", attack_type="ransomware", disclosed_on=date(2023, 2, 5)))
        s.flush()
        reindex_all(s)
    rows = client.get("/api/stats").json()["data"]
    assert rows == [{"attack_type": "ransomware", "year": 2023, "incidents": 2, "with_delay": 0,
                     "median_delay_days": None, "records_total": None, "records_unknown": 2}]
