"""Dates: find them, give them a year only when the text makes it certain, give them a role."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .spans import Occupied

# Named fragments, reused by the rules below.
ERA = r"(?P<era>令和|平成|昭和)(?P<ey>元|[0-9]{1,2})年"
YEAR4 = r"(?P<y>(?:19|20)[0-9]{2})年"
YEAR2 = r"(?<![0-9'])(?P<yy>[0-9]{2})年"
MD = r"(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日"

_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}


@dataclass(frozen=True)
class DateRule:
    id: str
    pattern: re.Pattern[str]
    kind: str  # "full" | "rel" (同年) | "md" (month-day) | "day" (同月, 翌) | "after" (2日後)


def _rx(first: str, pattern: str) -> re.Pattern[str]:
    """A rule's regex behind a one-class lookahead on its first character (a fast scan)."""
    return re.compile(f"(?={first})(?:{pattern})")


# Order matters: a full date wins over the month-day inside it.
DATE_RULES: tuple[DateRule, ...] = (
    DateRule("date.era", _rx("[令平昭]", ERA + MD), "full"),
    # R4.10.18 / H31.4.1: era initials in municipal tables
    DateRule(
        "date.era_initial",
        _rx("[RHS]", r"(?<![A-Za-z0-9])(?P<era>[RHS])(?P<ey>[0-9]{1,2})[./](?P<m>[0-9]{1,2})[./](?P<d>[0-9]{1,2})(?![0-9])"),
        "full",
    ),
    DateRule("date.western", _rx("[12]", r"(?<![0-9])" + YEAR4 + MD), "full"),
    DateRule("date.yy", _rx("[0-9]", YEAR2 + MD), "full"),
    DateRule(
        "date.slash",
        _rx("[12]", r"(?<![0-9./\-])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9]|[./\-][0-9])"),
        "full",
    ),
    DateRule("date.same_year", _rx("[同本今昨前翌]", r"(?P<rel>同年|本年|今年|昨年|前年|翌年)" + MD), "rel"),
    DateRule("date.md", _rx("[0-9]", r"(?<![0-9年/.])" + MD), "md"),
    DateRule("date.same_month", _rx("[同翌今]", r"(?P<rel>同月|翌|同|今月)(?P<d>[0-9]{1,2})日"), "day"),
    DateRule("date.last_month", _rx("[先前]", r"(?P<rel>先月|前月)(?P<d>[0-9]{1,2})日"), "day"),
    # "7月19日から22日の間": the end of a range in the month of its start
    DateRule("date.range_end_day", _rx("[0-9]", r"(?:(?<=から)|(?<=~))(?P<rel>)(?P<d>[0-9]{1,2})日"), "day"),
    # "25日夕、県警から連絡があり": a bare day in the month of the date before it
    DateRule("date.bare_day", _rx("[0-9]", r"(?<![0-9月年/.\-~])(?P<rel>)(?P<d>[0-9]{1,2})日(?=[、,]|に[^0-9]|には|夕|朝|午前|午後|未明|深夜|夜|頃|ごろ|まで|から)"), "day"),
    DateRule("date.days_after", _rx("[0-9]", r"(?<![0-9])(?P<rel>)(?P<n>[0-9]{1,2})日後"), "after"),
    DateRule("date.next_day", re.compile(r"(?P<rel>翌日|同日|当日)"), "day"),
)

_URLISH = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%\-]*$")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date | None
    rule: str
    explicit_year: bool


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _in_url(text: str, start: int) -> bool:
    line_start = max(text.rfind("\n", 0, start), text.rfind(" ", 0, start), start - 200) + 1
    return bool(_URLISH.search(text, line_start, start)) or (
        start > 0 and text[start - 1] in "/=?&_#%"
    )


def find_dates(text: str, start: int = 0, end: int | None = None, *, dated: date | None = None) -> list[DateMention]:
    """Every date in text[start:end], in order, with a year resolved from context.

    `dated` is the date of the document around the text (a digest's dated header): it gives
    a year to month-days until the text gives one itself. What a digest reports has
    happened, so a month-day that would fall after it is of the year before.
    """
    end = len(text) if end is None else end
    found: list[tuple[int, int, DateRule, re.Match[str]]] = []
    taken = Occupied()
    for rule in DATE_RULES:
        for m in rule.pattern.finditer(text, start, end):
            s, e = m.span()
            if taken.overlaps(s, e):
                continue
            if _in_url(text, s):
                continue
            taken.add(s, e)
            found.append((s, e, rule, m))
    found.sort(key=lambda f: f[0])
    out: list[DateMention] = []
    ref: date | None = None  # the last date whose year the text made certain
    if dated is not None:
        ref = dated
    for s, e, rule, m in found:
        g = m.groupdict()
        value: date | None = None
        explicit = False
        if rule.kind == "full":
            if g.get("era"):
                ey = 1 if g["ey"] == "元" else int(g["ey"])
                year = _ERA_BASE[g["era"]] + ey
            elif g.get("yy"):
                year = 2000 + int(g["yy"])
            else:
                year = int(g["y"])
            value = _valid(year, int(g["m"]), int(g["d"]))
            if value is None:
                continue  # 2022年13月45日 is not a date
            explicit = True
        elif rule.kind == "rel":
            if ref is not None:
                shift = {"同年": 0, "本年": 0, "今年": 0, "昨年": -1, "前年": -1, "翌年": 1}[g["rel"]]
                value = _valid(ref.year + shift, int(g["m"]), int(g["d"]))
        elif rule.kind == "md":
            month, day = int(g["m"]), int(g["d"])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            if ref is not None:
                value = _valid(ref.year, month, day)
                if value is not None and dated is not None and value > dated + timedelta(days=7):
                    value = _valid(ref.year - 1, month, day)
        elif rule.kind == "after":
            if ref is not None:
                value = ref + timedelta(days=int(g["n"]))
        else:
            rel = g["rel"]
            if ref is not None:
                if rel in ("翌日", "同日", "当日", "前日"):
                    value = ref + timedelta(days={"翌日": 1, "前日": -1}.get(rel, 0))
                elif rel in ("先月", "前月"):
                    y, mo = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
                    value = _valid(y, mo, int(g["d"]))
                else:
                    day = int(g["d"])
                    value = _valid(ref.year, ref.month, day)
                    if value is not None and rel == "翌" and value < ref:
                        value = _valid(ref.year + ref.month // 12, ref.month % 12 + 1, day)
            elif rel in ("翌日", "同日", "当日", "前日"):
                continue  # a bare 翌日 with nothing to refer to is not worth a mention
        mention = DateMention(s, e, value, rule.id, explicit)
        out.append(mention)
        if value is not None:
            ref = value
    return out
