"""Reports to the PPC after the first (reported_to_ppc_later) and the contact desk (contact)."""

from __future__ import annotations

from datetime import date

import pytest

from app.extract import parse_text

HEAD = "2023年9月1日\n株式会社テスト\n\n不正アクセスに関するお知らせ\n\n2023年6月12日、当社サーバーへの不正アクセスを確認しました。\n"

REPORTS = [
    "個人情報保護委員会へは、2023年6月14日に速報を、同年7月19日に確報を提出しております。",
    "2023年6月14日 個人情報保護委員会へ報告（速報）。2023年7月19日 個人情報保護委員会へ報告（確報）。",
    "個人情報保護委員会に対しては、2023年6月14日に第一報を、2023年7月19日に最終報告を行いました。",
    "2023年6月14日に個人情報保護委員会へ報告いたしました。また、2023年7月19日には同委員会へ確報を提出いたしました。",
    "個人情報保護委員会には6月14日及び同年7月19日に報告済みです。",
    "個人情報保護委員会への報告（2023年6月14日 速報、2023年7月19日 確報）を行っております。",
    "なお、本件は個人情報保護委員会に6月14日に速報、7月19日に確報を行っております。",
]


@pytest.mark.parametrize("sentence", REPORTS)
def test_first_and_later_reports(sentence):
    [inc] = parse_text(HEAD + sentence + "\n")
    assert inc.reported_to_ppc_on == date(2023, 6, 14)
    assert inc.reported_to_ppc_later == [date(2023, 7, 19)]
    out = inc.to_contract()
    assert out["reported_to_ppc_on"] == "2023-06-14" and out["reported_to_ppc_later"] == ["2023-07-19"]
    s, e = out["evidence"]["reported_to_ppc_later"]
    assert "7月19日" in (HEAD + sentence)[s:e]


@pytest.mark.parametrize("sentence", [
    "個人情報保護委員会に2023年6月14日に報告済みです。",
    # a report received is not a report made; a committee of inquiry is not the commission
    "2023年6月13日に委託先から報告を受け、個人情報保護委員会へ2023年6月14日に報告しました。",
    "2023年6月14日に個人情報保護委員会へ報告しました。第三者委員会は2023年7月19日に報告書を公表しました。",
])
def test_one_report_has_no_later(sentence):
    [inc] = parse_text(HEAD + sentence + "\n")
    assert inc.reported_to_ppc_on == date(2023, 6, 14)
    assert inc.reported_to_ppc_later == []


BODY = "2023年9月1日\n株式会社テスト\n\n個人情報漏えいに関するお知らせ\n\n2023年6月12日、お客様の氏名、住所が記載された書類を誤って送付したことが判明しました。\n\n"

DESKS = [
    ("【本件に関するお問い合わせ先】\n株式会社テスト 個人情報お問い合わせ窓口\nTEL:03-1234-5678(平日9時〜17時)\nhttps://www.test.example.jp/contact/\n",
     {"name": "株式会社テスト 個人情報お問い合わせ窓口", "phone": "03-1234-5678", "hours": "平日9時~17時",
      "url": "https://www.test.example.jp/contact/"}),
    ("5.お問い合わせ窓口\n株式会社テスト お客様相談窓口\n電話番号:0120-123-456\n受付時間:10:00〜18:00(土日祝日を除く)\n以上\n",
     {"name": "株式会社テスト お客様相談窓口", "phone": "0120-123-456", "hours": "10:00~18:00(土日祝日を除く)", "url": None}),
    ("■お問い合わせ窓口：テスト お客様サポートセンター 電話 ０１２０－０００－１１１ 受付 9:00～17:00\n",
     {"name": "テスト お客様サポートセンター", "phone": "0120-000-111", "hours": "9:00~17:00", "url": None}),
    ("＜専用ダイヤル＞\nフリーダイヤル 0120-55-8712\n",
     {"name": None, "phone": "0120-55-8712", "hours": None, "url": None}),
]


@pytest.mark.parametrize(("block", "desk"), DESKS)
def test_the_contact_desk(block, desk):
    [inc] = parse_text(BODY + block)
    assert inc.to_contract()["contact"] == desk
    s, e = inc.evidence["contact"]
    assert (BODY + block)[s:e].strip()


@pytest.mark.parametrize("block", [
    "お客様におかれましては、詳しくはカード会社にお問い合わせください。電話番号はカード裏面に記載されています。\n",
    "Q8. 問い合わせ先を教えてください。\nA. 当社ウェブサイトをご覧ください。\n",
    "【報道関係者からのお問い合わせ先】\n広報部 03-1234-0000\n",
    "【お問い合わせ窓口】\n準備が整い次第お知らせいたします。\n",  # no way to reach it yet
])
def test_no_desk(block):
    [inc] = parse_text(BODY + block)
    assert inc.contact is None and inc.to_contract()["contact"] is None


def test_a_press_contact_at_the_head_is_not_the_desk():
    text = ("2023年9月1日\n株式会社テスト\n問合せ先　取締役管理本部長　朝比奈　聡\n（TEL．03-0582-7710）\n\n"
            + BODY.split("\n\n", 1)[1] + "６．本件に関するお問い合わせ窓口\n株式会社テスト　お客様相談室\n電話番号：06-0318-2241\n")
    [inc] = parse_text(text)
    assert inc.contact == {"name": "株式会社テスト お客様相談室", "phone": "06-0318-2241", "hours": None, "url": None}


@pytest.mark.parametrize("pad", [" ", "　", "\t"])
def test_padding_does_not_make_the_desk_or_report_patterns_backtrack(pad):
    """A document padded to the upload cap with spaces after a line break: each run of spaces
    is bounded in the patterns, so one scan stays linear (it took minutes when it was not)."""
    import time

    from app.extract.contact import find_contact
    from app.extract.timeline import PPC_REPORT

    text = "本文\n" + pad * 100_000 + "\n"
    started = time.perf_counter()
    assert find_contact(text, 0, len(text)) is None
    assert PPC_REPORT.match(pad * 100_000, 0) is None
    assert time.perf_counter() - started < 2.0  # ~10 ms; quadratic was ~10^9 steps
