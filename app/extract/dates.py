"""Dates: find them, and give them a year only when the text makes it certain.

A year is certain when the text writes it (2022年, 令和4年, 22年), when a date before it in the
same text gave one (the year is carried forward), when the document's own date (`dated`: a
digest's header, a notice's dateline at its head or foot) gives one, when the end of a range
gives its start one ("7月19日~2024年7月22日"), or when the weekday written beside a month-day
fits only one year near the text's years ("5月26日(日)" in a text of 2024). Relative words
take their base from what they are relative to: 同年 and 同月 from the date before; 今年, 昨年,
今月 and 先月 from the document's own date (a date of another year before 今年 says nothing
of which year is "this" one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .rules import Rule, rule

# Named fragments, reused by the rules below. Spaces may sit between the parts ("令和 6 年").
ERA = r"(?P<era>令和|平成|昭和)\s?(?P<ey>元|[0-9]{1,2})\s?年"
YEAR4 = r"(?P<y>(?:19|20)[0-9]{2})年"
YEAR2 = r"(?<![0-9'])(?P<yy>[0-9]{2})年"
MD = r"(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日"
# "2024年(令和6年)5月28日", "令和6年(2024年)5月28日": the other calendar in parentheses.
_OTHER_CAL = r"(?:\((?:(?:令和|平成)\s?(?:元|[0-9]{1,2})|(?:19|20)[0-9]{2})年(?:度)?\))?"

_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True)
class DateRule:
    rule: Rule
    kind: str  # "full" | "rel" (同年, 今年) | "md" (month-day) | "day" (同月, 翌, 今月) | "after" (2日後) | "today" (昨日)

    @property
    def id(self) -> str:
        return self.rule.id


def _rx(first: str, pattern: str) -> re.Pattern[str]:
    """A rule's regex behind a one-class lookahead on its first character (a fast scan)."""
    return re.compile(f"(?={first})(?:{pattern})")


# Order matters: a full date wins over the month-day inside it.
DATE_RULES: tuple[DateRule, ...] = (
    DateRule(rule(
        "date.era", _rx("[令平昭]", ERA + _OTHER_CAL + MD),
        examples=["令和4年10月18日に不正アクセスが判明しました。", "令和 6年5月28日、委託先から報告がありました。",
                  "令和6年(2024年)5月28日に委託先から報告を受けました。"],
        must_not=["令和5年度の納税通知書が流出しました。"],
    ), "full"),
    # R4.10.18 / H31.4.1: era initials in municipal tables
    DateRule(rule(
        "date.era_initial",
        _rx("[RHS]", r"(?<![A-Za-z0-9])(?P<era>[RHS])(?P<ey>[0-9]{1,2})[./](?P<m>[0-9]{1,2})[./](?P<d>[0-9]{1,2})(?![0-9])"),
        examples=["R4.10.18 委託先から連絡を受けました。"],
        must_not=["SR4.10.18", "ver R4.10.183"],
    ), "full"),
    DateRule(rule(
        "date.western", _rx("[12]", r"(?<![0-9])" + YEAR4 + _OTHER_CAL + MD),
        examples=["2022年8月19日にカード会社から連絡を受けました。", "2024年(令和6年)5月28日に判明しました。"],
        must_not=["2022年度に策定した計画です。"],
    ), "full"),
    DateRule(rule(
        "date.yy", _rx("[0-9]", YEAR2 + MD),
        examples=["市は25年12月19日まで申請者の名簿を掲載していた。"],
        must_not=["2025年12月19日"],
    ), "full"),
    DateRule(rule(
        "date.slash",
        _rx("[12]", r"(?<![0-9./\-])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9]|[./\-][0-9])"),
        examples=["発表日時 2024/1/17\n通販サイトで不正ログインを確認しました。"],
        must_not=["192.168.1.10", "2022/11/250"],
    ), "full"),
    DateRule(rule(
        "date.same_year", _rx("[同本今昨前翌去]", r"(?P<rel>同年|本年|今年|昨年|去年|前年|翌年)の?" + MD),
        examples=["2022年9月12日から送信し、同年11月1日に判明しました。", "去年の9月10日から今年の1月28日までに購入した方"],
        must_not=["同年度の予算"],
    ), "rel"),
    DateRule(rule(
        "date.same_year_slash",
        _rx("[本今昨去]", r"(?P<rel>本年|今年|昨年|去年)の?(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9/])"),
        examples=["掲載期間:昨年12/26~今年1/19"],
        must_not=["今年度の1/2"],
    ), "rel"),
    DateRule(rule(
        "date.md", _rx("[0-9]", r"(?<![0-9年/.])" + MD),
        examples=["2022年8月19日に連絡を受け、8月22日に決済を停止しました。"],
        must_not=["3か月後"],
    ), "md"),
    # "7/3｜株式会社X｜…", "…を紛失(11/17)": a month and day written with a slash, as a
    # table's cell, in brackets after an item, or opening a line (not 1/2 in prose)
    DateRule(rule(
        "date.md_slash",
        _rx("[0-9]", r"(?:(?:(?<=^)|(?<=[\n(（|｜\t]))(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12][0-9]|0?[1-9])(?=[ \t]*[)）|｜\t]|[ \t]+\S|\([月火水木金土日]\))"
            # in prose, where a word of time follows: "11/9夜", "10/28~11/12で", "11/11公表の"
            r"|(?<![0-9/.\-:])(?P<m2>1[0-2]|0?[1-9])/(?P<d2>3[01]|[12][0-9]|0?[1-9])"
            r"(?=\([月火水木金土日]\)|夜|朝|昼|夕|未明|深夜|午前|午後|頃|ごろ|付|以降|から|まで|~|に(?![0-9減増縮拡な当])|公表|発表|掲載)"
            r"|(?<=~)(?P<m3>1[0-2]|0?[1-9])/(?P<d3>3[01]|[12][0-9]|0?[1-9])(?![0-9/]))"),
        examples=["7/3|株式会社ミカサ楽器|不正アクセス|カード情報1,893件流出", "・県立青嵐高校、USBメモリーを紛失(11/17)",
                  "盗難に気付いたのは11/9夜で", "期間は10/28~11/12で", "11/11(月)"],
        must_not=["全体の1/2が対象", "2024/11/17", "1/3ページ", "1/2に減った分"],
    ), "md"),
    DateRule(rule(
        "date.same_month", _rx("[同翌今]", r"(?P<rel>同月|翌|同|今月)(?P<d>[0-9]{1,2})日"),
        examples=["2022年8月19日に連絡を受け、同月22日に決済を停止しました。"],
        must_not=["同日に公表"],
    ), "day"),
    DateRule(rule(
        "date.last_month", _rx("[先前]", r"(?P<rel>先月|前月)(?P<d>[0-9]{1,2})日"),
        examples=["2024年8月2日に公表した。先月16日に発覚した。"],
    ), "day"),
    # "7月19日から22日の間": the end of a range in the month of its start
    DateRule(rule(
        "date.range_end_day", _rx("[0-9]", r"(?:(?<=から)|(?<=~))(?P<rel>)(?P<d>[0-9]{1,2})日"),
        examples=["2024年7月19日から22日の間、不正なスクリプトが埋め込まれていました。"],
        must_not=["22日から"],
    ), "day"),
    # "25日夕、県警から連絡があり": a bare day in the month of the date before it
    DateRule(rule(
        "date.bare_day",
        _rx("[0-9]", r"(?<![0-9月年/.\-~])(?P<rel>)(?P<d>[0-9]{1,2})日(?=[、,]|付|に[^0-9]|には|夕|朝|午前|午後|未明|深夜|夜|頃|ごろ|まで|から|の(?:定例|臨時)?(?:記者会見|会見|記者発表|議会)|(?:(?<=\([0-9]日)|(?<=\([0-9]{2}日))\))"),
        examples=["2022年11月27日に発表した。25日夕、県警から連絡があった。", "不正ログインがあったと発表した(4日)。", "同社は20日付で、文書を掲載した。",
                  "2025年1月11日 市長は10日の定例記者会見で、…と発表した。"],
        must_not=["3日間にわたり", "10日以内に"],
    ), "day"),
    DateRule(rule(
        "date.days_after", _rx("[0-9]", r"(?<![0-9])(?P<rel>)(?P<n>[0-9]{1,2})日後"),
        examples=["2025年1月14日に誤って公開し、2日後に職員が気づいた。"],
    ), "after"),
    # "昨日夜に公表", "先週金曜に検知": a day counted from the day the text was written (a
    # post's timestamp); without one, no date (a notice's 本日 is its own date: see timeline)
    DateRule(rule(
        "date.relative_day",
        _rx("[一昨今先]", r"(?P<rel>一昨日|昨日|今日)(?!中|以降|以前|時点|現在|まで|より)|先週の?(?P<wd>[月火水木金土日])曜日?"),
        examples=["デリバリーアプリのX社が、昨日夜に不正ログイン被害を公表。", "異常を検知したのは先週金曜とのこと。"],
        must_not=["本日時点で被害は確認されていません。"],
    ), "today"),
    DateRule(rule(
        "date.next_day", r"(?P<rel>翌日|同日|当日|前日)",
        examples=["2022年8月19日に連絡を受け、翌日に決済を停止しました。"],
    ), "day"),
)

# A time that no date names: a day counted from it (翌日, 同日, 2日後) has nothing to count from.
VAGUE_TIME = rule(
    "date.vague_time",
    r"[0-9]{1,2}月(?:末|上旬|中旬|下旬|初旬|初め|頃|ごろ)|先週|今週|先月末|月末|年末|年明け|数日前|数日後",
    examples=["2022年11月17日に分かりました。10月末ごろ、生徒が教室にタブレットを忘れました。翌日、生徒が録音に気づきました。"],
    must_not=["2022年8月19日に連絡を受けました。その後、同月22日に決済を停止しました。"],
)
# A date inside an address is part of the address (…/news/2022/11/25/notice.html).
IN_URL = rule(
    "date.in_url", r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%\-]*(?=[0-9])",
    examples=["詳細はhttps://example.jp/notice?date=2022.11.25 をご覧ください。2022年8月19日に判明しました。"],
    must_not=["2022年8月19日に判明しました。"],
)
# "(日)", "(木曜日)", "(水・祝)": the weekday written after a date.
WEEKDAY = rule(
    "date.weekday", r"\s?\((?P<w>[月火水木金土日])(?:曜日?)?(?:・祝)?\)",
    examples=["5月26日(日)にランサムウェア被害を受けたと、令和6年5月28日(火)に委託先から報告がありました。"],
    must_not=["(株)"],
)
# A range's end gives its start a year: "7月19日~2024年7月22日", "6月23日から同年6月30日".
RANGE_TO = rule(
    "date.range_to", r"\s*+(?:\([^)]{1,6}\))?\s*+(?:[0-9:時分頃ごろ午前後正]{0,12})\s*+(?:~|-|–|から|より)\s*(?=(?:19|20)[0-9]{2}|令和|平成)",
    examples=["7月19日~2024年7月22日に購入されたお客様のカード情報が流出した可能性があります。"],
    must_not=["7月19日に連絡を受け、2024年7月22日"],
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date | None
    rule: str
    explicit_year: bool

    def line(self, text: str) -> tuple[int, int]:
        """Where the line the date stands on starts and ends in text."""
        end = text.find("\n", self.end)
        return text.rfind("\n", 0, self.start) + 1, len(text) if end < 0 else end


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _in_url(text: str, start: int) -> bool:
    line_start = max(text.rfind("\n", 0, start), text.rfind(" ", 0, start), start - 200) + 1
    return any(m.end() == start for m in IN_URL.finditer(text, line_start, start + 1)) or (
        start > 0 and text[start - 1] in "/=?&_#%"
    )


# Every date this module reads has 日 in it, or is written with slashes or dots (2024/1/17, R4.10.18).
ANY_DATE = rule(
    "date.any", r"日|[0-9][/.\-][0-9]",
    examples=["2024/1/17 不正ログインを確認しました。"], must_not=["令和5年度の名簿"],
)


def _combined(rules: tuple[DateRule, ...]) -> tuple[re.Pattern[str], tuple[tuple[tuple[str, str], ...], ...]]:
    """All date rules as one alternation, in their order, scanned once from left to right: at
    a position the earlier rule wins, and a match hides what lies inside it (8月19日 inside
    2022年8月19日). Each rule's groups are renamed apart (m → m_3) and mapped back."""
    parts: list[str] = []
    names: list[tuple[tuple[str, str], ...]] = []
    for k, dr in enumerate(rules):
        src = dr.rule.pattern.pattern
        own = tuple((g, f"{g}_{k}") for g in dr.rule.pattern.groupindex)
        src = re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{k}>", src)
        src = re.sub(r"\(\?P=(\w+)\)", rf"(?P=\1_{k})", src)
        parts.append(f"(?P<rule_{k}>{src})")
        names.append(own)
    # One class test skips the characters no rule starts with (most of a text).
    return re.compile("(?=[令平昭RHS0-9同本今昨前翌去先当])(?:" + "|".join(parts) + ")"), tuple(names)


_ALL_DATES, _GROUPS = _combined(DATE_RULES)
_RULE_INDEX = {f"rule_{k}": k for k in range(len(DATE_RULES))}


# A thread's post counter on a line of its own, "(2/6)": the second post of six, when another
# line counts posts of the same number.
_COUNTER_LINE = re.compile(r"(?m)^[ \t]*\((?P<n>[0-9]{1,2})/(?P<of>[0-9]{1,2})\)[ \t]*$")


def _post_counter(text: str, s: int, e: int) -> bool:
    if s == 0 or text[s - 1] != "(":
        return False
    lo = max(0, s - 10)  # (a counter's line holds nothing but the counter and spaces)
    nl = text.rfind("\n", lo, s)
    if nl < 0 and lo > 0:
        return False
    m = _COUNTER_LINE.match(text, nl + 1)
    if m is None or m.start("n") != s or int(m["n"]) > int(m["of"]):
        return False
    # (the other counters of a thread are near: a long text is not scanned whole per counter)
    return any(
        o.start() != m.start() and o["of"] == m["of"]
        for o in _COUNTER_LINE.finditer(text, max(0, s - 3000), min(len(text), s + 3000))
    )


def _scan(text: str, start: int, end: int) -> list[tuple[int, int, DateRule, dict[str, str | None]]]:
    found: list[tuple[int, int, DateRule, dict[str, str | None]]] = []
    if not ANY_DATE.search(text, start, end):
        return found
    for m in _ALL_DATES.finditer(text, start, end):
        s, e = m.span()
        if _in_url(text, s) or _post_counter(text, s, e):
            continue
        k = _RULE_INDEX[m.lastgroup]  # type: ignore[index]
        dr = DATE_RULES[k]
        dr.rule.fired()
        found.append((s, e, dr, {g: m.group(new) for g, new in _GROUPS[k]}))
    return found


def _full_year(g: dict[str, str | None]) -> int:
    if g.get("era"):
        ey = 1 if g["ey"] == "元" else int(g["ey"])  # type: ignore[arg-type]
        return _ERA_BASE[g["era"]] + ey  # type: ignore[index]
    if g.get("yy"):
        return 2000 + int(g["yy"])  # type: ignore[arg-type]
    return int(g["y"])  # type: ignore[arg-type]


def find_dates(text: str, start: int = 0, end: int | None = None, *, dated: date | None = None) -> list[DateMention]:
    """Every date in text[start:end], in order, with a year resolved from context.

    `dated` is the date of the document around the text (a digest's dated header, a notice's
    own date): it gives a year to month-days until the text gives one itself, and it is what
    今年, 昨年 and 今月 are relative to. What a document reports has happened, so a month-day
    that would fall after it is of the year before.
    """
    end = len(text) if end is None else end
    return resolve_dates(text, scan_dates(text, start, end), dated=dated)


Scanned = list[tuple[int, int, DateRule, dict[str, str | None]]]


def scan_dates(text: str, start: int = 0, end: int | None = None) -> Scanned:
    """The date expressions of text[start:end], before any year is given to them."""
    return _scan(text, start, len(text) if end is None else end)


def resolve_dates(text: str, found: Scanned, *, dated: date | None = None, stamped: bool = False) -> list[DateMention]:
    """The scanned dates with their values (see find_dates); cheap to repeat with another
    document date once the document's own date is known. `stamped`: `dated` is the day the
    text was written (a post's timestamp), so its 昨日 and 先週金曜 are counted from it."""
    out: list[DateMention] = []
    ref: date | None = dated  # the last date whose year the text made certain
    latest: date | None = dated  # the latest of them
    ref_doc = dated is not None  # ref's year comes from the document's date, not the text
    ref_end = found[0][0] if found else 0  # where the date that set ref was written
    news_day: date | None = None  # a news story's dateline, once its lead has told the day by it
    for s, e, dr, g in found:
        value: date | None = None
        explicit = False
        kind = dr.kind
        if kind == "full":
            value = _valid(_full_year(g), int(g["m"]), int(g["d"]))
            if value is None:
                continue  # 2022年13月45日 is not a date
            explicit = True
        elif kind == "rel":
            rel = g["rel"]
            month, day = int(g["m"]), int(g["d"])
            if rel in ("同年", "前年", "翌年"):
                if ref is not None:
                    value = _valid(ref.year + {"同年": 0, "前年": -1, "翌年": 1}[rel], month, day)
            elif dated is not None:  # 今年, 本年, 昨年, 去年: the document's year
                value = _valid(dated.year - (rel in ("昨年", "去年")), month, day)
        elif kind == "md":
            month, day = int(g["m"] or g["m2"] or g["m3"]), int(g["d"] or g["d2"] or g["d3"])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            if ref is not None:
                value = _valid(ref.year, month, day)
                if value is not None and ref_doc and dated is not None and value > dated + timedelta(days=7):
                    value = _valid(ref.year - 1, month, day)
                elif (
                    value is not None and not ref_doc and dated is not None and ref.year < dated.year
                    and value < ref - timedelta(days=60) and not _PERIOD_AFTER.match(text, e)
                ):
                    # "2023年11月30日付で退職した社員が、2023年10月2日から…持ち出していたことが
                    # 2月9日に確認された" in an article of 2024年3月: a story told forward runs
                    # into the next year, when that is not after the document
                    later = _valid(ref.year + 1, month, day)
                    if later is not None and later <= dated + timedelta(days=7):
                        value = later
        elif kind == "today":
            if dated is None or not stamped:
                continue
            if g["wd"]:
                monday = dated - timedelta(days=dated.weekday())
                value = monday - timedelta(days=7 - _WEEKDAYS.index(g["wd"]))
            else:
                value = dated - timedelta(days={"一昨日": 2, "昨日": 1, "今日": 0}[g["rel"]])
        elif kind == "after":
            if ref is not None and not VAGUE_TIME.search(text, ref_end, s):
                value = ref + timedelta(days=int(g["n"]))
        else:
            rel = g["rel"]
            if rel not in ("今月", "先月", "前月") and ref is not None and VAGUE_TIME.search(text, ref_end, s):
                # "10月末ごろ…翌日": the day after a time no date names
                out.append(DateMention(s, e, None, dr.id, False))
                continue
            if rel in ("今月", "先月", "前月"):
                # The document's month; without a dated document, the month of the latest
                # date so far when the text has just named it (an article's recent past).
                # (or a day of that month told after it, or when it heads the text as an article's
                # dateline does: "2020年11月18日付 … 16日、… 10月21日から今月2日まで")
                recent = ref is not None and latest is not None and (ref.year, ref.month) == (latest.year, latest.month)
                heading = latest is not None and out and out[0].explicit_year and out[0].value == latest
                base = dated if dated is not None else (latest if ref is not None and (recent or heading) else None)
                if base is not None:
                    if rel == "今月":
                        value = _valid(base.year, base.month, int(g["d"]))
                    else:
                        value = _in_month_before(base, int(g["d"]))
            elif rel == "" and dated is not None and ref is not None and ref != dated and _LEAD_DAY.search(text, max(0, s - 2), s):
                # "5月19日に公表していた丸越運輸は6日、第2報を公表し": a news lead's day is of
                # the article's month, not of the date the sentence recalled
                value = _valid(dated.year, dated.month, int(g["d"]))
                if value is not None and value > dated:
                    value = _in_month_before(dated, int(g["d"]))
            elif rel == "" and news_day is not None:
                # A news story's bare day is of its dateline's month, whatever month the
                # sentences before it named ("4月9日…掲載した。21日夜に保護者から電話があり"
                # in a paper of 5月24日), the month before when it would fall after the dateline
                value = _valid(news_day.year, news_day.month, int(g["d"]))
                if value is not None and value > news_day:
                    value = _in_month_before(news_day, int(g["d"]))
            elif ref is not None:
                if rel in ("翌日", "同日", "当日", "前日"):
                    value = ref + timedelta(days={"翌日": 1, "前日": -1}.get(rel, 0))
                else:
                    day = int(g["d"])
                    value = _valid(ref.year, ref.month, day)
                    if value is not None and rel == "翌" and value < ref:
                        value = _valid(ref.year + ref.month // 12, ref.month % 12 + 1, day)
                    elif value is not None and rel == "" and ref_doc and dated is not None and value > dated:
                        # "30日" in a paper of 7月10日: what it reports has happened, last month
                        value = _in_month_before(dated, day)
            elif rel in ("翌日", "同日", "当日", "前日"):
                if not out or out[-1].value is not None:
                    continue  # a bare 翌日 with nothing to refer to is not worth a mention
                # (after a date whose year only a later one gives: _backward may resolve both)
        if (
            kind == "day" and g["rel"] == "" and news_day is None and value is not None and out and out[0].explicit_year
            and value == out[0].value and _LEAD_DAY.search(text, max(0, s - 2), s)
        ):
            news_day = value  # "美浜台市教育委員会は24日、" under a dateline of that day: a news story
        out.append(DateMention(s, e, value, dr.id, explicit))
        if value is not None:
            # (the document's own date, written out, leaves ref the document's; 昨年12月19日 does not)
            ref_doc = ref_doc and (not explicit or value == dated) and kind != "rel"
            ref = value
            ref_end = e
            if latest is None or value > latest:
                latest = value
    return _backward(text, out, found)


_NEAR_DAYS = 45


def _in_month_before(base: date, day: int) -> date | None:
    """The day in the month before base's (先月28日; 30日 in a paper of 7月10日)."""
    y, mo = (base.year, base.month - 1) if base.month > 1 else (base.year - 1, 12)
    return _valid(y, mo, day)
_LEAD_DAY = re.compile(r"(?:は|が)\Z")
_PERIOD_AFTER = re.compile(r"(?:\([^)\n]{1,4}\))?\s?(?:から|より|以降|〜|~|－|-)")


# A line that holds a date and nothing else but its time and brackets: a dateline
_DATELINE_REST = re.compile(r"[\s(（\[［【]*(?:[0-9]{1,2}[時:：][0-9]{0,2}分?\s*)?(?:更新|配信|掲載|公開)?[)）\]］】]*\s*")


def _on_dateline(text: str, d: DateMention) -> bool:
    """Whether a date stands alone on its line (brackets, a time, 配信 aside)."""
    ls = text.rfind("\n", 0, d.start) + 1
    le = text.find("\n", d.end)
    le = len(text) if le < 0 else le
    before = text[ls : d.start].strip(" \t\u3000(（[［【")
    if not before and _DATELINE_REST.fullmatch(text, d.end, le) is not None:
        return True
    # (or, where the lines ran together, in brackets with its time: "…とコメントした。(2018年6月12日 18時40分)")
    return text[d.start - 1 : d.start] in ("(", "（") and _BRACKETED_TIME.match(text, d.end) is not None


_BRACKETED_TIME = re.compile(r"\s?[0-9]{1,2}(?:時[0-9]{0,2}分?|[:：][0-9]{2})\s?[)）]")


def _backward(text: str, out: list[DateMention], found: Scanned) -> list[DateMention]:
    """Years that only a later part of the text makes certain: a range's end, a weekday,
    the month of a later 今月 for the bare days of a news lead."""
    if all(d.value is not None for d in out):
        return out
    matches = {s: g for s, _, _, g in found}
    years = sorted({d.value.year for d in out if d.value is not None and d.explicit_year})
    fixed = list(out)
    for k, d in enumerate(fixed):
        if (
            d.value is None and d.rule == "date.next_day" and k > 0 and fixed[k - 1].value is not None
            and not VAGUE_TIME.search(text, fixed[k - 1].end, d.start)
        ):
            rel = text[d.start : d.end]
            fixed[k] = DateMention(d.start, d.end, fixed[k - 1].value + timedelta(days={"翌日": 1, "前日": -1}.get(rel, 0)), d.rule, False)  # type: ignore[operator]
            continue
        if d.value is not None or d.rule not in ("date.md", "date.md_slash", "date.bare_day"):
            continue
        g = matches[d.start]
        nxt = fixed[k + 1] if k + 1 < len(fixed) else None
        value: date | None = None
        if d.rule in ("date.md", "date.md_slash"):
            month, day = int(g["m"] or g["m2"] or g["m3"]), int(g["d"] or g["d2"] or g["d3"])
            gap = RANGE_TO.match(text, d.end, nxt.end) if nxt is not None and nxt.value is not None else None
            if nxt is not None and nxt.value is not None and gap is not None and gap.end() == nxt.start:
                value = _valid(nxt.value.year, month, day)
                if value is not None and value > nxt.value:
                    value = _valid(nxt.value.year - 1, month, day)
            if value is None and years:
                w = WEEKDAY.match(text, d.end)
                if w:
                    want = _WEEKDAYS.index(w.group("w"))
                    fits = [y for y in range(years[0] - 1, years[-1] + 2) if (v := _valid(y, month, day)) and v.weekday() == want]
                    if len(fits) == 1:
                        value = _valid(fits[0], month, day)
            if value is None:
                # "5月12日…(two days later) 2021年5月14日": a full date close after it leaves one
                # year; across a year's end (12月20日 … 2024年1月10日) it leaves none.
                full = next((x for x in fixed[k + 1 : k + 11] if x.explicit_year and x.value is not None), None)
                if full is not None and full.value is not None:
                    v = _valid(full.value.year, month, day)
                    if v is not None and abs((full.value - v).days) <= _NEAR_DAYS:
                        value = v
            if value is None:
                # "（2018年6月12日 18時40分）" on its own line after the story: an article's
                # dateline at its foot dates what it tells, which happened before it
                foot = next((x for x in fixed[k + 1 :] if x.explicit_year and x.value is not None and _on_dateline(text, x)), None)
                if foot is not None and foot.value is not None:
                    value = _valid(foot.value.year, month, day)
                    if value is not None and value > foot.value:
                        value = _valid(foot.value.year - 1, month, day)
        else:
            later = next((x for x in fixed[k + 1 : k + 21] if x.rule == "date.same_month" and x.value is not None
                          and text.startswith("今月", x.start)), None)  # in the same article: nearby
            if later is not None and later.value is not None:
                value = _valid(later.value.year, later.value.month, int(g["d"]))
        if value is not None:
            fixed[k] = DateMention(d.start, d.end, value, d.rule, False)
    return fixed
