"""Normalisation keeps a map back to the raw text."""
from __future__ import annotations

import pytest

from app.extract.normalize import kanji_to_int, normalize


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("２０２２年８月１９日", "2022年8月19日"),
        ("七月二十三日", "7月23日"),
        ("二〇二二年", "2022年"),
        ("2022年 8月 19日", "2022年8月19日"),
        ("１，９３８件", "1,938件"),
        ("㈱テスト", "(株)テスト"),
        ("ｶﾞｲﾄﾞ", "ガイド"),
        ("一部の顧客", "一部の顧客"),
        ("数百人", "数百人"),
        ("不 正 アクセスによるシステム障 害 に関 するお詫 び", "不正アクセスによるシステム障害に関するお詫び"),
        ("株式会社 東玉", "株式会社 東玉"),
        ("右崎 大輔 片岡総合法律事務所 弁護士", "右崎 大輔 片岡総合法律事務所 弁護士"),
        # a Markdown table: its rule goes, and the bars at either end of a row
        ("| 日付 | 組織 |\n|---|:---:|\n| 5月1日 | X社 |", "日付 | 組織\n\n5月1日 | X社"),
        ("合計 |", "合計 |"),
    ],
)
def test_normalize(raw: str, text: str) -> None:
    assert normalize(raw).text == text


def test_offsets_point_into_raw() -> None:
    raw = "当社は令和四年十月十八日に㈱テストから連絡を受けました"
    norm = normalize(raw)
    i = norm.text.index("(株)テスト")
    s, e = norm.raw_span(i, i + len("(株)テスト"))
    assert raw[s:e] == "㈱テスト"
    j = norm.text.index("令和4年10月18日")
    s, e = norm.raw_span(j, j + len("令和4年10月18日"))
    assert raw[s:e] == "令和四年十月十八日"


@pytest.mark.parametrize(("kanji", "value"), [("二十四", 24), ("十", 10), ("二〇二二", 2022), ("百二十", 120), ("千", 1000)])
def test_kanji_to_int(kanji: str, value: int) -> None:
    assert kanji_to_int(kanji) == value
