"""Date roles: one or two sentences in, the field the date lands in."""
from __future__ import annotations

from datetime import date

import pytest

from app.extract import parse_text

CASES = [
    # a note in brackets between a verbal noun and its light verb
    ("2026年2月20日\n・1月16日、個人情報保護委員会へ報告（速報）いたしました。", "reported_to_ppc_on", date(2026, 1, 16)),
    # discovery: told by a third party, found, detected
    ("当社は2023年5月10日、カード会社から漏洩懸念の連絡を受けました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日に不正アクセスが判明しました。", "discovered_on", date(2023, 5, 10)),
    ("令和5年5月10日(水)、サーバーの異常を検知しました。", "discovered_on", date(2023, 5, 10)),
    ("不正アクセスが発覚した2023年5月10日当日に、サーバーを停止しました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日朝からサーバーに障害が発生し、ランサムウェアと判明しました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日に顧客からの問い合わせを受けて発覚した。", "discovered_on", date(2023, 5, 10)),
    # a word of how many or how often between the event noun and its light verb
    ("2023年5月10日、「不審なメールが届いた」とのご連絡を複数いただき確認したところ、同日未明から不正な送信が行われていたことが判明しました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日、お客様からお問い合わせを2件いただきました。", "discovered_on", date(2023, 5, 10)),
    ("2023年5月10日、利用者から苦情が数件寄せられました。", "discovered_on", date(2023, 5, 10)),
    # a timeline's rows opening with a month-day, an event noun with a note in brackets
    ("2025年6月17日に保護者から連絡があり判明しました。\n\nこれまでの対応\n 6月18日 個人情報保護委員会へ報告(速報)\n 6月20日 市ホームページで公表\n 7月3日 個人情報保護委員会へ報告(確報)",
     "reported_to_ppc_on", date(2025, 6, 18)),
    # a row's event noun with a long note in brackets after it, the vendor's own date inside
    ("【経緯】\n■2025年8月4日(月)\n 委託事業者から、同社のサーバーがランサムウェアに感染したとの報告(同社は8月2日に被害を確認)\n■2025年8月5日(火)\n 個人情報保護委員会へ速報",
     "discovered_on", date(2025, 8, 4)),
    # a 。 inside a quotation does not end the sentence the date is in
    ("2025年12月22日、会員から「知らない店から手紙が届いた。住所をどこで知ったのか」との問い合わせが入り、調べたところ、名簿の持ち出しが分かった。",
     "discovered_on", date(2025, 12, 22)),
    # the teller right after the date and its に, then what they said, then the telling
    ("2023年5月10日にクレジットカード会社より、当社サイトで利用されたカードの不正利用の可能性について連絡があり、発覚しました。",
     "discovered_on", date(2023, 5, 10)),
    # told, in the passive: カード会社から…指摘され
    ("2024年12月20日にカード会社から不正利用の懸念を指摘され、12月24日にカード決済を停止していた。", "discovered_on", date(2024, 12, 20)),
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
    ("2024年6月5日、保護者あての案内メールを、宛先をBCCではなくTOに設定して誤送信しました。", "exposure_from", date(2024, 6, 5)),
    ("2025年1月14日、採用試験の申込書データを誤ってホームページに公開しました。2025年10月10日に当該ファイルを削除しました。", "exposure_from", date(2025, 1, 14)),
    ("2025年1月14日、採用試験の申込書データを誤ってホームページに公開しました。2025年10月10日に当該ファイルを削除しました。", "exposure_to", date(2025, 10, 10)),
    ("対象期間:2024年6月23日~6月30日\n影響人数:203人\n漏洩した情報:氏名、住所", "exposure_to", date(2024, 6, 30)),
    ("2024年7月19日から22日の間、不正なスクリプトがWebサイトに埋め込まれていました。", "exposure_to", date(2024, 7, 22)),
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
    # a date that opens a clause with no particle; 至る after the finding; 使えなくなり;
    # ご報告いたしましたとおり; a bracketed date after the noun of its event; a teller then 旨の連絡
    ("2022年6月23日、カード会社から連絡を受け、2022年6月24日弊社が運営する「サクラストア」でのカード決済を停止いたしました。", "containment_on", date(2022, 6, 24)),
    ("2024年5月10日、当社サーバーへの不正アクセスを把握するに至りました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、業務用パソコンが使えなくなりました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月20日にご報告いたしましたとおり、当社サーバーが不正アクセスを受けました。", "disclosed_on", date(2024, 5, 20)),
    ("当社は、カード会社からの連絡(2024年5月10日)を受け、直ちに決済を停止しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、システムにアクセスできなくなり、調査したところランサムウェアによる被害と判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、当社ウェブサイトが改ざんされていることに従業員が気付きました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日にお客様からの申し出により判明いたしました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日に外部機関より当社のメールアドレスが悪用されている旨の連絡が届きました。", "discovered_on", date(2024, 5, 10)),
    # news that dates the finding after the announcement; a card company or vendor as the one
    # who detected; a sent newsletter; each report with the recipient of its own clause
    ("サクラ電工は2024年5月10日、顧客情報が流出した可能性があると発表した。同社によると、4月下旬に不正アクセスを受け、5月2日に外部からの指摘で発覚した。", "discovered_on", date(2024, 5, 2)),
    ("当院では、令和6年5月10日未明、電子カルテシステムにおいて障害が発生し、ランサムウェアによる攻撃を受けたことが判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、クレジットカード会社が不正利用を検知し、当社に連絡がありました。", "discovered_on", date(2024, 5, 10)),
    ("決済代行会社が2024年5月8日に不正を検知し、5月10日に当社へ連絡がありました。", "discovered_on", date(2024, 5, 10)),
    ("保守業者が2024年5月8日に異常を検知し、翌9日に当社に報告がありました。", "discovered_on", date(2024, 5, 9)),
    ("2024年5月10日、職員から書類紛失の報告を受けました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日に配信したメールマガジンで、宛先をBCCではなくTOに設定して誤送信しました。", "exposure_from", date(2024, 5, 10)),
    ("令和6年5月10日（金）午後3時頃、職員がUSBメモリを紛失したことに気付きました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日付けの当社リリースにて公表いたしましたとおり、当社サーバーが不正アクセスを受けました。", "disclosed_on", date(2024, 5, 10)),
    ("個人情報保護委員会への報告は2024年5月13日に、警察への相談は5月14日に行いました。", "reported_to_police_on", date(2024, 5, 14)),
    ("個人情報保護委員会への報告は2024年5月13日に、警察への相談は5月14日に行いました。", "reported_to_ppc_on", date(2024, 5, 13)),
    # acted on minutes after the incident: known that day
    ("1.発生日時\n令和7年12月4日(木曜日)14時14分\n2.発生状況\nメールを誤ってTOのまま送信しました。\n3.対応\n・事案発生から約20分後に、対象者に対しメールの削除を依頼しました。", "discovered_on", date(2025, 12, 4)),
    # に、: the pause does not undo the particle; a state found as it was going on
    ("2022年3月3日(木)に、外部のアドレス宛に転送が行われていることが判明し、自動転送設定を停止した。", "discovered_on", date(2022, 3, 3)),
    ("2021年5月6日(木)に、教員が転送設定を行った際に、転送先のアドレスを誤って入力していた。2022年3月3日に判明した。", "discovered_on", date(2022, 3, 3)),
    # Held-back documents showed these kinds of sentence; each row is a sentence of the kind,
    # written for this table. The comments name the kind.
    # --- awareness phrasing ---
    ("2024年5月10日に当社サーバーへの不正アクセスが発生したことを確認しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日にファイルサーバーでランサムウェアの感染が発生したことを確認いたしました。", "discovered_on", date(2024, 5, 10)),
    ("当社は2024年5月10日にはA社から、5月12日にはB社から、それぞれ不審な請求について報告を受けました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、お客様から「身に覚えのないメールが届いた」との問い合わせが入り、調査したところ、不正アクセスが判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、利用者の方からご連絡をいただき、調査の結果、名簿の誤掲載が判明いたしました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、取引先よりご指摘をいただき、当該ファイルが外部から閲覧可能であったことが判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日に保護者の方からの電話で誤送付が発覚しました。", "discovered_on", date(2024, 5, 10)),
    ("令和6年5月10日、職員が書類の所在が分からないことに気付きました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日午前9時頃、電子カルテシステムが使用できない状態となりました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、サーバーの一部ファイルが暗号化されていることを確認しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、セキュリティ監視サービスから不審な通信について警告を受けました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日夕、県警から「情報が流出している可能性がある」と連絡があった。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日に決済代行会社から情報漏洩の懸念について通知を受けました。", "discovered_on", date(2024, 5, 10)),
    ("同社によると、2024年5月10日に社員のパソコンがマルウェアに感染していることが分かった。", "discovered_on", date(2024, 5, 10)),
    # --- dates that are not awareness ---
    ("2024年5月1日に不正アクセスを受け、5月10日に判明しました。", "discovered_on", date(2024, 5, 10)),
    ("当社は2024年5月20日、委託先である株式会社サクラシステムにおいて5月15日にランサムウェアによる攻撃が検知され、翌16日に当社へ報告があったと発表しました。", "discovered_on", date(2024, 5, 16)),
    ("委託先の株式会社サクラシステムが2024年5月15日に不正アクセスを検知し、5月17日に当社へ報告がありました。", "discovered_on", date(2024, 5, 17)),
    ("2024年6月1日、クレジットカード会社から連絡を受けました。2024年7月7日に第三者調査機関による調査が完了し、カード情報が漏洩した可能性があることが判明しました。", "discovered_on", date(2024, 6, 1)),
    # --- timelines and tables ---
    ("経緯\n・2024年5月28日\n委託先から報告を受ける\n・2024年6月6日\nホームページにて公表", "discovered_on", date(2024, 5, 28)),
    ("経緯\n・2024年5月28日\n委託先から報告を受ける\n・2024年6月6日\nホームページにて公表", "disclosed_on", date(2024, 6, 6)),
    ("判明日\n2024年5月10日\n発表日\n2024年5月20日\n対象件数\n1,234件", "discovered_on", date(2024, 5, 10)),
    ("判明日\n2024年5月10日\n発表日\n2024年5月20日\n対象件数\n1,234件", "disclosed_on", date(2024, 5, 20)),
    ("判明日：2024年5月10日 発表日：2024年5月20日 対象件数：1,234件", "discovered_on", date(2024, 5, 10)),
    ("判明日：2024年5月10日 発表日：2024年5月20日 対象件数：1,234件", "disclosed_on", date(2024, 5, 20)),
    ("発生日時 2024年5月1日 判明日時 2024年5月3日 公表日 2024年5月9日", "discovered_on", date(2024, 5, 3)),
    ("【発覚日】\n2024年5月10日\n【概要】\n当社サーバーに不正アクセスがありました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日 カード会社から連絡\n2024年5月11日 カード決済を停止\n2024年5月20日 個人情報保護委員会へ報告", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日 カード会社から連絡\n2024年5月11日 カード決済を停止\n2024年5月20日 個人情報保護委員会へ報告", "reported_to_ppc_on", date(2024, 5, 20)),
    # --- disclosure phrasing ---
    ("本件は、2024年5月20日に当社ウェブサイトに掲載されました。当社サーバーへの不正アクセスが判明しました。", "disclosed_on", date(2024, 5, 20)),
    ("2024年5月20日、サクラ電工のウェブサイトに「不正アクセスに関するお知らせ」が掲載されました。", "disclosed_on", date(2024, 5, 20)),
    ("サクラ電工は2024年5月20日付で、顧客情報が流出した可能性があるとして謝罪した。", "disclosed_on", date(2024, 5, 20)),
    ("2024年5月20日付「不正アクセスに関するお知らせ」にてお知らせしておりました件について、調査結果をご報告いたします。", "disclosed_on", date(2024, 5, 20)),
    ("2024年5月20日付のお知らせのとおり、当社は不正アクセスを受けました。", "disclosed_on", date(2024, 5, 20)),
    ("当社は2024年5月20日に本件を公表いたしました。", "disclosed_on", date(2024, 5, 20)),
    ("当社サーバーへの不正アクセスが判明しました。お客様には深くお詫び申し上げます。\n\n以上\n\n2024年5月20日\n株式会社サクラ電工", "disclosed_on", date(2024, 5, 20)),
    # --- years ---
    ("7月19日から2024年7月22日までの間にご注文されたお客様のカード情報が流出した可能性があります。", "exposure_from", date(2024, 7, 19)),
    ("5月10日、当社サーバーへの不正アクセスを検知しました。お客様には深くお詫び申し上げます。\n\n2024年5月20日\n株式会社サクラ電工", "discovered_on", date(2024, 5, 10)),
    ("2024年5月20日\n株式会社サクラ電工\n\n今年5月10日、当社サーバーへの不正アクセスを検知しました。", "discovered_on", date(2024, 5, 10)),
    ("令和 6 年 5 月 10 日、当社サーバーへの不正アクセスを検知しました。", "discovered_on", date(2024, 5, 10)),
    ("5月26日(日)に不正アクセスを検知し、令和6年5月28日(火)に公表しました。", "discovered_on", date(2024, 5, 26)),
    ("令和6年5月10日（金）午後、当院職員がサーバーの異常に気付き、直ちにネットワークから切り離しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、従業員が不審なメールの添付ファイルを開封したことにより、マルウェアに感染したことが判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日にお客様からのお問い合わせにより発覚しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、外部のセキュリティ研究者からの指摘を受け、当該ページを非公開にしました。", "discovered_on", date(2024, 5, 10)),
    ("2024年4月2日に公開を開始しました。同年5月10日には、警察から情報提供を受けました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月1日に不正アクセスを受けたことが、5月10日に判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年4月1日に公開したファイルに個人情報が含まれていたことが5月10日に判明しました。", "discovered_on", date(2024, 5, 10)),
    ("2024年5月10日、ファイルが開けない事象が発生し、調査したところランサムウェアへの感染が確認されました。", "discovered_on", date(2024, 5, 10)),
    ("発覚日時：2024年5月10日（金）15時頃\n概要：当社サーバーへの不正アクセス", "discovered_on", date(2024, 5, 10)),
    ("発生日時：令和6年5月10日（金）\n発生場所：本庁舎\n判明日：令和6年5月13日（月）", "discovered_on", date(2024, 5, 13)),
    ("| 判明日 | 2024年5月10日 |\n| 公表日 | 2024年5月20日 |", "discovered_on", date(2024, 5, 10)),
    ("本日(2024年5月20日)、当社ホームページにて本件を公表いたしました。", "disclosed_on", date(2024, 5, 20)),
    ("経緯\n2024年5月10日 カード会社より連絡受領\n2024年5月11日 決済停止", "discovered_on", date(2024, 5, 10)),
    ("サクラ電工は、顧客情報が流出した可能性があると発表した。同社によると、5月10日に異常を検知したという。\n（2024年5月21日 12時00分）", "discovered_on", date(2024, 5, 10)),
    ("| 判明日 | 2024年5月10日 |\n| 公表日 | 2024年5月20日 |", "disclosed_on", date(2024, 5, 20)),
    ("当社は2024年5月20日、ホームページ上で本件を公表しました。", "disclosed_on", date(2024, 5, 20)),
    ("2024年5月20日に公表した「不正アクセスに関するお知らせ」の続報です。", "disclosed_on", date(2024, 5, 20)),
    ("2024年5月20日に開示いたしました「不正アクセスに関するお知らせ」について、続報をお知らせします。", "disclosed_on", date(2024, 5, 20)),
    ("当社は2024年5月20日付けで本件を公表しております。", "disclosed_on", date(2024, 5, 20)),
    ("2024年5月20日付プレスリリースにてお知らせしたとおり、当社サーバーが不正アクセスを受けました。", "disclosed_on", date(2024, 5, 20)),
    ("サクラ電工は2024年5月20日に記者会見を開き、顧客情報の流出について謝罪した。", "disclosed_on", date(2024, 5, 20)),
    ("2024/05/21 12:00\nサクラ電工は20日、顧客情報が流出した可能性があると発表した。同社によると、10日にサーバーの異常を検知したという。", "disclosed_on", date(2024, 5, 20)),
    ("2024/05/21 12:00\nサクラ電工は20日、顧客情報が流出した可能性があると発表した。同社によると、10日にサーバーの異常を検知したという。", "discovered_on", date(2024, 5, 10)),
    ("サクラ電工は、顧客情報が流出した可能性があると発表した。同社によると、5月10日にサーバーの異常を検知したという。\n（2024年5月21日 12時00分）", "discovered_on", date(2024, 5, 10)),
    ("2024年1月15日\n株式会社サクラ電工\n\n昨年12月20日、当社サーバーへの不正アクセスを検知しました。", "discovered_on", date(2023, 12, 20)),
    ("2024年1月15日\n株式会社サクラ電工\n\n12月20日、当社サーバーへの不正アクセスを検知しました。", "discovered_on", date(2023, 12, 20)),
    ("2024年5月10日にクレジットカード会社から漏洩の懸念について連絡があり、同日カード決済を停止しました。", "containment_on", date(2024, 5, 10)),
    ("2024年5月13日に個人情報保護委員会へ速報を提出しました。", "reported_to_ppc_on", date(2024, 5, 13)),
    ("2024年5月13日に個人情報保護委員会及び警察に報告しました。", "reported_to_police_on", date(2024, 5, 13)),
    ("2024年5月13日に個人情報保護委員会及び警察に報告しました。", "reported_to_ppc_on", date(2024, 5, 13)),
    ("所轄の警察署には2024年5月14日に被害届を提出し、受理されました。", "reported_to_police_on", date(2024, 5, 14)),
    # a message that tells: 報告メールが届いた, 研究者からメールが寄せられ
    ("2024年9月18日、国内のセキュリティ研究者から窓口に「脆弱性がある」との報告メールが届いた。会員情報が流出した。", "discovered_on", date(2024, 9, 18)),
    ("2024年9月18日、研究者からメールが届き、会員情報の流出が判明した。", "discovered_on", date(2024, 9, 18)),
    # a subcontractor's own finding, told by it, is not the organisation's awareness
    ("2025年8月8日\n株式会社ライフ通販\n\n再委託先によると、2025年7月29日、同社サーバー内のファイルが暗号化されていることを同社従業員が確認し、"
     "ランサムウェアによる被害であることが判明したとのことです。2025年8月4日、弊社は委託先から報告を受けました。お客様情報が漏えいした可能性があります。",
     "discovered_on", date(2025, 8, 4)),
    # a cleft sentence: 気付いたのは…
    ("同社は不正ログインがあったと発表した。異常に気付いたのは2025年8月14日。ログイン失敗の急増を検知した。", "discovered_on", date(2025, 8, 14)),
    # a date that opens a sentence whose sayer follows it: the saying's, past the dates it quotes
    ("令和6年3月5日、株式会社カザミドリ旅行が、サーバーに不正アクセスを受け、2月26日に異常な通信を検知して遮断するまでの間に"
     "顧客最大1万2,480人分の氏名が閲覧された可能性があると公表。", "disclosed_on", date(2024, 3, 5)),
    ("令和6年3月5日、株式会社カザミドリ旅行が、サーバーに不正アクセスを受け、2月26日に異常な通信を検知して遮断するまでの間に"
     "顧客最大1万2,480人分の氏名が閲覧された可能性があると公表。", "discovered_on", date(2024, 2, 26)),
    # …but not when no sayer follows it (its first clause has it), nor when the saying has its own time
    ("2022年8月19日、一部のクレジットカード会社から、顧客のカード情報の漏洩懸念について連絡を受け、2022年8月22日にカード決済を停止したとし、"
     "不正アクセスによりカード情報が流出した可能性があると発表した。", "discovered_on", date(2022, 8, 19)),
    ("2022年8月19日、サクラ電工は、カード会社から連絡を受け、8月22日にカード決済を停止したとし、このほど、"
     "不正アクセスにより顧客のカード情報が流出した可能性があると発表した。", "discovered_on", date(2022, 8, 19)),
    # the notice's own date at its foot, its signature and a web page's footer after it, gives the year
    ("9月26日午前、当組合の職員が、トップページに見覚えのない画像が表示されていることに気付きました。組合員の皆様の個人情報が流出したことが判明いたしました。\n\n"
     "2014年10月14日\nみどり野農業協同組合\n代表理事組合長 小野寺 茂\n\nページの先頭へ\nJAみどり野(みどり野農業協同組合) 〒029-0000 岩手県みどり野市中央通り3-5 TEL 0191-00-1111\n"
     "個人情報保護方針 金融商品の勧誘方針 利益相反管理方針 サイトマップ\nCopyright(C) JA Midorino. All Rights Reserved.\n", "discovered_on", date(2014, 9, 26)),
    # 〈日〉付で…掲載し、謝罪; a complaint that reached the body (苦情が同社に寄せられた)
    ("同社は2019年11月20日付で、ホームページに「お客様情報の不正な持ち出しについて」と題する文書を掲載し、改めて謝罪した。", "disclosed_on", date(2019, 11, 20)),
    ("みなと住建によると、2018年10月3日、複数の顧客から「別の会社から電話がかかってきた」との苦情が同社に寄せられた。", "discovered_on", date(2018, 10, 3)),
    # a teller inside a quoted finding tells the finding, not the saying
    ("2024年3月12日、こもれび眼科が、パソコンがマルウェアに感染し、不審なメールが送られていたことが、3月10日に患者からの連絡で判明したと公表。",
     "discovered_on", date(2024, 3, 10)),
    # what the finding came through or came in: the telling of one a clause names, the
    # event the clause tells (…ことで判明), the occasion (〈日〉の棚卸しで)
    ("2024年12月2日に通知書を受け取った市民からの問い合わせで発覚しました。", "discovered_on", date(2024, 12, 2)),
    ("2025年11月6日に商品を受け取った顧客からの電話で発覚し、同社が調べた。", "discovered_on", date(2025, 11, 6)),
    ("2025年6月24日にセキュリティソフトの警告が出たことで判明し、同日中にパソコンを切り離した。", "discovered_on", date(2025, 6, 24)),
    ("2025年5月30日の棚卸しで所在が分からないことが判明した。", "discovered_on", date(2025, 5, 30)),
    # a criminal complaint to the police is a report to them
    ("さくら野ハウジングは2017年11月21日、元社員が顧客情報を持ち出したと発表した。同社は11月1日、不正競争防止法違反の疑いで県警に告訴状を提出した。",
     "reported_to_police_on", date(2017, 11, 1)),
    ("さくら野ハウジングは2017年11月21日、元社員が顧客情報を持ち出したと発表した。同社は11月1日に元社員を刑事告訴した。", "reported_to_police_on", date(2017, 11, 1)),
    # the notice the text reads, dated by a relative clause
    ("税理士法人みらい会計が2026年4月15日に出したお知らせによると、職員がIDとパスワードを偽サイトに入力し、不正にログインされた。", "disclosed_on", date(2026, 4, 15)),
    # a column's note mark after the saying is not a word of it
    ("株式会社ハナミ商店は、2025年1月20日、元従業員が顧客3,210名分の情報を持ち出していたと公表した（注1）。", "disclosed_on", date(2025, 1, 20)),
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
        ("2024年5月15日までに、約300件の漏えいが判明した。", "discovered_on"),
        ("2023年に導入したシステムについて、今年3月5日に不正アクセスが判明した。", "discovered_on"),
        ("2024年7月7日に第三者調査機関による調査が完了し、カード情報が漏洩した可能性があることが判明しました。", "discovered_on"),
        ("2024年8月1日、調査会社から最終報告書を受領し、不正アクセスの原因が判明しました。", "discovered_on"),
        ("委託先の株式会社サクラシステムが2024年5月15日に不正アクセスを検知しました。", "discovered_on"),
        ("2024年5月1日から5月3日にかけて不正アクセスが行われていました。", "discovered_on"),
        ("2024年5月10日時点で、漏えいの事実は確認されておりません。", "discovered_on"),
        ("2024年5月10日に受け付けた申請書を紛失したことが、その後の点検で判明しました。", "discovered_on"),
        ("なお、2024年5月10日に公開した資料には個人情報は含まれておりません。", "disclosed_on"),
        ("2024年5月10日に誤って個人情報を含むファイルを公開しました。", "disclosed_on"),
        ("個人情報保護委員会から2024年5月10日に指導を受けました。", "reported_to_ppc_on"),
        ("調査の結果、2024年4月1日から5月10日までの間に不正アクセスがあったことが判明しました。", "discovered_on"),
        ("2024年5月10日に送信したメールで、宛先を誤って入力していました。", "discovered_on"),
        ("2024年5月10日以降、ホームページの閲覧ができない状態が続いております。", "disclosed_on"),
        ("サクラ電工は、顧客情報が流出した可能性があると発表した。5月10日にサーバーの異常を検知したという。", "discovered_on"),
        ("2024年5月10日には新しいシステムの安全性を確認しております。", "discovered_on"),
        ("2024年5月10日にパスワードを変更したことを確認しました。", "discovered_on"),
        # a telling that is not how it was found; a finding with a day of its own after the occasion
        ("2024年12月2日に通知書を受け取った市民からの問い合わせの件数は5件でした。", "discovered_on"),
        ("2024年12月2日に発送した通知書に誤りがあったことで、翌週に苦情が寄せられた。", "discovered_on"),
        ("2025年5月30日の棚卸しの後、6月2日に所在が分からないことが判明した。", "discovered_on"),
        # the date of a purchase or of a receipt inside a relative clause
        ("2024年5月10日に購入されたお客様のカード情報が流出しました。", "discovered_on"),
        ("本日、2024年5月10日に受け付けた申込書の一部が所在不明となっております。", "discovered_on"),
        # a date at the foot with no signer under it is not the notice's own
        ("当社サーバーに不正アクセスがありました。お詫び申し上げます。\n\n2024年5月20日\n関連記事の一覧はこちら", "disclosed_on"),
        # a misdelivery's day is when its data went out, not a period that ended
        ("2024年6月5日、保護者あての案内メールを、宛先をBCCではなくTOに設定して誤送信しました。", "exposure_to"),
        # an intruder's spam is no exposure of the organisation's data
        ("2022年10月31日16:01から翌11月1日01:46の間に、795件の迷惑メールが発信されました。", "exposure_from"),
        # a law's date, the organisation's other news, an ordinary act, a bound
        ("2022年4月1日以降、漏えい等報告が義務化されました。", "reported_to_ppc_on"),
        ("2024年4月1日から施行される改正法では、報告が義務となります。", "disclosed_on"),
        ("2024年5月10日、当社は新しいセキュリティ対策を発表しました。", "discovered_on"),
        ("2024年5月10日に実施したシステム更新の際、バックアップを取得しました。", "discovered_on"),
        ("2024年5月10日までに全ての対象者へ連絡を完了しました。", "discovered_on"),
        # hours after the incident may be another day
        ("1.発生日時\n令和7年12月4日(木曜日)\n2.発生状況\nメールを誤ってTOのまま送信しました。\n3.対応\n・発生から約5時間後に、削除を依頼しました。", "discovered_on"),
        # a bound, not a date of the event; another body's announcement
        ("県警は2024年5月20日、不正アクセス禁止法違反の疑いで男を逮捕したと発表した。", "disclosed_on"),
        ("2024年5月1日から当社サイトに掲載されていたファイルに個人情報が含まれていました。", "disclosed_on"),
    ],
)
def test_no_role(text: str, field: str) -> None:
    [inc] = parse_text(text)
    assert getattr(inc, field) is None


# Whole notices, written for these tests: a kind of document each (see the comment above each).
NOTICES = [
    # a timeline of bullets, each date alone on its line with its event on the next; the finding after the forensic investigation is not the first awareness
    (
        "2024年8月5日\n株式会社みなと商会\n\n弊社が運営する「みなとオンラインストア」への不正アクセスによる個人情報漏えいに関するお詫びとお知らせ\n\nこのたび、弊社が運営する「みなとオンラインストア」におきまして、第三者による不正アクセスを受け、お客様のクレジットカード情報(1,234件)が漏洩した可能性があることが判明いたしました。\n\n【経緯】\n・2024年5月10日\n　クレジットカード会社より、当社サイトでカード情報漏えいの懸念がある旨の連絡を受領\n・2024年5月11日\n　カード決済を停止\n・2024年5月20日\n　第三者調査機関による調査を開始\n・2024年7月30日\n　調査が完了し、カード情報が漏洩した可能性があることを確認\n\n【漏洩の可能性がある期間】\n2023年11月1日～2024年5月11日\n\nなお、本件につきましては、個人情報保護委員会へ2024年5月13日に報告しております。また、所轄警察署にも2024年5月15日に相談しております。\n",
        {"discovered_on": date(2024, 5, 10), "disclosed_on": date(2024, 8, 5), "containment_on": date(2024, 5, 11), "reported_to_ppc_on": date(2024, 5, 13), "reported_to_police_on": date(2024, 5, 15), "exposure_from": date(2023, 11, 1)},
    ),
    # a municipal notice: the dated head, a send date that is the incident's, a relative clause that names who told
    (
        "令和6年6月14日\nひかり市総務部\n\n個人情報を含む書類の誤送付について\n\n　このたび、本市が送付した通知書において、他人の個人情報を記載した書類を誤って同封する事案が発生しました。\n\n1　概要\n　令和6年6月5日に発送した固定資産税の通知書42件に、別の方の通知書が同封されていました。\n　6月10日に受け取った方から連絡があり、判明しました。\n\n2　対応\n　6月11日から対象の方を訪問し、お詫びするとともに書類を回収しています。\n",
        {"discovered_on": date(2024, 6, 10), "disclosed_on": date(2024, 6, 14)},
    ),
    # news with its dateline at its foot: the lead's bare day takes the article's month and year
    (
        "サクラ電工は21日、同社のサーバーが不正アクセスを受け、顧客約3万件の個人情報が流出した可能性があると発表した。\n同社によると、5月10日に外部の専門機関から指摘を受けて発覚した。社内調査の結果、4月下旬から不正な通信が行われていたことが分かったという。\n同社は5月12日に個人情報保護委員会に報告し、警察にも相談している。\n(2024年5月21日 18時05分)\n",
        {"discovered_on": date(2024, 5, 10), "disclosed_on": date(2024, 5, 21), "reported_to_ppc_on": date(2024, 5, 12)},
    ),
    # a follow-up citing the first notice by its date (付「…」にてお知らせ), with its own date at its foot
    (
        "お客様各位\n\n当社は、2024年6月3日付「当社サーバーへの不正アクセスについて」にてお知らせしておりました件につきまして、外部専門機関による調査が完了いたしましたので、その結果をご報告いたします。\n\n1．経緯\n2024年5月28日、当社サーバーに保存されたファイルが暗号化されていることを従業員が発見しました。同日、ネットワークから当該サーバーを切り離し、翌29日に個人情報保護委員会へ速報を行いました。\n\n2．調査結果\n外部専門機関による調査の結果、攻撃者は2024年5月20日頃にVPN機器の脆弱性を悪用して侵入したことが判明しました。\n\n2024年7月12日\n株式会社あおば物流\n",
        {"discovered_on": date(2024, 5, 28), "disclosed_on": date(2024, 6, 3), "containment_on": date(2024, 5, 28), "reported_to_ppc_on": date(2024, 5, 29)},
    ),
    # a 掲載日 label, and 同日 that a telling dates
    (
        "【お詫び】メール誤送信による個人情報の流出について\n掲載日：2024年3月8日\n　2024年3月6日（水）、当センターから講座の受講者あてに送信した案内メールにおいて、本来BCCで送信すべきところ、誤ってTOで送信したため、受講者58名のメールアドレスが他の受講者に表示される事案が発生しました。\n　同日、受講者からのご指摘により誤送信が判明し、直ちに受講者へお詫びと当該メールの削除をお願いしました。\n",
        {"discovered_on": date(2024, 3, 6), "disclosed_on": date(2024, 3, 8)},
    ),
    # news: a mayor's press conference on 10日 is the disclosure; 昨年…から今月…まで the period
    (
        "子育てアプリで他人の情報表示 さくら台市\n2025年1月11日 北辰日報\n\n"
        "さくら台市の山田一郎市長は10日の定例記者会見で、市のアプリで利用者の氏名がほかの利用者から閲覧できる状態になっていたと発表した。\n\n"
        "市によると、今月8日、利用者から市に電話があり発覚した。閲覧可能だった期間は昨年12月20日から今月8日までの約3週間。\n",
        {"disclosed_on": date(2025, 1, 10), "discovered_on": date(2025, 1, 8),
         "exposure_from": date(2024, 12, 20), "exposure_to": date(2025, 1, 8)},
    ),
    # an arrest story: the police's 発表 of the arrest, and the paper's date, are not the body's disclosure
    (
        "元社員が顧客情報を持ち出し、名簿業者に売却容疑 警視庁が逮捕\n2026年2月19日 6時00分\n\n"
        "不動産仲介業経営のツバメリビング(東京都江東区)から顧客情報を不正に持ち出したとして、警視庁生活経済課は18日、"
        "同社の元社員を不正競争防止法違反の疑いで逮捕したと発表した。\n\n"
        "同社によると、昨年12月9日、取引先から連絡があり発覚した。同社は同月下旬にホームページで事案を公表していた。\n",
        {"disclosed_on": None, "discovered_on": date(2025, 12, 9)},
    ),
]


@pytest.mark.parametrize(("text", "expected"), NOTICES)
def test_notice_dates(text: str, expected: dict[str, date]) -> None:
    [inc] = parse_text(text)
    assert {k: getattr(inc, k) for k in expected} == expected


def test_a_cleft_sentence_dates_its_act_not_the_later_finding() -> None:
    # "入力したのは、9月9日であったことが分かっております": 9月9日 is when the act was done
    text = (
        "平成28年9月12日(月)、複数の会員の方から「不審なメールが届いた」とのご連絡をいただき、調査したところ、"
        "当該アカウントから迷惑メールが送信されていたことを確認しました。\n"
        "その後の確認で、職員が偽のログイン画面にIDとパスワードを入力したのは、9月9日(金)であったことが分かっております。\n"
    )
    inc = parse_text(text)[0]
    assert inc.discovered_on == date(2016, 9, 12)


def test_a_report_to_another_body_after_a_clause_that_rules_out_the_commission_is_not_to_it() -> None:
    # "委員会への報告の対象には当たらないと判断しておりますが、県には9月15日に報告": the
    # commission is in a clause closed by が、; the report went to the prefecture
    text = (
        "当法人のメールアカウントに第三者が不正にログインしました。\n"
        "当法人が保有する個人情報は5,000件以下であり、個人情報保護委員会への報告の対象には当たらないと判断しておりますが、"
        "所轄庁である県には2016年9月15日に報告いたしました。\n"
    )
    inc = parse_text(text)[0]
    assert (inc.reported_to_ppc_on, inc.records_max) == (None, None)
