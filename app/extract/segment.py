"""Split a document into one segment per item: a digest or a blog page holds many.

The text comes re-lined (`layout.relined`): one unit a line, whatever breaks it came with.
An item starts at a headline: a short line with no 。 that prose follows. Which headlines
start items is decided twice over:

- by their words (`headline_rule`): an event (流出, 不正アクセス …), a notice's dated title
  with its issuer, an advisory — each such line, followed by prose, is a headline;
- by the document's structure: a digest repeats one shape, item after item (a date alone on
  the line above, a ■ or ● mark, a number and a name), and in a digest a headline that is
  not about an incident still heads an item, as does one whose subject (a name that its
  prose goes on about) is new to the document.

A notice's header may take several lines once the line breaks are gone: its issuer and its
date alone on lines just above or below its title. The item starts at the first of them. A
page title repeated as a heading is not a headline, and a line a wrap cut is none either
(layout has joined it).
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from . import tables, vocab
from .attack import NOT_INCIDENT_RULES
from .dates import find_dates
from .orgs import PUBLIC_SUFFIX, find_orgs
from .rules import rule

_HEAVY = "■□◆◇●"  # the marks a digest puts before its items
_HEAVY_MARK = re.compile(rf"^[{_HEAVY}]\s*")
# A name set apart as a heading: in angle or square brackets, or after a mark
_NAME_HEADING = re.compile(
    r"(?:[＜<《〈［\[]\s*(?P<n>[^＞>》〉］\]\n]{2,30}?)\s*[＞>》〉］\]]|(?:[▼▽○◎☆★▶►]|#{1,4}\s|[―—─]{2}|-{2,3})\s*(?P<m>[^\n]{2,30}))"
)
# The words of a notice's own section headings (▼経緯, ＜対象となるお客様＞, ――今後の対応):
# a run of headings in one shape that use none of them names the items of a digest.
_SECTION_WORD = re.compile(
    r"経緯|概要|原因|対応|対策|経過|内容|対象|件数|範囲|問い?合わ?せ|窓口|再発|今後|お客様|項目|日時|発生|被害|影響|お詫び|"
    r"ご?案内|について|状況|調査|結果|措置|連絡先|本件|目次|はじめに|おわりに|まとめ|参考|関連|備考|注意|詳細|背景|方針|体制"
)
# A company's name without a legal form ends like one (ハルカゼ商事, こはる堂)
_COMPANY_END = re.compile(r"^[^\s、。はがをにで]{1,20}(?:商店|商事|商会|物産|工業|産業|製作所|製薬|電機|電工|建設|運輸|堂|屋)$")
# A date or its announcement in brackets after an item's name: "（2024年1月9日公表）", "(1/9)".
_NAMED_ITEM_TAIL = re.compile(r"\s*[(（][^()（）\n]{0,20}(?:[0-9]日|[0-9]/[0-9]{1,2}|公表|発表)[^()（）\n]{0,8}[)）]\s*$")
# …or what the body is and where (◎株式会社X（冷凍食品メーカー、本社・新潟県）)
_NAMED_ITEM_NOTE = re.compile(r"\s*[(（][^()（）\n]{1,30}[)）]\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[0-9]+\s?[.)．、]|[(]\s?[0-9一二三四五六七八九十]+\s?[)]|[①-⑳]|[・※•●■□◆◇▼▲★☆<>〈〔\-*]|第[0-9一二三四五六七八九十]+)")
_NOTICE_TITLE = re.compile(r"お詫び|おわび|お知らせ|について|ご報告|ご案内|に関する|発生|被害")
_EVENT = re.compile(
    r"漏えい|漏洩|流出|不正アクセス|ランサム|フィッシング|誤送信|誤送付|誤封入|誤発送|誤配布|誤交付|誤掲載|紛失|盗難|懲戒|攻撃|脆弱性|"
    r"共有され|乗っ取|被害|不正に?ログイン|盗んだ|持ち出|不正に閲覧|不正閲覧|参照可能|書き換え|詐称|感染|閲覧可能|インシデント|騙る|改ざん"
)
_CLAUSE_OPEN = re.compile(r"[^、。\s]{1,12}(?:が|は|では)、")
_HEAD_PREFIX = re.compile(r"^(?P<p>[一-龥々ヶァ-ヴーA-Za-z0-9・.&\-]{2,25})(?:、|,| - |――|——)")
_ADVISORY_TITLE = re.compile(r"注意喚起|ご?注意(?:ください|下さい|を)|に注意$|装った|装う|名乗る")
_NUMBERED = re.compile(r"[0-9]{1,2}\s?[.)．]\s*")
# A numbered item's name, then what befell it in brackets: "ほくよう建設（偽のブラウザ更新でマルウェア感染）"
_NAME_THEN_NOTE = re.compile(r"(?P<n>[^\s、。()（）「」]{2,25})\s?[(（](?P<note>[^()（）\n]{2,40})[)）]\s*")
_COUNTED = re.compile(r"[0-9]{1,2} (?=[^\s0-9年月日件名人])")
_QUOTED = re.compile(r"「[^」]{2,40}」")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    title: str | None
    title_start: int | None
    rule: str


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        e = n if nl < 0 else nl
        out.append((pos, e))
        pos = e + 1
    return out


def _is_prose(line: str) -> bool:
    # (A sentence: re-lined run-on text holds one a line, not a paragraph.)
    return "。" in line and len(line) >= 15


_BARE_DATE = re.compile(
    r"^\s*(?:(?:date|Date|DATE|配信日|掲載日|公開日|更新日|発表日時?)[::]?\s*)?"
    r"(?:[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}|(?:[0-9]{4}|令和[0-9元]{1,2}|平成[0-9元]{1,2})年[0-9]{1,2}月[0-9]{1,2}日"
    # (a month-day with its time: a news page's story stamp, "6月10日 12時20分")
    r"|[0-9]{1,2}月[0-9]{1,2}日(?=\s*[0-9]{1,2}(?:時|:)))"
    r"(?:\s*\([^)]{1,4}\)|\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?)?(?:\s*[0-9]{1,2}(?:時[0-9]{1,2}分|:[0-9]{2}))?\s*/?\s*$"
)
_CRUMB = re.compile(r"\s[>＞]\s|(?:\S+\s){4,}\S+")  # a breadcrumb, a menu of words
_CRUMB_SEP = re.compile(r"\s[>＞]\s")
_SPOKEN_HEADING = re.compile(r"\s*[^「」\n]{0,6}「[^」\n]{10,}」")
_HEAVY_AT = re.compile(r"\s*[■□◆◇●]")


def is_bare_date(text: str, s: int, e: int) -> bool:
    """A line that is a date alone (short, so the slice is cheap)."""
    return e - s <= 40 and bool(_BARE_DATE.match(text[s:e]))


_MD_HEADING = re.compile(r"[ \t]*" + vocab.MD_HEADING)  # a Markdown heading ("### X社のカード情報流出")


def _mark(text: str, s: int, e: int) -> re.Match[str] | None:
    """The mark a line opens with, a digest's (■, ●) or Markdown's (###), or None."""
    return _HEAVY_AT.match(text, s, e) or _MD_HEADING.match(text, s, e)


def _is_marked(text: str, s: int, e: int) -> bool:
    return _mark(text, s, e) is not None


_QUESTION = re.compile(r"(?:Q|問|質問)\s?[0-9]{0,2}\s?[.:)]")
# A numbered note's mark: "No.3 ", "[2]"
_NO_MARK = r"(?:(?:No|NO|№)\.?\s?[0-9]{1,2}[ \t:：]+|\[[0-9]{1,2}\]\s*)"
_DATE_DASH = re.compile(r"\s*(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月(?:[0-9]{1,2}日)?(?:\([^)\n]{1,4}\))?\s?[-‐－―–]\s?")
_NAME_COLON = re.compile(r"([^\s:：、。()「」]{2,20})(?:\([^()\n]{1,30}\))?\s?[:：]")
_CELL_GAP = re.compile(r"\S[ \t]{4,}\S")
_MAIL_FIELD = re.compile(r"(?:From|FROM|To|TO|Cc|CC|Date|DATE|Reply-To|差出人|宛先|送信者|送信日時?)\s?:")
_MAIL_HEADER = re.compile(r"(?:Subject|SUBJECT|件名|Title|タイトル)\s?:\s*")
# A round-up's own title: 今週のインシデント情報（4件）, セキュリティニュースまとめ
_ROUNDUP = re.compile(r"今週の|先週の|今月の|先月の|本日の|まとめ|ダイジェスト|週報|月報|[(][0-9]+件[)]$")
_ENDS_DATED = re.compile(r"(?:[0-9]日|[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2})[)]?$")
# What may stand beside an issuer's name on its own header line: a reading, a department.
_ORG_LINE_REST = re.compile(r"(?:\s|\([ぁ-ゖァ-ヴー]{1,20}\)|[一-龥ァ-ヴー]{1,10}(?:部|課|室|局|係|本部))*")


def headline_rule(text: str, s: int, e: int, *, after_date_line: bool = False, issuer_near: bool = False) -> str | None:
    """Why a line heads a new item, by its words, or None.

    "segment.weak_headline" is a headline only in a document that already has two strong
    ones (a digest); in a single notice the same shape is a section heading. `issuer_near`:
    the issuer's name stands alone on the line above or below (a header split over lines).
    """
    line = text[s:e].strip()
    if _QUESTION.match(line):
        return None  # "Q2. どの情報が漏えいしたのですか？": a notice's own Q&A
    if _MAIL_FIELD.match(line):
        return None  # From:, To:, Date: — a mail's header names its sender, not an item
    if _CELL_GAP.search(line):
        return None  # "(観光協会・千葉県)      する注意喚起": a row of a table set out with spaces
    if len(_CRUMB_SEP.findall(line)) >= 2:
        return None  # "ITfront NEWS > セキュリティ > 翠嶺精工に…": a breadcrumb (the headline is its own line)
    mail = _MAIL_HEADER.match(line)
    if mail:
        # "Subject: [info-share:0412] 今週のインシデント情報（4件）": a mail's subject is its
        # title; a round-up's heads no item of its own
        line = line[mail.end() :].strip()
        if _ROUNDUP.search(line):
            return None
    # Digests mark their items with ■ or ●; a notice marks its lists with ・ and numbers.
    heavy = _HEAVY_MARK.match(line)
    if heavy:
        line = line[heavy.end() :].strip()
    numbered = None if heavy else _NUMBERED.match(line)
    counted = None if heavy or numbered else _COUNTED.match(line)
    if counted:
        # "1 有限会社X(3月4日)" (a circled ① folds to 1): a digest's item named after its number
        named = _NAMED_ITEM_TAIL.sub("", line[counted.end() :]).strip()
        return "segment.named_item" if named and _org_only(named, 0, len(named)) else None
    if numbered:
        # "1. 株式会社X、…流出": a numbered digest item opens with a name; a notice's
        # numbered sections ("1.経緯", "2.漏えいした情報") do not.
        line = line[numbered.end() :].strip()
        named = _NAMED_ITEM_TAIL.sub("", line).strip()
        if named and "。" not in named and _org_only(named, 0, len(named)):
            return "segment.named_item"  # "1. 株式会社X（3月4日公表）"
        lead = find_orgs(line, 0, min(len(line), 40))
        noted = _NAME_THEN_NOTE.fullmatch(line)
        if noted and _EVENT.search(noted.group("note")) and (_org_only(noted.group("n"), 0, len(noted.group("n"))) or _COMPANY_END.search(noted.group("n"))):
            return "segment.news_headline"  # "2) ほくよう建設（偽のブラウザ更新でマルウェア感染）"
        if not (_EVENT.search(line) and ((lead and lead[0].start == 0) or _HEAD_PREFIX.match(line))):
            return None
    named_head = _NAME_HEADING.fullmatch(line) if not heavy else None
    if heavy or named_head:
        # "●株式会社X（1月9日公表）", "＜X市＞", "▼ハルカゼ商事": a digest's item headed by its
        # body's name alone (and the day it told)
        named = _NAMED_ITEM_TAIL.sub("", line if heavy else (named_head.group("n") or named_head.group("m"))).strip()  # type: ignore[union-attr]
        named = _NAMED_ITEM_NOTE.sub("", named).strip()
        if named and (_org_only(named, 0, len(named)) or _COMPANY_END.search(named)):
            return "segment.named_item"
    if not (6 <= len(line) <= 200) or (not heavy and not numbered and _LIST_MARK.match(line)):
        return None
    if "。" in line or _CLAUSE_OPEN.match(line):
        return None  # (a sentence, or a clause of one: "職員が、…を入力")
    event = _EVENT.search(line) or any(p.search(line) for _, p in NOT_INCIDENT_RULES) or _ADVISORY_TITLE.search(line)
    notice_like = _NOTICE_TITLE.search(line)
    if not event and not notice_like and not after_date_line:
        return None
    has_date = any(d.explicit_year for d in find_dates(line))
    if not event and not has_date and not after_date_line:
        return None
    orgs = find_orgs(line)
    if has_date and _ENDS_DATED.search(line) and notice_like and (orgs or issuer_near):
        return "segment.notice_header"
    if len(line) > 130:
        return None
    if after_date_line and len(line) >= 8 and event:
        return "segment.dated_headline"
    if not event:
        return None
    if orgs or _HEAD_PREFIX.match(line) or _QUOTED.search(line) or re.match(r"^[A-Za-z][A-Za-z0-9.\-]+", line):
        return "segment.news_headline"
    if any(p.search(line) for _, p in NOT_INCIDENT_RULES) or _ADVISORY_TITLE.search(line):
        return "segment.weak_headline"
    return None


# Where the article ends and the site's navigation begins: related articles, rankings.
NAVIGATION_MARK = re.compile(
    r"\s*(?:RELATED|RECOMMEND|RANKING|POPULAR|Related|Recommend|Ranking)?\s*"
    rf"(?:{vocab.NAVIGATION}|ランキング|"
    # a share bar: "この記事をシェアする Twitter Facebook LINE"
    r"(?:この記事を)?シェア(?:する)?(?:\s+(?:Twitter|X|Facebook|LINE|はてな|Pocket|B!))*)"
    r"(?:一覧)?\s*[::]?\s*$"
)


def _navigation_start(text: str, lines: list[tuple[int, int]]) -> int:
    """The offset where navigation follows the article, or the text's length."""
    seen_prose = False
    for s, e in lines:
        line = text[s:e]
        if seen_prose and len(line) <= 40 and NAVIGATION_MARK.fullmatch(line):
            return s
        seen_prose = seen_prose or _is_prose(line)
    return len(text)


def segment(text: str) -> list[Segment]:
    """One segment per item; a single notice is one segment.

    After a single article, the site's navigation (関連記事, ランキング) is dropped; a digest
    keeps going past such a line, since its later items are real.
    """
    lines = _report_sentences(text, [ln for ln in _lines(text) if text[ln[0] : ln[1]].strip()])
    bare = [is_bare_date(text, s, e) for s, e in lines]  # a date alone on the line
    heads = _headlines(text, lines, bare)
    stop = _navigation_start(text, lines)
    # (related stories told in prose, two or more, are items: a list of links is navigation)
    told_after = sum(1 for i, r in heads if lines[i][0] >= stop and r != "segment.weak_headline")
    if stop < len(text) and sum(1 for i, _ in heads if lines[i][0] < stop) <= 1 and told_after < 2:
        lines = [ln for ln in lines if ln[0] < stop]
        heads = [h for h in heads if h[0] < len(lines)]
    else:
        stop = len(text)
    if sum(1 for _, r in heads if r != "segment.weak_headline") < 2:
        if cases := _announced_cases(text, lines):
            heads = [(i, ANNOUNCED_CASE.id) for i in cases]
        elif told := _ordinal_paragraphs(text, lines):
            heads = [(i, ORDINAL_PARAGRAPH.id) for i in told]
    return _segments(text, lines, heads, stop, bare)


# A notice that tells of several cases says so before them: "２つの課において…事案が相次いで
#発生しました", "以下の2件", "それぞれの事案の概要".
_SEVERAL_CASES = re.compile(
    r"(?:[2-9２-９二三四五六七八九]|複数)(?:つの|件の|か所の|箇所の|名の職員|人の職員)[^。\n]{0,30}(?:事案|事故|誤送|紛失|漏え|漏洩|流出|不正)|"
    r"(?:事案|事故|漏えい|漏洩|誤送付|誤送信|紛失)が[2-9２-９二三四五六七八九]件|相次いで|それぞれの事案|各事案|事案[1１][^。\n]{0,4}事案[2２]|下記の[2-9２-９二三四五]件|以下の[2-9２-９二三四五]件"
)
_CASE_MARK = re.compile(r"\s*(?P<m>[①-⑳]|[0-9０-９]{1,2}(?:\s?[.．)）]| (?=[^\s0-9]))|事案\s?[0-9０-９]{1,2}\s?[:：.．]?|【事案\s?[0-9０-９]{1,2}】)\s*")
ANNOUNCED_CASE = rule(
    "segment.announced_case",
    _CASE_MARK.pattern + r"[^。\n]{2,48}$",
    examples=("①　介護保険課における電子メールの誤送信", "2. 税務課における課税通知書の誤送付", "【事案2】USBメモリの紛失"),
    must_not=("1件の誤送信が判明しました。",),
    documents=(
        "令和6年5月1日\nつばくろ市\n\n個人情報の漏えいについて\n\n本市において、個人情報の漏えい事案が2件発生しました。"
        "それぞれの概要は次のとおりです。\n\n1.　保険年金課における書類の誤送付\n"
        "4月10日、国民健康保険証を別の世帯に誤って送付しました。4月12日に受け取った方からの連絡で判明しました。\n\n"
        "2.　学校教育課における名簿の紛失\n4月15日、職員が児童35名分の名簿を紛失しました。\n",
    ),
    flags=re.M,
)


def _announced_cases(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """The headings of a notice's several cases, when its lead says there are several: two
    or more short lines numbered from 1 in one shape, each naming an incident (誤送信, 紛失 …),
    the first after the lead. A notice's own sections (（１）概要, 1.経緯) name none."""
    found: list[tuple[int, str]] = []
    for i, (s, e) in enumerate(lines):
        m = ANNOUNCED_CASE.match(text, s, e)
        if m and _ITEM_WORD.search(text, s, e) and not _is_section(text[m.end("m"):e].strip()):
            found.append((i, _case_shape(m.group("m"))))
    if len(found) < 2:
        return []
    shape = found[0][1]
    heads = [i for i, k in found if k == shape]
    if len(heads) < 2 or not _SEVERAL_CASES.search(text, 0, lines[heads[0]][0]):
        return []
    return heads


# A column that takes its items in turn, a paragraph each: まず、… / 続いては、… / 三つ目は … / 最後は、…
_FIRST_TURN = r"まず|最初に|最初は|ひとつ目は|一つ目は|1つ目は|第一に"
ORDINAL_PARAGRAPH = rule(
    "segment.ordinal_paragraph",
    rf"^[ \t]*(?P<turn>(?P<first>{_FIRST_TURN})|次に|次は|続いて(?:は)?|(?:ふた|二|2|みっ|三|3|四|4|五|5)つ目は|第[二三四五]に|最後に|最後は)[、,]?",
    examples=("まず、旅行サイトを運営する株式会社Xが公表した不正ログインです。", "続いては、通販サイト「Y」の件です。",
              "三つ目は事件ではありませんが、", "最後は、Z病院でパソコンがウイルスに感染した件です。"),
    must_not=("次回は、誤送信を特集します。",),
    documents=(
        "週刊コラム 第8回\n2024年3月4日\n\n今週のニュースから三つ取り上げます。\n\n"
        "まず、通販サイトを運営する株式会社ミヤマ商店が2月27日に公表したカード情報の流出です。決済画面が改ざんされ、カード情報512件が流出した可能性があります。\n\n"
        "続いては、あおい台市の誤送信です。市の職員が、市民83人のメールアドレスを宛先に入れてメールを送信しました。市は2月28日に公表しました。\n\n"
        "最後は、株式会社コダマ工業がランサムウェアに感染した件です。同社は3月1日、社内サーバーが暗号化されたと発表しました。\n",
    ),
    flags=re.M,
)


def _ordinal_paragraphs(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """A column's items taken in turn: three paragraphs or more that open with their turn
    (まず、… 続いては、… 最後は、…), the first and only the first with a first turn, two or more telling of an
    incident and two bodies named at least — a notice's own まず…次に… names one body."""
    turns = [i for i, (s, e) in enumerate(lines) if _is_prose(text[s:e]) and (m := ORDINAL_PARAGRAPH.match(text, s, e))
             and (m.group("first") or i > 0)]
    firsts = [i for i in turns if ORDINAL_PARAGRAPH.match(text, *lines[i]).group("first")]
    if len(turns) < 3 or firsts != turns[:1]:
        return []  # (one run of turns: a question's まず…次に… and its answer's are no column)
    names: set[str] = set()
    told = 0
    for k, i in enumerate(turns):
        end = lines[turns[k + 1]][0] if k + 1 < len(turns) else lines[min(len(lines) - 1, i + 1)][1]
        orgs = find_orgs(text, lines[i][0], min(end, lines[i][1]))
        if orgs:
            names.add(orgs[0].core)
        told += bool(_ITEM_WORD.search(text, lines[i][0], end))
    return turns if len(names) >= 2 and told >= 2 else []


def _case_shape(mark: str) -> str:
    """The shape of a case's number, its value aside: ① and ② are one shape, 1. and 2. another."""
    return re.sub(r"[0-9０-９]+", "0", re.sub(r"[①-⑳]", "①", mark.strip()))


_SUFFIXED = re.compile(rf"[^\s、。]{{2,20}}(?:{PUBLIC_SUFFIX}|眼科|歯科|皮膚科|内科|外科|小児科)")  # こもれび眼科: kana before a body's suffix


def _lead_name(text: str, s: int, e: int) -> str | None:
    """The body a sentence opens with as its subject (A社は…と発表した), or None."""
    m = SUBJECT_LEAD.match(text, s, e)
    if not m:
        return None
    raw = m.group("name").strip("「」")
    # (a name found in the descriptor before the name is not it: 長野県の温泉旅館「X」が)
    orgs = [o for o in find_orgs(text, s, m.end("name")) if o.end > m.start("name")]
    name = orgs[-1].core if orgs else raw
    if _NOT_SUBJECT.search(name) or not (
        orgs or _FIRST_NAME.fullmatch(raw) or m.group("name").startswith("「") or _BRAND.search(raw) or _SUFFIXED.fullmatch(raw)
    ):
        return None
    return name


def _report_sentences(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A paragraph of several bodies' reports, a sentence each ("3月5日、A社が…と公表。3月8日、
    B市が…と公表。"), cut into its sentences, so each report is a line of its own as it would
    be in a list. One body's paragraph, however long, stays whole."""
    out: list[tuple[int, int]] = []
    for s, e in lines:
        if e - s < 120 or text.count("。", s, e) < 2:
            out.append((s, e))
            continue
        starts: list[int] = []
        names: list[str] = []
        pos = s
        while pos < e:
            name = _lead_name(text, pos, min(e, pos + 400))
            if name and not any(name in n or n in name for n in names):
                starts.append(pos)
                names.append(name)
            stop = text.find("。", pos, e)
            if stop < 0:
                break
            pos = stop + 1
        if len(starts) < 2:
            out.append((s, e))
            continue
        cuts = [s] + [p for p in starts if p > s] + [e]
        out.extend((a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip())
    return out


def _org_only(text: str, s: int, e: int) -> bool:
    """Whether the line holds nothing but an issuer's name (and a reading or a department)."""
    line = text[s:e]
    if not (2 <= len(line.strip()) <= 60) or "。" in line or "、" in line:
        return False
    orgs = find_orgs(text, s, e)
    if not orgs:
        return False
    rest = line
    for o in reversed(orgs):
        rest = rest[: o.start - s] + rest[o.end - s :]
    return bool(_ORG_LINE_REST.fullmatch(rest))


def _header_line(text: str, s: int, e: int) -> bool:
    """A line of a notice's header that is not its title: a date, an issuer, a salutation, or
    a clipping's source and date ("（中部経済タイムズ 5月2日）")."""
    return bool(
        is_bare_date(text, s, e) or (e - s <= 40 and (_SALUTATION_LINE.fullmatch(text[s:e].strip()) or _SOURCE_LINE.fullmatch(text[s:e].strip())))
        or _org_only(text, s, e) or (e - s <= 70 and SOURCE_LABEL_LINE.fullmatch(text, s, e) is not None)
    )


# An item's source under its headline: "出典：株式会社X 2025/06/02", "発表元: X市"
SOURCE_LABEL_LINE = rule(
    "segment.source_line",
    rf"\s*(?:{vocab.SOURCE_LABEL})\s?[:：]\s*[^\n]{{2,60}}",
    examples=(" 出典:株式会社ミズホシ住建 2025/06/02", "発表元: ほしみ野市"),
    must_not=("出典を明記してください。",),
    documents=(
        "今週のニュース\n\n店舗の顧客名簿を紛失、約300人分\n 出典:株式会社コマドリ 2025/06/02\n"
        "株式会社コマドリは、店舗で保管していた顧客名簿を紛失したと発表した。\n\n"
        "市の委託業者が健診案内を誤封入\n 出典:ほしみ野市 2025/06/04\n"
        "ほしみ野市は、委託先で封入作業に誤りがあり、受診案内が別の市民あてに発送されていたと発表した。\n",
    ),
)
_SOURCE_LINE = re.compile(r"[(（][^()（）\n]{1,30}?\s?(?:[0-9]{1,2}月[0-9]{1,2}日|[0-9]{1,2}/[0-9]{1,2})(?:付)?\s?(?:朝刊|夕刊)?[)）]")


_SALUTATION_LINE = re.compile(r"(?:[^\s。、]{1,15}各位|[^\s。、]{1,20}御中)")


def _prose_follows(text: str, lines: list[tuple[int, int]], i: int, rule_id: str, marked: bool) -> bool:
    """A headline is followed by prose (before any other headline), past the rest of its
    header; a notice's dated header by any text at all."""
    for j in range(i + 1, min(i + 12, len(lines))):
        ls, le = lines[j]
        body = text[ls:le].strip()
        if headline_rule(text, ls, le):
            return False
        if _is_prose(body) or (rule_id == "segment.notice_header" and len(body) >= 4 and not marked):
            return True
        if marked and not _header_line(text, ls, le):
            return False  # a marked item's text follows it at once
    return False


def _prose_next(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """Prose comes next, past the rest of the header (a headline of a digest's item, not a
    row of a table)."""
    for j in range(i + 1, min(i + 4, len(lines))):
        ls, le = lines[j]
        if _is_prose(text[ls:le].strip()):
            return True
        if not _header_line(text, ls, le):
            return False
    return False


def _headlines(text: str, lines: list[tuple[int, int]], bare: list[bool]) -> list[tuple[int, str]]:
    """(index into lines, rule) of every line that heads an item."""
    heads: list[tuple[int, str]] = []
    for i, (s, e) in enumerate(lines):
        after_date = i > 0 and bare[i - 1]
        rule_id = headline_rule(text, s, e, after_date_line=after_date)
        if rule_id in (None, "segment.news_headline", "segment.weak_headline") and _NOTICE_TITLE.search(text, s, e):
            # A notice's header over several lines: its date alone on a line just above or
            # below the title, its issuer alone on another.
            near = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(lines)]
            dated = next((j for j in near if bare[j]), None)
            if dated is not None or _DATED_TITLE.search(text, s, e):
                line = text[s:e].strip() + ("" if dated is None else " " + text[lines[dated][0] : lines[dated][1]].strip())
                issuer = any(_org_only(text, *lines[j]) for j in near)
                header = headline_rule(line, 0, len(line), after_date_line=after_date, issuer_near=issuer)
                if header == "segment.notice_header":
                    rule_id = header
        if (
            rule_id is None and i + 1 < len(lines) and SOURCE_LABEL_LINE.fullmatch(text, *lines[i + 1]) and _EVENT.search(text, s, e)
            and not _is_prose(text[s:e])
        ):
            rule_id = "segment.news_headline"  # a headline over its source line (出典：X 2025/06/02)
        if rule_id is None:
            continue
        marked = _is_marked(text, s, e)
        if _prose_follows(text, lines, i, rule_id, marked):
            heads.append((i, rule_id))
    heads = _structural(text, lines, heads, bare)
    # (A digest's ● lines may head some items with the name alone and open others with the
    # name and the text run on: the list reading takes them all.)
    strong = sum(1 for _, r in heads if r not in ("segment.weak_headline", "segment.named_item"))
    listed = _list_items(text, lines)
    if strong >= 2 and listed and len(listed) > strong and {i for i, r in heads if r not in ("segment.weak_headline", "segment.named_item")} <= set(listed):
        # Lines of one dated shape, some headline-shaped and some not: the list reads them all.
        strong = 0
    elif strong >= 2 and len(listed) >= 3 and all(tables.is_row(text, *lines[i]) for i in listed) and tables.header_above(text, lines[listed[0]][0]):
        # A table under its header row: each row is an item, whatever headlines the page has
        # above it (a page title cut in two where its breaks were lost)
        strong = 0
    if strong < 2:
        listed = listed or _field_rows(text, lines) or _record_blocks(text, lines)
        from_list = bool(listed)
        if not listed:
            # (an article's headline, maybe a dateline between, and its first paragraph: one item)
            headed = {i for i, _ in heads}
            listed = [
                i for i in _subject_leads(text, lines)
                if not any(i - d in headed and all(not _is_prose(text[slice(*lines[j])]) for j in range(i - d, i)) for d in (1, 2))
            ]
        named = {i for i, r in heads if r == "segment.named_item"}
        listed = [i for i in listed if i - 1 not in named]  # the text under a name's heading is its item
        if listed:
            taken = {i for i, _ in heads}
            rule_id = LIST_ITEM.id if from_list else SUBJECT_LEAD.id
            heads = sorted(heads + [(i, rule_id) for i in listed if i not in taken])
    heads = _section_leads(text, lines, heads)
    heads = _mail_heads(text, lines, heads)
    heads = _post_heads(text, lines, heads)
    heads = [h for h in heads if not _NOTE_LINE.match(text, lines[h[0]][0])]  # a note heads nothing
    heads = _drop_repeated_titles(text, lines, heads)
    toc, entries = _contents_headings(text, lines)
    if toc:
        # (the contents list names the items: its entries, where they recur, head them; the
        # entries themselves head nothing)
        taken = {i for i, _ in heads}
        heads = sorted([h for h in heads if h[0] not in entries] + [(i, CONTENTS_HEADING.id) for i in toc if i not in taken])
    return heads


MAIL_SUBJECT = rule(
    "segment.mail_subject",
    r"[ \t]*(?:Subject|SUBJECT|件名)\s?:",
    examples=("Subject: [sec-watch 01204] 【共有】ハルタカ交通のネット予約がサイバー攻撃で停止",),
    documents=(
        "sec-watch ダイジェスト\n\nMessage: 1\nDate: Mon, 9 Mar 2015 08:41:17 +0900\nFrom: 沖田\n"
        "Subject: [sec-watch 01203] 芦ヶ谷市教委、成績一覧をメール誤送信\n\n芦ヶ谷市教育委員会は3月6日、生徒156名分の成績一覧表を誤って送信したと発表しました。\n\n"
        "Message: 2\nDate: Mon, 9 Mar 2015 12:05:52 +0900\nFrom: 横田\n"
        "Subject: [sec-watch 01204] ハルタカ交通のネット予約がサイバー攻撃で停止\n\nハルタカ交通株式会社が、会員6,120人分の情報が流出した可能性があると発表しました。\n",
    ),
)


def _mail_heads(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A list's digest or an archive of mails, two or more: each mail's Subject line heads its
    item (its header fields above are the item's too), and nothing inside its header does."""
    subjects = [
        i for i, (s, e) in enumerate(lines)
        if MAIL_SUBJECT.match(text, s, e) and any(_MAIL_FIELD.match(text, *lines[j]) for j in range(max(0, i - 4), i))
    ]
    if len(subjects) < 2:
        return heads
    # (a mail's own lines head nothing: its summary's "要点:" is no item of the digest)
    first = min(j for j in range(max(0, subjects[0] - 6), subjects[0] + 1) if j == subjects[0] or _MAIL_HEADER_LINE.match(text, *lines[j]))
    kept = [h for h in heads if h[0] < first]
    return kept + [(i, MAIL_SUBJECT.id) for i in subjects]


BBS_POST = rule(
    "segment.bbs_post",
    rf"[ \t]*{vocab.BBS_POST_HEADER}[ \t]*",
    examples=("2 :名無しさん@お腹いっぱい。:2021/11/08(月) 21:20:44.10 ID:Hk3pQz0a0",),
    must_not=("2021/11/08(月) 21:20 ひなた福祉会が発表",),
    documents=(
        "情報漏えい報告スレ Part3\n"
        "1 :名無しさん:2024/05/01(水) 20:00:00.00 ID:aaaa1111\n発表されたインシデントを貼るスレ\n\n"
        "2 :名無しさん:2024/05/01(水) 20:10:00.00 ID:bbbb2222\nさくら野市が4月30日に発表、職員がUSBメモリを紛失\n\n"
        "3 :名無しさん:2024/05/01(水) 20:20:00.00 ID:cccc3333\n>>2\n怖いな\n\n"
        "4 :名無しさん:2024/05/01(水) 20:30:00.00 ID:dddd4444\n株式会社ミズホ堂の通販サイトでカード情報が流出したとのこと\n",
    ),
)
_REPLY = re.compile(r"[ \t]*(?:>>|≫)[0-9]")


def _post_heads(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A bulletin board's thread, three posts or more: a post that names a body as it opens
    heads its item (its header line above is the item's too); a reply (>>2) and a post that
    names none belong to the item before them, and nothing inside a post heads an item."""
    posts = [i for i, (s, e) in enumerate(lines) if BBS_POST.fullmatch(text, s, e)]
    if len(posts) < 3:
        return heads
    items = []
    for i in posts:
        body = [j for j in range(i + 1, min(len(lines), i + 3)) if j not in posts]
        if not body or _REPLY.match(text, lines[body[0]][0]):
            continue
        if find_orgs(text, lines[body[0]][0], lines[body[-1]][1]):
            items.append(i)
    return [h for h in heads if h[0] < posts[0]] + [(i, BBS_POST.id) for i in items]


# (a digest numbers its mails above their fields: "Message: 2")
_MAIL_HEADER_LINE = re.compile(rf"[ \t]*(?:(?:{vocab.MAIL_FIELDS})\s?:|(?:Message|メッセージ)\s?:?\s?[0-9]{{1,3}}[ \t]*$)")


def _section_leads(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A digest's section that names no body and tells several bodies' news, a paragraph each
    (■その他の事案 / このほか、2月には、A法人が…と公表した。/ また、B社は…と公表した。): each
    body's paragraph heads an item of its own. A section headed by a body's name is that
    body's, whoever else its paragraphs mention."""
    if len(heads) < 2:
        return heads
    out = list(heads)
    ends = [i for i, _ in heads[1:]] + [len(lines)]
    for (i, _), nxt in zip(heads, ends, strict=True):
        if nxt - i < 3 or find_orgs(text, *lines[i]) or _lead_name(text, *lines[i]):
            continue
        leads = _subject_leads(text, lines[i + 1 : nxt])
        out += [(i + 1 + k, SUBJECT_LEAD.id) for k in leads if k > 0]
    return sorted(set(out))


# A post's table of contents (目次 over a list) whose entries recur below as lines of their
# own: those lines head its items, whatever words they use ("パン屋さんの通販でカード情報が…🥐").
CONTENTS_HEADING = rule(
    "segment.contents_heading",
    r"\s*(?:(?:[・•●■◆◇▼▶►\-*]\s*)?(?:[0-9]{1,2}[.)．]|\([0-9]{1,2}\))|[・•●■◆◇▼▶►\-*])\s*",
    examples=("・パン屋さんの通販でカード情報が…", "■1. 綿雲珈琲焙煎所 通販サイトでカード情報漏えい"),
    documents=(
        "3月のまとめ\n\n目次\n・パン屋さんの通販でカード情報が…\n・クリニックで「To」送信事件\n・さいごに\n\n"
        "パン屋さんの通販でカード情報が…\n「ブーランジェリー麦のうた」さんが3月3日に公式サイトでお知らせを出していました。決済画面が改ざんされ、カード情報が抜かれたかも、とのこと。\n\n"
        "クリニックで「To」送信事件\n「さくら通り皮ふ科」さんが3月7日にお詫びを出していました。患者さん186人分のメールアドレスが見える状態で送信されたそうです。\n\n"
        "さいごに\n年度末は誤送信が多かった印象です。\n",
    ),
)


def _contents_headings(text: str, lines: list[tuple[int, int]]) -> tuple[list[int], set[int]]:
    """Lines below a list of three or more entries that repeat its entries, two at least:
    the headings a table of contents lists (under 目次, or any list the headings repeat);
    and the lines of the list."""
    # (each short line's key once, and where it stands: a list's entries are looked up, not
    # every line after every list compared)
    below: dict[str, list[int]] = {}
    i = 0
    while i < len(lines):
        if CONTENTS_HEADING.match(text, *lines[i]) is None:
            i += 1
            continue
        entries: dict[str, int] = {}
        j = i
        while j < len(lines):
            m = CONTENTS_HEADING.match(text, *lines[j])
            if m is None or lines[j][1] - m.end() > 60:
                break
            key = _contents_key(text, m.end(), lines[j][1])
            if key in entries:
                break  # the first heading, right after the list
            entries[key] = j
            j += 1
        if len(entries) >= 3:
            if not below:
                for k, (ks, ke) in enumerate(lines):
                    if ke - ks <= 64 and "。" not in text[ks:ke]:
                        below.setdefault(_contents_key(text, ks, ke, marked=True), []).append(k)
            found = sorted(
                k for key in entries for k in below.get(key, ()) if k >= j
                and k + 1 < len(lines) and _is_prose(text[slice(*lines[k + 1])])  # a heading, over its prose
                and not _is_section(text[slice(*lines[k])])  # (not a notice's own 3.お客様へのお願い)
            )
            if len({_contents_key(text, *lines[k], marked=True) for k in found}) >= 2:
                return found, set(entries.values())
        i = j + 1
    return [], set()


def _contents_key(text: str, s: int, e: int, marked: bool = False) -> str:
    """An entry of a contents list as its heading below repeats it: without its mark, a note
    in brackets after it ("（はなみずき茶舗／ルーチェ工房）") or spaces."""
    if marked and (m := CONTENTS_HEADING.match(text, s, e)):
        s = m.end()
    return _norm_title(_NAMED_ITEM_NOTE.sub("", text[s:e]))




# ---- a digest written as a list: one line an item (・X、…), a table's rows, 【X】 headings ----
LIST_ITEM = rule(
    "segment.list_item",
    r"^(?:(?:事案|事例|ケース)\s?[0-9]{1,2}\s*$|" + _NO_MARK + r"\S|(?:その|Part ?|PART ?|事例|事案|ケース)[0-9一二三四五六七八九十]{1,2}\s?[:.)]?\s*\S|第[0-9一二三四五六七八九十]{1,2}位\s*\S|【[^】\n]{1,8}】\s*[▶►■●◆◇▼・]|[・•●■□◆◇▼▲★☆\-*▶►]|[―—─]{2}|" + vocab.EMOJI_MARK + r"\s*\S|[0-9]{1,2}(?:[.)．]| (?=[^\s0-9年月日件名人])|" + vocab.EMOJI_MARK + r"\s*\S)|【[^】\n]{1,30}】|\|?\s*[^｜|\n]{1,20}[｜|\t][^｜|\n]{1,40}[｜|\t]|"
    r"(?:(?:19|20)[0-9]{2}[/.\-年])?[0-9]{1,2}[/.\-月][0-9]{1,2}日?(?:\([^)\n]{1,4}\))?[ :：｜|\t、]+[^ \n])",
    examples=[
        "・県立青嵐高校、生徒の個人情報入りUSBメモリーを紛失（11/17）",
        "7/6｜栗原台市教育委員会｜紛失｜市立栗原台第二小学校で児童31人分の指導要録を紛失",
        "【ポルカ】",
        "2024/11/18 アルテミス製薬が委託先へのランサムウェア攻撃で情報流出の可能性を公表。",
    ],
    must_not=["個人情報が流出した可能性があります。"],
    flags=re.M,
    documents=[
        "今週のまとめ\n・県立青嵐高校、生徒の個人情報入りUSBメモリーを紛失（11/17）\n"
        "・アルテミス製薬、委託先へのランサムウェア攻撃で治験参加者の情報流出の可能性（11/18）\n"
        "・西ノ宮坂市、保育所の入所決定通知を誤送付（11/20）\n"
    ],
)
_ITEM_KIND = re.compile(
    r"(?P<case>(?:事案|事例|ケース)\s?[0-9]{1,2}\s*$)|"
    # "その1:鍵を閉めたつもりのクラウド", "事例2 X株式会社(小売業)": a numbered part of a post
    # (…, "第1位 物流が3日止まった": a ranking's places, named in the text under them)
    r"(?P<part>(?:その|Part ?|PART ?|事例|事案|ケース)[0-9一二三四五六七八九十]{1,2}\s?[:.)]?\s*(?=\S)|第[0-9一二三四五六七八九十]{1,2}位\s*(?=\S))|"
    # "No.3 みちのく山荘:…": a numbered note on an item
    rf"(?P<no>{_NO_MARK}(?=\S))|"
    r"(?P<dated>(?:(?:19|20)[0-9]{2}[/.\-年])?[0-9]{1,2}[/.\-月][0-9]{1,2}日?(?:\([^)\n]{1,4}\))?[ :：、]+(?=[^ \n｜|]))"
    # (【2月】▶ X: an item marked under its month's bracket is marked by the mark)
    r"|(?:【[^】\n]{1,8}】\s*)?(?P<bullet>[・•●■□◆◇▼▲★☆\-*▶►]|[―—─]{2}|(?P<emoji>" + vocab.EMOJI_MARK + r"))|(?P<num>[0-9]{1,2}(?:[.)．]| (?=[^\s0-9年月日件名人])|(?=" + vocab.EMOJI_MARK + r")))|(?P<bracket>【)|(?P<row>\|?\s*[^｜|\n]{1,20}[｜|\t])"
)
# What an item of a digest tells: an incident, or an advisory placed among them.
_ITEM_WORD = re.compile(
    _EVENT.pattern + r"|誤送付|誤交付|誤掲載|誤公開|誤って|閲覧できる状態|見える状態|読み取れる状態|参照できる状態|置き忘れ|別の(?:人|方|世帯)に(?:送|届)|別人に届|不正閲覧|業務外|目的外|盗まれ|取り違え|第三者に渡|脆弱性|注意喚起|呼び(?:掛|か)け|装う|"
    r"セミナー|修正|パッチ|閲覧され|不審なログイン|偽のログイン"
)
# What precedes an item's name: its mark, its number, a 【, its date cell.
_ITEM_HEAD = re.compile(
    r"\s*(?:" + _NO_MARK + r"|(?:【[^】\n]{1,8}】\s*)?(?:[・•●■□◆◇▼▲★☆\-*▶►]|[―—─]{2}|" + vocab.EMOJI_MARK + r")|[0-9]{1,2}(?:[.)．]| (?=[^\s0-9年月日件名人])|" + vocab.EMOJI_MARK + r"\s*)|【|[0-9]{1,4}[/.\-][0-9]{1,2}(?:[/.\-][0-9]{1,2})?\s?[｜|\t]|"
    r"\|?\s*(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日(?:\([^)\n]{1,4}\))?\s*[｜|\t]|"
    r"(?:(?:19|20)[0-9]{2}[/.\-年])?[0-9]{1,2}[/.\-月][0-9]{1,2}日?(?:\([^)\n]{1,4}\))?[ :：、]+)\s*"
)


# ---- news of several bodies, one paragraph each, no headlines: "A社は…と発表した。…\nB市は…" ----
SUBJECT_LEAD = rule(
    "segment.subject_lead",
    # (a column's paragraphs open with their order: "まず、", "次に、8月22日には、", "最後に、")
    r"(?:^[ \t]*|(?<=。))(?:一方|また|さらに|このほか|同じく|まず|次に|続いて|最後に|最初に)?、?"
    r"(?:(?:(?:19|20)[0-9]{2}年|(?:令和|平成)[0-9元]{1,2}年)?[0-9]{1,2}月(?:[0-9]{1,2}日(?:\([^)\n]{1,4}\))?)?(?:には)?、)?"
    # (a descriptor first: "アパレル通販「X」を運営する株式会社Yが", "長野県の温泉旅館「X」が")
    r"(?:[^。\n「」]{0,12}(?:「[^」\n]{1,30}」)?(?:[をが]運営する|を経営する|を提供する|を展開する|を手がける|傘下の)|[^。\n「」、]{1,15}(?=「))?"
    r"(?P<name>[^\s、。「」()]{2,30}?|「[^」\n]{2,30}」)(?:\([^()\n]{1,30}\))?(?:は|(?P<de>では)|が(?![丘谷浜崎関原岳森沢坂島]))、?(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?(?:付で|、)?"
    r"(?=[^。\n]{0,160}?(?:と発表|を発表|と公表|を公表|明らかにし|明らかになっ|と報告|分かった|判明し|(?(de)発覚し|(?!))|(?:[0-9]日|[0-9])に(?:公表|発表)(?:し|。)|"
    r"(?:公表|発表)した(?:内容|資料|ところ|のは)))",
    examples=["サクラ電工は5月10日、通販サイトが不正アクセスを受けたと発表した。", "5月12日、東雲大学は教員のメールアカウントが乗っ取られたと明らかにした。",
              "雑貨通販「ハナミ」を運営する株式会社ハナミ商店が6月3日に公表した内容によると、", "東雲大学が5月18日に公表したのは、サーバーの設定不備である。",
              "霧ヶ丘村は2025/5/8に委託先から報告を受け、2025/5/12に公表した。"],
    must_not=["同社によると、流出したのは氏名である。"],
    flags=re.M,
    documents=[
        "サクラ電工は5月10日、通販サイトが不正アクセスを受け、カード情報1,200件が流出した可能性があると発表した。同社によると、3月に異常を検知した。\n"
        "東雲大学は5月12日、教員のメールアカウントが乗っ取られ、迷惑メール約3,000件が送信されたと明らかにした。学生の情報が閲覧された可能性がある。\n"
    ],
)
_NOT_SUBJECT = re.compile(
    r"^(?:同|本|当|弊|各|両)|警察|県警|府警|道警|警視庁|委員会$|省$|庁$|政府|総務|関係者|担当者|広報|容疑者|被告|男|女|調査会社|専門家"
)


# A name with no legal form or public suffix: katakana or latin in it, or a company's ending.
_BRAND = re.compile(r"[ァ-ヴA-Za-z]{2}|(?:商店|商事|物産|工業|産業|製作所|製薬|電機|電工|観光|建設|運輸|堂|屋)$")


_AFFECTED = re.compile(vocab.AFFECTED_SHARE)


def _subject_leads(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """The paragraphs of an article of several bodies' incidents: each opens with a body that
    announced or found one (A社は…と発表した), two bodies different at least, each with an
    incident word in its paragraph. One body's news mentions others (its vendor, the police,
    another case cited) inside its paragraphs, not as the subject opening one."""
    leads: list[tuple[int, str]] = []
    for i, (s, e) in enumerate(lines):
        name = _lead_name(text, s, e)
        if name is None and i > 0 and SUBJECT_LEAD.match(text, s, e) is None:
            # "もう一件は小さな町の事案だ。久留野町は…と発表した。": a paragraph's second sentence
            stop = text.find("。", s, min(e, s + 60))
            name = _lead_name(text, stop + 1, e) if stop >= 0 else None
        if name is None:
            continue
        nxt = lines[i + 1][0] if i + 1 < len(lines) else len(text)
        if not _ITEM_WORD.search(text, s, nxt) and not _AFFECTED.search(text, s, nxt):
            continue
        leads.append((i, name))
    names = []
    for _, n in leads:
        if not any(n in o or o in n for o in names):
            names.append(n)
    if len(names) < 2:
        return []
    # A body's paragraphs in a row are one item; a body that comes back after another's (a
    # follow-up: "ときわ台市は10日、2日に発表した…について") opens an item again, which the
    # parser folds into its first.
    firsts: list[int] = []
    last: str | None = None
    for i, n in leads:
        if last is None or not (n in last or last in n):
            firsts.append(i)
        last = n
    return firsts


# A body's own list of its cases, a record a line: "（1）所管課：…　発生日：…　概要：…　対象：2人"
FIELD_ROW = rule(
    "segment.field_row",
    r"\s*(?:\([0-9]{1,2}\)|[0-9]{1,2}[.)]|[0-9]{1,2}(?=[ \t]|(?:発生日|判明日|公表日|発表日|日時|発覚日)[:：])|[①-⑳])[^\n]*?(?:発生日|判明日|公表日|発表日|発生日時|日時|発覚日)[:：]",
    examples=("(1)所管課:健康福祉部 障がい福祉課 発生日:令和6年7月3日 概要:宛名シールを貼り間違えた。",),
    must_not=("(1) 経緯 2024年5月10日、不正アクセスを検知しました。",),
    documents=(
        "令和6年度第2四半期における個人情報の漏えい等事案について\n令和6年10月25日\nあさひ台県 総務部\n\n"
        "本県において発生した個人情報の漏えい等事案は下記のとおりです。\n\n"
        "(1)所管課:障がい福祉課 発生日:令和6年7月3日 概要:案内を別人あてに誤って送付した。 対象:2人\n"
        "(2)所管課:道路管理課 発生日:令和6年7月22日 概要:申請者一覧を誤って掲載し、閲覧可能な状態となっていた。 対象:146人\n"
        "(3)所管課:県民生活課 発生日:令和6年8月27日 概要:名簿を入れた封筒を紛失した。 対象:38人\n",
    ),
)


def _field_rows(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Numbered lines of labelled fields, a date field among them, three or more, each telling
    of an incident: a body's own list of its cases, which name no body of their own."""
    rows = [
        i for i, (s, e) in enumerate(lines)
        if FIELD_ROW.match(text, s, e)
        # (a record a line, or a record over lines: its numbered date field, its other fields below)
        and (len(_FIELD.findall(text, s, e)) >= 3 or (i + 1 < len(lines) and _FIELD.match(text, *lines[i + 1])))
        # (or its numbered first field, the date field on a line below: "(1)所管課:…", "発生日:…")
        or _NUMBERED_FIELD.match(text, s, e) and any(_DATE_FIELD.match(text, *lines[j]) for j in range(i + 1, min(len(lines), i + 3)))
    ]
    ends = [lines[j][0] for j in rows[1:]] + [len(text)] * bool(rows)
    told = sum(1 for i, end in zip(rows, ends, strict=True) if _ITEM_WORD.search(text, lines[i][0], min(end, lines[i][0] + 600)))
    return rows if len(rows) >= 3 and told >= 2 else []


# A record's row: a short label, then a bar or a colon, then its value ("公表日 | 令和2年5月15日")
RECORD_ROW = rule(
    "segment.record_row",
    r"[ \t]*(?P<label>[^\s|｜:：、。()（）]{2,8})[ \t]*(?:[|｜]|[:：])[ \t]*\S",
    examples=("公表日 | 令和2年5月15日", "所属：県立しらすな高等学校"),
    must_not=("令和2年5月12日、教諭が、生徒の成績を保存したUSBメモリを紛失していることに気付いた。",),
    documents=(
        "個人情報の不適正な取扱い事案の公表\n\n（1）USBメモリの紛失\n\n公表日 | 令和2年5月15日\n\n所属 | 県立しらすな高等学校\n\n"
        "概要 | 令和2年5月12日、教諭がUSBメモリを紛失していることに気付いた。\n\n対象 | 生徒118名分\n\n"
        "（2）FAXの誤送信\n\n公表日 | 令和2年7月3日\n\n所属 | ひかわ保健所\n\n"
        "概要 | 令和2年6月30日、患者の情報をFAXで無関係の事業者へ誤送信した。同日、事業者からの連絡で判明した。\n\n対象 | 1名分\n",
    ),
)


def _record_blocks(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Records set out as runs of labelled rows, the runs alike (each opens with the same
    label, three rows or more), two or more telling of an incident: the line that heads each
    run — its title above it, or its first row — heads an item."""
    blocks: list[list[int]] = []
    last = -2
    for i, (s, e) in enumerate(lines):
        if s == e or not text[s:e].strip():
            continue  # (blank lines between a record's rows)
        m = RECORD_ROW.match(text, s, e)
        if m is None:
            last = -2
            continue
        if last == -2:
            blocks.append([])
        blocks[-1].append(i)
        last = i
    blocks = [b for b in blocks if len(b) >= 3]
    if len(blocks) < 2:
        return []
    first = Counter(RECORD_ROW.match(text, *lines[b[0]]).group("label") for b in blocks)  # type: ignore[union-attr]
    label, n = first.most_common(1)[0]
    alike = [b for b in blocks if RECORD_ROW.match(text, *lines[b[0]]).group("label") == label]  # type: ignore[union-attr]
    if n < 2:
        return []
    heads = []
    for b in alike:
        above = next((j for j in range(b[0] - 1, max(-1, b[0] - 3), -1) if text[slice(*lines[j])].strip()), None)
        title = (
            above is not None and lines[above][1] - lines[above][0] <= 80 and "。" not in text[slice(*lines[above])]
            and RECORD_ROW.match(text, *lines[above]) is None
        )
        heads.append(above if title else b[0])
    # (what each tells, its title included)
    told = sum(1 for h, b in zip(heads, alike, strict=True) if _ITEM_WORD.search(text, lines[h][0], lines[b[-1]][1]))
    if told < 2:
        return []
    RECORD_ROW.fired()
    return heads


_FIELD = re.compile(r"[^\s:：、。()]{1,6}[:：]")
_NUMBERED_FIELD = re.compile(r"\s*(?:\([0-9]{1,2}\)|[0-9]{1,2}[.)]|[①-⑳])\s?[^\s:：、。()]{1,6}[:：]")
_DATE_FIELD = re.compile(r"\s*(?:発生日時?|判明日|公表日|発表日|日時|発覚日)[:：]")


_DECORATION = frozenset(vocab.HEAVY_MARKS.replace("※", "") + "◎―—─")


_NEWS_TAG = re.compile(r"【(?:速報|続報|追記|更新|注意|重要|悲報|注目|新着|第[0-9一二三四五]報)】\s*")


def _list_items(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """The lines that start the items of a digest written as a list, or none.

    Three lines or more of one shape (a bullet, a number, a table row, a 【name】 heading),
    three of them opening with a name (after its mark, or its date cell), two names
    different at least, two items or more telling of an incident or an advisory. A notice's
    own lists (・氏名, 1.経緯, a timeline of one body's reports) fail one of these. Then every
    line of the shape heads an item.
    """
    by_kind: dict[str, list[int]] = {}
    for i, (s, e) in enumerate(lines):
        m = _ITEM_KIND.match(text, s, e)
        if not m or not LIST_ITEM.match(text, s, e) or (text[s:e].rstrip()[-1:] in _DECORATION and m.lastgroup != "row"):
            continue  # (a title set between marks, "◆◇ 公表状況 ◇◆", is no item; a row's last cell may be ―)
        kind = m.lastgroup or ""
        if kind == "bullet":
            # ▼ heads a week, ・ an item: two lists; emoji (🔴, ⚠️) mark one list whichever they are
            kind += "emoji" if m.group("emoji") else m.group("bullet")
        if kind == "row" and not tables.is_row(text, s, e):
            continue
        by_kind.setdefault(kind, []).append(i)
    lists: list[list[int]] = []
    for kind, found in by_kind.items():
        if kind == "bracket":
            found = _record_heads(text, lines, found)
        if len(found) < 3:
            continue
        items: list[int] = []
        names: set[str] = set()
        told = 0
        for k, i in enumerate(found):
            s, e = lines[i]
            # the item's text: its line, or a heading and the prose under it
            end = lines[min(len(lines) - 1, i + (5 if kind == "case" else 2))][1]
            if k + 1 < len(found):
                end = min(end, lines[found[k + 1]][0])
            head = _ITEM_HEAD.match(text, s, e)
            name_at = head.end() if head else s
            tag = _NEWS_TAG.match(text, name_at, e)  # "🚨【速報】X社が…": a tag after the mark
            name_at = tag.end() if tag else name_at
            label = tables.ORG_LABEL.match(text, name_at, e)  # "1)子会社名:X株式会社"
            name_at = label.end() if label else name_at
            if kind == "case":
                # "事案1" alone, its body on a label line below it ("法人名:X")
                label = next((m for j in range(i + 1, min(len(lines), i + 4)) if (m := tables.ORG_LABEL.match(text, *lines[j]))), None)
                if label is None:
                    continue
                name_at, e = label.end(), text.find("\n", label.end()) if "\n" in text[label.end():] else len(text)
            orgs = find_orgs(text, name_at, min(e, name_at + 30))
            name = orgs[0].core if orgs and orgs[0].start - name_at <= 1 else None
            if name is None and kind == "part":
                # its body named in its heading, or in the first sentence under it
                nxt = lines[i + 1][0] if i + 1 < len(lines) else e
                orgs = find_orgs(text, name_at, e) or find_orgs(text, nxt, min(len(text), nxt + 150))
                name = orgs[0].core if orgs else None
            if name is None and kind.startswith("bullet") and (dash := _DATE_DASH.match(text, name_at, e)):
                # "・6月18日 - 書籍通販サイトを運営する株式会社Xが…": a list of dated lines, the
                # body named in the sentence the date opens
                orgs = find_orgs(text, dash.end(), min(e, dash.end() + 60))
                name = orgs[0].core if orgs else None
            if name is None:
                bare = _FIRST_NAME.match(text, name_at, min(e, name_at + 30))
                name = bare.group() if bare else None
            if name is None and kind.startswith("bullet") and (desc := _DESCRIBED_NAME.match(text, name_at, min(e, name_at + 30))):
                # "■ 医療機器卸のミナトメディカル、…", "■ 学習塾のまなびの森、…": what the body is, の, its name
                name = desc.group("n") if not _NOT_A_NAME.search(desc.group("n")) else None
            if name is None and kind == "no" and (colon := _NAME_COLON.match(text, name_at, min(e, name_at + 50))):
                name = colon.group(1)  # "No.1 湯けむり荘:…": a name before the colon that opens its text
            if name is None and kind == "bracket" and 0 <= (close := text.find("】", s, min(e, s + 14))) < e - 2:
                # "【ランサムウェア】株式会社X（東京都）：…": a kind in the bracket, the name after it
                orgs = find_orgs(text, close + 1, min(e, close + 31))
                name = orgs[0].core if orgs and orgs[0].start - close - 1 <= 1 else None
            if name is None and kind.startswith("bullet") and 0 <= (stop := text.find("。", name_at, e)):
                # "・精密部品メーカーの株式会社Xは9月11日、…": a list of paragraphs, each about the
                # body its first sentence is about
                name = _sentence_subject(text, name_at, stop)
            if name is None:
                continue
            names.add(name)
            items.append(i)
            told += bool(_ITEM_WORD.search(text, s, max(end, e)))
        if len(items) >= 3 and len(names) >= 2 and told >= 2:
            if kind == "row" and tables.is_header(text[lines[found[0]][0] : lines[found[0]][1]]):
                found = found[1:]  # the table's header row ("公表日 | 組織 | 概要") is no item
            lists.append(found)  # every line of the shape heads an item, named or not
    if len(lists) > 1:
        # "①🛒 X" over "・決済画面改ざん", "・1/9発表": a list whose items hold the lines of
        # another is the digest's; the other is each item's notes
        outer = [f for f in lists if any(_nests(f, g) for g in lists if g is not f)]
        return outer[0] if outer else lists[0]
    return lists[0] if lists else []


_SUBJECT_TAIL = re.compile(r"\s*(?:では|は|が|も|によると|によれば)[、,]?|\s*[、,]")


def _sentence_subject(text: str, s: int, e: int) -> str | None:
    """The body a sentence is about: the first name in it that は, が, では, によると or a comma closes."""
    for org in find_orgs(text, s, e):
        if _SUBJECT_TAIL.match(text, org.end, e):
            return org.core
    return None


def _nests(outer: list[int], inner: list[int]) -> bool:
    """Whether two items or more of `outer` hold two or more lines of `inner` each, and no
    line of `inner` stands before the first of `outer`."""
    if not outer or not inner or inner[0] < outer[0]:
        return False
    bounds = outer[1:] + [max(inner[-1], outer[-1]) + 1]
    # (counted by bisection: a long digest has thousands of both)
    held = [bisect.bisect_left(inner, b) - bisect.bisect_right(inner, a) for a, b in zip(outer, bounds, strict=True)]
    return sum(1 for h in held if h >= 2) >= 2


def _record_heads(text: str, lines: list[tuple[int, int]], found: list[int]) -> list[int]:
    """Of 【label】 lines, those that head an item: a record's further fields ("【対象】X|【公表】
    2024/11/05": a label that recurs, right under a line of the shape, naming no body after
    it) go on the item its first field heads."""
    label = {i: text[lines[i][0] : text.find("】", *lines[i]) + 1] for i in found}
    recurs = Counter(label.values())
    return [
        i for k, i in enumerate(found)
        if not (k > 0 and found[k - 1] == i - 1 and recurs[label[i]] >= 3 and not find_orgs(text, lines[i][0] + len(label[i]), lines[i][1]))
    ]


_DATED_TITLE = re.compile(r"[0-9]日\s*$|[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}\s*$")

# ---- structure: what a digest repeats ----
STRUCTURAL_HEAD = rule(
    "segment.structural_headline",
    r"^[^。\n]{6,100}$",
    examples=[
        "2026-02-14\nサクラ電工、新工場の稼働を発表\nサクラ電工は2月13日、新しい工場の稼働を始めたと発表した。生産能力は2倍になるという。\n"
        "2026-02-13\n東雲大学、学生のメールアドレス300件を誤送信\n東雲大学は2月12日、メールの誤送信により学生300人のメールアドレスが流出したと発表した。\n"
        "2026-02-12\n北風運輸の新社長に山田氏\n北風運輸は2月11日、山田太郎氏が社長に就任する人事を発表した。就任は4月1日付。\n"
    ],
    must_not=["1,200件が流出した可能性があると発表した。"],
    flags=re.M,
)
_HEADLINE_END_BAD = re.compile(r"[、,:(「『【をがはでとのやにも]$|(?<!様)(?<!さま)(?<!方)へ$|による$|により$|および$|及び$")
_NAME_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{1,}|[ァ-ヴー]{3,}|[一-龥々ヶ]{2,}(?:市|県|町|村|区|大学|病院|銀行|機構|協会)|[一-龥々ヶ]{3,}")


def _headline_shaped(text: str, s: int, e: int) -> bool:
    """A line that could head an item: short, no 。, not a list item or a label, not cut."""
    line = text[s:e].strip()
    heavy = _HEAVY_MARK.match(line)
    if heavy:
        line = line[heavy.end() :]
    return bool(
        STRUCTURAL_HEAD.pattern.fullmatch(line)
        and (heavy or not _LIST_MARK.match(line))
        and not _HEADLINE_END_BAD.search(line)
        and not _BARE_DATE.match(line)
        and not _header_line(text, s, e)
    )


def _structural(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]], bare: list[bool]) -> list[tuple[int, str]]:
    """Add the headlines a digest's structure shows, when the document is a digest.

    A dated, marked or numbered list of three items or more is a digest, whatever its
    headlines say: each such item heads a segment. In a digest found by its words (two strong
    headlines), a headline-shaped line whose prose goes on about a name the headline gives,
    new to the text since the last headline, heads one too.
    """
    taken = {i for i, _ in heads}
    shaped: dict[str, list[int]] = {"dated": [], "marked": [], "numbered": []}
    for i, (s, e) in enumerate(lines):
        if i in taken:
            continue
        if i > 0 and bare[i - 1]:
            kind = "dated"
        elif _is_marked(text, s, e):
            kind = "marked"
        elif _NUMBERED_ITEM.match(text, s, e):
            kind = "numbered"
        else:
            continue  # (cheap tests first: most lines are none of these)
        # (a numbered line is shaped as a headline after its number)
        at = _NUMBER.match(text, s, e).end() if kind == "numbered" else s  # type: ignore[union-attr]
        if kind == "marked" and (_is_section(text[s:e]) or _SPOKEN_HEADING.match(text, _mark(text, s, e).end(), e)):  # type: ignore[union-attr]
            # "● 発生の経緯": a notice's own sections; "■「営業職なら誰でもCSVを出せた」": a
            # feature article's, headed by what someone said
            continue
        if kind == "dated" and i + 1 < len(lines) and _org_only(text, s, e) and _is_prose(text[lines[i + 1][0] : lines[i + 1][1]]):
            shaped[kind].append(i)  # "2023.04.03(月)\n株式会社X\n…。": a dated item headed by its body alone
            continue
        if _headline_shaped(text, at, e) and _prose_next(text, lines, i):
            shaped[kind].append(i)
    strong = [i for i, r in heads if r != "segment.weak_headline"]
    counts = {
        "dated": sum(1 for i in strong if i > 0 and bare[i - 1]),
        "marked": sum(1 for i in strong if _is_marked(text, *lines[i])),
        "numbered": sum(1 for i in strong if _NUMBERED_ITEM.match(text, *lines[i])),
    }
    added = [i for kind, found in shaped.items() if len(found) + counts[kind] >= 3 for i in found]
    named = _named_headings(text, lines, taken | set(added), {i for i, r in heads if r == "segment.named_item"})
    heads = heads + [(i, "segment.named_item") for i in named]
    taken |= set(named)
    if len(shaped["numbered"]) + counts["numbered"] >= 3:
        added += _numbered_between(text, lines, shaped["numbered"], taken | set(added))
    added += _same_mark_items(text, lines, strong, taken | set(added))
    if strong:
        # In a digest found by its words any such line; after one headline, a dated one.
        added += _new_subjects(text, lines, sorted(taken | set(added)), bare, dated_only=len(strong) < 2)
    if not added:
        return sorted(heads)
    STRUCTURAL_HEAD.fired()
    return sorted(heads + [(i, "segment.structural_headline") for i in set(added)])


# The mark a digest's items open with: ■, ●, "1)", "2."
_ITEM_MARK = re.compile(rf"\s*(?:(?P<heavy>[{_HEAVY}▶►▼▽○◎☆★]|#{{2,4}}(?=[ \t]))|[0-9]{{1,2}}\s?(?P<num>[.)．]))")


def _same_mark_items(text: str, lines: list[tuple[int, int]], strong: list[int], taken: set[int]) -> list[int]:
    """Lines that open with the mark two or more of a digest's headlines open with, and name a
    body or an event at once: an item whose headline runs on into its text ("■X、…紛失 本店の
    職員が…した。"), as text that lost its line breaks has it."""
    def mark(i: int) -> str | None:
        m = _ITEM_MARK.match(text, *lines[i])
        return None if m is None else (m.group("heavy") or "n" + (m.group("num") or ""))

    marks = Counter(k for k in map(mark, strong) if k)
    if not marks or max(marks.values()) < 2:
        return []
    found = []
    for i, (s, e) in enumerate(lines):
        if i in taken or marks.get(mark(i) or "", 0) < 2:
            continue
        if "。" not in text[s:e]:
            # a headline in the same shape whose words name no event ("▶ 雑貨通販「X」 カード情報最大6,044件")
            at = _ITEM_MARK.match(text, s, e).end()  # type: ignore[union-attr]
            if _headline_shaped(text, at, e) and _prose_next(text, lines, i):
                found.append(i)
            continue
        head = min(e, s + 40)
        if find_orgs(text, s, head) or _FIRST_NAME.search(text, s, head) or _EVENT.search(text, s, head):
            found.append(i)
    return found


# A heading that opens with a body's name and a comma ("X市、…", "Y社、…")
# ("■2. 東雲台市 案内メールをCCで一斉送信": a digest's heading, the name and a space)
_NAMED_LEAD = re.compile(rf"[^\s、。]{{1,25}}(?:{PUBLIC_SUFFIX}|{vocab.LEGAL}|県警|社|[ァ-ヴー]{{2}}|[A-Za-z]{{2}})(?:、| (?=\S))")
_HEAD_NUMBER = re.compile(r"^[0-9]{1,2}\s?[.)．]\s*")
# "■第2報（2022年3月11日）": an update of the same notice on one page, under its number
_REPORT_NO = re.compile(r"(?:第[0-9一二三四五六七八九十]{1,2}|最終|初|続)報(?:告)?\s*(?:[(（][^()（）]{0,20}[)）])?\s*$")
_SECTION_END = re.compile(r"(?:情報|内容|項目|件数|方法|お願い|窓口|対象|範囲|日時|場所|原因|対応|経緯|概要)\s*$")


def _is_section(line: str) -> bool:
    """A heading of a notice's own section (its words, or how it ends), after any mark."""
    head = line.strip().lstrip("■□◆◇●▼▽○◎☆★▶►・ ")
    if _NAMED_LEAD.match(_HEAD_NUMBER.sub("", head, count=1)):
        return False  # "◇X県警、上半期の相談状況をまとめる": a body's news, not a section
    return len(head) <= 30 and bool(_SECTION_WORD.search(head) or _SECTION_END.search(head) or _REPORT_NO.match(head))


# A heading of a stretch of time, not of a body: ▼第1週(10/3~10/9), ＜10月＞
_PERIOD_WORD = re.compile(r"第[0-9一二三四五六七八九十]+[週回号部章]|[0-9]{1,2}月|[0-9]{1,2}/[0-9]{1,2}|上旬|中旬|下旬|前半|後半")


def _named_headings(text: str, lines: list[tuple[int, int]], taken: set[int], named: set[int]) -> list[int]:
    """Headings of one shape (――X, ▼X, ＜X＞ …) set apart above prose, three or more, none of
    them a section's words: a digest that heads each item with its body's name alone, be the
    name one the parser can tell as a body or not (――喫茶ポプラ, ――さくらんぼ歯科)."""
    shapes: dict[str, list[int]] = {}
    for i, (s, e) in enumerate(lines):
        if (i in taken and i not in named) or e - s > 40:
            continue
        line = text[s:e].strip()
        m = _NAME_HEADING.fullmatch(line)
        if m is None:
            continue
        name = _NAMED_ITEM_TAIL.sub("", m.group("n") or m.group("m") or "").strip()
        if not name or "。" in name or "、" in name or _SECTION_WORD.search(name) or _PERIOD_WORD.search(name) or not _prose_next(text, lines, i):
            continue
        shapes.setdefault(line[:1] if m.group("m") else "<", []).append(i)
    return [i for found in shapes.values() if len(found) >= 3 for i in found if i not in named]


# "1. 株式会社X、…", "1.X市「…について」(7月14日掲載)": an item of a numbered digest opens
# with a name and a comma, or a name and the title it gave its notice.
_NUMBERED_ITEM = re.compile(r"\s*[0-9]{1,2}\s?[.)]\s*(?:[^、。\s]{2,25}、|[^、。\s「」]{2,30}「)")
_NUMBER = re.compile(r"\s*(?P<n>[0-9]{1,2})\s?[.)]")


def _numbered_between(text: str, lines: list[tuple[int, int]], found: list[int], taken: set[int]) -> list[int]:
    """The other lines of a numbered digest's run (1. to its last number): an item that opens
    with a name in no recognisable shape, or with no name, is still the next item."""
    numbers = {}
    for i in found:
        m = _NUMBER.match(text, *lines[i])
        if m:
            numbers[i] = int(m.group("n"))
    if not numbers:
        return []
    lo, hi = min(numbers.values()), max(numbers.values()) + 1
    out = []
    for i in range(min(numbers), len(lines)):
        s, e = lines[i]
        m = _NUMBER.match(text, s, e)
        if i in taken or i in numbers or m is None or "。" in text[s:e] or e - s > 100:
            continue
        if lo <= int(m.group("n")) <= hi and _prose_next(text, lines, i):
            out.append(i)
            if int(m.group("n")) == hi:
                hi += 1
    return out
# A proper name: Latin letters, katakana, or kanji with a public body's suffix (not 誤送信).
# A news headline's lead: a kind of business, の, and a coined name (kana or latin in it) up to 、
_DESCRIBED_NAME = re.compile(r"[一-龥ァ-ヴー]{1,8}の(?P<n>(?=[^、\n]{0,11}[ぁ-んァ-ヴA-Za-z])[^\s、。,，はがをにで「」()（）]{2,12})(?=、)")
_NOT_A_NAME = re.compile(r"(?:情報|アドレス|番号|データ|ファイル|メール|システム|サイト|サーバー?|アカウント|パスワード|名簿|書類)$")
_FIRST_NAME = re.compile(rf"[A-Za-z][A-Za-z0-9.\-]{{2,}}|[ァ-ヴー]{{3,}}|[一-龥々ヶ]{{1,12}}(?:{PUBLIC_SUFFIX})")


def _new_subjects(text: str, lines: list[tuple[int, int]], heads: list[int], bare: list[bool], *, dated_only: bool) -> list[int]:
    """Headline-shaped lines of a digest whose prose is about a name the headline gives that
    the text since the last headline has not named: "東雲大学、新学長に山田氏" / "東雲大学は…"."""
    out: list[int] = []
    last = 0
    starts = set(heads)
    for i, (s, e) in enumerate(lines):
        if i in starts:
            last = s
            continue
        if not last or i + 1 >= len(lines) or (dated_only and not (i > 0 and bare[i - 1])) or e - s > 100:
            continue
        # (the cheap tests first: a name, then it again in the next line, then the shapes)
        name = _FIRST_NAME.search(text, s, min(e, s + 30))
        if not name:
            continue
        ns, ne = lines[i + 1]
        if text.find(name.group(), ns, min(ne, ns + 40)) < 0 or text.find(name.group(), last, s) >= 0:
            continue
        if _headline_shaped(text, s, e) and _prose_next(text, lines, i):
            out.append(i)
            last = s
    return out


def _norm_title(line: str) -> str:
    return re.sub(r"[\s■□◆◇●【】\[\]「」]", "", line)


def _drop_repeated_titles(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A page's title repeated as the heading of its own article is not a second item: a
    headline that repeats a line of the few lines above it."""
    out: list[tuple[int, str]] = []
    for i, rule_id in heads:
        t = _norm_title(text[lines[i][0] : lines[i][1]])
        if len(t) >= 6 and any(_norm_title(text[s:e]) == t for s, e in lines[max(0, i - _REPEAT_WINDOW) : i]):
            continue
        out.append((i, rule_id))
    return out


_REPEAT_WINDOW = 8
# An article's dateline: a date with its year, maybe its time and more after it
_DATELINE = re.compile(r"\s*(?:[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}|(?:[0-9]{4}|令和[0-9元]{1,2})年[0-9]{1,2}月[0-9]{1,2}日)(?![^\n]*。)")


_MENU_WORD = re.compile(r"ホーム|トップ(?:ページ)?|カテゴリー?|お問い?合わせ|サイトマップ|ログイン|メニュー|このブログについて|プロフィール|アーカイブ|検索|新着")


def _menu(line: str) -> bool:
    """A site's menu: four short words or more set apart by spaces, a menu's word among them
    ("ホーム カテゴリー このブログについて お問い合わせ")."""
    words = line.split()
    return len(words) >= 4 and all(len(w) <= 12 for w in words) and any(_MENU_WORD.fullmatch(w) for w in words)


def _lone_title(text: str, lines: list[tuple[int, int]]) -> tuple[str | None, int | None]:
    """The headline of a lone notice: one of its first lines.

    Official notices open with a date line and the issuer's name ("令和6年7月9日 / X市
    総務部") before the title; the line that reads like a title (お知らせ, について, an
    event word) is the title, else the first line that could be one.
    """
    first: tuple[str | None, int | None] = (None, None)
    dated = first
    # (a web page's masthead, menu and breadcrumb may take the first lines: the title that
    # reads like one wins over them, a few lines further down; so does the line right above
    # the article's dateline, "2017年6月14日 11時32分（最終更新 …）")
    for k, (s, e) in enumerate(lines[:8]):
        line = text[s:e].strip()
        if "。" in line or len(line) > 120 or _LIST_MARK.match(line) or _BARE_DATE.match(line) or _CRUMB.search(line) or _menu(line):
            continue
        if k >= 4 and not (_NOTICE_TITLE.search(line) or _EVENT.search(line)):
            continue
        if _NOTICE_TITLE.search(line) or _EVENT.search(line) or _ADVISORY_TITLE.search(line):
            return line, s
        if dated[0] is None and k + 1 < len(lines) and len(line) >= 8 and _DATELINE.match(text, *lines[k + 1]):
            dated = (line, s)
        if first[0] is None:
            first = (line, s)
    return dated if dated[0] is not None else first


def _item_start(text: str, lines: list[tuple[int, int]], i: int, floor: int, bare: list[bool]) -> int:
    """Where the item headed by line i starts: at the first line of its header above it (a
    date alone, the issuer's name), not past the line `floor` (the previous headline)."""
    start = lines[i][0]
    if MAIL_SUBJECT.match(text, *lines[i]):
        # a mail's header fields above its Subject ("Message: 2", Date:, From:, To:)
        j = i - 1
        while j > floor and _MAIL_HEADER_LINE.match(text, *lines[j]):
            start = lines[j][0]
            j -= 1
        return start
    for j in range(i - 1, max(floor, i - 4), -1):
        s, e = lines[j]
        if not (bare[j] or _org_only(text, s, e)):
            if j > 0 and _HEAVY_AT.match(text, s) and e - s <= 40 and "。" not in text[s:e]:
                start = s  # its heading (■また誤送信？ over 【対象】X社 【公表】…)
            break
        start = s
    return start


_URL_LINE = re.compile(vocab.LINK_LINE)


def _headline_above(text: str, lines: list[tuple[int, int]], i: int, floor: int, bare: list[bool], start: int) -> int:
    """An article's paragraph opens its item, and the short lines right above it (its
    headline, a dateline 【佐賀】 or （共同）) belong to it, not to the article before. (The
    first article's are the page's header too: they stay the document's.)"""
    for j in range(i - 1, max(floor, i - 4), -1):
        s, e = lines[j]
        if _is_prose(text[s:e]) or (e - s > 60 and not _URL_LINE.fullmatch(text, s, e)) or bare[j]:
            break
        start = s
    return start


# A note under an article: "（注2）菓子工房ルミエ「…」（2025年2月12日）", "1. ^ “…”. 株式会社X".
_NOTE_LINE = re.compile(r"[ \t]*(?:[(（]注\s?[0-9]{1,2}[)）]|[0-9]{1,2}\.\s?\^)")


def _notes_start(text: str, lines: list[tuple[int, int]], first: int, end: int) -> int:
    """Where the notes under an item begin (two note lines in a row, before end), or end: the
    notes cite every item's source and are none of them."""
    for j in range(first, len(lines) - 1):
        if lines[j][0] >= end:
            break
        if _NOTE_LINE.match(text, lines[j][0]) and _NOTE_LINE.match(text, lines[j + 1][0]):
            return lines[j][0]
    return end


def _segments(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]], stop: int, bare: list[bool]) -> list[Segment]:
    strong = [h for h in heads if h[1] != "segment.weak_headline"]
    if len(strong) < 2:
        heads = strong
    if len(heads) < 2:
        title = None
        title_start = None
        if heads:
            s, e = lines[heads[0][0]]
            title, title_start = text[s:e].strip(), s
        else:
            title, title_start = _lone_title(text, lines)
        rule_id = heads[0][1] if heads else "segment.whole"
        return [Segment(0, stop, title, title_start, rule_id)]
    starts = []
    for k, (i, rule_id) in enumerate(heads):
        floor = heads[k - 1][0] if k else -1
        start = _item_start(text, lines, i, floor, bare)
        if rule_id == SUBJECT_LEAD.id and k:
            start = _headline_above(text, lines, i, floor, bare, start)
        starts.append(start)
    if heads[0][1] == SUBJECT_LEAD.id and starts[0] < lines[heads[0][0]][0]:
        # A page's date above its first article stays the page's, unless every article has one.
        if not any(bare[heads[k][0] - 1] for k in range(1, len(heads)) if heads[k][0] > 0):
            starts[0] = lines[heads[0][0]][0]
    out: list[Segment] = []
    for k, (i, rule_id) in enumerate(heads):
        end = starts[k + 1] if k + 1 < len(heads) else stop
        if k + 1 == len(heads) and k and tables.is_row(text, *lines[i]) and tables.is_row(text, *lines[heads[k - 1][0]]):
            # A table's last row ends with the table: the notes and prose under it are the page's
            # (after a blank line; or at once, when its rows have nothing under them)
            blank = text.find("\n\n", lines[i][1] - 1, end)
            end = blank + 1 if blank >= 0 else end
            if heads[k - 1][0] == i - 1 and i + 1 < len(lines) and not tables.is_row(text, *lines[i + 1]):
                end = min(end, lines[i + 1][0])
        end = _notes_start(text, lines, i + 1, end)
        t = i + 1 if rule_id == BBS_POST.id and i + 1 < len(lines) else i  # (a post's first line, under its header)
        title = text[lines[t][0] : lines[t][1]].strip()
        out.append(Segment(starts[k], end, title, lines[t][0], rule_id))
    # The text before the first headline (a digest's introduction) is not an item.
    return out
