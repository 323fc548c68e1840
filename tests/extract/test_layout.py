"""Logical lines: run-on text is cut where its units end, hard wraps are joined, well-formed
text keeps its lines, and every offset still points into the caller's text."""
from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import pytest

from app.extract import parse_text
from app.extract.decode import html_to_text
from app.extract.layout import relined
from bench.variants import wrap_at  # the re-flowing the variants bench scores

from .test_heldout import CASES, FIXTURE_CASES, mismatches

# Run-on text (no newlines at all) in, its logical lines out.
RUN_ON = [
    # a sentence ends at 。, not inside brackets
    ("ご迷惑をおかけしました。深くお詫び申し上げます。",
     ["ご迷惑をおかけしました。", "深くお詫び申し上げます。"]),
    ("「今後は注意する。」とコメントした。同社は調査中だ。",
     ["「今後は注意する。」とコメントした。", "同社は調査中だ。"]),
    ("サイト(https://example.jp/。以下「本件サイト」)において漏えいが判明しました。",
     ["サイト(https://example.jp/。以下「本件サイト」)において漏えいが判明しました。"]),
    # a title, its addressee, its issuer, its body
    ("不正アクセスに関するお詫びとお知らせお客様各位株式会社 東玉(とうぎょく)このたび、弊社サイトが不正アクセスを受けました。",
     ["不正アクセスに関するお詫びとお知らせ", "お客様各位", "株式会社 東玉(とうぎょく)", "このたび、弊社サイトが不正アクセスを受けました。"]),
    # a dated title stays one line; the body opens after its date
    ("明治大学 本学サーバーへの不正アクセスについて 2023年2月9日本学のサーバーが攻撃を受けました。",
     ["明治大学 本学サーバーへの不正アクセスについて 2023年2月9日", "本学のサーバーが攻撃を受けました。"]),
    # a date alone on its line, then a headline, then its prose
    ("今週の記事2026-02-14SolarWinds製品の脆弱性、米当局が緊急警告米CISAは悪用を確認したと発表した。詳しく解説します。",
     ["今週の記事", "2026-02-14", "SolarWinds製品の脆弱性、米当局が緊急警告", "米CISAは悪用を確認したと発表した。", "詳しく解説します。"]),
    # a news lead: the subject the headline named starts the prose
    ("岡山県のネットワーク機器でパスワードが書き換えられる岡山県は2022年11月27日、不正アクセスを受けたと発表した。",
     ["岡山県のネットワーク機器でパスワードが書き換えられる", "岡山県は2022年11月27日、不正アクセスを受けたと発表した。"]),
    ("鹿児島市のイベント参加者アドレス流出から学ぶ誤送信対策鹿児島市の委託先でメール誤送信が発生した。",
     ["鹿児島市のイベント参加者アドレス流出から学ぶ誤送信対策", "鹿児島市の委託先でメール誤送信が発生した。"]),
    # list marks and numbered sections
    ("漏えいした情報は以下の通り・氏名、住所・電話番号",
     ["漏えいした情報は以下の通り", "・氏名、住所・電話番号"]),
    ("下記の通りご報告いたします。記1.経緯2023年3月17日、カード会社から連絡を受けました。",
     ["下記の通りご報告いたします。", "記", "1.経緯", "2023年3月17日、カード会社から連絡を受けました。"]),
    # a numbered item's heading is due after its number: a name and, in brackets, what befell it
    # (or a headline and the day in brackets it was told), then the prose
    ("2件まとめました。1) 株式会社ヤマネ商会(偽サイトでアカウント乗っ取り)株式会社ヤマネ商会が5月2日に公表した。"
     "2) 川霧町(USBメモリ紛失)川霧町は5月7日、職員がUSBメモリを紛失したと発表した。",
     ["2件まとめました。", "1) 株式会社ヤマネ商会(偽サイトでアカウント乗っ取り)", "株式会社ヤマネ商会が5月2日に公表した。",
      "2) 川霧町(USBメモリ紛失)", "川霧町は5月7日、職員がUSBメモリを紛失したと発表した。"]),
    ("被害はなかった。2. 株式会社ミナモ運輸、ランサムウェア被害を公表(5月9日)5月6日に海外拠点経由で侵入され、"
     "国内の基幹サーバーと工場の生産管理システムが暗号化された。情報流出の有無は調査中。",
     ["被害はなかった。", "2. 株式会社ミナモ運輸、ランサムウェア被害を公表(5月9日)",
      "5月6日に海外拠点経由で侵入され、国内の基幹サーバーと工場の生産管理システムが暗号化された。", "情報流出の有無は調査中。"]),
    # a signature: the issuer's line, then its officer
    ("ご理解をお願い申し上げます。医療法人久仁会 鳴門山上病院理事長 山上 敦子",
     ["ご理解をお願い申し上げます。", "医療法人久仁会 鳴門山上病院", "理事長 山上 敦子"]),
    # a row of bar-separated cells run into the text around it
    ("(前号の締め切り後のため本号に掲載)かすみ野市(自治体)|誤送信|2月14日保育課の職員が、一覧を誤って送信した。",
     ["(前号の締め切り後のため本号に掲載)", "かすみ野市(自治体)|誤送信|2月14日", "保育課の職員が、一覧を誤って送信した。"]),
]

# Newlines that became spaces: the space is where the cut goes.
SPACES = [
    ("お詫びとお知らせ お客様各位 株式会社東玉 このたび、弊社サイトが不正アクセスを受けました。",
     ["お詫びとお知らせ", "お客様各位", "株式会社東玉", "このたび、弊社サイトが不正アクセスを受けました。"]),
    ("2024年6月12日 いずみ野市立の小学校で名簿を誤掲載  いずみ野市は11日、名簿を誤って掲載したと発表した。",
     ["2024年6月12日", "いずみ野市立の小学校で名簿を誤掲載", "いずみ野市は11日、名簿を誤って掲載したと発表した。"]),
]

# Lines of well-formed text are kept as they are.
UNCHANGED = [
    "【セキュリティ事件簿#2023-055】明治大学 本学サーバーへの不正アクセスについて 2023年2月9日\n\n本学のサーバーが攻撃を受けました。\n",
    "令和5年11月14日\nさくら台県教育委員会\n\n県立高等学校における個人情報を含むUSBメモリの紛失について\n",
    "2026-02-14\nSolarWinds製品で複数脆弱性\n米CISAが悪用を確認した。\n",
    "・カード名義人名\n・クレジットカード番号\n・有効期限\n",
    "医療法人久仁会 鳴門山上病院\n理事長 山上 敦子\n病院長 國友 一史\n",
    "ラベル スクラップ の投稿を表示しています。\n",
    # a digest's headline (its 、 after a name) over its lead: no wrap to join
    "カエデ堂、通販サイトでカード情報流出 フォームナビ製システムに改ざん\n"
    "雑貨店のカエデ堂は7月2日、通販サイトが不正アクセスにより改ざんされ、カード情報412件が流出した可能性があると発表した。\n",
]

# Hard-wrapped lines are joined (a wrap inside a date too); a line that ends where a unit
# ends stays.
WRAPPED = [
    ("本学教員が、学生約250名分の成績情報を保存したUSBメモリを紛失したことが、2\n024年2月2日に判明しました。\n",
     "本学教員が、学生約250名分の成績情報を保存したUSBメモリを紛失したことが、2024年2月2日に判明しました。\n"),
    ("顧客の個人情報が流出した可能性\nがあると発表した。\n", "顧客の個人情報が流出した可能性があると発表した。\n"),
    ("2026-02-15\n150億円要求されても払えない\n", "2026-02-15\n150億円要求されても払えない\n"),
]


@pytest.mark.parametrize(("text", "lines"), RUN_ON + SPACES)
def test_run_on_text_is_cut_into_units(text: str, lines: list[str]) -> None:
    assert relined(text).text.split("\n") == lines


@pytest.mark.parametrize("text", UNCHANGED)
def test_well_formed_text_keeps_its_lines(text: str) -> None:
    assert relined(text).text == text


@pytest.mark.parametrize(("text", "joined"), WRAPPED)
def test_wraps_are_joined(text: str, joined: str) -> None:
    assert relined(text).text == joined




def test_a_char_count_wrap_is_found_and_joined() -> None:
    para = "漏えいした可能性のあるお客様には、本日より電子メールにてお詫びとお知らせを個別にご連絡申し上げております。"
    text = "お詫びとお知らせ\n" + para + "\n" + para.replace("本日", "明日") + "\n"
    assert relined(wrap_at(30)(text)).text == text


def test_a_wrap_inside_a_date_is_joined_before_folding() -> None:
    line = "不正アクセスを検知したのは七月二十三日で、同日に決済を停止いたしました。対象のお客様には"
    text = wrap_at(30)(line * 3 + "\n")
    assert relined(text).text.count("7月23日") == 3


def test_offsets_map_back_through_cuts_and_folding() -> None:
    raw = "お客様各位株式会社東玉このたび、２０２３年３月１７日に不正アクセスが判明しました。"
    norm = relined(raw)
    assert norm.text.startswith("お客様各位\n株式会社東玉\nこのたび")
    for word, written in (("株式会社東玉", "株式会社東玉"), ("2023年3月17日", "２０２３年３月１７日"), ("判明しました。", "判明しました。")):
        i = norm.text.index(word)
        s, e = norm.raw_span(i, i + len(word))
        assert raw[s:e] == written


def test_offsets_map_back_through_joins() -> None:
    para = "弊社が運営するサイトにおいて、第三者による不正アクセスを受け、お客様のカード情報が漏洩した可能性があることが判明いたしました。"
    raw = wrap_at(30)(para + "\n" + para + "\n").replace("\n", "\r\n")
    norm = relined(raw)
    assert norm.text == para + "\n" + para + "\n"
    i = norm.text.index("判明", 40)
    s, e = norm.raw_span(i, i + 2)
    assert raw[s:e] == "判明"
    s, e = norm.raw_span(0, len(para))
    assert raw[s:e].replace("\r\n", "") == para


def test_crlf_is_one_line_break() -> None:
    assert relined("一行目\r\n二行目\r\n").text == "一行目\n二行目\n"


# Every held-out notice parses as it does as written when its lines are re-flowed the way
# text reaches Rouei: CRLF, hard wraps, an HTML page with a <br> a line, and with its
# newlines gone or turned into spaces (the last two for all but the shapes listed).
VARIANTS: dict[str, Callable[[str], str]] = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "wrap30": wrap_at(30),
    "wrap40": wrap_at(40),
    "wrap60": wrap_at(60),
    "html": lambda t: html_to_text("<html><body><p>" + "<br>".join(html.escape(x) for x in t.split("\n")) + "</p></body></html>"),
    "nonl": lambda t: t.replace("\n", ""),
    "spaces": lambda t: t.replace("\n", " "),
}
# (variant, case) pairs that re-flowing still breaks; strict, so a fix shows up.
KNOWN_GAPS = frozenset({
    # A Markdown table's rows hard-wrapped or run together lose their cells' order.
    ("wrap40", "digest_markdown_table"),
    ("wrap60", "digest_markdown_table"),
})


def _params() -> list[object]:
    out = []
    for variant in VARIANTS:
        for name, text, expected in CASES + FIXTURE_CASES:
            marks = [pytest.mark.xfail(strict=True, reason="known gap")] if (variant, name) in KNOWN_GAPS else []
            out.append(pytest.param(variant, text, expected, id=f"{variant}-{name}", marks=marks))
    return out


@pytest.mark.parametrize(("variant", "text", "expected"), _params())
def test_reflowed_notice_parses_as_written(variant: str, text: str, expected: list[dict[str, object]]) -> None:
    assert mismatches(VARIANTS[variant](text), expected) == []


def test_evidence_of_a_run_on_text_points_into_it() -> None:
    text = "お客様各位株式会社東玉このたび、弊社サイトで2023年3月17日に不正アクセスが判明しました。カード情報38件が流出した可能性があります。"
    [inc] = parse_text(text)
    s, e = inc.evidence["discovered_on"]
    assert text[s:e].startswith("2023年3月17日")
    s, e = inc.evidence["records_max"]
    assert "38件" in text[s:e]


def test_a_pdfs_page_furniture_goes_and_its_sentences_read_on() -> None:
    # A timely disclosure as PDF text: a right-aligned date, a centred title, lines wrapped
    # at the text's width (a contact line of half-width digits is longer), a page number and
    # the running header on the next page, in the middle of a sentence.
    body = (
        "　当社の連結子会社である株式会社ミナセ電子（本社：埼玉県川口市、以下「ミナセ電\n"
        "子」）において、第三者による不正アクセスを受け、同社が管理する複数のサーバーがラ\n"
        "ンサムウェアにより暗号化される被害が発生いたしました。また、外部専門機関による調\n"
        "査の結果、同社の従業員1,846名分の個人情報が外部に流出した可能性があることが判明\n"
        "\n                                     - 1 -\n"
        "株式会社ミナセ工業（7386）　当社連結子会社におけるランサムウェア被害の発生について\n\n"
        "いたしましたので、お知らせいたします。関係者の皆様には多大なるご迷惑とご心配をお\n"
        "かけしておりますことを深くお詫び申し上げます。お問い合わせ先は下記のとおりです。\n"
        "問合せ先 TEL 048-229-7130（受付時間 平日9:00～17:00）\n"
    )
    text = (
        "                                                    2025年2月21日\n各　位\n"
        "                                        会 社 名　株式会社ミナセ工業\n\n"
        "            当社連結子会社におけるランサムウェア被害の発生について\n\n" + body
    )
    lined = relined(text).text
    assert "- 1 -" not in lined and "(7386)" not in lined
    assert "判明いたしましたので" in lined and "ミナセ電子」)において" in lined
    [inc] = parse_text(text)
    assert (inc.organization_core, inc.records_max) == ("ミナセ電子", 1846)


def test_a_kana_head_after_a_fields_label_stays_with_its_name() -> None:
    # Text that lost its breaks: "…URL: https://…/概要:たまゆら生活協同組合は…" is cut before
    # the label, never inside the name.
    text = (
        "------------------------------[2]▼生協の配送センターで注文書約1,300人分が所在不明に"
        "URL: https://news.example.jp/2022/12/02/coop/概要:たまゆら生活協同組合は12月1日、配送センターの倉庫で保管していた"
        "組合員の注文書約1,300人分が所在不明になっていると発表した。11月中旬の棚卸しで判明した。"
    )
    lined = relined(text).text
    assert "たまゆら生活協同組合" in lined
    assert "\n概要:" in lined


def test_a_footer_with_the_documents_name_and_lines_every_page_repeats_go() -> None:
    page_break = (
        "宿泊施設セキュリティ連絡会                             - 1 -\n"
        "本資料は会員限定です。無断転載・再配布を禁じます。\n\n"
        "宿セキュ連 月報 令和7年6月号                       会員限定\n\n"
    )
    text = (
        "宿セキュ連 月報 令和7年6月号                       会員限定\n\n"
        "一般社団法人宿泊施設セキュリティ連絡会\n会員向け月報\n\n"
        "No.1 湯けむり荘:予約サイトの決済画面が改ざんされた。R7.4.18にカード会社から連絡があった。\n"
        + page_break +
        "No.2 みちのく山荘:R7.5.11朝、予約管理サーバーがランサムウェアにより暗号化された。\n"
        + page_break.replace("- 1 -", "- 2 -")
    )
    lined = relined(text).text
    assert "- 1 -" not in lined and "- 2 -" not in lined
    assert "本資料は会員限定です" not in lined
    assert lined.count("会員限定") == 1  # the first page's header stays: it is the title


def test_run_on_item_marks_start_units_and_a_label_keeps_its_date() -> None:
    # [N] items, ▽ fields and 【label】 dates of a digest whose line breaks were lost
    text = (
        "今週のまとめ(3/2~3/8)[1] 株式会社ミナミ通商:メールを誤送信し、取引先210人分のアドレスが流出。(3/3発表)"
        "[2] かえで野町:町のサイトに住民45人分の名簿を誤って掲載した。(3/5)"
        "▽ 組織:株式会社トキワ精機▽ 内容:ファイルサーバーがランサムウェアで暗号化された。3月6日に公表した。"
        "【対象】株式会社コマチ書房【公表】2025/03/07通販サイトでカード情報が流出した可能性がある。"
    )
    lines = relined(text).text.split("\n")
    assert any(ln.startswith("[2] かえで野町") for ln in lines)
    assert "▽ 内容:ファイルサーバーがランサムウェアで暗号化された。" in lines
    assert "【公表】2025/03/07" in lines  # the label and its date one unit, the prose after it another


def test_run_on_navigation_after_an_article_is_cut_off_and_a_names_alias_stays() -> None:
    text = (
        "組合員の情報流出か 2026年1月23日 11:42 ひばり野農業協同組合(JAひばり野)は1月22日、サーバーがランサムウェアに感染したと発表した。"
        "(ニュース編集部)この記事をシェアX でポスト タグ:ランサムウェア VPN 個人情報漏えい関連記事・介護事業者のサーバーが被害(2026年1月20日)"
    )
    lines = relined(text).text.split("\n")
    assert any(ln.startswith("ひばり野農業協同組合(JAひばり野)は1月22日、") for ln in lines)
    assert "関連記事" in lines and "この記事をシェア" in lines


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # the last crumb run into the headline: cut before the name the article repeats
        ("医療ニュース 病院経営 医療IT 人事ホーム > 医療IT > 記事潮見台病院、ランサムウェアで情報流出の恐れ"
         "2025年5月29日 19:40 潮見台病院(潮見市)は29日、サーバーがランサムウェアに感染したと発表した。",
         "潮見台病院、ランサムウェアで情報流出の恐れ"),
        # the last crumb is the page's title, which its headline repeats at once
        ("さくら台市スポーツ協会ホーム > 新着情報 > 施設予約アプリへの不正ログインについて施設予約アプリへの不正ログインについて(お詫び)"
         "弊協会が運営する施設予約アプリにおいて、一部のアカウントに不正にログインされたことを確認いたしました。",
         "施設予約アプリへの不正ログインについて(お詫び)"),
    ],
)
def test_a_run_on_breadcrumb_ends_where_its_headline_begins(text: str, line: str) -> None:
    assert line in relined(text).text.split("\n")


def test_a_run_on_news_lead_starts_after_the_date_a_field_ends_on() -> None:
    text = "第3位 学生ポータルに不正ログイン種別:不正ログイン/公表:2月17日東雲台大学は2月17日、学生向けポータルサイトに外部から不正ログインがあったと発表しました。"
    assert any(ln.startswith("東雲台大学は2月17日、") for ln in relined(text).text.split("\n"))


def test_a_posts_emoji_marks_start_its_items_in_run_on_text() -> None:
    text = (
        "今週の漏えいまとめ(1/3)🔴 マルカ商店 通販サイトにリスト型攻撃。1/30に異常に気付き、2/6に公表 #不正ログイン (2/3)"
        "⚠️ ホクト医療システムズ サーバーがランサムウェアに感染。流出の有無は調査中 (3/3)"
    )
    lines = relined(text).text.split("\n")
    assert any(ln.startswith("🔴 マルカ商店") for ln in lines)
    assert any(ln.startswith("⚠️ ホクト医療システムズ") for ln in lines)


def test_a_rule_drawn_across_the_page_is_a_unit_of_its_own_in_run_on_text() -> None:
    text = (
        "ニュースレター 第12号 ----------------------------------------[1]▼通販サイトで不正アクセス"
        "概要:ミツボシ商店は11月29日、通販サイトが不正アクセスを受けたと発表した。"
        "----------------------------------------[2]▼病院でランサムウェア被害"
        "概要:さざなみ記念病院は12月2日、電子カルテがランサムウェアに感染したと発表した。"
    )
    lines = relined(text).text.split("\n")
    assert "-" * 40 in lines
    assert any(ln.startswith("[2]") for ln in lines)


def test_a_question_and_its_answer_start_units_in_run_on_text() -> None:
    text = (
        "週刊談話室 第87回 今週は2件を取り上げる。◎株式会社ハヤテ食品(冷凍食品メーカー、本社・新潟県)Q:何が起きたのか。"
        "A:10月11日未明、社内サーバーがランサムウェアに感染した。Q:侵入経路は。A:VPN装置の認証情報が悪用されたとみられる。"
    )
    lines = relined(text).text.split("\n")
    assert "◎株式会社ハヤテ食品(冷凍食品メーカー、本社・新潟県)" in lines
    assert "Q:何が起きたのか。" in lines


def test_a_name_that_heads_a_marked_item_ends_where_its_text_begins_in_run_on_text() -> None:
    text = (
        "公表状況(6月分)6月中に公表された主な事案は次のとおりです。"
        "◆北浦見市消防本部救急搬送記録1名分を別の事業所にFAXで誤送信した(6月15日公表)。"
        "◆公益財団法人ひかり野スポーツ振興財団施設予約システムの設定不備により、利用者登録情報が閲覧できる状態になっていた。"
        "◆山吹川町は6月9日、USBメモリーの紛失を公表した。"
    )
    lines = relined(text).text.split("\n")
    assert "◆北浦見市消防本部" in lines
    assert "◆公益財団法人ひかり野スポーツ振興財団" in lines
    assert any(ln.startswith("◆山吹川町は6月9日、") for ln in lines)  # a sentence that opens with the name stays whole


def test_a_bracketed_dateline_is_no_label_of_the_lead_after_it_in_spaced_text() -> None:
    # a regional paper's 【佐賀】 dateline before its lead, re-flowed with spaces for breaks
    text = (
        "通販サイトで顧客情報流出か 2025年6月14日 【佐賀】 さがの物産株式会社(佐賀市)は13日、"
        "通販サイトが不正アクセスを受け、顧客のカード情報が流出した可能性があると発表した。 "
        "【公表】 2025/06/13 【対象】 さがの物産株式会社"
    )
    lines = relined(text).text.split("\n")
    assert any(ln.startswith("さがの物産株式会社(佐賀市)は13日、") for ln in lines)
    assert "【佐賀】" in lines
    assert any(ln.startswith("【公表】") and "2025/06/13" in ln for ln in lines)  # a field's label keeps its date


def test_a_pages_chrome_before_its_article_is_cut_from_the_names_in_run_on_text() -> None:
    # a city's page pasted without its breaks: the skip link, the city's logo in two scripts, the
    # reader's display settings, then the notice
    text = (
        "本文へスキップ汐見原市Shiomibara City文字サイズ 標準 拡大 背景色 白 黒 青"
        "市民税の通知書の誤送付について 令和8年5月8日 汐見原市は5月8日、市民税の通知書を誤って別の世帯に送付したことを公表しました。"
    )
    lines = relined(text).text.split("\n")
    assert "本文へスキップ" in lines
    assert "汐見原市" in lines and "Shiomibara City" in lines  # the logo's two names, each its own
    assert any(ln.startswith("汐見原市は5月8日、") for ln in lines)
    # a Latin name that a legal form follows is the company's own name
    assert any("Quillmont Japan株式会社は" in ln for ln in relined(
        "Quillmont Japan株式会社は4月2日、サーバーが不正アクセスを受けたと発表しました。").text.split("\n"))


@pytest.mark.parametrize("sep", ["", " "])
def test_a_tab_separated_table_that_lost_its_breaks_is_read_row_by_row(sep: str) -> None:
    # an HTML table copied as text, its newlines removed or turned into spaces; the page title
    # above it is cut where its middle dot reads like a bullet
    rows = [
        "【一覧】2025年11月に公表された個人情報漏えい・紛失事案",
        "編集部 2025年12月3日 更新",
        "公表日\t組織名\t原因\t件数",
        "11/4\t株式会社ハナミズキ電設\tランサムウェア感染\t調査中",
        "11/5\t小鷺野町教育委員会\tUSBメモリー紛失\t児童412人分",
        "11/18\t有限会社ツルミ青果\tフィッシングによるメールアカウント侵害\tメールアドレス1,950件",
        "11/28\t医療法人社団光和会 みなと台クリニック\tクラウドストレージの共有設定不備\t患者932人分",
        "※株式会社ハナミズキ電設は12月2日に第2報を公表し、対象件数を11万8,406件に確定しました。",
    ]
    text = sep.join(rows)
    assert all(row.replace(" ", "") in relined(text).text.replace(" ", "").split("\n") for row in rows[3:-1])
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, str(i.disclosed_on)) for i in items] == [
        ("ハナミズキ電設", "2025-11-04"), ("小鷺野町教育委員会", "2025-11-05"),
        ("ツルミ青果", "2025-11-18"), ("光和会 みなと台クリニック", "2025-11-28"),
    ]
    assert items[-1].records_max == 932  # the note under the table is not the last row's


def test_a_list_mark_or_a_fields_label_alone_on_its_line_opens_the_line_below() -> None:
    text = (
        "月次レポート 2025年11月号\n\n"
        "①\n公表日：2025年11月4日\n組織名：\n株式会社ハルカゼ物流\n概要：\n配送管理サーバーがランサムウェアに感染した。\n件数：\n約4万5千件\n\n"
        "②\n公表日：\n令和7年11月7日\n組織名：国立大学法人東雲大学\n概要：教員のメールアカウントが乗っ取られ、迷惑メールが送信された。\n件数：2,116件\n\n"
        "③\n公表日：2025年11月12日\n組織名：株式会社ミツバ食品\n概要：\n別の顧客の納品書を同封する誤封入が発生した。\n件数：\n312件\n"
    )
    lines = relined(text).text.split("\n")
    assert "1 公表日:2025年11月4日" in lines and "2 公表日:令和7年11月7日" in lines
    assert "組織名:株式会社ハルカゼ物流" in lines and "件数:312件" in lines
    items = parse_text(text)
    assert [(i.organization, i.attack_type, i.disclosed_on, i.records_max) for i in items] == [
        ("株式会社ハルカゼ物流", "ransomware", date(2025, 11, 4), 45000),
        ("国立大学法人東雲大学", "account_takeover", date(2025, 11, 7), 2116),
        ("株式会社ミツバ食品", "misdelivery", date(2025, 11, 12), 312),
    ]


def test_a_page_number_alone_on_its_line_does_not_open_the_prose_below() -> None:
    text = "当社のサーバーが不正アクセスを受けました。\n2\n調査の結果、顧客情報が流出した可能性があります。\n"
    assert "\n2\n" in relined(text).text


@pytest.mark.parametrize("sep", ["\n", " ", ""])
def test_a_blog_posts_bold_headlines_head_its_items_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "今週のセキュリティニュース(2025年6月9日〜6月15日)",
        "こんにちは、編集部です。今週の話題を3本ピックアップしました。",
        "**ルミエール製菓、公式通販でカード情報2,814件流出の恐れ**",
        "洋菓子のルミエール製菓は6月10日、公式オンラインストアの決済画面が改ざんされ、クレジットカード情報最大2,814件が流出した可能性があると発表しました。",
        "出典:https://www.lumiere.example.jp/news/0610_oshirase.html",
        "**コモレビ珈琲の会員アプリに不正ログイン、1,046アカウントで被害**",
        "カフェチェーンのコモレビ珈琲は6月9日、会員アプリでリスト型攻撃による不正ログインが発生したと公表しました。1,046アカウントへの不正ログインを確認。",
        "出典:https://komorebi.example.jp/app/info/20250609",
        "**タカツキ精工がランサムウェア被害、工場の生産を一時停止**",
        "精密部品メーカーのタカツキ精工は6月11日、社内のサーバーがランサムウェアに感染したことを明らかにしました。",
    ])
    got = [(i.organization_core, i.attack_type, i.records_max) for i in parse_text(text)]
    assert got == [("ルミエール製菓", "web_skimming", 2814), ("コモレビ珈琲", "account_takeover", 1046), ("タカツキ精工", "ransomware", None)]
    assert "**" not in relined(text).text


def test_bold_inside_a_sentence_stays_in_it() -> None:
    text = "当社は**重要なお知らせ**を掲載しました。\n"
    assert relined(text).text == text


def test_a_listed_companys_cover_labels_start_units_where_the_breaks_were_lost() -> None:
    text = (
        "2025年9月5日各位会社名株式会社ヒイラギ代表者名代表取締役社長野々村恒一(コード番号:3071 東証スタンダード)"
        "問合せ先 取締役管理本部長 江藤 真理子(TEL.0587-24-0193)当社サーバーへの不正アクセスに関するお知らせ"
        "当社は、当社の会員管理サーバーが第三者による不正アクセスを受け、会員の情報が外部に流出した可能性があることを確認いたしました。"
    )
    lines = relined(text).text.split("\n")
    assert "会社名株式会社ヒイラギ" in lines
    assert any(ln.startswith("代表者名代表取締役社長") for ln in lines)
    inc = parse_text(text)[0]
    assert (inc.organization, inc.organization_core) == ("株式会社ヒイラギ", "ヒイラギ")


@pytest.mark.parametrize("sep", ["\n", ""])
def test_a_reports_numbered_records_of_fields_are_items_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "月次脅威レポート 2025年11月号",
        "発行:株式会社シールドラボ リサーチセンター発行日:2025年12月5日",
        "当センターが確認した事案は47件でした(前月比+6件)。注目した事案を紹介します。",
        "1公表日:2025年11月4日", "組織名:株式会社ハルカゼ物流", "概要:配送管理サーバーがランサムウェアに感染し、データが暗号化された。", "件数:約4万5千件",
        "2公表日:令和7年11月7日", "組織名:国立大学法人東雲大学", "概要:教員のメールアカウントが第三者に不正利用され、迷惑メールが送信された。", "件数:メールアドレス2,116件",
        "3公表日:2025年11月12日", "組織名:株式会社ミツバ食品", "概要:別の顧客の納品書を同封する誤封入が発生した。", "件数:312件",
    ])
    items = parse_text(text)
    assert [(i.organization_core, i.disclosed_on, i.records_max) for i in items if i.is_incident] == [
        ("ハルカゼ物流", date(2025, 11, 4), 45000), ("東雲大学", date(2025, 11, 7), 2116), ("ミツバ食品", date(2025, 11, 12), 312)]


def test_a_threads_timestamps_and_emoji_tags_stay_whole_where_the_breaks_were_lost() -> None:
    posts = [
        "🚨【速報】デリバリーアプリを運営するマルハチフーズが、昨日夜に不正ログイン被害を公表。約4,200アカウントに不正ログインされた。",
        "📮 みどり野市、通知書を別の人に送っていたとHPに掲載。18人分の氏名が別人に届いた。3日に市民からの問い合わせで発覚したそう。",
        "💻 南陵医大病院、医師が患者312人分のデータ入りノートPCを電車内に置き忘れ。公表は昨日。",
    ]
    stamps = ["午後9:16 · 2025年9月5日", "午後9:22 · 2025年9月5日", "午後9:31 · 2025年9月5日"]
    text = "セキュリティ速報bot" + "".join(p + s for p, s in zip(posts, stamps, strict=True))
    lines = relined(text).text.split("\n")
    assert all(s in lines for s in stamps)
    assert any(ln.startswith("🚨【速報】") for ln in lines)
    got = [(i.organization_core, i.disclosed_on) for i in parse_text(text) if i.is_incident]
    assert got == [("マルハチフーズ", date(2025, 9, 4)), ("みどり野市", None), ("南陵医大病院", date(2025, 9, 4))]


def test_a_markdown_table_run_together_is_read_row_by_row() -> None:
    text = (
        "12月に公表された主な事案を表にまとめています。| 公表日 | 組織 | 原因 | 件数 ||---|---|---|---|"
        "| 2024/12/03 | 株式会社アオバ楽器 | ECサイトの決済画面改ざん | カード情報 1,932件 |"
        "| 2024/12/06 | 三ツ森市 | 納税通知書の誤送付 | 420件 |"
        "| 2024/12/11 | 大和田工業株式会社 | 車上荒らしによるノートPCの盗難 | 約1,400件 |※件数は公表時点のものです。## ピックアップ### アオバ楽器のカード情報流出"
    )
    lines = relined(text).text.split("\n")
    assert "2024/12/06 | 三ツ森市 | 納税通知書の誤送付 | 420件" in lines
    assert not any(set(ln) <= set("|- ") for ln in lines if ln)  # the rule under the header is gone
    got = [(i.organization_core, i.disclosed_on, i.records_max) for i in parse_text(text) if i.is_incident]
    assert got[:3] == [("アオバ楽器", date(2024, 12, 3), 1932), ("三ツ森市", date(2024, 12, 6), 420), ("大和田工業", date(2024, 12, 11), 1400)]


def test_a_pdfs_page_furniture_goes_though_a_wrap_cut_a_number_in_two() -> None:
    # (a wrap inside "41社" makes folding start over from the caller's text: the furniture
    # must go again)
    text = (
        "全国通販協議会 四半期レポート 2024年度第3四半期\n\n"
        "株式会社テラスシステムズは、令和6年10月21日、同社のサーバーがランサムウェアに感染\n"
        "したと公表した。暗号化されたデータには、サービスを利用する通販事業者4\n"
        "1社の受注データが含まれていた。\n\n- 1 -\n\n全国通販協議会 四半期レポート 2024年度第3四半期\n\n"
        "同サービスを利用する会員事業者のうち、株式会社ミナモ食品が、顧客情報が流出した可\n"
        "能性があると公表した。\n"
    )
    out = relined(text).text
    assert "- 1 -" not in out and out.count("全国通販協議会") == 1
    assert "41社の受注データ" in out.replace(" ", "")


def test_a_mails_header_fields_start_units_where_a_digests_breaks_were_lost() -> None:
    text = (
        "------------------------------Message: 1Date: Mon, 9 Mar 2015 08:41:17 +0900From: 沖田 航 <okita@example.jp>"
        "To: list@lists.example.orgSubject: [list 01203] 【共有】芦ヶ谷市教委、成績一覧をメール誤送信Message-ID: <1@example.jp>沖田です。"
    )
    lines = relined(text).text.split("\n")
    assert "Date: Mon, 9 Mar 2015 08:41:17 +0900" in lines
    assert any(ln.startswith("Subject: [list 01203]") for ln in lines)


@pytest.mark.parametrize("sep", ["\n", ""])
def test_a_summarys_numbered_cases_are_items_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "令和7年度上半期 所管団体における個人情報漏えい等事案の概要",
        "あおぞら庁 総務課",
        "本資料は、所管団体から報告のあった事案の概要をまとめたものである。",
        "事案1\u3000法人名:公益財団法人ほしぞら振興会", "発生日:令和7年5月8日",
        "概要:職員が会員名簿を保存したUSBメモリを紛失した。会員310名の氏名と住所が保存されていた。",
        "事案2\u3000法人名:株式会社ミズナラ工房", "発生日:令和7年7月14日",
        "概要:受注管理サーバーがランサムウェアに感染し、取引先1,420件の情報が暗号化された。",
        "事案3\u3000法人名:一般社団法人こもれび協会", "発生日:令和7年8月2日",
        "概要:会報のメールを送る際に宛先をBCCに入れず、会員88名のメールアドレスが互いに見える状態になった。",
    ])
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, i.attack_type, i.records_max) for i in items] == [
        ("ほしぞら振興会", "loss_theft", 310), ("ミズナラ工房", "ransomware", 1420), ("こもれび協会", "misdelivery", 88)]


@pytest.mark.parametrize("sep", ["\n", "", " "])
def test_a_news_pages_datelines_and_section_heading_keep_its_articles_apart_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "みさき新聞", "2024年6月20日(木)", "きょうのニュース",
        "顧客名簿を誤って送信 通販会社", "【高松】",
        "かがみ商事株式会社(高松市)は19日、顧客212人分の氏名と住所を記載した名簿を別の取引先にメールで誤送信したと発表した。",
        "17日に取引先からの連絡で判明した。",
        "成績表を紛失 私立高", "(共同)",
        "香川県の私立あさひ学園高校は19日、生徒35人分の成績表を紛失したと発表した。",
    ])
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, i.disclosed_on) for i in items] == [
        ("かがみ商事", date(2024, 6, 19)), ("あさひ学園高校", date(2024, 6, 19))]


@pytest.mark.parametrize("sep", ["\n", ""])
def test_a_pages_date_above_its_first_article_dates_every_article(sep: str) -> None:
    text = sep.join([
        "県内のニュース", "2025年3月8日(土)",
        "北浜市のかえで食品株式会社は6日、顧客28人分の氏名と住所を保存したUSBメモリを紛失したと発表した。",
        "社員が4日に紛失に気付いた。",
        "南山町は7日、町民150人分の氏名と住所を記載した名簿を誤って別の団体に送付したと発表した。",
        "5日に送付先からの連絡で判明した。",
    ])
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.organization_core, i.disclosed_on) for i in items] == [
        ("かえで食品", date(2025, 3, 6)), ("南山町", date(2025, 3, 7))]


@pytest.mark.parametrize("sep", ["\n", "", " "])
def test_a_posts_contents_and_the_headings_it_lists_keep_its_items_apart_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "【2024年10月】気になった漏えいニュース", "こんにちは、今月のまとめです。",
        "目次", "・お菓子屋さんの通販でカード情報が…🍰", "・動物病院で「To」送信📧", "・おわりに",
        "お菓子屋さんの通販でカード情報が…🍰",
        "「パティスリーこもれび」さんが10月8日に公式サイトでお知らせを出してました。",
        "通販サイトの決済画面が改ざんされて、カード情報が最大530件漏えいした可能性があるそうです。",
        "動物病院で「To」送信📧",
        "「みどり野どうぶつ病院」さんが10月15日にお詫びを出してました。",
        "案内メールを宛先(To)に入れて送ってしまい、飼い主さん74人分のメールアドレスが見える状態になったそうです。",
        "おわりに", "来月もまとめます。",
    ])
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.attack_type, i.records_max) for i in items] == [("web_skimming", 530), ("misdelivery", 74)]


@pytest.mark.parametrize("sep", ["", " "])
def test_a_links_file_size_ends_its_line_where_the_breaks_were_lost(sep: str) -> None:
    text = sep.join([
        "2016年(平成28年)11月の報道発表資料",
        "11月24日", "畜産課", "鳥インフルエンザ防疫演習の実施について", "(PDF:95KB)",
        "11月22日", "地域振興課", "県ホームページにおける個人情報の誤掲載について",
        "県ホームページに掲載していたファイルに、申請者412名の氏名が閲覧可能な状態となっていました。", "(PDF:142KB)",
    ])
    lines = relined(text).text.split("\n")
    assert "(PDF:95KB)" in lines and "(PDF:142KB)" in lines
    assert any(ln.endswith("誤掲載について") for ln in lines)
    assert all(i.organization != "地域振興課県" for i in parse_text(text))


def test_a_digests_heading_rows_of_fields_between_bars_are_units_where_newlines_became_spaces() -> None:
    text = " ".join([
        "■国内",
        "株式会社ミズハ化成(化学)|ランサムウェア|3月4日", "2月28日に社内サーバーのファイルが暗号化されていることを確認した。",
        "医療法人あおば会 あおば中央病院(医療)|不正アクセス|3月7日", "患者約2万人分の氏名が窃取された可能性がある。",
        "株式会社ヒスイ(通販)|不正アクセス|2025年3月10日", "通販サイトの決済画面が改ざんされた。",
    ])
    lines = relined(text).text.split("\n")
    assert "医療法人あおば会 あおば中央病院(医療)|不正アクセス|3月7日" in lines
    assert "株式会社ヒスイ(通販)|不正アクセス|2025年3月10日" in lines


@pytest.mark.parametrize("sep", ["\n", " ", ""])
def test_a_bodys_numbered_records_of_fields_are_items_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "令和6年度第3四半期における個人情報の漏えい等事案について", "令和7年1月24日", "みなみ野県 総務部",
        "本県において発生した個人情報の漏えい等事案は下記のとおりです。", "記",
        "(1)所管課:福祉課\u3000発生日:令和6年10月2日\u3000概要:通知書を別人あてに誤って送付した。\u3000対象:3人",
        "(2)所管課:道路課\u3000発生日:令和6年11月5日\u3000概要:申請者一覧をホームページに誤って掲載し、閲覧可能な状態となっていた。\u3000対象:120人",
        "(3)所管課:県民課\u3000発生日:令和6年12月9日\u3000概要:名簿を入れた封筒を紛失した。\u3000対象:41人",
    ])
    items = [i for i in parse_text(text) if i.is_incident]
    assert [(i.attack_type, i.records_max) for i in items] == [("misdelivery", 3), ("misconfiguration", 120), ("loss_theft", 41)]


def test_a_threads_post_counters_are_units_of_their_own_where_the_breaks_were_lost() -> None:
    text = (
        "🧵今月のまとめです(1/4)午後9:04 · 2026年2月1日あおぞら🛒 みどり商店・決済画面改ざん・1/9発表(2/4)"
        "あおぞら🎓 東嶺大学・フィッシング・1/14発表(3/4)あおぞら🏛 川霧町・名簿を誤掲載・1/20発表(4/4)"
    )
    lines = relined(text).text.split("\n")
    assert {"(2/4)", "(3/4)", "(4/4)"} <= set(lines)
    assert any(ln.endswith("1/14発表") for ln in lines)


@pytest.mark.parametrize("sep", ["", " "])
def test_a_digests_numbers_counted_up_in_brackets_open_its_items_whatever_its_breaks(sep: str) -> None:
    text = sep.join([
        "[1] 株式会社ハヤテ通信:取引先へのメールをBccではなくCcで送信し、取引先176人分のメールアドレスが流出。(11/20)",
        "[2] 一般社団法人全国家具協会:会員向けサイトのサーバーが不正アクセスを受け、会員企業340社の担当者情報が流出した可能性(11/23)",
        "[3] 株式会社カネタ精工(報道) 元社員が顧客情報約1万件を転職先に持ち出したとして逮捕。(11/24報道)",
    ])
    lines = relined(text).text.split("\n")
    assert [ln[:3] for ln in lines if ln.startswith("[")] == ["[1]", "[2]", "[3]"]


@pytest.mark.parametrize(
    "text",
    [
        "ご報告いたします。2.業務委託先株式会社ハヤブサ印刷(本社:東京都千代田区丸の内一丁目)"
        "URL:https://www.hayabusa-print.example.jp/3.経緯同社から5月28日に報告がありました。",
        "ご報告いたします。2.個人情報漏えい状況(1)原因弊店サイトのシステムの一部の脆弱性をついた第三者の不正アクセスにより改ざんが行われたため。",
        "お知らせいたします。6.本件に関するお問い合わせ窓口こもれび堂 お客様相談窓口電話番号:0120-000-000受付時間:10:00~17:00(土日祝を除く)",
    ],
)
def test_a_numbered_sections_label_is_not_cut_inside(text: str) -> None:
    # A section's label is no item's heading: it is not cut after its legal form nor mid-word
    lines = relined(text).text.split("\n")
    assert not any(ln.endswith(("株式会社", "漏えい", "お")) for ln in lines), lines
