"""Counts of affected people or records (1,938件, 14万7545名, 約4万件, 28万件以上)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A number as notices write it: 1,938 / 147545 / 14万7545 / 171万1千756 / 4万 / 1.2万
NUM = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?"
JNUM = rf"(?:(?:{NUM})億)?(?:(?:{NUM})万)?(?:[0-9]千)?(?:{NUM})?"
# 者, 法人, 社, 団体 count bodies whose data leaked (1,234者, 52法人); "3,000の個人" counts people.
UNIT = r"件分|件|名分|名|人分|人|アカウント|ID|口座|世帯|通|者|法人|社|団体|事業者|事業所|枚|の個人"
PREFIX_QUAL = r"約|最大で?|およそ|概ね|計|合計|総計|延べ|少なくとも"
SUFFIX_QUAL = r"以上|超|余り|強|程度|前後|あまり"

COUNT_RE = re.compile(
    rf"(?=[0-9約最お概計合総延少])(?P<pre>{PREFIX_QUAL})?(?P<num>(?<![0-9,.\-])(?=[0-9])(?:{JNUM}))[ ]?(?P<unit>{UNIT})(?P<post>{SUFFIX_QUAL})?"
)
# 約2万5000人から3万人 / 2,000~3,000件: the larger end counts
RANGE_TAIL_RE = re.compile(rf"\s?(?:~|から|-)\s?(?P<pre>{PREFIX_QUAL})?(?P<num>{JNUM})(?P<unit>{UNIT})")


@dataclass(frozen=True)
class Count:
    start: int
    end: int
    value: int
    unit: str
    qualifier: str | None
    rule: str


def parse_jnum(s: str) -> int | None:
    """'14万7545' -> 147545, '171万1千756' -> 1711756, '4万' -> 40000, '1,938' -> 1938."""
    s = s.replace(",", "")
    if not s:
        return None
    total = 0.0
    rest = s
    for unit, mult in (("億", 10**8), ("万", 10**4), ("千", 10**3)):
        if unit in rest:
            head, rest = rest.split(unit, 1)
            try:
                total += float(head) * mult
            except ValueError:
                return None
    if rest:
        try:
            total += float(rest)
        except ValueError:
            return None
    if total != int(total):
        return None
    return int(total)


def _qualifier(pre: str | None, post: str | None) -> str | None:
    if pre and pre.startswith("最大"):
        return "最大"
    if pre in ("約", "およそ", "概ね") or post in ("程度", "前後", "余り", "あまり", "強"):
        return "約"
    if post in ("以上", "超") or pre == "少なくとも":
        return "以上"
    return None


# Filters: a count that is really something else.
_BAD_BEFORE = re.compile(r"(?:第|No\.?|№|TEL|Tel|電話|FAX|〒|ver\.?|Ver\.?|#)\s?$")
# A URL is ASCII: Japanese text after it has no spaces but is not part of it.
_BAD_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%\-]*$")


def find_counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    end = len(text) if end is None else end
    out: list[Count] = []
    last_end = -1
    for m in COUNT_RE.finditer(text, start, end):
        if m.start() < last_end:
            continue
        raw = m.group("num")
        if not raw or not raw[0].isdigit():
            continue
        s = m.start()
        before = text[max(0, s - 12) : s]
        if _BAD_BEFORE.search(before) or _BAD_URL.search(text[max(0, s - 80) : s]):
            continue
        # "1万人" is fine, but a digit run glued to letters is an identifier (ABC123件 is rare)
        if s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
            continue
        value = parse_jnum(raw)
        if value is None or value <= 0:
            continue
        pre, post = m.group("pre"), m.group("post")
        qual = _qualifier(pre, post)
        e = m.end()
        rule = "count.simple"
        tail = RANGE_TAIL_RE.match(text, e, end)
        if tail and tail.group("unit") == m.group("unit"):
            top = parse_jnum(tail.group("num"))
            if top and top > value:
                value, e, rule = top, tail.end(), "count.range"
                qual = qual or "最大"
        last_end = e
        out.append(Count(s, e, value, m.group("unit"), qual, rule))
    return out
