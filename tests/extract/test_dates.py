"""Dates: one line in, the dates the parser reads, in order."""
from __future__ import annotations

from datetime import date

import pytest

from app.extract.dates import find_dates
from app.extract.normalize import normalize


def dates_in(line: str) -> list[date | None]:
    return [d.value for d in find_dates(normalize(line).text)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2022年8月19日に連絡を受けました。", [date(2022, 8, 19)]),
        ("２０２２年８月１９日（金）に判明", [date(2022, 8, 19)]),
        ("令和4年10月18日に発覚", [date(2022, 10, 18)]),
        ("令和元年5月7日付で公表", [date(2019, 5, 7)]),
        ("平成31年4月1日から", [date(2019, 4, 1)]),
        ("令和四年十月十八日に判明", [date(2022, 10, 18)]),
        ("二〇二三年三月三日に発表", [date(2023, 3, 3)]),
        ("2023 年 5 月 24 日 13 時 30 分頃", [date(2023, 5, 24)]),
        ("2022/11/25 公開", [date(2022, 11, 25)]),
        ("2022.11.25", [date(2022, 11, 25)]),
        ("23年2月1日に報告", [date(2023, 2, 1)]),
        ("R4.10.18 受付", [date(2022, 10, 18)]),
        ("H31.4.1から", [date(2019, 4, 1)]),
        ("2022年8月19日に連絡を受け、同月22日に停止", [date(2022, 8, 19), date(2022, 8, 22)]),
        ("2022年8月19日に連絡を受け、翌日に停止", [date(2022, 8, 19), date(2022, 8, 20)]),
        ("2022年8月30日に依頼し、翌9月2日に受領", [date(2022, 8, 30), date(2022, 9, 2)]),
        ("2022年9月12日から送信し、同年11月1日に判明", [date(2022, 9, 12), date(2022, 11, 1)]),
        ("2024年7月22日に停止。7月29日に発表", [date(2024, 7, 22), date(2024, 7, 29)]),
        ("2022年2月19日~2022年4月19日午前中", [date(2022, 2, 19), date(2022, 4, 19)]),
        ("七月二十三日に検知し、翌二十四日に設置", [None, None]),
        ("4月3日に被害を確認", [None]),
        ("詳細(https://example.jp/)。2022年8月19日に判明", [date(2022, 8, 19)]),
        ("2024年7月19日から22日の間", [date(2024, 7, 19), date(2024, 7, 22)]),
        ("2025年1月14日に公開し、2日後に気づいた", [date(2025, 1, 14), date(2025, 1, 16)]),
        ("2022年11月27日に発表した。25日夕、県警から連絡があり", [date(2022, 11, 27), date(2022, 11, 25)]),
        ("2024年8月2日に公表。先月16日に発覚", [date(2024, 8, 2), date(2024, 7, 16)]),
    ],
)
def test_dates(line: str, expected: list[date | None]) -> None:
    assert dates_in(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "2022年13月45日に判明",
        "https://example.co.jp/news/2022/11/25/notice.html",
        "https://example.jp/release/2022.11.25.pdf",
        "同日に公表",
        "平成最後の日",
    ],
)
def test_not_a_date(line: str) -> None:
    assert [d for d in dates_in(line) if d is not None] == []


@pytest.mark.parametrize(
    ("line", "dated", "expected"),
    [
        ("6月4日に発表した", date(2024, 6, 9), [date(2024, 6, 4)]),
        # what a digest reports has happened: a later month-day is of the year before
        ("1月8日に発表し、12月27日に検知した", date(2025, 1, 12), [date(2025, 1, 8), date(2024, 12, 27)]),
        ("2023年5月1日に判明", date(2024, 6, 9), [date(2023, 5, 1)]),
    ],
)
def test_dates_in_a_dated_document(line: str, dated: date, expected: list[date]) -> None:
    assert [d.value for d in find_dates(line, dated=dated)] == expected
