"""The PostgreSQL engine: a tsvector with a GIN index, pg_trgm for substrings, planner settings.

``incident_search.tsv`` holds every token (names, readings, body, pairs, and the suffixes of
the katakana runs, ``katakana_suffixes``), ``names_tsv`` the names alone, and
``incident_search_raw.raw`` the raw text under a pg_trgm GIN index. Only a substring route
that is not katakana (LIKE) needs a list of ids of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Select, Text, cast, func, literal, literal_column, select, table, text
from sqlalchemy import column as sql_column
from sqlalchemy.dialects.postgresql import TSQUERY, aggregate_order_by
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from app.models import Incident
from app.search.engine import LIVE
from app.search.query import pairs

if TYPE_CHECKING:
    from app.search.document import IndexDocument
    from app.search.query import Routes

PG_SEARCH = table("incident_search", sql_column("incident_id"), sql_column("tsv"), sql_column("names_tsv"))
PG_RAW = table("incident_search_raw", sql_column("incident_id"), sql_column("raw"))

# Each katakana run of three or more in a notice is indexed with its suffixes (ランサムウェア,
# ンサムウェア, …, ウェア; marked ``~``), so a katakana term is found as a prefix of one of
# them: a substring search answered by the GIN index with no recheck.
KATAKANA_RUN = "[ァ-ヺー]{3,}"
_KATAKANA_RUN = re.compile(KATAKANA_RUN)
SUFFIX_MARK = "~"


def ts_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def ts_expr(r: Routes) -> str:
    """The tsquery for one term, over ``tsv`` (or ``names_tsv``): no weights, no phrase
    operators, so the GIN index answers it without reading the rows."""
    parts = []
    if r.lemmas:
        tokens = pairs(r.lemmas) or list(r.lemmas)
        parts.append("(" + " & ".join(ts_lexeme(x) for x in tokens) + ")")
    if r.kana:
        parts.append(ts_lexeme(r.kana))
    parts += [ts_lexeme(n) for n in r.names]
    return " | ".join(parts)


def _like(substring: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", substring) + "%"


def _tsquery(r: Routes) -> str:
    """The tsquery for a term's token routes, and for its substring route when that is a
    katakana term (a prefix of an indexed katakana suffix)."""
    expr = ts_expr(r)
    if r.substring and _KATAKANA_RUN.fullmatch(r.substring):
        suffix = ts_lexeme(SUFFIX_MARK + r.substring) + ":*"
        expr = f"{expr} | {suffix}" if expr else suffix
    return expr


def _needs_like(r: Routes) -> bool:
    return bool(r.substring) and not _KATAKANA_RUN.fullmatch(r.substring)


def katakana_suffixes(raw: str) -> list[str]:
    """``~`` and each suffix of three or more characters of each katakana run of ``raw``
    (migration 0004 computes the same in SQL for the rows it finds)."""
    return [SUFFIX_MARK + run[i:] for run in _KATAKANA_RUN.findall(raw) for i in range(len(run) - 2)]


def _tsvector(doc: IndexDocument) -> tuple[str, str]:
    """tsvector literals (no positions) for everything, and for the names alone."""
    body = [w for lemma, kana in doc.body for w in (lemma, kana) if w]
    every = dict.fromkeys([*doc.names, *body, *doc.pairs, *katakana_suffixes(doc.raw)])
    names = dict.fromkeys(doc.names + pairs(doc.names))
    return " ".join(map(ts_lexeme, every)), " ".join(map(ts_lexeme, names))


class Postgres:
    name = "postgresql"
    OR, AND, NOT = " | ", " & ", " & !({})"
    best_sql = text("SELECT incident_id FROM incident_search WHERE tsv @@ CAST(:e AS tsquery) "
                    "ORDER BY ts_rank(tsv, CAST(:e AS tsquery)) DESC LIMIT :n")
    probe_sql = text("SELECT count(*) FROM (SELECT 1 FROM incident_search "
                     "WHERE tsv @@ CAST(:e AS tsquery) LIMIT :n) AS probe")
    # A new random stamp, never a counter, so a rolled-back write cannot bring back a stamp
    # some cache still holds (migration 0003's _bump runs the same).
    bump_sql = ("UPDATE incident_search_state SET stamp = (floor(random() * 9e15))::bigint "
                "WHERE id = 1")

    def term_expr(self, r: Routes) -> str:
        return _tsquery(r)

    def relevance_expr(self, r: Routes) -> str:
        return ts_expr(r)

    def names_expr(self, r: Routes) -> str:
        return ts_expr(r)

    def own_list(self, r: Routes) -> bool:
        return _needs_like(r)

    def term_ids(self, r: Routes) -> list[Select]:
        """A term's tsquery and its LIKE as separate selects: in one select, the trigram
        index's recheck would unpack every candidate's tsvector too."""
        out = [self.match(e)] if (e := _tsquery(r)) else []
        if _needs_like(r):
            out.append(select(PG_RAW.c.incident_id).where(
                PG_RAW.c.raw.like(literal(_like(r.substring)), escape="\\")))
        return out

    def match(self, expr: str) -> Select:
        return select(PG_SEARCH.c.incident_id).where(PG_SEARCH.c.tsv.op("@@")(cast(literal(expr), TSQUERY)))

    def names_match(self, expr: str) -> Select:
        return select(PG_SEARCH.c.incident_id).where(
            PG_SEARCH.c.names_tsv.op("@@")(cast(literal(expr), TSQUERY)))

    @contextmanager
    def search_scans(self, session: Session) -> Iterator[None]:
        """Prefer the search's index to a sequential scan of ``incident_search``.

        The planner prices a sequential scan of that narrow table below a bitmap scan of its
        GIN index for a common word, but the scan must unpack every row's tsvector (~130 ms
        at 10k incidents, against ~1.5 ms for the index).
        """
        conn = session.connection()
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        try:
            yield
        finally:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = DEFAULT")

    def id_list(self, column: ColumnElement) -> ColumnElement:
        return func.string_agg(cast(column, Text), ",")

    def ordered_ids(self, terms: list, sort: str) -> Select:  # noqa: ARG002 - no hints here
        comma = aggregate_order_by(literal_column("','"), *terms)
        return select(func.string_agg(cast(Incident.id, Text), comma)).where(LIVE)

    def cells_query(self, query: Select) -> Select:
        return query

    def delay(self) -> ColumnElement:
        return Incident.disclosed_on - Incident.discovered_on

    def write(self, conn: Connection, docs: dict[int, IndexDocument], gone: list[dict]) -> None:
        if gone:
            conn.execute(text("DELETE FROM incident_search WHERE incident_id = :id"), gone)
            conn.execute(text("DELETE FROM incident_search_raw WHERE incident_id = :id"), gone)
        rows = [{"id": i, "tsv": tsv, "names": names, "raw": d.raw}
                for i, d in docs.items() for tsv, names in [_tsvector(d)]]
        if rows:
            conn.execute(text("INSERT INTO incident_search (incident_id, tsv, names_tsv) VALUES "
                              "(:id, CAST(:tsv AS tsvector), CAST(:names AS tsvector))"), rows)
            conn.execute(text("INSERT INTO incident_search_raw (incident_id, raw) VALUES (:id, :raw)"), rows)

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM incident_search"))
        conn.execute(text("DELETE FROM incident_search_raw"))

    def optimize(self, conn: Connection) -> None:
        pass  # GIN indexes need no compaction step here


POSTGRES = Postgres()
