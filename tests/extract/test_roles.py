"""Date roles: one or two sentences in, the field the date lands in."""
from __future__ import annotations

from datetime import date

import pytest

from app.extract import parse_text

CASES = [
    # discovery: told by a third party, found, detected
    ("当社は2023年5月10日、カード会社から漏洩懸念の連絡を受けました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日に不正アクセスが判明しました。", "discovered_on", date(2023, 5, 10)),
    ("令和5年5月10日(水)、サーバーの異常を検知しました。", "discovered_on", date(2023, 5, 10)),
    ("不正アクセスが発覚した2023年5月10日当日に、サーバーを停止しました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日朝からサーバーに障害が発生し、ランサムウェアと判明しました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日に顧客からの問い合わせを受けて発覚した。", "discovered_on", date(2023, 5, 10)),
    # disclosure: the notice's own date, or "…と発表した" in news
    ("サクラ電工は2023年6月1日、顧客情報が流出したと発表した。", "disclosed_on", date(2023, 6, 1)),
    ("2023年6月1日、東雲大学は学生の情報が流出した可能性があると発表した。", "disclosed_on", date(2023, 6, 1)),
    ("発表日 2023/6/1\nサクラ電工で不正アクセスが発生し、顧客情報が流出した。", "disclosed_on", date(2023, 6, 1)),
    # containment
    ("2023年5月11日にカード決済を停止しました。", "containment_on", date(2023, 5, 11)),
    ("2023年5月11日、当該サーバーをネットワークから遮断しました。", "containment_on", date(2023, 5, 11)),
    # reports
    ("当社は2023年5月12日に個人情報保護委員会へ報告しました。", "reported_to_ppc_on", date(2023, 5, 12)),
    ("個人情報保護委員会には2023年5月12日に報告済みです。", "reported_to_ppc_on", date(2023, 5, 12)),
    ("2023年5月15日に所轄の警察署に被害を申告しました。", "reported_to_police_on", date(2023, 5, 15)),
    ("警察には2023年5月15日に相談しております。", "reported_to_police_on", date(2023, 5, 15)),
    ("当社は2023年5月11日に警察へ相談し、5月12日に個人情報保護委員会へ報告しました。", "reported_to_ppc_on", date(2023, 5, 12)),
    ("当社は2023年5月11日に警察へ相談し、5月12日に個人情報保護委員会へ報告しました。", "reported_to_police_on", date(2023, 5, 11)),
    ("所轄警察署の生活安全課にも2023年5月15日に被害を申告しました。", "reported_to_police_on", date(2023, 5, 15)),
    # exposure periods
    ("2022年1月1日~2022年3月31日の期間に購入されたお客様のカード情報が流出しました。", "exposure_from", date(2022, 1, 1)),
    ("2022年1月1日から2022年3月31日までの間に入力されたカード情報が流出しました。", "exposure_to", date(2022, 3, 31)),
    ("攻撃は2022年7月25日から複数回にわたって行われていました。", "exposure_from", date(2022, 7, 25)),
    # the main verb of a sentence that opens with the date, past an embedded period
    (
        "令和6年10月28日(月)、職員が確認していたところ、令和6年10月1日から同月15日までに受け付けた書類が所在不明となっていることが判明しました。",
        "discovered_on",
        date(2024, 10, 28),
    ),
    ("2024年9月8日未明に電子カルテが使用できない状態となり、ランサムウェアによる攻撃を受けたことが判明しました。", "discovered_on", date(2024, 9, 8)),
    # stopped because of the attack: known that day
    ("2024年7月22日、通販サイトでの不正アクセスにより、サービスの一時停止とカード決済の停止措置を取りました。", "discovered_on", date(2024, 7, 22)),
    # the first report is the earliest disclosure
    ("当院は2024年9月20日に第2報を公表しました。第1報(2024年9月10日)でお知らせしたとおり、ネットワークを遮断しました。", "disclosed_on", date(2024, 9, 10)),
]


@pytest.mark.parametrize(("text", "field", "value"), CASES)
def test_role(text: str, field: str, value: date) -> None:
    [inc] = parse_text(text)
    assert getattr(inc, field) == value


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # a snapshot, not an event
        ("2023年4月5日時点で漏洩の可能性が判明していたお客様には連絡済みです。", "discovered_on"),
        # the date of what happened, not of the finding
        ("調査の結果、2023年4月1日に不正ログインされていたことが判明しました。", "discovered_on"),
        # the police as the one who told them is a discovery, not a report to the police
        ("2023年4月5日、県警から「情報が流出している」と連絡があった。", "reported_to_police_on"),
        # a stop with no cause named says nothing of when they knew
        ("2022年8月22日にカード決済を停止しました。", "discovered_on"),
        # "did not notice" is not noticing
        ("2021年6月8日に気付かずに掲載した。", "discovered_on"),
        # another body's publication is not this incident's disclosure
        ("2019年3月5日に不正アクセスが判明した。協議会が2017年3月8日に公表した計画では非保持化を求めている。", "disclosed_on"),
    ],
)
def test_no_role(text: str, field: str) -> None:
    [inc] = parse_text(text)
    assert getattr(inc, field) is None
