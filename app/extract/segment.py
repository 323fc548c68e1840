"""Split a document into one segment per item: a digest or a blog page holds many."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .attack import NOT_INCIDENT_RULES
from .dates import find_dates
from .orgs import find_orgs

_HEAVY_MARK = re.compile(r"^[■□◆◇●]\s*")
_LIST_MARK = re.compile(r"^\s*(?:[0-9]+\s?[.)．、]|[(][0-9一二三四五六七八九十]+[)]|[①-⑳]|[・※•●■□◆◇▼▲★☆<>〈〔\-*]|第[0-9一二三四五六七八九十]+)")
_NOTICE_TITLE = re.compile(r"お詫び|おわび|お知らせ|について|ご報告|ご案内|に関する|発生|被害")
_EVENT = re.compile(
    r"漏えい|漏洩|流出|不正アクセス|ランサム|フィッシング|誤送信|誤送付|紛失|盗難|懲戒|攻撃|脆弱性|"
    r"共有され|乗っ取|被害|不正ログイン|盗んだ|持ち出|不正に閲覧|参照可能|書き換え|詐称|感染|閲覧可能|インシデント|騙る|改ざん"
)
_HEAD_PREFIX = re.compile(r"^(?P<p>[一-龥々ヶァ-ヴーA-Za-z0-9・.&\-]{2,25})(?:、|,| - |――|——)")
_ADVISORY_TITLE = re.compile(r"注意喚起|ご?注意(?:ください|下さい|を)|に注意$|装った|装う|名乗る")
_NUMBERED = re.compile(r"[0-9]{1,2}\s?[.)．]\s*")
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
    return "。" in line and len(line) >= 30


_BARE_DATE = re.compile(r"^\s*(?:[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日)(?:\s*\([^)]{1,4}\))?\s*/?\s*$")
_ENDS_DATED = re.compile(r"(?:[0-9]日|[0-9]{4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2})[)]?$")


def headline_rule(text: str, s: int, e: int, *, after_date_line: bool = False) -> str | None:
    """Why a line heads a new item, or None.

    "segment.weak_headline" is a headline only in a document that already has two strong
    ones (a digest); in a single notice the same shape is a section heading.
    """
    line = text[s:e].strip()
    # Digests mark their items with ■ or ●; a notice marks its lists with ・ and numbers.
    heavy = _HEAVY_MARK.match(line)
    if heavy:
        line = line[heavy.end() :].strip()
    numbered = None if heavy else _NUMBERED.match(line)
    if numbered:
        # "1. 株式会社X、…流出": a numbered digest item opens with a name; a notice's
        # numbered sections ("1.経緯", "2.漏えいした情報") do not.
        line = line[numbered.end() :].strip()
        lead = find_orgs(line, 0, min(len(line), 40))
        if not (_EVENT.search(line) and ((lead and lead[0].start == 0) or _HEAD_PREFIX.match(line))):
            return None
    if not (6 <= len(line) <= 200) or (not heavy and not numbered and _LIST_MARK.match(line)):
        return None
    if "。" in line:
        return None
    event = _EVENT.search(line) or any(p.search(line) for _, p in NOT_INCIDENT_RULES) or _ADVISORY_TITLE.search(line)
    notice_like = _NOTICE_TITLE.search(line)
    if not event and not notice_like and not after_date_line:
        return None
    has_date = any(d.explicit_year for d in find_dates(line))
    if not event and not has_date and not after_date_line:
        return None
    orgs = find_orgs(line)
    if has_date and _ENDS_DATED.search(line) and notice_like and orgs:
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
    r"(?:関連記事|関連する記事|合わせて読みたい|あわせて読みたい|人気記事|人気の記事|おすすめ記事|おすすめの記事|"
    r"注目記事|ランキング|アクセスランキング|この記事を読んだ人は|こちらの記事もおすすめ|新着記事|最新記事|次の記事|前の記事)"
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
    lines = _lines(text)
    heads = _headlines(text, lines)
    stop = _navigation_start(text, lines)
    if stop < len(text) and sum(1 for i, _ in heads if lines[i][0] < stop) <= 1:
        lines = [ln for ln in lines if ln[0] < stop]
        heads = [h for h in heads if h[0] < len(lines)]
    else:
        stop = len(text)
    return _segments(text, lines, heads, stop)


def _headlines(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(index into lines, rule) of every line that heads an item."""
    heads: list[tuple[int, str]] = []
    prev_bare_date = False
    for i, (s, e) in enumerate(lines):
        raw = text[s:e]
        if not raw.strip():
            continue
        rule = headline_rule(text, s, e, after_date_line=prev_bare_date)
        prev_bare_date = bool(_BARE_DATE.match(raw))
        if rule is None:
            continue
        # A headline is followed by prose (before any other headline); a notice's dated
        # header by any text at all.
        marked = bool(_HEAVY_MARK.match(raw.strip()))
        for j in range(i + 1, min(i + 12, len(lines))):
            ls, le = lines[j]
            body = text[ls:le].strip()
            if not body:
                continue
            if headline_rule(text, ls, le):
                break
            if _is_prose(body) or (rule == "segment.notice_header" and len(body) >= 4 and not marked):
                heads.append((i, rule))
                break
            if marked:
                break  # a marked item's text follows it at once
    return heads


def _lone_title(text: str, lines: list[tuple[int, int]]) -> tuple[str | None, int | None]:
    """The headline of a lone notice: one of its first lines.

    Official notices open with a date line and the issuer's name ("令和6年7月9日 / X市
    総務部") before the title; the line that reads like a title (お知らせ, について, an
    event word) is the title, else the first line that could be one.
    """
    first: tuple[str | None, int | None] = (None, None)
    for s, e in [ln for ln in lines if text[ln[0] : ln[1]].strip()][:4]:
        line = text[s:e].strip()
        if "。" in line or len(line) > 120 or _LIST_MARK.match(line) or _BARE_DATE.match(line):
            continue
        if _NOTICE_TITLE.search(line) or _EVENT.search(line) or _ADVISORY_TITLE.search(line):
            return line, s
        if first[0] is None:
            first = (line, s)
    return first


def _dated_start(text: str, lines: list[tuple[int, int]], i: int) -> int:
    """Where the item headed by line i starts: at a bare date line just above it, if any."""
    for j in range(i - 1, max(-1, i - 3), -1):
        s, e = lines[j]
        if not text[s:e].strip():
            continue
        return s if _BARE_DATE.match(text[s:e]) else lines[i][0]
    return lines[i][0]


def _segments(text: str, lines: list[tuple[int, int]], heads: list[tuple[int, str]], stop: int) -> list[Segment]:
    strong = [h for h in heads if h[1] != "segment.weak_headline"]
    if len(strong) >= 2:
        heads = heads
    else:
        heads = strong
    if len(heads) < 2:
        title = None
        title_start = None
        if heads:
            s, e = lines[heads[0][0]]
            title, title_start = text[s:e].strip(), s
        else:
            title, title_start = _lone_title(text, lines)
        rule = heads[0][1] if heads else "segment.whole"
        return [Segment(0, stop, title, title_start, rule)]
    # A date alone on the line above a headline dates that item, not the one before.
    starts = [_dated_start(text, lines, i) for i, _ in heads]
    out: list[Segment] = []
    for k, (i, rule) in enumerate(heads):
        end = starts[k + 1] if k + 1 < len(heads) else stop
        title = text[lines[i][0] : lines[i][1]].strip()
        out.append(Segment(starts[k], end, title, lines[i][0], rule))
    # The text before the first headline (a digest's introduction) is not an item.
    return out
