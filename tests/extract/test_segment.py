"""Segmentation generalises: a digest is found by its structure, not by its words alone.

Every organisation here is invented.
"""
from __future__ import annotations

from datetime import date

from app.extract import parse_text
from app.extract.layout import relined
from app.extract.segment import segment


def _orgs(text: str) -> list[tuple[str | None, bool, int | None]]:
    return [(i.organization, i.is_incident, i.records_max) for i in parse_text(text)]


def test_a_digest_item_without_an_incident_word_still_splits() -> None:
    text = (
        "今週のセキュリティニュースをお届けします。\n"
        "サクラ電工、通販サイトで顧客情報1,200件が流出\n"
        "サクラ電工は5月10日、通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があると発表した。\n"
        "東雲大学、新しい学長に山田太郎氏を選出\n"
        "東雲大学は5月11日、次期学長に山田太郎氏を選出したと発表した。任期は4年間で、300人の教職員が投票した。\n"
        "北風運輸、ランサムウェア被害で配送システムが停止\n"
        "北風運輸は5月12日、社内のサーバーがランサムウェアに感染し、配送システムが停止したと発表した。\n"
    )
    # (the president's news is an item of its own, and no item of a breach report: its 300 is
    # nobody's count)
    assert [s.title for s in segment(relined(text).text)] == [
        "サクラ電工、通販サイトで顧客情報1,200件が流出", "東雲大学、新しい学長に山田太郎氏を選出", "北風運輸、ランサムウェア被害で配送システムが停止"]
    assert _orgs(text) == [("サクラ電工", True, 1200), ("北風運輸", True, None)]


def test_a_dated_digest_splits_by_its_dates_whatever_its_headlines_say() -> None:
    text = (
        "今週の公開記事\n"
        "2026-02-14\nサクラ電工、新工場の稼働を発表\nサクラ電工は2月13日、新しい工場の稼働を始めたと発表した。生産能力は2倍になるという。\n"
        "2026-02-13\nあおば銀行、顧客情報820件を誤送信\nあおば銀行は2月12日、顧客820人分の情報を含むメールを誤って送信したと発表した。\n"
        "2026-02-12\n北風運輸の新社長に山田氏\n北風運輸は2月11日、山田太郎氏が社長に就任する人事を発表した。就任は4月1日付。\n"
    )
    assert len(segment(relined(text).text)) == 3  # an item a date
    items = parse_text(text)
    assert [(i.organization, i.records_max) for i in items] == [("あおば銀行", 820)]


def test_a_page_title_repeated_as_a_heading_is_one_article() -> None:
    text = (
        "ミナモ商会、通販サイトで顧客情報流出\n"
        "ミナモ商会、通販サイトで顧客情報流出\n"
        "ミナモ商会は6月3日、通販サイトが不正アクセスを受け、顧客情報3,000件が流出した可能性があると発表した。\n"
        "同社は外部の専門機関と調査を進めている。\n"
    )
    assert len(segment(relined(text).text)) == 1


def _wrap(text: str, width: int) -> str:
    out = []
    for line in text.split("\n"):
        out.extend([line[i : i + width] for i in range(0, len(line), width)] or [""])
    return "\n".join(out)


def test_wrapped_fragments_are_never_headlines() -> None:
    text = (
        "株式会社ミナモ商会 弊社が運営する「ミナモ公式ストア」への不正アクセスに関するお詫び 2023年4月1日\n\n"
        "このたび、弊社が運営する「ミナモ公式ストア」において、第三者による不正アクセスを受け、お客様のクレジット"
        "カード情報(120件)が漏洩した可能性があることが判明いたしました。お客様には多大なるご迷惑をおかけし、深く"
        "お詫び申し上げます。不正アクセスによる情報漏えいの経緯と原因は以下のとおりです。2022年11月2日、カード会社"
        "から連絡を受け、同日カード決済を停止しました。\n"
    )
    for width in (30, 40, 60):
        [inc] = parse_text(_wrap(text, width))
        assert inc.organization == "株式会社ミナモ商会"
        assert inc.records_max == 120


def test_a_notice_header_split_over_lines_heads_its_item() -> None:
    text = (
        "今週のお知らせまとめ\n"
        "株式会社カエデ物産\n"
        "不正アクセスによる個人情報漏えいに関するお知らせ 2024年7月1日\n"
        "このたび、弊社サーバーが不正アクセスを受け、お客様約2,100名の個人情報が流出した可能性があることが判明いたしました。\n"
        "とちのき市\n"
        "職員による住民情報の紛失について 2024年7月3日\n"
        "本市職員が、住民15名分の申請書類を紛失したことが判明しました。\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, i.records_max) for i in items] == [("カエデ物産", 2100), ("とちのき市", 15)]
    assert text[items[1].segment[0] :].startswith("とちのき市")


def test_articles_of_a_paper_keep_their_headline_and_dateline() -> None:
    # A regional paper's page: headline, dateline, one paragraph; the headline of a later
    # article belongs to it, and a thing leaked (名簿) in a headline is no body.
    text = (
        "ひかり日報　2023年9月14日（木）\n\n"
        "会報の発送委託先がランサム被害\n【佐賀】\n"
        "さがの物産株式会社（佐賀市）は13日、発送を委託していた有限会社ミドリ印刷のサーバーがランサムウェアに感染し、"
        "会員約1万2千人分の氏名が流出した可能性があると発表した。\n\n"
        "ボランティア応募者名簿、市サイトで閲覧可能に\n【ひなた】\n"
        "ひなた市は13日、ボランティア応募者412人の氏名を記したファイルが誰でも閲覧できる状態になっていたと発表した。\n"
    )
    segs = segment(text)
    assert len(segs) == 2
    second = text[segs[1].start : segs[1].end]
    assert second.startswith("ボランティア応募者名簿")
    assert [i.organization_core for i in parse_text(text) if i.is_incident] == ["さがの物産", "ひなた市"]


def test_a_mailing_list_digest_reads_its_quoted_notices() -> None:
    # The mail's header names its sender and its round-up subject: neither is an item. The
    # quoted lines ("> ") read as the notices they quote: their date lines date them.
    text = (
        "From: インシデント情報共有ML <share@ml.example.jp>\n"
        "Subject: [share:0100] 今週のインシデント情報（2件）\n\n"
        "[インシデント] 株式会社コハク珈琲 オンラインストア カード情報流出\n"
        "> 2019年11月20日\n"
        "> このたび、弊社が運営するオンラインストアにおきまして、第三者による不正アクセスを受け、"
        "お客様のクレジットカード情報（1,873件）が流出した可能性があることが判明いたしました。\n\n"
        "[インシデント] 学校法人みずき学院 参加者一覧を誤送信\n"
        "> 2019年11月21日\n"
        "> 11月19日、本学院の職員が、誤って参加申込者一覧を添付して送信いたしました。\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, str(i.disclosed_on)) for i in items] == [
        ("コハク珈琲", "2019-11-20"),
        ("みずき学院", "2019-11-21"),
    ]


def test_a_body_that_comes_back_with_a_follow_up_is_one_incident() -> None:
    # A prose round-up: each paragraph opens with a body; one comes back later about the
    # incident it announced earlier. That paragraph is not the item before it, and not a new
    # incident: its facts join the first report's.
    text = (
        "県内自治体で個人情報の流出相次ぐ\n2024年7月12日　やまなみ新報\n\n"
        "　ときわ野市は2日、委託先のサーバーがランサムウェアに感染し、被保険者約1万8千人分のデータが暗号化されたと発表した。\n\n"
        "　ひばりが丘村は8日、村の公式LINEアカウントの管理画面に第三者が不正にログインし、約2,900人にメッセージが送られたと発表した。\n\n"
        "　ときわ野市は10日、2日に発表した委託先のランサムウェア被害について、約2,400人分のデータが外部に送信された痕跡が見つかったと発表した。"
        "市は同日、個人情報保護委員会に報告した。\n\n"
        "　みなと川市は11日、別人の住民票の写しを誤って交付したと発表した。\n"
    )
    items = [i for i in parse_text(text) if i.is_incident]
    assert [i.organization_core for i in items] == ["ときわ野市", "ひばりが丘村", "みなと川市"]
    first = items[0]
    assert (first.records_max, str(first.disclosed_on)) == (18000, "2024-07-02")
    assert first.reported_to_ppc_on is not None
    assert items[1].attack_type == "account_takeover"


def test_items_under_source_lines_are_dated_by_them() -> None:
    # A newsletter's items: a headline that names no body, an indented source line with the
    # day the source published, a summary. A group announcing for its subsidiary names it.
    text = (
        "週刊セキュリティニュース　2025年6月第1週\n\n"
        "物流子会社がランサムウェア被害、取引先情報の流出有無を調査\n"
        "　出典：カザミドリホールディングス株式会社 2025/06/03\n"
        "カザミドリホールディングスは、連結子会社のカザミドリ物流株式会社（大阪市）のサーバーがランサムウェアに感染したと発表した。\n\n"
        "市の委託業者が健診案内を誤封入、412人分が別人に\n"
        "　出典：ほしみ台市 2025/06/04\n"
        "ほしみ台市は、委託先で封入作業に誤りがあり、市民412人分の受診案内が別の市民あてに発送されていたと発表した。\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, str(i.disclosed_on)) for i in items] == [
        ("カザミドリ物流", "2025-06-03"),
        ("ほしみ台市", "2025-06-04"),
    ]


def test_items_headed_by_a_row_of_fields_take_its_last_cell_as_their_date() -> None:
    # "組織名（業種）｜攻撃種別｜公表日": the row heads the item; a name in Latin words is whole.
    text = (
        "サイバー脅威月報　2025年2月版\n\n■国内の主な被害公表\n\n"
        "株式会社ユキワリ化学（化学）｜ランサムウェア｜2月3日\n1月29日に社内サーバーのファイルが暗号化されていることを確認した。\n\n"
        "かすみ台市（自治体）｜誤送信｜2月14日\n保育課の職員が、児童と保護者計586人分の氏名を誤って市外の事業者に送信した。\n\n"
        "■海外\n\nKestrel Mobile（英国・通信）｜不正アクセス｜2月18日（現地時間）\n顧客管理基盤に第三者がアクセスし、約420万件の顧客記録が持ち出された。\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, str(i.disclosed_on)) for i in items] == [
        ("ユキワリ化学", "2025-02-03"),
        ("かすみ台市", "2025-02-14"),
        ("Kestrel Mobile", "2025-02-18"),
    ]


def test_a_notices_questions_and_answers_are_one_notice() -> None:
    text = (
        "2024年11月29日\n合同会社ハーヴェストスター\n\n"
        "弊社オンラインストアへの不正アクセスによる個人情報漏えいに関するお詫びとお知らせ\n\n"
        "このたび、弊社オンラインストアが不正アクセスを受け、お客様のクレジットカード情報（1,287件）が漏えいした可能性があることが判明いたしました。\n\n"
        "Q1．何が起きたのですか？\nA．2024年9月12日、カード会社から漏えい懸念について連絡を受けました。\n\n"
        "Q2. どの情報が漏えいしたのですか？\nA．カード名義人名、カード番号、有効期限です。\n\n"
        "Q3．警察には届け出ていますか？\nA．2024年9月13日に個人情報保護委員会へ報告し、9月20日に所轄警察署へ被害を申告しております。\n"
    )
    [inc] = parse_text(text)
    assert inc.organization_core == "ハーヴェストスター"
    assert (str(inc.reported_to_ppc_on), str(inc.reported_to_police_on)) == ("2024-09-13", "2024-09-20")


def test_a_diary_of_days_dates_each_item_by_the_day_above_it() -> None:
    # "日付は公表日です": the day lines (11/11(月)) date the items under them; a listed item's
    # body stands before its colon; a body's follow-up later in the week is its first report.
    text = (
        "今週のインシデントまとめ（2024年11月11日〜11月17日）\n\n"
        "各組織が公表した日ごとに並べました。日付は公表日です。\n\n"
        "11/11(月)\n"
        "・株式会社ナギサ化学：社員の業務用ノートPCが盗まれた。治験参加者312人分の氏名が保存されていた。盗難に気付いたのは11/9夜。\n"
        "・しらかば村：お知らせメールを、BCCではなくTOに寄附者188人のアドレスを入れて送信。\n\n"
        "11/12(火)\n"
        "・ミヤコ文庫：オンライン古書店「みやこ古書ネット」のサーバーに不正アクセス。会員約2万3千人分の氏名が流出した可能性。\n\n"
        "11/13(水)\n"
        "・あさぎ県警：県内の今年1〜10月のサイバー犯罪の検挙状況を公表。不正アクセス禁止法違反での検挙は23件（前年同期比7件増）だった。\n\n"
        "11/14(木)\n"
        "・しらかば村：11/11公表のメール誤送信の続報。188人全員から削除の確認が取れたと発表。\n"
    )
    got = [(i.organization_core, str(i.disclosed_on)) for i in parse_text(text) if i.is_incident]
    assert got == [("ナギサ化学", "2024-11-11"), ("しらかば村", "2024-11-11"), ("ミヤコ文庫", "2024-11-12")]


def test_pasted_notices_keep_their_titles_with_their_bodies() -> None:
    # A forum post quoting notices: each title, date and issuer line heads one notice; a
    # title with no sentence of its own is never an item apart from the notice under it.
    text = (
        "届いたお知らせを貼ります。\n\n"
        "①メールで届いたもの\n"
        "> 【重要】弊社サーバーへの不正アクセスによる個人情報流出の可能性に関するお知らせ\n> 2023年9月8日\n> 株式会社トモシビ住宅\n"
        "> このたび、弊社の顧客管理サーバーが不正アクセスを受け、お客様最大15,208名の個人情報が流出した可能性があることが判明いたしました。\n\n"
        "②店頭に貼ってあったもの\n"
        "> 処方箋控えの紛失に関するお詫び\n> 2023年9月13日\n> 株式会社ソヨカゼ調剤\n"
        "> 9月10日、当社店舗において、処方箋の控え（患者様47名分）を綴じたファイルが所在不明となっていることが判明いたしました。\n"
    )
    got = [(i.organization_core, str(i.disclosed_on), i.records_max) for i in parse_text(text)]
    assert got == [("トモシビ住宅", "2023-09-08", 15208), ("ソヨカゼ調剤", "2023-09-13", 47)]


def test_numbered_parts_of_a_post_are_items_named_in_their_first_sentence() -> None:
    # "その1：…" headings with quirky titles that name no body; the body opens the prose.
    text = (
        "今週気になったインシデント3選（2025/9/8〜9/14）\n\n"
        "今週も公表された事案の中から3つ選んで振り返ってみます。\n\n"
        "その1：鍵を閉めたつもりのクラウド\n\n"
        "まず取り上げたいのは、イベント企画の株式会社ハナミズキ企画が9月9日に公表した件です。来場者6,718件分の氏名が外部から閲覧できる状態だったそうです。\n\n"
        "その2：「返信」ボタンの重み\n\n"
        "二つ目は、学習塾を展開する株式会社アサツユ塾が9月12日に発表した誤送信です。保護者214人のメールアドレスが受信者全員に見える状態になりました。\n\n"
        "その3：退職者のお土産\n\n"
        "最後は、人材派遣業のコノハ人材株式会社が9月12日に発表した、元社員による情報の持ち出しです。登録者1万862人分の氏名を持ち出していました。\n"
    )
    got = [(i.organization_core, i.records_max) for i in parse_text(text)]
    assert got == [("ハナミズキ企画", 6718), ("アサツユ塾", 214), ("コノハ人材", 10862)]


def test_a_calendar_of_dated_lines_with_a_correction() -> None:
    # "公表日　組織名　概要": dated one-line items, the page saying its dates are announcement
    # dates; a later line correcting an earlier one is that incident; a line with no 。 of
    # its own is an item, not a header of the next.
    text = (
        "月間インシデントカレンダー　2025年4月\n\n"
        "各行は「公表日　組織名　概要」の順です。日付は各組織が公表した日で、当サイトの掲載日ではありません。\n\n"
        "2025-04-03　株式会社カエデ工務店　顧客管理サーバーへの外部からの侵入により、約2,300件の氏名が流出した可能性（不正アクセス）\n"
        "2025-04-08　こもれび町　住民票の写しを別の申請者に送付した。1人分の氏名が別人に届いた（誤送付）\n"
        "2025-04-15　一般財団法人ほしみ文化会　会員418人のメールアドレスが互いに閲覧可能に（誤送信）\n"
        "2025-04-17　株式会社カエデ工務店　※4/3の件、件数を訂正。流出の可能性がある件数は2,871件と発表（不正アクセス）\n"
    )
    got = [(i.organization_core, str(i.disclosed_on), i.records_max) for i in parse_text(text)]
    assert got == [
        ("カエデ工務店", "2025-04-03", 2871),
        ("こもれび町", "2025-04-08", 1),
        ("ほしみ文化会", "2025-04-15", 418),
    ]


def test_a_columns_items_take_the_bracketed_day_after_their_announcement() -> None:
    text = (
        "週刊リテール流通新聞　2025年7月10日号\n\n"
        "小売業界で公表された主な発表をまとめた。末尾のカッコ内は各社の発表日。\n\n"
        "【株式会社マルヨシ商会】（食品スーパー）会員アプリに不正ログインがあり、1,406アカウントで氏名が閲覧された可能性があると発表した（4日）。\n\n"
        "【ツキミ調剤株式会社】（ドラッグストア）患者3人分の処方内容をファクスで別の事業者に誤って送信したと発表した（7日）。\n\n"
        "【株式会社コハク屋】（百貨店）社員が顧客約520人分の顧客名簿を電車内に置き忘れて紛失したと発表した（30日）。\n"
    )
    got = [(i.organization_core, str(i.disclosed_on)) for i in parse_text(text)]
    assert got == [("マルヨシ商会", "2025-07-04"), ("ツキミ調剤", "2025-07-07"), ("コハク屋", "2025-06-30")]


def test_a_casebook_of_numbered_cases_with_field_lines() -> None:
    # "事例N X（業種）" over field lines; the count line ends each case and stays with it; a
    # case judged no leak at all (報告不要) is no incident.
    text = (
        "報告事例集（令和6年度版）\n\n令和7年6月\nみなかみ県 個人情報保護推進室\n\n"
        "事例1　株式会社ヤマブキ屋（小売業）\n事案の概要：自社ECサイトが不正アクセスを受けた。\n"
        "漏えい等した個人データ：会員の氏名、住所\n件数：4,213人\n\n"
        "事例2　医療法人ひいらぎ会（医療業）\n事案の概要：別の患者の通知書を同封して郵送した。\n"
        "漏えい等した個人データ：患者の氏名、検査結果\n件数：1人\n\n"
        "事例3　有限会社サクラダ住宅（不動産業）\n事案の概要：ノートパソコンを置き忘れたが、翌日回収した。\n"
        "漏えい等した個人データ：なし（漏えい等のおそれはないと判断）\n件数：―（報告不要として整理）\n\n"
        "事例4　学校法人くれたけ学院（教育）\n事案の概要：共有設定を誤り、学生の成績一覧が閲覧可能な状態となっていた。\n"
        "漏えい等した個人データ：学生の氏名、成績\n件数：862人\n"
    )
    got = [(i.organization_core, i.is_incident, i.records_max) for i in parse_text(text)]
    assert got == [
        ("ヤマブキ屋", True, 4213), ("ひいらぎ会", True, 1), ("サクラダ住宅", False, None), ("くれたけ学院", True, 862),
    ]


def test_a_groups_notice_dates_its_listed_incidents_month_days() -> None:
    # "以下のとおり" over the subsidiaries' cases: the notice's own date gives their
    # month-days a year, and is when each was told.
    text = (
        "2025年3月7日\nひかりHD株式会社\n\n当社グループ会社における個人情報漏えい等の事案について\n\n"
        "当社グループ会社において、以下のとおり個人情報の漏えい等の事案が発生いたしましたので、お知らせいたします。\n\n"
        "1）子会社名：ひかり住宅サービス株式会社\n　事案の概要：2月12日、同社の賃貸管理システムへの不正アクセスにより入居者情報が閲覧された可能性があることを確認しました。\n\n"
        "2）子会社名：株式会社ひかりシステム\n　事案の概要：3月3日、同社の社内ファイルサーバーがランサムウェアに感染していることを確認しました。\n\n"
        "3）子会社名：ひかり運送株式会社\n　事案の概要：2月26日、配送員が配送伝票の控え約80件分を入れたバッグを盗まれました。\n"
    )
    items = [i for i in parse_text(text) if i.is_incident]
    got = [(i.organization_core, str(i.discovered_on), str(i.disclosed_on)) for i in items]
    assert got == [
        ("ひかり住宅サービス", "2025-02-12", "2025-03-07"), ("ひかりシステム", "2025-03-03", "2025-03-07"), ("ひかり運送", "2025-02-26", "2025-03-07"),
    ]
    # (the theft's 2月26日 has its year too, though no one says when it was noticed)
    assert [(e.type, str(e.date)) for e in items[2].events] == [("incident_start", "2025-02-26"), ("anomaly_detected", "2025-02-26")]


def test_a_bodys_own_list_of_cases_is_one_incident_a_row_named_by_the_issuer() -> None:
    # "（1）所管課：…　発生日：…　概要：…": rows of fields that name only a department; the
    # issuer in the page's header is every row's body, and rows are never merged as one.
    text = (
        "令和6年度第2四半期における個人情報の漏えい等事案について\n\n令和6年10月25日\nあさひ台県 総務部 情報公開課\n\n"
        "本県において発生した個人情報の漏えい等事案は下記のとおりです。\n\n記\n\n"
        "（1）所管課：道路管理課　発生日：令和6年7月22日　概要：申請者一覧を県ホームページに誤って掲載し、閲覧可能な状態となっていた。　対象：146人\n"
        "（2）所管課：県民生活課　発生日：令和6年8月27日　概要：職員が応募者の名簿を入れた封筒を紛失した。　対象：38人\n"
        "（3）所管課：農業振興課　発生日：令和6年9月17日　概要：案内メールを宛先をBCCではなくTOに設定して送信し、アドレスを他の受信者に表示した。　対象：87人\n"
    )
    got = [(i.organization_core, i.records_max, str(i.disclosed_on)) for i in parse_text(text) if i.is_incident]
    assert got == [("あさひ台県", 146, "2024-10-25"), ("あさひ台県", 38, "2024-10-25"), ("あさひ台県", 87, "2024-10-25")]


def test_a_paragraph_of_several_bodies_reports_is_an_item_each() -> None:
    text = (
        "3月に公表された漏えいのメモ\n\n"
        "令和6年3月5日、株式会社カザミドリ旅行が、予約管理システムに不正アクセスを受け、顧客最大1万2,480人分の氏名が閲覧された可能性があると公表。"
        "令和6年3月8日、ほしぞら市が、封入物を取り違えたため、計54人分の氏名と住所が第三者に渡ったと公表。"
        "令和6年3月14日、合同会社ミナモ企画が、オンライン講座サイトで不正ログインを受け、受講生86人の氏名が閲覧されたと公表。\n\n"
        "今月は設定の事故が多かった印象。\n"
    )
    got = [(i.organization, i.disclosed_on, i.records_max) for i in parse_text(text)]
    assert got == [
        ("株式会社カザミドリ旅行", date(2024, 3, 5), 12480),
        ("ほしぞら市", date(2024, 3, 8), 54),
        ("合同会社ミナモ企画", date(2024, 3, 14), 86),
    ]


def test_one_bodys_long_paragraph_stays_one_item() -> None:
    text = (
        "サクラ電工は5月10日、通販サイトが不正アクセスを受け、カード情報1,200件が流出した可能性があると発表した。"
        "同社によると、3月にカード会社から連絡を受けた。委託先の東雲システムが調査したところ、決済画面が改ざんされていた。"
        "サクラ電工は再発防止に努めるとしている。\n"
    )
    assert [i.organization for i in parse_text(text)] == ["サクラ電工"]


def test_a_newsletters_items_addressed_to_customers_or_named_for_a_body_split() -> None:
    text = (
        "商工会メールマガジン 第87号\n令和7年7月7日発行\n\n"
        "■ 地域の事業者・団体の公表情報\n"
        "◇パン工房こむぎ堂\n"
        "焼き菓子で人気のパン工房こむぎ堂は6月30日、予約フォームの回答一覧が外部から閲覧できる状態になっていたことを明らかにしました。対象はお客様約330名です。\n\n"
        "◇手芸ブランド「tsumugi」から、オンラインストアをご利用のお客様へ\n"
        "手作りキットのブランドtsumugiは7月3日、決済画面が改ざんされていたと発表しました。1,872件のカード情報が流出した可能性があります。\n\n"
        "◇みどり野生活協同組合、組合員の皆さまへ\n"
        "みどり野生活協同組合は7月4日、職員の業務用タブレット端末1台が盗まれたと発表しました。組合員約1,900名分の氏名が保存されていました。\n\n"
        "◇青嶺県警、上半期のサイバー犯罪相談状況をまとめる\n"
        "青嶺県警察本部は7月3日、上半期に受理したサイバー犯罪に関する相談が1,486件だったと発表しました。\n"
    )
    titles = [s.title for s in segment(relined(text).text)]
    assert titles == [
        "◇パン工房こむぎ堂",
        "◇手芸ブランド「tsumugi」から、オンラインストアをご利用のお客様へ",
        "◇みどり野生活協同組合、組合員の皆さまへ",
        "◇青嶺県警、上半期のサイバー犯罪相談状況をまとめる",
    ]
    assert parse_text(text)[0].organization == "パン工房こむぎ堂"


def test_a_posts_contents_list_names_its_items_headings() -> None:
    text = (
        "【2025年3月】気になった情報漏えいニュースまとめ\n2025年4月1日\n\n"
        "目次\n・パン屋さんの通販でカード情報が…🥐\n・塾の成績表が丸見えに😱\n・アパレルアプリに不正ログインの嵐🌪\n・さいごに\n\n"
        "パン屋さんの通販でカード情報が…🥐\n"
        "地元でも人気の「ブーランジェリー麦のうた」さん、3月3日に公式サイトでお知らせが出てました。決済画面が改ざんされてて、カードの情報が抜かれたかも、とのこと。\n\n"
        "塾の成績表が丸見えに😱\n"
        "「個別指導ステップ館」さんが3月14日に公表。生徒842名分の成績表が、外から見られる状態だったそうです。\n\n"
        "アパレルアプリに不正ログインの嵐🌪\n"
        "アパレルブランド「KUMO&SORA」の公式アプリで不正ログインがあったと、3月19日に発表がありました。不正にログインされたのは2,517アカウントです。\n\n"
        "さいごに\n3月は誤送信が多かった印象です。\n"
    )
    got = [(i.organization, i.disclosed_on) for i in parse_text(text) if i.is_incident]
    assert got == [
        ("ブーランジェリー麦のうた", date(2025, 3, 3)),
        ("個別指導ステップ館", date(2025, 3, 14)),
        ("KUMO&SORA", date(2025, 3, 19)),
    ]


def test_numbered_notes_on_a_tables_items_are_items() -> None:
    text = (
        "会員向け月報 令和7年6月号\n\n"
        "表1 公表事案一覧\n"
        "No. 公表日  事業者名     概要          件数\n"
        "1  R7.5.2  株式会社湯けむり荘   予約エンジンへの不正アクセス  最大1,530件\n"
        "       (温泉旅館・群馬県)     により決済画面が改ざん\n\n"
        "補足\n"
        "No.1 湯けむり荘:予約エンジン「ステイリンク予約」を提供する株式会社ステイリンクのサーバーが不正アクセスを受け、決済画面が改ざんされた。\n"
        "No.2 みちのく山荘:R7.5.11朝、予約管理サーバーが起動せず、調査の結果ランサムウェアによる暗号化を確認。\n"
        "No.3 ナギサ企画(ゲストハウスなぎさ):R7.4.30に退職した元従業員が、宿泊者台帳1,207名分を持ち出していた。\n"
        "No.4 海風市観光協会:協会名をかたるフィッシングメールが出回っているとして注意喚起。\n"
    )
    orgs = [i.organization_core for i in parse_text(text)]
    assert {"湯けむり荘", "みちのく山荘", "ナギサ企画", "海風市観光協会"} <= set(orgs)
    assert not any(o and o.startswith("No") for o in orgs)
    assert not any(o and "群馬県" in o for o in orgs)  # a table's wrapped row heads nothing


def test_related_stories_told_in_prose_after_an_article_are_items() -> None:
    text = (
        "病院にサイバー攻撃 患者約4万人分の情報流出か 汐見市\n2025年6月18日 19時05分\n\n"
        "汐見市の松ヶ丘記念病院は18日、ランサムウェアの被害で患者3万9862人分の個人情報が流出したおそれがあると発表しました。\n\n"
        "この記事をシェアする X Facebook LINE\n\n関連ニュース\n\n"
        "■市職員が住民の課税情報を無断で持ち出し 鷺沼台市\n6月12日 17時30分\n"
        "鷺沼台市は12日、税務課の職員が住民約1,300人分の課税情報を私物のUSBメモリーに複製していたと発表しました。\n\n"
        "■高校の成績一覧 ホームページで閲覧可能に 千件超\n6月5日 18時02分\n"
        "学校法人浜風学園は5日、生徒の成績一覧が学校のホームページ上で誰でも閲覧できる状態になっていたと発表しました。\n\n"
        "■家具通販サイトに不正アクセス カード情報3,000件余り流出か\n2024年11月2日 16時10分\n"
        "汐見市の家具販売会社「コマチ家具」は2日、通販サイトが不正アクセスを受け、カード情報3,018件が流出したおそれがあると発表しました。\n\n"
        "アクセスランキング\n1 汐見地方が梅雨入り\n2 国道で乗用車とトラック衝突\n"
    )
    assert [i.organization for i in parse_text(text)] == ["松ヶ丘記念病院", "鷺沼台市", "学校法人浜風学園", "コマチ家具"]


def test_a_list_of_related_links_after_an_article_is_navigation() -> None:
    text = (
        "病院にサイバー攻撃 患者約4万人分の情報流出か\n2025年6月18日\n\n"
        "汐見市の松ヶ丘記念病院は18日、ランサムウェアの被害で患者3万9862人分の個人情報が流出したおそれがあると発表しました。\n\n"
        "関連記事\n・市職員が住民の課税情報を無断で持ち出し\n・家具通販サイトに不正アクセス カード情報流出か\n"
    )
    assert [i.organization for i in parse_text(text)] == ["松ヶ丘記念病院"]


def test_a_rankings_places_are_items_named_in_the_text_under_them() -> None:
    rule = "━━━━━━━━━━━━\n"
    text = (
        "2023年 国内セキュリティインシデント10大ニュース\n2023.12.26 セキュリティリサーチセンター\n\n"
        "当社リサーチセンターでは、2023年に国内で公表されたインシデントの中から10大ニュースを選出しました。各事例の日付は2023年です。\n\n"
        + rule + "第1位 物流が3日止まった――倉庫会社を襲ったランサムウェア\n" + rule +
        "冷凍倉庫を展開するトーワ倉庫運輸は7月4日、倉庫管理システムのサーバーがランサムウェアに感染したと発表しました。\n\n"
        + rule + "第2位 一つの部品から複数店舗へ――決済画面の改ざん\n" + rule +
        "雑貨を扱うネットショップ「こより堂」は、株式会社フォームラインズ製の決済フォーム部品が改ざんされ、カード情報1,904件が流出した可能性があると明らかにしました。"
        "部品の提供元であるフォームラインズも謝罪文を掲載しました。当社の見立てでは、部品の棚卸しが欠かせません。\n\n"
        + rule + "第3位 学生ポータルに総当たり\n" + rule +
        "東雲学院大学は2月17日、学生向けポータルサイトに不正ログインがあり、学生1,318人分の成績が閲覧された可能性があると発表しました。\n\n"
        + rule + "第4位 退職者が顧客名簿を手土産に\n" + rule +
        "保険代理店のあさぎ野保険サービス(本社・仙台市)は11月6日、元社員が顧客名簿を持ち出していたと発表しました。\n"
    )
    got = [(i.organization, i.is_incident, i.disclosed_on) for i in parse_text(text) if i.is_incident]
    assert got == [
        ("トーワ倉庫運輸", True, date(2023, 7, 4)),
        ("こより堂", True, None),
        ("東雲学院大学", True, date(2023, 2, 17)),
        ("あさぎ野保険サービス", True, date(2023, 11, 6)),
    ]


def test_a_list_set_out_by_year_with_dated_lines_gives_each_item_its_year() -> None:
    text = (
        "日本の情報漏洩事件一覧\n\n本項では2019年以降の主な情報漏洩事件を年ごとに記載する。\n\n"
        "2019年[編集]\n・6月18日 - 書籍通販サイト「ほしぞらブックス」を運営する株式会社ほしぞら書房が、決済画面が改ざんされ、"
        "カード情報最大1万2,406件が流出した可能性があると発表した[1]。\n\n"
        "2020年[編集]\n・2月9日 - 特定非営利活動法人ひまわりネットワークの職員が、寄付者名簿を保存したノートパソコンを盗まれた。同法人は同月14日に公表した[2]。\n\n"
        "2022年[編集]\n・東都医科大学で、教員のパソコンがマルウェア「Emotet」に感染し、メールアドレス約3,100件が窃取された[3]。\n\n"
        "2024年[編集]\n・11月29日 - 旅行会社の株式会社リーフライン旅行は、予約管理システムに不正にログインされ、顧客約4万6千件の氏名が閲覧された可能性があると発表した[4]。\n"
    )
    got = [(i.organization_core, i.disclosed_on) for i in parse_text(text) if i.is_incident]
    assert ("ほしぞら書房", date(2019, 6, 18)) in got
    assert ("ひまわりネットワーク", date(2020, 2, 14)) in got
    assert ("リーフライン旅行", date(2024, 11, 29)) in got
    assert "東都医科大学" in [o for o, _ in got]


def test_a_feature_articles_sections_headed_by_what_someone_said_are_one_article() -> None:
    text = (
        "元社員が派遣登録者2万8千人分を持ち出し ジョブリンク北斗\n2024年3月21日 公開\n\n"
        "人材派遣の株式会社ジョブリンク北斗は、元社員が派遣登録者の個人情報を持ち出していたと2月26日に公表しました。\n\n"
        "■「別の派遣会社から電話が来た」――登録者の声が発端\n"
        "同社によると、1月下旬、複数の登録者から問い合わせが相次ぎました。出力ログは取っていましたが、誰も見ていませんでした。\n\n"
        "■「営業職なら誰でもCSVを出せた」\n"
        "情報セキュリティ室長の村井 聡氏は、本誌の取材に次のように話しています。\n\n"
        "■専門家「退職前の3か月が最も危ない」\n"
        "情報リスク研究所の主任研究員は「持ち出しの多くは退職前に起きます」と指摘しています。\n"
    )
    assert [i.organization for i in parse_text(text) if i.is_incident] == ["株式会社ジョブリンク北斗"]


def test_items_numbered_in_square_brackets_are_a_list() -> None:
    text = (
        "今週のセキュリティニュースまとめ(11/18~11/24)\n\n"
        "[1] 株式会社ハヤテ通信:取引先へのお知らせメールをBccではなくCcで送信し、取引先担当者176人分のメールアドレスが流出。2019年11月20日発表。\n"
        "[2] 北見沢町:町ホームページに、住民52人分の氏名・住所を含むExcelファイルを誤って掲載。(11/21)\n"
        "[3] 株式会社サンライズフーズ 公式オンラインショップでカード情報437件が流出した可能性。(11/22)\n"
        "[4] しおかぜ交通株式会社:社員のPCがEmotetに感染し、なりすましメールが取引先に送信されたことを確認。(11/22)\n"
    )
    assert [i.organization for i in parse_text(text)] == ["株式会社ハヤテ通信", "北見沢町", "株式会社サンライズフーズ", "しおかぜ交通株式会社"]


def test_a_records_further_fields_go_on_the_item_its_first_field_heads() -> None:
    # 【対象】 names the body, 【公表】 on the line under it is the same record's field
    record = "【対象】{name}\n【公表】2025/03/0{d}\n{body}\n"
    text = "今週の事例\n\n" + "".join(
        record.format(name=n, d=d, body=b)
        for n, d, b in (
            ("株式会社ミナミ通商", 3, "メールの誤送信で、取引先210人分のアドレスが流出した。"),
            ("株式会社トキワ精機", 5, "ファイルサーバーがランサムウェアで暗号化された。"),
            ("株式会社コマチ書房", 7, "通販サイトでカード情報が流出した可能性がある。"),
        )
    )
    titles = [s.title for s in segment(text) if s.rule == "segment.list_item"]
    assert titles == ["【対象】株式会社ミナミ通商", "【対象】株式会社トキワ精機", "【対象】株式会社コマチ書房"]


def test_a_pages_reports_under_their_numbers_are_one_notice_in_run_on_text() -> None:
    # 最終報 / 第2報 / 第1報 on one page, newest first, its header run into one line
    text = (
        "ヒバナ工業株式会社 製品情報 会社案内 お問い合わせ ホーム > ニュースリリース > 当社従業員のパソコンのマルウェア感染に関するお詫びとご報告 "
        "【最終報】 当社従業員のパソコンのマルウェア感染に関するお詫びとご報告 【最終報】 2022/04/15 "
        "■最終報(2022年4月15日) 当社従業員のパソコン1台のマルウェア感染について、外部専門機関による調査が完了しましたのでご報告いたします。 "
        "メールアドレス4,012件が外部に送信されていたことを確認しました。 "
        "■第2報(2022年3月11日) 3月4日にお知らせした本件について、メールアドレス3,450件が流出した可能性が高いことが判明いたしました。 "
        "3月7日に個人情報保護委員会へ報告しております。 "
        "■第1報(2022年3月4日) 2022年3月2日、当社従業員のパソコン1台がマルウェアに感染したことが判明いたしました。 "
        "ヒバナ工業株式会社 代表取締役社長 火花太郎"
    )
    [inc] = parse_text(text)
    assert inc.organization_core == "ヒバナ工業"
    assert inc.reported_to_ppc_on == date(2022, 3, 7)


def test_a_tab_separated_table_dates_its_rows_by_the_column_and_ends_with_its_last_row() -> None:
    # an HTML table copied as text: a 公表日 column of yearless dates, a note on a name in its
    # cell, a contractor in brackets; the footnote and the editor's memo under it are the page's
    text = (
        "【一覧】2025年11月に公表された個人情報漏えい事案\n\n"
        "公表日\t組織名\t原因\t件数\n"
        "11/4\t株式会社ハナミズキ電設\tランサムウェア感染\t調査中\n"
        "11/7\t器のみせ 朝凪庵（ECサイト）\t決済画面の改ざん\t最大2,104件\n"
        "11/18\t有限会社ツルミ青果\tフィッシングによるメールアカウント侵害\tメールアドレス1,950件\n"
        "11/20\t株式会社アオゾラシステム\t委託先（株式会社ミサゴリンク）のサーバーへの不正アクセス\t6,214件\n"
        "11/28\t医療法人社団光和会 みなと台クリニック\tクラウドストレージの共有設定不備\t患者932人分\n\n"
        "※株式会社ハナミズキ電設は12月2日に第2報を公表し、対象件数を11万8,406件に確定しました。\n\n"
        "■編集部メモ\n今月はアオゾラシステムの事案のように、委託先への不正アクセスが目立ちました。\n"
    )
    items = parse_text(text)
    assert [(i.organization_core, str(i.disclosed_on), i.is_incident) for i in items] == [
        ("ハナミズキ電設", "2025-11-04", True),
        ("器のみせ 朝凪庵", "2025-11-07", True),  # (ECサイト) is a note on the name
        ("ツルミ青果", "2025-11-18", True),  # a mail account 侵害 is harm done, not a warning
        ("アオゾラシステム", "2025-11-20", True),
        ("光和会 みなと台クリニック", "2025-11-28", True),
    ]
    vendor = items[3]
    assert (vendor.supply_chain, vendor.vendor) == (True, "ミサゴリンク")
    last = items[4]
    assert (last.records_max, last.supply_chain) == (932, False)  # not the footnote's, not the memo's


def test_a_thread_of_numbered_posts_is_split_by_its_numbers_not_by_their_bullets() -> None:
    # "①🛒 X" heads each post's item; the ・ lines under it are its notes, not items
    text = (
        "🧵2026年1月の国内情報漏えいまとめ👇\n(1/4)\n\n"
        "①🛒 ハーブ堂公式ストア\n・運営の株式会社ハーブ堂が1/9発表\n・決済画面改ざん💳\n・カード情報 最大5,217件\n(2/4)\n\n"
        "②🎓 東嶺台大学\n・教職員が #フィッシング メールに引っかかる🎣\n・流出したアドレス1,342件\n・1/14発表\n(3/4)\n\n"
        "③🎮 ピクセルフォルジュ（スマホゲーム運営）\n・リスト型攻撃で不正ログイン🔑\n・ゲーム内アイテムが勝手に売却される被害💸\n・1/22発表\n(4/4)\n"
    )
    items = parse_text(text)
    assert [i.organization_core for i in items] == ["ハーブ堂", "東嶺台大学", "ピクセルフォルジュ"]
    assert [str(i.disclosed_on) for i in items][1:] == ["2026-01-14", "2026-01-22"]


def test_a_posts_contents_list_heads_nothing_and_its_marked_numbered_headings_head_the_items() -> None:
    text = (
        "今週のセキュリティインシデントまとめ\n\n目次\n"
        "1. 朝霧珈琲焙煎所 通販サイトでカード情報漏えい\n2. 東雲台市 案内メールをCCで一斉送信\n3. かすみ台記念病院 ランサムウェア感染\n\n"
        "■1. 朝霧珈琲焙煎所 通販サイトでカード情報漏えい\n朝霧珈琲焙煎所は9月16日、通販サイトの決済画面が改ざんされていたと公表しました。\n\n"
        "■2. 東雲台市 案内メールをCCで一斉送信\n東雲台市は9月18日、参加申込者143人のメールアドレスが見える状態になったと発表しました。\n\n"
        "■3. かすみ台記念病院 ランサムウェア感染\nかすみ台記念病院は9月15日、電子カルテがランサムウェアに感染したと公表しました。\n"
    )
    items = parse_text(text)
    assert [i.organization_core for i in items] == ["朝霧珈琲焙煎所", "東雲台市", "かすみ台記念病院"]
    assert all((i.title or "").startswith("■") for i in items)  # the headings, not the list's entries


def test_a_columns_paragraphs_that_open_with_their_order_are_items_each() -> None:
    # まず / 次に … には / 最後に: each paragraph tells one body's incident; a descriptor with a
    # place in it (長野県の温泉旅館「X」) and a body where it was found (X社では…が発覚) open them
    text = (
        "会報 第12号\n2024年10月1日発行\n\n■会員向け注意喚起\n\n"
        "この夏、宿泊施設の予約情報をめぐる事故が相次ぎました。概要をご紹介します。\n\n"
        "まず、予約エンジンを提供する株式会社カワセミシステムズでは、7月上旬に同社サーバーへの不正アクセスが発覚しました。"
        "宿泊者の氏名など1万1,205件が流出した可能性があります。\n\n"
        "次に、8月22日には、山梨県の温泉旅館「湯の宿 藤ノ花」が、従業員が偽のログインページにIDとパスワードを入力してしまい、"
        "予約者情報が閲覧されたと公表しました。\n\n"
        "最後に、医療法人せせらぎ会が運営するせせらぎ眼科が、9月6日にランサムウェアの被害を公表しています。\n\n"
        "これらの事例を踏まえ、二要素認証の設定をお願いいたします。\n"
    )
    items = [i for i in parse_text(text) if i.rules.get("is_incident") != "digest.preamble"]
    assert [(i.organization_core, i.is_incident) for i in items] == [
        ("カワセミシステムズ", True), ("湯の宿 藤ノ花", True), ("せせらぎ眼科", True),
    ]


def test_an_articles_paragraphs_on_each_affected_client_are_items_though_they_only_give_their_share() -> None:
    text = (
        "物流週報 2025年3月12日号\n\n配送クラウドにランサム攻撃 通販2社の顧客情報流出か\n\n"
        "出荷管理クラウドを提供するハコブテック(大阪市)のサーバーがランサムウェアに感染したことが分かった。同社は2月27日に被害を公表。利用企業のうち株式会社ミナミヤ通販とヒバリ屋が影響を発表した。\n\n"
        "ミナミヤ通販は3月7日、2月25日にハコブテックから連絡を受けたと発表した。同社が発行した伝票の届け先情報24万1,530件が対象となる。\n\n"
        "ヒバリ屋は3月10日に公表。対象は2024年1月10日から2025年2月20日までの出荷分で、9万8,002件。\n"
    )
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, str(i.disclosed_on), i.records_max) for i in items][-2:] == [
        ("ミナミヤ通販", "2025-03-07", 241530), ("ヒバリ屋", "2025-03-10", 98002),
    ]


def test_a_section_that_names_no_body_is_split_by_its_bodies_paragraphs_and_notes_head_nothing() -> None:
    text = (
        "法律事務所ニューズレター 2025年3月号\n\n"
        "■（1）元従業員による持ち出し――株式会社ハナミ商店の事案\n"
        "株式会社ハナミ商店は、2025年1月20日、元従業員が顧客3,210名分の情報を持ち出していたと公表した（注1）。\n\n"
        "■（2）その他の事案\n"
        "このほか、2月には、税理士法人あさぎ会計が、職員のパソコンがマルウェアに感染し、顧問先従業員約2,600名分の給与データが外部に送信された可能性があると公表した（注2）。\n"
        "また、学習塾「ひだまり」を運営する株式会社ミズノエは、共有設定の不備により、生徒1,204名分の氏名が誰でも閲覧できる状態にあったと公表した（注3）。\n\n"
        "■（3）委員会の動向\n"
        "委員会は、前年度の漏えい等報告の傾向を公表し、ランサムウェア被害の報告について注意喚起した。\n\n"
        "（注1）株式会社ハナミ商店「元従業員による個人情報の持ち出しについて」（2025年1月20日）\n"
        "（注2）税理士法人あさぎ会計「当法人のパソコンのウイルス感染について」（2025年2月21日）\n"
        "（注3）株式会社ミズノエ「生徒情報の閲覧可能状態について」（2025年2月27日）\n"
    )
    items = parse_text(text)
    found = [(i.organization, i.records_max, i.disclosed_on) for i in items if i.is_incident]
    assert found == [
        ("株式会社ハナミ商店", 3210, date(2025, 1, 20)),
        ("税理士法人あさぎ会計", 2600, date(2025, 2, 21)),
        ("株式会社ミズノエ", 1204, date(2025, 2, 27)),
    ]
    # the notes are no item, and the section on the commission takes no name from them
    assert not any(i.title and i.title.startswith("（注") for i in items)
    assert items[-1].title.startswith("■(3)") and not items[-1].is_incident and items[-1].organization is None


def test_a_regional_roundups_paragraphs_are_items_and_a_place_before_a_legal_name_only_locates_it() -> None:
    text = (
        "地域のニュース 2026年2月14日\n\n"
        "川辺町の町立川辺病院は10日、サーバーがランサムウェアに感染し、患者約1万8千人分のデータが暗号化されたと発表した。7日午前、職員が脅迫文を確認した。\n\n"
        "東浜市の社会福祉法人こもれび会は9日、職員が家族57人に送ったメールで、全員のメールアドレスが互いに見える状態になったと発表した。\n\n"
        "南浦市は13日、ホームページに掲載した資料で、個人事業主146人分の氏名と住所が読み取れる状態になっていたと発表した。\n"
    )
    got = [(i.organization, i.records_max) for i in parse_text(text)]
    assert got == [("町立川辺病院", 18000), ("社会福祉法人こもれび会", 57), ("南浦市", 146)]


def test_a_tables_row_and_the_markdown_section_that_picks_it_up_again_are_one_incident() -> None:
    text = (
        "【2024年12月】国内の情報漏えいまとめ\n2025年1月6日\n\n"
        "| 公表日 | 組織 | 原因 | 件数 |\n|---|---|---|---|\n"
        "| 2024/12/03 | 株式会社ハナミ楽器 | ECサイトの決済画面改ざん | カード情報 1,932件 |\n"
        "| 2024/12/06 | 三ツ沢市 | 納税通知書の誤送付 | 420件 |\n"
        "| 2024/12/11 | 大和田精機株式会社 | 車上荒らしによるノートPCの盗難 | 約1,400件 |\n\n"
        "## ピックアップ\n\n"
        "### ハナミ楽器のカード情報流出\n"
        "ハナミ楽器は、11月15日にカード会社から情報流出の懸念を指摘され、同日カード決済を停止しました。カード情報1,932件が窃取された可能性があります。\n\n"
        "### 三ツ沢市の誤送付\n"
        "三ツ沢市は、納税通知書420件を別の納税者に送付していたと発表しました。12月2日に市民からの問い合わせで発覚しました。\n\n"
        "### 大和田精機のノートPC盗難\n"
        "大和田精機は、社員が12月8日夜に車上荒らしに遭い、ノートPCを盗まれたと公表しました。取引先担当者約1,400件の氏名が保存されていました。\n"
    )
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, i.records_max, i.disclosed_on) for i in items] == [
        ("ハナミ楽器", 1932, date(2024, 12, 3)), ("三ツ沢市", 420, date(2024, 12, 6)), ("大和田精機", 1400, date(2024, 12, 11))]
    # (what only the section says joins the row's incident)
    assert [i.discovered_on for i in items[:2]] == [date(2024, 11, 15), date(2024, 12, 2)]


def test_a_bodys_two_incidents_of_one_kind_months_apart_stay_two() -> None:
    text = (
        "2024年 市の個人情報事故一覧\n\n"
        "■2024年5月10日 ひかり野市、通知書を誤送付\nひかり野市は5月10日、納税通知書42件を別の世帯に誤って送付したと発表した。\n"
        "■2024年8月2日 さくら電機、不正アクセス被害\nさくら電機は8月2日、サーバーが不正アクセスを受けたと発表した。\n"
        "■2024年11月20日 ひかり野市、案内文を誤送付\nひかり野市は11月20日、健診の案内文18件を別の世帯に誤って送付したと発表した。\n"
    )
    got = [(i.organization_core, i.records_max) for i in parse_text(text) if i.is_incident]
    assert got == [("ひかり野市", 42), ("さくら電機", None), ("ひかり野市", 18)]


def test_a_mailing_lists_digest_is_split_by_its_mails_and_each_mail_is_dated_by_its_header() -> None:
    def mail(n: int, day: str, subject: str, body: str) -> str:
        return f"Message: {n}\nDate: {day}\nFrom: 投稿者{n} <p{n}@example.jp>\nTo: list@example.jp\nSubject: [list 0120{n}] {subject}\n\n{body}\n\n------------------------------\n\n"

    text = (
        "list ダイジェスト 第12巻 第47号\n\nこのダイジェストの内容:\n   1. 芦ヶ谷市教委、成績一覧を誤送信\n   2. ハルタカ交通のネット予約が停止\n   3. 芹沢計装、PCがウイルス感染\n\n"
        "----------------------------------------------------------------------\n\n"
        + mail(1, "Mon, 9 Mar 2015 08:41:17 +0900", "【共有】芦ヶ谷市教委、中学校で成績一覧をメール誤送信",
               "芦ヶ谷市教育委員会は3月6日、生徒156名分の成績一覧表のファイルを誤って添付し、保護者ら143件のアドレスに送信したと発表しました。")
        + mail(2, "Mon, 9 Mar 2015 12:05:52 +0900", "【共有】ハルタカ交通のネット予約がサイバー攻撃で停止",
               "ハルタカ交通株式会社が、3月7日付で「弊社ウェブサイトへのサイバー攻撃について」を出しています。\n\n要点:\n- 少なくとも6,120人分の会員情報が外部に流出した可能性")
        + mail(3, "Tue, 10 Mar 2015 09:27:40 +0900", "Re: 【共有】芹沢計装、PCがウイルス感染",
               "株式会社芹沢計装が2月27日に「当社パソコンのウイルス感染について」を公表しています。流出した可能性があるのは取引先担当者の氏名等、最大3,450件。")
    )
    got = [(i.organization_core, i.records_max, i.disclosed_on) for i in parse_text(text) if i.is_incident]
    assert got == [("芦ヶ谷市", 156, date(2015, 3, 6)), ("ハルタカ交通", 6120, date(2015, 3, 7)), ("芹沢計装", 3450, date(2015, 2, 27))]


def test_a_bodys_monthly_release_index_dates_its_releases_by_their_day_lines_and_owns_the_nameless() -> None:
    text = (
        "葦野県\nホーム > 県政情報 > 報道発表資料 > 2016年(平成28年)11月の報道発表資料\n\n2016年(平成28年)11月の報道発表資料\n\n"
        "報道発表資料の内容に関するお問い合わせは、各資料に記載の担当課へお願いします。\n\n"
        "11月30日\n観光振興課\n「葦野の秋まつり2016」の来場者数について\n10月の3日間で延べ12万4千人が来場しました。\n(PDF:210KB)\n\n"
        "11月28日\n教育委員会 高校教育課\n県立葦野南高等学校における個人情報を含むUSBメモリの紛失について\n"
        "県立葦野南高等学校の教諭が、生徒238名分の成績を保存したUSBメモリを紛失しました。教諭は11月24日に校内で紛失に気付きました。\n\n"
        "11月22日\n地域振興課\n県ホームページにおける個人情報の誤掲載について\n"
        "県ホームページに掲載していたファイルに非表示のシートがあり、申請者412名の氏名が閲覧可能な状態となっていました。11月17日に県民の方からご指摘をいただきました。\n\n"
        "11月18日\nくらし安全課\n県を装った不審なメールに関する注意について\n"
        "「葦野県 税務課」を名乗り、偽のサイトに誘導するメールが確認されています。県のシステムから情報が漏えいしたものではありません。\n\n"
        "11月15日\n税務課\n東部県税事務所における納税通知書の誤送付について\n東部県税事務所が11月8日に発送した納税通知書のうち2通を、別の納税者に送付しました。11月10日に、受け取った方からの連絡で判明しました。\n\n"
        "11月9日\n政策企画課\n「第3次葦野県総合計画」中間評価の公表について\n(PDF:1.2MB)\n"
    )
    items = parse_text(text)
    assert [(i.organization, i.is_incident, i.disclosed_on) for i in items] == [
        ("県立葦野南高等学校", True, date(2016, 11, 28)),
        ("葦野県", True, date(2016, 11, 22)),
        ("葦野県", False, None),
        ("東部県税事務所", True, date(2016, 11, 15)),
    ]
    # (the month heading gives the releases' month-days their year)
    assert [i.discovered_on for i in items[:2]] == [date(2016, 11, 24), date(2016, 11, 17)]


def test_records_set_out_as_runs_of_labelled_rows_are_items_headed_by_their_titles() -> None:
    # A prefecture's yearly list: each case a title, then 公表日 | …, 所属 | …, 概要 | … rows.
    text = (
        "個人情報の不適正な取扱い事案の公表（令和2年度）\n\n更新日：令和3年3月1日\n\n"
        "（1）生徒の成績を保存したUSBメモリの紛失\n\n公表日 | 令和2年5月15日\n\n所属 | 県立しらすな高等学校\n\n"
        "概要 | 令和2年5月12日、教諭が、生徒の成績を保存したUSBメモリを紛失していることに気付いた。\n\n対象 | 生徒118名分（氏名、得点）\n\n"
        "（2）FAXの誤送信\n\n公表日 | 令和2年7月3日\n\n所属 | 健康福祉部　ひかわ保健所\n\n"
        "概要 | 令和2年6月30日、患者の情報を医療機関へFAXで送信する際、番号を誤り、無関係の事業者へ送信した。同日、事業者からの連絡で判明した。\n\n"
        "対象 | 1名分（氏名、年齢）\n\n"
        "（3）納税通知書の封入誤り\n\n公表日 | 令和2年9月18日\n\n所属 | 総務部　税務課\n\n"
        "概要 | 令和2年9月1日に発送した納税通知書について、1つの封筒に2名分の通知書を封入して発送した。令和2年9月14日、受け取った方からの連絡で判明した。\n\n"
        "対象 | 最大326名（氏名、住所）\n"
    )
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.attack_type, i.discovered_on, i.disclosed_on, i.records_max) for i in items] == [
        ("loss_theft", date(2020, 5, 12), date(2020, 5, 15), 118),
        ("misdelivery", date(2020, 6, 30), date(2020, 7, 3), 1),
        ("misdelivery", date(2020, 9, 14), date(2020, 9, 18), 326),
    ]
    # one notice's own fields (one run, no title over it) stay one item
    one = parse_text("お知らせ\n\n発生日 | 令和2年5月12日\n\n概要 | 教諭がUSBメモリを紛失した。\n\n対象 | 生徒118名分\n\n対応 | 謝罪した。\n")
    assert len(one) == 1


def test_a_numbered_item_named_then_told_in_brackets_heads_its_item() -> None:
    text = (
        "【メモ】今週見かけた国内インシデント2件\n投稿日：2026/04/20 22:41\n\n"
        "1) 税理士法人みらい会計（偽ログイン画面でメールボックス乗っ取り）\n"
        "税理士法人みらい会計が4月15日に出したお知らせによると、職員がIDとパスワードを偽サイトに入力し、メールボックスに不正にログインされた。\n\n"
        "2) ほくよう建設（偽のブラウザ更新でマルウェア感染）\n"
        "株式会社ほくよう建設が4月17日に発表。社員のパソコン1台がマルウェアに感染し、メールアドレス約3,600件が流出した可能性があるとのこと。\n"
    )
    assert [(i.organization_core, i.attack_type) for i in parse_text(text)] == [("みらい会計", "phishing"), ("ほくよう建設", "malware")]


def test_a_boards_thread_is_split_by_its_posts_and_replies_head_nothing() -> None:
    # Post headers (number, name, time, ID) stand on their own lines even where the line
    # widths look wrapped; a post that names a body heads its item, a reply (>>2) is none.
    text = (
        "【注意】最近の情報漏えい・不正アクセス報告スレ Part12\n"
        "1 ：名無しさん＠がんばれ。：2023/02/06(月) 19:02:11.21 ID:Qa1Ws2Ed0\n"
        "公式発表か報道のソース付きで貼っていくスレ\n\n"
        "2 ：名無しさん＠がんばれ。：2023/02/06(月) 19:10:40.08 ID:Rf3Tg4Yh0\n"
        "こずえ会(医療法人)が2月3日にHPで発表\n"
        "職員が1月30日に患者32人分の検査結果を入れたUSBメモリを院内で紛失したとのこと\n\n"
        "3 ：名無しさん＠がんばれ。：2023/02/06(月) 19:15:02.55 ID:Uj5Ik6Ol0\n"
        ">>2\nUSBまだ使ってるのか…\n\n"
        "4 ：名無しさん＠がんばれ。：2023/02/06(月) 19:31:19.52 ID:Rf3Tg4Yh0\n"
        "ゆずは町のHPが改ざんされて、開くと偽の通販サイトに飛ばされてた件\n"
        "2月1日に町民から連絡があって判明、同日サイトを閉鎖、個人情報の流出は確認されていないって\n\n"
        "5 ：名無しさん＠がんばれ。：2023/02/06(月) 20:02:31.77 ID:Pl7Ok8Ij0\n"
        "もみじ台大学で不正アクセス?って話、大学の発表見たら教職員向けの標的型攻撃メールの訓練だった\n"
    )
    assert [(i.organization_core, i.attack_type, i.is_incident) for i in parse_text(text)] == [
        ("こずえ会", "loss_theft", True), ("ゆずは町", "unauthorized_access", True), ("もみじ台大学", "unauthorized_access", False),
    ]


def test_a_list_of_paragraphs_is_split_by_the_body_each_first_sentence_is_about() -> None:
    """・ items that are whole paragraphs, each body introduced by what it is (メーカーの X は,
    X では, Yを運営する X は): one item each, the closing remark and the notice below no item."""
    text = (
        "ミズナラ情報 2025年4月号\n\n先月公表されたインシデントから3件を取り上げます。\n\n"
        "・食品卸の株式会社シラカバ商会は3月4日、受発注サーバーが不正アクセスを受けたと発表しました。"
        "取引先約900社の担当者情報が流出した可能性があります。\n"
        "・朝霧市立図書館では、利用者2,310人分の氏名と電話番号を記録したUSBメモリを紛失しました。"
        "市は3月11日に公表しています。\n"
        "・料理教室「こむぎ」を運営するフタバ合同会社によると、予約フォームの設定誤りで受講者の住所が"
        "外部から閲覧できる状態でした。同社は3月20日に公表しました。\n\n"
        "どの事案も発覚から公表までに時間がかかっています。\n"
    )
    heads = [relined(text).text[s.start:s.start + 12] for s in segment(relined(text).text)]
    assert heads == ["・食品卸の株式会社シラカ", "・朝霧市立図書館では、利", "・料理教室「こむぎ」を運"]
    names = [i.organization_core for i in parse_text(text) if i.is_incident]
    assert names[:2] == ["シラカバ商会", "朝霧市立図書館"]


def test_a_notices_own_list_of_paragraphs_is_no_digest() -> None:
    text = (
        "2025年5月8日\nこもれび書房株式会社\n\n不正アクセスによる個人情報漏えいのお知らせ\n\n"
        "当社通販サイトへの不正アクセスについて、経緯をご報告いたします。\n"
        "・当社は4月2日、カード会社からの連絡で不正利用の可能性を把握しました。\n"
        "・当社では、4月3日に決済を停止し、調査会社に調査を依頼しました。\n"
        "・調査会社は、決済画面が改ざんされていたことを確認しました。\n"
    )
    assert len(segment(relined(text).text)) == 1


def test_a_notice_that_announces_several_cases_gives_one_incident_each() -> None:
    """"本市において…2件発生しました" over ① and ② headings, each naming its incident: two
    incidents, both the issuer's, told on the notice's date; the cases' own sections
    ((1)概要) and a notice that announces one case split nothing."""
    text = (
        "令和7年2月14日\n白浜市総務課\n\n個人情報の漏えい事案について\n\n"
        "本市において、個人情報を含む書類の取り扱いに関する事案が2件発生しました。深くお詫び申し上げます。\n\n"
        "①　保険年金課における通知書の誤送付\n(1)概要\n"
        "2月3日、国民健康保険の通知書1通を別の世帯に送付しました。2月5日、受け取った方からの連絡で判明しました。\n"
        "(2)対応\n職員が訪問し回収しました。\n\n"
        "②　学校教育課におけるUSBメモリの紛失\n(1)概要\n"
        "2月7日、職員が児童48名分の成績を保存したUSBメモリを紛失したことが判明しました。\n"
    )
    found = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, i.attack_type, i.disclosed_on) for i in found] == [
        ("白浜市", "misdelivery", date(2025, 2, 14)), ("白浜市", "loss_theft", date(2025, 2, 14))]
    assert found[1].records_max == 48
    one = text.replace("事案が2件発生しました", "事案が発生しました").split("②")[0]
    assert len(segment(relined(one).text)) == 1


def test_a_columns_items_taken_in_turn_are_one_paragraph_each() -> None:
    """まず、… / 次に、… / 最後に、…: a writer's paragraphs about different bodies are items; a
    notice's own まず…次に…最後に (one body's measures) is not."""
    text = (
        "セキュリティ雑記 第31回\n2023年6月5日\n\n先週の出来事から三つ紹介します。\n\n"
        "まず、ネット書店を運営する株式会社ヨツバ書林が5月29日に公表した不正アクセスです。会員4,120人分の氏名と住所が流出した可能性があります。\n\n"
        "次に、県立東雲高等学校で教員が生徒の成績を保存したUSBメモリを紛失した件です。県教育委員会は5月30日に公表しました。\n\n"
        "最後に、株式会社イワツバメ運輸で送り状データを保管するサーバーがランサムウェアに感染した件です。同社は6月1日に公表しました。\n"
    )
    heads = [relined(text).text[s.start:s.start + 3] for s in segment(relined(text).text)]
    assert heads == ["まず、", "次に、", "最後に"]
    names = [i.organization_core for i in parse_text(text) if i.is_incident]
    assert names[0] == "ヨツバ書林" and names[-1] == "イワツバメ運輸"
    notice = (
        "2023年6月5日\n株式会社ヨツバ書林\n\n不正アクセスに関するお知らせ\n\n"
        "当社サイトへの不正アクセスにより、会員情報が流出した可能性があります。再発防止に向け、次の対策を講じます。\n"
        "まず、当社は全会員のパスワードを初期化し、不正ログインを防ぎます。\n"
        "次に、当社はサーバーの脆弱性を修正し、外部の監視を導入します。\n"
        "最後に、当社は全従業員に情報管理の研修を行い、流出の再発を防ぎます。\n"
    )
    assert len(segment(relined(notice).text)) == 1
