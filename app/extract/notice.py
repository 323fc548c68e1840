"""Assemble one incident per segment, every value with its evidence span and rule id."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from . import vocab
from .attack import classify, not_incident_rule, supply_chain
from .contact import HEADING, find_contact
from .dates import find_dates
from .layout import relined
from .normalize import Normalized
from .orgs import core_name, find_orgs
from .records import pick_counts
from .report import ReportTag, tag_reports
from .roles import ITEM_DATES_ANNOUNCED
from .rules import rule
from .segment import ANNOUNCED_CASE, Segment, is_bare_date, segment
from .service import find_service
from .status import leak_status, leaked_items
from .subject import FIRST_PERSON, NOTICE_VOICE, choose, rank_bodies, third_party
from .timeline import Event, Span, date_fields

CONTACT_KEYS = ("name", "phone", "hours", "url")
CONTRACT_KEYS = (
    "is_incident", "organization", "organization_core", "service", "attack_type", "supply_chain",
    "vendor", "discovered_on", "disclosed_on", "exposure_from", "exposure_to", "records_max",
    "card_records", "personal_records", "reported_to_ppc_on", "reported_to_police_on",
    "leaked_items", "status", "events", "evidence",
)


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
    # Reports to the PPC after the first (a 確報, "及び同年10月17日に報告"), oldest first.
    reported_to_ppc_later: list[date] = field(default_factory=list)
    # The contact desk for those affected: name, phone, hours, url (each None when not given).
    contact: dict[str, str | None] | None = None
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
    # Which report of its incident this passage is (own notice, news, digest item; 第2報).
    report: ReportTag = field(default_factory=ReportTag)

    def facts_json(self) -> dict[str, Any]:
        """The values as JSON (dates in ISO form), without evidence and events: what a report keeps."""
        out: dict[str, Any] = {k: _iso(getattr(self, k)) for k in CONTRACT_KEYS if k not in ("events", "evidence")}
        out["leaked_items"] = list(self.leaked_items)
        for k in ("records_max_qualifier", "card_records_qualifier", "personal_records_qualifier", "title", "source_url"):
            out[k] = getattr(self, k)
        out["containment_on"] = _iso(self.containment_on)
        out["reported_to_ppc_later"] = [d.isoformat() for d in self.reported_to_ppc_later]
        out["contact"] = dict(self.contact) if self.contact else None
        out["segment"] = list(self.segment)
        out["rules"] = dict(self.rules)
        return out

    def evidence_json(self) -> dict[str, list[int]]:
        return {k: list(v) for k, v in self.evidence.items()}

    def to_contract(self) -> dict[str, Any]:
        """The contract's JSON (../shared/spec/extraction.md): what `rouei parse --json` prints."""
        facts = self.facts_json()
        out = {k: facts[k] for k in CONTRACT_KEYS if k in facts}
        out["events"] = [{"type": e.type, "date": _iso(e.date), "evidence": list(e.evidence)} for e in self.events]
        out["evidence"] = self.evidence_json()
        out.update(facts)
        return out

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Extracted:
        """An incident back from its JSON (a stored report's facts, the contract); what does not
        read as its field's type is left unset."""
        inc = cls()
        for f in fields(cls):
            if f.name not in value or f.name in ("events", "evidence", "segment", "report"):
                continue
            raw, default = value[f.name], getattr(inc, f.name)
            if f.name in _DATE_KEYS:
                setattr(inc, f.name, _date(raw))
            elif f.name == "reported_to_ppc_later":
                inc.reported_to_ppc_later = sorted({d for x in raw if (d := _date(x))}) if isinstance(raw, list) else []
            elif f.name == "contact":
                inc.contact = {k: (str(raw[k])[:300] if raw.get(k) is not None else None) for k in CONTACT_KEYS} \
                    if isinstance(raw, dict) and any(raw.get(k) for k in CONTACT_KEYS) else None
            elif f.name in _COUNT_KEYS:
                setattr(inc, f.name, raw if isinstance(raw, int) and not isinstance(raw, bool) else None)
            elif isinstance(default, bool):
                setattr(inc, f.name, raw if isinstance(raw, bool) else default)
            elif isinstance(default, list):
                setattr(inc, f.name, [str(x) for x in raw] if isinstance(raw, list) else [])
            elif isinstance(default, dict):
                setattr(inc, f.name, {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {})
            elif raw is None:
                setattr(inc, f.name, default)
            else:
                setattr(inc, f.name, raw if isinstance(raw, str) else str(raw))
        inc.evidence = {k: (v[0], v[1]) for k, v in (value.get("evidence") or {}).items() if _span(v)}
        inc.events = [Event(str(e.get("type")), _date(e.get("date")), (e["evidence"][0], e["evidence"][1]) if _span(e.get("evidence")) else (0, 0))
                      for e in value.get("events") or [] if isinstance(e, dict)]
        segment = value.get("segment")
        inc.segment = (segment[0], segment[1]) if _span(segment) else (0, 0)
        return inc


_DATE_KEYS = frozenset(f.name for f in fields(Extracted) if f.type == "date | None")
_COUNT_KEYS = frozenset(("records_max", "card_records", "personal_records"))


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        return None


def _span(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v)


_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%\-]+")
# Types a digest item names only when something happened (a vulnerability, a phishing wave or
# malware going round is also what an advisory is about).
_ACTS = frozenset({"misdelivery", "loss_theft", "insider", "misconfiguration", "account_takeover", "web_skimming", "ransomware"})


def _build(text: str, seg: Segment, one_of_many: bool, dated: date | None = None) -> Extracted:
    """The facts of one segment; `dated` is the document's own date, or None (a post's
    timestamp in the segment dates it instead)."""
    s0, e0 = seg.start, seg.end
    body = text[s0:e0]
    title = seg.title or ""
    inc = Extracted(title=seg.title or None, segment=(s0, e0))
    first_person = bool(FIRST_PERSON.search(body))

    orgs = find_orgs(text, s0, e0)
    bodies = rank_bodies(text, seg, orgs, first_person)
    org = choose(text, seg, orgs, bodies)
    if org:
        inc.organization, inc.organization_core, span, rule = org
        inc.evidence["organization"] = span
        inc.evidence["organization_core"] = span
        inc.rules["organization"] = rule

    svc = find_service(text, s0, e0, inc.organization_core)
    if svc:
        inc.service = svc[0]
        inc.evidence["service"] = (svc[1], svc[2])
        inc.rules["service"] = svc[3]

    attack = classify(body, title)
    inc.attack_type = attack.key
    inc.rules["attack_type"] = attack.rule
    if attack.span:
        base = s0
        if attack.in_title and seg.title_start is not None:
            base = text.find(title, seg.title_start)
        inc.evidence["attack_type"] = (attack.span[0] + base, attack.span[1] + base)

    sc, vendor, vrule, vspan = supply_chain(body, orgs, s0)
    inc.supply_chain = sc
    if sc:
        inc.rules["supply_chain"] = vrule or "supply.third_party"
        if vspan:
            inc.evidence["supply_chain"] = (vspan[0] + s0, vspan[1] + s0)
    if sc and not vendor:
        # The contractor or vendor the text names beside the subject (委託していた人材派遣大手パソナ).
        tp = third_party(bodies)
        if tp is not None:
            s_, e_, name_ = tp.mentions[0]
            vendor, vrule, vspan = core_name(name_), "vendor.third_party_body", (s_ - s0, e_ - s0)
    if vendor:
        inc.vendor = vendor
        inc.rules["vendor"] = vrule or ""
        if vspan:
            inc.evidence["vendor"] = (vspan[0] + s0, vspan[1] + s0)

    reason = not_incident_rule(
        body, title, one_of_many=one_of_many, typed=attack.key in _ACTS,
        # (the police or a ministry telling of many cases names no body of its own incident)
        named=inc.organization_core is not None and not (bodies and bodies[0].features.get("authority")),
    )
    if reason:
        inc.is_incident = False
        inc.rules["is_incident"] = reason

    stamp = _post_stamp(text, seg) if one_of_many else None
    date_fields(text, seg, inc, first_person=first_person, one_of_many=one_of_many, dated=stamp or dated, stamped=stamp is not None)
    _counts(text, seg, inc)

    st = leak_status(text, s0, e0)
    if st:
        inc.status, inc.evidence["status"], inc.rules["status"] = st
    inc.leaked_items = leaked_items(text, s0, e0)
    # (a digest's items share its issuer's desk, which is nobody's desk for those affected)
    desk = None if one_of_many else find_contact(text, s0, e0)
    if desk is not None:
        inc.contact, inc.evidence["contact"] = desk
        inc.rules["contact"] = HEADING.id
    url = _URL.search(body)
    if url:
        inc.source_url = url.group().rstrip(".,)")
    return inc


def _counts(text: str, seg: Segment, inc: Extracted) -> None:
    for fld, c in zip(("records_max", "card_records", "personal_records"), pick_counts(text, seg.start, seg.end), strict=True):
        if c is None:
            continue
        setattr(inc, fld, c.value)
        setattr(inc, fld + "_qualifier", c.qualifier)
        inc.evidence[fld] = (c.start, c.end)
        inc.rules[fld] = c.rule


# A digest's header may give only a month: "月刊インシデントレポート 2024年1月", "2018年7月 公表一覧"
_YEAR_MONTH = re.compile(
    r"(?:(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?:年|[/.])|(?P<era>令和|平成)\s?(?P<ey>[0-9]{1,2}|元)\s?年)"
    # (the other calendar in brackets between: "2016年(平成28年)11月")
    r"(?:\((?:(?:令和|平成)\s?(?:[0-9]{1,2}|元)|(?:19|20)[0-9]{2})年\))?"
    r"\s?(?P<m>[0-9]{1,2})(?:月)?(?![0-9]|月?[0-9]{1,2}日|[/.][0-9])"
)
_ERA_START = {"令和": 2018, "平成": 1988}


# A post's timestamp on a line of its own, under or over it: "午後9:16 · 2025年9月5日",
# "2025/09/05 21:16"
POST_STAMP = rule(
    "notice.post_stamp",
    rf"^[ \t]*(?:{vocab.POST_TIME_DAY}|"
    r"(?P<d2>(?:19|20)[0-9]{2}[/年][0-9]{1,2}[/月][0-9]{1,2}日?)\s+[0-9]{1,2}:[0-9]{2})",
    flags=re.M,
    examples=("午後9:16 · 2025年9月5日", "2025/09/05 21:16"),
    must_not=("2025年9月5日に公表した。",),
    documents=(
        "🧵 今週の国内インシデント\n午後9:14 · 2025年9月5日\n\n"
        "🚨 マルハチフーズが、昨日夜に不正ログイン被害を公表。約4,200アカウントに不正ログインされた。\n午後9:16 · 2025年9月5日\n\n"
        "📮 みどり野市、通知書を別の人に送っていたとHPに掲載。18人分の氏名が別人に届いた。\n午後9:22 · 2025年9月5日\n\n"
        "💻 南陵医大病院、医師が患者312人分のデータ入りノートPCを電車内に置き忘れ。公表は昨日。\n午後9:31 · 2025年9月5日\n",
    ),
)


# A mail's Date field (RFC 5322): "Date: Mon, 9 Mar 2015 08:41:17 +0900"
_MAIL_DATE = re.compile(
    r"^[ \t]*(?:Date|DATE)\s?:\s*(?:[A-Z][a-z]{2},\s*)?(?P<d>[0-9]{1,2})\s(?P<m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s(?P<y>(?:19|20)[0-9]{2})\b",
    re.M,
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _post_stamp(text: str, seg: Segment) -> date | None:
    """The day a post of a thread (or a mail of a list's digest) was written, from its one
    timestamp: what it calls 昨日 or 3日 is counted from there."""
    mails = list(_MAIL_DATE.finditer(text, seg.start, min(seg.end, seg.start + 400)))
    if len(mails) == 1:
        m = mails[0]
        try:
            return date(int(m.group("y")), _MONTHS.index(m.group("m")) + 1, int(m.group("d")))
        except ValueError:
            return None
    found = list(POST_STAMP.finditer(text, seg.start, seg.end))
    if len(found) != 1:
        return None
    m = found[0]
    span = m.span("day") if m.group("day") else m.span("d2")
    days = find_dates(text, *span)
    return days[0].value if days and days[0].explicit_year else None


def _header_date(text: str, first_item: int) -> date | None:
    """The date of a digest: the latest full date in its header, before the first item, or
    the last day of the month it names when it gives no day."""
    found = find_dates(text, 0, first_item)
    if any(d.explicit_year and d.value for d in found):
        # (the latest, the end of a range too: "2016年5月2日〜5月6日掲載分" is of 5月6日)
        return max(d.value for d in found if d.value)
    months = []
    for m in _YEAR_MONTH.finditer(text, 0, first_item):
        if m.group("era"):
            y = _ERA_START[m.group("era")] + (1 if m.group("ey") == "元" else int(m.group("ey")))
        else:
            y = int(m.group("y"))
        mo = int(m.group("m"))
        if 1 <= mo <= 12:
            months.append(date(y, mo, calendar.monthrange(y, mo)[1]))
    return max(months) if months else None


def _to_raw(norm: Normalized, inc: Extracted) -> Extracted:
    if norm.identity:
        return inc
    inc.evidence = {k: norm.raw_span(*v) for k, v in inc.evidence.items()}
    inc.events = [Event(e.type, e.date, norm.raw_span(*e.evidence)) for e in inc.events]
    inc.segment = norm.raw_span(*inc.segment)
    return inc


_LIST_RULES = frozenset({"segment.list_item", "segment.subject_lead", "segment.structural_headline"})


_PAGE_RULES = frozenset({"segment.whole", "segment.news_headline", "segment.weak_headline"})
LISTS_BELOW = rule(
    "notice.lists_below", r"(?:以下|下記)(?:の|に)?(?:とおり|通り)",
    examples=("当社グループ会社において、以下のとおり個人情報の漏えい等の事案が発生いたしましたので、お知らせいたします。",),
    documents=(
        "2025年3月7日\nそよかぜホールディングス株式会社\n\n当社グループ会社における個人情報漏えい等の事案について\n\n"
        "当社グループ会社において、以下のとおり個人情報の漏えい等の事案が発生いたしましたので、お知らせいたします。\n\n"
        "1)子会社名:そよかぜ不動産株式会社\n 賃貸管理システムに外部から不正アクセスがあり、入居者情報が閲覧された可能性があります。\n"
        "2)子会社名:株式会社そよかぜトラベル\n 顧客へのメールを宛先をBCCではなくTOにして送信しました。\n"
        "3)子会社名:そよかぜロジテック株式会社\n 社員が顧客名簿の入ったかばんを盗まれました。\n",
    ),
)


def parse_text(text: str) -> list[Extracted]:
    """Every incident (and non-incident item, flagged is_incident False) in a decoded text."""
    norm = relined(text)
    segments = segment(norm.text)
    many = len(segments) > 1
    dated = _header_date(norm.text, segments[0].start) if many else None
    years = _year_sections(norm.text) if many else []
    built = [_build(norm.text, seg, many, _section_dated(years, seg.start) or dated) for seg in segments]
    # (the page's title and lead before three or more listed items are its header, whatever they name)
    # (a contents list's headings are listed items too: the contents sit in the header)
    listed_after = sum(1 for seg in segments[1:] if seg.rule in _LIST_RULES or seg.rule == "segment.contents_heading")
    # (…that tell of no announcement of their own: an article's lead does, a ranking's lead does not)
    # (a dateline under the page's title is the page's date, not an announcement its lead tells)
    lead_only = listed_after >= 3 and (built[0].disclosed_on is None or _on_dateline(norm.text, built[0].evidence.get("disclosed_on")))
    preamble = many and len(segments) >= 3 and segments[0].rule in _PAGE_RULES and (built[0].organization_core is None or lead_only)
    if preamble:
        # The page's title and lead, a segment of their own that names no body, are the
        # digest's header too: its date dates the items ("2016年11月14日から20日までの…").
        lead_dated = _header_date(norm.text, segments[1].start)
        if lead_dated is not None and lead_dated != dated:
            dated = lead_dated
            built = [_build(norm.text, seg, many, dated) for seg in segments]
    elif (
        many and dated is None and built[0].disclosed_on is not None and segments[0].rule == "segment.notice_header"
        and LISTS_BELOW.search(norm.text, segments[0].start, segments[0].end) is not None
    ):
        # A body's notice of incidents listed below it: its date gives their month-days a
        # year (2月20日、同社従業員が… under a notice of 2025年3月7日).
        dated = built[0].disclosed_on
        built = built[:1] + [_build(norm.text, seg, many, dated) for seg in segments[1:]]
    own_index = many and segments[0].start > 0 and OWN_INDEX.search(norm.text, 0, segments[0].start) is not None
    if many:
        _name_by_issuer(norm.text, segments, built, dated, own_index)
    # A heading inside one notice can look like a digest headline: consecutive items about
    # the same organisation are one item, and so is a nameless first-person part (弊社…).
    merged: list[tuple[Segment, Extracted]] = []
    for seg, inc in zip(segments, built, strict=True):
        same = (
            inc.organization_core and merged and merged[-1][1].organization_core == inc.organization_core
            and seg.rule not in _ISSUERS_LISTS  # (a list's lines are its items: a body's own list, one case a row)
            and not own_index  # (a body's index of its releases: each release is an item, all its own)
        )
        continuation = (
            merged and not inc.organization_core and inc.is_incident
            and NOTICE_VOICE.search(norm.text, seg.start, seg.end) is not None
        )
        # A header with no sentence of its own (an issuer's line, a date) is no item: it
        # heads the one after it.
        first = merged[-1][0] if merged else None
        if (
            first is not None and first.end - first.start < 120
            # (a one-line digest item that names its own body is an item, not a header)
            and (not merged[-1][1].organization_core or merged[-1][1].organization_core == inc.organization_core)
            and "。" not in norm.text[first.start : first.end] and first.rule not in _LIST_RULES
        ):
            continuation = True
        if same or continuation:
            first = merged[-1][0]
            seg = Segment(first.start, seg.end, first.title, first.title_start, first.rule)
            merged[-1] = (seg, _build(norm.text, seg, many, _section_dated(years, seg.start) or dated))
        else:
            merged.append((seg, inc))
    if many and len(merged) == 1:
        # Headlines that turned out to be one notice's parts: it is read as a notice alone.
        seg = merged[0][0]
        merged = [(seg, _build(norm.text, seg, False, None))]
    if (
        len(merged) >= 3 and merged[0][0].rule == "segment.notice_header"
        and LISTS_BELOW.search(norm.text, merged[0][0].start, merged[0][0].end) is not None
        and sum(1 for _, inc in merged[1:] if inc.organization_core) >= 2
    ):
        # One body's notice of several incidents listed below it (当社グループ会社において、以下の
        # とおり…): the notice itself is none of them, and its date is when each was told.
        head = merged[0][1]
        head.is_incident = False
        head.rules["is_incident"] = LISTS_BELOW.id
        for _, inc in merged[1:]:
            if inc.disclosed_on is None and head.disclosed_on is not None:
                inc.disclosed_on = head.disclosed_on
                inc.rules["disclosed_on"] = LISTS_BELOW.id
                if "disclosed_on" in head.evidence:
                    inc.evidence["disclosed_on"] = head.evidence["disclosed_on"]
    if len(merged) >= 3 and merged[0][0].rule in _PAGE_RULES and (not merged[0][1].organization_core or lead_only):
        # The page's title and lead before a digest's items (今週は大型の流出が1件あり…) tell
        # of no incident of their own.
        if sum(1 for seg, inc in merged[1:] if inc.organization_core and seg.rule not in _PAGE_RULES) >= 2:
            merged[0][1].is_incident = False
            merged[0][1].rules["is_incident"] = "digest.preamble"
    if many and dated is not None and len(merged) >= 3:
        _date_by_day_lines(norm.text, merged, dated, own_index)
    if many:
        _date_by_citations(norm.text, merged)
    if many and len(merged) >= 3:
        merged = _fold_follow_ups(norm.text, merged)
    # (a page's other news, no word of an incident in it, is no item of a breach report)
    merged = [(seg, inc) for seg, inc in merged if inc.rules.get("is_incident") != "not_incident.no_incident_words"]
    found = [_to_raw(norm, inc) for _, inc in merged]
    tag_reports(text, found)
    return found


# A date alone on its line ("11/11(月)", "2024年11月12日（火）"), over the items of that day.
_DAY_LINE = re.compile(
    r"^[ \t]*(?:(?:19|20)[0-9]{2}[/.年]|(?:令和|平成)[0-9元]{1,2}年)?[0-9]{1,2}[/.月][0-9]{1,2}日?(?:\s?\([^)\n]{1,3}\))?(?:[・~\-][^\n]{0,16})?[ \t]*$", re.M
)


# A list set out by year, a year alone on its heading line ("2019年[編集]", "■ 2020年"): its
# items' month-days are of that year.
YEAR_SECTION = rule(
    "notice.year_section",
    r"^[ \t]*(?:[■□◆◇●▼#]+[ \t]*)?(?P<y>(?:19|20)[0-9]{2})年[ \t]*(?:\[編集\])?[ \t]*$",
    flags=re.M,
    examples=("2019年[編集]", "■ 2020年"),
    must_not=("2019年度", "2019年6月18日"),
    documents=(
        "日本の情報漏洩事件一覧\n\n2019年\n・6月18日 - 株式会社ほしぞら書房が、決済画面が改ざんされ、カード情報が流出した可能性があると発表した。\n\n"
        "2020年\n・2月14日 - 特定非営利活動法人ひまわりネットワークが、ノートパソコンの盗難を公表した。\n\n"
        "2022年\n・3月2日 - 東都医科大学が、教員のパソコンがマルウェアに感染したと発表した。\n",
    ),
)


def _on_dateline(text: str, span: tuple[int, int] | None) -> bool:
    """Whether a date was read from a line that holds nothing but a date."""
    if span is None:
        return False
    ls = text.rfind("\n", 0, span[0]) + 1
    le = text.find("\n", span[1])
    # (or labelled as the page's own: "発行日:2025年12月5日", glued where the breaks were lost)
    return is_bare_date(text, ls, len(text) if le < 0 else le) or (
        _PAGE_DATE_LABEL.search(text, max(ls, span[0] - 8), span[0]) is not None or _PAGE_DATE_LABEL.match(text, span[0]) is not None
    )


# (the evidence of a labelled date starts at its label, or the label stands just before it)
_PAGE_DATE_LABEL = re.compile(r"(?:発行日|公開日|更新日|投稿日|配信日|掲載日)\s?[:：]?\s?(?:\Z|(?=[0-9令平]))")


def _year_sections(text: str) -> list[tuple[int, int]]:
    """(offset, year) of each year heading, when the text is set out by two or more of them."""
    found = [(m.start(), int(m.group("y"))) for m in YEAR_SECTION.finditer(text)]
    return found if len(found) >= 2 else []


def _section_dated(years: list[tuple[int, int]], at: int) -> date | None:
    """The last day of the year whose heading the offset is under, or None (then the
    document's own date dates the item)."""
    above = [y for p, y in years if p < at]
    return date(above[-1], 12, 31) if above else None


# A note that cites an item's source with its date: "（注2）菓子工房ルミエ「…お詫び」（2025年2月12日）",
# "1. ^ “…”. 株式会社X (2019年6月18日). 2024年8月3日閲覧。"
CITATION = rule(
    "notice.citation",
    r"^[ \t]*(?:[(（]注\s?(?P<a>[0-9]{1,2})[)）]|(?P<b>[0-9]{1,2})\.\s?\^)[^\n]*?[(（]\s?(?P<date>(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日)\s?[)）]",
    flags=re.M,
    examples=("（注2）菓子工房ルミエ「不正アクセスによる個人情報漏えいに関するお詫びとお知らせ」（2025年2月12日）",
              "1. ^ “「ほしぞらブックス」への不正アクセスに関するお詫び”. 株式会社ほしぞら書房 (2019年6月18日). 2024年8月3日閲覧。"),
    documents=(
        "ニューズレター 2025年3月号\n\n"
        "■(1)株式会社ハルモニアの事案\n株式会社ハルモニアは、元従業員が登録スタッフ3,210名分の情報を持ち出していたと公表した(注1)。\n\n"
        "■(2)菓子工房ルミエの事案\n菓子工房ルミエは、同サイトの決済画面が改ざんされ、カード情報1,087件が窃取されたと公表した(注2)。\n\n"
        "■(3)北陵大学の事案\n国立大学法人北陵大学は、教員のメールアカウントに不正ログインがあったと公表した(注3)。\n\n"
        "(注1)株式会社ハルモニア「元従業員による個人情報の不正な持ち出しについて」(2025年1月20日)\n"
        "(注2)菓子工房ルミエ「不正アクセスによる個人情報漏えいに関するお詫び」(2025年2月12日)\n"
        "(注3)国立大学法人北陵大学「本学教員のメールアカウントへの不正ログインについて」(2025年2月4日)\n",
    ),
)


def _date_by_citations(text: str, items: list[tuple[Segment, Extracted]]) -> None:
    """An item that cites a note ((注2), [2]) whose source is dated: the source's date is its
    announcement, when the item tells none of its own."""
    notes: dict[str, tuple[date, tuple[int, int]]] = {}
    for m in CITATION.finditer(text):
        found = find_dates(text, m.start("date"), m.end("date"))
        if found and found[0].value is not None:
            notes[m.group("a") or m.group("b")] = (found[0].value, m.span("date"))
    if not notes:
        return
    for seg, inc in items:
        if inc.disclosed_on is not None or not inc.is_incident:
            continue
        # (not the notes themselves: a mark that opens its line is a note's own number)
        keys = [
            m.group(1) or m.group(2) for m in _CITE_MARK.finditer(text, seg.start, seg.end)
            if text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
        ]
        cited = [notes[k] for k in keys if k in notes]
        if cited:
            when, span = min(cited)
            inc.disclosed_on = when
            inc.evidence["disclosed_on"] = span
            inc.rules["disclosed_on"] = CITATION.id


_CITE_MARK = re.compile(r"[(（]注\s?([0-9]{1,2})[)）]|\[([0-9]{1,2})\]")


def _date_by_day_lines(text: str, items: list[tuple[Segment, Extracted]], dated: date, own_index: bool = False) -> None:
    """A digest that lists its items under the days they came out, and says so (日付は公表日
    です), or a body's index of its releases: each item's disclosure is the day above it."""
    if not own_index and ITEM_DATES_ANNOUNCED.search(text, 0, min(items[0][0].start, 1500)) is None:
        return
    days = []
    for m in _DAY_LINE.finditer(text):
        found = find_dates(text, m.start(), m.end(), dated=dated)
        if found and found[0].value is not None:
            days.append(found[0])
    for seg, inc in items:
        above = [d for d in days if d.start < seg.start]
        if inc.disclosed_on is None and inc.is_incident and above:
            inc.disclosed_on = above[-1].value
            inc.evidence["disclosed_on"] = (above[-1].start, above[-1].end)
            inc.rules["disclosed_on"] = OWN_INDEX.id if own_index else ITEM_DATES_ANNOUNCED.id


# Items a body lists as its own: a list's rows, the cases a notice announces (２つの課において…).
_ISSUERS_LISTS = frozenset({"segment.list_item", ANNOUNCED_CASE.id})


def _name_by_issuer(text: str, segments: list[Segment], built: list[Extracted], dated: date | None, own_index: bool) -> None:
    """A body's own list of its cases (所管課:…　発生日:…, or the cases a notice announces):
    rows that name no body, most of them, are the issuer's, whom the page's header names; the header's date, when it lists
    them (下記のとおり), is when each was told. In a body's own index of its press releases
    (`own_index`), any release that names no body is its own."""
    nameless = [
        inc for seg, inc in zip(segments, built, strict=True)
        if not inc.organization_core and (seg.rule in _ISSUERS_LISTS or (own_index and inc.is_incident))
    ]
    if not nameless or (not own_index and (len(nameless) < 2 or len(nameless) * 2 < len(built))):
        return
    if segments[0].start == 0:
        # the notice's header is an item of its own: its body is the issuer, and it is none
        first = built[0]
        if segments[0].rule != "segment.notice_header" or not first.organization_core:
            return
        org = (first.organization, first.organization_core, first.evidence["organization"], "")
        first.is_incident = False
        first.rules["is_incident"] = "notice.issuer_of_list"
    else:
        head = Segment(0, segments[0].start, None, None, "segment.whole")
        org = choose(text, head, orgs := find_orgs(text, 0, segments[0].start), rank_bodies(text, head, orgs, True))
        if org is None:
            return
    told = dated if segments[0].start > 0 and (
        LISTS_BELOW.search(text, 0, segments[0].start) or segments[0].rule == ANNOUNCED_CASE.id) else None
    for inc in nameless:
        inc.organization, inc.organization_core, span, _ = org
        inc.evidence["organization"] = inc.evidence["organization_core"] = span
        inc.rules["organization"] = "org.issuer_of_list"
        if told is not None and inc.disclosed_on is None:
            inc.disclosed_on = told
            inc.rules["disclosed_on"] = LISTS_BELOW.id


OWN_INDEX = rule(
    "notice.own_index",
    vocab.RELEASE_INDEX + r"|[0-9]{1,2}月(?:分)?の(?:報道発表|記者発表|プレスリリース)(?:資料)?",
    examples=("ホーム > 県政情報 > 報道発表 > 報道発表資料一覧(令和7年10月)", "2016年(平成28年)11月の報道発表資料"),
    documents=(
        "白峰県公式ホームページ\n報道発表資料一覧(令和7年10月)\n\n令和7年10月21日(火)\n\n"
        "◆自動車税の減免決定通知書の誤送付について\n 担当課:総務部 税務課\n"
        "委託先において封入作業を誤り、412名分の通知書が本来の送付先とは異なる方に送付されたことが判明しました。\n\n"
        "◆県立白峰北高等学校における生徒の個人情報を含むUSBメモリの紛失について\n 担当課:高校教育課\n"
        "県立白峰北高等学校の教諭が、生徒697名分の得点を保存したUSBメモリを紛失しました。\n\n"
        "◆県立白峰中央病院職員による電子カルテの目的外閲覧について\n 担当課:県立病院課\n"
        "県立白峰中央病院において、職員1名が患者の電子カルテを目的外で閲覧していたことが判明しました。\n\n"
        "◆県立白峰南高等学校における成績一覧の誤掲載について\n 担当課:高校教育課\n"
        "県立白峰南高等学校のホームページに、生徒120名分の成績一覧を誤って掲載していたことが判明しました。\n\n"
        "◆「しらみね子育て応援アプリ」の運営委託事業者に対するサイバー攻撃について\n 担当課:子育て支援課\n"
        "県が運営を委託しているアプリのサーバーがランサムウェアによる攻撃を受け、保存データが暗号化されたことが判明しました。\n",
    ),
)


FOLLOW_UP = rule(
    "notice.follow_up",
    r"(?:発表|公表)(?:した|していた|済みの)[^。]{0,40}?(?:について|に関し|の件)|第[2-9]報|続報|追加(?:で|の)?(?:発表|公表)|"
    r"(?:[0-9]{1,2}/[0-9]{1,2}|[0-9]{1,2}月[0-9]{1,2}日)(?:に?(?:公表|発表)(?:した)?)?の(?:件|事案)|(?:件数|内容|人数)を(?:訂正|修正|更新)",
    examples=("ときわ台市は10日、2日に発表した委託先のランサムウェア被害について、流出の痕跡が見つかったと発表した。", "※4/3の件、件数を訂正。"),
    must_not=("ときわ台市は2日、委託先のサーバーが感染したと発表した。",),
    documents=(
        "ときわ台市は2日、委託先のサーバーがランサムウェアに感染し、約1万8千人分のデータが暗号化されたと発表した。\n"
        "かわせみ市は5日、名簿のファイルが閲覧できる状態になっていたと発表した。\n"
        "ときわ台市は10日、2日に発表した委託先のランサムウェア被害について、約2,400人分のデータが流出したと発表した。\n",
    ),
)
# What a follow-up adds to the first report: what it left unknown, a larger count, a later report.
_FOLD_FIRST = ("discovered_on", "disclosed_on", "exposure_from", "reported_to_ppc_on", "reported_to_police_on")
_FOLD_MAX = ("records_max", "card_records", "personal_records")
_FOLD_MISSING = ("service", "vendor", "exposure_to")


def _fold_follow_ups(text: str, items: list[tuple[Segment, Extracted]]) -> list[tuple[Segment, Extracted]]:
    """A body's later item that reports back on its earlier one (a digest's 続報, an article's
    "2日に発表した…について") is that incident: its facts join the first item's."""
    out: list[tuple[Segment, Extracted]] = []
    for seg, inc in items:
        earlier = next(
            ((s, f) for s, f in out if f.organization_core and f.organization_core == inc.organization_core and f.is_incident), None
        )
        # (a list newest first has the follow-up above the report it follows; a table's row
        # and the section that picks it up again tell one incident of one kind)
        if earlier is None or not inc.is_incident or not (
            any(FOLLOW_UP.search(text, s.start, min(s.end, s.start + 200)) for s in (seg, earlier[0]))
            or (inc.attack_type == earlier[1].attack_type != "other" and _near_in_time(inc, earlier[1]))
        ):
            out.append((seg, inc))
            continue
        first = earlier[1]
        for k in _FOLD_FIRST:
            a, b = getattr(first, k), getattr(inc, k)
            if b is not None and (a is None or b < a):
                setattr(first, k, b)
                _take(first, inc, k)
        told = sorted({d for d in (first.reported_to_ppc_on, inc.reported_to_ppc_on, *first.reported_to_ppc_later,
                                   *inc.reported_to_ppc_later) if d})
        first.reported_to_ppc_later = [d for d in told if first.reported_to_ppc_on and d > first.reported_to_ppc_on]
        for k in _FOLD_MAX:
            a, b = getattr(first, k), getattr(inc, k)
            if b is not None and (a is None or b > a):
                setattr(first, k, b)
                setattr(first, f"{k}_qualifier", getattr(inc, f"{k}_qualifier"))
                _take(first, inc, k)
        for k in _FOLD_MISSING:
            if getattr(first, k) is None and getattr(inc, k) is not None:
                setattr(first, k, getattr(inc, k))
                _take(first, inc, k)
        first.leaked_items += [x for x in inc.leaked_items if x not in first.leaked_items]
        first.events = sorted(first.events + inc.events, key=lambda ev: ev.evidence[0])
        first.rules["follow_up"] = FOLLOW_UP.id
    return out


def _near_in_time(a: Extracted, b: Extracted) -> bool:
    """Whether two items' dates allow one incident: told within two months of each other
    (a year's list names a body's two misdeliveries of May and November apart)."""
    da, db = a.disclosed_on or a.discovered_on, b.disclosed_on or b.discovered_on
    return da is None or db is None or abs((da - db).days) <= 62


def _take(into: Extracted, src: Extracted, key: str) -> None:
    if key in src.evidence:
        into.evidence[key] = src.evidence[key]
    if key in src.rules:
        into.rules[key] = src.rules[key]
