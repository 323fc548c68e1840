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
        # a day counted from a time no date names has nothing to count from
        ("2022年11月17日に分かった。10月末ごろ忘れ、翌日、気づいた", [date(2022, 11, 17), None]),
        ("2022年8月19日に連絡を受けた。その後、同月22日に停止した", [date(2022, 8, 19), date(2022, 8, 22)]),
        # a year only a full date close after gives; not one across a year's end
        ("同大学は12月3日付で謝罪文を掲載した。2024年11月28日未明から送信された。", [date(2024, 12, 3), date(2024, 11, 28)]),
        ("5月12日午後に送信した。同日夕方に判明した。2021年5月14日に報告した。", [date(2021, 5, 12), date(2021, 5, 12), date(2021, 5, 14)]),
        ("12月20日に判明した。2024年1月10日に公表した。", [None, date(2024, 1, 10)]),
        # spaces inside an era date; the other calendar in brackets
        ("令和 6 年 5 月 28 日、委託先から報告", [date(2024, 5, 28)]),
        ("2024年(令和6年)5月28日に判明", [date(2024, 5, 28)]),
        ("令和6年(2024年)5月28日に判明", [date(2024, 5, 28)]),
        # a year that only a later date makes certain: a range's end, a weekday
        ("7月19日から2024年7月22日までの間", [date(2024, 7, 19), date(2024, 7, 22)]),
        ("12月20日~2024年1月5日の期間", [date(2023, 12, 20), date(2024, 1, 5)]),
        ("5月26日(日)に被害を受けたと、令和6年5月28日(火)に報告", [date(2024, 5, 26), date(2024, 5, 28)]),
        # a news lead's bare day is in the month of the article, which 今月 names too
        ("市が26日、発表した。25年12月19日まで掲載されていた。今月19日、問い合わせで発覚", [date(2025, 12, 26), date(2025, 12, 19), date(2025, 12, 19)]),
        # 今月 is the month of the article's dateline, though a bare day of it came between
        ("2020年11月18日付 同社は16日、発表した。今月2日に検知し、10月21日から今月2日まで侵入された。6日に県警に相談",
         [date(2020, 11, 18), date(2020, 11, 16), date(2020, 11, 2), date(2020, 10, 21), date(2020, 11, 2), date(2020, 11, 6)]),
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
        # 今年 and 昨年 are the document's year, which a date of another year does not give
        "今年1月14日に気づいた",
        "昨年12月9日に相談",
        # a weekday that fits no year near the text's years, or a range that runs backwards
        "5月27日(日)に報告",
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
        # 今年, 昨年 and 今月 are the document's
        ("2021年6月8日に掲載した。今年1月14日に気づいた", date(2025, 10, 29), [date(2021, 6, 8), date(2025, 1, 14)]),
        ("2023年1月10日付。昨年12月9日に相談", date(2023, 1, 10), [date(2023, 1, 10), date(2022, 12, 9)]),
        ("今月3日に判明し、先月28日に送信", date(2024, 6, 9), [date(2024, 6, 3), date(2024, 5, 28)]),
        # the document's own date written out keeps later month-days in the year before it
        ("2024年1月15日\n12月20日に検知した", date(2024, 1, 15), [date(2024, 1, 15), date(2023, 12, 20)]),
        # a year the text writes is carried forward as it is
        ("2023年11月1日に検知し、12月20日に公表", date(2024, 1, 15), [date(2023, 11, 1), date(2023, 12, 20)]),
        # 去年の, 今年の: the year they name carries on to the month-days after them
        ("去年の9月10日から今年の1月28日までに購入。発覚したのは2月5日", date(2025, 4, 1), [date(2024, 9, 10), date(2025, 1, 28), date(2025, 2, 5)]),
        # a news lead's bare day is of the article's month, not of the date recalled before it
        ("5月19日に被害を公表していた丸越運輸株式会社は6日、第2報を公表した", date(2025, 6, 9), [date(2025, 5, 19), date(2025, 6, 6)]),
        # 〈日〉付: a bare day that dates a document
        ("逮捕を受け、同社は20日付で文書を掲載した", date(2019, 11, 21), [date(2019, 11, 20)]),
        # a story told forward past an explicit earlier year runs into the document's year…
        ("2023年11月30日付で退職した社員が、2023年10月2日から持ち出していたことが2月9日に確認された", date(2024, 3, 21),
         [date(2023, 11, 30), date(2023, 10, 2), date(2024, 2, 9)]),
        # …but not a period's start, which may come before what was found
        ("2023年11月1日に検知した。調査の結果、3月1日から10月31日まで閲覧可能だった", date(2024, 5, 1),
         [date(2023, 11, 1), date(2023, 3, 1), date(2023, 10, 31)]),
    ],
)
def test_dates_in_a_dated_document(line: str, dated: date, expected: list[date]) -> None:
    assert [d.value for d in find_dates(line, dated=dated)] == expected


def test_month_day_with_a_slash_in_prose_is_a_date_where_a_word_of_time_follows() -> None:
    found = find_dates("盗難に気付いたのは11/9夜で、期間は10/28~11/12で、全体の1/2が対象、1/2に減った。", dated=date(2024, 11, 15))
    assert [str(d.value) for d in found] == ["2024-11-09", "2024-10-28", "2024-11-12"]


def test_a_day_after_the_papers_date_is_of_the_month_before() -> None:
    # "（30日）" in a paper dated 7月10日 reports what has happened: 6月30日.
    found = find_dates("百貨店の社員が顧客名簿を紛失したと発表した(30日)。", dated=date(2025, 7, 10))
    assert [str(d.value) for d in found] == ["2025-06-30"]
    found = find_dates("スーパーが不正ログインを発表した(4日)。", dated=date(2025, 7, 10))
    assert [str(d.value) for d in found] == ["2025-07-04"]


def test_a_threads_post_counters_are_no_dates_and_last_year_is_written_with_a_slash() -> None:
    text = (
        "2026年1月の漏えいまとめ\n(1/3)\n"
        "・掲載期間：昨年12/26〜今年1/19\n(2/3)\n"
        "・1/20発表\n(3/3)\n"
    )
    assert [d.value for d in find_dates(normalize(text).text, dated=date(2026, 2, 1))] == [
        date(2025, 12, 26), date(2026, 1, 19), date(2026, 1, 20),
    ]
    # one bracketed month-day alone on its line, with no other counter like it, stays a date
    assert [d.value for d in find_dates(normalize("県立高校でUSBメモリー紛失\n(11/17)\n").text, dated=date(2025, 11, 20))] == [
        date(2025, 11, 17)
    ]


def test_a_threads_posts_count_yesterday_and_last_friday_from_their_own_timestamps() -> None:
    from app.extract import parse_text

    text = (
        "セキュリティ速報bot\n@sokuho_bot\n"
        "🧵【まとめスレ】今週の国内インシデント\n午後9:14 · 2025年9月5日\n\n"
        "🚨【速報】デリバリーアプリを運営するマルハチフーズが、昨日夜に不正ログイン被害を公表。約4,200アカウントに不正ログインされた。異常を検知したのは先週金曜とのこと。\n"
        "午後9:16 · 2025年9月5日\n\n"
        "📮 みどり野市、介護保険の負担割合証を別の人に送っていたとHPに掲載。18人分の氏名が別人に届いた。3日に市民からの問い合わせで発覚したそう。\n"
        "午後9:22 · 2025年9月5日\n\n"
        "💻 南陵医大病院、医師が患者312人分のデータ入りノートPCを電車内に置き忘れ。先月27日の帰宅途中に置き忘れ、翌日に気付いた。公表は昨日。\n"
        "午後9:31 · 2025年9月5日\n\n"
        "🛒【速報】老舗茶舗の宇治野園、公式通販でカード情報2,145件流出の可能性。カード会社から連絡を受けたのは8月1日。昨日付でお知らせを出してる。\n"
        "午前8:05 · 2025年9月6日\n"
    )
    got = [(i.organization, i.discovered_on, i.disclosed_on) for i in parse_text(text) if i.is_incident]
    assert got == [
        ("マルハチフーズ", date(2025, 8, 29), date(2025, 9, 4)),
        ("みどり野市", date(2025, 9, 3), None),
        ("南陵医大病院", date(2025, 8, 28), date(2025, 9, 4)),
        ("宇治野園", date(2025, 8, 1), date(2025, 9, 5)),
    ]


def test_yesterday_without_a_timestamp_is_no_date() -> None:
    from app.extract.dates import find_dates

    assert find_dates("昨日、不正アクセスを確認した。", dated=date(2025, 9, 5)) == []


def test_an_articles_dateline_at_its_foot_gives_its_month_days_their_year() -> None:
    # The story's bare days happened before the dateline that closes it.
    text = normalize("市は４月９日、苦情が寄せられて誤送信に気付いた。\n（２０１８年６月１２日 １８時４０分）\n").text
    assert [d.value for d in find_dates(text)] == [date(2018, 4, 9), date(2018, 6, 12)]
    # a day later in the year than the dateline is of the year before
    text = normalize("１２月２０日に発覚した。\n（２０１９年１月１５日 ９時０５分）\n").text
    assert [d.value for d in find_dates(text)] == [date(2018, 12, 20), date(2019, 1, 15)]
    # run together with the story, the bracketed date with its time is still its dateline
    text = normalize("４月９日に発覚したとコメントした。（２０１８年６月１２日 １８時４０分）").text
    assert find_dates(text)[0].value == date(2018, 4, 9)
    # a full date in the story's sentences, or on a line of its own words, is no dateline
    for story in ("４月９日に発覚し、２０１８年６月１２日に公表した。", "市は４月９日、苦情が寄せられた。\n２０１８年６月１２日に公表した。"):
        assert find_dates(normalize(story).text)[0].value is None


def test_a_news_storys_bare_day_is_of_its_datelines_month_not_of_the_month_just_named() -> None:
    text = (
        "2018年5月24日(木) 19:12\n"
        "さくら台市教育委員会は24日、市立中学校のホームページに生徒の成績一覧を誤って掲載していたと発表した。"
        "同校の教諭が4月9日、学年だよりを掲載する際に誤ったファイルを選んだ。"
        "21日夜に保護者から電話があり、翌朝ファイルを削除した。"
    )
    dates = [d.value for d in find_dates(text)]
    assert dates[-1] == date(2018, 5, 21)
    # a notice's narrative, no news lead: the bare day is of the month just named
    text = "2018年5月24日\n当校の教諭が4月9日、誤ったファイルを掲載しました。21日に保護者から連絡がありました。"
    assert [d.value for d in find_dates(text)][-1] == date(2018, 4, 21)
