"""The fast search page gives what the plain one gives, and its cache follows every write.

``find_incidents`` reads counts and facets from one grouped pass (cached per search text under
the search stamp) and a page from its order's index; these tests hold it to the plain
definition: filter, order by names-first / relevance / the sort, count each facet without its
own filter.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import case, delete, func, literal
from sqlmodel import Session, col, select

from app.db import make_engine
from app.models import Incident, IncidentEvent, IncidentSource
from app.search import (
    CACHE,
    Filters,
    bump_stamp,
    columns,
    find_incidents,
    incident_filter,
    match,
    parse_query,
    ranking,
    search_stamp,
    service,
)
from app.search.filters import SORTS, VENDOR_FACET_SIZE, year_of
from app.search.index import reindex_incidents
from app.synth import synthesize

QUERIES = ["", "漏洩", "カード", "ランサムウェア", "ランサムウェア OR マルウェア", "漏洩 -ランサムウェア",
           "ペイリンク", "市", "EC", '"不正ログイン"', "再発防止"]


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        synthesize(s, count=150, seed=7)
        s.commit()
        CACHE.clear()
        yield s


def rank_order(session: Session, q: str):  # noqa: ANN201 - an ORDER BY term, or None
    """The search's ranking as one ORDER BY term (ascending: best first): names matches
    first, then a selective query's best by relevance."""
    rank = ranking(session, parse_query(q))
    if rank is None:
        return None
    first = case((col(Incident.id).in_(rank.names_ids), 0), else_=1) if rank.names_ids is not None else literal(0)
    if not rank.best:
        return first.asc()
    position = case({incident_id: i for i, incident_id in enumerate(rank.best)},
                    value=Incident.id, else_=len(rank.best))
    return (first * (match.RANKED + 1) + position).asc()


def reference_ids(session: Session, filters: Filters) -> list[int]:
    """Every matching id in page order, by one plain query (no hints, no cache)."""
    text = incident_filter(session, parse_query(filters.q)) if filters.q else None
    query = select(Incident.id).where(*filters.where(text=text))
    if filters.q and filters.sort == "newest":
        order = rank_order(session, filters.q)
        if order is not None:
            query = query.order_by(order)
    return list(session.exec(columns.ordered(query, session, filters.sort)))


def paged_ids(session: Session, filters: Filters, size: int) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        result = find_incidents(session, Filters(**{**filters.__dict__, "page": page}), page_size=size)
        ids += [i.id for i in result.incidents]
        if page >= result.pages:
            return ids
        page += 1


@pytest.mark.parametrize("selective_limit", [match.SELECTIVE_LIMIT, 5])
@pytest.mark.parametrize("q", QUERIES)
def test_pages_list_what_one_plain_query_lists(session, q, selective_limit, monkeypatch):
    # With the limit at 5, most of these searches are "common": no relevance order, and
    # names matches first in two steps (at the real limit, 150 incidents are all selective).
    monkeypatch.setattr(match, "SELECTIVE_LIMIT", selective_limit)
    for sort in SORTS:
        filters = Filters(q=q, sort=sort)
        expected = reference_ids(session, filters)
        assert paged_ids(session, filters, size=7) == expected, sort
        assert find_incidents(session, filters).total == len(expected)


def test_filters_and_deep_pages_follow_the_plain_query(session, monkeypatch):
    types = tuple(sorted({t for t in session.exec(select(Incident.attack_type))}))[:2]
    for filters in (Filters(q="漏洩", types=types), Filters(q="カード", card="yes"),
                    Filters(types=types[:1], card="no"), Filters(q="漏洩", year=2023)):
        expected = reference_ids(session, filters)
        assert paged_ids(session, filters, size=11) == expected, filters
    # A page past the cached rows is computed, not cached, and still in order.
    monkeypatch.setattr(service, "CACHED_ROWS", 20)
    for filters in (Filters(), Filters(q="漏洩")):
        everything = reference_ids(session, filters)
        assert len(everything) > 30
        CACHE.clear()
        far = find_incidents(session, replace(filters, page=3), page_size=10)
        assert [i.id for i in far.incidents] == everything[20:30]
        assert not [k for k in CACHE._entries if "page" in k]  # only the counts were cached


def direct_facets(session: Session, filters: Filters) -> dict:
    """Each facet counted by its own GROUP BY, without its own filter."""
    text = incident_filter(session, parse_query(filters.q)) if filters.q else None
    year = year_of(Incident.disclosed_on)
    no_card = col(Incident.card_records).is_(None)

    def grouped(skip: str, key):  # noqa: ANN001, ANN202
        return {k: n for k, n in session.exec(select(key, func.count())
                                              .where(*filters.where(skip=skip, text=text))
                                              .group_by(key))}

    vendors = grouped("vendor", Incident.vendor)
    vendors.pop(None, None)
    return {
        "type_counts": grouped("type", Incident.attack_type),
        "year_counts": sorted(((None if y is None else int(y)), n) for y, n in grouped("year", year).items()),
        "vendor_counts": sorted(vendors.items(), key=lambda vn: (-vn[1], vn[0]))[:VENDOR_FACET_SIZE],
        "card_counts": {("no" if k else "yes"): n for k, n in grouped("card", no_card).items()},
    }


@pytest.mark.parametrize("q", ["", "漏洩", "ランサムウェア OR マルウェア"])
def test_facets_are_each_counted_without_their_own_filter(session, q):
    types = tuple(sorted({t for t in session.exec(select(Incident.attack_type))}))[:1]
    vendor = session.exec(select(Incident.vendor).where(col(Incident.vendor).is_not(None))).first()
    for filters in (Filters(q=q), Filters(q=q, types=types, card="yes"),
                    Filters(q=q, vendor=vendor or "", year=2022)):
        page = find_incidents(session, filters)
        want = direct_facets(session, filters)
        assert {k: n for k, n in page.facets["type"] if n} == want["type_counts"]
        assert sorted(page.facets["year"], key=lambda yn: (yn[0] is None, yn[0] or 0)) == \
            sorted(want["year_counts"], key=lambda yn: (yn[0] is None, yn[0] or 0))
        assert page.facets["vendor"] == want["vendor_counts"]
        assert {k: n for k, n in page.facets["card"] if n} == want["card_counts"]


def test_cached_counts_follow_a_write_made_through_another_engine(session, engine, database_url):
    before = find_incidents(session, Filters(q="漏洩"))
    assert find_incidents(session, Filters(q="漏洩")).total == before.total  # now cached
    session.commit()  # end the read transaction, as a request does
    other = make_engine(database_url)  # another process's engine
    with Session(other) as writer:
        synthesize(writer, count=5, seed=99)
        writer.commit()
        added = writer.exec(select(func.count()).select_from(Incident).where(
            incident_filter(writer, parse_query("漏洩")))).one() - before.total
    other.dispose()
    assert added > 0
    after = find_incidents(session, Filters(q="漏洩"))
    assert after.total == before.total + added
    assert sum(after.counts("type").values()) == after.total


def test_a_rolled_back_write_leaves_a_stamp_no_cache_can_hold(session):
    stamp = search_stamp(session)
    bump_stamp(session)
    changed = search_stamp(session)
    session.rollback()
    assert changed != stamp
    assert search_stamp(session) == stamp
    bump_stamp(session)
    assert search_stamp(session) not in (stamp, changed)


def test_deleting_an_incident_changes_the_stamp(session):
    stamp = search_stamp(session)
    total = find_incidents(session, Filters()).total
    gone = session.exec(select(Incident)).first()
    for child in (IncidentSource, IncidentEvent):
        session.execute(delete(child).where(child.incident_id == gone.id))
    session.delete(gone)
    session.commit()
    assert search_stamp(session) != stamp
    assert find_incidents(session, Filters()).total == total - 1


def test_api_facets_option_matches_the_facets_endpoint(client, engine):
    with Session(engine) as s:
        synthesize(s, count=60, seed=3)
        s.commit()
    for query in ("q=漏洩", "q=漏洩&type=ransomware", "card=yes"):
        listed = client.get(f"/api/incidents?{query}&facets=true&limit=5").json()
        assert listed["facets"] == client.get(f"/api/facets?{query}").json()
        unfiltered = "attack_type" if "card=" in query else "card"  # a facet whose filter is off
        assert sum(f["count"] for f in listed["facets"][unfiltered]) == listed["count"]
        assert "facets" not in client.get(f"/api/incidents?{query}&limit=5").json()


def test_a_merged_incident_leaves_counts_and_pages(session):
    """Its index row stays (it is no longer live): the columns must leave it out."""
    from app.ingest.store import merge_incidents

    before = find_incidents(session, Filters(q="漏洩"))
    survivor, other = before.incidents[:2]
    merge_incidents(session, survivor=survivor, other=other)
    reindex_incidents(session, [survivor.id, other.id])  # as ingest does after a merge
    session.commit()
    for filters in (Filters(), Filters(q="漏洩"), Filters(q="漏洩", sort="records")):
        expected = reference_ids(session, filters)
        assert other.id not in expected
        assert paged_ids(session, filters, size=9) == expected, filters
    after = find_incidents(session, Filters(q="漏洩"))
    assert after.total == before.total - 1
    assert sum(after.counts("type").values()) == after.total


def test_matches_past_the_columns_are_left_out():
    """Ids the columns do not know (written after they were built) count nowhere."""
    import numpy as np

    from app.search.columns import Matches

    hit = Matches.of(np.array([1, 3, 7, 99, -2]), size=8).hit
    assert np.flatnonzero(hit).tolist() == [1, 3, 7]
