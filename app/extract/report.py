"""Which report of its incident a passage is: the organisation's own notice, news or a digest item,
which of the organisation's reports (第2報, 最終報告), and the date at its top.

Merging ranks reports by these (the own notice over news, a later report over an earlier one);
the parser decides them because it already reads the passage, its heading and its signature.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .subject import FIRST_PERSON

if TYPE_CHECKING:
    from .notice import Extracted

NOTICE, NEWS, DIGEST, UNKNOWN = "notice", "news", "digest", "unknown"
FINAL_NUMBER = 99  # a final report ranks after every numbered one

# News tells what someone else said.
_NEWS_VOICE = re.compile(r"(?:と|を|について)(?:発表|公表|明らかに)(?:した|している|しました)|によると|同社|同大学|同病院|同機構")
_ANNOUNCED = re.compile(r"(?:と|を)(?:発表|公表)した")
_REPORT_NUMBER = re.compile(r"第\s*([0-9０-９一二三四五六七八九十]{1,3})\s*報")
_FINAL = re.compile(r"最終(?:報告|報|のご報告)|調査結果(?:の|に関する)(?:ご)?報告|調査完了")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_LEADING_DATE = re.compile(r"\A\s*((?:20|19)[0-9]{2})\s*[./年-]\s*([0-9]{1,2})\s*[./月-]\s*([0-9]{1,2})")
# The features of the organisation's rule (org.rank:signature+header…) that say the issuer
# heads or signs the passage.
_OWN_FEATURES = frozenset({"signature", "header", "own_line", "title_lead"})


@dataclass(frozen=True)
class ReportTag:
    """What kind of report a passage is, its number (第2報 → 2, a final report → 99) and its date."""

    kind: str = UNKNOWN  # notice | news | digest | unknown
    number: int | None = None
    dated: date | None = None  # the date heading the passage (or its one-item document)


def _number(raw: str) -> int | None:
    raw = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if raw.isdigit():
        return int(raw)
    if raw == "十":
        return 10
    if len(raw) == 1 and raw in _KANJI_DIGITS:
        return _KANJI_DIGITS[raw]
    return None


def leading_date(text: str) -> date | None:
    """A date at the very top of a page (2022.11.25, 2024年3月15日): when it was published."""
    m = _LEADING_DATE.match(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def report_of(text: str, segment: tuple[int, int], *, items: int, organization: str | None,
              organization_rule: str, title: str | None) -> ReportTag:
    """The report a passage (text[segment]) is, as one of `items` found in its document.

    A notice speaks in the first person (弊社, 当院 …) and names the organisation in its heading
    or its signature (or the parser chose the organisation for standing there); news says
    "…と発表した"; a document of many items that is neither is a digest.
    """
    start, end = segment
    passage = text[start:end] or text
    head = passage[:300]
    lines = [line.strip() for line in passage.strip().splitlines() if line.strip()]
    tail = "\n".join(lines[-8:])
    signed = bool(organization) and (organization in head or organization in tail)
    features = organization_rule.split(":", 1)[1].split("+") if organization_rule.startswith("org.rank:") else []
    own_rule = any(f in _OWN_FEATURES for f in features)
    voice = bool(FIRST_PERSON.search(passage))
    if voice and (signed or own_rule) and not _ANNOUNCED.search(head):
        kind = NOTICE
    elif items > 1:
        kind = DIGEST
    elif _NEWS_VOICE.search(passage) or not voice:
        kind = NEWS
    else:
        kind = UNKNOWN
    number = None
    heading = title or head
    if m := _REPORT_NUMBER.search(heading) or _REPORT_NUMBER.search(head):
        number = _number(m.group(1))
    if _FINAL.search(heading) or _FINAL.search(head):
        number = FINAL_NUMBER
    # A notice's date heads it; its disclosed_on may be an earlier notice it refers back to.
    dated = leading_date(passage) or (leading_date(text) if items <= 1 else None)
    return ReportTag(kind=kind, number=number, dated=dated)


def tag_reports(text: str, found: list[Extracted]) -> None:
    """Tag each incident found in text (segments in text's offsets) with the report it is."""
    for inc in found:
        inc.report = report_of(text, inc.segment, items=len(found), organization=inc.organization_core or inc.organization,
                               organization_rule=inc.rules.get("organization", ""), title=inc.title)
