"""fugashi (MeCab + UniDic) for the parser and the search index: one Tagger per thread.

A MeCab Tagger keeps its lattice between calls, so one Tagger read from two threads at once
returns words of the other thread's text (seen: 20 of 6,000 calls from two threads, 株式 read
as ラン). Each thread gets its own Tagger, built on first use; building one costs ~30 ms and
the dictionary files are shared by the operating system's page cache.
"""
from __future__ import annotations

import threading
from typing import NamedTuple

import fugashi

_local = threading.local()


def tagger() -> fugashi.Tagger:
    """This thread's Tagger."""
    t = getattr(_local, "tagger", None)
    if t is None:
        t = _local.tagger = fugashi.Tagger()
    return t


class Token(NamedTuple):
    surface: str
    pos: str  # UniDic pos1: 名詞, 動詞, 助詞, 助動詞, 補助記号 …
    pos2: str  # pos2: 普通名詞, 固有名詞, 格助詞, 接続助詞 …
    lemma: str  # dictionary form, spelling folded (漏えい → 漏洩), a loanword without its gloss
    cform: str  # conjugation form: 連用形-一般, 終止形-一般, 連体形-一般 … or "*"
    start: int
    end: int


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of text, with offsets into it (plus offset)."""
    out: list[Token] = []
    append = out.append
    make = tuple.__new__  # a Token without NamedTuple's Python-level __new__: tokens are many
    find = text.find
    pos = 0
    for node in tagger()(text):
        surface = node.surface
        k = find(surface, pos)  # past the white space MeCab leaves out
        if k >= 0:
            pos = k
        f = node.feature_raw.split(",", 8)  # the lemma is the 8th field; the rest is not read
        end = pos + len(surface)
        if len(f) > 7:
            lemma = f[7]
            if "-" in lemma:
                lemma = lemma.split("-", 1)[0]  # ログ-log → ログ: the gloss of a loanword
            append(make(Token, (surface, f[0], f[1], lemma if lemma not in ("", "*") else surface, f[5], pos + offset, end + offset)))
        else:  # an unknown word: part of speech only
            append(make(Token, (surface, f[0], f[1] if len(f) > 1 else "*", surface, "*", pos + offset, end + offset)))
        pos = end
    return out
