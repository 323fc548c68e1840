"""Filters from the query string: each facet one value, the view's URLs and chips.

A facet (``Facet``) is one entry of ``FACETS``: its query key, the SQL it groups incidents
by (the in-memory columns, app.search.columns), its where-clause, the test of a cell of the
columns (the same condition in Python), its labels in both languages, the values it lists
and the URL that toggles one. The page, its htmx fragment and ``/api/facets`` render every
facet from its entry (``Facet.options``), so adding a facet is one entry here and one field of
``Filters``. Values are always bound, never interpolated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import extract as sql_extract
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app import i18n, ppc, taxonomy
from app.models import REVIEW_STATUSES, Incident
from app.search.engine import LIVE

SORTS = ("newest", "added", "delay", "records")  # their labels: i18n's sort_<key>
CARD_VALUES = ("yes", "no")
REVIEW_ORDER = ("reviewed", "disputed", "unreviewed")  # as the panel lists them: a person's word first
PPC_ORDER = ("late", "unknown", "on_time", "not_required")  # what needs a look first
LANGS = ("ja", "en")
# The longest search or vendor a request may carry; past the parser's own cap
# (query.MAX_PARSED_QUERY_CHARS), so an over-long search reaches the parser and is told why.
MAX_REQUEST_CHARS = 2000
MAX_PAGE = 10_000
VENDOR_FACET_SIZE = 15

FacetKey = tuple  # one value per facet, in FACETS order: what a cell of the columns shares
Counts = list[tuple[Any, int]]  # a facet's values, in the order it lists them, with their counts


def year_of(column):  # noqa: ANN001, ANN201 - a SQL expression
    """The year of a date column on both engines (SQLite: strftime, PostgreSQL: extract)."""
    return sql_extract("year", column)


def _int(value, low: int, high: int) -> int | None:  # noqa: ANN001
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@dataclass(frozen=True)
class Option:
    """One value of a facet as a view lists it: its words, its count, and the URL that
    toggles it (None for a value that cannot be chosen, such as an unknown year)."""

    value: Any
    label: str
    count: int
    on: bool
    url: str | None


@dataclass(frozen=True)
class Facet:
    key: str  # the query-string key and the chip's name
    field: str  # the Filters field that holds the chosen value(s)
    label: str  # the i18n key of its chip's name
    group: Callable[[], ColumnElement]  # what the columns group incidents by
    read: Callable[[Any], Any]  # a grouped value as a cell holds it (and as Filters does)
    where: Callable[[Any], ColumnElement[bool]]  # the clause for the chosen value (a tuple if multi)
    parse: Callable[[Any], Any]  # the chosen value from the query string (QueryParams)
    describe: Callable[[Any, str], str]  # a chosen value in a language, for its chip
    shape: Callable[[Counter], Counts]  # the values it lists, in order, with their counts
    title: str = ""  # the i18n key of its heading in the filter panel
    api_name: str = ""  # its name in /api/facets (the key when empty)
    name: Callable[[Any, str], str] | None = None  # a listed value's words (describe when None)
    empty: str = ""  # the i18n key said when it lists nothing ("" lists nothing silently)
    hide_zero: bool = False  # the panel leaves out values no incident holds (unless chosen)
    swatch: bool = False  # the panel marks each value with its colour in the charts (t-<value>)
    multi: bool = False  # several values, any of which passes (OR)
    # The value nearly every incident holds: the columns read only the incidents that hold
    # another (one narrow scan), instead of grouping by it (which no covering index serves).
    sparse: Any = None

    @property
    def api_key(self) -> str:
        return self.api_name or self.key

    def options(self, counts: Counts, filters: Filters, *, listed_only: bool = False) -> list[Option]:
        """The facet's values as ``filters``'s view lists them, in its language; with
        ``listed_only`` the panel's choice (values no incident holds left out)."""
        chosen = self.chosen(filters)
        words = self.name or self.describe
        return [Option(value, words(value, filters.lang), n, value in chosen,
                       None if value is None else filters.toggle_url(self, value))
                for value, n in counts
                if not (listed_only and self.hide_zero and not n and value not in chosen)]

    def chosen(self, filters: Filters) -> tuple:
        value = getattr(filters, self.field)
        return tuple(value) if self.multi else ((value,) if value else ())

    def passes(self, value: Any, chosen: tuple) -> bool:
        """The cell test: whether a cell holding ``value`` passes; the where-clause in Python."""
        return not chosen or value in chosen

    def clause(self, chosen: tuple) -> ColumnElement[bool]:
        return self.where(chosen if self.multi else chosen[0])


def _card_text(value: str, lang: str) -> str:
    return i18n.text(f"chip_card_{value}", lang)


def _each(values: tuple) -> Callable[[Counter], Counts]:
    """A facet that lists a fixed set of values, in that order, counted or not."""
    return lambda counted: [(v, counted.get(v, 0)) for v in values]


FACETS: tuple[Facet, ...] = (
    Facet("type", "types", "chip_type", group=lambda: Incident.attack_type,
          read=lambda v: v, where=lambda types: col(Incident.attack_type).in_(types),
          parse=lambda p: tuple(dict.fromkeys(t for t in p.getlist("type") if t in taxonomy.BY_KEY)),
          describe=taxonomy.label, shape=_each(tuple(k.key for k in taxonomy.ATTACK_TYPES)),
          title="facet_type", api_name="attack_type", hide_zero=True, swatch=True, multi=True),
    Facet("year", "year", "chip_year", group=lambda: year_of(Incident.disclosed_on),
          read=lambda y: None if y is None else int(y),
          where=lambda year: year_of(Incident.disclosed_on) == year,
          parse=lambda p: _int(p.get("year"), 1900, 2200),
          describe=lambda y, lang: str(y) if lang == "en" else f"{y}年", name=i18n.year_label,
          shape=lambda years: sorted(years.items(), key=lambda yn: (yn[0] is None, -(yn[0] or 0))),
          title="facet_year"),
    Facet("vendor", "vendor", "chip_vendor", group=lambda: Incident.vendor,
          read=lambda v: v, where=lambda vendor: Incident.vendor == vendor,
          parse=lambda p: str(p.get("vendor") or "").replace("\x00", "").strip()[:MAX_REQUEST_CHARS],
          describe=lambda v, _lang: v,
          shape=lambda vendors: sorted(((v, n) for v, n in vendors.items() if v is not None),
                                       key=lambda vn: (-vn[1], vn[0]))[:VENDOR_FACET_SIZE],
          title="facet_vendor", empty="no_vendor"),
    Facet("card", "card", "chip_card", group=lambda: col(Incident.card_records).is_(None),
          read=lambda missing: "no" if missing else "yes",
          where=lambda card: (col(Incident.card_records).is_not(None) if card == "yes"
                              else col(Incident.card_records).is_(None)),
          parse=lambda p: p.get("card") if p.get("card") in CARD_VALUES else "",
          describe=_card_text, name=lambda v, lang: i18n.text(f"card_{v}", lang),
          shape=_each(CARD_VALUES), title="facet_card"),
    # The PPC obligation's verdict (app.ppc), kept in its column by every write of an incident.
    Facet("ppc", "ppc", "chip_ppc", group=lambda: Incident.ppc_verdict,
          read=lambda v: v or "unknown", where=lambda verdict: Incident.ppc_verdict == verdict,
          parse=lambda p: p.get("ppc") if p.get("ppc") in ppc.VERDICTS else "",
          describe=lambda v, lang: i18n.verdict_label(v, lang), shape=_each(PPC_ORDER),
          title="facet_ppc", hide_zero=True),
    # Last: the covering index ix_incident_facets serves the groups before it.
    Facet("review", "review", "chip_review", group=lambda: Incident.review_status,
          read=lambda v: v or "unreviewed", where=lambda review: Incident.review_status == review,
          parse=lambda p: p.get("review") if p.get("review") in REVIEW_STATUSES else "",
          describe=lambda v, lang: i18n.review_label(v, lang), shape=_each(REVIEW_ORDER),
          title="facet_review", hide_zero=True, sparse="unreviewed"),
)
BY_KEY = {f.key: f for f in FACETS}


@dataclass(frozen=True)
class Chip:
    name: str
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class Filters:
    """Everything that selects a view; lives in the query string so every view is a URL."""

    q: str = ""
    types: tuple[str, ...] = ()
    year: int | None = None
    vendor: str = ""
    card: str = ""  # "yes": card data leaked (card_records known), "no": not, "": either
    review: str = ""  # a person's word: "reviewed", "disputed", "unreviewed"; "": any
    ppc: str = ""  # the PPC obligation's verdict: not_required, on_time, late, unknown; "": any
    sort: str = "newest"
    page: int = 1
    lang: str = "ja"  # not a filter, but part of the view, so every link keeps it

    @classmethod
    def from_query(cls, params) -> Filters:  # noqa: ANN001 - a starlette QueryParams / MultiDict
        q = " ".join(str(params.get("q") or "").replace("\x00", " ").split())[:MAX_REQUEST_CHARS]
        sort = params.get("sort") if params.get("sort") in SORTS else "newest"
        page = _int(params.get("page"), 1, MAX_PAGE) or 1
        lang = params.get("lang") if params.get("lang") in LANGS else "ja"
        return cls(q=q, sort=sort, page=page, lang=lang,
                   **{f.field: f.parse(params) for f in FACETS})

    def query_string(self, **changes) -> str:
        f = replace(self, **changes)
        pairs: list[tuple[str, str]] = [("q", f.q)] if f.q else []
        pairs += [(facet.key, str(v)) for facet in FACETS for v in facet.chosen(f)]
        if f.sort != "newest":
            pairs.append(("sort", f.sort))
        if f.page != 1:
            pairs.append(("page", str(f.page)))
        if f.lang != "ja":
            pairs.append(("lang", f.lang))
        return urlencode(pairs)

    def url(self, path: str = "/", **changes) -> str:
        qs = self.query_string(**changes)
        return f"{path}?{qs}" if qs else path

    @property
    def active(self) -> bool:
        return bool(self.q) or any(f.chosen(self) for f in FACETS)

    def toggle(self, name: str, value: object) -> str:
        """The URL that sets a single-valued filter, or clears it when it already holds ``value``."""
        empty = _EMPTY[name]
        return self.url(**{name: empty if getattr(self, name) == value else value, "page": 1})

    def toggle_url(self, facet: Facet, value: object) -> str:
        """The URL of this view with one value of a facet chosen, or without it if it was."""
        if facet.multi:
            chosen = getattr(self, facet.field)
            values = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
            return self.url(**{facet.field: values, "page": 1})
        return self.toggle(facet.field, value)

    def clear_url(self) -> str:
        """The URL of this view with no search and no facet chosen (sort and language kept)."""
        return self.url(q="", page=1, **{f.field: _EMPTY[f.field] for f in FACETS})

    def chips(self) -> list[Chip]:
        """The active filters, each with a description and the URL that removes it."""
        out = [Chip("q", i18n.text("chip_q", self.lang), f"“{self.q}”", self.url(q="", page=1))] if self.q else []
        out += [Chip(f.key, i18n.text(f.label, self.lang), f.describe(v, self.lang), self.toggle_url(f, v))
                for f in FACETS for v in f.chosen(self)]
        return out

    def cell_test(self, skip: str = "") -> Callable[[FacetKey], bool]:
        """Whether a cell of the columns (one value per facet) passes the filters, the facet
        ``skip`` (a facet's own filter, for its counts) aside. Made once per request and
        run per cell, so only the chosen facets are looked at."""
        active = [(i, f, chosen) for i, f in enumerate(FACETS)
                  if f.key != skip and (chosen := f.chosen(self))]
        if not active:
            return lambda _key: True
        return lambda key: all(f.passes(key[i], chosen) for i, f, chosen in active)

    def passes(self, key: FacetKey, skip: str = "") -> bool:
        return self.cell_test(skip)(key)

    def where(self, *, skip: str = "", text: ColumnElement[bool] | None = None) -> list:
        """The same as SQL: live incidents, the search's ``text`` clause, each chosen facet."""
        clauses = [LIVE] if text is None else [LIVE, text]
        return clauses + [f.clause(chosen) for f in FACETS
                          if f.key != skip and (chosen := f.chosen(self))]


_EMPTY = {f.name: f.default for f in fields(Filters)}
