"""Attack types: one sentence per taxonomy key, and advisories that are not incidents."""
from __future__ import annotations

import pytest

from app.extract import parse_text
from app.extract.attack import classify


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("サーバーがランサムウェアに感染し、ファイルが暗号化されました。", "ransomware"),
        # phishing mails sent from an account taken over: the takeover did it; a phished
        # password that let the intruder in: the phishing did
        ("従業員のメールアカウントに第三者が不正ログインし、同アカウントから取引先にフィッシングメールが送られた。", "account_takeover"),
        ("フィッシングメールの偽のログインページにパスワードを入力し、アカウントに不正ログインされ、同アカウントからフィッシングメールが送信された。", "phishing"),
        ("ペイメントアプリケーションの改ざんにより、クレジットカード情報が流出しました。", "web_skimming"),
        ("決済画面が改ざんされ、入力されたカード情報が外部に送信されていました。", "web_skimming"),
        ("システムの脆弱性をついた不正アクセスにより個人情報が流出しました。", "unauthorized_access"),
        ("SQLインジェクションにより会員情報が窃取されました。", "unauthorized_access"),
        ("PCがEmotetに感染し、なりすましメールが送信されました。", "malware"),
        ("リスト型攻撃による不正ログインが確認されました。", "account_takeover"),
        ("職員がフィッシングメールの偽サイトにIDとパスワードを入力しました。", "phishing"),
        ("メールをBccではなくToで送信し、メールアドレスが流出しました。", "misdelivery"),
        ("別の保護者あてに書類を誤送付しました。", "misdelivery"),
        ("共有フォルダの設定不備により、外部から閲覧可能な状態でした。", "misconfiguration"),
        ("職員が個人情報を含むUSBメモリを紛失しました。", "loss_theft"),
        ("元従業員が顧客情報を持ち出していたことが判明しました。", "insider"),
        ("システム障害が発生しました。", "other"),
        ("当社サーバーがサイバー攻撃を受け、業務システムが停止しました。", "other"),
        ("サーバーに外部から侵入され、ファイルが窃取されました。", "unauthorized_access"),
        # card data denied: the card words do not make it skimming
        ("SQLインジェクションにより会員情報が外部に送信されました。クレジットカード情報は、サーバーには保存しておらず、流出しておりません。", "unauthorized_access"),
        ("ウイルス感染の形跡はありませんが、不正アクセスを受けました。", "unauthorized_access"),
        # card data from a site that is not called a shop: skimming by convention
        ("弊社公式サイトが不正アクセスを受け、お客様のクレジットカード情報が漏えいした可能性があります。", "web_skimming"),
        ("チケット販売サイトへの不正アクセスにより、クレジットカード情報1,024件が流出しました。", "web_skimming"),
        # a hijacked mail account
        ("職員のメールアカウントが第三者に不正に利用され、約3,000件の迷惑メールが送信されました。", "account_takeover"),
        ("教員のIDとパスワードが窃取され、メールアカウントへの不正アクセスが確認されました。", "account_takeover"),
        # the cause outranks its consequence
        ("不正ログインされたアカウントのメール転送設定が変更され、受信メールが外部に転送されていました。", "account_takeover"),
        ("サーバーが不正アクセスを受け、個人情報が外部から閲覧できる状態になっていました。", "unauthorized_access"),
        ("共有設定の誤りにより、名簿が外部から閲覧できる状態になっていました。", "misconfiguration"),
        ("自動転送設定の誤りにより、業務メールが外部の個人アドレスに転送されていました。", "misdelivery"),
        # denied or hypothetical words name no type
        ("調査の結果、ランサムウェアではなく、保守作業時の設定ミスによる障害と判明しました。", "misconfiguration"),
        ("不正アクセスされる恐れがあるため、サービスを停止しました。書類を紛失しました。", "loss_theft"),
        ("VPN装置の脆弱性を悪用され、サーバーに侵入された。ランサムウェアによるファイルの暗号化や身代金の要求は確認されていないという。", "unauthorized_access"),
        # a question asserts nothing: an FAQ asks whether it was ransomware and answers no
        ("これは「ランサムウェア」などのウイルス被害ですか。\tいいえ。偽のログイン画面にパスワードを入力してしまいました(フィッシング)。", "phishing"),
        # a misdelivery denied as the cause; 誤公開 is a publishing error
        ("本件は、外部からの不正アクセスやメールの誤送信によるものではなく、教員がファイルの保存場所を誤ったことによるものです。フォルダの共有設定の確認が不十分でした。", "misconfiguration"),
        ("成績情報の誤公開について", "misconfiguration"),
        # a stolen domain is not a stolen laptop
        ("ドメインの盗難により、当社ウェブサイトが第三者のサイトに転送されていました。", "unauthorized_access"),
    ],
)
def test_classify(sentence: str, key: str) -> None:
    assert classify(sentence, "").key == key


def test_title_speaks_first() -> None:
    body = "不正アクセスを受けました。その後ランサムウェアによりファイルが暗号化されました。"
    assert classify(body, "ランサムウェア被害について").key == "ransomware"


def test_supply_chain_vendor() -> None:
    text = (
        "株式会社ミナモト商会 お詫びとお知らせ 2023年4月1日\n\n"
        "当社ECサイト「ミナモト公式ストア」が導入していた、株式会社ソラリス(以下「ソラリス社」)が提供するフォーム入力支援サービスが"
        "不正アクセスを受けて改ざんされ、クレジットカード情報(88件)が漏洩した可能性があることが判明しました。\n"
    )
    [inc] = parse_text(text)
    assert inc.supply_chain is True
    assert inc.vendor == "ソラリス"
    assert inc.attack_type == "web_skimming"


@pytest.mark.parametrize(
    "headline",
    [
        "ミナモト銀行を騙るフィッシングメールに注意",
        "ホクト製品で複数脆弱性が同時悪用される――米当局が緊急警告",
        "セキュリティソフトが銀行アプリを「危険」と誤検知するトラブル",
        "中小企業向け「ランサムウェア初動対応ガイド」公開",
        "フィッシング被害の預金者、銀行への補償請求を棄却 地裁判決",
    ],
)
def test_advisories_are_not_incidents(headline: str) -> None:
    text = (
        "今週のセキュリティニュース\n"
        "サクラ電工、通販サイトで顧客情報1,200件が流出\n"
        "サクラ電工が運営する通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があることがわかった。\n"
        f"{headline}\n"
        "詳細は以下のとおりで、利用者は注意されたい。関係する各社は対応を進めているという。\n"
        "東雲大学、学生のメールアドレス300件を誤送信\n"
        "東雲大学はメールの誤送信により、学生300人のメールアドレスが流出したことを明らかにした。\n"
    )
    items = parse_text(text)
    assert [i.is_incident for i in items] == [True, False, True]


def test_bug_that_exposed_data_is_an_incident() -> None:
    text = (
        "システム不具合による個人情報の誤表示について\n\n"
        "弊社会員サイトにおいて、システムの不具合により、他の会員様の氏名と住所が閲覧できる状態となっておりました。\n"
    )
    [inc] = parse_text(text)
    assert inc.is_incident


@pytest.mark.parametrize(
    ("text", "is_incident"),
    [
        ("弊社を装った不審なメールにご注意ください\n\n弊社の名前を装った不審なメールが届いているとのお問い合わせをいただいております。添付ファイルは開かずに削除してください。\n", False),
        ("弊社従業員を装った不審なメールについて\n\n弊社のパソコンがEmotetに感染し、弊社従業員を装った不審なメールが送信されていることが確認されました。\n", True),
        # a leak only in the caller's words, and denied: a warning
        ("当社社員を装った不審な電話にご注意ください\n\n当社社員を名乗る者から「お客様の個人情報が漏えいしたため、手続きが必要です」などと電話がある事例が発生しております。"
         "当社において、お客様の個人情報が漏えいした事実は確認されておりません。\n", False),
        # a fake warning on screen, then a stranger in control of the PC: harm done
        ("職員のパソコンに対する遠隔操作被害について\n\n職員のパソコンが、いわゆる「サポート詐欺」により第三者に遠隔操作され、名簿が閲覧された可能性があることが判明いたしました。"
         "画面に「ウイルスに感染しました」という偽の警告が表示されました。\n", True),
    ],
)
def test_spoofed_name_warning(text: str, is_incident: bool) -> None:
    assert parse_text(text)[0].is_incident is is_incident


@pytest.mark.parametrize(
    "text",
    [
        "このたび、当院が問診票の電子化業務を委託しております株式会社アオバ文書社において、問診票の一部を運搬の途中で紛失する事案が発生いたしました。",
        "当院が委託している株式会社アオバ文書社のサーバーが不正アクセスを受けました。",
    ],
)
def test_a_contractor_named_after_polite_or_ga_entrustment(text: str) -> None:
    [inc] = parse_text(text)
    assert (inc.supply_chain, inc.vendor) == (True, "アオバ文書社")


def test_damage_supposed_in_a_guide_is_no_damage_done() -> None:
    from app.extract.attack import _own_damage

    assert not _own_damage("ランサムウェアに感染した際の初動対応をまとめたガイドを公開した。")
    assert not _own_damage("情報が流出した場合に備え、手順を定めた。")
    assert _own_damage("サーバーがランサムウェアに感染し、データが暗号化された。")


def test_a_bug_that_showed_one_customers_data_to_another_is_an_incident() -> None:
    text = (
        "Subject: 【重要】ネットコープみどり 注文履歴の表示不具合に関するお詫びとご報告\n"
        "※このメールは、ご登録の組合員の皆さまにお送りしています。\n"
        "5月13日、インターネット注文サービスにおいて、ログインした組合員の方の画面に、他の組合員の方の注文履歴が表示される事象が発生いたしました。\n"
    )
    from app.extract.attack import not_incident_rule

    assert not_incident_rule(text, "Subject: 【重要】ネットコープみどり 注文履歴の表示不具合に関するお詫びとご報告", one_of_many=False) is None


def test_a_correction_that_withdraws_the_harm_it_had_reported_is_no_incident() -> None:
    text = (
        "ニュースかわら版\nトップ ＞ 社会 ＞ おわびと訂正\nおわびと訂正\n2026年3月4日 11:20\n"
        "3日に配信した「物流のかすみ運輸、ランサムウェア被害で顧客情報流出か」の記事で、かすみ運輸株式会社が「顧客情報約5万件が流出した可能性がある」"
        "と発表したとあるのは誤りでした。同社が発表したのは配送管理システムの障害で、サイバー攻撃による被害や顧客情報の流出はありませんでした。おわびします。\n"
    )
    [inc] = parse_text(text)
    assert (inc.is_incident, inc.organization_core) == (False, "かすみ運輸")
    # a correction of a count in a report of real harm is still that incident
    text = (
        "【訂正】みなと商事の不正アクセス記事\n2026年3月4日\n"
        "みなと商事株式会社は3日、サーバーが不正アクセスを受け、顧客情報が流出したと発表した。流出件数を「約5万件」としていたのは「約3万件」の誤りでした。\n"
    )
    assert parse_text(text)[0].is_incident


def test_card_data_the_body_never_held_makes_no_skimming() -> None:
    # a server with a planted program, and no card data held: an intrusion, not skimming
    text = (
        "クラウド型予約管理サービスのサーバーが不正アクセスを受けました。サーバーの状態を調べたところ、外部から不正なプログラムが設置されていることが判明いたしました。"
        "流出した可能性のある情報は、氏名、電話番号、メールアドレスです。※本サービスではクレジットカード情報をお預かりしておりません。"
    )
    assert parse_text(text)[0].attack_type == "unauthorized_access"
    # a payment page's planted program, card data taken: skimming
    text = "当社通販サイトの決済画面に不正なプログラムが設置され、クレジットカード情報が流出した可能性があります。"
    assert parse_text(text)[0].attack_type == "web_skimming"


def test_a_contractors_misdelivery_told_by_what_it_did_wrong_is_supply_chain() -> None:
    text = (
        "2017年11月20日(月)午前10時頃、本県が研修運営業務を委託している株式会社ミライ研修センター(以下「受託事業者」)の担当者が、"
        "事業所287件のメールアドレスあてに案内メールを送信した際、宛先を誤って「TO」に設定して一斉送信しました。"
    )
    inc = parse_text(text)[0]
    assert (inc.supply_chain, inc.vendor) == (True, "ミライ研修センター")
