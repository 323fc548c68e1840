"""What a date is about: the predicate of the clause it sits in says whether it was found, told, stopped …

A date's role comes from the word after it and the predicate that governs it (clauses.py):

- a label before it (判明日: …, 発表日時 …) names its role outright;
- a predicate that ends right before it makes it the head of a relative clause
  (不正アクセスが発覚した2022年8月19日);
- after it, から/より/以降 open a period, まで closes one, までに is only a bound, 時点/現在 a
  snapshot; 付 dates a document (〈日付〉付で公表); の hands it to the noun after it (〈日付〉の連絡);
- a date set off by 、 belongs to the sentence's own predicates (the chain of clauses that goes
  on from it, past relative clauses and complements, past a quotation to the verb that quotes it:
  "ワコムは11月21日、…と発表した");
- a date followed by に (に、 too: the pause does not undo the particle) belongs to the nearest
  predicate, but to the finding that governs that predicate's complement when the complement is
  something that befell them ("〈日付〉に不正アクセスが発生したことを確認") or a state found as it
  was ("…が行われていることが判明"), not a state that held before it was found ("…されていた
  ことが判明") nor what looking back showed ("ログを確認したところ、…").

A predicate means an event from its head word, its light verb and its arguments (vocab.py):
telling received (連絡を受け, 問い合わせが入り) is a notification; telling done is a report to
whoever it went to (個人情報保護委員会へ, 警察に, お客様に); a finding (判明, 確認, 気付く) is
awareness unless it is negated, is someone else's (委託先が検知), or is what a forensic
investigation concluded (the first awareness came before). The rule id of each role names the
way it was decided and the word that decided it (role.governing.判明, role.chain.連絡).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from . import tables, vocab
from .clauses import SENTENCE_END, Predicate, predicates, sentence_tokens
from .dates import DateMention
from .meaning import NOTICE_OBJECT, POLICE, PPC, Meaning, meaning
from .rules import Rule, rule

AWARENESS = ("notified_by_third_party", "anomaly_detected", "access_confirmed", "leak_possible", "leak_confirmed")
_EVENT_WORDS = tuple(
    vocab.AWARE_WORDS | vocab.TELL_WORDS | vocab.CONTAIN_WORDS | vocab.DISCLOSE_WORDS | vocab.INCIDENT_WORDS
    | vocab.ANOMALY_WORDS | {"完了", "終了", "受領", "受理", "受付"}
)

# ---- around the date ----
# Where a date starts (for rules that end right before one).
DATE_AHEAD = r"(?=(?:19|20)[0-9]{2}|[0-9]{2}年|令和|平成|R[0-9]|H[0-9]|[0-9]{1,2}[月日]|同[年月]|翌[0-9年月]|(?:今|昨|去|本)年|[今先前]月[0-9])"
# What may stand between a date and the particle after it: a weekday, a time, 頃, 当日.
TAIL = rule(
    "role.tail",
    r"(?:\s?\([^)\n]{1,6}\))?\s*(?:の(?=\s*(?:午前|午後|正午|未明|深夜|夕方|夕刻|早朝|朝|昼|夜|夕|[0-9]{1,2}(?::|時))))?\s*(?:(?:午前|午後|正午|未明|深夜|夕方|夕刻|早朝|朝|昼|夜|夕)\s*)?(?:[0-9]{1,2}(?::[0-9]{2}|時(?:[0-9]{1,2}分)?(?:半)?)\s*)?(?:(?:頃|ごろ|ころ|過ぎ|当日|未明|深夜|夕方|夕刻|朝|夜|夕|中)\s*)*",
    examples=["2022年10月31日16:01に不正ログインがあったことが判明しました。", "令和4年6月19日午後5時40分頃から、システムが使用不能となりました。",
              "病院は2021年10月31日、ランサムウエアに感染したと発表した。同日の午前0時半、文書が大量に印刷されているのを看護師が発見した。"],
)
# The particle after the date (and its tail) says how the date joins the sentence.
MARKER = rule(
    "role.marker",
    r"(?P<asof>時点|現在(?!の)|の時点)|(?P<until>までに)|(?P<to>まで)|(?P<from>から|より|以降|以後)(?!の(?:連絡|報告|通知))"
    r"|(?P<dated>付)|(?P<of>の)|(?P<also>及び|および|並びに|ならびに|と(?=同[年月日]|翌|[0-9令平]))|(?P<comma>[、,]|(?:は|も)[、,]|[ ]?[-‐－―–][ ](?=\S))|(?P<at>には|にも|に|は|も|で)",
    examples=["2022年8月19日にカード会社から連絡を受けました。", "2023年4月5日時点で漏洩は確認されていません。",
              "2022年7月1日付でお知らせしました。"],
)
# A date and the word for its announcement right after it: "（1月9日公表）", "9月10日発表。"
ANNOUNCED_ON = rule(
    "role.announced_on",
    r"\s?(?:\([^)\n]{1,4}\))?\s?(?:(?:公表|発表|プレスリリース|報道発表)(?:[)）」】]|\s|$|。|、)|掲載[)）])",
    examples=["●株式会社ホクセイ電工（2024年1月9日公表）", "雑貨ブランドの通販サイトで流出の可能性。2024年9月10日発表。", "1.X市「お知らせ」(7月14日掲載)"],
    must_not=["2024年1月9日に不正アクセスを確認しました。", "協議会が2017年3月8日に公表した計画では、", "5月1日掲載の資料に氏名が記載されていました。"],
)
# The word a bracketed date stands for: "本日(2024年5月20日)".
DAY_WORD = rule(
    "role.day_word", r"(?:本日|今日|昨日|当日|同日|翌日|前日)[(（]" + DATE_AHEAD,
    examples=["本日(2024年5月20日)、当社ホームページにて本件を公表いたしました。"],
)
# A label before the date names its role: "判明日:", "発表日時", "1.発生日時\n令和7年12月4日".
LABEL = rule(
    "role.label",
    r"(?:(?P<label>判明|発覚|発見|覚知|検知|認知|発生|発表|公表|掲載|公開|リリース|発行|停止)(?:日|日時|日付|年月日)|(?<=【)(?P<blabel>公表|発表|判明|発覚|発生)(?=】))"
    r"\s*[】\]]?\s*[::|｜]?\s*" + DATE_AHEAD,
    examples=["発表日時2024/1/17\nケーズホールディングスの通販サイトにて不正ログインを確認しました。",
              "判明日:2023年5月10日\n発表日:2023年5月20日\n当社サーバーへの不正アクセスが判明しました。",
              "1.発生日時\n令和7年12月4日(木曜日)14時14分\n2.発生状況\nメールを誤って送信しました。",
              "| 判明日 | 2024年5月10日 |\n| 公表日 | 2024年5月20日 |", "【対象】ミカゲ化成株式会社 【公表】2024/11/05"],
    must_not=["判明した", "発表日時点"],
)
# A digest item's source line ends with the day the source published it.
SOURCE_DATE = rule(
    "role.source_date",
    rf"\s*(?:{vocab.SOURCE_LABEL})\s?[:：]\s*[^\n]{{2,60}}?[\s、,(（]\s*",
    examples=(" 出典:株式会社ミズホシ住建 ",),
    documents=(
        "週刊セキュリティニュース 2025年6月第1週\n\n"
        "リフォーム会社の顧客管理システムに不正アクセス、最大2万9千件流出の恐れ\n 出典:株式会社ミズホシ住建 2025/06/02\n"
        "株式会社ミズホシ住建は、顧客管理システムが不正アクセスを受け、最大29,418件が流出した可能性があると発表した。\n\n"
        "市の委託業者が健診案内を誤封入、412人分が別人に\n 出典:ほしみ野市 2025/06/04\n"
        "ほしみ野市は、委託先で封入作業に誤りがあり、市民412人分の受診案内が別の市民あてに発送されていたと発表した。\n",
    ),
)
CLEFT_AWARE = rule(
    "role.cleft_aware",
    r"(?:気付|気づ|判明し|発覚し|把握し|検知し|認識し|発見し|(?:連絡|報告|通報|指摘)を受け)(?:い)?たのは、?\s*",
    examples=("異常に気付いたのは", "流出が判明したのは", "カード会社から連絡を受けたのは"),
    documents=("同社は8月21日、会員サイトで不正ログインがあったと発表した。異常に気付いたのは2025年8月14日。ログイン失敗の急増を検知した。",),
)
# "職員がIDを入力したのは、9月9日であったことが分かっております": a cleft sentence gives the
# date of the act its のは clause tells; the finding after it was later.
CLEFT_ACT = rule(
    "role.cleft_act",
    r"(?:た|る)のは、?\s*",
    examples=("入力したのは、", "送信されたのは"),
    documents=("会員から連絡があり、当該アカウントへの不正ログインが判明しました。その後の確認で、職員が偽のログイン画面にパスワードを入力したのは、"
               "2016年9月9日であったことが分かっております。",),
)
_CLEFT_COPULA = re.compile(r"\s*(?:\([^()\n]{1,4}\)\s*)?(?:であった|だった|でした|であり|です|と(?:判明|分か|わか))")
CLEFT_SAID = rule(
    "role.cleft_said",
    r"(?:公表|発表|公開|掲載)(?:したのは|されたのは|は)、?\s*",
    examples=("公表は", "同社が発表したのは"),
    must_not=("公表に",),
    documents=("医師が患者312人分のデータ入りノートPCを置き忘れた。2025年9月1日に気付いた。公表は9月4日。",),
)
# A table's column headed by such a label ("公表日 | 組織 | 概要"): the dates under it.
_COLUMN_WORDS = r"(?P<label>判明|発覚|発見|覚知|検知|認知|発生|発表|公表|掲載|公開|リリース|停止)(?:日|日時|日付|年月日)"
COLUMN_LABEL = rule(
    "role.column_label",
    rf"\s*{_COLUMN_WORDS}\s*",
    examples=["公表日", " 判明日時 "],
    must_not=["組織", "概要"],
    documents=[
        "今週の公表事案\n| 公表日 | 組織 | 概要 |\n|---|---|---|\n| 2024年5月20日 | 株式会社サクラ電工 | 通販サイトへの不正アクセスでカード情報が流出。 |\n"
        "| 2024年5月21日 | 東雲大学 | 教員のメールアカウントが乗っ取られ、迷惑メールを送信。 |\n"
        "| 2024年5月22日 | 北風運輸株式会社 | ランサムウェアに感染し、顧客情報が暗号化された。 |\n"
    ],
)
_LABEL_ROLE = {
    "判明": "access_confirmed", "発覚": "access_confirmed", "発見": "access_confirmed", "覚知": "access_confirmed",
    "検知": "anomaly_detected", "認知": "access_confirmed", "発生": "incident_start", "発表": "disclosed", "公表": "disclosed",
    "掲載": "disclosed", "公開": "disclosed", "リリース": "disclosed", "発行": "disclosed", "停止": "containment",
}
# "●X市（3月14日）": a date in brackets that ends an item's heading.
ITEM_DATE = rule(
    "role.item_date", r"[)）]\s*(?:\n|$)",
    examples=["1 有限会社コトリ工房(3月4日)\n"],
    documents=[
        "2025年3月の事案\n\n1 有限会社コトリ工房(3月4日)\n通販サイトが不正アクセスを受け、カード情報1,027件が流出した可能性がある。\n\n"
        "2 青葉ヶ台市(3月14日)\n市のウェブサイトに掲載した資料で、17名の氏名と住所が読み取れる状態になっていた。\n\n"
        "3 ソラハネ旅行株式会社(3月21日)\n予約確認メールを誤送信し、顧客438名分の氏名が別の顧客に届いた。\n"
    ],
)
# What may stand between an item's heading and its bracketed date: a name or a headline, no
# sentence ("1 有限会社コトリ工房(3月4日)手芸用品の…" in text that lost its line breaks).
_NAME_THEN_BRACKET = re.compile(r"[^。\n()]{2,60}\(")
# A digest's lead saying what its items' dates are: the day each body announced
ITEM_DATES_ANNOUNCED = rule(
    "role.item_dates_announced",
    r"(?:(?:冒頭|先頭|見出し|各(?:記事|項目|事案)の?(?:冒頭|先頭)?)の?(?:日付|日)|(?<![0-9年月])日付)は、?[^。\n]{0,15}"
    r"(?:発表日|公表日|発表した日|公表した日|発表された日|公表された日)"
    # (a body's own index of its releases: every date on it is a release's)
    rf"|{vocab.RELEASE_INDEX}",
    examples=["各記事冒頭の日付は、各組織の発表日です。", "各組織が公表した日ごとに並べました。日付は公表日です。", "報道発表資料一覧(令和7年10月)"],
    must_not=["発行日は毎月28日です。"],
    documents=[
        "ニュースレター 2023年4月号\n\n各記事冒頭の日付は、各組織の発表日です。\n\n"
        "==========\n2023.04.03(月)\n株式会社カイツブリ物流\n配送管理システムが不正アクセスを受け、顧客情報が流出した可能性がある。\n"
        "==========\n2023.04.10(月)\n株式会社ユウナギ\nポイントサービスに不正ログインがあり、会員の登録情報が閲覧された可能性がある。\n"
        "==========\n2023.04.21(金)\n国立大学法人南風大学\n共有設定の誤りで、学生の名簿が外部から閲覧できる状態だった。\n"
    ],
)
_ANNOUNCED_BEFORE = re.compile(r"(?:発表|公表|明らかに)(?:した|しました|している|しています)\Z")
LAST_CELL = rule(
    "role.last_cell", r"\s*(?:[(（][^()（）\n]{1,8}[)）])?\s*[|｜]?\s*",
    examples=("(現地時間)",),
    documents=(
        "サイバー脅威月報 2025年2月版\n\n■国内の主な被害公表\n\n"
        "株式会社ユキワリ化成(化学)|ランサムウェア|2月3日\n1月29日に社内サーバーのファイルが暗号化されていることを確認した。\n\n"
        "かすみ野市(自治体)|誤送信|2月14日\n保育課の職員が、児童と保護者計586人分の氏名を誤って送信した。\n\n"
        "Kestrel Mobile(英国・通信)|不正アクセス|2月18日(現地時間)\n約420万件の顧客記録が持ち出された。\n",
    ),
)
_CELL_BEFORE = re.compile(r"[|｜]\s*\Z")
# "第1報(2024年9月10日)": a report's own date.
NTH_REPORT = rule(
    "role.nth_report", r"第[0-9一二三四五]報\s*[(]?\s*" + DATE_AHEAD,
    examples=["当院は2024年9月20日に第2報を公表しました。第1報(2024年9月10日)でお知らせしたとおり、ネットワークを遮断しました。"],
)
# "2022年7月25日から現在まで": a period still open, not an event.
UNTIL_NOW = rule(
    "role.until_now", r"\s*(?:から|以降)\s*(?:現在|今日|本日)",
    examples=["2022年7月25日から現在まで、不正アクセスの影響を調査しております。"],
)
EVENT_STEM = rule(
    # behind a one-class lookahead on the stems' first characters: a fast scan
    "role.event_stem", "(?=[" + "".join(sorted({w[0] for w in vocab.EVENT_STEMS})) + "])(?:" + vocab.alt(*vocab.EVENT_STEMS) + ")",
    examples=["2022年8月19日にカード会社から連絡を受けました。"],
    must_not=["2022年8月19日時点の会員数は1万人です。"],
)
# A predicate that ends right before a date makes the date its head noun ("発覚した2022年…").
MODIFIER_END = rule(
    "role.modifier_end", r"(?:た|る|い|だ)\s*" + DATE_AHEAD,
    examples=["不正アクセスが発覚した2023年5月10日当日に、サーバーを停止しました。"],
)
# News: "…が漏れたことが2022年11月17日分かりました": the day it came out.
REVEALED = rule(
    "role.revealed", r"(?:こと|の)が、?" + DATE_AHEAD,
    examples=["生徒の個人情報などが入った音声データが複数の生徒に漏れたことが2022年11月17日分かりました。"],
)
# The words of awareness left in a sentence an excerpt cut off before its verb.
CUT_EVENT = rule(
    "role.cut_event",
    r"(?P<anomaly>(?:漏えい|漏洩|流出)(?:の)?(?:懸念|可能性)|異常|不具合|障害)|(?P<told>(?:から|より)(?:の)?(?:連絡|指摘|通報|通知|報告|問い合わせ))",
    examples=["1.経緯\n2023年3月17日、本件サイトを利用したお客様のクレジットカード情報の漏洩懸念を弊社"],
)
# The head of a relative clause that is the one who told: "受け取った方から連絡".
REL_TELLER = rule(
    "role.rel_teller", r"[^\s、。をにがは]{1,6}?(?:から|より)(?:の)?",
    examples=["令和6年6月5日に発送した通知書に別の方の通知書が同封されていました。6月10日に受け取った方から連絡があり、判明しました。"],
)
# The notice a relative clause dates, read as the source: "4月15日に出したお知らせによると"
REL_NOTICE = rule(
    "role.rel_notice", r"(?:お知らせ|(?:プレス|ニュース)リリース|発表文|公表文|文書)(?:によると|によれば|では|で|にて|の中で)",
    examples=("2026年4月15日に出したお知らせによると、職員がIDとパスワードを入力した。",),
    must_not=("2024年5月10日に公開した資料には個人情報は含まれておりません。",),
)
# …and what they told through, when a finding follows it: "受け取った市民からの問い合わせで発覚"
TOLD_THROUGH = rule(
    "role.told_through",
    r"[^\s、。をにがは]{1,6}?(?:から|より)の?ご?(?:連絡|問い?合わ?せ|指摘|通報|電話|申し?出|苦情|相談|メール|報告|一報)"
    r"(?:で|により|によって|を受けて?|があり|が入り)、?",
    examples=["2024年12月2日に通知書を受け取った市民からの問い合わせで発覚しました。"],
    must_not=["受け取った市民からの問い合わせの件数"],
)
# A finding that the clause before brought about: "警告が出たことで判明し"
MEANS_OF_FINDING = rule(
    "role.means_of_finding", r"(?:こと|の)(?:で|により|によって|から)、?",
    examples=["2025年6月24日にセキュリティソフトの警告が出たことで判明しました。"],
    must_not=["所在が分からないことが判明した。"],
)
# An occasion that a finding came in: "5月30日の棚卸しで…が判明した"
OCCASION = rule(
    "role.occasion",
    r"(?:定期|年次|月次)?(?:点検|棚卸し?|監査|照合|巡回|見回り|確認作業|チェック|整理|集計|在庫確認|所在確認)(?:作業)?"
    r"(?:で|の際に?|時に|中に|において)、?",
    examples=["2025年5月30日の棚卸しで所在が分からないことが判明した。"],
    must_not=["点検の結果"],
)
_FOUND_LATER = re.compile(r"判明|発覚|気付|気づ|把握|発見")
_DAY_BETWEEN = re.compile(r"[0-9]日|同日|翌日")
# A quotation's end right before the verb that says it: "…可能性があると発表した".
QUOTED_BEFORE = rule(
    "role.quoted_before", r"(?:[^\s、。]と|との|旨の?)(?=[一-龥ぁ-んァ-ヶ])",
    examples=["サクラ電工は2024年5月21日、同社のサーバーが不正アクセスを受け、顧客の個人情報が流出した可能性があると発表した。"],
    must_not=["2024年5月21日、カード会社", "その旨。"],
)
# A later time in the same sentence starts a new event: "その後", "後日".
LATER = rule(
    "role.later", r"その後|後日|のちに|後に",
    examples=["2022年8月19日、カード会社から連絡を受け、その後、決済を停止しました。"],
)

# The one who told, named before what they said: "当該教員より、…との一報を受け".
TELLER = rule(
    "role.teller", r"(?:から|より)(?:、|の)?",
    examples=["2022年11月1日に、当該教員より大量の迷惑メールを受信しているとの一報を受けて、調査をしました。"],
)
# A teller named right after a date and its に: "5月10日にカード会社より、…"
TELLER_LEAD = rule(
    "role.teller_lead", r"[^、。\n]{2,30}?(?:から|より)(?:、|の)",
    examples=["2023年5月10日にクレジットカード会社より、当社サイトで利用されたカードの不正利用の可能性について連絡があり、発覚しました。"],
    must_not=["から", "当社より"],
)
# A finding that a forensic investigation concluded: the first awareness came before it.
FORENSIC = rule(
    "role.forensic",
    r"(?:調査機関|専門機関|第三者機関|外部機関|専門会社|専門業者|フォレンジック|第三者調査|外部専門家|調査会社|セキュリティ会社|専門家)"
    r"[^。]{0,40}?(?:調査|解析)|(?:調査|解析)(?:が|は)?(?:完了|終了)",
    examples=["2024年7月7日に調査機関による調査が完了し、クレジットカード情報が漏洩した可能性があることが判明した。"],
    must_not=["2022年7月28日、カード会社から連絡を受け、調査を開始しました。"],
)
# How the finding came: from looking (ログを確認したところ, 調査の結果), so a date inside
# the complement is of what they found there.
FINDING_PROCESS = rule(
    "role.finding_process", r"(?:した|いた)ところ|(?:調査|確認|解析|分析|点検)の結果|ログ(?:から|を|の)",
    examples=["ログを確認したところ、2022年10月31日16:01に該当教員のメールアカウントへの不正ログインがあったことが判明しました。"],
)
LEAK = rule(
    "role.leak", rf"(?:{vocab.LEAK_ANY})",
    examples=["2022年12月8日、クレジットカード情報が漏洩した可能性があることを確認しました。"],
)
POSSIBLE = rule(
    "role.possible", rf"(?:{vocab.POSSIBLE})",
    examples=["2022年12月8日、クレジットカード情報が漏洩した可能性があることを確認しました。"],
)
# A stop made because of the attack: the day of the stop is a day they knew.
CAUSE = rule(
    "role.cause",
    r"(?:不正アクセス|サイバー攻撃|攻撃|感染|ランサムウェア|ランサムウエア|漏えい|漏洩|流出|改ざん|改竄|侵入)(?:の可能性)?(?:により|によって|のため|を受け|が発生し|を確認し|を受けて)",
    examples=["2024年7月22日、通販サイトでの不正アクセスにより、サービスの一時停止とカード決済の停止措置を取りました。"],
)

# ---- periods ----
RANGE_GAP = rule(
    "role.range_gap",
    # (possessive: a run of spaces is read one way, not in every split between the parts —
    # a PDF's centred line of forty spaces before "-" took minutes)
    r"\s*+(?:\([^)]{1,6}\))?\s*+(?:午前|午後|正午|未明|深夜|夕方|頃|ごろ|[ 0-9:時分]{1,12}|中)*+\s*+(?:~|-|–|から|より)\s*" + DATE_AHEAD,
    examples=["2022年1月1日~2022年3月31日の期間に購入されたお客様のカード情報が流出しました。"],
)
EXPOSURE_AFTER = rule(
    "role.exposure_after",
    r"^[^。\n]{0,40}?(?:期間|の間|にかけて|まで|購入|入力|利用|注文|決済|閲覧|公開|登録|アクセス|掲載|送信|発信)",
    examples=["2022年1月1日から2022年3月31日までの間に入力されたカード情報が流出しました。"],
)
PERIOD_LABEL = rule(
    "role.period_label", r"(?:期間|対象期間|漏えい期間|漏洩期間|流出期間|発生期間)\s*(?:は|[】\]])?\s*[::]?\s*" + DATE_AHEAD,
    examples=["(1) 個人情報が流出した可能性のあるお客様\n- 対象期間:2024年6月23日~6月30日\n- 影響人数:203人",
              "閲覧可能だった期間は昨年12月20日から今月8日までの約3週間。"],
)


@dataclass(frozen=True)
class Role:
    type: str
    rule: str
    date: DateMention
    start: int  # evidence: the date and the words that gave it its role
    end: int
    aware: bool = True  # counts as the organisation's own first awareness
    also: str | None = None  # the same words name a second event (委員会及び警察に報告)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    preds: tuple[Predicate, ...]
    index: dict[int, int] = field(default_factory=dict)  # a predicate's first word → its place
    dates: tuple[int, ...] = ()  # where the segment's dates start, in order
    memo: dict[int, Meaning | None] = field(default_factory=dict)  # per call: meanings read once


def _ends_at(r: Rule, text: str, lo: int, d: DateMention) -> re.Match[str] | None:
    """r's match that ends right where date d starts (r ends with a look at the date)."""
    for m in r.pattern.finditer(text, lo, d.end):
        if m.end() == d.start:
            return r.search(text, m.start(), d.end)
    return None


def _tail_end(text: str, d: DateMention, limit: int) -> int:
    return _tail_end_at(text, d.end, limit)


def _tail_end_at(text: str, pos: int, limit: int) -> int:
    return TAIL.match(text, pos, limit).end()  # type: ignore[union-attr]


class _Reader:
    """The sentences of one segment, tokenised on first use (per call, never shared)."""

    def __init__(self, text: str, seg_start: int, seg_end: int, date_starts: frozenset[int], title_start: int | None = None) -> None:
        self.text = text
        self.title_start = title_start
        self.seg_start = seg_start
        self.seg_end = seg_end
        self.date_starts = date_starts
        self.date_order = tuple(sorted(date_starts))
        self.ends = _sentence_ends(text, seg_start, seg_end)
        self.cache: dict[int, _Sentence] = {}

    def bounds(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.ends, pos)
        return (self.ends[k - 1] if k > 0 else self.seg_start), (self.ends[k] if k < len(self.ends) else self.seg_end)

    def sentence(self, pos: int) -> _Sentence:
        start, end = self.bounds(pos)
        s = self.cache.get(start)
        if s is None:
            toks = sentence_tokens(self.text, start, end)
            preds = tuple(predicates(self.text, toks, self.date_starts, _EVENT_WORDS))
            s = _Sentence(start, end, preds, {p.first: k for k, p in enumerate(preds)}, self.date_order)
            self.cache[start] = s
        return s


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Where the sentences of text[start:end] end; not at a 。 inside a quotation that closes
    soon after (「…届いた。住所を…」との問い合わせが入り: one sentence)."""
    out = []
    prev, depth = start, 0
    for m in SENTENCE_END.finditer(text, start, end):
        depth = max(0, depth + text.count("「", prev, m.end()) - text.count("」", prev, m.end()))
        prev = m.end()
        if depth and text[m.start()] == "。" and "」" in text[m.end() : min(end, m.end() + 100)]:
            continue
        depth = 0
        out.append(m.end())
    return out


def _args_start(sent: _Sentence, k: int) -> int:
    """Where predicate k's arguments begin: after the sentence's previous closed clause
    (a final predicate, or one of its own followed by 、; 誤って送信 is one clause)."""
    for j in range(k - 1, -1, -1):
        p = sent.preds[j]
        if p.kind == "final" or (p.top and p.pause):
            return p.end
    return sent.start


def _refine(m: Meaning, text: str, start: int, end: int) -> str:
    """What was found: that data left (or may have), not only that someone got in."""
    if m.type == "access_confirmed" and LEAK.search(text, start, end):
        return "leak_possible" if POSSIBLE.search(text, start, end) else "leak_confirmed"
    return m.type


_POLICE_SAYS = re.compile(r"(?:警視庁|県警|府警|道警|警察(?:署|本部)?|署)[^、。\n]{0,12}(?:は|が)")
_ARREST = re.compile(r"逮捕|書類送検|送検|摘発")


def police_news(text: str, start: int, at: int, end: int) -> bool:
    """Whether the sentence text[start:end] is the police's news of an arrest, told with the
    police as its subject before `at` (警視庁生活経済課は18日、…を逮捕したと発表した)."""
    return _POLICE_SAYS.search(text, start, at) is not None and _ARREST.search(text, start, end) is not None


def date_roles(
    text: str, dates: list[DateMention], seg_end: int, seg_start: int | None = None, title_start: int | None = None
) -> tuple[list[Role], list[tuple[DateMention | None, DateMention | None, str]]]:
    """(roles of single dates, exposure periods) for the dates of one segment (and where its
    headline starts, when it has one)."""
    if not dates:
        return [], []
    s0 = dates[0].start if seg_start is None else seg_start
    if seg_start is None:
        s0 = max(text.rfind("\n\n", 0, s0), text.rfind("。", 0, s0), 0)
    roles: list[Role] = []
    periods: list[tuple[DateMention | None, DateMention | None, str]] = []
    in_range: set[int] = set()
    # Periods first: a date that starts or ends a period is not an awareness date.
    for a, b in zip(dates, dates[1:], strict=False):
        gap = RANGE_GAP.match(text, a.end, b.end)
        if gap and gap.end() == b.start:
            after = text[b.end : min(seg_end, b.end + 60)]
            label = _ends_at(PERIOD_LABEL, text, max(s0, a.start - 20), a)
            if a.value and b.value and a.value <= b.value and (label or EXPOSURE_AFTER.match(after)):
                periods.append((a, b, "exposure.range"))
                in_range.update((a.start, b.start))
    reader = _Reader(text, s0, seg_end, frozenset(d.start for d in dates), title_start)
    for k, d in enumerate(dates):
        if d.start in in_range or d.value is None:
            continue
        nxt = dates[k + 1] if k + 1 < len(dates) else None
        found, period = _roles_of(text, reader, d, nxt)
        if any(r.type == "disclosed" for r in found):
            ss, se = reader.bounds(d.start)
            if police_news(text, ss, d.start, se):
                # "警視庁生活経済課は18日、…を逮捕したと発表した": the police's news, not the body's
                found = [r for r in found if r.type != "disclosed"]
        for r in found:
            roles.append(r)
            if r.also is not None:
                roles.append(Role(r.also, r.rule, r.date, r.start, r.end))
        if period is not None:
            periods.append(period)
    return roles, periods


def _roles_of(
    text: str, reader: _Reader, d: DateMention, nxt: DateMention | None
) -> tuple[list[Role], tuple[DateMention | None, DateMention | None, str] | None]:
    sent_start, sent_end = reader.bounds(d.start)
    # A label before the date, on its line or the line above.
    look = max(reader.seg_start, d.start - 16)
    lab = _ends_at(LABEL, text, look, d)
    if lab:
        word = lab.group("label") or lab.group("blabel")  # 【公表】2024/11/05 too
        return [Role(_LABEL_ROLE[word], "role.label." + word, d, lab.start(), d.end)], None
    if SOURCE_DATE.fullmatch(text, d.line(text)[0], d.start) and not text[_tail_end(text, d, len(text)) : d.line(text)[1]].strip():
        # "出典：株式会社X 2025/06/02": the item's source and the day it came out
        return [Role("disclosed", SOURCE_DATE.id, d, d.start, d.end)], None
    col = _column_label(text, d)
    if col is not None:
        return [Role(_LABEL_ROLE[col.group("label")], "role.column_label." + col.group("label"), d, d.start, d.end)], None
    cleft = _ends_at(CLEFT_AWARE, text, max(sent_start, d.start - 16), d)
    if cleft:
        # "異常に気付いたのは8月14日": the date a cleft sentence gives its awareness
        return [Role("access_confirmed", CLEFT_AWARE.id, d, cleft.start(), d.end)], None
    act = _ends_at(CLEFT_ACT, text, max(sent_start, d.start - 6), d)
    if act and _CLEFT_COPULA.match(text, _tail_end(text, d, sent_end)):
        # the date of the act the のは clause tells, not of the finding that follows it
        sent = reader.sentence(d.start)
        p = next((x for x in sent.preds if x.kind == "rel" and x.end <= act.start() + 2 and x.end >= act.start()), None)
        m = _mean(text, sent, p) if p is not None else None
        if m is None or m.type in ("access_confirmed", "investigation"):
            return [], None
        return [Role(m.type, CLEFT_ACT.id + "." + m.word, d, p.start, d.end, m.aware)], None  # type: ignore[union-attr]
    said = _ends_at(CLEFT_SAID, text, max(sent_start, d.start - 12), d)
    if said:
        # "公表は昨日", "発表は今日の夕方": the day a cleft sentence gives its announcement
        return [Role("disclosed", CLEFT_SAID.id, d, said.start(), d.end)], None
    ann = ANNOUNCED_ON.match(text, d.end, min(len(text), d.end + 16))
    if ann is not None:
        return [Role("disclosed", "role.announced_on", d, d.start, ann.end())], None
    if _ends_at(NTH_REPORT, text, max(sent_start, d.start - 12), d):
        return [Role("disclosed", "role.nth_report", d, d.start, d.end)], None
    # A date line above a headline dates the item, not what the headline says happened.
    ls, le = d.line(text)
    if reader.title_start is not None and ls == reader.title_start and not text[ls : d.start].strip(" \t・-"):
        # "2025-04-03 X社 …": the date that opens an item's line, its announcement when the
        # page says so
        if ITEM_DATES_ANNOUNCED.search(text, 0, min(reader.seg_start, 1500)):
            return [Role("disclosed", ITEM_DATES_ANNOUNCED.id, d, d.start, d.end)], None
    if ls >= reader.seg_start and not text[ls:d.start].strip(" \t・-") and not text[_tail_end(text, d, le):le].strip():
        nl = le + 1
        while nl < len(text) and text[nl] == "\n":
            nl += 1
        if nl == reader.title_start:
            # the segment's headline: the date is the item's, and its announcement's when the
            # page says so ("各記事冒頭の日付は、各組織の発表日です")
            said = ITEM_DATES_ANNOUNCED.search(text, 0, min(reader.seg_start, 1500))
            return ([Role("disclosed", ITEM_DATES_ANNOUNCED.id, d, d.start, d.end)] if said else []), None
    # "株式会社X（化学）｜ランサムウェア｜2月3日": the last cell of an item's heading row is
    # the day the item came out
    if reader.title_start is not None and ls <= reader.title_start < d.start and LAST_CELL.fullmatch(text, _tail_end(text, d, le), le):
        if _CELL_BEFORE.search(text, ls, d.start):
            return [Role("disclosed", LAST_CELL.id, d, d.start, d.end)], None
    # "魚拓データ(2019/12/27)が見つかりました": a date in brackets after a noun is that thing's
    # date; after 本日 or 同日 it is the date that word stands for ("本日(5月20日)、公表").
    tail = _tail_end(text, d, sent_end)
    if d.start > 0 and text[d.start - 1] in "(（" and text.startswith((")", "）"), tail):
        if not _ends_at(DAY_WORD, text, max(sent_start, d.start - 4), d):
            # "カード会社からの連絡(2024年5月10日)を受け": the date of the event the noun names
            if _ANNOUNCED_BEFORE.search(text, max(sent_start, d.start - 12), d.start - 1):
                # "…と発表した（4日）": the day of the announcement the sentence reports
                return [Role("disclosed", "role.bracketed.announced", d, d.start, d.end)], None
            ev = next((m for m in _OF_NOUNS.finditer(text, max(sent_start, d.start - 12), d.start - 1) if m.end() == d.start - 1), None)
            if ev is not None and ev.lastgroup in ("notified", "disclosed", "aware"):
                return [Role(_OF_TYPE[ev.lastgroup], f"role.bracketed.{ev.group()}", d, ev.start(), d.end)], None
            ls, le = d.line(text)
            if reader.title_start is not None and ls <= reader.title_start < d.start and (
                ITEM_DATE.match(text, tail, le + 1) or _NAME_THEN_BRACKET.fullmatch(text, reader.title_start, d.start)
            ):
                # "1 有限会社X(3月4日)": the date an item's heading gives, when the item came out
                return [Role("disclosed", ITEM_DATE.id, d, d.start, d.end)], None
            return [], None
        tail = _tail_end_at(text, tail + 1, sent_end)
    mk = MARKER.match(text, tail, sent_end)
    how = mk.lastgroup if mk else "none"
    after = mk.end() if mk else tail
    if how in ("asof", "until") or UNTIL_NOW.match(text, d.end, sent_end):
        return [], None
    if how == "of":
        return _of_noun(text, sent_end, d, after), None
    # Only a relative clause right before the date, or a word of an event after it, can
    # give it a role; a sentence with neither is not tokenised.
    modified = _ends_at(MODIFIER_END, text, max(sent_start, d.start - 4), d) is not None
    if not modified and not EVENT_STEM.search(text, after, sent_end):
        return [], None
    sent = reader.sentence(d.start)
    preds = sent.preds
    # The head of a relative clause: "不正アクセスが発覚した2022年8月19日".
    for p in preds if modified else ():
        if p.kind == "rel" and p.end <= d.start and not text[p.end : d.start].strip():
            m = _mean(text, sent, p)
            if m is not None and m.type != "investigation":
                return [Role(m.type, f"role.modifier.{m.word}", d, p.start, d.end, m.aware)], None
    if how == "dated":
        return _dated_document(text, sent, d, after), None
    later = [x for x in preds if x.end > after and x.start >= d.end]
    if how in ("from", "to"):
        return _bound(text, sent, d, later, how)
    if how == "comma":
        said = _opening_saying(text, sent, d, later)
        if said is not None:
            return [said], None
    # Stop at the next date that has a clause of its own; a date with nothing but its
    # arguments between it and the next date shares that one's predicate
    # ("X日にはAから、Y日にはBから、それぞれ報告を受け").
    stop = sent.end
    x = nxt  # the dates are in order: the next one is the only one to look at
    if x is not None and d.start < x.start < sent.end:
        if any(d.end <= p.start < x.start for p in preds) or how not in ("comma", "at", "also"):
            stop = x.start
    lat = LATER.search(text, after, stop)
    if lat:
        stop = lat.start()
    later = [p for p in later if p.start < stop]
    if not any(p.top for p in later) and how in ("comma", "none") and sent.end == reader.seg_end and not text[sent.start : sent.end].rstrip().endswith("。"):
        # An excerpt cut off before its verb ("2023年3月17日、…の漏洩懸念を弊社"): what the
        # fragment names is all there is.
        cut = None
        for found in CUT_EVENT.finditer(text, after, stop):
            cut = found  # the last of them, nearest the cut
        if cut is not None:
            etype = "anomaly_detected" if cut.lastgroup == "anomaly" else "notified_by_third_party"
            return [Role(etype, f"role.cut.{cut.group()}", d, d.start, cut.end())], None
    if not later:
        return [], None
    if how in ("comma", "none") and later[0].word == "分かる" and _ends_at(REVEALED, text, max(sent.start, d.start - 4), d):
        # News: "…ことが17日、分かった" says when it came out, not when they learned it.
        return [Role("disclosed", "role.revealed.分かる", d, d.start, later[0].end)], None
    if how == "comma" or (how == "none" and (not text[sent.start : d.start].strip(" \t\n・-●■◆▼※") or text[sent.start : d.start].rstrip().endswith("、"))):
        # "2022年6月24日弊社が…停止いたしました", "・令和6年5月28日(火) 委託先から報告":
        # a date that opens its sentence, clause or row with nothing after it belongs to the
        # clauses that follow.
        return _chain(text, sent, d, later), None
    if how == "also":  # "8月22日及び同年10月17日に報告": the date shares the next one's predicate
        return _governing(text, sent, d, later), None
    teller = TELLER_LEAD.match(text, after, sent_end)
    if how == "at" and teller is not None:
        # "5月10日にカード会社より、…の可能性について連絡があり": the teller right after the date;
        # what they said may hold clauses of its own before the telling
        for p in later:
            m = _mean(text, sent, p) if p.top else None
            if m is not None and m.type == "notified_by_third_party":
                return [_role(text, sent, d, p, m, "told")], None
            if p.kind == "final":
                break
    return _governing(text, sent, d, later), None
    return _governing(text, sent, d, later), None


# What may stand before a date that opens a sentence: a lead word, or the subject and its は.
SAYING_OPENER = rule(
    "role.saying_opener",
    r"[\s・●■◆▼※\-]*(?:(?:一方|また|さらに|このほか|同じく)、?)?(?P<subj>[^、。\s]{1,60}(?:は|が)、?)?",
    examples=("", "また、", "サクラ電工は", "文具通販サイト「ことり文具オンライン」を運営する株式会社ことり堂は"),
    documents=(
        "令和6年3月5日、株式会社カザミドリ旅行が、サーバーに不正アクセスを受け、2月26日に異常な通信を検知して遮断するまでの間に"
        "顧客最大1万2,480人分の氏名が閲覧された可能性があると公表。",
    ),
)


# The one who says it, right after the date that opens the sentence: "3月5日、X社が、…"
SAYER_NEXT = rule(
    "role.sayer_next", r"[^\n]{0,8}?(?:、[^、。\s]{2,30}?|[ ]?[-‐－―–][ ][^、。\n]{2,60}?)(?:は|が)、",
    examples=("令和6年3月5日、株式会社カザミドリ旅行が、", "6月18日 - 書籍通販サイト「ほしぞらブックス」を運営する株式会社ほしぞら書房が、"),
    must_not=("2022年8月19日、一部のクレジットカード会社から、同ストアを利用した顧客のクレジットカード情報",),
    documents=(
        "令和6年3月8日、ほしぞら市が、通知書を封入する際に封入物を取り違えたため、計54人分の氏名が第三者に渡ったことを"
        "3月6日に市民からの連絡で把握したと公表。",
    ),
)
_FOOTNOTE_END = re.compile(r"(?:た|ました)?(?:\[[0-9]{1,3}\]|[(（]注\s?[0-9]{1,2}[)）])+[。.]?\s*")
# A time the saying gives itself: "このほど…と発表した".
SAYING_TIME = rule(
    "role.saying_time", r"このほど|このたび|この度|今回|先ごろ|先頃|本日",
    examples=("このほど、不正アクセスにより流出した可能性があると発表した。",),
    documents=(
        "2022年8月19日、サクラ電工は、カード会社から連絡を受け、8月22日にカード決済を停止したとし、このほど、"
        "不正アクセスにより顧客のカード情報が流出した可能性があると発表した。",
    ),
)


def _says_quotation(text: str, sent: _Sentence, p: Predicate) -> bool:
    """Whether a quotation ends right before the predicate (…可能性があると|発表した)."""
    return any(q.end() == p.start for q in QUOTED_BEFORE.finditer(text, max(sent.start, p.start - 3), p.start + 1))


def _opening_saying(text: str, sent: _Sentence, d: DateMention, later: list[Predicate]) -> Role | None:
    """A date that opens a sentence ending in a saying of what went before it ("3月5日、X社が、
    …2月26日に検知し…可能性があると公表。"): the saying's date, past the dates the quotation
    holds. None when the saying has a date of its own (…と、3月5日に発表した)."""
    opener = SAYING_OPENER.fullmatch(text, max(sent.start, text.rfind("\n", 0, d.start) + 1), d.start)
    if opener is None or not (opener.group("subj") or SAYER_NEXT.match(text, d.end, sent.end)):
        return None  # the sentence says nothing of who said it: its first clause has the date
    # (the sentence's last verb, past a footnote mark after it: "…と発表した[1]。")
    final = [p for p in later if p.kind == "final" or _FOOTNOTE_END.fullmatch(text, p.end, sent.end)]
    if not final or SAYING_TIME.search(text, d.end, final[-1].start):
        return None  # "このほど…と発表した": the saying has a time of its own
    p = final[-1]
    if not _says_quotation(text, sent, p):
        return None
    m = _mean(text, sent, p)
    if m is None or m.type != "disclosed":
        return None
    return Role("disclosed", f"role.opening.{m.word}", d, d.start, p.end)


_COLUMN_LABEL_END = re.compile(_COLUMN_WORDS + r"\s*$")


def _column_label(text: str, d: DateMention) -> re.Match[str] | None:
    """The label heading the table column a date's cell is in ("公表日" over "10月2日 | X社 | …")."""
    ls, le = d.line(text)
    tail = _tail_end(text, d, le)
    before = text[ls : d.start]
    if not tables.CELL_BAR.search(text, d.end, tail) and not tables.CELL_BAR.match(text, tail) and not tables.CELL_BAR.match(text, tail + 1):
        return None  # the date is not a cell of its own (its tail may run past a tab: "11/4\t")
    if tables.CELL_BAR.sub("", before).strip():
        return None
    col = len(tables.CELL_BAR.findall(before))
    header = tables.header_above(text, ls)
    if header is None or col >= len(header):
        return None
    # (the header's first cell may have the text before the table run into it: "更新公表日")
    return COLUMN_LABEL.fullmatch(header[col]) or (_COLUMN_LABEL_END.search(header[col]) if col == 0 else None)


def _index(sent: _Sentence, p: Predicate) -> int:
    return sent.index[p.first]


def _mean(text: str, sent: _Sentence, p: Predicate) -> Meaning | None:
    """meaning(p), read once per sentence."""
    if p.first not in sent.memo:
        sent.memo[p.first] = meaning(p, text, _args_start(sent, sent.index[p.first]), sent.start, sent.preds)
    return sent.memo[p.first]


def _role(text: str, sent: _Sentence, d: DateMention, p: Predicate, m: Meaning, how: str, aware: bool = True) -> Role:
    a = _args_start(sent, _index(sent, p))
    etype = _refine(m, text, a, p.end)
    forensic = m.type == "access_confirmed" and FORENSIC.search(text, sent.start, p.start) is not None
    also = m.also
    if also is not None:
        # "委員会への報告は13日に、警察への相談は14日に行いました": each date goes with the
        # recipient named in its own part of the sentence, both only when they share it
        own = text[max(a, text.rfind("、", a, d.start) + 1) : d.start]
        to_ppc, to_police = PPC.search(own) is not None, POLICE.search(own) is not None
        if to_police and not to_ppc:
            etype, also = "reported_to_police", None
        elif to_ppc and not to_police:
            also = None
    return Role(etype, f"role.{how}.{m.word}", d, min(d.start, p.start), max(d.end, p.end), aware and m.aware and not forensic, also)


def _as_final(p: Predicate) -> Predicate:
    return Predicate(p.word, p.light, p.first, p.last, p.start, p.end, "final", p.negated, p.passive, p.state, p.ongoing, p.sub, p.subj, p.pause)


def _chain(text: str, sent: _Sentence, d: DateMention, later: list[Predicate]) -> list[Role]:
    """A date set off by 、: the sentence's own predicates from it on, past what a quotation holds."""
    quoted = [p for p in later if p.kind == "quote"]
    if quoted:
        speech = [p for p in later if p.start > quoted[-1].end]
        if any(_mean(text, sent, p) for p in speech if p.top):
            later = speech
        else:  # "…を出したという": hearsay, the quoted clause is the sentence's own
            later = [p for p in later if p.end <= quoted[-1].end]
            later = [p if p.kind != "quote" or p is not quoted[-1] else _as_final(p) for p in later]
    # "サクラ電工は21日、…受け、…可能性があると発表した": what stands before the quoting と
    # is what was said; the date is the saying's.
    for k, p in enumerate(later):
        if p.top and _says_quotation(text, sent, p):
            m = _mean(text, sent, p)
            if m is not None and m.type in ("disclosed", "notified_by_third_party", "customers_notified"):
                later = later[k:]
                break
    own = [p for p in later if p.top and p.sub not in ("所", "ところ")] or [p for p in later if p.top]
    out: list[Role] = []
    seen: set[str] = set()
    investigated = False
    for p in own:
        m = _mean(text, sent, p)
        if m is None and p.word in ("至る", "成る"):
            # "把握するに至りました", "判明することとなった": the clause before says what
            k = _index(sent, p)
            if k > 0 and sent.preds[k - 1].kind == "comp":
                p = sent.preds[k - 1]
                m = _mean(text, sent, p)
        if m is None:
            continue
        if m.type == "investigation":
            # a forensic investigation that ended (調査が完了し, 調査報告を受領し): what it
            # found is not what made them aware
            investigated = investigated or m.word in ("完了", "終了", "受領", "結果")
            continue
        if m.type in seen:
            continue
        seen.add(m.type)
        out.append(_role(text, sent, d, p, m, "chain", aware=not investigated))
    types = {r.type for r in out}
    if "containment" in types and "anomaly_detected" not in types and (
        "incident_start" in types or CAUSE.search(text, sent.start, max(r.end for r in out))
    ):
        r = next(r for r in out if r.type == "containment")
        out.append(Role("anomaly_detected", "role.contained_cause", d, r.start, r.end))
    return out


def _governing(text: str, sent: _Sentence, d: DateMention, later: list[Predicate]) -> list[Role]:
    """A date followed by に (or nothing): the nearest predicate, or the finding over it."""
    p = later[0]
    k = _index(sent, p)
    # The complement this predicate ends (or the chain of clauses inside it does).
    q_at = k
    while q_at < len(sent.preds) and sent.preds[q_at].kind == "chain":
        q_at += 1
    if p.kind in ("chain", "comp") and q_at < len(sent.preds) and sent.preds[q_at].kind == "comp" and q_at + 1 < len(sent.preds):
        q, g = sent.preds[q_at], sent.preds[q_at + 1]
        gm = _mean(text, sent, g)
        if gm is not None and gm.type == "notified_by_third_party" and TELLER.search(text, d.end, p.start):
            # "…に外部機関より、…されている旨の連絡が届き": the teller, then what they said
            return [_role(text, sent, d, g, gm, "told")]
        if gm is not None and gm.type == "access_confirmed" and not g.negated:
            # "〈日付〉に不正アクセスが発生したことを確認": the date is of the finding when what
            # was found befell them (or is a state found as it was), unless the complement is
            # a state that held before (…されていた), came from looking back (ログを確認した
            # ところ), or the finding has a date of its own (…ことが、5月10日に判明).
            inner = sent.preds[k : q_at + 1]
            means = [_mean(text, sent, x) for x in inner]
            befell = any(m is not None and (m.word in vocab.HAPPENINGS or m.type == "anomaly_detected") for m in means)
            found_state = q.ongoing or p.ongoing  # "…が行われていることが判明": found as it was going on
            before = (
                q.state or p.state or FINDING_PROCESS.search(text, sent.start, d.start) is not None
                or _date_between(sent.dates, d.end, g.start)
            )
            if not before and (befell or found_state):
                return [_role(text, sent, d, g, gm, "finding")]
    # The nearest predicate with a meaning, through clauses that name none (but not past a 、).
    for j, p in enumerate(later):
        if _inside_brackets(text, d.end, p.start):
            continue  # 「…流出している」と連絡があった: the quotation is not the date's
        m = _mean(text, sent, p)
        if p.kind == "quote":
            # "…に当該教員より、…受信しているとの一報を受け": the teller named between the
            # date and the quotation tells on that date.
            g = next((x for x in later[j + 1 :] if x.top), None)
            gm = _mean(text, sent, g) if g is not None else None
            if g is not None and gm is not None and gm.type != "investigation" and (
                m is None or (gm.type == "notified_by_third_party" and TELLER.search(text, d.end, p.start))
            ):
                return [_role(text, sent, d, g, gm, "quoted")]
        if m is not None and m.type == "investigation":
            # "…に調査が完了し、…が判明した": what it found is not the first awareness.
            return _chain(text, sent, d, later[j:]) if p.top else []
        if m is not None:
            out = [_role(text, sent, d, p, m, "governing")]
            # "23日にはサービスを停止して第一報を発表し": one clause after another, no 、 between.
            prev = p
            for q in later[j + 1 :]:
                if prev.kind != "chain" or prev.pause or not q.top:
                    break
                qm = _mean(text, sent, q)
                if qm is not None and qm.type != "investigation" and qm.type not in {r.type for r in out}:
                    out.append(_role(text, sent, d, q, qm, "governing"))
                prev = q
            return out
        notice = REL_NOTICE.match(text, p.end) if p.kind == "rel" and p.word in ("出す", "発表", "公表", "発出") else None
        if notice is not None:
            # "4月15日に出したお知らせによると": the day the notice the text reads came out
            return [Role("disclosed", REL_NOTICE.id, d, d.start, notice.end())]
        if p.kind == "rel" and m is None and REL_TELLER.match(text, p.end):
            # "6月10日に受け取った方から連絡があり": the clause says who told; the telling has the date
            g = next((x for x in later[j + 1 :] if x.top), None)
            gm = _mean(text, sent, g) if g is not None else None
            if g is not None and gm is not None and gm.type == "notified_by_third_party":
                return [_role(text, sent, d, g, gm, "teller")]
            told = TOLD_THROUGH.match(text, p.end)
            if g is not None and gm is not None and told is not None and told.end() == g.start and gm.type in AWARENESS and not g.negated:
                # "12月2日に受け取った市民からの問い合わせで発覚": what they found through the telling
                return [Role("notified_by_third_party", TOLD_THROUGH.id, d, d.start, g.end)]
        if p.kind == "comp" and m is None and not p.negated:
            # "6月24日に警告が出たことで判明し": the clause brought the finding about, that day
            g = next((x for x in later[j + 1 :] if x.top), None)
            gm = _mean(text, sent, g) if g is not None else None
            means = MEANS_OF_FINDING.match(text, p.end)
            if (g is not None and gm is not None and means is not None and means.end() == g.start
                    and gm.type in AWARENESS and not g.negated and not _date_between(sent.dates, d.end, g.start)):
                return [_role(text, sent, d, g, gm, "means")]
        if p.kind in ("final", "rel", "comp", "quote") or p.pause or j >= 3:
            return []
    return []


def _date_between(starts: tuple[int, ...], lo: int, hi: int) -> bool:
    k = bisect.bisect_left(starts, lo)
    return k < len(starts) and starts[k] < hi


def _inside_brackets(text: str, start: int, end: int) -> bool:
    seg = text[start:end]
    return seg.count("「") > seg.count("」") or seg.count("『") > seg.count("』")


def _bound(
    text: str, sent: _Sentence, d: DateMention, later: list[Predicate], how: str
) -> tuple[list[Role], tuple[DateMention | None, DateMention | None, str] | None]:
    """A date with から/より/以降 opens a period; with まで it closes one."""
    found: list[tuple[Predicate, Meaning]] = []
    for p in later:
        m = _mean(text, sent, p)
        if m is not None and m.type not in ("investigation", "access_confirmed", "notified_by_third_party"):
            found.append((p, m))
        if p.kind == "final" or len(found) >= 3:
            break
    if not found:
        return [], None
    if how == "to":
        p, m = found[0]
        if m.type == "incident_start" or m.word in ("公開", "掲載", "利用", "使用"):
            return [], (None, d, "exposure.until")
        return [], None
    # "…頃から侵入被害を受け、…使用不能となりました": what showed from that day on.
    anomaly = next(((p, m) for p, m in found if m.type == "anomaly_detected"), None)
    if anomaly is not None:
        return [_role(text, sent, d, anomaly[0], anomaly[1], "from")], None
    p, m = found[0]
    if m.type == "disclosed" and m.word in ("公開", "掲載"):
        m = Meaning("incident_start", m.word)  # "…から当社サイトに掲載されていた": on view from then
    elif m.type == "disclosed":
        return [], None  # a notice is published on a day, not from one
    role = _role(text, sent, d, p, m, "from")
    if m.type == "incident_start" and m.word not in vocab.NOT_EXPOSURE_WORDS:
        return [role], (d, None, "exposure.open_start")
    return [role], None


def _dated_document(text: str, sent: _Sentence, d: DateMention, after: int) -> list[Role]:
    """〈日付〉付: the date of a document — a notice (付でお知らせ, 付「…」にて公表, 付で謝罪) or
    a report to the commission."""
    rest_end = sent.end
    if PPC.search(text, after, rest_end):
        return [Role("reported_to_ppc", "role.dated.ppc", d, d.start, rest_end)]
    for p in sent.preds:
        if p.start < after:
            continue
        m = _mean(text, sent, p)
        if p.word.endswith("謝罪") or (m is not None and m.type in ("disclosed", "customers_notified")):
            return [Role("disclosed", f"role.dated.{p.word}", d, d.start, p.end)]
    if NOTICE_OBJECT.match(text, after) or text.startswith(("で", "にて", "の"), after):
        nxt = text[after : min(rest_end, after + 30)]
        if NOTICE_OBJECT.search(nxt):
            return [Role("disclosed", "role.dated.notice", d, d.start, after)]
    return []


_OF_NOUNS = rule(
    "role.of_noun",
    r"(?P<disclosed>(?:ニュース|プレス)?リリース|お知らせ|発表|公表|第[0-9一二三]報|公開情報|(?:定例|臨時)?(?:記者会見|会見))"
    r"|(?P<notified>(?:ご)?(?:連絡|一報|通報|通知|指摘|問い合わせ|問合せ)(?!先))"
    r"|(?P<anomaly>(?:漏えい|漏洩|流出)?懸念|異常|障害)"
    r"|(?P<aware>発覚|判明|発見|検知)"
    r"|(?P<contain>(?:[^\s。、]{0,8})?停止|遮断)",
    examples=["2022年8月12日の漏えい懸念から今回の案内に至るまで、時間を要しましたことを深くお詫び申し上げます。",
              "2022年7月1日のお知らせのとおり、当社サイトで不正アクセスが発生しました。"],
)
_OF_TYPE = {"disclosed": "disclosed", "notified": "notified_by_third_party", "anomaly": "anomaly_detected",
            "aware": "access_confirmed", "contain": "containment"}


def _of_noun(text: str, sent_end: int, d: DateMention, after: int) -> list[Role]:
    """〈日付〉の連絡, 〈日付〉の発表: the noun after の says what happened that day."""
    m = _OF_NOUNS.match(text, after, sent_end)
    if not m:
        occasion = OCCASION.match(text, after, sent_end)
        found = _FOUND_LATER.search(text, occasion.end(), sent_end) if occasion else None
        if occasion is not None and found is not None and not _DAY_BETWEEN.search(text, occasion.end(), found.start()):
            # "5月30日の棚卸しで所在が分からないことが判明した": the day of the occasion it came to light in
            return [Role("access_confirmed", OCCASION.id, d, d.start, found.end())]
        return []
    kind = m.lastgroup or ""
    return [Role(_OF_TYPE[kind], f"role.of.{m.group()}", d, d.start, m.end())]
