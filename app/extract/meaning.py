"""What a predicate means: the event its head word, light verb and arguments name.

Telling received (連絡を受け, 問い合わせが入り) is a notification to the organisation; telling
done is a report to whoever it went to (個人情報保護委員会へ, 警察に, お客様に); a finding
(判明, 確認, 気付く) is awareness unless it is negated or someone else's (委託先が検知);
something that stopped working (使用できない) is an anomaly; what was published is a disclosure
when it is the notice and an exposure when it is data. The word lists are in vocab.py; the
rules here read a predicate's arguments (the words between it and the clause before it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import vocab
from .clauses import Predicate
from .rules import rule

if TYPE_CHECKING:
    from collections.abc import Sequence

# ---- who and what, in a predicate's arguments ----
PPC = rule(
    "role.ppc", r"個人情報保護委員会(?:等|など|及び[^。、]{0,20}|並びに[^。、]{0,20})?(?:に|へ|への|に対し|に対して|あて)",
    examples=["当社は2023年5月12日に個人情報保護委員会へ報告しました。", "個人情報保護委員会には2023年5月12日に報告済みです。"],
    must_not=["個人情報保護委員会から指導を受けました"],
)

POLICE = rule(
    "role.police",
    r"(?:警察|警察署|警視庁|県警|府警|道警|警察本部|サイバー犯罪対策課|生活安全課)(?:等|など|及び[^。、]{0,20})?(?:に|へ|への|に対し|に対して)|被害届|被害申告|遺失届|告訴状|刑事告訴",
    examples=["2023年5月15日に所轄の警察署に被害を申告しました。", "警察には2023年5月15日に相談しております。",
              "2023年5月15日に被害届を提出しました。"],
    must_not=["2023年4月5日、県警から連絡があった。"],
)

CUSTOMERS = rule(
    "role.customers",
    r"(?:お客様|お客さま|顧客|対象者|該当者|利用者|会員|保護者|関係者|ご本人|本人|皆様|対象の方|患者|学生|生徒|受験者|申請者|事業所|各位|組合員|加入者|契約者|入居者|ご家族)(?:様|の皆様)?(?:へ|に|には|への|に対し|に対して|宛)",
    examples=["2022年11月15日から、流出対象のお客様に対し、お詫びと説明を開始しました。",
              "2024年6月1日に対象者へ個別に通知しました。"],
)

APOLOGY = rule(
    "role.apology", r"お詫び|おわび|謝罪|(?:状況|経緯)?説明",
    examples=["市は26年1月5日以降、対象者に状況説明と謝罪文書を送付する。"],
    must_not=["案内メールを誤って別の保護者に送信しました。"],
)

SOURCE = rule(
    "role.source", r"(?:から|より)(?:の)?[^。]{0,40}$",
    examples=["・令和6年5月28日(火) 委託先から報告\n・令和6年6月6日(木) 委託先から報告"],
)

SAFETY = rule(
    "role.safety", r"安全(?:性)?(?:が|は|を|も)|復旧(?:が|を)|正常(?:に|な|で)",
    examples=["2022年4月19日以降、新しいシステムで運営しており、新システムの安全性は確認済みである。"],
)

# Someone else's finding: the vendor, the contractor, the card company as subject.
_THIRD_ROLES = "再委託先|委託先|委託業者|業者|ベンダー|事業者|運営会社|提供会社|決済代行会社|保守会社|保守業者|開発会社|システム会社"
THIRD_PARTY = rule(
    "role.third_party",
    rf"(?<![当弊本同自各他御貴])(?:(?:{_THIRD_ROLES})"
    r"(?:である|の)?(?:(?:株式会社|\(株\))[^、。\s]{1,20}?|[^、。\s]{1,20}?(?:株式会社|\(株\)|社))?|[ァ-ヴーA-Za-z]+社)(?:様)?(?:が|は|において|では|にて|側で)",
    examples=["委託先である株式会社イセトーにおいて、2024年5月26日にランサムウェアによる攻撃を検知し、5月28日に本県へ報告がありました。",
              "委託先の株式会社サクラシステムが2024年5月15日に不正アクセスを検知し、5月17日に当社へ報告がありました。"],
    must_not=["当社は2024年5月26日に不正アクセスを検知しました。", "委託先のサーバーが不正アクセスを受けたことを確認しました。"],
    documents=["再委託先によると、2025年7月29日、同社サーバー内のファイルが暗号化されていることを同社従業員が確認したとのことです。"
               "2025年8月4日、弊社は委託先から報告を受けました。"],
)

# Someone else's account of its own finding: "再委託先によると、…同社従業員が確認し"
TOLD_BY_THIRD = rule(
    "role.told_by_third",
    rf"(?:{_THIRD_ROLES})(?:である|の)?[^、。\s]{{0,20}}?によると",
    examples=["再委託先によると、", "委託先の株式会社サクラ印刷によると"],
    must_not=["同社によると、"],
    documents=["再委託先によると、2025年7月29日、同社サーバー内のファイルが暗号化されていることを同社従業員が確認し、"
               "被害であることが判明したとのことです。2025年8月4日、弊社は委託先から報告を受けました。"],
)
ANOMALY_SUBJECT = rule(
    "role.anomaly_subject", r"(?:異常|障害|不具合|エラー|不審な(?:挙動|動作|通信))(?:が|は|も)",
    examples=["システム障害が2025年9月18日頃から発生し、公表時点で完全な復旧には至っていない。"],
)

# "攻撃は同年7月25日から複数回にわたって行われ": the attack as the subject of a plain verb.
INCIDENT_SUBJECT = rule(
    "role.incident_subject", r"(?P<what>攻撃|不正アクセス|不正ログイン|侵入|改ざん|改竄|送信|転送|アクセス)(?:は|が|も)",
    examples=["調査の結果、攻撃は2022年7月25日から複数回にわたって行われていたことが判明しました。"],
)

# What was published: data (an incident: 誤って公開) or the notice itself (a disclosure).
DATA_OBJECT = rule(
    "role.data_object",
    r"個人情報|ファイル|データ|名簿|一覧|PDF|申込書|申請書|氏名|書類|リスト|画像|写真|成績|誤って|誤り|誤|資料",
    examples=["2025年1月14日、採用試験の申込書データを誤って公開しました。"],
)

NOTICE_OBJECT = rule(
    "role.notice_object",
    r"お知らせ|本件|ホームページ|ウェブサイト|Webサイト|webサイト|WEBサイト|HP|記事|リリース|プレス|報道|サイト上|当社サイト|弊社サイト|公式サイト|第[0-9一二三]報|「",
    examples=["本件は2024年5月1日に当社ホームページに掲載されました。"],
)

# Someone else who announces: the police, a commission, a research firm.
OTHER_SPEAKER = rule(
    "role.other_speaker",
    r"(?:警察|警察署|警視庁|県警|府警|道警|個人情報保護委員会|IPA|情報処理推進機構|JPCERT|東京商工リサーチ|帝国データバンク|総務省|経済産業省|金融庁|消費者庁)"
    r"(?:は|が|によると|によれば|の発表)",
    examples=["県警は2024年5月20日、不正アクセス禁止法違反の疑いで男を逮捕したと発表した。"],
    must_not=["当社は2024年5月20日、個人情報保護委員会へ報告したと発表した。", "やまびこ市教育委員会は5月16日、誤りがあったと発表した。"],
)

# A document someone else published: "2024年1月に公表した調査では".
OTHER_DOCUMENT = rule(
    "role.other_document", r"(?:調査|統計|計画|指針|ガイドライン|白書|レポート|ランキング|報告書|資料)(?:では|によると|によれば|で|に)",
    examples=["協議会が2017年3月8日に公表した計画では、カード情報の非保持化を求めている。"],
)

# "…にご報告いたしましたとおり": what an earlier notice said, cited by a later one.
AS_REPORTED = rule(
    "role.as_reported", r"(?:とおり|通り|ように)",
    examples=["2024年5月20日にご報告いたしましたとおり、当社サーバーが不正アクセスを受けました。"],
)


@dataclass(frozen=True)
class Meaning:
    type: str  # an event type, or "investigation" (a forensic milestone, no event)
    word: str
    aware: bool = True
    also: str | None = None  # a second event of the same words (委員会及び警察に報告: both reports)


def _longest_first(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


_UNUSABLE = _longest_first(vocab.UNUSABLE_WORDS)
_TELL = _longest_first(vocab.TELL_WORDS)
_FINDING = _longest_first(frozenset({"判明", "発覚", "発見", "検知", "確認"}))
_ANOMALY = _longest_first(vocab.ANOMALY_WORDS)
_CONTAIN = _longest_first(vocab.CONTAIN_WORDS)
_DISCLOSE = _longest_first(vocab.DISCLOSE_WORDS)
_INCIDENT = _longest_first(vocab.INCIDENT_WORDS)
_INVESTIGATION = _longest_first(vocab.INVESTIGATION_WORDS)
_RECEIPT = ("受領", "受理", "受信", "受付")
_MEDIA = ("メール", "電子メール", "電話", "文書", "書面", "メッセージ", "手紙")
_REPORT_ACTIONS = frozenset({"提出", "出す", "行う", "実施", "済ませる", "届け出る", "届ける"})


def _ends_with(word: str, words: tuple[str, ...]) -> str | None:
    """The longest of words that word ends with (停止措置 → 停止措置, not 措置)."""
    if not word.endswith(words):
        return None
    return next(w for w in words if word.endswith(w))


def meaning(p: Predicate, text: str, args_start: int, sent_start: int, preds: Sequence[Predicate]) -> Meaning | None:
    """The event a predicate names, from its head word, light verb and arguments."""
    w, light = p.word, p.light
    args = text[args_start : p.start]
    if w in ("状態", "状況", "事態") and light in ("成る", "有る", "陥る", ""):
        # "使用できない状態となり": the state is what the clause before it says
        before = next((q for q in preds if q.kind == "rel" and q.end == p.start), None)
        return meaning(before, text, args_start, sent_start, preds) if before is not None else None
    if p.negated:
        hit = _ends_with(w, _UNUSABLE) if light in ("出来る", "") else (light if light in vocab.UNUSABLE_WORDS else None)
        if hit:
            return Meaning("anomaly_detected", hit)
        return None
    tell = _ends_with(w, _TELL)
    if tell is None and w.endswith(_MEDIA) and light in vocab.RECEIVE_LIGHTS:
        # "報告メールが届いた", "研究者からメールが寄せられ": the message is the telling
        stem = w[: -len(_ends_with(w, _MEDIA) or "")].rstrip("の")
        tell = _ends_with(stem, _TELL) if stem else (_ends_with(w, _MEDIA) if SOURCE.search(args) else None)
    if tell is None and w.endswith(_RECEIPT) and light in ("", "為る", "致す"):
        # a table's row: "カード会社より連絡受領", "…旨の連絡を受領", "通報受理"
        tell = next((t for t in _TELL if t in w or args.endswith((t + "を", t + "を、"))), None)
        light = "受領" if tell else light
    if tell and light in vocab.RECEIVE_LIGHTS:
        if "調査" in w or "結果" in w or "報告書" in w:
            return Meaning("investigation", tell)
        return Meaning("notified_by_third_party", tell)
    if tell and tell not in ("知らせ",):
        scope = args + w
        if PPC.search(scope):
            return Meaning("reported_to_ppc", tell, also="reported_to_police" if POLICE.search(scope) else None)
        if POLICE.search(scope):
            return Meaning("reported_to_police", tell)
        if CUSTOMERS.search(args):
            return Meaning("customers_notified", tell)
        if (light == "" or (p.passive and light == "為る")) and SOURCE.search(args):
            # "委託先から報告", "カード会社から…懸念を指摘され": told by someone
            return Meaning("notified_by_third_party", tell)
        if tell == "依頼":
            return Meaning("investigation", tell) if "調査" in args else None
        if tell in ("報告", "連絡") and AS_REPORTED.match(text, p.end):
            return Meaning("disclosed", tell)  # "2024年5月20日にご報告いたしましたとおり"
        return None
    if w in _REPORT_ACTIONS:  # 遺失届を提出, 速報を行い, 被害届を出し
        if PPC.search(args):
            return Meaning("reported_to_ppc", w, also="reported_to_police" if POLICE.search(args) else None)
        if POLICE.search(args):
            return Meaning("reported_to_police", w)
    if w in vocab.AWARE_WORDS or _ends_with(w, _FINDING):
        if THIRD_PARTY.search(args) or TOLD_BY_THIRD.search(text, sent_start, p.start):
            return None  # the vendor's own detection is not the organisation's (再委託先によると、…確認し)
        if SAFETY.search(args):
            return None  # 安全性を確認: that things are safe is not a finding of the incident
        return Meaning("access_confirmed", w)
    anomaly = _ends_with(w, _ANOMALY)
    if anomaly and (light in ("", "有る", "見る", "生じる", "生ずる", "起こる", "起きる", "成る", "出る", "為る") or p.passive):
        return Meaning("anomaly_detected", anomaly)
    if w in ("発生", "生じる", "生ずる", "起こる", "起きる") and ANOMALY_SUBJECT.search(args):
        return Meaning("anomaly_detected", w)
    if w in ("行う", "続く", "繰り返す", "受ける") and INCIDENT_SUBJECT.search(args):
        return Meaning("incident_start", INCIDENT_SUBJECT.search(args).group("what"))  # type: ignore[union-attr]
    contain = _ends_with(w, _CONTAIN)
    if contain:
        return Meaning("containment", contain)
    disclose = _ends_with(w, _DISCLOSE)
    if disclose:
        if disclose in ("公開", "掲載"):
            # what was up on the site: data (an exposure), or the notice itself
            if DATA_OBJECT.search(args) or p.state or p.ongoing:
                return Meaning("incident_start", disclose)
            if NOTICE_OBJECT.search(args) and not OTHER_SPEAKER.search(args):
                return Meaning("disclosed", disclose)
            return None
        if disclose in ("知らせる", "知らせ"):
            return Meaning("customers_notified", disclose) if CUSTOMERS.search(args) else Meaning("disclosed", disclose)
        if disclose == "謝罪":
            return None  # an apology is dated as a disclosure only with 付 (see _dated_document)
        if OTHER_SPEAKER.search(text, sent_start, p.start) or (p.kind == "rel" and OTHER_DOCUMENT.match(text, p.end)):
            return None  # the police's announcement, a survey someone published: not this notice
        return Meaning("disclosed", disclose)
    incident = _ends_with(w, _INCIDENT)
    if incident in ("送付", "送信", "発送", "送る", "配布") and CUSTOMERS.search(args) and APOLOGY.search(args) and "誤" not in args:
        return Meaning("customers_notified", incident)  # 対象者に謝罪文書を送付する
    if incident:
        return Meaning("incident_start", incident)
    if w in ("開始", "実施", "行う", "説明") and CUSTOMERS.search(args) and APOLOGY.search(args):
        return Meaning("customers_notified", w)  # お客様に対し、お詫びと説明を開始しました
    inv = _ends_with(w, _INVESTIGATION)
    if inv and ("調査" in args or "調査" in w or "報告" in args):
        return Meaning("investigation", inv)
    return None


