"""Whole notices, written for these tests: the contract keys, the roles of dates, evidence."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.extract import Extracted, parse_text
from app.extract.notice import CONTRACT_KEYS

NOTICE = """株式会社ミナモト商会 弊社が運営する「ミナモト公式ストア」への不正アクセスによる個人情報漏えいに関するお詫びとお知らせ 2023年4月1日

このたび、弊社が運営する「ミナモト公式ストア」におきまして、第三者による不正アクセスを受け、お客様のクレジットカード情報(1,234件)及び個人情報(5,678件)が漏洩した可能性があることが判明いたしました。

1.経緯
2022年11月2日、一部のクレジットカード会社から、本件サイトを利用したお客様のクレジットカード情報の漏洩懸念について連絡を受け、同日、本件サイトでのカード決済を停止いたしました。
同年12月20日、第三者調査機関による調査が完了し、2021年5月1日~2022年11月2日の期間に本件サイトで購入されたお客様のクレジットカード情報が漏洩した可能性があることを確認いたしました。

なお、個人情報保護委員会には2022年11月8日に報告済みであり、所轄警察署にも2023年1月10日に被害申告しております。
"""


def test_notice_fields() -> None:
    [inc] = parse_text(NOTICE)
    assert inc.is_incident
    assert inc.organization == "株式会社ミナモト商会"
    assert inc.organization_core == "ミナモト商会"
    assert inc.service == "ミナモト公式ストア"
    assert inc.attack_type == "web_skimming"
    assert inc.discovered_on == date(2022, 11, 2)
    assert inc.disclosed_on == date(2023, 4, 1)
    assert (inc.exposure_from, inc.exposure_to) == (date(2021, 5, 1), date(2022, 11, 2))
    assert (inc.records_max, inc.card_records, inc.personal_records) == (5678, 1234, 5678)
    assert inc.reported_to_ppc_on == date(2022, 11, 8)
    assert inc.reported_to_police_on == date(2023, 1, 10)
    assert inc.containment_on == date(2022, 11, 2)
    assert inc.status == "possible"


def test_contract_shape_and_evidence() -> None:
    [inc] = parse_text(NOTICE)
    out = inc.to_contract()
    extra = {
        "records_max_qualifier", "card_records_qualifier", "personal_records_qualifier",
        "containment_on", "title", "segment", "source_url", "rules",
        "reported_to_ppc_later", "contact",  # (#15: later reports to the PPC, the contact desk)
    }
    assert set(out) == set(CONTRACT_KEYS) | extra
    assert out["discovered_on"] == "2022-11-02"
    for fld, (s, e) in out["evidence"].items():
        assert 0 <= s < e <= len(NOTICE), fld
    s, e = out["evidence"]["card_records"]
    assert NOTICE[s:e] == "1,234件"
    assert {ev["type"] for ev in out["events"]} >= {"notified_by_third_party", "reported_to_ppc", "reported_to_police", "disclosed"}
    assert all(rule for rule in out["rules"].values())


def test_an_incident_reads_back_from_its_json() -> None:
    [inc] = parse_text(NOTICE)
    back = Extracted.from_json(inc.to_contract())
    assert replace(back, report=inc.report) == inc
    assert Extracted.from_json({"records_max": "12", "discovered_on": "2023-02-30", "attack_type": None}) == Extracted()


def test_evidence_points_into_raw_text_after_folding() -> None:
    raw = "東雲大学は令和五年三月三日、学生１，２３４名分の個人情報がメールの誤送信により流出したと発表した。"
    [inc] = parse_text(raw)
    s, e = inc.evidence["records_max"]
    assert raw[s:e] == "１，２３４名分"
    s, e = inc.evidence["disclosed_on"]
    assert raw[s:e].startswith("令和五年三月三日")


def test_no_year_no_date() -> None:
    [inc] = parse_text("サクラ電工は4月4日、ランサムウェア攻撃を受けたと発表した。被害が確認されたのは4月3日。")
    assert inc.disclosed_on is None
    assert inc.discovered_on is None


def test_digest_is_split() -> None:
    text = (
        "今週のセキュリティニュースをお届けします。\n"
        "サクラ電工、通販サイトで顧客情報1,200件が流出\n"
        "サクラ電工が運営する通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があることがわかった。\n"
        "東雲大学、学生のメールアドレス300件を誤送信\n"
        "東雲大学はメールの誤送信により、学生300人のメールアドレスが流出したことを明らかにした。\n"
    )
    items = parse_text(text)
    assert [(i.organization, i.attack_type, i.records_max) for i in items] == [
        ("サクラ電工", "unauthorized_access", 1200),
        ("東雲大学", "misdelivery", 300),
    ]
    assert items[0].segment[1] <= items[1].segment[0]


def test_section_heading_does_not_split_a_notice() -> None:
    text = (
        "株式会社ミナモト商会 弊社が運営する「ミナモト公式ストア」への不正アクセスに関するお詫び 2023年4月1日\n\n"
        "このたび、弊社が運営する「ミナモト公式ストア」において、お客様のクレジットカード情報(120件)が漏洩した可能性があることが判明いたしました。\n\n"
        "「ミナモト公式ストア」への不正アクセスの経緯\n"
        "2022年11月2日、カード会社から連絡を受け、同日カード決済を停止しました。調査の結果、不正アクセスによる改ざんが判明しました。\n"
    )
    [inc] = parse_text(text)
    assert inc.organization == "株式会社ミナモト商会"
    assert inc.discovered_on == date(2022, 11, 2)
    assert inc.segment == (0, len(text))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("外部に流出した事実は確認されておりません。", "none"),
        ("個人情報が流出した可能性があります。", "possible"),
        ("メールアドレスが流出しました。", "confirmed"),
        ("詳細は現在調査中です。", "investigating"),
        ("カード情報が漏洩した可能性があります。カード情報以外の個人情報は、漏洩した可能性はないことを確認しております。", "possible"),
    ],
)
def test_status(text: str, status: str) -> None:
    assert parse_text(text)[0].status == status


def test_follow_up_report_event() -> None:
    text = (
        "サイバー攻撃による被害について(第2報)\n\n2024年9月20日\n医療法人社団青陽会 青陽中央病院\n\n"
        "当院では、2024年9月8日未明に電子カルテシステムが使用できない状態となり、調査の結果、ランサムウェアによる攻撃を受けたことが判明しました。\n"
    )
    [inc] = parse_text(text)
    types = [e.type for e in inc.events]
    assert "update" in types and "anomaly_detected" in types
    assert inc.discovered_on == date(2024, 9, 8)


def test_related_articles_are_not_items() -> None:
    text = (
        "サクラ電工は5月10日、通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があると発表した。\n"
        "同社は外部の専門機関と調査を進めている。\n\n"
        "関連記事\n"
        "東雲大学、学生のメールアドレス30万件を誤送信\n"
        "東雲大学はメールの誤送信により、学生30万人のメールアドレスが流出したことを明らかにした。\n"
    )
    [inc] = parse_text(text)
    assert inc.organization == "サクラ電工"
    assert inc.records_max == 1200
    assert inc.segment[1] == text.index("関連記事")


def test_digest_with_marked_items() -> None:
    text = (
        "今週の主なセキュリティ事件\n\n"
        "■サクラ電工、通販サイトで顧客情報1,200件が流出\n"
        "サクラ電工が運営する通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があることがわかった。\n\n"
        "■東雲大学、学生のメールアドレス300件を誤送信\n"
        "東雲大学はメールの誤送信により、学生300人のメールアドレスが流出したことを明らかにした。\n\n"
        "●ミナモト銀行を騙るフィッシングメールに注意\n"
        "ミナモト銀行の名前をかたるメールが出回っており、同行が注意を呼びかけている。\n"
    )
    items = parse_text(text)
    assert [(i.is_incident, i.organization, i.records_max) for i in items] == [
        (True, "サクラ電工", 1200),
        (True, "東雲大学", 300),
        (False, "ミナモト銀行", None),
    ]


def test_digest_keeps_items_after_a_related_articles_line() -> None:
    text = (
        "今週の主なセキュリティ事件\n"
        "サクラ電工、通販サイトで顧客情報1,200件が流出\n"
        "サクラ電工が運営する通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があることがわかった。\n"
        "東雲大学、学生のメールアドレス300件を誤送信\n"
        "東雲大学はメールの誤送信により、学生300人のメールアドレスが流出したことを明らかにした。\n"
        "関連記事\n"
        "北風運輸、ランサムウェア被害で配送システムが停止\n"
        "北風運輸は、社内のサーバーがランサムウェアに感染し、配送システムが停止したと発表した。\n"
    )
    assert [i.organization for i in parse_text(text)] == ["サクラ電工", "東雲大学", "北風運輸"]


def test_a_bodys_own_press_index_dates_each_release_and_names_its_nameless_ones() -> None:
    text = (
        "白峰県公式ホームページ\n報道発表資料一覧(令和7年10月)\n\n"
        "━━━━━━━━━━\n令和7年10月24日(金)\n━━━━━━━━━━\n\n"
        "◆県立白峰中央病院職員による電子カルテの目的外閲覧について(第2報)\n 担当課:病院局 県立病院課\n"
        "10月9日にお知らせした本件について調査した結果、当該職員が延べ213名分の患者の診療記録を閲覧していたことが確認されました。\n\n"
        "━━━━━━━━━━\n令和7年10月21日(火)\n━━━━━━━━━━\n\n"
        "◆自動車税の減免決定通知書の誤送付について\n 担当課:総務部 税務課\n"
        "委託先において封入作業を誤り、412名分の通知書が本来の送付先とは異なる方に送付されたことが判明しました。\n\n"
        "━━━━━━━━━━\n令和7年10月15日(水)\n━━━━━━━━━━\n\n"
        "◆県立白峰北高等学校における生徒の個人情報を含むUSBメモリの紛失について\n 担当課:高校教育課\n"
        "県立白峰北高等学校の教諭が、全校生徒697名分の得点を保存したUSBメモリを紛失しました。\n\n"
        "━━━━━━━━━━\n令和7年10月9日(木)\n━━━━━━━━━━\n\n"
        "◆県立白峰中央病院職員による電子カルテの目的外閲覧について\n 担当課:病院局 県立病院課\n"
        "県立白峰中央病院において、職員1名が業務上の必要がないにもかかわらず、患者の電子カルテを閲覧していたことが判明しました。\n\n"
        "━━━━━━━━━━\n令和7年10月1日(水)\n━━━━━━━━━━\n\n"
        "◆令和7年度上半期における県の個人情報漏えい等事案の公表状況について\n 担当課:総務部 文書法務課\n"
        "令和7年4月から9月までの間に県が公表した個人情報の漏えい等事案は14件(前年同期比3件増)で、影響を受けた方は延べ1,862名でした。\n"
    )
    got = [(i.organization, i.is_incident, i.disclosed_on) for i in parse_text(text)]
    # the 第2報 above its first report is one incident with it, disclosed when the first was
    assert ("県立白峰中央病院", True, date(2025, 10, 9)) in got
    assert sum(1 for o, inc, _ in got if o == "県立白峰中央病院" and inc) == 1
    assert ("白峰県", True, date(2025, 10, 21)) in got  # a release that names no body is the issuer's
    assert ("白峰県", False, None) in got  # the half-year's count of cases is statistics


def test_an_item_that_cites_a_dated_note_is_announced_on_the_notes_date() -> None:
    from app.extract.notice import CITATION

    [doc] = CITATION.documents
    got = {i.organization: i.disclosed_on for i in parse_text(doc) if i.is_incident}
    assert got["株式会社ハルモニア"] == date(2025, 1, 20)
    assert got["菓子工房ルミエ"] == date(2025, 2, 12)
    assert got["国立大学法人北陵大学"] == date(2025, 2, 4)


def test_a_dateline_under_a_rankings_title_is_the_pages_date_not_its_leads_announcement() -> None:
    # A yearly ranking pasted without its line breaks: the post's date stands alone under its
    # title, and the lead over the ranked items tells of no announcement: the items keep the
    # dates their own sentences give (the year from the lead's "2023年です").
    path = Path(__file__).parents[1] / "fixtures/devset13/security-vendor-yearly-top10-ranking-rank-headings-arrows-kenmi-comments.json"
    text = json.loads(path.read_text(encoding="utf-8"))["text"].replace("\n", "")
    found = {inc.organization_core: inc for inc in parse_text(text) if inc.is_incident}
    assert found["トーワ倉庫運輸"].disclosed_on == date(2023, 7, 4)
    assert found["トーワ倉庫運輸"].discovered_on == date(2023, 7, 1)


def test_a_news_pages_breadcrumb_is_no_headline_and_the_headline_under_it_names_the_body() -> None:
    text = (
        "TechFront NEWS\nTechFront NEWS ＞ セキュリティ ＞ 青葉精機にランサムウェア攻撃 情報流出か\n\n"
        "青葉精機にランサムウェア攻撃 情報流出か\n\n2022年08月09日 17時40分 公開\n\n"
        "　部品メーカーの青葉精機（新潟県）は8月8日、社内のサーバがランサムウェアに感染したと発表した。\n"
    )
    [inc] = parse_text(text)
    assert inc.title == "青葉精機にランサムウェア攻撃 情報流出か"
    assert inc.organization_core == "青葉精機"


@pytest.mark.parametrize(
    ("title", "core"),
    [
        # the tail names the body by kind: the prose names it, the story's first words do not
        ("セミナー案内メールで送信ミス、会員のメアド412件が流出 - 陶芸団体", "日本陶芸普及会"),
        # the tail is a subtitle, not a body: the lead names it
        ("日本陶芸普及会、メールアドレス流出 - 送信設定を誤る", "日本陶芸普及会"),
    ],
)
def test_a_headline_that_ends_on_its_body_by_kind_leaves_the_naming_to_the_prose(title: str, core: str) -> None:
    text = (
        f"2019/11/21\n\n{title}\n\n"
        "　日本陶芸普及会は、会員に送信したセミナー案内のメールで送信ミスがあり、会員のメールアドレスが流出したことを明らかにした。\n"
        "　同会によれば、11月15日、本来「BCC」に入力すべき送信先を誤って「TO」に入力した。セミナー案内の対象は会員412人。\n"
    )
    [inc] = parse_text(text)
    assert inc.organization_core == core


def test_a_newspaper_article_names_its_body_once_and_then_points_back_to_it() -> None:
    # masthead over the headline, the body named once in quotes (本社…), then 同社 throughout;
    # 昨年 dates from the dateline's year, and a story told forward runs into this year
    text = (
        "東西日報オンライン\nトップ ＞ 社会\n\n顧客情報5千人分売却か 元社員を逮捕\n\n"
        "2018年5月10日 11時32分（最終更新 5月10日 13時05分）\n\n"
        "　府警は9日、元契約社員の男（41）を逮捕した。男は学習塾大手「つばさ塾」（本社・大阪市）のコールセンターに勤めていた。"
        "同社の調査によると、男は昨年9月1日から11月30日にかけて顧客の情報を繰り返し閲覧しており、持ち出された情報は約5千人分に上る。"
        "同社の顧客は約30万人。社内調査で2月14日に持ち出しを確認し、3月20日に事案を公表した。\n"
    )
    [inc] = parse_text(text)
    assert inc.title == "顧客情報5千人分売却か 元社員を逮捕"
    assert inc.organization_core == "つばさ塾"
    assert (inc.exposure_from, inc.exposure_to) == (date(2017, 9, 1), date(2017, 11, 30))
    assert inc.disclosed_on == date(2018, 3, 20)
    assert inc.records_max == 5000  # 同社の顧客は約30万人 is how many it has


def test_a_headline_that_opens_on_what_was_attacked_leaves_the_naming_to_the_prose() -> None:
    text = (
        "予約管理クラウドに不正アクセス 利用者情報流出の恐れ\n\n2020年11月18日\n\n"
        "　システム開発のミナモト・テック（大阪市）は16日、同社が提供する予約管理サービスのサーバーが不正アクセスを受けたと発表した。\n"
        "　同社によると、メールは延べ823件が送信されたが、重複を除くと利用者412人のメールアドレスが閲覧できる状態だった。\n"
    )
    [inc] = parse_text(text)
    assert inc.organization_core == "ミナモト・テック"
    assert inc.records_max == 412  # 延べ823件 counts mails sent again, not records
    assert inc.personal_records == 412


def test_a_notices_date_line_keeps_its_time() -> None:
    text = (
        "会員サービスにおける個人情報の外部閲覧可能状態に関するお詫びとお知らせ\n\n株式会社ミナモト・テック\n2021年9月23日 15時00分\n\n"
        "　当社が提供する会員サービスにおいて、クラウドストレージの設定不備により、会員の個人情報が外部から閲覧可能な状態となっていたことが判明いたしました。\n"
        "　2021年9月14日、外部の研究者よりご連絡をいただきました。\n"
    )
    [inc] = parse_text(text)
    assert inc.disclosed_on == date(2021, 9, 23)
    assert inc.discovered_on == date(2021, 9, 14)
