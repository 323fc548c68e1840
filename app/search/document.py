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


def index_document(names: Iterable[str], texts: Iterable[str]) -> IndexDocument:
    names = [n for n in names if n]
    texts = [nfkc(t) for t in texts if t]
    body: list[tuple[str, str]] = []
    name_tokens, joined = _name_tokens(names)
    for t in texts:
        tokens = [(word(w), k) for w, k in lemma_readings(t)]
        body += tokens
        joined += pairs(lemma for lemma, _k in tokens)
    raw = " ".join(" ".join([*map(nfkc, names), *texts]).lower().split())
    return IndexDocument(name_tokens, body, list(dict.fromkeys(joined)), raw)
