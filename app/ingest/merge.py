"""One incident however many documents report it: who reported, which report wins, what changed.

A report is one incident as one document tells it (one IncidentSource row, its ``facts``).
Reports are ranked: the organisation's own notice over news, news over a digest of many
items; among equals a later report (第2報 after 第1報, a newer date) over an earlier one; and
a URL's newest version over the versions it replaced. The incident row holds the winning
value of every fact; every report's own values stay on its IncidentSource row, so
``fact_history`` can show how a figure moved (最大100,000 → 5,836) and who disagreed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.extract import Extracted
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


@dataclass(frozen=True)
class Report:
    """What kind of document gave an incident's facts (the parser's ``ReportTag``), and when."""

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


def report_of(item: Extracted, *, published_on: date | None = None) -> Report:
    """The report an extracted incident is, as the parser tagged it; dated by the document's
    publication date when known, else by the date heading it, else by its disclosure."""
    tag = item.report
    return Report(kind=tag.kind, number=tag.number, on=published_on or tag.dated or item.disclosed_on)


# ---- matching ----


def compatible_kinds(a: str | None, b: str | None) -> bool:
    a, b = a or "other", b or "other"
    if a == b or "other" in (a, b):
        return True
    return {a, b} <= INTRUSIONS | {GENERIC_KIND} and GENERIC_KIND in (a, b)


def window(dates: list[date]) -> tuple[date, date] | None:
    return (min(dates), max(dates)) if dates else None


def facts_window(item: Extracted) -> tuple[date, date] | None:
    return window([d for d in (getattr(item, f) for f in DATE_FIELDS) if d is not None])


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
    """An IncidentSource row (its facts read back as the parser's value) with what precedence
    needs from its Source."""

    source_id: int
    uri: str
    facts: Extracted
    report: Report
    current: bool

    @classmethod
    def of(cls, *, source_id: int, uri: str, facts: dict[str, Any], current: bool) -> Link:
        """A link from a stored report's JSON facts."""
        return cls(source_id=source_id, uri=uri, facts=Extracted.from_json(facts),
                   report=Report.from_json(facts.get("report")), current=current)


def precedence(link: Link) -> tuple:
    """Sort key: the greatest wins. Current versions first, then own notice, then the later report."""
    r = link.report
    return (link.current, KIND_RANK.get(r.kind, 0), r.on or date.min, r.number or 0, link.source_id)


def chronology(link: Link) -> tuple:
    r = link.report
    return (r.on or date.max, r.number or 0, link.source_id)


def _value(facts: Extracted, name: str) -> Any:
    value = getattr(facts, name)
    return value if name in COUNT_FIELDS else value or None  # (a count of 0 is a value)


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
                    out[f"{name}_qualifier"] = getattr(link.facts, f"{name}_qualifier")
                break
        else:
            out[name] = None
            if name in COUNT_FIELDS:
                out[f"{name}_qualifier"] = None
    kinds = [k for k in (link.facts.attack_type for link in ranked) if k and k != "other"]
    specific = [k for k in kinds if k != GENERIC_KIND]
    out["attack_type"] = (specific or kinds or ["other"])[0]
    out["supply_chain"] = any(link.facts.supply_chain for link in links)
    items: list[str] = []
    for link in ranked:
        items.extend(link.facts.leaked_items)
    out["leaked_items"] = list(dict.fromkeys(items))
    # The contact desk: the best-ranked report that gives one.
    out["contact"] = next((link.facts.contact for link in ranked if link.facts.contact), None)
    return out


def chosen_sources(links: list[Link]) -> dict[str, int | None]:
    """The source whose value of each fact ``resolve`` takes (None when none gives one)."""
    best: dict[str, int | None] = {name: None for name in CHOSEN_FIELDS}
    for link in sorted(links, key=precedence, reverse=True):
        for name in CHOSEN_FIELDS:
            if best[name] is None and _value(link.facts, name) is not None:
                best[name] = link.source_id
    return best


def history(links: list[Link]) -> dict[str, list[Version]]:
    """Every report's value of every fact, oldest report first; the winning one marked chosen."""
    best = chosen_sources(links)
    out: dict[str, list[Version]] = {}
    for link in sorted(links, key=chronology):
        for name in CHOSEN_FIELDS:
            value = _value(link.facts, name)
            if value is None:
                continue
            out.setdefault(name, []).append(Version(
                value=value, qualifier=getattr(link.facts, f"{name}_qualifier") if name in COUNT_FIELDS else None,
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
