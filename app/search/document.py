"""An incident's names and texts → the terms the index holds for it: pure.

- ``names``: organisation name, core name and aliases, service and vendor, as UniDic lemma
  tokens, their katakana readings, romaji and a spelling-tolerant romaji key (so ``wacom``
  finds ワコム), the whole core name, and the one- and two-character grams of these names
  (so 県 finds 千葉県 and ワコ finds ワコム).
- ``body``: the leaked items and the text of the incident's source segments, as lemma tokens
  in order (so a quoted phrase is a phrase); 漏洩 = 漏えい, カード = ｶｰﾄﾞ (NFKC first).
  Their readings let ろうえい find 漏洩.
- ``pairs``: adjacent lemmas joined, so a term of several words is an AND of single tokens.
- ``raw``: the same text, NFKC and lower-cased, for a substring route: terms of three or more
  characters also match as substrings, because UniDic splits katakana compounds by context
  (ランサムウェア is ランサム+ウェア or ラン+サム+ウエア) and does not know new names.

How each engine stores a document is its own business (app.search.sqlite, app.search.postgres).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from app.search.query import pairs, word, words
from app.text import (
    kana_to_romaji,
    lemma_readings,
    loose_romaji,
    nfkc,
    strip_legal_form,
    word_tokens,
)


@dataclass(frozen=True)
class IndexDocument:
    names: list[str]
    body: list[tuple[str, str]]  # (lemma, reading) in order
    pairs: list[str]  # adjacent lemmas of each name and text, joined
    raw: str


def _name_tokens(names: Iterable[str]) -> tuple[list[str], list[str]]:
    lemmas: list[str] = []
    extra: list[str] = []
    joined: list[str] = []
    for name in dict.fromkeys(nfkc(n).strip() for n in names if n and n.strip()):
        tokens = word_tokens(name)
        lemmas += [lemma for _s, lemma, _k, _p in tokens]
        joined += pairs(words(lemma for _s, lemma, _k, _p in tokens))
        for surface, _lemma, kana, _p in tokens:
            extra.append(surface.lower())
            if kana:
                extra += [kana, kana_to_romaji(kana)]
            elif surface.isascii():
                extra.append(loose_romaji(surface))
        core = strip_legal_form(name).lower().replace(" ", "")
        reading = "".join(k or s for s, _l, k, _p in word_tokens(core))
        roman = kana_to_romaji(reading).lower()
        extra += [core, reading, roman, loose_romaji(roman)]
        for k, s in ((k, s) for s, _l, k, _p in tokens):
            extra.append(loose_romaji(kana_to_romaji(k or s)))
        letters = [c for c in core if not c.isascii()]
        extra += letters + ["".join(p) for p in zip(letters, letters[1:], strict=False)]
    return list(dict.fromkeys(words(lemmas + extra))), joined


# Each text's terms, kept once per process: an incident's document is made again whenever it
# changes (a merge, a new source, an edit), and its older sources' segments are the same text
# as last time. Tokenising them again made ingest grow with the square of an incident's
# sources; now a document's text is tokenised once and its terms combined with the others'.
TEXT_TERMS_CACHED = 512  # texts (about 2 MB for notices of a few thousand characters)
TEXT_TERMS_MAX_CHARS = 50_000  # a longer text is tokenised each time, not kept


@lru_cache(maxsize=TEXT_TERMS_CACHED)
def _cached_terms(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    return _terms(text)


def _terms(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    tokens = tuple((word(w), k) for w, k in lemma_readings(text))
    return tokens, tuple(pairs(lemma for lemma, _k in tokens))


def text_terms(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(lemma, reading) of each word of NFKC ``text`` in order, and its adjacent lemmas joined."""
    return _cached_terms(text) if len(text) <= TEXT_TERMS_MAX_CHARS else _terms(text)


def index_document(names: Iterable[str], texts: Iterable[str]) -> IndexDocument:
    names = [n for n in names if n]
    texts = [nfkc(t) for t in texts if t]
    body: list[tuple[str, str]] = []
    name_tokens, joined = _name_tokens(names)
    for t in texts:
        tokens, joined_pairs = text_terms(t)
        body += tokens
        joined += joined_pairs
    raw = " ".join(" ".join([*map(nfkc, names), *texts]).lower().split())
    return IndexDocument(name_tokens, body, list(dict.fromkeys(joined)), raw)
