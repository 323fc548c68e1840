"""The parser's vocabulary: named regex fragments, each spelled out once.

Rules in the other modules are built from these (`rf"(?:{LEAK})した"`), so a new spelling of
a word (漏えい, 漏洩, ろうえい) is added here and every rule that says "leak" learns it.
Fragments are plain alternations without groups, safe inside any other pattern.
"""
from __future__ import annotations

import re


def alt(*words: str) -> str:
    """An alternation of literal words, longest first (so 株式会社 beats 会社)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# ---- what happened ----
LEAK = "漏えい|漏洩|ろうえい|流出"
LEAK_ANY = LEAK + "|窃取|持ち出"
POSSIBLE = "可能性|おそれ|恐れ|懸念"
# "確認されていない", "確認されておりません": a finding denied
DENIED = "確認されて(?:いない|おらず|おりません|いません)"

# ---- who speaks ----
LEGAL_FORMS = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
    "公益社団法人", "公益財団法人", "国立大学法人", "公立大学法人", "学校法人", "社会福祉法人",
    "医療法人社団", "医療法人財団", "医療法人", "独立行政法人", "地方独立行政法人", "国立研究開発法人", "大学共同利用機関法人",
    "認定特定非営利活動法人", "特定非営利活動法人", "認定NPO法人", "NPO法人", "社会医療法人", "宗教法人", "農事組合法人",
    "税理士法人", "弁護士法人", "監査法人", "司法書士法人", "行政書士法人", "社会保険労務士法人", "特許業務法人",
    "(株)", "(有)", "㈱", "㈲",
)
LEGAL = alt(*LEGAL_FORMS)
# A notice's first person: 弊社, 本学, 当院, 本市 … (news quotes say 申し上げます too, so
# only a first-person subject marks a notice).
FIRST_PERSON = (
    "弊社|当社|弊学|本学|当学|当院|本院|弊院|本校|当校|当機構|本機構|弊機構|当法人|本法人|弊法人|本会|当会|弊会|"
    "当館|本館|本市|本県|当市|当県|本町|当町|本村|当村|本区|当区|本庁|当庁|私ども|わたくしども|弊団体|当団体|"
    "当組合|本組合|弊組合|当センター|本センター|弊グループ|当グループ|弊財団|当財団|本財団|弊協会|当協会|本協会|"
    "弊行|当行|本行|弊金庫|当金庫|当事業団|本事業団|当連合会|本連合会|本園|当園|弊園|本省|当省|本部局|当店|弊店|本店(?!舗)"
)

# ---- what is not this incident ----
# Another incident or a survey quoted for comparison: "3504万人分に次ぐ", "東京商工リサーチによると",
# "原因別では不正アクセスが49件", "同業他社で起きた約46万件の流出と比べれば".
COMPARISON = (
    "に次ぐ|史上|過去最大|過去最多|上回る|調査によると|集計によると|リサーチ|統計|集計では|原因別|同業他社|他社で起き|と比べ|"
    "前年同期|昨年同期|別の(?:病院|会社|企業|自治体|大学|学校|医療機関|団体|事業者)が"
)

# ---- what a predicate means (UniDic lemmas, spellings folded: 気づく → 気付く) ----
# The head word of a predicate is a verb's lemma or the noun before a light verb
# (確認し → 確認, 連絡を受け → 連絡); these lists say which event each head word names.
AWARE_WORDS = frozenset({
    "判明", "発覚", "確認", "発見", "検知", "覚知", "認知", "認識", "把握", "気付く", "気付き", "分かる", "判る",
    "見付かる", "見付ける", "察知", "突き止める", "検出",
})
# Something visibly wrong: the day it showed is a day they knew.
ANOMALY_WORDS = frozenset({"異常", "障害", "不具合", "エラー", "不審", "暗号化", "使用不能", "不能", "所在不明", "不明", "漏洩懸念", "懸念"})
# "…できない", "つながらない": what stopped working (with a negation, an anomaly).
UNUSABLE_WORDS = frozenset({
    "使用", "利用", "閲覧", "接続", "アクセス", "起動", "ログイン", "開封", "参照", "稼働", "表示", "操作", "印刷",
    "繋がる", "見当たる", "動く", "開く", "立ち上がる", "使う", "使える", "開ける", "読み込む", "動作", "作動",
})
# Words of telling: received (連絡を受け, 問い合わせが入り) they are a notification to the
# organisation; done (報告し, 届け出) with a recipient they are a report to someone.
TELL_WORDS = frozenset({
    "連絡", "報告", "通知", "指摘", "通報", "問い合わせ", "問合せ", "問い合せ", "相談", "申告", "申し出", "申出", "一報",
    "情報提供", "照会", "苦情", "知らせ", "届け", "届出", "届け出る", "届け出", "速報", "確報", "被害届", "被害申告",
    "情報連携", "申し入れ", "警告", "依頼", "説明", "告訴", "告訴状", "刑事告訴", "告発", "告発状",
})
RECEIVE_LIGHTS = frozenset({"受ける", "有る", "入る", "頂く", "寄せる", "届く", "受領", "受信", "貰う", "受け付ける", "下さる", "来る"})
CONTAIN_WORDS = frozenset({
    "停止", "遮断", "閉鎖", "切り離す", "切り離し", "切断", "隔離", "休止", "中止", "非公開", "無効化", "封鎖", "削除",
    "停止措置", "撤去", "差し止め", "取り下げる", "閉じる", "止める", "凍結", "ロック",
})
DISCLOSE_WORDS = frozenset({
    "公表", "発表", "報道発表", "明らか", "知らせる", "知らせ", "リリース", "公開", "掲載", "謝罪", "会見", "記者会見", "告知", "開示",
})
INCIDENT_WORDS = frozenset({
    "発生", "送信", "送付", "発送", "誤送信", "誤送付", "紛失", "盗難", "盗む", "侵入", "感染", "改竄", "改ざん", "設置",
    "流出", "漏洩", "閲覧", "窃取", "実行", "添付", "発信", "持ち出す", "置き忘れる", "書き換え", "書き換える", "埋め込む",
    "不正ログイン", "不正アクセス", "攻撃", "被害", "配布", "転送", "漏れる", "落とす", "誤配", "送る", "掲示",
    "誤送", "無くす", "失くす", "受信", "ログイン", "アクセス", "取得", "盗み出す", "持ち去る", "紛失届",
    "上げる", "アップロード", "共有", "同封", "配信",
})
# What befalls an organisation (as against what it does: 送信, 公開, 変更): found to have
# happened on a day, it was found that day ("〈日付〉に不正アクセスが発生したことを確認").
HAPPENINGS = frozenset({
    "発生", "感染", "侵入", "攻撃", "不正アクセス", "不正ログイン", "流出", "漏洩", "漏れる", "窃取", "改竄", "改ざん",
    "盗難", "盗む", "紛失", "被害", "閲覧", "暗号化", "書き換え", "書き換える", "埋め込む", "設置", "実行", "持ち出す",
    "取得", "ログイン", "アクセス", "置き忘れる", "落とす", "無くす", "失くす", "盗み出す", "持ち去る",
})
# A misdelivery's act: its data is out the day it is sent.
SEND_WORDS = frozenset({"送信", "送付", "発送", "誤送信", "誤送付", "添付", "送る", "配布", "誤配", "誤送", "同封", "転送", "配信"})
# What an intruder did with an account that exposes no data of its own (迷惑メールを発信).
NOT_EXPOSURE_WORDS = frozenset({"発信", "受信", "送信"})
# A publication's act and the acts that end it: on view from one to the other.
PUBLISH_WORDS = frozenset({"公開", "掲載", "上げる", "アップロード", "掲示", "共有"})
TAKE_DOWN_WORDS = frozenset({"削除", "非公開", "停止", "閉鎖", "撤去", "取り下げる", "差し止め", "止める"})
# The forensic milestones: the day an investigation ended or its report came in.
INVESTIGATION_WORDS = frozenset({"完了", "終了", "受領", "開始", "依頼", "着手", "結果"})
# How the words above begin in running text (kanji stems and the kana spellings of their
# verbs): a sentence that holds none of them after a date gives the date no role, and is
# not worth tokenising.
EVENT_STEMS = (
    "判明", "発覚", "確認", "発見", "検知", "覚知", "認知", "認識", "把握", "気付", "気づ", "きづ", "分か", "わか", "判っ", "見つ",
    "見付", "察知", "突き止め", "検出", "異常", "障害", "不具合", "エラー", "不審", "暗号化", "不能", "不明", "懸念",
    "できな", "できず", "出来な", "出来ず", "されな", "しな", "せず", "不可",
    "つなが", "繋が", "見当た", "動か", "動け", "開か", "開け", "開い", "使え", "読み込", "立ち上が",
    "連絡", "報告", "通知", "指摘", "通報", "説明", "問い合", "問合", "相談", "申告", "申し出", "申出", "一報", "情報提供", "照会",
    "苦情", "知らせ", "届", "告訴", "告発", "速報", "確報", "情報連携", "申し入れ", "警告", "お詫び", "おわび",
    "停止", "遮断", "閉鎖", "切り離", "切断", "隔離", "休止", "中止", "非公開", "無効化", "封鎖", "削除", "撤去", "差し止め",
    "取り下げ", "閉じ", "止め", "凍結", "ロック", "公表", "発表", "明らか", "リリース", "公開", "掲載", "謝罪", "会見", "告知", "開示",
    "発生", "生じ", "起こ", "起き", "送信", "送付", "発送", "配信", "送っ", "送ら", "送り", "送る", "紛失", "盗", "侵入", "感染", "改ざん",
    "改竄", "設置", "流出", "漏洩", "漏えい", "窃取", "実行", "添付", "発信", "持ち出", "持出", "置き忘れ", "書き換", "書換",
    "埋め込", "埋込", "攻撃", "被害", "配布", "転送", "漏れ", "落と", "誤配", "掲示", "無くし", "なくし", "失くし", "受信", "取得",
    "持ち去", "不正アクセス", "不正ログイン", "閲覧", "行わ", "行い", "行っ", "行う", "実施",
)

# ---- how a text is laid out (layout.py, segment.py) ----
# What ends a notice's or an article's title: "…に関するお詫びとお知らせ", "…について(第2報)".
TITLE_END = "お知らせ|お詫び|おわび|ご報告|ご案内|お願い"
# Title endings that as often run on inside a sentence ("…について調査を進め").
TITLE_END_WEAK = "について|に関して|ご連絡|ご説明|まとめ"
# Nouns a news headline ends on ("…1万人情報流出の現実", "…の可能性"): weaker than TITLE_END.
HEADLINE_END = (
    LEAK + "|被害|発生|感染|紛失|盗難|誤送信|誤送付|誤公開|誤掲載|不正アクセス|不正ログイン|可能性|おそれ|恐れ|"
    "懸念|疑い|発覚|判明|公表|発表|処分|事案|事件|事故|攻撃|障害|対策|警告|注意喚起|現実|実態|影響|停止|"
    "相次ぐ|続報|速報|解説|まとめ|使用|不能に|可能に|浮き彫りに|注意|改ざん"
)
# Who a notice is addressed to, alone on its line: お客様各位, 関係者各位, 取引先各位.
SALUTATION = (
    "(?:(?:お|ご)?(?:客様|客さま|取引先様?|取引先|関係者|利用者|株主|会員|保護者|学生|教職員|市民|県民|患者|"
    "関係者の皆様|お客様ならびに関係者|皆様|皆さま)(?:の皆様|の皆さま)?)?各位|御中|"
    # "組合員の皆様へ", "保護者の皆さまへ": a letter's opening to those it tells
    "(?:お客様|お客さま|組合員|会員|保護者|利用者|ご利用者|関係者|市民|町民|村民|県民|住民|学生|患者|受診者|入居者|株主|取引先)"
    "(?:の)?(?:皆様|皆さま|皆さん)へ"
)
# How the body of a notice opens after its title: このたび, 平素より, 弊社 …
BODY_OPEN = "このたび|この度|此の度|平素|先般|今般|さて|本日|先日|" + FIRST_PERSON
# The office a signatory holds: "株式会社X 代表取締役社長 山田太郎"
SIGNATORY = (
    "代表取締役社長|代表取締役|取締役社長|代表理事|理事長|市長|町長|村長|区長|知事|学長|総長|病院長|院長|校長|"
    "会長|社長|センター長|機構長|所長|局長|教育長|代表者"
)
# Marks that open an item of a list or a digest, wherever the line breaks went.
# The labels of a line that says where an item came from: "出典：株式会社X 2025/06/02"
# What a web page sets after its article: related stories, rankings, a share bar.
NAVIGATION = (
    "関連記事|関連する記事|合わせて読みたい|あわせて読みたい|人気記事|人気の記事|おすすめ記事|おすすめの記事|注目記事|"
    "アクセスランキング|この記事を読んだ人は|こちらの記事もおすすめ|新着記事|最新記事|次の記事|前の記事"
)
# What a web page sets before its article: a skip link, the reader's display settings.
PAGE_CHROME = (
    "本文へスキップ|本文へ移動|本文へ|メインコンテンツへスキップ|ナビゲーションをスキップ|文字サイズ|文字の大きさ|背景色|"
    "サイト内検索|ページの先頭へ|音声読み上げ|やさしい日本語"
)
# What a digest item says of its share of another's incident, without a word for the incident:
# "…24万1,530件が対象となる", "対象は…出荷分で、9万8,002件"
AFFECTED_SHARE = r"[0-9](?:件|人|名)分?(?:が|で)?対象|対象は[^。\n]{0,40}?[0-9](?:件|人|名)"
SOURCE_LABEL = "出典|ソース|情報源|情報元|発表元|公表元|リリース元|Source|SOURCE"
# A line that holds a link and at most its label: "URL: https://…", "出典: https://…"
LINK_LINE = rf"[ \t]*(?:(?:URL|url|{SOURCE_LABEL})\s?[:：]\s*)?https?://\S+[ \t]*"
# A post's item marks in emoji (🔴, ⚠️, 📌), with the variation selector some carry.
EMOJI_MARK = "[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?"
HEAVY_MARKS = "■□◆◇●○◎▼▽▲△▶►★☆※"

# A Markdown heading's marks: "## ピックアップ", "### X社のカード情報流出"
MD_HEADING = r"#{2,4}[ \t]"
# A post's time and day as a social site prints them: "午後9:16 · 2025年9月5日"
POST_TIME_DAY = r"(?:午前|午後)\s?[0-9]{1,2}:[0-9]{2}\s*[·・|]\s*(?P<day>(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日)"
# A bulletin board's post header: its number, the poster's name, the time, the poster's ID
# ("2 :名無しさん@お腹いっぱい。:2021/11/08(月) 21:20:44.10 ID:Hk3pQz0a0")
BBS_POST_HEADER = (
    r"[0-9]{1,4}\s?[:：]\s?[^:：\n]{1,40}?\s?[:：]\s?(?:19|20)[0-9]{2}/[0-9]{1,2}/[0-9]{1,2}(?:\s?[(（][^)）\n]{1,3}[)）])?"
    r"\s?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,3})?)?(?:\s?ID:\s?[A-Za-z0-9+/.]{4,12})?"
)
# The fields of a mail's header, as a list's digest or archive keeps them
MAIL_FIELDS = r"From|FROM|To|TO|Cc|CC|Date|DATE|Reply-To|Message-ID|In-Reply-To|Subject|SUBJECT|件名|差出人|宛先|送信者|送信日時?"

# A body's own index of its releases: "報道発表資料一覧", "プレスリリース一覧"
RELEASE_INDEX = "(?:報道発表|記者発表|プレスリリース|ニュースリリース)(?:資料)?一覧"
