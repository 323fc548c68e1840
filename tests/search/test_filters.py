"""Filters, facets and sorts against a small fixed set of incidents, on SQLite or PostgreSQL
(the ``engine`` fixture follows ROUEI_TEST_DATABASE_URL): year extraction and delay
arithmetic are the parts that differ between the engines."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session
from starlette.datastructures import QueryParams

from app.db import session_scope
from app.models import Incident
from app.search import Filters, chart_data, find_incidents, reindex_all
from app.search.filters import BY_KEY, FACETS

ROWS = [
    # slug, type, discovered, disclosed, records, card, vendor
    ("a-skim-2022", "web_skimming", date(2022, 1, 10), date(2022, 3, 1), 5_000, 5_000, "ショーケース"),
    ("b-skim-2023", "web_skimming", date(2023, 2, 1), date(2023, 2, 11), 300, 300, "ショーケース"),
    ("c-ransom-2023", "ransomware", date(2023, 5, 1), date(2023, 9, 27), None, None, None),
    ("d-mis-2023", "misdelivery", date(2023, 7, 1), date(2023, 7, 3), 12, None, None),
    ("e-undated", "unauthorized_access", None, None, 40_000, None, "100%_vendor"),
]


@pytest.fixture
def rows(engine):
    with session_scope(engine) as s:
        for slug, kind, found, told, records, card, vendor in ROWS:
            s.add(Incident(slug=slug, organization=f"Org {slug}", attack_type=kind,
                           discovered_on=found, disclosed_on=told, records_max=records,
                           card_records=card, vendor=vendor, supply_chain=vendor is not None))
        s.flush()
        reindex_all(s)  # rows written directly, so indexed as ingest would
    return engine


def search(engine, query: str = "", **kw) -> list[str]:
    with Session(engine) as s:
        page = find_incidents(s, Filters.from_query(QueryParams(query)), **kw)
        return [i.slug for i in page.incidents]


def facets(engine, query: str = ""):
    with Session(engine) as s:
        return find_incidents(s, Filters.from_query(QueryParams(query)))


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"a-skim-2022", "b-skim-2023", "c-ransom-2023", "d-mis-2023", "e-undated"}),
    ("type=web_skimming", {"a-skim-2022", "b-skim-2023"}),
    ("type=web_skimming&type=ransomware", {"a-skim-2022", "b-skim-2023", "c-ransom-2023"}),
    ("year=2023", {"b-skim-2023", "c-ransom-2023", "d-mis-2023"}),
    ("year=2023&type=web_skimming", {"b-skim-2023"}),
    ("vendor=ショーケース", {"a-skim-2022", "b-skim-2023"}),
    ("vendor=100%25_vendor", {"e-undated"}),
    ("vendor=%25", set()),
    ("card=yes", {"a-skim-2022", "b-skim-2023"}),
    ("card=no", {"c-ransom-2023", "d-mis-2023", "e-undated"}),
    ("q=ransom", {"c-ransom-2023"}),
    ("q=vendor", {"e-undated"}),  # the vendor name is searched too
    ("type=nope", {"a-skim-2022", "b-skim-2023", "c-ransom-2023", "d-mis-2023", "e-undated"}),
])
def test_filters_select(rows, query, expected):
    assert set(search(rows, query)) == expected


@pytest.mark.parametrize("query", ["q=%25", "q=_", "q=" + "x" * 300, "q=%22%22"])
def test_a_search_the_index_cannot_run_says_why_and_lists_nothing(rows, query):
    page = facets(rows, query)
    assert page.query_error and page.incidents == [] and page.total == 0


def test_sort_by_delay_puts_the_longest_first_and_unknown_last(rows):
    # c: 149 days, a: 50, b: 10, d: 2, e: unknown
    assert search(rows, "sort=delay") == ["c-ransom-2023", "a-skim-2022", "b-skim-2023", "d-mis-2023", "e-undated"]


def test_sort_by_records_puts_unknown_last(rows):
    assert search(rows, "sort=records") == ["e-undated", "a-skim-2022", "b-skim-2023", "d-mis-2023", "c-ransom-2023"]


def test_newest_first_by_disclosure(rows):
    assert search(rows)[:4] == ["c-ransom-2023", "d-mis-2023", "b-skim-2023", "a-skim-2022"]
    assert search(rows)[-1] == "e-undated"


def test_pages(rows):
    assert len(search(rows, "page=1", page_size=2)) == 2
    assert search(rows, "page=3", page_size=2) == [search(rows)[-1]]
    assert search(rows, "page=9", page_size=2) == []


def test_facets_count_each_dimension_without_its_own_filter(rows):
    page = facets(rows, "type=web_skimming&year=2023")
    assert page.total == 1
    # the type facet ignores the type filter: every type disclosed in 2023
    assert {k: n for k, n in page.facets["type"] if n} == {"web_skimming": 1, "ransomware": 1, "misdelivery": 1}
    # the year facet ignores the year filter: every skimming incident by year
    assert page.facets["year"] == [(2023, 1), (2022, 1)]
    assert page.facets["vendor"] == [("ショーケース", 1)]
    assert page.counts("card") == {"yes": 1, "no": 0}


def test_year_facet_counts_unknown_dates(rows):
    assert facets(rows).facets["year"] == [(2023, 3), (2022, 1), (None, 1)]


def test_chart_data_ignores_the_page_and_the_sort(rows):
    with Session(rows) as s:
        assert chart_data(s, Filters(page=3, sort="records")).aggregates == chart_data(s, Filters()).aggregates
        assert chart_data(s, Filters()).aggregates.total == 5


def test_query_string_round_trips():
    params = QueryParams("q=ワコム&type=ransomware&type=web_skimming&year=2022&vendor=a%26b&card=yes&sort=delay&page=3&lang=en")
    f = Filters.from_query(params)
    assert Filters.from_query(QueryParams(f.query_string())) == f


def test_chips_remove_themselves():
    f = Filters.from_query(QueryParams("type=ransomware&type=web_skimming&year=2022&card=no&q=x"))
    chips = {c.name + ":" + c.value: c.remove_url for c in f.chips()}
    assert len(chips) == 5
    removed = Filters.from_query(QueryParams(chips["type:ランサムウェア"].split("?", 1)[1]))
    assert removed.types == ("web_skimming",) and removed.year == 2022
    assert "year=" not in chips["year:2022年"]
    assert "card=" not in chips["card:カード情報なし・不明"]


def test_toggle_resets_the_page():
    f = Filters(types=("ransomware",), page=4)
    assert "page=" not in f.toggle_url(BY_KEY["type"], "misdelivery")
    assert f.toggle_url(BY_KEY["type"], "ransomware") == "/"
    assert f.toggle("year", 2022) == "/?type=ransomware&year=2022"
    assert Filters(year=2022).toggle("year", 2022) == "/"


def test_clear_url_clears_every_facet_and_keeps_sort_and_language():
    chosen = "q=x&type=ransomware&year=2022&vendor=v&card=yes&ppc=late&review=disputed&sort=delay&lang=en&page=3"
    f = Filters.from_query(QueryParams(chosen))
    assert all(facet.chosen(f) for facet in FACETS)  # the query above chooses every facet
    cleared = Filters.from_query(QueryParams(f.clear_url().split("?", 1)[1]))
    assert not cleared.active
    assert (cleared.sort, cleared.lang, cleared.page) == ("delay", "en", 1)


def test_panel_options_list_each_facet_in_the_views_language(rows):
    page = facets(rows, "type=web_skimming&lang=en")
    panels = {p.facet.key: p for p in page.panels()}
    assert list(panels) == [f.key for f in FACETS]
    types = {o.value: o for o in panels["type"].options}
    # the panel offers only types some incident holds, the chosen one marked and its URL removing it
    assert set(types) == {kind for _slug, kind, *_ in ROWS}
    assert types["web_skimming"].on and types["web_skimming"].url == "/?lang=en"
    assert types["ransomware"].label == "Ransomware" and "type=ransomware" in types["ransomware"].url
    years = {p.facet.key: p for p in facets(rows, "lang=en").panels()}["year"].options
    assert [o.value for o in years] == [2023, 2022, None]
    assert years[-1].url is None and years[-1].label == "Date unknown"  # no filter for it yet
    assert panels["card"].title == "Card data"
    assert [(o.value, o.label) for o in panels["card"].options] == [("yes", "Leaked"), ("no", "None / unknown")]
