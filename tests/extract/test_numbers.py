"""Counts: one line in, (value, qualifier) out; and text that holds no count at all."""
from __future__ import annotations

import pytest

from app.extract import parse_text
from app.extract.normalize import normalize
from app.extract.numbers import find_counts, parse_jnum


@pytest.mark.parametrize(
    ("line", "value", "qualifier"),
    [
        ("カード情報1,938件が流出", 1938, None),
        ("顧客14万7545名の情報", 147545, None),
        ("1万4127件のメールアドレス", 14127, None),
        ("約4万件の個人情報", 40000, "約"),
        ("28万件以上が流出", 280000, "以上"),
        ("171万1千756件", 1711756, None),
        ("最大9,416件が漏えいした可能性", 9416, "最大"),
        ("最大で3,210名分", 3210, "最大"),
        ("約2万5000人から3万人の情報", 30000, "約"),
        ("会員1,200アカウント", 1200, None),
        ("患者約8万5000人分", 85000, "約"),
        ("生徒約640名分の成績", 640, "約"),
        ("１２３件（全角）", 123, None),
        ("四百件の書類", 400, None),
        ("サイト(https://example.jp/)で、お客様のカード情報(38件)が流出", 38, None),
        ("合計 13,434 件", 13434, None),
        ("取引先の口座情報8635口座", 8635, None),
    ],
)
def test_counts(line: str, value: int, qualifier: str | None) -> None:
    counts = find_counts(normalize(line).text)
    assert counts, line
    assert counts[0].value == value
    assert counts[0].qualifier == qualifier


@pytest.mark.parametrize(
    "line",
    [
        "お問い合わせ TEL 03-1234-5678",
        "〒100-0001 東京都千代田区",
        "身代金約168億円を要求",
        "被害額は約1億5000万米ドル",
        "高さ7.18メートルの",
        "全体の12.5%にあたる",
        "2022年11月25日に公表",
        "https://example.jp/news/20221125/123件",
        "第2報をお知らせします",
        "第214回委員会",
        "20代の職員",
    ],
)
def test_no_count(line: str) -> None:
    assert find_counts(normalize(line).text) == []


@pytest.mark.parametrize(
    "text",
    [
        "本学教員1名のメールアカウントが不正アクセスを受け、迷惑メールが送信されました。",
        "2名の教員のIDが不正に利用されたため調査しました。",
        "被害が発生した事案が2件確認された。1件は、フィッシングメールによるものです。",
        "会話を録音された教諭1人も出勤できなくなった。",
        "本件について、これまでにお客様から12件のお問い合わせが寄せられています。",
        "送信したメールのうち約200件が宛先不明で返送されました。",
        "ネットワークは民間の福祉関連23団体が使用している。",
        "元社員が顧客情報を持ち出した。同社の顧客データベースには約2万4千件が登録されている。",
    ],
)
def test_counts_that_are_not_records(text: str) -> None:
    from app.extract import parse_text

    assert parse_text(text)[0].records_max is None


def test_what_a_store_holds_now_is_no_record_but_what_it_held_and_lost_is() -> None:
    from app.extract import parse_text

    text = "持ち出された顧客情報は少なくとも800件以上に上る。同社の顧客データベースには約2万4千件が登録されている。"
    assert parse_text(text)[0].records_max == 800
    text = "サーバーに保存されていた約2万4千件の顧客情報が流出した可能性がある。"
    assert parse_text(text)[0].records_max == 24000


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1,938", 1938), ("14万7545", 147545), ("4万", 40000), ("1.5万", 15000), ("2億", 200000000)],
)
def test_parse_jnum(raw: str, value: int) -> None:
    assert parse_jnum(raw) == value


def test_large_count_followed_by_topic_marker_is_kept() -> None:
    from app.extract import parse_text

    assert parse_text("流出した可能性のある1,200件は、すべて会員の氏名とメールアドレスです。")[0].records_max == 1200


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # no leak word in the sentence, but what it counts was breached
        ("リスト型攻撃により、不正ログインされたアカウントは1,234件でした。", 1234),
        ("該当患者\n外来患者 123名分\n", 123),
        # the staff's own records: "N名分" counts records whoever they belong to
        ("職員のパソコンがマルウェアに感染し、顧問先従業員約2,600名分の給与データが外部に送信された可能性がある。", 2600),
        # spam that carried no records, and the mails a list of records was found in
        ("9月16日に当該アカウントから送信された約3,400通のメールは、いわゆる迷惑メールであり、個人情報は含まれておりません。"
         "外部に転送されたメール(1,128通)に含まれていた以下の情報\n・本学学生 214名:氏名、学籍番号\n・学外の関係者 58者:氏名、所属\n(計272名分)\n", 272),
        # counters of bodies and people
        ("取引先52社の口座情報が流出した可能性があります。", 52),
        ("補助金を申請した1,520者の情報が閲覧可能な状態でした。", 1520),
        ("約3,000の個人の情報が漏えいした可能性があります。", 3000),
        # a rounded headline and the exact figure of the body
        ("会員情報約1.2万件が流出か\n不正アクセスにより、会員11,958件の個人情報が流出した可能性があります。", 11958),
        # how many the body has, or all of them, is not how many were affected
        ("個人情報5,108件が漏えいした可能性があります。なお、公式サイトの会員登録者数(約4万2千名)のうち、上記期間中にご注文のないお客様の情報は含まれません。", 5108),
        ("不正ログインにより1,126件のアカウントに第三者がログインしました。1月20日、全利用者(登録者約4万6千人)のパスワードを初期化しました。", 1126),
        ("組合員1万2,480名の氏名が流出しました。なお、当組合の組合員数は約3万8千名です。", 12480),
        ("組合員1万2,480名の氏名が流出しました。なお、当組合の組合員数は正組合員・准組合員あわせて約3万8千名ですが、対象ではございません。", 12480),
        ("アプリの国内ユーザー1万8402人分の情報が閲覧された可能性がある。同アプリの国内ユーザーは約62万人、全世界では約900万人に上る。", 18402),
        # …nor another body's incident recalled for comparison
        ("患者ら10万8517人分の個人情報が流出した可能性がある。県内では2022年にも、別の公立病院がランサムウェアの被害を受け、約15万人分の電子カルテが利用できなくなった。", 108517),
    ],
)
def test_counts_of_records(text: str, value: int) -> None:
    from app.extract import parse_text

    assert parse_text(text)[0].records_max == value


def test_a_mailing_total_before_the_part_it_holds_is_no_record() -> None:
    # "発送した約8万3千通のうち、誤封入が…最大412名": the part is the count, whatever the part's
    # clause says of the incident
    text = (
        "当組合が発送した「共済掛金のお知らせ」の一部に、他の組合員様の書類が同封されていたことが判明しました。"
        "今回発送した約8万3千通のうち、誤封入が発生した可能性があるのは委託先の第2ラインで封入した封筒で、対象となる組合員様は最大412名様です。"
    )
    [inc] = parse_text(text)
    assert (inc.records_max, inc.personal_records) == (412, 412)


def test_how_many_accounts_a_body_has_is_no_record() -> None:
    text = (
        "暗号資産交換業の株式会社ミナモトは14日、約38万回のログイン試行があり、このうち1,204アカウントでログインに成功したと発表した。"
        "ログインされたアカウントでは、氏名、住所が閲覧された可能性がある。同社の口座数は約46万口座。"
    )
    assert parse_text(text)[0].records_max == 1204
