"""Arbitrary text never raises, and large input stays fast."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.extract import DecodeError, decode_bytes, parse_text

JA = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Z", "Cc"),
)
PIECES = st.sampled_from(
    ["2022年", "8月", "19日", "令和", "元年", "同月", "翌", "件", "名", "約", "最大", "万", "株式会社", "大学",
     "、", "。", "\n", "「", "」", "~", "から", "不正アクセス", "漏えい", "(", ")", "１", "〇", "十", "ﾞ", "㈱"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(JA, max_size=20), PIECES), max_size=40).map("".join))
@example("ぁ0市長一一")  # a mayor's 市 past the name's group once gave evidence at -1
def test_parse_never_raises(text: str) -> None:
    for inc in parse_text(text):
        out = inc.to_contract()
        for s, e in out["evidence"].values():
            assert 0 <= s <= e <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_raises_only_decode_error(data: bytes) -> None:
    try:
        decode_bytes(data)
    except DecodeError:
        pass


# Not a speed target (bench/parse_bench.py measures speed): a bound that a linear parse meets
# with room to spare on a loaded machine (about 4 s alone, 17 s beside three test runs), and
# that backtracking over runs of 50,000 characters would exceed by orders of magnitude.
LINEAR_BOUND_S = 60


@pytest.mark.slow
def test_pathological_input_is_linear() -> None:
    # Long runs that tempt backtracking: digits, kanji, commas, legal forms without names.
    text = ("1," * 50_000) + ("株式会社" * 20_000) + ("大学" * 20_000) + ("2022年" * 20_000) + ("約" * 50_000) + "\n"
    t = time.perf_counter()
    parse_text(text)
    assert time.perf_counter() - t < LINEAR_BOUND_S


def test_runs_of_spaces_and_blank_lines_are_linear() -> None:
    # A PDF's centred lines and page numbers, blank lines with a space on them: runs of
    # whitespace that a pattern with two \s* around an optional part tried every split of.
    text = (" \n" * 20_000) + ((" " * 60 + "- 1 -\n") * 2_000) + (("2024年5月1日" + " " * 60 + "x\n") * 50) + "不正アクセス"
    t = time.perf_counter()
    parse_text(text)
    assert time.perf_counter() - t < LINEAR_BOUND_S
