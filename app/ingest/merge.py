"""One incident however many documents report it: who reported, which report wins, what changed.

A report is one incident as one document tells it (one IncidentSource row, its ``facts``).
Reports are ranked: the organisation's own notice over news, news over a digest of many
items; among equals a later report (第2報 after 第1報, a newer date) over an earlier one; and
a URL's newest version over the versions it replaced. The incident row holds the winning
value of every fact; every report's own values stay on its IncidentSource row, so
``fact_history`` can show how a figure moved (最大100,000 → 5,836) and who disagreed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.extract.subject import FIRST_PERSON
from app.models import COUNT_FIELDS, DATE_FIELDS
from app.text import match_key

# Two reports of one organisation are one incident when their date windows, widened by this
# much on each side, overlap: a final report may come months after the first notice.
SAME_INCIDENT_DAYS = 180

KIND_RANK = {"notice": 3, "news": 2, "digest": 1, "unknown": 0}

# 不正アクセス is what news calls most intrusions; the specific kinds refine it, never contradict.
GENERIC_KIND = "unauthorized_access"
INTRUSIONS = frozenset({"web_skimming", "ransomware", "malware", "account_takeover"})

# Facts chosen by precedence (the best-ranked report that gives a value wins).
CHOSEN_FIELDS = ("organization", "organization_core", "service", "vendor", "status", "title",
                 *DATE_FIELDS, *COUNT_FIELDS)

NAME_FIELDS = ("organization", "organization_core", "service", "vendor")

# News tells what someone else said.
_NEWS_VOICE = re.compile(r"(?:と|を|について)(?:発表|公表|明らかに)(?:した|している|しました)|によると|同社|同大学|同病院|同機構")
_REPORT_NUMBER = re.compile(r"第\s*([0-9０-９一二三四五六七八九十]{1,3})\s*報")
_FINAL = re.compile(r"最終(?:報告|報|のご報告)|調査結果(?:の|に関する)(?:ご)?報告|調査完了")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九", start=0)}
_LEADING_DATE = re.compile(r"\A\s*((?:20|19)[0-9]{2})\s*[./年-]\s*([0-9]{1,2})\s*[./月-]\s*([0-9]{1,2})")


@dataclass(frozen=True)
class Report:
    """What kind of document gave an incident's facts, and when."""

    kind: str  # notice | news | digest | unknown
    number: int | None = None  # 第2報 → 2; a final report → 99
    on: date | None = None  # the report's own date

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "number": self.number, "on": self.on.isoformat() if self.on else None}

    @classmethod
    def from_json(cls, value: Any) -> Report:
        value = value if isinstance(value, dict) else {}
        return cls(kind=value.get("kind") or "unknown", number=value.get("number"),
                   on=as_date(value.get("on")))


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


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


def classify_report(text: str, facts: dict[str, Any], *, items: int,
                    published_on: date | None = None) -> Report:
    """Decide from the text whether this passage is the organisation's own notice, news or a digest.

    A notice speaks in the first person (弊社, 当院 …) and names the organisation in its
    heading or its signature; news says "…と発表した"; a document of many items that is
    neither is a digest.
    """
    start, end = facts.get("segment") or (0, len(text))
    passage = text[start:end] or text
    head = passage[:300]
    lines = [line.strip() for line in passage.strip().splitlines() if line.strip()]
    tail = "\n".join(lines[-8:])
    core = facts.get("organization_core") or facts.get("organization") or ""
    rule = str((facts.get("rules") or {}).get("organization", ""))
    signed = bool(core) and (core in head or core in tail)
    # The parser names the features that chose the organisation (org.rank:signature+header…):
    # a notice's issuer stands in its header or signs it.
    features = rule.split(":", 1)[1].split("+") if rule.startswith("org.rank:") else []
    own_rule = any(f in ("signature", "header", "own_line", "title_lead") for f in features)
    voice = bool(FIRST_PERSON.search(passage))
    if voice and (signed or own_rule) and not re.search(r"(?:と|を)(?:発表|公表)した", head):
        kind = "notice"
    elif items > 1:
        kind = "digest"
    elif _NEWS_VOICE.search(passage) or not voice:
        kind = "news"
    else:
        kind = "unknown"
    number = None
    title = facts.get("title") or head
    if m := _REPORT_NUMBER.search(title) or _REPORT_NUMBER.search(head):
        number = _number(m.group(1))
    if _FINAL.search(title) or _FINAL.search(head):
        number = 99
    # A notice's date heads it; its disclosed_on may be an earlier notice it refers back to.
    top = leading_date(passage) or (leading_date(text) if items <= 1 else None)
    on = published_on or top or as_date(facts.get("disclosed_on"))
    return Report(kind=kind, number=number, on=on)


# ---- matching ----


def compatible_kinds(a: str | None, b: str | None) -> bool:
    a, b = a or "other", b or "other"
    if a == b or "other" in (a, b):
        return True
    return {a, b} <= INTRUSIONS | {GENERIC_KIND} and GENERIC_KIND in (a, b)


def window(dates: list[date]) -> tuple[date, date] | None:
    return (min(dates), max(dates)) if dates else None


def facts_window(facts: dict[str, Any]) -> tuple[date, date] | None:
    return window([d for d in (as_date(facts.get(f)) for f in DATE_FIELDS) if d is not None])


def windows_overlap(a: tuple[date, date] | None, b: tuple[date, date] | None,
                    slack: int = SAME_INCIDENT_DAYS) -> bool:
    if a is None or b is None:
        return True  # nothing to tell them apart
    pad = timedelta(days=slack)
    return a[0] - pad <= b[1] and b[0] - pad <= a[1]


# ---- precedence ----


@dataclass(frozen=True)
class Version:
    """One report's value of one fact."""

    value: Any
    qualifier: str | None
    source_id: int
    uri: str
    report: Report
    current: bool  # False when a newer version of the same URL replaced this one
    chosen: bool = False

    def label(self) -> str:
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return f"{self.qualifier or ''}{self.value:,}"
        return f"{self.qualifier or ''}{self.value}"


@dataclass(frozen=True)
class Link:
    """An IncidentSource row with what precedence needs from its Source."""

    source_id: int
    uri: str
    facts: dict[str, Any]
    current: bool

    @property
    def report(self) -> Report:
        return Report.from_json(self.facts.get("report"))


def precedence(link: Link) -> tuple:
    """Sort key: the greatest wins. Current versions first, then own notice, then the later report."""
    r = link.report
    return (link.current, KIND_RANK.get(r.kind, 0), r.on or date.min, r.number or 0, link.source_id)


def chronology(link: Link) -> tuple:
    r = link.report
    return (r.on or date.max, r.number or 0, link.source_id)


def _value(facts: dict[str, Any], name: str) -> Any:
    value = facts.get(name)
    if name in COUNT_FIELDS:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if name in DATE_FIELDS:
        return as_date(value)
    return value or None


def resolve(links: list[Link]) -> dict[str, Any]:
    """The incident's facts: each from the best-ranked report that gives it."""
    ranked = sorted(links, key=precedence, reverse=True)
    out: dict[str, Any] = {}
    for name in CHOSEN_FIELDS:
        for link in ranked:
            value = _value(link.facts, name)
            if value is not None:
                out[name] = value
                if name in COUNT_FIELDS:
                    out[f"{name}_qualifier"] = link.facts.get(f"{name}_qualifier")
                break
        else:
            out[name] = None
            if name in COUNT_FIELDS:
                out[f"{name}_qualifier"] = None
    kinds = [k for k in (link.facts.get("attack_type") for link in ranked) if k and k != "other"]
    specific = [k for k in kinds if k != GENERIC_KIND]
    out["attack_type"] = (specific or kinds or ["other"])[0]
    out["supply_chain"] = any(bool(link.facts.get("supply_chain")) for link in links)
    items: list[str] = []
    for link in ranked:
        items.extend(str(i) for i in link.facts.get("leaked_items") or [])
    out["leaked_items"] = list(dict.fromkeys(items))
    return out


def history(links: list[Link]) -> dict[str, list[Version]]:
    """Every report's value of every fact, oldest report first; the winning one marked chosen."""
    best = {name: None for name in CHOSEN_FIELDS}
    for link in sorted(links, key=precedence, reverse=True):
        for name in CHOSEN_FIELDS:
            if best[name] is None and _value(link.facts, name) is not None:
                best[name] = link.source_id
    out: dict[str, list[Version]] = {}
    for link in sorted(links, key=chronology):
        for name in CHOSEN_FIELDS:
            value = _value(link.facts, name)
            if value is None:
                continue
            out.setdefault(name, []).append(Version(
                value=value, qualifier=link.facts.get(f"{name}_qualifier") if name in COUNT_FIELDS else None,
                source_id=link.source_id, uri=link.uri, report=link.report, current=link.current,
                chosen=best[name] == link.source_id))
    return out


def disagreements(versions: dict[str, list[Version]]) -> dict[str, list[Version]]:
    """Facts on which the current reports give different values, with who said what.

    Names are compared as organisations are matched (株式会社ワコム is ワコム); every
    document has a title of its own, so titles never disagree.
    """
    out = {}
    for name, vs in versions.items():
        if name == "title":
            continue
        current = [v for v in vs if v.current]
        if name in NAME_FIELDS:
            distinct = {match_key(str(v.value)) for v in current}
        else:
            distinct = {(v.value, v.qualifier) for v in current}
        if len(distinct) > 1:
            out[name] = current
    return out


def history_line(versions: list[Version]) -> str:
    """最大100,000 → 5,836: a fact's values in the order they were reported, repeats folded."""
    labels: list[str] = []
    for v in versions:
        if not labels or labels[-1] != v.label():
            labels.append(v.label())
    return " → ".join(labels)
