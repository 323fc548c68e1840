"""What a user typed → a ParsedQuery: pure, and tokenised once.

Each term is run through fugashi when it is made (``Term``): its tokens and the routes it is
looked up by (``Routes``) travel with it, so matching, ranking and snippets read them and
never tokenise the query again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.text import is_kana, loose_romaji, nfkc, searchable, to_katakana, word_tokens

# The longest search the parser reads (the request's own cap, filters.MAX_REQUEST_CHARS, is
# longer, so an over-long search reaches the parser and is told why).
MAX_PARSED_QUERY_CHARS = 256
MAX_TERMS = 16
MAX_TERM_CHARS = 64

Token = tuple[str, str, str, int]  # app.text.word_tokens: surface, lemma, reading, start


class QueryError(ValueError):
    """A search the user must change; the message is meant to be shown to them."""


@dataclass(frozen=True)
class Routes:
    """What one term looks for in the index."""

    lemmas: tuple[str, ...]  # a phrase of lemma tokens, in names or body
    kana: str  # a reading, in names or body readings
    names: tuple[str, ...]  # single tokens looked up in names only (romaji, grams)
    substring: str  # trigram route; "" when shorter than three characters


@dataclass(frozen=True)
class Term:
    """One thing to find. Tokenised once, when made; two terms are equal by text and kind."""

    text: str  # NFKC, lower-cased, one space between words
    phrase: bool = False
    tokens: tuple[Token, ...] = field(default=(), compare=False, repr=False)
    routes: Routes = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.routes is None:
            tokens = tuple(word_tokens(self.text))
            object.__setattr__(self, "tokens", tokens)
            object.__setattr__(self, "routes", _routes(self.text, self.phrase, tokens))


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
    if len(q) > MAX_PARSED_QUERY_CHARS:
        raise QueryError(f"検索語が長すぎます（{MAX_PARSED_QUERY_CHARS}文字まで）。")
    q = q.translate(_QUOTES)
    groups: list[list[tuple[str, bool]]] = []
    excluded: list[tuple[str, bool]] = []
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
        term = (text_, quoted is not None)
        if negate:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if len(excluded) + sum(len(g) for g in groups) > MAX_TERMS:
        raise QueryError(f"検索語が多すぎます（{MAX_TERMS}語まで）。")
    # Terms are made (tokenised) only now: once each, after the limits are checked.
    made: dict[tuple[str, bool], Term] = {}

    def term(key: tuple[str, bool]) -> Term:
        if key not in made:
            made[key] = Term(*key)
        return made[key]

    parsed = ParsedQuery(tuple(tuple(term(k) for k in dict.fromkeys(g)) for g in groups),
                         tuple(term(k) for k in excluded))
    if not parsed and q.strip():
        raise QueryError("検索できる文字（文字や数字）が含まれていません。")
    return parsed


# ---- what a term looks for ----

_SPLITS_BY_CONTEXT = re.compile(r"[ァ-ヺーa-z0-9]")


def _routes(t: str, phrase: bool, tokens: tuple[Token, ...]) -> Routes:
    lemmas = tuple(words(lemma for _s, lemma, _k, _p in tokens))
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
    compact = t if phrase else t.replace(" ", "")
    # Kanji and hiragana words tokenise the same way in a query as in a notice; katakana
    # compounds, Latin and unknown words may not, so they also match as substrings.
    # A single known word is found by its lemma; several words with katakana or Latin in
    # them, and words UniDic does not know, also go the trigram route.
    unreliable = any(not k for _s, _l, k, _p in tokens) or (
        len(tokens) > 1 and _SPLITS_BY_CONTEXT.search(t))
    return Routes(lemmas, kana, tuple(dict.fromkeys(words(names))),
                  compact if len(compact) >= 3 and unreliable else "")


# ---- tokens as the index holds them (shared with app.search.document) ----

_NOT_WORD = re.compile(r"[\W_]+")


def word(token: str) -> str:
    """A token as one FTS5 unicode61 token: e-mail → email (else it is a two-word phrase)."""
    return token if token.isalnum() else _NOT_WORD.sub("", token)


def words(tokens: Iterable[str]) -> list[str]:
    return [w for w in map(word, tokens) if w]


def pairs(lemmas: Iterable[str]) -> list[str]:
    """Adjacent lemmas joined (個人+情報 → 個人情報): a word sequence as single tokens.

    The index holds these beside the words, so a term of several words is an AND of its
    pairs, answered from the posting lists alone: no positions to read (a positional phrase
    over a word in every notice is what made PostgreSQL read every tsvector).
    """
    lemmas = list(lemmas)
    return [a + b for a, b in zip(lemmas, lemmas[1:], strict=False)]
