"""Code that runs in the web thread pool gives the same answers from many threads at once."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.extract import parse_text
from app.extract.tokens import tagger
from app.text import lemma_readings, word_tokens

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
TEXTS = [
    "株式会社ワコムは11月21日、ワコムストアへの不正アクセスによりクレジットカード情報が漏えいした可能性があると発表した。",
    "ランサムウェア被害により電子カルテシステムが使用不能となりました。",
    "令和6年5月28日(火)、委託先から報告を受けました。個人情報保護委員会へ速報を行いました。",
    "ｸﾚｼﾞｯﾄｶｰﾄﾞ情報 最大9,416件 漏洩のおそれ",
    "弊社が運営する「東玉オンラインショップ」への不正アクセスによるお客様情報漏えいに関するお詫びとお知らせ",
] + [p.read_text(encoding="utf-8")[:3000] for p in sorted(SEEDS.glob("*.txt"))]


def _run_threads(fn, rounds: int = 30, threads: int = 8) -> list:
    def work(k: int) -> list:
        return [fn(TEXTS[(k + i) % len(TEXTS)]) for i in range(rounds)]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, range(threads)))


def test_each_thread_has_its_own_tagger() -> None:
    barrier = threading.Barrier(4)

    def own(_: int) -> object:
        barrier.wait()  # all four threads are alive at once, so none can reuse another's
        return tagger()

    with ThreadPoolExecutor(max_workers=4) as pool:
        taggers = list(pool.map(own, range(4)))
    assert len({id(t) for t in taggers + [tagger()]}) == 5


@pytest.mark.slow
def test_word_tokens_from_eight_threads_equal_one_thread() -> None:
    expected = {t: word_tokens(t) for t in TEXTS}
    for k, results in enumerate(_run_threads(word_tokens)):
        for i, got in enumerate(results):
            text = TEXTS[(k + i) % len(TEXTS)]
            assert got == expected[text]


def test_lemma_readings_from_eight_threads_equal_one_thread() -> None:
    expected = {t: lemma_readings(t) for t in TEXTS}
    for k, results in enumerate(_run_threads(lemma_readings)):
        for i, got in enumerate(results):
            assert got == expected[TEXTS[(k + i) % len(TEXTS)]]


def test_parse_text_from_eight_threads_equals_one_thread() -> None:
    def facts(text: str) -> list[dict]:
        return [i.to_contract() for i in parse_text(text)]

    expected = {t: facts(t) for t in TEXTS}
    for k, results in enumerate(_run_threads(facts, rounds=6)):
        for i, got in enumerate(results):
            assert got == expected[TEXTS[(k + i) % len(TEXTS)]]
