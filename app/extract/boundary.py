"""Is there a boundary here: one score over what ends before a position and what starts after it.

`score(text, p, q, unit, end)` adds up features of what ends before p (a sentence's 。, a
title's お知らせ, a date, 各位, an issuer's name alone; a particle or 、 count against) and of
what starts at q (a list mark, a date that opens a sentence or stands alone, a body's このたび
or 弊社, a news lead "Xは11月21日、", an issuer; a particle, a closing bracket or a verb's
ending count against), and of what stands between (a space where a newline was). A unit ends
where the score reaches THRESHOLD. The weights are small numbers, set by hand on the corpus
and the held-out notices, and read as: 4 a certain boundary, 2 enough on its own, 1 needs
company, negative a reason against.
"""
from __future__ import annotations

import re

from . import vocab
from .breaks import (
    _CLOSERS,
    _KANA_HEAD_OF_NAME,
    _L_HEADLINE,
    _L_TITLE,
    _NAME_CHARS,
    _NAME_END,
    _ORG,
    FULL_DATE,
    LEGAL_START,
    NEWS_LEAD,
    NUMBER,
    SIGNATORY,
)
from .orgs import PUBLIC_SUFFIX

# A unit ends at p when the score reaches this.
THRESHOLD = 2.0

# ---- what the score reads on either side of a candidate ----
_DATE = FULL_DATE.pattern.pattern
_L_DATE_END = re.compile(rf"(?:{_DATE})\Z")
_L_DATE_LABEL = re.compile(r"(?:日時|日付|公開日|掲載日|更新日|発表日|配信日|発行日|date|Date|DATE)[::]?\s*\Z")
# A unit never ends on what must go on: a comma, an opening bracket, a particle that links a
# noun to the next one (大手流通グループ傘下の|アオバ物流は).
_L_NO_END = re.compile(r"[、,・~\-–:(「『【]\Z|から\Z|(?<![0-9])[のをが]\Z")
_L_CLAUSE = re.compile(r"(?:こと|もの|ところ|点)(?:について|に関して|につき)\Z")
_L_PARTICLE = re.compile(
    r"(?:による|により|における|に関する|に対する|への|での|からの|および|及び|並びに|または|又は|など|等の|"
    r"[をがはでとのへやにもて])\Z"
)
_L_HIRAGANA = re.compile(r"[ぁ-ゖ]\Z")
# (へ after whom a heading is addressed to ends it: "…をご利用のお客様へ", "組合員の皆さまへ")
# (not the に of a section's heading: はじめに, おわりに, さいごに)
_L_RUNS_ON = re.compile(
    r"(?:[、,]|による|により|における|に関する|に対する|および|及び|(?<!はじめ)(?<!おわり)(?<!終わり)(?<!さいご)(?<!最後)に|[をがでとのやは]|(?<!様)(?<!さま)(?<!方)へ)\Z"
)
_L_TITLE_WEAK = re.compile(rf"(?:{vocab.TITLE_END_WEAK})\Z")
_L_SALUTE = re.compile(rf"(?:{vocab.SALUTATION})\Z")
# How an issuer's name ends: a legal form or a public body's suffix (and a reading after it).
_L_ORG_TAIL = re.compile(rf"(?:{vocab.LEGAL}|{PUBLIC_SUFFIX})(?:[ ]?\([ぁ-ゖァ-ヴー]{{2,20}}\))?\Z")
_NAME_BEFORE = re.compile(rf"(?:{_KANA_HEAD_OF_NAME})?[{_NAME_CHARS}]{{1,25}}[ ]?\Z")
_LEGAL_FORM = re.compile(vocab.LEGAL)
_NAME_AFTER_LEGAL = re.compile(rf"[ ]?(?:[ぁ-ゖ]{{1,6}})?[{_NAME_CHARS}]{{1,24}}(?:[ ]?\([ぁ-ゖァ-ヴー]{{2,20}}\))?")


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
_R_MARK = re.compile(rf"{vocab.EMOJI_MARK}|[【〔《•]|(?<![{_NAME_CHARS}])・(?=[^・\s])|・(?=(?:{vocab.LEGAL}))|(?<=[。\n])- (?=\S)")
_R_NUMBER = re.compile(NUMBER.pattern.pattern)
_R_DATE = re.compile(_DATE)
# After a date: what opens a sentence ("2024年7月22日、") or keeps the date inside one.
_R_DATE_OPENS = re.compile(r"(?:付|に(?!は)|、)")
_R_DATE_GOES_ON = re.compile(
    r"[~\-0-9]|まで|から|以降|より|の|は|を|が|と|も|時点|現在|当日|同日|頃|ごろ|午前|午後|前後|朝|昼|夕|夜|未明|深夜|正午"
)
_R_MD_DATE = re.compile(r"(?<![0-9])[0-9]{1,2}月[0-9]{1,2}日(?:以降|頃|ごろ)?(?:、|に(?!は))")
_R_MD_DATE_OPENS = re.compile(r"[0-9]{1,2}月[0-9]{1,2}日(?:以降|頃|ごろ)?、")
_L_NOUN = re.compile(r"[一-龥々ァ-ヴー]\Z")
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
_R_NAME_PAREN = re.compile(r"\((?![0-9]{1,2}\))[^()\n]{1,40}\)")
_UNIT_DATE = re.compile(rf"\s*(?:(?:日時|日付|公開日|掲載日|更新日|発表日|配信日|発行日|date|Date|DATE)[::]?\s*|【[^】。、]{{1,10}}】\s*)?(?:{_DATE})\s*")
_UNIT_KI = re.compile(r"\s*(?:記|以上)\s*")
_UNIT_RULE = re.compile(r"\s*([=\-_~*#─━―＝])\1{4,}\s*")
_UNIT_KANA = re.compile(r"\s*[ぁ-ゖ]{1,5}")
_UNIT_MARK = re.compile(rf"\s*(?:[{vocab.HEAVY_MARKS}・•\-]|[0-9]{{1,2}}[.)]|\([0-9]{{1,2}}\))\s*")
_UNIT_LABEL = re.compile(r"[^。、]{1,20}[::]\s*")
_UNIT_BRACKET = re.compile(r"\s*【[^】。、]{1,10}】\s*")


_L_VERB = re.compile(r"(?:した|する|れた|れる|った|いる|ある|ない|った|えた|けた)\Z")


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
    if _UNIT_BRACKET.fullmatch(text, unit, p) and _R_DATE.match(text, p + (text[p : p + 1] == " ")):
        return -9.0, after  # 【公表】|2024/11/05: a field's label and its date (not 【佐賀】|さがの物産は…, a dateline)
    if _UNIT_KI.fullmatch(text, unit, p) or _UNIT_RULE.fullmatch(text, unit, p):
        return 3.5, after  # 記, 以上, a rule drawn across the page
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
        if after == "" and _R_MD_DATE_OPENS.match(text, q, hi) and _L_NOUN.search(text, max(0, q - 2), q):
            s += 0.5  # "…フィッシングメール|11月15日以降、": a noun, then a sentence that a date opens
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
    if unfinished is None:  # (a clause of a sentence, or a quote, that has ended does not go on)
        since = max(unit, p - 200, text.rfind("。", 0, p) + 1, text.rfind("」", 0, p) + 1)
        unfinished = bool(_UNFINISHED.search(text, since, p))
    s, after = _left(text, p, unit, unfinished)
    s += _right(text, q, hi, after)
    if after == "org" and _R_TITLE_AHEAD.match(text, q, hi):
        # "株式会社X 弊社サーバーへの…について": an issuer and its title, one header line. Glued
        # without the space ("しらかば大学メールの誤送信…"), they were two lines.
        s += -2.0 if q > p else 1.0
    if after == "org" and q == p and _R_NAME_PAREN.match(text, q, hi):
        s -= 6.0  # "さくら野農業協同組合|(JAさくら野)は": a name's alias, reading or place goes with it
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

