"""The duty to report a leak to 個人情報保護委員会 (the PPC), modelled as data.

Under the amended APPI (in force 2022-04-01) a business reports a leak, or a possible one, when
one of the triggers of 個人情報保護法施行規則 第7条 fires; 第8条 sets two deadlines from the
day it became aware (D): the 速報 "promptly" (概ね3〜5日 by the guidelines: D+5 here) and the
確報 within 30 days (D+30), or 60 for a leak by 不正の目的 (D+60). Each trigger says which facts
fire it, each deadline its rule and arithmetic (reported on R: R−D days), and every verdict is
one of ``not_required``, ``on_time``, ``late``, ``unknown``; a missing fact is named, never
guessed. Pure functions of an incident's stored facts (anything with its attributes), so the
incident page, the API, the stored facet column and the charts read one verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# Reporting to the PPC became a duty with the amended act in force from this day.
DUTY_FROM = date(2022, 4, 1)
PRELIMINARY_DAYS = 5  # 速報: 速やかに, 概ね3〜5日以内 (guidelines)
FINAL_DAYS, FINAL_DAYS_MALICIOUS = 30, 60  # 確報: 30日以内, 第7条第3号 60日以内
OVER = 1000  # 第7条第4号: more than 1,000 people

VERDICTS = ("not_required", "on_time", "late", "unknown")
TRIGGERS = ("sensitive", "property", "malicious", "over_1000")
ARTICLE = {  # the rule each trigger and deadline stands on
    "sensitive": "施行規則第7条第1号", "property": "施行規則第7条第2号",
    "malicious": "施行規則第7条第3号", "over_1000": "施行規則第7条第4号",
    "preliminary": "施行規則第8条第1項", "final": "施行規則第8条第2項",
}

# Attack types done with intent (不正の目的) and those that are mistakes or accidents.
MALICIOUS = frozenset({"web_skimming", "unauthorized_access", "ransomware", "malware",
                       "account_takeover", "phishing", "insider"})
NOT_MALICIOUS = frozenset({"misdelivery", "misconfiguration"})
# 要配慮個人情報 (法第2条第3項, 施行令第2条): health, disability, crime, creed, race, …
SENSITIVE = re.compile(
    r"病歴|病名|傷病|既往|診療|診察|カルテ|診断|検査結果|健康|治療|処方|服薬|投薬|薬剤|医療|障害|障がい|"
    r"手帳|要介護|介護認定|犯罪|前科|逮捕|被疑|刑事|少年事件|信条|宗教|信仰|人種|民族|社会的身分|被害を受けた事実|"
    r"ゲノム|遺伝|妊娠|出産|生活保護")
# Data whose misuse may cause property damage: card data, bank and login credentials.
PROPERTY = re.compile(
    r"カード番号|クレジットカード(?:情報|番号)|カード情報|セキュリティ(?:ー)?コード|"
    r"口座番号|暗証番号|パスワード|ログイン(?:ID|ＩＤ)|認証情報|インターネットバンキング")
# Items that name no kind of data: they leave the triggers on items unknown.
GENERIC = re.compile(r"^(?:個人情報|顧客情報|お客様情報|会員情報|情報|データ|ファイル|その他)$")


@dataclass(frozen=True)
class Trigger:
    """One trigger of 第7条: whether it fires (None: a fact is missing) and why."""

    key: str
    fires: bool | None
    facts: tuple[str, ...] = ()  # the facts that fire it (items, the attack type, the count)
    missing: str | None = None  # the fact whose absence leaves it unknown

    @property
    def article(self) -> str:
        return ARTICLE[self.key]


@dataclass(frozen=True)
class Deadline:
    """One report (速報 or 確報) and its verdict: discovered on D, due by D+N, reported on R."""

    rule: str  # "preliminary" (速報) or "final" (確報)
    verdict: str  # on_time | late | unknown (and not_required when no report is owed)
    window_days: int  # N
    window_alt: int | None = None  # 60 when whether it was malicious is unknown (30 or 60)
    discovered: date | None = None  # D
    due: date | None = None  # D+N
    reported: date | None = None  # R
    missing: str | None = None  # the fact whose absence leaves it unknown

    @property
    def article(self) -> str:
        return ARTICLE[self.rule]

    @property
    def gap(self) -> int | None:
        """R−D, the days from discovery to the report."""
        return (self.reported - self.discovered).days if self.reported and self.discovered else None


@dataclass(frozen=True)
class Obligation:
    """Whether a report was owed, each trigger, each deadline and the verdict of the whole."""

    required: bool | None  # None: a missing fact leaves it open
    reason: str  # triggered | no_trigger | before_duty | open
    triggers: tuple[Trigger, ...]
    deadlines: tuple[Deadline, ...]
    verdict: str  # not_required | on_time | late | unknown
    missing: tuple[str, ...] = field(default=())  # facts named by unknown triggers or deadlines


def _items(facts: Any) -> list[str]:
    return [str(x) for x in (getattr(facts, "leaked_items", None) or []) if str(x).strip()]


def _item_trigger(key: str, pattern: re.Pattern[str], items: list[str], extra: tuple[str, ...] = ()) -> Trigger:
    hits = tuple(dict.fromkeys(x for x in items if pattern.search(x))) + extra
    if hits:
        return Trigger(key, True, hits)
    if any(not GENERIC.match(x) for x in items):
        return Trigger(key, False)
    return Trigger(key, None, missing="leaked_items")


def triggers(facts: Any) -> tuple[Trigger, ...]:
    """The four triggers of 第7条 from an incident's facts."""
    items = _items(facts)
    cards = getattr(facts, "card_records", None)
    card = (f"card_records={cards}",) if isinstance(cards, int) and cards > 0 else ()
    kind = getattr(facts, "attack_type", None) or "other"
    if kind in MALICIOUS:
        malicious = Trigger("malicious", True, (f"attack_type={kind}",))
    elif kind in NOT_MALICIOUS:
        malicious = Trigger("malicious", False, (f"attack_type={kind}",))
    else:  # other, loss_theft: a theft is 不正の目的, a loss is not; the notice must say
        malicious = Trigger("malicious", None, missing="attack_type")
    count, qualifier = getattr(facts, "records_max", None), getattr(facts, "records_max_qualifier", None)
    if count is None:
        many = Trigger("over_1000", None, missing="records_max")
    elif count > OVER:
        many = Trigger("over_1000", True, (f"records_max={count}",))
    elif qualifier in ("以上", "調査中", "可能性") and count >= OVER:
        many = Trigger("over_1000", None, missing="records_max")  # "1,000件以上": at least, perhaps more
    else:
        many = Trigger("over_1000", False, (f"records_max={count}",))
    return (_item_trigger("sensitive", SENSITIVE, items), _item_trigger("property", PROPERTY, items, card),
            malicious, many)


def ppc_dates(facts: Any) -> list[date]:
    """Every report to the PPC the facts give, first (速報) to last (確報)."""
    days = {getattr(facts, "reported_to_ppc_on", None)}
    days.update(_as_date(d) for d in (getattr(facts, "reported_to_ppc_later", None) or []))
    return sorted(d for d in days if isinstance(d, date))


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _judge(rule: str, found: date | None, reported: date | None, days: int, alt: int | None = None,
           missing_report: str = "reported_to_ppc_on") -> Deadline:
    due = found + timedelta(days=days) if found else None
    if found is None:
        return Deadline(rule, "unknown", days, alt, missing="discovered_on")
    if reported is None:
        return Deadline(rule, "unknown", days, alt, found, due, missing=missing_report)
    gap = (reported - found).days
    if gap <= days:
        return Deadline(rule, "on_time", days, alt, found, due, reported)
    if alt is not None and gap <= alt:  # late at 30 days, on time at 60: the cause decides
        return Deadline(rule, "unknown", days, alt, found, due, reported, missing="attack_type")
    return Deadline(rule, "late", days, alt, found, due, reported)


def obligation(facts: Any) -> Obligation:
    """Whether the PPC had to be told, and whether it was told in time."""
    fired = triggers(facts)
    found = getattr(facts, "discovered_on", None)
    told = getattr(facts, "disclosed_on", None)
    dates = ppc_dates(facts)
    # Known before the duty began: a request then, not a duty (discovery comes before disclosure).
    if (found or told) is not None and (found or told) < DUTY_FROM:
        return Obligation(False, "before_duty", fired, (), "not_required")
    if any(t.fires for t in fired):
        required, reason = True, "triggered"
    elif all(t.fires is False for t in fired):
        return Obligation(False, "no_trigger", fired, (), "not_required")
    else:
        required, reason = None, "open"
    malicious = fired[2].fires
    final_days = FINAL_DAYS_MALICIOUS if malicious else FINAL_DAYS
    alt = FINAL_DAYS_MALICIOUS if malicious is None else None
    first = _judge("preliminary", found, dates[0] if dates else None, PRELIMINARY_DAYS)
    final = _judge("final", found, dates[-1] if len(dates) > 1 else None, final_days, alt,
                   missing_report="reported_to_ppc_later")
    deadlines = (first, final)
    verdicts = {d.verdict for d in deadlines}
    if verdicts == {"on_time"}:
        verdict = "on_time"  # in time whether or not a report was owed
    elif "late" in verdicts and required:
        verdict = "late"
    else:
        verdict = "unknown"
    missing = tuple(dict.fromkeys(
        [t.missing for t in fired if t.missing and required is None]
        + [d.missing for d in deadlines if d.missing and d.verdict == "unknown"]))
    if verdict != "unknown":
        missing = ()
    return Obligation(required, reason, fired, deadlines, verdict, missing)


def verdict(facts: Any) -> str:
    """The verdict of the whole, as the ``ppc_verdict`` column and the facet hold it."""
    return obligation(facts).verdict
