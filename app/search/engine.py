"""What the search asks of a database engine: one ``Engine`` value per engine.

Everything that differs between SQLite (FTS5, app.search.sqlite) and PostgreSQL (tsvector
and pg_trgm, app.search.postgres) is a method of its Engine: the index expressions of a term,
how ids are listed, the planner settings and hints, how index rows are written. The rest of
app.search is written once against this protocol.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Select, TextClause
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from app.models import Incident

if TYPE_CHECKING:
    from app.search.document import IndexDocument
    from app.search.query import Routes

LIVE = col(Incident.merged_into_id).is_(None)


class Engine(Protocol):
    name: str  # the SQLAlchemy dialect name
    OR: str  # how index expressions are combined
    AND: str
    NOT: str  # a template for one excluded expression, appended after the ANDs
    best_sql: TextClause  # ids matching :e, best first, at most :n
    probe_sql: TextClause  # how many ids match :e, counting up to :n

    # -- text search --
    def term_expr(self, r: Routes) -> str:
        """A term's index expression ("" when it has none)."""

    def relevance_expr(self, r: Routes) -> str:
        """A term's expression for scoring (its token routes)."""

    def names_expr(self, r: Routes) -> str:
        """A term's expression over the names alone."""

    def own_list(self, r: Routes) -> bool:
        """Whether a term needs selects of its own (``term_ids``) rather than one expression."""

    def term_ids(self, r: Routes) -> list[Select]:
        """Those selects, UNIONed for the term."""

    def match(self, expr: str) -> Select:
        """The select of ids an index expression matches."""

    def names_match(self, expr: str) -> Select:
        """The select of ids whose names match an expression of ``names_expr``."""

    def search_scans(self, session: Session) -> AbstractContextManager[None]:
        """Planner settings for the statements of a search."""

    # -- columns and sorts --
    def id_list(self, column: ColumnElement) -> ColumnElement:
        """An aggregate of ``column``'s integers as one comma-separated string."""

    def ordered_ids(self, terms: list, sort: str) -> Select:
        """One string of every live id, comma-separated, in ``terms``' order."""

    def cells_query(self, query: Select) -> Select:
        """The grouped query of the facet cells, as this engine reads it best."""

    def delay(self) -> ColumnElement:
        """Days from discovery to disclosure; NULL when either date is unknown."""

    # -- the index --
    bump_sql: str  # a new random search stamp (migration 0003 runs the same)

    def write(self, conn: Connection, docs: dict[int, IndexDocument], gone: list[dict]) -> None:
        """Delete the index rows of ``gone`` ids and insert ``docs``' rows."""

    def clear(self, conn: Connection) -> None:
        """Delete every index row."""

    def optimize(self, conn: Connection) -> None:
        """Compact the index after a rebuild."""


def engine_of(session: Session | Connection) -> Engine:
    """The Engine of the database a session is bound to."""
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name == "sqlite":
        from app.search.sqlite import SQLITE

        return SQLITE
    from app.search.postgres import POSTGRES

    return POSTGRES
