"""Logical lines: one unit a line (a title, a header, a sentence, a list item, a signature),
whatever line breaks the text came with, and a map back to the text.

Text reaches the parser with its lines intact (a notice saved as text), hard-wrapped (copied
out of a PDF: every line cut at one width, mid-word), or without them (pasted out of a web
page: no newlines at all, or each one turned into a space). The rules downstream read lines —
a headline, a date alone on its line, a signature — so `layout` gives them back:

1. Well-formed text keeps its lines.
2. Hard wraps are joined. A text is wrapped when several lines share one maximal length
   (within a few characters, for PDF text set in proportional type) and end mid-sentence;
   each such line runs on into the next, unless the score below finds a unit ending there.
3. Run-on text (a document with hardly any newlines) is cut where its units end.

One score decides "does a unit end at p": what ends before p (a sentence's 。, a title's
お知らせ, a date, 各位, an issuer's name) plus what starts after it (a list mark, a date, a
body's このたび or 弊社, a news lead "Xは11月21日、"), plus a space standing where a newline
was; minus what cannot end or start a unit (、, a particle, a closing bracket). Candidate
positions come from one pass of a few patterns each, so the work stays linear in the text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import NamedTuple

from . import vocab
from .normalize import Normalized, normalize
from .orgs import PUBLIC_SUFFIX
from .rules import Rule, rule

# A unit ends at p when the score reaches this; a hard wrap is kept as a break only when the
# score reaches it despite JOIN_PRIOR (the width already says the line goes on).
THRESHOLD = 2.0
JOIN_PRIOR = -1.5
# A headline (see _cut) is at most this long, and ends where the score reaches this at least.
HEADLINE_MAX = 100
HEADLINE_END_SCORE = 1.0
# A line break where the score is this low joins the lines in any text (see _joins).
MUST_JOIN = -1.5
# A document is run-on when its lines average this many characters (prose paragraphs of
# well-formed text are shorter on average: titles, headers and list items pull it down).
RUN_ON_MEAN = 250
# A line this long is cut even in a well-formed document.
RUN_ON_LINE = 2000

_NAME_CHARS = "一-龥々〆ヶァ-ヴーA-Za-z0-9・&."
_OPENERS = "「『(【〔《"
_CLOSERS = "」』)】〕》"

# ---- where a unit may end or start: the candidate positions ----
SENTENCE_END = rule(
    "layout.sentence_end",
    r"。[」』】]*(?: ?(?:…|\.\.\.)+)?(?!\))|。\)|[!?]+[」』】]*",
    examples=["ご報告いたします。このたび", "解説。 ...2026-02-14", "「今後は注意する。」と述べた"],
    must_not=["といいます、において", "2.0版"],
)
SPACE = rule(
    "layout.space",
    r"[ \t]+",
    examples=["について 2023年2月9日 本学", "お客様各位 株式会社東玉"],
)
MARK = rule(
    "layout.mark",
    rf"(?=[{vocab.HEAVY_MARKS}【〔《•]|(?<![{_NAME_CHARS}])・(?=[^・\s])|- (?=\S))",
    examples=["以下の通り・氏名、住所", "■サクラ電工、通販サイトで流出", "【本件の概要】", "- 対象人数:5,836人"],
    must_not=["氏名・住所・電話番号"],
)
NUMBER = rule(
    "layout.number",
    rf"(?<![0-9A-Za-z.,/\-:第{vocab.HEAVY_MARKS}])"
    # (①, ② … are folded to digits by normalisation, and glued to their text then.)
    r"(?=[0-9]{1,2}[.)](?![0-9])|\([0-9]{1,2}\)(?![0-9])|[0-9]{1,2} (?=[一-龥ァ-ヴ]))",
    examples=["ご報告いたします。記1.経緯", "(1)原因 弊社が運営していた旧システム", "1 経緯 生田キャンパスの"],
    must_not=["Lockbit 2.0による", "Ver 3.2.1へ", "合計13,434件", "※1フロントシステム"],
)
_WEEKDAY = r"(?:\s?[(][月火水木金土日](?:曜日?)?[)]|\s(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?![A-Za-z])\.?)"
FULL_DATE = rule(
    "layout.date",
    r"(?<![0-9])(?:(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}"
    r"|(?:19|20)[0-9]{2}(?:年[0-9]{1,2}月[0-9]{1,2}日|(?P<sep>[/.])[0-9]{1,2}(?P=sep)[0-9]{1,2}(?![0-9]))"
    r"|(?:令和|平成)(?:元|[0-9]{1,2})年[0-9]{1,2}月[0-9]{1,2}日)"
    rf"{_WEEKDAY}?(?:\s?[0-9]{{1,2}}:[0-9]{{2}})?(?: /)?",
    examples=["2026-02-15150億円要求", "2025.10.29 Wed伊万里市", "発表日時2024/1/17ケーズ", "令和4年6月20日 サイバー攻撃"],
    must_not=["12022-11-25", "2022年11月"],
)
OPENER = rule(
    "layout.opener",
    rf"(?={vocab.BODY_OPEN})",
    examples=["お詫びとお知らせこのたび、弊社", "(とうぎょく)弊社が運営する"],
)
SALUTATION = rule(
    "layout.salutation",
    vocab.SALUTATION,
    examples=["お知らせお客様各位株式会社東玉", "取引先各位平素より"],
)
_NTH_REPORT = r"[(](?:第[0-9]+報|続報|速報|最終報告?|お詫び|更新|訂正|追記)[)]"
TITLE_END = rule(
    "layout.title_end",
    rf"(?:{vocab.TITLE_END}|{vocab.TITLE_END_WEAK})(?: ?{_NTH_REPORT})?|{_NTH_REPORT}",
    examples=["お詫びとお知らせこのたび", "被害について(第1報)本院は"],
)
HEADLINE_END = rule(
    "layout.headline_end",
    rf"(?:{vocab.HEADLINE_END})(?:か|も)?",
    examples=["個人情報漏えいの可能性トヨタ自動車は1日、", "不正アクセス被害でスローヴィレッジは"],
)
LEGAL_START = rule(
    "layout.legal_start",
    rf"(?=(?:{vocab.LEGAL})[ ]?[{_NAME_CHARS}ぁ-ゖ])",
    examples=["2022年11月29日株式会社メタップスペイメント", "お客様各位株式会社 東玉"],
)
# "岡山県は2022年11月27日、…と発表した": the subject of a news lead, wherever it begins.
NEWS_LEAD = rule(
    "layout.news_lead",
    r"(?:は|が|では)(?:、|それぞれ|同日)?(?:(?:19|20)[0-9]{2}年)?(?:[0-9]{1,2}月)?[0-9]{1,2}日(?:付け?で|(?:付|に)?、)",
    examples=["書き換えられる岡山県は2022年11月27日、県所有の", "可能性トヨタ自動車は1日、車と", "受ける郡山市は11月17日付で20代の"],
)
SIGNATORY = rule(
    "layout.signatory",
    rf"(?:{vocab.SIGNATORY})(?=[ ]?[一-龥々]{{1,4}}[ ]?[一-龥々ぁ-ゖ]{{1,4}}(?:[ \n]|$))",
    examples=["医療法人久仁会 鳴門山上病院 理事長 山上 敦子", "株式会社東玉 代表取締役 山田太郎"],
)
CONTACT = rule(
    "layout.contact",
    r"(?=【?(?:本件に関する)?(?:お?問い?合わ?せ(?:先|窓口)|連絡先)】?)",
    examples=["申し上げます。お問い合わせ先 株式会社X", "【お問合せ先】"],
)
KI = rule(
    "layout.ki",
    r"(?<=[。 ])(?:記|以上)(?=[ 0-9(①■●・【]|$|株式会社)",
    examples=["ご報告いたします。記1.経緯", "お願いいたします。以上"],
)

# What a notice's title opens with after its issuer: "特定非営利活動法人みどりの森|会員情報の流出…".
TITLE_SUBJECT = rule(
    "layout.title_subject",
    r"(?=(?:個人|会員|顧客|お客様|利用者|患者|学生|生徒|職員|従業員|取引先)(?:様)?の?情報)",
    examples=["特定非営利活動法人みどりの森会員情報の流出に関するお詫び"],
)
_STARTS: tuple[Rule, ...] = (MARK, NUMBER, OPENER, LEGAL_START, CONTACT, TITLE_SUBJECT)
_ENDS: tuple[Rule, ...] = (TITLE_END, HEADLINE_END)

# ---- what the score reads on either side of a candidate ----
_DATE = FULL_DATE.pattern.pattern
_L_DATE_END = re.compile(rf"(?:{_DATE})\Z")
_L_DATE_LABEL = re.compile(r"(?:日時|日付|公開日|掲載日|更新日|発表日|配信日|発行日|date|Date|DATE)[::]?\s*\Z")
_L_NO_END = re.compile(r"[、,・~\-–:(「『【]\Z|から\Z")
_L_CLAUSE = re.compile(r"(?:こと|もの|ところ|点)(?:について|に関して|につき)\Z")
_L_PARTICLE = re.compile(
    r"(?:による|により|における|に関する|に対する|への|での|からの|および|及び|並びに|または|又は|など|等の|"
    r"[をがはでとのへやにもて])\Z"
)
_L_HIRAGANA = re.compile(r"[ぁ-ゖ]\Z")
_L_RUNS_ON = re.compile(r"(?:[、,]|による|により|における|に関する|に対する|および|及び|[をがにでとのへやは])\Z")
_L_TITLE = re.compile(rf"(?:{vocab.TITLE_END})(?: ?{_NTH_REPORT})?\Z|{_NTH_REPORT}\Z")
_L_TITLE_WEAK = re.compile(rf"(?:{vocab.TITLE_END_WEAK})\Z")
_L_HEADLINE = re.compile(rf"(?:{HEADLINE_END.pattern.pattern})\Z")
_L_SALUTE = re.compile(rf"(?:{vocab.SALUTATION})\Z")
# The kana a name may open with (みやぎ, いずみ野), not a word that opens a clause (ところ, また).
_KANA_HEAD_OF_NAME = (
    r"(?:(?!ところ|ため|また|なお|さらに|および|その|この|これ|それ|ほか|かつ|ただ|まず|しかし|そして|すでに|いずれ|"
    r"とくに|はじめ|まだ|よって|したがって|あわせ|もっとも|ちなみに|なかでも|うち)[ぁ-ゖ]{2,5})"
)
_ORG = (
    rf"(?:(?:{vocab.LEGAL})[ ]?(?:[ぁ-ゖ]{{1,6}})?[{_NAME_CHARS}]{{1,24}}|[{_NAME_CHARS}]{{1,25}}[ ]?(?:{vocab.LEGAL})"
    rf"|[{_NAME_CHARS}]{{1,25}}(?:{PUBLIC_SUFFIX}))"
)
# How an issuer's name ends: a legal form or a public body's suffix (and a reading after it).
_L_ORG_TAIL = re.compile(rf"(?:{vocab.LEGAL}|{PUBLIC_SUFFIX})(?:[ ]?\([ぁ-ゖァ-ヴー]{{2,20}}\))?\Z")
_NAME_BEFORE = re.compile(rf"(?:{_KANA_HEAD_OF_NAME})?[{_NAME_CHARS}]{{1,25}}[ ]?\Z")
_LEGAL_FORM = re.compile(vocab.LEGAL)
_NAME_AFTER_LEGAL = re.compile(rf"[ ]?(?:[ぁ-ゖ]{{1,6}})?[{_NAME_CHARS}]{{1,24}}(?:[ ]?\([ぁ-ゖァ-ヴー]{{2,20}}\))?")


def _org_before(text: str, lo: int, p: int) -> int | None:
    """Where the issuer's name that ends at p begins (within text[lo:p]), or None: a name
    and its legal form or public suffix (ジェントス株式会社, 琉球大学), or a legal form and a
    name (株式会社 東玉(とうぎょく)). Built from simple end-anchored pieces: one pattern tried
    at every start of the window is slow on long runs of names (株式会社株式会社…)."""
    tail = _L_ORG_TAIL.search(text, max(lo, p - 28), p)
    if tail:
        if tail.start() > lo:
            name = _NAME_BEFORE.search(text, max(lo, tail.start() - 32), tail.start())
            if name:
                return name.start()
    last = None
    for m in _LEGAL_FORM.finditer(text, max(lo, p - 34), p):
        last = m
    # (A legal form after a name ends that name: 日本ゼオン株式会社 不正アクセス is no name.)
    if (
        last is not None and last.end() < p and _NAME_AFTER_LEGAL.fullmatch(text, last.end(), p)
        and not (last.start() > 0 and _NAME_END.match(text, last.start() - 1) and text[last.start() - 1] not in "0123456789年月日")
    ):
        return last.start()
    return None
_L_DIGIT = re.compile(r"[0-9A-Za-z]\Z")
_L_SIGNATORY = re.compile(rf"(?:{vocab.SIGNATORY})\Z")
# A clause that goes on: a verb's て/し/け form, or a conjunction, then 、.
_UNFINISHED = re.compile(r"(?:[てしけりきえべみち]|ため|ところ|ので|が|ものの|ほか|日|以降|以来|頃|ごろ)、")
_L_STOP = re.compile(r"[。!?][」』】]*(?: ?(?:…|\.\.\.)+)?\Z")
_ISO_DATE = re.compile(r"(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}")
_L_ISO = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}\s*\Z")
_R_CLOSE = re.compile(rf"[{_CLOSERS}、。,.:;!?ー…~]")
_R_DIGIT = re.compile(r"[0-9A-Za-z]")
_R_HEAVY = re.compile(rf"[{vocab.HEAVY_MARKS}]")
_R_MARK = re.compile(rf"[【〔《•]|(?<![{_NAME_CHARS}])・(?=[^・\s])|(?<=[。\n])- (?=\S)")
_R_NUMBER = re.compile(NUMBER.pattern.pattern)
_R_DATE = re.compile(_DATE)
# After a date: what opens a sentence ("2024年7月22日、") or keeps the date inside one.
_R_DATE_OPENS = re.compile(r"(?:付|に(?!は)|、)")
_R_DATE_GOES_ON = re.compile(
    r"[~\-0-9]|まで|から|以降|より|の|は|を|が|と|も|時点|現在|当日|同日|頃|ごろ|午前|午後|前後|朝|昼|夕|夜|未明|深夜|正午"
)
_R_MD_DATE = re.compile(r"(?<![0-9])[0-9]{1,2}月[0-9]{1,2}日(?:以降|頃|ごろ)?(?:、|に(?!は))")
_R_OPENER = re.compile(rf"(?:{vocab.BODY_OPEN})")
_R_SALUTE = re.compile(rf"(?:{vocab.SALUTATION})")
_R_SIGNATORY = re.compile(SIGNATORY.pattern.pattern)
_R_LEGAL = re.compile(LEGAL_START.pattern.pattern)
_R_CONTACT = re.compile(r"【?(?:本件に関する)?(?:お?問い?合わ?せ(?:先|窓口)|連絡先)")
# The subject of a sentence: an organisation's name (a legal form, a public body's suffix, a
# name in katakana or Latin letters), then は/が; a common noun as subject counts for less.
_R_ORG_SUBJECT = re.compile(
    rf"(?:{_KANA_HEAD_OF_NAME}?{_ORG}|「[^」]{{2,30}}」|[ァ-ヴA-Za-z][ァ-ヴーA-Za-z0-9.&・]{{1,24}}|{_KANA_HEAD_OF_NAME}(?:工房|商店|商会|堂|屋|舎))"
    r"\s?(?:\([^)]{1,30}\))?\s?"
    r"(?:は|が|では|にて|の[^、。]{1,20}?(?:で、|が|は))"
)
# An issuer that opens a header line: "J.フロント リテイリング株式会社 個人情報の…"
_R_ORG_HEADER = re.compile(rf"(?:[{_NAME_CHARS}]{{1,20}} )?{_KANA_HEAD_OF_NAME}?{_ORG}(?: |\Z|(?:{vocab.SIGNATORY}))")
_KANJI = re.compile(r"[一-龥々〆ヶ]")
_R_NEWS_LEAD = re.compile(
    rf"(?:「[^」]{{2,30}}」|{_KANA_HEAD_OF_NAME}?[{_NAME_CHARS}]{{2,25}})(?:\([^)]{{1,30}}\))?{NEWS_LEAD.pattern.pattern}"
)
_R_SUBJECT = re.compile(rf"[{_NAME_CHARS}]{{2,12}}(?:は|が|では)(?!ない|ある|いる|する|した|あり|なく|でき)")
_R_GOES_ON = re.compile(
    r"申し上げ|致し|いたし|させ|いただ|頂|下さ|くださ|します|しま|する|した|され|でき|発表|公表|明らかに|"
    r"について|に関する|による|により|における|に対する|への|での"
)
_R_HIRAGANA = re.compile(r"[ぁ-ゖ]")
# A name that opens in kana: いずみ野市, はるかぜ工房, こだま信用金庫.
_R_KANA_NAME = re.compile(rf"{_KANA_HEAD_OF_NAME}[一-龥々ァ-ヴー]{{0,8}}(?:{PUBLIC_SUFFIX}|{vocab.LEGAL}|工房|商店|商会|堂|屋|舎)")
_R_PARTICLE = re.compile(r"[にはのをがでともへや]|から|まで|より")
# A unit that runs on to a title's ending before any 。 is a title: "本学サーバーへの…について".
_R_TITLE_AHEAD = re.compile(rf"[^。、]{{0,80}}?(?:{vocab.TITLE_END}|{vocab.TITLE_END_WEAK})")
_UNIT_DATE = re.compile(rf"\s*(?:(?:日時|日付|公開日|掲載日|更新日|発表日|配信日|発行日|date|Date|DATE)[::]?\s*)?(?:{_DATE})\s*")
_UNIT_KI = re.compile(r"\s*(?:記|以上)\s*")
_UNIT_KANA = re.compile(r"\s*[ぁ-ゖ]{1,5}")
_UNIT_MARK = re.compile(rf"\s*(?:[{vocab.HEAVY_MARKS}・•\-]|[0-9]{{1,2}}[.)]|\([0-9]{{1,2}}\))\s*")
_UNIT_LABEL = re.compile(r"[^。、]{1,20}[::]\s*")


def _left(text: str, p: int, unit: int, unfinished: bool) -> tuple[float, str]:
    """What ends before p, in the unit that began at `unit`: its score, and its kind for
    `_right` ("stop" for a sentence's end, "iso", "date", "title", "digit", "org", "verb", "").

    Each test looks back only as far as what it looks for can reach (end-anchored searches
    try every start in their window).
    """
    w8, w16, w28, w40 = (max(unit, p - k) for k in (8, 16, 28, 40))
    if _L_STOP.search(text, w8, p):
        after = "quote" if text[p - 1] in "」』" else "stop"
    elif _L_ISO.search(text, w16, p):
        after = "iso"
    elif _L_DATE_END.search(text, w28, p):
        after = "date"
    elif _L_TITLE.search(text, w16, p) or _L_TITLE_WEAK.search(text, w16, p) or _L_DATE_LABEL.search(text, w16, p):
        after = "title"
    elif _L_DIGIT.search(text, w8, p):
        after = "digit"
    elif _org_before(text, w40, p) is not None:
        after = "org"
    elif _L_VERB.search(text, w8, p):
        after = "verb"
    else:
        after = ""
    if _UNIT_MARK.fullmatch(text, unit, p) or _UNIT_LABEL.fullmatch(text, unit, p):
        return -9.0, after  # a list mark or a label stays with what it marks
    if _UNIT_KI.fullmatch(text, unit, p):
        return 3.5, after  # 記, 以上
    if _UNIT_KANA.fullmatch(text, unit, p):
        return -4.0, after  # a few kana alone are a kana-headed name's head: かもめ|台大学
    if after in ("iso", "date") and _UNIT_DATE.fullmatch(text, unit, p):
        # A date alone: a digest's dated line, a notice's date. Sentences write 2024年7月22日;
        # 2024-07-22 or 2024.7.22 is a line of its own, while 2024年7月22日 may open a sentence
        # ("2024年7月22日未明に…"), so what follows it has to say so too.
        # (After a sentence's end, a date and no 、 is a dateline too.)
        opens = unit == 0 or text[unit - 1] in "。.…\n"
        return (1.5 if "年" in text[unit:p] and not opens else 3.5), after
    if _L_NO_END.search(text, w8, p) or _L_CLAUSE.search(text, w16, p):
        return -5.0, after  # "…公表が遅れたことについて|ヤマダ電機では": inside a sentence
    s = 0.0
    if _L_SALUTE.search(text, w16, p):
        s += 3.0
    elif _L_TITLE.search(text, w16, p):
        s += 2.0
    elif after == "title" or _L_HEADLINE.search(text, w16, p):
        s += 1.0
    elif _L_PARTICLE.search(text, w8, p):
        s -= 1.5
    elif _L_HIRAGANA.search(text, w8, p):
        s -= 0.5
    if after in ("iso", "date"):
        s += 1.5
    if _L_SIGNATORY.search(text, w16, p):
        s += 1.0  # "…株式会社 代表取締役" ends a signature that gave the name first
    if unfinished:
        s -= 2.0  # "…連絡を受け、同日|弊社が…": the sentence has not ended
    if after == "org" or after == "title":
        org = _org_before(text, w40, p)
        if org is not None:
            # An issuer alone on its line ("株式会社 東玉(とうぎょく)") ends a unit; a name
            # inside a title ("…】明治大学 本学サーバーへの…") does not.
            alone = org - unit <= 3 and text[unit:org].strip() == ""
            # Two names one space apart, one line: "医療法人社団青葉会 みなと台病院".
            alone = alone or (text[org - 1 : org] == " " and _org_before(text, max(unit, org - 41), org - 1) == unit)
            s += 1.5 if alone else 0.5
    return s, after


def _right(text: str, q: int, hi: int, after: str) -> float:
    """What starts at q: text[q:hi] is the window; `after` what ends before it
    ("stop" for a sentence's end, "date", "title", "digit", "org", "verb" or "")."""
    if q >= hi:
        return 0.0
    if _R_CLOSE.match(text, q, hi):
        return -6.0
    if after == "digit" and _R_DIGIT.match(text, q, hi):
        return -6.0
    if after == "date" and not _R_DATE.match(text, q, hi) and (
        _R_PARTICLE.match(text, q, hi) or _R_DATE_GOES_ON.match(text, q, hi)
    ) and not _R_KANA_NAME.match(text, q, hi):
        return -6.0  # "2022年8月30日には", "2022年4月19日午前中"; not "2026-02-15|150億円"
    if after == "quote" and _R_PARTICLE.match(text, q, hi):
        return -6.0  # "「…する。」|とコメントした"
    if _R_HEAVY.match(text, q, hi):
        return 3.0
    if after not in ("stop", "quote") and _R_GOES_ON.match(text, q, hi):
        return -3.0  # "お詫び|申し上げます", "ご報告|いたします"
    s = 0.0
    if text.startswith("・", q) and _R_MARK.match(text, q, hi):
        s += 2.5  # a list's ・ after kana or punctuation: names join their words with ・ after kanji
    elif _R_MARK.match(text, q, hi) or _R_NUMBER.match(text, q, hi):
        s += 2.0
    elif _R_CONTACT.match(text, q, hi):
        s += 2.0
    d = _R_DATE.match(text, q, hi)
    if d:
        # A date right after a title ("…について 2023年2月9日") is the title's own; a date that
        # opens a sentence ("2024年7月22日、") or stands alone (a digest's dated line) starts one.
        if after == "title":
            # After a title, a date that opens a sentence starts the body ("…について|
            # 2024年9月24日、"); any other stays on the title's line (see score).
            s += 2.0 if _R_DATE_OPENS.match(text, d.end(), hi) else 0.0
        else:
            s += 1.5
            if _R_DATE_OPENS.match(text, d.end(), hi):
                s += 0.5
            elif after != "verb" and (
                not _R_DATE_GOES_ON.match(text, d.end(), hi) or _ISO_DATE.fullmatch(d.group()) and text[d.end() : d.end() + 1].isdigit()
            ):  # alone; a digit after 2026-02-15 begins what follows it
                s += 1.0
    elif _R_MD_DATE.match(text, q, hi):
        s += 1.5 if text.startswith("、", _R_MD_DATE.match(text, q, hi).end() - 1) else 1.0
    if _R_SALUTE.match(text, q, hi):
        s += 2.5
    elif _R_SIGNATORY.match(text, q, hi):
        s += 2.0
    elif _R_OPENER.match(text, q, hi):
        s += 2.0
        if _R_TITLE_AHEAD.match(text, q, hi):
            s -= 1.0
    elif _R_LEGAL.match(text, q, hi) or _R_ORG_HEADER.match(text, q, hi):
        s += 1.0
    elif _R_NEWS_LEAD.match(text, q, hi):
        s += 2.5  # "ソラマチ印刷は10月10日、…と発表した"
    elif _R_ORG_SUBJECT.match(text, q, hi) and not (q > 0 and _KANJI.match(text, q - 1) and _KANJI.match(text, q)):
        # (A kanji name glued to a kanji word, "…誤送信対策鹿児島市", may begin anywhere in it;
        # one in kanji is less surely a name than one in katakana or Latin letters.)
        if after != "org":  # "東京工業大学 学生支援センターが": one name
            s += 1.0 if _KANJI.match(text, q) else 1.5
    elif _R_SUBJECT.match(text, q, hi):
        s += 0.5
    if not s and after not in ("stop", "quote") and _R_HIRAGANA.match(text, q, hi) and not _R_KANA_NAME.match(text, q, hi):
        s -= 1.5
    return s


_L_VERB = re.compile(r"(?:した|する|れた|れる|った|いる|ある|ない|った|えた|けた)\Z")


def _in_brackets(text: str, unit: int, p: int) -> bool:
    """Whether p is inside 「」, () or 『』 opened in this unit (in the last 150 characters)."""
    lo = max(unit, p - 150)
    for o, c in (("「", "」"), ("(", ")"), ("『", "』")):
        if text.count(o, lo, p) > text.count(c, lo, p):
            return True
    return False


def score(text: str, p: int, q: int, unit: int, end: int, unfinished: bool | None = None) -> float:
    """How strongly a unit that began at `unit` ends at p, the next one starting at q.

    text[p:q] is what stands between them (a space, a newline or nothing); `end` bounds the
    look-ahead; `unfinished`: the unit holds a clause that goes on (found when None). THRESHOLD
    and above: a boundary.
    """
    hi = min(end, q + 80)
    if unfinished is None:
        unfinished = bool(_UNFINISHED.search(text, max(unit, p - 200), p))
    s, after = _left(text, p, unit, unfinished)
    s += _right(text, q, hi, after)
    if after == "org" and _R_TITLE_AHEAD.match(text, q, hi):
        # "株式会社X 弊社サーバーへの…について": an issuer and its title, one header line. Glued
        # without the space ("しらかば大学メールの誤送信…"), they were two lines.
        s += -2.0 if q > p else 1.0
    if after == "org" and q - p == 1 and (_R_ORG_HEADER.match(text, q, hi) or _R_ORG_SUBJECT.match(text, q, hi)):
        s -= 2.0  # "医療法人久仁会 鳴門山上病院", "東京工業大学 学生支援センター": one name
    if after == "title":
        d = _R_DATE.match(text, q, hi)
        if d and not _R_DATE_OPENS.match(text, d.end(), hi):
            s -= 3.5  # the date stays on its title's line; "…について|令和5年11月10日、" does not
    if q > p:
        gap = text[p:q]
        if "\n" in gap:
            pass
        elif len(gap) >= 2:
            s += 2.0  # a blank line, or an indent, turned into spaces
        else:
            s += 0.5
    return s


# ---- run-on text ----
class _Cand(NamedTuple):
    p: int  # the unit before ends here
    q: int  # the next one starts here; text[p:q] is a separator that goes
    bonus: float  # what the pattern that found it says (a sentence end, a news lead)
    needs: str = ""  # the bonus counts when the current unit named this (a repeated subject)


def _candidates(text: str, s: int, e: int) -> list[_Cand]:
    """Candidate boundaries in text[s:e], sorted by position."""
    out: dict[int, _Cand] = {}

    def add(p: int, q: int, bonus: float = 0.0, needs: str = "") -> None:
        if s < p < e:
            old = out.get(p)
            if old is None:
                out[p] = _Cand(p, q, bonus, needs)
            elif bonus > old.bonus or q > old.q:
                keep = (bonus, needs) if bonus > old.bonus else (old.bonus, old.needs)
                out[p] = _Cand(p, max(q, old.q), *keep)

    for m in SENTENCE_END.finditer(text, s, e):
        # (A sentence that ends inside brackets, "(※…しています。)", ends a unit less surely.)
        add(m.end(), m.end(), 4.0 if m.group()[0] == "。" and m.group()[-1] != ")" else 2.0)
    for m in SPACE.finditer(text, s, e):
        add(m.start(), m.end())
    for r in _STARTS:
        for m in r.finditer(text, s, e):
            add(m.start(), m.start())
    for r in _ENDS:
        for m in r.finditer(text, s, e):
            add(m.end(), m.end())
    for m in ORG_END.finditer(text, s, e):
        if m.group("legal") or not _ORG_GOES_ON.match(text, m.end(), e):
            add(m.end(), m.end())
    for m in FULL_DATE.finditer(text, s, e):
        add(m.start(), m.start())
        add(m.end(), m.end())
    for m in SALUTATION.finditer(text, s, e):
        add(m.start(), m.start())
        add(m.end(), m.end())
    for m in KI.finditer(text, s, e):
        add(m.start(), m.start())
        add(m.end(), m.end())
    for m in SIGNATORY.finditer(text, s, e):
        add(m.start(), m.start())
    for m in NEWS_LEAD.finditer(text, s, e):
        for p in _lead_starts(text, max(s, m.start() - 50), m.start()):
            add(p, p, 1.5)
    for p, name in _repeated_subjects(text, s, e):
        add(p, p, 1.5, name)
    # A space just before a candidate is the separator that stood for the newline.
    merged: list[_Cand] = []
    for c in sorted(out.values()):
        last = merged[-1] if merged else None
        if last and last.q == c.p and last.p < c.p and text[last.p : c.p].isspace():
            merged[-1] = _Cand(last.p, c.q, max(last.bonus, c.bonus), c.needs or last.needs)
            continue
        merged.append(c)
    return merged


# The end of an issuer's name, where a header line may end: "…しらかば大学|メールの誤送信".
ORG_END = rule(
    "layout.org_end",
    # A legal form after a name ends it (ジェントス株式会社|…); one before a name does not
    # (株式会社|カエデ物産, nor 2024年3月8日株式会社|ミナモ工業).
    rf"(?<=[一-龥々ァ-ヴーA-Za-z])(?<![年月日])(?P<legal>{vocab.LEGAL})"
    # (Not after 市, 県, 町 …: 伊万里市民図書館, つるぎ町立半田病院 go on; but "ゆずりは村|村ホーム
    # ページにおける…": a title that opens with its issuer's suffix.)
    r"|(?P<twice>[市町村区県])(?=(?P=twice))"
    r"|(?:大学|病院|機構|協会|委員会|組合|金庫|銀行|財団|学園|学校|センター|研究所|事務所)(?![ぁ-ゖ、。」)\s院部長附属病校生内外法])",
    examples=["国立大学法人しらかば大学メールの誤送信による個人情報の漏えいについて"],
)
# A name run that ends as an issuer's does: the name before it goes on (東海国立大学|機構).
# (Not one that opens with 県立/市立…: "…教育委員会|県立高等学校における" is a title after its issuer.)
_ORG_GOES_ON = re.compile(rf"(?![都道府県市区町村国公私]立)[{_NAME_CHARS}]{{0,16}}(?:{PUBLIC_SUFFIX}|{vocab.LEGAL})(?![{_NAME_CHARS}])")
_SUBJECT_RUN = re.compile(
    rf"(?:(?:「[^」]{{2,30}}」|[{_NAME_CHARS}]){{2,25}}(?:と|、))?(?:「[^」]{{2,30}}」|[{_NAME_CHARS}]){{2,25}}\Z"
)
# What may stand between a headline and the subject of its first sentence: "精密部品メーカーの",
# "雑貨店を営む", "大阪ガスの子会社である".
_MODIFIER = re.compile(r"[^、。「」\s]{2,20}?(?:の|である|大手|[をが][^、。をがは]{1,6}?[うくすつぬむるぐぶ])")


def _lead_starts(text: str, lo: int, end: int) -> Iterator[int]:
    """Where a news lead whose subject ends at `end` begins: at its subject (after a headline's
    last word it is glued to: "可能性トヨタ自動車" → トヨタ自動車; with a kana head of its own:
    "  いずみ野市"), and before a modifier that follows a headline ("…停止|精密部品メーカーの
    株式会社テスト精機は")."""
    m = _SUBJECT_RUN.search(text, lo, end) or _SHORT_RUN.search(text, lo, end)
    if not m:
        return
    start = m.start()
    kana = _KANA_HEAD.search(text, lo, start)
    if kana is None:
        # "…紛失ささぶね町は": kana right after a headline's last word head a name.
        kana = _KANA_RUN.search(text, lo, start)
        if kana and not _after_headline(text, lo, kana.start()):
            kana = None
    if kana:
        start = kana.start()
    else:
        # "…誤掲載いずみ野市は": a kana head glued to a headline that named it before.
        for k in range(5, 1, -1):
            head = text[max(lo, start - k) : start]
            if len(head) == k and _KANA_ONLY.fullmatch(head) and text.find(head + text[start], max(0, start - 150), start - k) >= 0:
                start -= k
                break
        else:
            glued = start > lo and not _OPEN_BEFORE.match(text, start - 1)
            named = _named_before(text, start, end) if glued else None
            if named is not None:
                start = named  # "…顧客情報を不正閲覧シラサギ信用金庫は": the name the headline gave
            else:
                # A run glued to a headline's last word ("…可能性トヨタ自動車", "…ランサムウェア
                # 被害ソラマチ印刷"): the subject starts after the last such word in it.
                last = None
                for w in _LEAD_WORD.finditer(text, start, end - 1):
                    last = w
                if last is not None and end - last.end() >= 2:
                    start = last.end()
    # "…感染県立やまぶき病院は": 県立, 市立 … belong to the name.
    if start - 2 >= lo and text[start - 1] == "立" and text[start - 2] in "都道府県市区町村国公私":
        start -= 2
    # A modifier after a headline ("精密部品メーカーの") opens the prose; else its subject does.
    mod = _modifier_start(text, lo, start)
    yield start if mod is None else mod


def _named_before(text: str, start: int, end: int) -> int | None:
    """Where, inside the name run text[start:end], the longest tail that the last 150
    characters named begins (not at `start`: the whole run is no news)."""
    for k in range(start + 1, end - 2):
        o = text.find(text[k:end], max(0, start - 150), start)
        # (named whole: not the tail of a longer name, スローヴィレッジ → ローヴィレッジ)
        while o >= 0 and o > 0 and _NAME_END.match(text, o - 1):
            o = text.find(text[k:end], o + 1, start)
        if o >= 0:
            return k
    return None


def _modifier_start(text: str, lo: int, start: int) -> int | None:
    """Where a modifier that a headline's last word ends before, and a subject at `start`
    follows, begins ("…停止|精密部品メーカーの株式会社テスト精機"), or None."""
    for w in reversed(list(_LEAD_WORD.finditer(text, max(lo, start - 28), start))):
        p = w.end()
        while p < start and text[p] == " ":
            p += 1
        if _MODIFIER.fullmatch(text, p, start):
            return p
    return None


def _after_headline(text: str, lo: int, p: int) -> bool:
    """Whether a headline's last word (and maybe a space) ends at p."""
    while p > lo and text[p - 1] == " ":
        p -= 1
    return bool(_L_HEADLINE.search(text, max(lo, p - 12), p) or _L_TITLE.search(text, max(lo, p - 12), p))


_KANA_HEAD = re.compile(r"(?:(?<=[\s。、」)】])|^)[ぁ-ゖ]{2,5}\Z")
_KANA_RUN = re.compile(r"[ぁ-ゖ]{2,5}\Z")
_SHORT_RUN = re.compile(rf"[{_NAME_CHARS}]\Z")
_KANA_ONLY = re.compile(r"[ぁ-ゖ]+")
_LEAD_WORD = re.compile(rf"(?:{vocab.HEADLINE_END})(?:か|も)?|(?:{vocab.TITLE_END})")


# A name that a headline gave and its prose repeats as its subject: "…メール誤送信対策|鹿児島市の
# 業務委託先で", "…懲戒処分を受ける|郡山市は".
SUBJECT_REPEAT = rule(
    "layout.subject_repeat",
    rf"[{_NAME_CHARS}]{{2,30}}\s?(?:は|が|では|にて|、|の)",
    examples=["鹿児島市の婚活イベント参加者メールアドレス流出事案から学ぶメール誤送信対策鹿児島市の業務委託先でメール誤送信が発生し、"],
)


def _repeated_subjects(text: str, s: int, e: int) -> Iterator[tuple[int, str]]:
    """(where, name): a name of the last 150 characters starts again, as a subject."""
    recent: list[tuple[int, str]] = []
    for m in _NAME_RUN.finditer(text, s, e):
        run, r = m.group(), m.start()
        recent = [(pos, old) for pos, old in recent if r - pos <= 150]
        if SUBJECT_REPEAT.match(text, r, e):
            for _pos, old in recent:
                if len(old) < 3 and not re.search(f"[一-龥々](?:{PUBLIC_SUFFIX})$", old):
                    continue
                k = run.find(old)
                if k < 0 and len(run) >= 3 and old.startswith(run):
                    k = 0  # "akaran公式オンラインストア" named before, "akaranが" now
                if k < 0 or not run.endswith(old) and not run.startswith(old) and k != 0:
                    continue
                # Glued to a word before it ("…誤送信対策鹿児島市", "…より引用中央大学"): the name
                # starts after that word, unless the run is a longer name (山口県岩国市).
                glued = r > s and not _OPEN_BEFORE.match(text, r - 1)
                if k > 0 and glued and not _PLACE_END.search(run, 0, k):
                    yield r + k, old
                elif r > s and not _NAME_END.match(text, r - 1):
                    yield r, old
                    # "…漏えいの可能性|コスメ製品などを扱うakaranが": a modifier between them.
                    mod = _modifier_start(text, s, r)
                    if mod is not None:
                        yield mod, old
                break
        recent.append((r, run))


_OPEN_BEFORE = re.compile(r"[\sA-Za-z0-9。、・:「」()【】]")
_PLACE_END = re.compile(rf"(?:{PUBLIC_SUFFIX}|{vocab.LEGAL})\Z")
_NAME_RUN = re.compile(rf"[一-龥々〆ヶァ-ヴーA-Za-z0-9][{_NAME_CHARS}]{{1,29}}")
_NAME_END = re.compile(rf"[{_NAME_CHARS}]")


def _cut(text: str, s: int, e: int) -> Iterator[tuple[int, int, str]]:
    """Edits (start, end, "\\n") that cut the run-on stretch text[s:e] into units.

    A unit that opens where a headline is due (the text's start, after a date alone on its
    line, a ■ mark, or a digest summary's closing "…") is a headline: it has to end before
    the sentence that follows it does. When no candidate reaches THRESHOLD by then, the best
    one that reaches HEADLINE_END does.
    """
    unit = s
    headline = True
    best: tuple[float, int, int] | None = None
    # Where a clause goes on (…受け、): found once, looked up per candidate.
    clauses = [m.end() for m in _UNFINISHED.finditer(text, s, e)]

    def unfinished(p: int) -> bool:
        k = bisect_right(clauses, p) - 1
        return k >= 0 and clauses[k] > max(unit, p - 200)

    for p, q, bonus, needs in _candidates(text, s, e):
        if p <= unit:
            continue
        if needs and text.find(needs, max(unit, p - 200), p) < 0:
            bonus = 0.0  # the repeated name was not the current unit's (its headline's)
        if bonus < 4.0 and _in_brackets(text, unit, p):
            continue
        sc = score(text, p, q, unit, e, unfinished(p)) + bonus
        if bonus >= 4.0 and _in_brackets(text, unit, p):
            sc -= 4.0
        if headline and (sc < THRESHOLD or bonus >= 4.0):
            if p - unit > HEADLINE_MAX or bonus >= 4.0:
                headline = False
                if best is not None:
                    yield best[1], best[2], "\n"
                    unit = best[2]
                    sc = score(text, p, q, unit, e, unfinished(p)) + bonus
            elif sc >= HEADLINE_END_SCORE and p - unit >= 6 and not _L_VERB.search(text, max(unit, p - 4), p) and (best is None or sc > best[0]):
                best = (sc, p, q)
        if sc >= THRESHOLD:
            yield p, q, "\n"
            best = None
            headline = bool(
                _UNIT_DATE.fullmatch(text, unit, p) or _ELLIPSIS_END.search(text, max(unit, p - 6), p) or _R_HEAVY.match(text, q, e)
            )
            unit = q


# A digest's summary ends on "…": the next item's headline is due.
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)\s*\Z")


# ---- hard wraps ----
# A wrapped line ends mid-sentence; in proportional type that is how a full line is told from
# a paragraph's last line.
_OPEN_END = re.compile(r"[^。!?\s]\Z")
_CLOSED_END = re.compile(r"[^。!?」』)】:\s]\Z")


def _wrapped(text: str, lines: list[tuple[int, int]], lens: list[int]) -> tuple[int, int] | None:
    """(shortest, longest) length of a wrapped line, or None when the text is not wrapped."""
    sized = [n for n in lens if n > 0]
    if len(sized) < 3:
        return None
    top = max(sized)
    if top < 16:
        return None
    # Cut at a character count: many lines of exactly one length, the longest.
    at_top = [(s, e) for (s, e), n in zip(lines, lens, strict=True) if n == top and _CLOSED_END.search(text, s, e)]
    near = sum(1 for n in sized if top - 3 <= n < top)
    if len(at_top) >= 2 and len({text[s:e] for s, e in at_top}) >= 2 and len(at_top) >= near:
        return top, top
    # Proportional type: the full lines vary by a few characters.
    lo = top - max(3, top // 10)
    band = [(s, e) for (s, e), n in zip(lines, lens, strict=True) if n >= lo]
    open_band = [(s, e) for s, e in band if _CLOSED_END.search(text, s, e)]
    if len(open_band) >= 4 and len(open_band) * 3 >= len(band) * 2 and len(band) * 4 >= len(sized):
        return lo, top
    return None


def _physical_lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        out.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return out


# What no line starts with. Names may start with any kana (とちのき市, はるかぜ工房, やまびこ市),
# so only particles that no name starts with, or that run into a particle phrase.
_R_CANNOT_START = re.compile(
    r"[がを]|(?:に|で|と)(?:は|も)|について|による|により|において|に対し|に関し|として|とともに|などの|等の"
)
_L_NAME_END = re.compile(r"[一-龥々〆ヶァ-ヴーぁ-ゖ]\Z")


_R_KINSOKU = re.compile(r"[んっゃゅょぁぃぅぇぉゎー]")
_ENDS_SENTENCE = re.compile(r"。[」』)]*\s*\Z")


def _must_join(line: str, tail: str, text: str, s2: int, e2: int, sc: Callable[[], float]) -> bool:
    """Whether a line break stands where no unit can end, in any text: after 、 or a particle
    (and before nothing that starts a unit), before a particle, or inside a number. `sc` gives
    the break's score (computed only when a test needs it: most breaks pass none of them)."""
    if _R_KINSOKU.match(text, s2, e2):
        return True  # no line starts with ん, a small kana or a long-vowel mark
    if _L_NAME_END.search(tail) and _R_CANNOT_START.match(text, s2, e2):
        return True
    # A number cut in two ("2\n024年"), not a date line before a headline ("2026-02-15\n150億円").
    if tail[-1:].isdigit() and text[s2 : s2 + 1].isdigit() and not _L_DATE_END.search(tail):
        return True
    if _L_RUNS_ON.search(tail) and sc() <= MUST_JOIN:
        return True
    # A line of prose (it has a 、) cut before its 。, whose sentence the next line ends.
    return (
        len(line) >= 30 and "、" in line and bool(_L_NAME_END.search(line))
        and not _L_HEADLINE.search(line) and not _L_TITLE.search(line)
        and bool(_ENDS_SENTENCE.search(text, s2, e2)) and sc() <= 0
    )


def _joins(text: str, lines: list[tuple[int, int]], lens: list[int]) -> Iterator[tuple[int, int, str]]:
    """Edits that join hard-wrapped lines: the newline goes (or becomes a space between words)."""
    width = _wrapped(text, lines, lens)
    lo, top = width or (0, -1)
    # The current unit as joined so far (its last characters): the score reads across the
    # joins already made, as it will read the text they make.
    tail = ""
    for k in range(len(lines) - 1):
        (s, e), (s2, e2) = lines[k], lines[k + 1]
        tail = (tail + text[s:e])[-60:]
        if e <= s or e2 <= s2:
            tail = ""
            continue
        full = lo <= lens[k] <= top and (lo == top or _OPEN_END.search(text, s, e))
        window = tail + "\n" + text[s2 : min(e2, s2 + 80)]
        at = len(tail)

        def sc(window: str = window, at: int = at) -> float:
            return score(window, at, at + 1, 0, len(window))

        # In any text, a line that stops where nothing can stop (after 、 or a particle) runs
        # on: a wrap too few to find a width by, or a break in a PDF.
        if (full and sc() + JOIN_PRIOR < THRESHOLD) or _must_join(text[s:e], tail, text, s2, e2, sc):
            # Words of Latin script wrapped at a space in proportional type keep one between.
            sep = " " if lo < top and _L_DIGIT.search(text, s, e) and _R_DIGIT.match(text, s2) else ""
            tail += sep
            yield e, s2, sep
        else:
            tail = ""


# ---- edits to a map ----
def _apply(text: str, edits: list[tuple[int, int, str]]) -> Normalized | None:
    if not edits:
        return None
    pieces: list[str] = []
    marks: list[tuple[int, int, int, int]] = []
    last = 0
    out_len = 0
    for s, e, new in edits:
        pieces.append(text[last:s])
        out_len += s - last
        if len(new) != e - s:
            marks.append((out_len, s, out_len + len(new), e))
        pieces.append(new)
        out_len += len(new)
        last = e
    pieces.append(text[last:])
    return Normalized("".join(pieces), len(text), tuple(m[0] for m in marks), tuple(marks))


def layout(text: str, source: Normalized | None = None) -> Normalized:
    """The text re-lined into logical lines, with the map back to `text`.

    `source` is how `text` was made from the caller's (normalisation folds "2022 年" to
    "2022年"): a hard wrap cut the caller's lines, so their widths are measured there.
    """
    joined = _apply(text, _wrap_joins(text, source))
    base = joined.text if joined else text
    cut = _apply(base, _run_on_cuts(base))
    if cut is None:
        return joined or Normalized(text, len(text))
    return cut if joined is None else cut.on(joined)


def relined(raw: str) -> Normalized:
    """The caller's text folded (`normalize`) and re-lined into logical lines, mapped back.

    Hard wraps are joined in the caller's text, before folding: a wrap inside "二十\n四日"
    or "2022 年\n8 月" would keep the folding from reading it as one date.
    """
    folded = normalize(raw)
    joins = _wrap_joins(folded.text, folded)
    if joins and any(_FOLDS_ACROSS.match(folded.text, max(0, s - 1)) or _FOLDS_ACROSS.match(folded.text, e) for s, e, _ in joins):
        raw_joins = [(*folded.raw_span(s, e), new) for s, e, new in joins]
        joined = _apply(raw, raw_joins)
        assert joined is not None
        folded = normalize(joined.text).on(joined)
    elif joins:
        # Nothing folding reads sits at the joins: join the folded text (folding again costs).
        joined = _apply(folded.text, joins)
        assert joined is not None
        folded = joined.on(folded)
    cut = _apply(folded.text, _run_on_cuts(folded.text))
    return folded if cut is None else cut.on(folded)


# What folding reads across a line break: digits and kanji numerals, spaces, 年月日.
_FOLDS_ACROSS = re.compile(r"[0-9〇一二三四五六七八九十百千年月日 \t.,]")


def _wrap_joins(text: str, source: Normalized | None) -> list[tuple[int, int, str]]:
    lines = _physical_lines(text)
    if source is None or source.identity:
        lens = [e - s for s, e in lines]
    else:
        lens = [source.raw_pos(e, end=True) - source.raw_pos(s) for s, e in lines]
    return list(_joins(text, lines, lens))


def _run_on_cuts(text: str) -> list[tuple[int, int, str]]:
    lines = _physical_lines(text)
    runon = len(lines) == 1 or len(text) >= RUN_ON_MEAN * len(lines)
    edits: list[tuple[int, int, str]] = []
    for s, e in lines:
        if e - s >= RUN_ON_LINE or (runon and e - s >= 8):
            edits.extend(_cut(text, s, e))
    return edits
