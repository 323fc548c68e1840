"""The search package's seams: a query tokenised once, each facet one value that agrees with
itself in SQL and in Python, one LRU, an engine per database, no import side effects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from starlette.datastructures import QueryParams

import app.text
from app import i18n, revisions
from app.models import Incident
from app.search import (
    CACHE,
    FACETS,
    LRU,
    Filters,
    bump_stamp,
    find_incidents,
    parse_query,
    search_stamp,
    warm,
)
from app.search.cache import MATCHES
from app.search.columns import COLUMNS
from app.search.engine import engine_of
from app.synth import synthesize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        synthesize(s, count=60, seed=3)
        s.commit()
        # a person's word on a few, so the review facet has values to tell apart
        for n, inc in enumerate(s.exec(select(Incident).order_by(col(Incident.id)).limit(9))):
            revisions.set_review(s, incident=inc, status=("reviewed", "disputed", "unreviewed")[n % 3],
                                 actor="t", reason="seams")
        s.commit()
        for cache in (CACHE, MATCHES, COLUMNS):
            cache.clear()
        yield s


class _Recording:
    """A tagger that notes every text it is given."""

    def __init__(self, tagger, seen: list[str]) -> None:  # noqa: ANN001
        self._tagger, self._seen = tagger, seen

    def __call__(self, text: str):  # noqa: ANN204
        self._seen.append(text)
        return self._tagger(text)

    def parse(self, text: str) -> str:
        self._seen.append(text)
        return self._tagger.parse(text)


@pytest.fixture
def tagged(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = app.text.tagger
    monkeypatch.setattr(app.text, "tagger", lambda: _Recording(real(), seen))
    return seen


def test_a_search_is_tokenised_once(session, tagged):
    """Parsing tokenises each term; matching, ranking and snippets reuse its tokens."""
    page = find_incidents(session, Filters(q="漏えい カード OR ｶｰﾄﾞ -ランサムウェア"))
    assert page.total and page.snippets  # matched, ranked, snippets made
    terms = ["漏えい", "カード", "ランサムウェア"]  # ｶｰﾄﾞ is カード once NFKC: one term
    assert [t for t in tagged if t in terms] == terms
    tagged.clear()
    parsed = parse_query("漏えい")
    assert tagged == ["漏えい"]
    assert parsed.positive[0].tokens and parsed.positive[0].routes.lemmas == ("漏洩",)


def _sql_ids(session: Session, filters: Filters) -> set[int]:
    return set(session.exec(select(Incident.id).where(*filters.where())))


def _cell_ids(session: Session, filters: Filters) -> set[int]:
    cols = COLUMNS.get(session, search_stamp(session))
    return {i for i, k in enumerate(cols.cell_of.tolist()) if k >= 0 and filters.passes(cols.keys[k])}


@pytest.mark.parametrize("facet", FACETS, ids=[f.key for f in FACETS])
def test_each_facet_where_clause_and_cell_test_agree(session, facet):
    """A facet is defined once: its SQL and its Python test pick the same incidents, for every
    value the data holds, and its chip removes it."""
    cols = COLUMNS.get(session, search_stamp(session))
    values = sorted({k[FACETS.index(facet)] for k in cols.keys} - {None}, key=str)
    assert len(values) >= 2, values
    for value in values:
        filters = Filters(**{facet.field: (value,) if facet.multi else value})
        chosen = _sql_ids(session, filters)
        assert chosen and chosen == _cell_ids(session, filters), value
        (chip,) = filters.chips()
        assert chip.name == facet.key and chip.label == i18n.text(facet.label, "ja")
        assert chip.remove_url == "/"
        assert Filters.from_query(QueryParams(filters.query_string())) == filters


def test_lru_keeps_the_most_recently_used():
    lru: LRU[int] = LRU(size=2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # a is now the most recent
    lru.put("c", 3)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (1, None, 3)


def test_stamp_bump_uses_the_sessions_engine(session):
    assert engine_of(session).name == session.get_bind().dialect.name
    before = search_stamp(session)
    bump_stamp(session)
    assert search_stamp(session) != before
    session.rollback()


def test_warm_loads_the_tagger_and_the_columns(engine, tagged):
    with Session(engine) as s:
        synthesize(s, count=5, seed=1)
        s.commit()
    COLUMNS.clear()
    warm(engine)
    assert tagged  # the thread's tagger ran
    with Session(engine) as s:
        cols = COLUMNS._entries.get(s.get_bind().url.render_as_string())
        assert cols is not None and cols.stamp == search_stamp(s) and "newest" in cols._orders


def test_importing_search_patches_nothing():
    """The SQLite compiler learns table hints when a hinted query is first built, not on import."""
    code = ("from sqlalchemy.dialects.sqlite.base import SQLiteCompiler as C; "
            "before = C.get_from_hint_text; import app.search, app.web; "
            "assert C.get_from_hint_text is before; "
            "from sqlmodel import select; from app.models import Incident; "
            "from app.search.sqlite import indexed_by; "
            "from sqlalchemy.dialects import sqlite; "
            "sql = str(indexed_by(select(Incident.id), 'ix_x').compile(dialect=sqlite.dialect())); "
            "assert 'INDEXED BY ix_x' in sql, sql")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
