"""The SQLite engine: FTS5 tables, their MATCH expressions, and SQLite's planner hints.

``incident_fts`` (unicode61 over the pre-tokenised text; columns names, body, kana, pairs,
``detail=column``) holds the tokens, ``incident_trigram`` (the FTS5 trigram tokenizer) the
raw text. A term with a substring route has a list of ids of its own: FTS5 answers the
trigram phrase in C, with no recheck.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING

from sqlalchemy import Select, column, func, literal, literal_column, select, table, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from app.models import Incident
from app.search.engine import LIVE
from app.search.query import pairs

if TYPE_CHECKING:
    from app.search.document import IndexDocument
    from app.search.query import Routes

FTS = table("incident_fts", column("rowid"))
TRIGRAM = table("incident_trigram", column("rowid"))

# The index migration 0003 made for each sort (SQLite's planner prefers the merged_into_id
# index and a sort of every row, ~4× slower).
ORDER_INDEXES = {"newest": "ix_incident_newest", "records": "ix_incident_records",
                 "delay": "ix_incident_delay", "added": "ix_incident_added"}


def allow_table_hints() -> None:
    """Let SQLAlchemy's SQLite compiler render table hints (``with_hint``), which it drops.

    SQLite's ``INDEXED BY`` goes right after the table name, which is where SQLAlchemy puts a
    table hint for the dialects that render them. Installed by the first query that sets a
    hint (``indexed_by``), not on import; only this module sets hints. Idempotent.
    """
    SQLiteCompiler.get_from_hint_text = _hint_text


def _hint_text(self: SQLiteCompiler, table: object, text: str) -> str:  # noqa: ARG001
    return text


def indexed_by(query: Select, index: str) -> Select:
    """``query`` reading ``incident`` through ``index``."""
    if SQLiteCompiler.get_from_hint_text is not _hint_text:
        allow_table_hints()
    return query.with_hint(Incident, f"INDEXED BY {index}", "sqlite")


def fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expr(r: Routes, *, names_only: bool = False) -> str:
    """The FTS5 MATCH expression for the token routes of one term ("" if it has none)."""
    parts = []
    if len(r.lemmas) == 1:
        parts.append(("{names}" if names_only else "{names body}") + " : " + fts_string(r.lemmas[0]))
    elif r.lemmas:
        where, tokens = ("{names}", r.lemmas) if names_only else ("{pairs}", pairs(r.lemmas))
        parts.append(where + " : (" + " AND ".join(fts_string(x) for x in tokens) + ")")
    if r.kana:
        parts.append(("{names}" if names_only else "{names kana}") + " : " + fts_string(r.kana))
    parts += ["{names} : " + fts_string(n) for n in r.names]
    return " OR ".join(parts)


def _fts_match(name: str, expr: str) -> Select:
    fts = FTS if name == "incident_fts" else TRIGRAM
    return select(fts.c.rowid).where(literal_column(name).op("MATCH")(literal(expr)))


def _fts_row(doc: IndexDocument) -> dict[str, str]:
    # No positions are kept (detail=column), so each token once is enough.
    kana = " ".join(dict.fromkeys(k for lemma, k in doc.body if k and k != lemma))
    return {"names": " ".join(doc.names), "body": " ".join(dict.fromkeys(w for w, _k in doc.body)),
            "kana": kana, "pairs": " ".join(doc.pairs), "raw": doc.raw}


class SQLite:
    name = "sqlite"
    OR, AND, NOT = " OR ", " AND ", " NOT ({})"
    best_sql = text("SELECT rowid FROM incident_fts WHERE incident_fts MATCH :e "
                    "ORDER BY bm25(incident_fts, 10.0, 1.0, 0.5, 1.0) LIMIT :n")
    probe_sql = text("SELECT count(*) FROM (SELECT rowid FROM incident_fts "
                     "WHERE incident_fts MATCH :e LIMIT :n)")
    bump_sql = "UPDATE incident_search_state SET stamp = random() WHERE id = 1"

    def term_expr(self, r: Routes) -> str:
        return fts_expr(r)

    def relevance_expr(self, r: Routes) -> str:
        return fts_expr(r)

    def names_expr(self, r: Routes) -> str:
        return fts_expr(r, names_only=True)

    def own_list(self, r: Routes) -> bool:
        return bool(r.substring)

    def term_ids(self, r: Routes) -> list[Select]:
        out = [_fts_match("incident_fts", e)] if (e := fts_expr(r)) else []
        return out + ([_fts_match("incident_trigram", fts_string(r.substring))] if r.substring else [])

    def match(self, expr: str) -> Select:
        return _fts_match("incident_fts", expr)

    def names_match(self, expr: str) -> Select:
        return _fts_match("incident_fts", expr)

    def search_scans(self, session: Session) -> nullcontext[None]:  # noqa: ARG002
        return nullcontext()  # SQLite's planner takes the FTS5 tables' own index

    def id_list(self, column: ColumnElement) -> ColumnElement:
        return func.group_concat(column)

    def ordered_ids(self, terms: list, sort: str) -> Select:
        # SQLite before 3.44 has no ORDER BY inside an aggregate; group_concat takes the rows
        # of an ordered subquery in their order (tests/search/test_cache.py holds it to that).
        query = indexed_by(select(Incident.id).where(LIVE).order_by(*terms), ORDER_INDEXES[sort])
        return select(func.group_concat(query.subquery().c.id))

    def cells_query(self, query: Select) -> Select:
        # One pass over the covering index, in its (the groups') order.
        return indexed_by(query, "ix_incident_facets")

    def delay(self) -> ColumnElement:
        return func.julianday(Incident.disclosed_on) - func.julianday(Incident.discovered_on)

    def write(self, conn: Connection, docs: dict[int, IndexDocument], gone: list[dict]) -> None:
        if gone:
            conn.execute(text("DELETE FROM incident_fts WHERE rowid = :id"), gone)
            conn.execute(text("DELETE FROM incident_trigram WHERE rowid = :id"), gone)
        rows = [{"id": i, **_fts_row(d)} for i, d in docs.items()]
        if rows:
            conn.execute(text("INSERT INTO incident_fts (rowid, names, body, kana, pairs) "
                              "VALUES (:id, :names, :body, :kana, :pairs)"), rows)
            conn.execute(text("INSERT INTO incident_trigram (rowid, raw) VALUES (:id, :raw)"), rows)

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM incident_fts"))
        conn.execute(text("DELETE FROM incident_trigram"))

    def optimize(self, conn: Connection) -> None:
        conn.execute(text("INSERT INTO incident_fts (incident_fts) VALUES ('optimize')"))
        conn.execute(text("INSERT INTO incident_trigram (incident_trigram) VALUES ('optimize')"))


SQLITE = SQLite()
