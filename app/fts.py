"""Japanese full-text search over incidents, on SQLite FTS5 and PostgreSQL tsvector.

What is indexed, per incident (``index_document``):

- ``names``: organisation name, core name and aliases, service and vendor, as UniDic lemma
  tokens, their katakana readings, romaji and a spelling-tolerant romaji key (so ``wacom``
  finds ワコム), the whole core name, and the one- and two-character grams of these names
  (so 県 finds 千葉県 and ワコ finds ワコム).
- ``body``: the leaked items and the text of the incident's source segments, as lemma tokens
  in order (so a quoted phrase is a phrase); 漏洩 = 漏えい, カード = ｶｰﾄﾞ (NFKC first).
- ``kana``: the readings of the body's words, so ろうえい finds 漏洩.
- ``raw``: the same text, NFKC and lower-cased, for a trigram route: terms of three or more
  characters also match as substrings, because UniDic splits katakana compounds by context
  (ランサムウェア is ランサム+ウェア or ラン+サム+ウエア) and does not know new names.

SQLite keeps ``names/body/kana`` in the FTS5 table ``incident_fts`` (unicode61 over the
pre-tokenised text) and ``raw`` in ``incident_trigram`` (the FTS5 trigram tokenizer).
PostgreSQL keeps one ``tsvector`` in ``incident_search.tsv`` (names weight A, readings C, body
D; readings share their word's position) with a GIN index, the suffixes of its katakana runs
(``katakana_suffixes``), and ``raw`` in ``incident_search_raw`` with a pg_trgm GIN.

The index follows the tables like this: deleting an incident removes its rows (an SQLite
trigger, a PostgreSQL foreign key ON DELETE CASCADE); creating, merging or editing one needs an
explicit ``reindex_incident`` (tokens come from fugashi, in Python, so no trigger can make
them). ``reindex_all`` rebuilds everything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import (
    and_,
    case,
    cast,
    column,
    literal,
    literal_column,
    select,
    table,
    text,
    true,
    union,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from app import taxonomy
from app.db import is_sqlite
from app.models import Incident, IncidentSource, Organization, Source
from app.text import (
    is_kana,
    kana_to_romaji,
    lemma_readings,
    loose_romaji,
    nfkc,
    searchable,
    strip_legal_form,
    to_katakana,
    word_tokens,
)

MAX_QUERY_CHARS = 256
MAX_TERMS = 16
MAX_TERM_CHARS = 64
# Above this many matching incidents a query is "common" and is not ordered by relevance:
# scoring costs per match (bm25 over a word in most notices costs ~200 ms at 100k), and with
# no positions kept (detail=column) FTS5's bm25 re-reads each row, about 80 µs a match.
SELECTIVE_LIMIT = 250

FTS = table("incident_fts", column("rowid"))
TRIGRAM = table("incident_trigram", column("rowid"))
PG_SEARCH = table("incident_search", column("incident_id"), column("tsv"), column("names_tsv"))
PG_RAW = table("incident_search_raw", column("incident_id"), column("raw"))


class QueryError(ValueError):
    """A search the user must change; the message is meant to be shown to them."""


# ---- parsing ----


@dataclass(frozen=True)
class Term:
    text: str  # NFKC, lower-cased, one space between words
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A search: every group must match (AND), any term of a group may (OR); none excluded."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.excluded)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Plain AND terms (groups of one that are not phrases)."""
        return tuple(g[0] for g in self.groups if len(g) == 1 and not g[0].phrase)

    @property
    def phrases(self) -> tuple[Term, ...]:
        return tuple(t for g in self.groups for t in g if t.phrase)

    @property
    def or_groups(self) -> tuple[tuple[Term, ...], ...]:
        return tuple(g for g in self.groups if len(g) > 1)

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for g in self.groups for t in g)


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "＂": '"'})
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _clean(raw: str) -> str:
    """Drop control, format, surrogate and symbol characters (emoji); fold width and case."""
    kept = []
    for ch in raw:
        cat = unicodedata.category(ch)
        kept.append(" " if cat[0] in "CZ" or cat in ("So", "Sk", "Sm") else ch)
    return " ".join(nfkc("".join(kept)).lower().split())


def parse_query(q: str) -> ParsedQuery:
    """Read what a user typed: ``"a phrase"``, words (AND), ``OR``, ``-exclusion``.

    Anything else is text to find, never syntax for the database: FTS operators, stray
    quotes and brackets are just characters. Raises only :class:`QueryError`, whose message
    tells the user what to change.
    """
    if not isinstance(q, str):
        raise QueryError("検索語は文字列で指定してください。")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"検索語が長すぎます（{MAX_QUERY_CHARS}文字まで）。")
    q = q.translate(_QUOTES)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for m in _TOKEN.finditer(q):
        quoted, word = m.group(2), m.group(3)
        negate = bool(m.group(1))
        if word is not None:
            if word in ("OR", "|"):
                join_next = bool(groups)
                continue
            if word == "AND":
                continue
            if word.startswith("-") and len(word) > 1:
                negate, word = True, word[1:]
        text_ = _clean(quoted if quoted is not None else word)
        if not searchable(text_):
            continue
        if len(text_) > MAX_TERM_CHARS:
            raise QueryError(f"一つの語が長すぎます（{MAX_TERM_CHARS}文字まで）。")
        term = Term(text_, phrase=quoted is not None)
        if negate:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if len(excluded) + sum(len(g) for g in groups) > MAX_TERMS:
        raise QueryError(f"検索語が多すぎます（{MAX_TERMS}語まで）。")
    parsed = ParsedQuery(tuple(tuple(dict.fromkeys(g)) for g in groups), tuple(excluded))
    if not parsed and q.strip():
        raise QueryError("検索できる文字（文字や数字）が含まれていません。")
    return parsed


# ---- what a term looks for ----


@dataclass(frozen=True)
class _Routes:
    lemmas: tuple[str, ...]  # a phrase of lemma tokens, in names or body
    kana: str  # a reading, in names or body readings
    names: tuple[str, ...]  # single tokens looked up in names only (romaji, grams)
    substring: str  # trigram route; "" when shorter than three characters


_SPLITS_BY_CONTEXT = re.compile(r"[ァ-ヺーa-z0-9]")
# On PostgreSQL each katakana run of three or more in a notice is indexed with its suffixes
# (ランサムウェア, ンサムウェア, …, ウェア; marked ``~``), so a katakana term is found as a
# prefix of one of them: a substring search answered by the GIN index with no recheck.
KATAKANA_RUN = "[ァ-ヺー]{3,}"
_KATAKANA_RUN = re.compile(KATAKANA_RUN)
SUFFIX_MARK = "~"


def _routes(term: Term) -> _Routes:
    t = term.text
    tokens = word_tokens(t)
    lemmas = tuple(_words(lemma for _s, lemma, _k, _p in tokens))
    kana = ""
    if is_kana(t.replace(" ", "")):
        kana = to_katakana(t.replace(" ", ""))
        if len(lemmas) > 1 and kana != t.replace(" ", ""):
            lemmas = ()  # hiragana split into several words is often misread: trust the reading
    names: list[str] = []
    if t.isascii() and t.isalnum():
        names += [t, loose_romaji(t)]
    elif len(t) <= 2:
        names.append(t)
    compact = t if term.phrase else t.replace(" ", "")
    # Kanji and hiragana words tokenise the same way in a query as in a notice; katakana
    # compounds, Latin and unknown words may not, so they also match as substrings.
    # A single known word is found by its lemma; several words with katakana or Latin in
    # them, and words UniDic does not know, also go the trigram route.
    unreliable = any(not k for _s, _l, k, _p in tokens) or (
        len(tokens) > 1 and _SPLITS_BY_CONTEXT.search(t))
    return _Routes(lemmas, kana, tuple(dict.fromkeys(_words(names))),
                   compact if len(compact) >= 3 and unreliable else "")


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


_NOT_WORD = re.compile(r"[\W_]+")


def _word(token: str) -> str:
    """A token as one FTS5 unicode61 token: e-mail → email (else it is a two-word phrase)."""
    return token if token.isalnum() else _NOT_WORD.sub("", token)


def _words(tokens: Iterable[str]) -> list[str]:
    return [w for w in map(_word, tokens) if w]


def _pairs(lemmas: Iterable[str]) -> list[str]:
    """Adjacent lemmas joined (個人+情報 → 個人情報): a word sequence as single tokens.

    The index holds these beside the words, so a term of several words is an AND of its
    pairs, answered from the posting lists alone: no positions to read (a positional phrase
    over a word in every notice is what made PostgreSQL read every tsvector).
    """
    lemmas = list(lemmas)
    return [a + b for a, b in zip(lemmas, lemmas[1:], strict=False)]


def _fts_expr(r: _Routes, *, names_only: bool = False) -> str:
    """The FTS5 MATCH expression for the token routes of one term ("" if it has none)."""
    parts = []
    if len(r.lemmas) == 1:
        parts.append(("{names}" if names_only else "{names body}") + " : " + _fts_string(r.lemmas[0]))
    elif r.lemmas:
        where, tokens = ("{names}", r.lemmas) if names_only else ("{pairs}", _pairs(r.lemmas))
        parts.append(where + " : (" + " AND ".join(_fts_string(x) for x in tokens) + ")")
    if r.kana:
        parts.append(("{names}" if names_only else "{names kana}") + " : " + _fts_string(r.kana))
    parts += ["{names} : " + _fts_string(n) for n in r.names]
    return " OR ".join(parts)


def _ts_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_expr(r: _Routes, *, names_only: bool = False) -> str:
    """The tsquery for one term, over ``tsv`` (or ``names_tsv``): no weights, no phrase
    operators, so the GIN index answers it without reading the rows."""
    parts = []
    if r.lemmas:
        tokens = _pairs(r.lemmas) or list(r.lemmas)
        parts.append("(" + " & ".join(_ts_lexeme(x) for x in tokens) + ")")
    if r.kana:
        parts.append(_ts_lexeme(r.kana))
    parts += [_ts_lexeme(n) for n in r.names]
    return " | ".join(parts)


def _like(substring: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", substring) + "%"


def _fts_match(table_name: str, expr: str):  # noqa: ANN202 - a select of rowids
    fts = FTS if table_name == "incident_fts" else TRIGRAM
    return select(fts.c.rowid).where(literal_column(table_name).op("MATCH")(literal(expr)))


def _nothing() -> ColumnElement[bool]:
    return literal(False) == literal(True)


@dataclass(frozen=True)
class _Lists:
    """A search as selects of ids: all of ``positive`` (each one list), none of ``negative``.

    ``nothing``: a term has no route at all, so nothing can match.
    """

    positive: tuple = ()
    negative: tuple = ()
    nothing: bool = False


def _listed(selects: Iterable):  # noqa: ANN202 - one select of ids
    selects = list(selects)
    return selects[0] if len(selects) == 1 else union(*selects)


@dataclass(frozen=True)
class _Syntax:
    """How one engine's index is asked: what ``_lists`` needs to know of it."""

    expr: Callable[[_Routes], str]  # a term's index expression ("" when it has none)
    alone: Callable[[_Routes], bool]  # whether a term needs selects of its own (``ids``)
    ids: Callable[[_Routes], list]  # those selects, UNIONed for the term
    match: Callable[[str], object]  # the select of ids an index expression matches
    OR: str
    AND: str
    NOT: str  # a template for one excluded expression, appended after the ANDs


def _lists(session: Session, parsed: ParsedQuery) -> _Lists:
    """Terms that only need the token index fold into one index expression (one FTS5 MATCH,
    one tsquery), so the index does the AND / OR / NOT; a term with a route of its own adds a
    flat list of ids (its routes UNIONed), so SQLite can drive a query of few matches from
    any one of them by rowid lookups."""
    syntax = _SQLITE if is_sqlite(session) else _POSTGRES
    wanted: list[str] = []  # index expressions that must all match
    positive: list = []  # id lists for terms with a route of their own
    for group in parsed.groups:
        routes = [_routes(t) for t in group]
        if any(map(syntax.alone, routes)):
            selects = [s for r in routes for s in syntax.ids(r)]
            if not selects:
                return _Lists(nothing=True)
            positive.append(_listed(selects))
        elif exprs := [e for r in routes if (e := syntax.expr(r))]:
            wanted.append(syntax.OR.join(f"({e})" for e in exprs))
        else:
            return _Lists(nothing=True)
    unwanted: list[str] = []
    negative: list = []
    for term in parsed.excluded:
        r = _routes(term)
        if syntax.alone(r):
            negative += syntax.ids(r)
        elif e := syntax.expr(r):
            unwanted.append(e)
    if wanted:
        expr = syntax.AND.join(f"({e})" for e in wanted) + "".join(syntax.NOT.format(e) for e in unwanted)
        positive.insert(0, syntax.match(expr))
    elif unwanted:
        negative.insert(0, syntax.match(syntax.OR.join(f"({e})" for e in unwanted)))
    return _Lists(tuple(positive), tuple(negative))


def _sqlite_ids(r: _Routes) -> list:
    out = [_fts_match("incident_fts", e)] if (e := _fts_expr(r)) else []
    return out + ([_fts_match("incident_trigram", _fts_string(r.substring))] if r.substring else [])


# SQLite: a term with a trigram route has a list of its own (FTS5 answers the trigram phrase
# in C, with no recheck).
_SQLITE = _Syntax(expr=_fts_expr, alone=lambda r: bool(r.substring), ids=_sqlite_ids,
                  match=lambda expr: _fts_match("incident_fts", expr),
                  OR=" OR ", AND=" AND ", NOT=" NOT ({})")


def _pg_tsquery(r: _Routes) -> str:
    """The tsquery for a term's token routes, and for its substring route when that is a
    katakana term (a prefix of an indexed katakana suffix)."""
    expr = _ts_expr(r)
    if r.substring and _KATAKANA_RUN.fullmatch(r.substring):
        suffix = _ts_lexeme(SUFFIX_MARK + r.substring) + ":*"
        expr = f"{expr} | {suffix}" if expr else suffix
    return expr


def _pg_match(expr: str):  # noqa: ANN202 - a select of ids
    return select(PG_SEARCH.c.incident_id).where(PG_SEARCH.c.tsv.op("@@")(cast(literal(expr), TSQUERY)))


def _pg_like(r: _Routes) -> bool:
    return bool(r.substring) and not _KATAKANA_RUN.fullmatch(r.substring)


def _pg_ids(r: _Routes) -> list:
    """A term's tsquery and its LIKE as separate selects: in one select, the trigram index's
    recheck would unpack every candidate's tsvector too."""
    out = [_pg_match(e)] if (e := _pg_tsquery(r)) else []
    if _pg_like(r):
        out.append(select(PG_RAW.c.incident_id).where(
            PG_RAW.c.raw.like(literal(_like(r.substring)), escape="\\")))
    return out


# PostgreSQL: only a substring route that is not katakana alone (LIKE) needs a list of its own.
_POSTGRES = _Syntax(expr=_pg_tsquery, alone=_pg_like, ids=_pg_ids, match=_pg_match,
                    OR=" | ", AND=" & ", NOT=" & !({})")


def incident_filter(session: Session, q: str | ParsedQuery) -> ColumnElement[bool] | None:
    """A where-clause on ``Incident.id`` for what the user typed; None when ``q`` is empty.

    Raises :class:`QueryError` for a query that must be changed (see ``parse_query``).
    """
    parsed = q if isinstance(q, ParsedQuery) else parse_query(q)
    if not parsed:
        return None
    lists = _lists(session, parsed)
    if lists.nothing:
        return _nothing()
    clauses = [col(Incident.id).in_(p) for p in lists.positive]
    if lists.negative:
        clauses.append(col(Incident.id).not_in(_listed(lists.negative)))
    return and_(*clauses) if clauses else true()


def matching_ids(session: Session, q: str | ParsedQuery):  # noqa: ANN201 - a Select, or None
    """One select of the ids of the incidents ``q`` matches (merged ones included); None when
    nothing can match. For fetching the matches at once (app.columns), not for a WHERE."""
    parsed = q if isinstance(q, ParsedQuery) else parse_query(q)
    lists = _lists(session, parsed)
    if lists.nothing:
        return None
    if not lists.positive:  # exclusions only
        every = select(col(Incident.id))
        return every.where(col(Incident.id).not_in(_listed(lists.negative))) if lists.negative else every
    first, *rest = lists.positive
    if not rest and not lists.negative:
        return first
    ident = list(first.subquery().c)[0]
    clauses = [ident.in_(p) for p in rest]
    if lists.negative:
        clauses.append(ident.not_in(_listed(lists.negative)))
    return select(ident).where(*clauses)


# ---- ranking ----


def _names_ids(parsed: ParsedQuery, sqlite: bool):  # noqa: ANN202 - a Select, or None
    """The ids of incidents whose organisation, service or vendor matches a positive term."""
    exprs = []
    for term in parsed.positive:
        r = _routes(term)
        if sqlite:
            if e := _fts_expr(r, names_only=True):
                exprs.append(e)
        elif e := _ts_expr(r, names_only=True):
            exprs.append(e)
    if not exprs:
        return None
    if sqlite:
        return select(FTS.c.rowid).where(literal_column("incident_fts").op("MATCH")(literal(" OR ".join(exprs))))
    return select(PG_SEARCH.c.incident_id).where(
        PG_SEARCH.c.names_tsv.op("@@")(cast(literal(" | ".join(exprs)), TSQUERY)))


def _relevance_expr(parsed: ParsedQuery, sqlite: bool) -> str:
    """One MATCH / tsquery expression for all positive terms' token routes, OR-ed."""
    exprs = [e for t in parsed.positive if (e := (_fts_expr if sqlite else _ts_expr)(_routes(t)))]
    return (" OR " if sqlite else " | ").join(f"({e})" for e in exprs)


RANKED = SELECTIVE_LIMIT  # how many of a selective query's best matches go by relevance


@dataclass(frozen=True)
class Ranking:
    """How a search orders its matches ahead of the caller's own order (date, size, delay).

    ``names``: incidents whose organisation, service or vendor matches a positive term come
    first. ``best``: a selective query's best-scored incidents (bm25 / ts_rank), best first;
    empty for a common query, which keeps the caller's order within each names group.
    """

    names: ColumnElement[bool] | None
    best: tuple[int, ...] = ()
    names_ids: object = None  # the select of those incidents' ids that ``names`` tests against

    def order(self) -> ColumnElement:
        """One ORDER BY term (ascending: best first)."""
        first = case((self.names, 0), else_=1) if self.names is not None else literal(0)
        if not self.best:
            return first.asc()
        position = case({incident_id: i for i, incident_id in enumerate(self.best)},
                        value=Incident.id, else_=len(self.best))
        return (first * (RANKED + 1) + position).asc()


def ranking(session: Session, q: str | ParsedQuery, *, matched: int | None = None) -> Ranking | None:
    """The ranking of a search; None for a query with no positive term.

    Relevance is used only when the query is selective (at most ``SELECTIVE_LIMIT``
    incidents match its words): its ``RANKED`` best incidents are found in one indexed query.
    For a common query only the names-first step is given: scoring every posting of a word
    most notices contain costs ~200 ms at 100k.

    ``matched``: how many live incidents the caller knows the query matches. Past the limit,
    a query whose terms have no substring route needs no probe: its matches all match the
    words the probe would count.
    """
    parsed = q if isinstance(q, ParsedQuery) else parse_query(q)
    if not parsed.groups:
        return None
    sqlite = is_sqlite(session)
    expr = _relevance_expr(parsed, sqlite)
    common = (matched is not None and matched > SELECTIVE_LIMIT
              and not any(_routes(t).substring for group in parsed.groups for t in group))
    best = tuple(_best(session, expr, sqlite) if expr and not common else ())
    names = _names_ids(parsed, sqlite)
    return Ranking(None if names is None else col(Incident.id).in_(names), best, names)


def rank_order(session: Session, q: str | ParsedQuery) -> ColumnElement | None:
    """An ORDER BY term (ascending: best first): names matches first, then relevance.

    Put it before the date order: ``order_by(rank_order(s, q), newest.desc())``.
    """
    rank = ranking(session, q)
    return None if rank is None else rank.order()


def _best(session: Session, expr: str, sqlite: bool) -> list[int]:
    """Best-scored incidents for ``expr`` if it matches at most SELECTIVE_LIMIT, else []."""
    if not _selective(session, expr, sqlite):
        return []
    if sqlite:
        best = text("SELECT rowid FROM incident_fts WHERE incident_fts MATCH :e "
                    "ORDER BY bm25(incident_fts, 10.0, 1.0, 0.5, 1.0) LIMIT :n")
    else:
        best = text("SELECT incident_id FROM incident_search WHERE tsv @@ CAST(:e AS tsquery) "
                    "ORDER BY ts_rank(tsv, CAST(:e AS tsquery)) DESC LIMIT :n")
    return list(session.connection().execute(best, {"e": expr, "n": RANKED}).scalars())


def _selective(session: Session, expr: str, sqlite: bool) -> bool:
    if sqlite:
        probe = text("SELECT count(*) FROM (SELECT rowid FROM incident_fts "
                     "WHERE incident_fts MATCH :e LIMIT :n)")
    else:
        probe = text("SELECT count(*) FROM (SELECT 1 FROM incident_search "
                     "WHERE tsv @@ CAST(:e AS tsquery) LIMIT :n) AS probe")
    count = session.connection().execute(probe, {"e": expr, "n": SELECTIVE_LIMIT + 1}).scalar_one()
    return count <= SELECTIVE_LIMIT


# ---- snippets ----

SNIPPET_CHARS = 120
_WINDOWS = 6  # short windows tagged per incident when no literal hit is found


def snippets(session: Session, q: str | ParsedQuery, incident_ids: list[int]) -> dict[int, Markup]:
    """A short passage per incident with the hits in ``<mark>``; the text is escaped.

    Looks for the terms literally first (cheap); only when none is there does it tag a few
    short windows around the first character of each query lemma, to find variants (漏えい
    for 漏洩). Incidents with no hit get the start of their text, unmarked. The passage is
    shown in NFKC.
    """
    parsed = q if isinstance(q, ParsedQuery) else parse_query(q)
    texts = _incident_texts(session, incident_ids)
    terms = parsed.positive
    needles = sorted({t.text for t in terms} | {w for t in terms for w in t.text.split()},
                     key=len, reverse=True)
    lemmas = {lemma for t in terms for _s, lemma, _k, _p in word_tokens(t.text)}
    readings = {to_katakana(t.text) for t in terms if is_kana(t.text)}
    out: dict[int, Markup] = {}
    for incident_id in incident_ids:
        body = " ".join(nfkc(texts.get(incident_id, "")).split())
        spans = _literal_spans(body, needles) or _variant_spans(body, lemmas, readings)
        out[incident_id] = _render(body, _merge(spans))
    return out


def _variant_spans(body: str, lemmas: set[str], readings: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    starts = sorted({p for lemma in lemmas for p in _find_all(body, lemma[:1], 4)})
    for p in starts[:_WINDOWS]:
        lo = max(0, p - 8)
        spans += [(lo + at, lo + at + len(s)) for s, lemma, kana, at in word_tokens(body[lo:p + 12])
                  if lemma in lemmas or kana in readings]
    return spans


def _find_all(body: str, needle: str, limit: int) -> list[int]:
    found: list[int] = []
    at = body.find(needle) if needle else -1
    while at != -1 and len(found) < limit:
        found.append(at)
        at = body.find(needle, at + 1)
    return found


def _literal_spans(body: str, needles: list[str]) -> list[tuple[int, int]]:
    low = body.lower()
    spans = []
    for needle in needles:
        start = low.find(needle)
        while start != -1 and len(spans) < 50:
            spans.append((start, start + len(needle)))
            start = low.find(needle, start + len(needle))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(body: str, spans: list[tuple[int, int]]) -> Markup:
    if not spans:
        cut = body[:SNIPPET_CHARS]
        return escape(cut) + ("…" if len(body) > SNIPPET_CHARS else "")
    # The window that holds the most hits, starting a little before the first of them.
    best = max(range(len(spans)), key=lambda i: sum(
        1 for s, _e in spans[i:] if s < spans[i][0] + SNIPPET_CHARS - 20))
    start = max(0, spans[best][0] - 20)
    end = min(len(body), start + SNIPPET_CHARS)
    parts = ["…" if start else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts += [str(escape(body[pos:s])), "<mark>", str(escape(body[s:e])), "</mark>"]
        pos = e
    parts += [str(escape(body[pos:end])), "…" if end < len(body) else ""]
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


# ---- building the index ----

# What migration 0002 creates beside the models: FTS5 tables (and their shadow tables) on
# SQLite, incident_search on PostgreSQL. Autogenerate must leave them alone.
SEARCH_INDEX_TABLES = ("incident_fts", "incident_trigram", "incident_search")
# Expression indexes on incident that migration 0003 creates for the search page (their
# expressions differ per engine, so the models do not declare them).
SEARCH_PAGE_INDEXES = ("ix_incident_facets", "ix_incident_newest", "ix_incident_records",
                       "ix_incident_delay")


def alembic_include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    """Alembic ``include_object`` hook: skip the search index's tables and their indexes."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "index" and name in SEARCH_PAGE_INDEXES:
        return False
    owner = getattr(getattr(obj, "table", None), "name", None) if type_ != "table" else name
    return not str(owner or "").startswith(SEARCH_INDEX_TABLES)


# ---- the search stamp: what caches of search results are keyed by ----

# Migration 0003 runs the same statements (its _bump): a new random stamp, never a counter,
# so a rolled-back write cannot bring back a stamp some cache still holds.
_BUMP_STAMP = {
    "sqlite": "UPDATE incident_search_state SET stamp = random() WHERE id = 1",
    "postgresql": "UPDATE incident_search_state SET stamp = (floor(random() * 9e15))::bigint "
                  "WHERE id = 1",
}


def bump_stamp(session: Session) -> None:
    """Mark the search index and facet counts as changed (inside the caller's transaction)."""
    session.connection().execute(text(_BUMP_STAMP[session.get_bind().dialect.name]))


def search_stamp(session: Session) -> int | None:
    """The current stamp; read it before computing what is cached under it."""
    return session.connection().execute(
        text("SELECT stamp FROM incident_search_state WHERE id = 1")).scalar_one_or_none()


@dataclass(frozen=True)
class IndexDocument:
    names: list[str]
    body: list[tuple[str, str]]  # (lemma, reading) in order
    pairs: list[str]  # adjacent lemmas of each name and text, joined
    raw: str


def _name_tokens(names: Iterable[str]) -> tuple[list[str], list[str]]:
    lemmas: list[str] = []
    extra: list[str] = []
    pairs: list[str] = []
    for name in dict.fromkeys(nfkc(n).strip() for n in names if n and n.strip()):
        words = word_tokens(name)
        lemmas += [lemma for _s, lemma, _k, _p in words]
        pairs += _pairs(_words(lemma for _s, lemma, _k, _p in words))
        for surface, _lemma, kana, _p in words:
            extra.append(surface.lower())
            if kana:
                extra += [kana, kana_to_romaji(kana)]
            elif surface.isascii():
                extra.append(loose_romaji(surface))
        core = strip_legal_form(name).lower().replace(" ", "")
        reading = "".join(k or s for s, _l, k, _p in word_tokens(core))
        roman = kana_to_romaji(reading).lower()
        extra += [core, reading, roman, loose_romaji(roman)]
        for k, s in ((k, s) for s, _l, k, _p in words):
            extra.append(loose_romaji(kana_to_romaji(k or s)))
        letters = [c for c in core if not c.isascii()]
        extra += letters + ["".join(p) for p in zip(letters, letters[1:], strict=False)]
    return list(dict.fromkeys(_words(lemmas + extra))), pairs


def index_document(names: Iterable[str], texts: Iterable[str]) -> IndexDocument:
    names = [n for n in names if n]
    texts = [nfkc(t) for t in texts if t]
    body: list[tuple[str, str]] = []
    name_tokens, pairs = _name_tokens(names)
    for t in texts:
        words = [(_word(w), k) for w, k in lemma_readings(t)]
        body += words
        pairs += _pairs(lemma for lemma, _k in words)
    raw = " ".join(" ".join([*map(nfkc, names), *texts]).lower().split())
    return IndexDocument(name_tokens, body, list(dict.fromkeys(pairs)), raw)


def _fts_row(doc: IndexDocument) -> dict[str, str]:
    # No positions are kept (detail=column), so each token once is enough.
    kana = " ".join(dict.fromkeys(k for lemma, k in doc.body if k and k != lemma))
    return {"names": " ".join(doc.names), "body": " ".join(dict.fromkeys(w for w, _k in doc.body)),
            "kana": kana, "pairs": " ".join(doc.pairs), "raw": doc.raw}


def katakana_suffixes(raw: str) -> list[str]:
    """``~`` and each suffix of three or more characters of each katakana run of ``raw``
    (migration 0004 computes the same in SQL for the rows it finds)."""
    return [SUFFIX_MARK + run[i:] for run in _KATAKANA_RUN.findall(raw) for i in range(len(run) - 2)]


def _tsvector(doc: IndexDocument) -> tuple[str, str]:
    """tsvector literals (no positions) for everything, and for the names alone."""
    body = [w for lemma, kana in doc.body for w in (lemma, kana) if w]
    every = dict.fromkeys([*doc.names, *body, *doc.pairs, *katakana_suffixes(doc.raw)])
    names = dict.fromkeys(doc.names + _pairs(doc.names))
    return " ".join(map(_ts_lexeme, every)), " ".join(map(_ts_lexeme, names))


def _incident_texts(session: Session, ids: list[int]) -> dict[int, str]:
    """The searchable text of each incident: names, items and its sources' segments."""
    return {i: " ".join([*names, *texts]) for i, (names, texts) in _incident_parts(session, ids).items()}


def _incident_parts(session: Session, ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    if not ids:
        return {}
    rows = session.execute(select(Incident, Organization)
                        .outerjoin(Organization, col(Organization.id) == Incident.organization_id)
                        .where(col(Incident.id).in_(ids))).all()
    parts: dict[int, tuple[list[str], list[str]]] = {}
    for incident, org in rows:
        names = [incident.organization, incident.organization_core, incident.service,
                 incident.vendor]
        if org is not None:
            names += [org.name, org.core_name, *(org.aliases or [])]
        # The attack type's labels are searchable too: 不正アクセス or ransomware finds an
        # incident of that type even when only its facts were kept (the bundled dataset).
        kind = [taxonomy.label(incident.attack_type, "ja"), taxonomy.label(incident.attack_type, "en")]
        parts[incident.id] = ([n for n in dict.fromkeys(names) if n],
                              [", ".join(incident.leaked_items or []), *kind])
    segments = session.execute(
        select(IncidentSource.incident_id, IncidentSource.segment_start, IncidentSource.segment_end,
               Source.text)
        .join(Source, col(Source.id) == IncidentSource.source_id)
        .where(col(IncidentSource.incident_id).in_(ids))
        .order_by(col(IncidentSource.incident_id), col(IncidentSource.id))).all()
    for incident_id, start, end, source_text in segments:
        end = end if end and end > start else len(source_text)
        parts[incident_id][1].append(source_text[start:end])
    return parts


def _write(session: Session, docs: dict[int, IndexDocument], deleted: Iterable[int] = ()) -> None:
    conn = session.connection()
    gone = [{"id": i} for i in (*docs, *deleted)]
    if gone:
        bump_stamp(session)
    if is_sqlite(session):
        if gone:
            conn.execute(text("DELETE FROM incident_fts WHERE rowid = :id"), gone)
            conn.execute(text("DELETE FROM incident_trigram WHERE rowid = :id"), gone)
        rows = [{"id": i, **_fts_row(d)} for i, d in docs.items()]
        if rows:
            conn.execute(text("INSERT INTO incident_fts (rowid, names, body, kana, pairs) "
                              "VALUES (:id, :names, :body, :kana, :pairs)"), rows)
            conn.execute(text("INSERT INTO incident_trigram (rowid, raw) VALUES (:id, :raw)"), rows)
        return
    if gone:
        conn.execute(text("DELETE FROM incident_search WHERE incident_id = :id"), gone)
        conn.execute(text("DELETE FROM incident_search_raw WHERE incident_id = :id"), gone)
    rows = [{"id": i, "tsv": tsv, "names": names, "raw": d.raw}
            for i, d in docs.items() for tsv, names in [_tsvector(d)]]
    if rows:
        conn.execute(text("INSERT INTO incident_search (incident_id, tsv, names_tsv) VALUES "
                          "(:id, CAST(:tsv AS tsvector), CAST(:names AS tsvector))"), rows)
        conn.execute(text("INSERT INTO incident_search_raw (incident_id, raw) VALUES (:id, :raw)"), rows)


def reindex_incidents(session: Session, incident_ids: Iterable[int]) -> None:
    """Bring the index rows of these incidents up to date (gone ones are removed)."""
    ids = list(dict.fromkeys(incident_ids))
    parts = _incident_parts(session, ids)
    docs = {i: index_document(names, texts) for i, (names, texts) in parts.items()}
    _write(session, docs, deleted=[i for i in ids if i not in parts])


def reindex_incident(session: Session, incident_id: int) -> None:
    """Call after an incident is created, edited, merged into or given a new source.

    Does not commit: the caller's transaction covers the incident and its index row.
    """
    reindex_incidents(session, [incident_id])


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def reindex_all(session: Session, *, batch: int = 500) -> int:
    """Rebuild the whole index from the tables; returns the number of incidents indexed."""
    conn = session.connection()
    bump_stamp(session)
    if is_sqlite(session):
        conn.execute(text("DELETE FROM incident_fts"))
        conn.execute(text("DELETE FROM incident_trigram"))
    else:
        conn.execute(text("DELETE FROM incident_search"))
        conn.execute(text("DELETE FROM incident_search_raw"))
    ids = list(session.execute(select(Incident.id).order_by(col(Incident.id))).scalars())
    for chunk in _chunks(ids, batch):
        parts = _incident_parts(session, chunk)
        _write(session, {i: index_document(n, t) for i, (n, t) in parts.items()})
    if is_sqlite(session):
        conn.execute(text("INSERT INTO incident_fts (incident_fts) VALUES ('optimize')"))
        conn.execute(text("INSERT INTO incident_trigram (incident_trigram) VALUES ('optimize')"))
    return len(ids)


__all__ = [
    "MAX_QUERY_CHARS", "ParsedQuery", "QueryError", "Ranking", "Term", "alembic_include_object",
    "bump_stamp", "incident_filter", "search_stamp",
    "index_document", "parse_query", "rank_order", "ranking", "reindex_all", "reindex_incident",
    "reindex_incidents", "snippets",
]
