"""fugashi (MeCab + UniDic) for the parser and the search index: one Tagger per thread.

A MeCab Tagger keeps its lattice between calls, so one Tagger read from two threads at once
returns words of the other thread's text (seen: 20 of 6,000 calls from two threads, 株式 read
as ラン). Each thread gets its own Tagger, built on first use; building one costs ~30 ms and
the dictionary files are shared by the operating system's page cache.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import fugashi

_local = threading.local()


def tagger() -> fugashi.Tagger:
    """This thread's Tagger."""
    t = getattr(_local, "tagger", None)
    if t is None:
        t = _local.tagger = fugashi.Tagger()
    return t


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    pos: str  # UniDic pos1: 名詞, 動詞, 助詞, 助動詞, 補助記号 …
    pos2: str  # pos2: 普通名詞, 固有名詞, 格助詞, 接続助詞 …
    lemma: str  # dictionary form, spelling folded (漏えい → 漏洩)
    cform: str  # conjugation form: 連用形-一般, 終止形-一般, 連体形-一般 … or "*"
    start: int
    end: int


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of text, with offsets into it (plus offset)."""
    out: list[Token] = []
    pos = offset
    for node in tagger()(text):
        pos += len(node.white_space)
        surface = node.surface
        f = node.feature_raw.split(",")
        lemma = f[7] if len(f) > 7 and f[7] not in ("", "*") else surface
        cform = f[5] if len(f) > 5 else "*"
        out.append(Token(surface, f[0], f[1] if len(f) > 1 else "*", lemma, cform, pos, pos + len(surface)))
        pos += len(surface)
    return out
