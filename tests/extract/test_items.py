"""Documents about no body's own incident: advisories, a vendor's patch, a seminar, a product bug,
commentary on many incidents. Each is reported with is_incident False."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.extract import parse_text

DOCS = {
"vuln": "ミドリネット製ルーターに複数の脆弱性 JPCERT/CCが注意喚起\n\nJPCERTコーディネーションセンターは3日、ミドリネット株式会社製の家庭用ルーター「MN-500」シリーズに複数の脆弱性が見つかったとして注意喚起を行った。悪用されると、遠隔から任意のコードを実行される恐れがある。ミドリネットは修正版のファームウェアを公開しており、利用者にアップデートを呼びかけている。現時点で悪用は確認されていない。",
"phish": "ひかり銀行を装うフィッシングメールが急増 口座情報の入力を求める\n\nひかり銀行の名をかたり、「お客さまの口座が一時停止されました」などとしてIDやパスワードの入力を求めるフィッシングメールが急増している。同行は「メールでパスワードの入力をお願いすることはない」として、リンクを開かないよう注意を呼びかけている。フィッシング対策協議会によると、先月の報告件数は約1万2千件に上った。",
"column": "ランサムウェア被害、中小企業で増加 警察庁まとめ\n\n警察庁のまとめによると、2024年上半期に報告されたランサムウェア被害は114件で、このうち中小企業が約6割を占めた。被害の多くはVPN機器の脆弱性を突かれたもので、復旧に1か月以上かかった例も少なくない。専門家は、機器の更新とバックアップの分離を呼びかけている。",
"seminar": "情報セキュリティセミナー開催のお知らせ\n\n当協会では、会員企業の皆様を対象に、標的型攻撃メールへの対策をテーマとしたセミナーを開催いたします。\n日時：2025年2月14日（金）14:00〜16:00\n会場：みなと市民会館\n参加費：無料",
"bug": "セキュリティソフト「セーフガード」が正規アプリを誤検知 利用者に混乱\n\nサイバーセーフ株式会社のセキュリティソフト「セーフガード」が、11月20日に配信した定義ファイルの不具合により、複数の正規アプリをウイルスと誤検知する問題が起きた。同社は同日中に修正版を配信し、謝罪した。情報漏えいなどの被害はないという。",
}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_not_an_incident(name: str) -> None:
    items = parse_text(DOCS[name])
    assert items and not any(i.is_incident for i in items), [(i.organization, i.rules.get("is_incident")) for i in items]


SEVERAL = {
    # a table's last row whose count cell is a dash, and a bare name in its name cell
    "row_ending_in_a_dash": (
        "2024年7月に公表された主な事故\n"
        "公表日\t組織名\t概要\t件数\n"
        "7/2\t株式会社ハナミ工業\tランサムウェアに感染し、取引先情報が流出した可能性\t1,204件\n"
        "7/9\tあおぞら信用組合\t顧客の口座番号を記載した帳票を紛失したことが判明\t88名分\n"
        "7/16\tコハク旅行\tドメイン管理画面に不正ログインされ、公式サイトが偽サイトに誘導された\t―\n",
        ["ハナミ工業", "あおぞら信用組合", "コハク旅行"],
    ),
    # a newsletter's items under ■, each headline opening with what the body is, の, its name
    "described_bullet_names": (
        "セキュリティ週報 第88号(2024年6月3日)\n"
        "■ 精密部品メーカーのシラユリ精工、サーバーがランサムウェア被害\n"
        "シラユリ精工は5月28日、ファイルサーバーがランサムウェアに感染し、取引先約900社の情報が流出した可能性があると発表した。\n"
        "■ 英会話教室のことりの庭、生徒の名簿を紛失\n"
        "英会話教室を運営する株式会社ことりの庭は5月30日、生徒142人分の名簿を紛失したと発表した。\n"
        "■ 家具通販のモクレア、決済画面改ざんでカード情報流出\n"
        "モクレアは5月31日、通販サイトの決済画面が改ざんされ、カード情報2,310件が流出した可能性があると発表した。\n",
        ["シラユリ精工", "ことりの庭", "モクレア"],
    ),
    # a review whose contents list repeats its section headings, signed by the writer's team,
    # and a closing paragraph where the team speaks of itself (当チーム): the header and the
    # team are no body's incident
    "contents_and_own_team": (
        "月例レポート 2024年9月\n"
        "今月の事案を振り返る\n\n"
        "株式会社アオバ・セキュリティラボ 分析チーム\n2024年10月2日\n\n"
        "今月は委託先経由の事案が目立ちました。\n\n"
        "目次\n"
        "（1）通販サイトのカード情報流出（ことのは書店）\n"
        "（2）保育所の名簿紛失（南しらかば町）\n\n"
        "（1）通販サイトのカード情報流出\n"
        "書籍通販を営む株式会社ことのは書店は9月12日、決済画面が改ざんされ、カード情報1,402件が流出した可能性があると公表した。\n\n"
        "（2）保育所の名簿紛失\n"
        "南しらかば町は9月20日、町立保育所の職員が園児86人分の名簿を紛失したと発表した。\n\n"
        "総括\n"
        "今月当チームが把握した公表事案は計31件で、前月より4件増えました。\n",
        ["ことのは書店", "南しらかば町"],
    ),
    "dated_lines": (
        "今週の公表事案\n"
        "2024/11/18 アルテミス製薬が委託先へのランサムウェア攻撃で治験参加者の情報流出の可能性を公表。対象は約2,000人。\n"
        "2024/11/19 西ノ宮坂市が保育所の入所決定通知を誤送付したと発表。12世帯分。\n"
        "2024/11/20 ひばり野信用金庫で職員が顧客情報を業務外で閲覧していたことが判明。\n",
        ["アルテミス製薬", "西ノ宮坂市", "ひばり野信用金庫"],
    ),
    "paragraph_per_body": (
        "個人情報の流出が相次いでいる。\n"
        "サクラ電工は5月10日、通販サイトが不正アクセスを受け、カード情報1,200件が流出した可能性があると発表した。同社によると、3月に異常を検知した。\n"
        "東雲大学は5月12日、教員のメールアカウントが乗っ取られ、迷惑メール約3,000件が送信されたと明らかにした。学生の情報が閲覧された可能性がある。\n",
        ["サクラ電工", "東雲大学"],
    ),
    "bracket_headings": (
        "今週の公表まとめ\n\n【ポルカ】\n雑貨ブランド「ポルカ」の公式通販サイトで、カード情報流出の可能性。対象は2,046名。\n\n"
        "【ベーカリー麦の穂】\nパン店「ベーカリー麦の穂」が、予約注文の顧客名簿を記したノートを紛失したと公表した。\n\n"
        "【沢渡町】\n沢渡町は、町のウェブサイトに掲載した議事録に、町民1名の氏名と病名が記載されていたと発表した。\n",
        ["ポルカ", "ベーカリー麦の穂", "沢渡町"],
    ),
    "markdown_table": (
        "先週公表された事案を表にしました。\n\n"
        "| 公表日 | 組織 | 概要 |\n|---|---|---|\n"
        "| 2019年3月4日 | 株式会社ミズナラ商会 | 通販サイトの決済画面が改ざんされ、カード情報最大820件が流出した可能性。 |\n"
        "| 2019年3月5日 | 北茅野市 | 児童手当の通知書の封入を誤り、12世帯分を別の世帯に送付。 |\n"
        "| 2019年3月6日 | 学校法人あさぎ学園 | 教員のメールアカウントが不正ログインされ、保護者の連絡先が閲覧された可能性。 |\n",
        ["ミズナラ商会", "北茅野市", "あさぎ学園"],
    ),
    "numbered_notice_titles": (
        "今月の「お詫び」まとめ\n\n"
        "1.株式会社ヤツデ精機「弊社サーバーへの不正な通信について」(3月2日掲載)\n"
        "社内のファイルサーバーに外部から侵入され、取引先の担当者名簿が取得された可能性がある。\n"
        "2.つばき台町「個人情報を含む書類の所在不明について」(3月4日掲載)\n"
        "町民課の窓口で受け付けた申請書12件の行方が分からなくなっている。\n"
        "3.ひばりヶ丘テニス倶楽部「会員の皆様へのお詫び」(3月5日掲載)\n"
        "会員向けの案内メールを送る際、宛先を誤り、会員40名のアドレスが互いに見える状態になった。\n"
        "4.「古いルーターの更新を」(3月6日掲載)\n"
        "業界団体が、サポートの終わったルーターを使い続けないよう呼び掛けた。\n"
        "5.有限会社こだま印刷「当社を装ったメールについて」(3月8日掲載)\n"
        "社員のパソコンがマルウェアに感染し、取引先のメールアドレスが流出した。\n",
        ["ヤツデ精機", "つばき台町", "ひばりヶ丘テニス倶楽部", "こだま印刷"],
    ),
    "circled_names": (
        "セキュリティ事故 月報 2023年6月\n括弧内は各組織の公表日。\n\n"
        "① 株式会社ヤマブドウ書房(6月2日)\n通販サイトの決済画面が改ざんされ、カード情報312件が流出した可能性がある。\n\n"
        "② 西かすみ町(6月9日)\n町の職員が住民45名分の名簿を入れたかばんを電車内に置き忘れた。\n\n"
        "③ 一般財団法人みなせ育英会(6月20日)\n奨学生への案内メールを宛先を誤って送信し、奨学生18名のアドレスが互いに見える状態になった。\n",
        ["ヤマブドウ書房", "西かすみ町", "みなせ育英会"],
    ),
    "weeks_and_bullets": (
        "ダイジェスト 2023年5月号\n\n"
        "▼第1週(5/1~5/7)\n"
        "・株式会社ハシバミ製作所が、ランサムウェアによる障害を公表(5月2日)。設計データのサーバーが暗号化された。\n"
        "・みさと台社会福祉協議会:職員が偽のログイン画面にパスワードを入力し、メールアカウントが第三者に使われた(5月5日公表)。\n"
        "▼第2週(5/8~5/14)\n"
        "・セキュリティカンファレンス「SecWeek 2023」が5月10日から開催され、多くの参加者が集まった。\n"
        "・株式会社ナナカマド通信が、リスト型攻撃で会員820名のアカウントに不正ログインがあったと発表(5月12日)。\n",
        ["ハシバミ製作所", "みさと台社会福祉協議会", "ナナカマド通信"],
    ),
    "arrow_headlines_one_without_an_event_word": (
        "【年末特集】今年の事案を振り返る\n\n"
        "▶ 株式会社カエデ精工 ランサムウェアで工場が停止\n3月8日公表。サーバーのデータが暗号化され、工場が止まった。\n\n"
        "▶ 雑貨通販「ルーナ」 カード情報最大2,044件\nサイトを運営する株式会社ルーナ商会が5月13日に公表。決済画面の改ざんで購入者のカード情報が盗まれた可能性がある。\n\n"
        "▶ しらさぎ市 委託先が健診データを誤送信\n6月22日公表。委託先の事業者が受診者212名分のデータを別の医療機関に送っていた。\n",
        ["カエデ精工", "ルーナ商会", "しらさぎ市"],
    ),
    "table_with_bare_names_in_its_org_column": (
        "2020年9月 公表事案一覧\n\n"
        "発表日｜組織｜種別｜概要\n"
        "9/2｜ハクチョウ楽器｜不正アクセス｜通販サイトでカード情報812件流出の可能性\n"
        "9/8｜コトブキ旅行社｜誤送信｜ツアー参加者120名へのメールを宛先表示のまま送信\n"
        "9/15｜あおば野町｜紛失｜住民38人分の名簿を紛失\n",
        ["ハクチョウ楽器", "コトブキ旅行社", "あおば野町"],
    ),
    "kind_in_brackets_then_name": (
        "今月のインシデント(2019年5月)\n社内向け共有資料\n\n"
        "【ランサムウェア】株式会社ツグミ設計(東京都):5月4日、ファイルサーバーのデータが暗号化された。5月8日に公表。\n"
        "【不正アクセス】あおば観光協会(長野県):公式サイトの脆弱性を突かれ、会員2,214人のメールアドレスが流出した。\n"
        "【紛失】白樺町(福岡県):職員が住民56人分の資料が入ったかばんを電車内に置き忘れた。\n",
        ["ツグミ設計", "あおば観光協会", "白樺町"],
    ),
    "headings_with_a_note_in_brackets": (
        "週刊セキュリティ談話室 第12回\n\n今週は3件を取り上げる。\n\n"
        "◎株式会社オオルリ食品(冷凍食品メーカー、本社・新潟県)\n社内サーバーがランサムウェアに感染し、受発注システムが停止した。\n\n"
        "◎かえで坂市立図書館(東京都)\n利用者1,204人の貸出履歴が、設定ミスで外部から閲覧できる状態だった。\n\n"
        "◎合同会社シラサギデザイン(広告制作、大阪府)\n社員がフィッシングメールのリンクからパスワードを入力し、メールアカウントが乗っ取られた。\n",
        ["オオルリ食品", "かえで坂市立図書館", "シラサギデザイン"],
    ),
    "date_line_then_the_body_alone": (
        "ニュースレター 2023年4月号\n\n"
        "====================\n2023.04.03(月)\n株式会社カイツブリ物流\n配送管理システムがSQLインジェクション攻撃を受け、顧客の氏名が最大2万3,410件流出した可能性がある。\n"
        "====================\n2023.04.10(月)\n株式会社ユウナギ\nポイントサービスに不正ログインがあり、会員1,122人の登録情報が閲覧された可能性がある。\n"
        "====================\n2023.04.21(金)\n国立大学法人南風大学\n共有設定の誤りで、学生1,530人の名簿が外部から閲覧できる状態だった。\n",
        ["カイツブリ物流", "ユウナギ", "南風大学"],
    ),
    "press_clippings_with_a_source_line": (
        "報道クリッピング(2016年5月2日~5月6日掲載分)\n\n"
        "■通販サイトでカード情報流出か 最大2,700件\n(中部経済タイムズ 5月2日)\n"
        "雑貨通販の株式会社モクセイ商会(名古屋市)は1日、通販サイトの決済画面が改ざんされ、カード情報最大2,712件が流出した可能性があると発表した。\n\n"
        "■従業員PCがウイルス感染 取引先情報流出の恐れ\n(北関東産業新聞 5月4日)\n"
        "精密部品製造の有限会社ツバメ製作所(栃木県小山市)は3日、パソコンがウイルスに感染し、取引先約600人分のメールアドレスが流出した可能性があると明らかにした。\n\n"
        "■宿泊予約者のアドレス、互いに見える状態で送信\n(九州観光新報 5月6日)\n"
        "しらかば観光株式会社(大分県)は5日、宿泊予約者287人へ案内メールを宛先をTOにして一斉送信したと発表した。\n",
        ["モクセイ商会", "ツバメ製作所", "しらかば観光"],
    ),
    "emoji_marked_posts": (
        "今週気になった情報漏えい系ニュースまとめ (1/4)\n\n"
        "🔴 マルカドマート\nネットスーパーにリスト型攻撃。会員アカウント1,120件に不正ログインされた。 (2/4)\n\n"
        "⚠️ ホクトメディカル\n自社のサーバーがランサムウェアに感染し、患者データが暗号化された。 (3/4)\n\n"
        "🔴 コトホギ保険\n元社員が退職前に顧客リスト約2,900件を持ち出していた。 (4/4)\n",
        ["マルカドマート", "ホクトメディカル", "コトホギ保険"],
    ),
    "paragraphs_opened_by_ippou_and_mata": (
        "個人情報の流出が相次いでいる。\n\n"
        "さくらだ市は17日、委託先のサーバーが不正アクセスを受け、市民の情報が流出した可能性があると発表した。\n\n"
        "一方、ひだまり台病院は16日、看護師が患者42人分の情報を保存したUSBメモリーを紛失したと発表した。\n\n"
        "また、通販サイトを運営するホシノ園芸は15日、決済画面が改ざんされ、カード情報が流出した可能性があると明らかにした。\n",
        ["さくらだ市", "ひだまり台病院", "ホシノ園芸"],
    ),
    "numbered_cases_with_label_lines": (
        "所管法人等における個人情報漏えい等事案の概要\nあおぞら省 情報管理室\n\n本資料は、当省に報告のあった事案の概要を取りまとめたものである。\n\n"
        "事案1\n 法人名:独立行政法人あおぞら技術機構\n 発生日:令和6年7月3日\n 概要:職員が業務用ノートパソコンを電車内に置き忘れ、紛失した。\n\n"
        "事案2\n 法人名:国立研究開発法人あおぞら海洋研究所\n 発生日:令和6年8月19日\n 概要:職員のメールアカウントに不正ログインがあり、迷惑メールが送信された。\n\n"
        "事案3\n 法人名:一般財団法人あおぞら文化財団\n 発生日:令和6年9月2日\n 概要:申込フォームの決済画面が改ざんされ、カード情報が流出した可能性がある。\n",
        ["あおぞら技術機構", "あおぞら海洋研究所", "あおぞら文化財団"],
    ),
    "dash_name_headings": (
        "ニュース短信 第7号\n見出しは発表元です。\n\n"
        "――古書カラスウリ\n店の顧客台帳のノートを、古紙回収の日に誤って廃棄し、顧客約90名分の連絡先が所在不明になった。\n\n"
        "――ひのき台クリニック\n受付のパソコンがランサムウェアに感染し、患者約1,500名分の予約データが暗号化された。\n\n"
        "――パン工房こむぎ\n会員向けメールを送る際に宛先を誤り、会員120名のアドレスが互いに見える状態になった。\n",
        ["古書カラスウリ", "ひのき台クリニック", "パン工房こむぎ"],
    ),
}


def test_a_date_in_brackets_ending_an_items_heading_dates_the_item() -> None:
    text, _ = SEVERAL["circled_names"]
    got = [(i.organization_core, i.disclosed_on and i.disclosed_on.isoformat()) for i in parse_text(text)]
    assert got == [("ヤマブドウ書房", "2023-06-02"), ("西かすみ町", "2023-06-09"), ("みなせ育英会", "2023-06-20")]


def test_a_table_column_labelled_as_the_announcement_dates_its_rows() -> None:
    text, _ = SEVERAL["markdown_table"]
    got = [(i.organization_core, i.disclosed_on and i.disclosed_on.isoformat(), i.rules.get("disclosed_on")) for i in parse_text(text) if i.is_incident]
    assert [g[:2] for g in got] == [("ミズナラ商会", "2019-03-04"), ("北茅野市", "2019-03-05"), ("あさぎ学園", "2019-03-06")]
    assert all(g[2] == "role.column_label.公表" for g in got)


@pytest.mark.parametrize("name", sorted(SEVERAL))
def test_one_item_per_body(name: str) -> None:
    text, bodies = SEVERAL[name]
    got = [i.organization_core for i in parse_text(text) if i.is_incident]
    assert got == bodies


def test_a_digest_dated_by_month_dates_its_items() -> None:
    """A digest whose header names only a month ("2024年1月 公表一覧") still gives its items a year,
    and the date written beside each name as （…公表） is when that body told the public."""
    text = (
        "2024年1月 公表一覧\n\n"
        "●株式会社ホクセイ電工（1月9日公表）\n"
        "通販サイトが不正アクセスを受け、カード情報1,200件が流出した可能性があると発表した。\n\n"
        "●みなせ市（1月22日公表）\n"
        "市のメールアカウントが乗っ取られ、迷惑メール約3,000件が送信された。\n\n"
        "●東雲大学（1月30日公表）\n"
        "教員がUSBメモリーを紛失し、学生120人分の成績が記録されていた。\n"
    )
    items = [i for i in parse_text(text) if i.is_incident]
    assert [i.organization_core for i in items] == ["ホクセイ電工", "みなせ市", "東雲大学"]
    assert [str(i.disclosed_on) for i in items] == ["2024-01-09", "2024-01-22", "2024-01-30"]


def test_two_named_items_are_two_incidents() -> None:
    """A digest of two: each item headed by ● and its body's name alone."""
    text = (
        "今週の公表\n\n●株式会社ホクセイ電工（1月9日公表）\n"
        "通販サイトが不正アクセスを受け、カード情報1,200件が流出した可能性があると発表した。\n\n"
        "●みなせ市（1/22）\n市のメールアカウントが乗っ取られ、迷惑メール約3,000件が送信された。\n"
    )
    assert [i.organization_core for i in parse_text(text) if i.is_incident] == ["ホクセイ電工", "みなせ市"]


def test_an_item_whose_headline_runs_into_its_text_is_still_an_item() -> None:
    """Text that lost its line breaks: the last ■ item's headline and its first sentence are one
    line; the mark the other headlines open with still heads it."""
    lines = [
        "今週の事案まとめ",
        "■こがね台信用組合、職員が顧客名簿を紛失 顧客800人分",
        "支店の職員が、顧客800人分の氏名と住所を記載した名簿を紛失した。5月7日に公表した。",
        "■ハルカゼ商事、元社員が取引先情報を持ち出し",
        "退職した元社員が取引先約300件の情報を持ち出していたと公表した。",
        "■みずほ野町立図書館、メールをCCで一斉送信 講座の案内メールを送る際、宛先をCCにしたため、受講者42名のアドレスが互いに見える状態になった。",
    ]
    for text in ("\n".join(lines), " ".join(lines)):
        got = [i.organization_core for i in parse_text(text) if i.is_incident]
        assert got == ["こがね台信用組合", "ハルカゼ商事", "みずほ野町立図書館"], text


@pytest.mark.parametrize("shape", ["＜{}＞", "[{}]", "《{}》", "▼{}", "○{}", "### {}"])
def test_a_name_set_apart_as_a_heading_heads_its_item(shape: str) -> None:
    """A digest whose items are headed by their body's name alone, in brackets or after a mark;
    the text under each heading is that heading's item, not an item of its own."""
    items = [
        ("みずほ野町", "町のメールアカウントが乗っ取られ、迷惑メール約3,000件が送信されたと公表した。"),
        ("こがね台信用組合", "職員が顧客800人分の名簿を紛失したと発表した。"),
        ("東雲大学", "教員のパソコンがランサムウェアに感染し、学生の成績が暗号化されたと明らかにした。"),
    ]
    text = "今週の主な事案\n\n" + "\n\n".join(shape.format(name) + "\n" + body for name, body in items)
    got = [(i.organization_core, i.attack_type) for i in parse_text(text) if i.is_incident]
    assert got == [("みずほ野町", "account_takeover"), ("こがね台信用組合", "loss_theft"), ("東雲大学", "ransomware")]


@pytest.mark.parametrize("heading", ["＜経緯＞", "[対象となるお客様]", "▼お問い合わせ先", "○再発防止策", "――発生の概要"])
def test_a_notice_s_section_heading_is_not_an_item(heading: str) -> None:
    text = (
        "不正アクセスに関するお詫び\n\n株式会社ツバキ工機\n\n"
        f"{heading}\n当社の通販サイトが不正アクセスを受け、カード情報1,200件が流出した可能性があることが判明しました。\n\n"
        "＜対応＞\n2024年3月1日にカード会社から連絡を受け、調査を開始しました。\n\n"
        "▼再発防止策\nシステムの監視体制を強化いたします。\n"
    )
    got = [i.organization_core for i in parse_text(text) if i.is_incident]
    assert got == ["ツバキ工機"]


def test_a_notice_s_dashed_sections_are_not_items() -> None:
    text = (
        "個人情報の漏えいに関するお詫び\n\n株式会社ツバキ工機\n\n"
        "――経緯\n2024年3月1日にカード会社から連絡を受け、調査を開始しました。\n\n"
        "――原因\n通販サイトの脆弱性を突かれ、決済画面が改ざんされていました。\n\n"
        "――今後の対応\nシステムの監視体制を強化いたします。\n"
    )
    assert [i.organization_core for i in parse_text(text)] == ["ツバキ工機"]


def test_a_digest_dated_by_an_era_month_dates_its_items() -> None:
    text = (
        "公表事案のまとめ(令和4年9月分)\n\n"
        "◆みずほ台町消防本部\n救急活動記録2名分を別の病院にFAXで誤送信した。9月6日に受信先から連絡があり判明し、町は9月8日に公表した。\n\n"
        "◆県警察本部から\n事業者でランサムウェアの被害相談が相次いでいるとして、VPN機器の更新を呼び掛けている。\n\n"
        "◆株式会社ヨツバ設備\n社員のメールアカウントに第三者が不正ログインし、取引先に偽の請求メールが送られた。9月12日に取引先からの問い合わせで発覚した。\n"
    )
    got = [(i.organization_core, i.is_incident, i.discovered_on and i.discovered_on.isoformat()) for i in parse_text(text)]
    assert ("みずほ台町消防本部", True, "2022-09-06") in got
    assert ("ヨツバ設備", True, "2022-09-12") in got
    assert len(got) == 3 and got[1][1] is False  # the police's advice is an item, not an incident


def test_a_column_of_paragraphs_one_body_each_after_its_lead() -> None:
    """A column: a title and a lead paragraph, then one paragraph per body, each opening
    with its body (after a descriptor, or as its second sentence); the lead is no incident's
    and its date gives the items their year."""
    text = (
        "週末コラム 第12回\n\n"
        "2019年6月3日から9日までに公表された事案を振り返る。今週は大きなカード情報の流出が1件あった。\n\n"
        "雑貨通販「コノハ」を運営する株式会社コノハ商店が6月4日に公表した内容によると、決済画面が改ざんされ、カード情報2,100件が流出した可能性がある。\n\n"
        "次は町の事案だ。みどり野町は6月6日、案内メールを送る際に宛先を誤り、町民52名のアドレスが互いに見える状態になったと発表した。\n\n"
        "北斗学園大学が6月7日に公表したのは、名簿ファイルを誤ってウェブサイトに掲載していた事案である。\n"
    )
    got = [(i.organization_core, i.disclosed_on and i.disclosed_on.isoformat()) for i in parse_text(text) if i.is_incident]
    assert got == [("コノハ商店", "2019-06-04"), ("みどり野町", "2019-06-06"), ("北斗学園大学", "2019-06-07")]


def test_a_notice_whose_timeline_row_reads_like_a_headline_is_one_incident() -> None:
    """A row of a notice's timeline with no 。 (職員が…偽のログイン画面にIDとパスワードを入力)
    may look like a digest headline; merged back, the notice is read as a notice alone, so
    its own facts stand (no digest rule such as "an item with no leak words is no incident")."""
    text = (
        "職員の業務用メールの外部転送に関するお詫び\n\n2024年1月19日\n学校法人 かえで学院\n\n"
        "本法人の職員1名が、フィッシングメールによってIDとパスワードを盗み取られ、受信メールを外部へ自動転送する設定が加えられていたことが判明いたしました。\n\n"
        "1.経緯\n・2024年1月11日(木)\n職員が、取引先を装った「請求書送付のご案内」という件名のメールを受信し、偽のログイン画面にIDとパスワードを入力\n"
        "・1月15日(月)\nメールサービスの事業者から、不審なログインがあるとの連絡を受け、本件が判明。\n"
        "・1月16日(火)\n個人情報保護委員会へ報告\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, i.is_incident) for i in items] == [("かえで学院", True)]
    assert items[0].reported_to_ppc_on is not None and items[0].reported_to_ppc_on.isoformat() == "2024-01-16"


def test_a_notice_s_marked_sections_are_not_items() -> None:
    # (● 発生の経緯, ● 閲覧された可能性のある情報, ● ポイントの不正交換について, ● 当社の対応 …)
    path = Path(__file__).parents[1] / "fixtures/devset2/notices/latin-name-list-attack-header-year.json"
    text = json.loads(path.read_text(encoding="utf-8"))["text"]
    items = parse_text(text)
    assert [i.organization_core for i in items] == ["Quillmont Japan"]
    assert items[0].reported_to_ppc_on is not None and items[0].reported_to_ppc_on.isoformat() == "2023-05-30"


def test_a_table_s_date_column_in_slashes_dates_its_rows() -> None:
    text, _ = SEVERAL["table_with_bare_names_in_its_org_column"]
    got = [(i.organization_core, i.disclosed_on and i.disclosed_on.isoformat()) for i in parse_text(text) if i.is_incident]
    assert got == [("ハクチョウ楽器", "2020-09-02"), ("コトブキ旅行社", "2020-09-08"), ("あおば野町", "2020-09-15")]


def test_a_body_s_notice_of_incidents_listed_below_it() -> None:
    """A holding company's notice listing its subsidiaries' incidents (以下のとおり…, 1)子会社名:X):
    each subsidiary is an incident, told on the notice's date; the notice itself is none."""
    text = (
        "2025年3月7日\nそよかぜホールディングス株式会社\n\n当社グループ会社における個人情報漏えい等の事案について\n\n"
        "当社グループ会社において、以下のとおり個人情報の漏えい等の事案が発生いたしましたので、お知らせいたします。\n\n"
        "1)子会社名:そよかぜ不動産株式会社\n 賃貸管理システムに外部から不正アクセスがあり、入居者情報が閲覧された可能性があります。\n"
        "2)子会社名:株式会社そよかぜトラベル\n 顧客へのメールを宛先をBCCではなくTOにして送信しました。\n"
        "3)子会社名:そよかぜロジテック株式会社\n 社員が顧客名簿の入ったかばんを盗まれました。\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, i.is_incident) for i in items] == [
        ("そよかぜホールディングス", False), ("そよかぜ不動産", True), ("そよかぜトラベル", True), ("そよかぜロジテック", True),
    ]
    assert {i.disclosed_on.isoformat() for i in items[1:] if i.disclosed_on} == {"2025-03-07"}
