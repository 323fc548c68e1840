"""Assemble one incident per segment, every value with its evidence span and rule id."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .attack import classify, not_incident_rule, supply_chain
from .dates import DateMention, find_dates
from .layout import relined
from .normalize import Normalized
from .orgs import find_orgs, find_service
from .records import pick_counts
from .roles import date_roles
from .segment import Segment, segment
from .subject import FIRST_PERSON, NOTICE_VOICE, pick_org

CONTRACT_KEYS = (
    "is_incident", "organization", "organization_core", "service", "attack_type", "supply_chain",
    "vendor", "discovered_on", "disclosed_on", "exposure_from", "exposure_to", "records_max",
    "card_records", "personal_records", "reported_to_ppc_on", "reported_to_police_on",
    "leaked_items", "status", "events", "evidence",
)
AWARENESS = ("notified_by_third_party", "anomaly_detected", "access_confirmed", "leak_possible", "leak_confirmed")
_UPDATE = re.compile(r"第[2-9二三四五六七八九]報|続報|最終報告?|追加報告|調査結果のご報告")
Span = tuple[int, int]


@dataclass(frozen=True)
class Event:
    type: str
    date: date | None
    evidence: Span


@dataclass
class Extracted:
    """One incident (or a non-incident item) found in a text; offsets point into that text."""

    is_incident: bool = True
    organization: str | None = None
    organization_core: str | None = None
    service: str | None = None
    attack_type: str = "other"
    supply_chain: bool = False
    vendor: str | None = None
    discovered_on: date | None = None
    disclosed_on: date | None = None
    exposure_from: date | None = None
    exposure_to: date | None = None
    records_max: int | None = None
    card_records: int | None = None
    personal_records: int | None = None
    reported_to_ppc_on: date | None = None
    reported_to_police_on: date | None = None
    leaked_items: list[str] = field(default_factory=list)
    status: str | None = None
    events: list[Event] = field(default_factory=list)
    evidence: dict[str, Span] = field(default_factory=dict)
    records_max_qualifier: str | None = None
    card_records_qualifier: str | None = None
    personal_records_qualifier: str | None = None
    containment_on: date | None = None
    title: str | None = None
    segment: Span = (0, 0)
    source_url: str | None = None
    rules: dict[str, str] = field(default_factory=dict)

    def to_contract(self) -> dict[str, Any]:
        def iso(v: Any) -> Any:
            return v.isoformat() if isinstance(v, date) else v

        out: dict[str, Any] = {k: iso(getattr(self, k)) for k in CONTRACT_KEYS}
        out["events"] = [
            {"type": e.type, "date": iso(e.date), "evidence": list(e.evidence)} for e in self.events
        ]
        out["evidence"] = {k: list(v) for k, v in self.evidence.items()}
        out["leaked_items"] = list(self.leaked_items)
        for k in ("records_max_qualifier", "card_records_qualifier", "personal_records_qualifier", "title", "source_url"):
            out[k] = getattr(self, k)
        out["containment_on"] = iso(self.containment_on)
        out["segment"] = list(self.segment)
        out["rules"] = dict(self.rules)
        return out


_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%\-]+")
# Order matters: a notice that confirms or fears a leak of one kind of data and denies
# another ("カード情報以外は漏洩していない") is about the leak.
_STATUS_RULES = (
    ("confirmed", re.compile(
        r"(?:漏えい|漏洩|流出)(?:したこと|の事実)?を確認(?!でき(?:ない|ず|ません))"
        r"|(?:漏えい|漏洩|流出)が(?:確認され(?!て(?:い|お)(?:ない|らず|りません))|判明)|(?:漏えい|漏洩|流出)しました"
    )),
    ("possible", re.compile(r"(?:漏えい|漏洩|流出|窃取|閲覧)(?:した|された|の|する)?(?:可能性|おそれ|恐れ)(?!は(?:ない|ありません|ございません))")),
    ("none", re.compile(
        r"(?:漏えい|漏洩|流出)(?:等|した|の|による)?(?:事実|形跡|痕跡|被害)?(?:は|も)?(?:現時点で|現在|現時点において|、)?"
        r"確認されて(?:い|お)(?:ない|らず|りません)|(?:漏えい|漏洩|流出)(?:は|も)(?:ない|ありません|ございません)"
    )),
    ("investigating", re.compile(r"調査中|調査を進め|確認中")),
)
_ITEMS = (
    "クレジットカード名義人名", "カード名義人名", "クレジットカード番号", "カード番号", "クレジットカード有効期限", "有効期限",
    "セキュリティコード", "氏名", "住所", "郵便番号", "電話番号", "メールアドレス", "Eメールアドレス", "生年月日", "性別",
    "会員ID", "パスワード", "学籍番号", "口座番号",
)
_ITEM_RE = re.compile("|".join(sorted(map(re.escape, _ITEMS), key=len, reverse=True)))
def _build(text: str, seg: Segment, one_of_many: bool, dated: date | None = None) -> Extracted:
    s0, e0 = seg.start, seg.end
    body = text[s0:e0]
    title = seg.title or ""
    inc = Extracted(title=seg.title or None, segment=(s0, e0))
    first_person = bool(FIRST_PERSON.search(body))

    orgs = find_orgs(text, s0, e0)
    org = pick_org(text, seg, orgs, first_person)
    if org:
        inc.organization, inc.organization_core, span, rule = org
        inc.evidence["organization"] = span
        inc.evidence["organization_core"] = span
        inc.rules["organization"] = rule

    svc = find_service(text, s0, e0)
    if svc:
        inc.service = svc[0]
        inc.evidence["service"] = (svc[1], svc[2])
        inc.rules["service"] = "service.quoted"

    attack = classify(body, title)
    inc.attack_type = attack.key
    inc.rules["attack_type"] = attack.rule
    if attack.span:
        base = s0
        if attack.in_title and seg.title_start is not None:
            base = text.find(title, seg.title_start)
        inc.evidence["attack_type"] = (attack.span[0] + base, attack.span[1] + base)

    sc, vendor, vrule, vspan = supply_chain(body)
    inc.supply_chain = sc
    if sc:
        inc.rules["supply_chain"] = vrule or "supply.third_party"
        if vspan:
            inc.evidence["supply_chain"] = (vspan[0] + s0, vspan[1] + s0)
    if vendor:
        inc.vendor = vendor
        inc.rules["vendor"] = vrule or ""
        if vspan:
            inc.evidence["vendor"] = (vspan[0] + s0, vspan[1] + s0)

    reason = not_incident_rule(body, title, one_of_many=one_of_many)
    if reason:
        inc.is_incident = False
        inc.rules["is_incident"] = reason

    _dates(text, seg, inc, first_person, one_of_many, dated)
    _counts(text, seg, inc)

    for status, pattern in _STATUS_RULES:
        m = pattern.search(body)
        if m:
            inc.status = status
            inc.rules["status"] = "status." + status
            inc.evidence["status"] = (m.start() + s0, m.end() + s0)
            break
    items: list[str] = []
    for m in _ITEM_RE.finditer(body):
        sent = body[max(0, m.start() - 200) : m.end() + 200]
        if re.search(r"漏えい|漏洩|流出|可能性|対象", sent) and m.group() not in items:
            items.append(m.group())
    inc.leaked_items = items
    url = _URL.search(body)
    if url:
        inc.source_url = url.group().rstrip(".,)")
    return inc


_NEWS_SUBJECT_ANY = re.compile(r"(?:は|が)、?[^。]{0,200}?(?:と|を|について)(?:発表|公表|明らかに)(?:した|しました|している)")
_POLITE = re.compile(r"(?:ます|ました|ません|でした|ございます)。")
_DATELINE = re.compile(r"\s*(?:date|Date|DATE|配信日|掲載日|公開日|更新日)?[::]?\s*$")


def _dateline(text: str, seg: Segment, dates: list[DateMention]) -> DateMention | None:
    """A full date on one of the segment's first lines, alone or after a 'date' label."""
    for d in dates[:3]:
        if not d.explicit_year or d.value is None or d.start - seg.start > 300:
            continue
        ls = text.rfind("\n", 0, d.start) + 1
        if ls < seg.start or not _DATELINE.fullmatch(text, ls, d.start):
            continue
        return d
    return None


def _dates(text: str, seg: Segment, inc: Extracted, first_person: bool, one_of_many: bool, dated: date | None) -> None:
    s0, e0 = seg.start, seg.end
    dates = find_dates(text, s0, e0, dated=dated)
    roles, periods = date_roles(text, dates, e0)
    events: list[Event] = []
    for r in roles:
        events.append(Event(r.type, r.date.value, (r.date.start, r.end)))
    # A notice's own date: on its headline, or alone on a line near its top. A notice
    # speaks in the first person (本市, 当院) or, when it stands alone, at least politely
    # (a digest's summaries are polite too); news reports that someone else announced it.
    body = text[s0:e0]
    polite_notice = not one_of_many and bool(_POLITE.search(body)) and not _NEWS_SUBJECT_ANY.search(body)
    if first_person or polite_notice or seg.rule == "segment.notice_header":
        own = None
        if seg.title_start is not None:
            t_end = text.find("\n", seg.title_start, e0)
            t_end = e0 if t_end < 0 else t_end
            own = next((d for d in dates if seg.title_start <= d.start < t_end and d.explicit_year), None)
        if own is None:
            for d in dates[:4]:
                ls = text.rfind("\n", 0, d.start) + 1
                le = text.find("\n", d.end)
                le = len(text) if le < 0 else le
                if d.explicit_year and text[ls:le].strip() == text[d.start : d.end].strip() and d.start - s0 < 400:
                    own = d
                    break
        if own is not None and own.value:
            events.append(Event("disclosed", own.value, (own.start, own.end)))
            inc.rules["disclosed_on"] = "date.notice_own"
    for a, b, _rule in periods:
        if b is not None:
            events.append(Event("incident_start", a.value, (a.start, b.end)))
    # News with a dateline that says the organisation announced it, without a date of its own.
    if not first_person and not any(ev.type == "disclosed" for ev in events):
        line = _dateline(text, seg, dates)
        if line is not None and _NEWS_SUBJECT_ANY.search(text, line.end, min(e0, line.end + 400)):
            events.append(Event("disclosed", line.value, (line.start, line.end)))
            inc.rules["disclosed_on"] = "date.dateline"
    # Nothing is disclosed before it began.
    floor = min((ev.date for ev in events if ev.type in AWARENESS and ev.date), default=None)
    if floor is not None:
        events = [ev for ev in events if not (ev.type == "disclosed" and ev.date and ev.date < floor)]
    # A follow-up report says so in its title or first lines; it may give no date of its own.
    upd = _UPDATE.search(text, s0, min(e0, s0 + 300))
    if upd:
        when = next((ev.date for ev in events if ev.type == "disclosed" and ev.evidence[0] < upd.end() + 40), None)
        events.append(Event("update", when, upd.span()))
    events.sort(key=lambda ev: ev.evidence[0])
    inc.events = events

    def earliest(types: tuple[str, ...]) -> Event | None:
        cands = [ev for ev in events if ev.type in types and ev.date is not None]
        return min(cands, key=lambda ev: ev.date) if cands else None  # type: ignore[arg-type,return-value]

    for fld, types in (
        ("discovered_on", AWARENESS),
        ("disclosed_on", ("disclosed",)),
        ("reported_to_ppc_on", ("reported_to_ppc",)),
        ("reported_to_police_on", ("reported_to_police",)),
        ("containment_on", ("containment",)),
    ):
        ev = earliest(types)
        if ev is not None:
            setattr(inc, fld, ev.date)
            inc.evidence[fld] = ev.evidence
            inc.rules.setdefault(fld, "role." + ev.type)
    starts = [p for p in periods if p[0].value is not None]
    ends = [p for p in periods if p[1] is not None and p[1].value is not None]
    if starts:
        first = min(starts, key=lambda p: p[0].value)  # type: ignore[arg-type,return-value]
        inc.exposure_from = first[0].value
        inc.evidence["exposure_from"] = (first[0].start, (first[1] or first[0]).end)
        inc.rules["exposure_from"] = first[2]
    if ends:
        last = max(ends, key=lambda p: p[1].value)  # type: ignore[arg-type,return-value,union-attr]
        inc.exposure_to = last[1].value  # type: ignore[union-attr]
        inc.evidence["exposure_to"] = (last[0].start, last[1].end)  # type: ignore[union-attr]
        inc.rules["exposure_to"] = last[2]


def _counts(text: str, seg: Segment, inc: Extracted) -> None:
    for fld, c in zip(("records_max", "card_records", "personal_records"), pick_counts(text, seg.start, seg.end), strict=True):
        if c is None:
            continue
        setattr(inc, fld, c.value)
        setattr(inc, fld + "_qualifier", c.qualifier)
        inc.evidence[fld] = (c.start, c.end)
        inc.rules[fld] = c.rule


def _header_date(text: str, first_item: int) -> date | None:
    """The date of a digest: the latest full date in its header, before the first item."""
    head = [d.value for d in find_dates(text, 0, first_item) if d.explicit_year and d.value]
    return max(head) if head else None


def _to_raw(norm: Normalized, inc: Extracted) -> Extracted:
    if norm.identity:
        return inc
    inc.evidence = {k: norm.raw_span(*v) for k, v in inc.evidence.items()}
    inc.events = [Event(e.type, e.date, norm.raw_span(*e.evidence)) for e in inc.events]
    inc.segment = norm.raw_span(*inc.segment)
    return inc


def parse_text(text: str) -> list[Extracted]:
    """Every incident (and non-incident item, flagged is_incident False) in a decoded text."""
    norm = relined(text)
    segments = segment(norm.text)
    many = len(segments) > 1
    dated = _header_date(norm.text, segments[0].start) if many else None
    built = [_build(norm.text, seg, many, dated) for seg in segments]
    # A heading inside one notice can look like a digest headline: consecutive items about
    # the same organisation are one item, and so is a nameless first-person part (弊社…).
    merged: list[tuple[Segment, Extracted]] = []
    for seg, inc in zip(segments, built, strict=True):
        same = inc.organization_core and merged and merged[-1][1].organization_core == inc.organization_core
        continuation = (
            merged and not inc.organization_core and inc.is_incident
            and NOTICE_VOICE.search(norm.text, seg.start, seg.end) is not None
        )
        if same or continuation:
            first = merged[-1][0]
            seg = Segment(first.start, seg.end, first.title, first.title_start, first.rule)
            merged[-1] = (seg, _build(norm.text, seg, many, dated))
        else:
            merged.append((seg, inc))
    return [_to_raw(norm, inc) for _, inc in merged]
