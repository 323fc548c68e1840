"""An incident's timeline: its dated events, the date fields they give, its exposure.

The roles of single dates come from roles.py; this module adds what only the whole notice
says — its own date (on its headline, alone near its top, at its foot above the signer, a
news dateline), which is the disclosure of a notice and the year of the month-days that the
text leaves without one — and reads the fields off the events: discovered_on is the earliest
awareness that was the organisation's own (not a vendor's detection, not what a forensic
investigation concluded), disclosed_on the earliest disclosure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from . import vocab
from .dates import DateMention, resolve_dates, scan_dates
from .roles import AWARENESS, Role, date_roles, police_news
from .rules import rule
from .segment import Segment

if TYPE_CHECKING:
    from .notice import Extracted

Span = tuple[int, int]
# A follow-up report says so in its title or first lines.
UPDATE = rule(
    "date.update", r"第[2-9二三四五六七八九]報|続報|最終報告?|追加報告|調査結果のご報告",
    examples=["不正アクセスに関するお知らせ(第2報)\n2024年9月20日\n当院は2024年9月10日に第1報を公表しました。"],
)


@dataclass(frozen=True)
class Event:
    type: str
    date: date | None
    evidence: Span


# News: someone else reports that the organisation announced it.
NEWS_SUBJECT = rule(
    "date.news_subject", r"(?:は|が)、?[^。]{0,200}?(?:と|を|について)(?:発表|公表|明らかに)(?:した|しました|している)",
    examples=["2024年5月21日\nサクラ電工は、顧客情報が流出した可能性があると発表しました。"],
)
# A notice speaks politely (news rarely does).
POLITE = rule(
    "date.polite", r"(?:ます|ました|ません|でした|ございます)。",
    examples=["2024年5月20日\n\n当社サーバーへの不正アクセスについて\n\n不正アクセスが判明しました。お詫び申し上げます。"],
)
DATELINE_LABEL = rule(
    "date.dateline_label", r"\s*+(?:date|Date|DATE|配信日|掲載日|公開日|更新日|発表日|公表日)?\s*+[::]?\s*+$",
    examples=[" date 2025-10-15 天草市教育委員会は、児童の個人情報を記したファイルを紛失したと明らかにしました。"],
)
# After a date, what makes it the start of a sentence rather than a headline's date.
OPENS_SENTENCE = rule(
    "date.opens_sentence", r"(?:\([^)\n]{1,6}\))?\s?(?:[、,]|に|には|から|より|は|、)",
    examples=["2024年7月22日、当社オンラインストアへの不正アクセスについて\n\n当社オンラインストアが不正アクセスを受けたことが判明しました。"],
    must_not=[" 不正アクセス被害のお知らせ"],
)
# Something done minutes after the incident: they knew of it the day it happened.
SOON_AFTER = rule(
    "date.soon_after", r"(?:発生|送信|送付|発送|掲載|公開)(?:して)?(?:から|後)(?:約|およそ)?[0-9]{1,2}分(?:後|ほど後|以内)",
    examples=["1.発生日時\n令和7年12月4日(木曜日)14時14分\n2.発生状況\n宛先をBCCとすべきところ、誤ってTOのまま送信しました。\n3.対応\n・事案発生から約20分後に、対象者に対しメールの削除を依頼しました。"],
    must_not=["発生から約2時間後"],
)
THEFT = rule(
    "date.theft", r"盗まれ|盗難に遭|ひったく|置き引き|車上荒らし|奪われ|強奪|すられ|窃盗被害",
    examples=["職員が2021年10月29日夕方、かばんをひったくられた。", "車上荒らしに遭い、鞄を盗まれました。"],
    must_not=["パソコンを紛失しました。"],
)
# A date that names a report to the PPC (the sentence names the commission): "6月14日に速報を、
# 7月19日に確報を提出", "(2023年6月14日 速報、2023年7月19日 確報)", "7月19日には同委員会へ確報を".
PPC_REPORT = rule(
    "date.ppc_report",
    r"[ \t　]{0,2}(?:付(?:け)?)?(?:に(?:は|も)?|で(?:は)?)?[、,]?[ \t　]{0,2}(?:(?:個人情報保護|同)委員会(?:に|へ)(?:は|も|対し(?:て)?)?[、,]?[ \t　]{0,2})?"
    r"(?:報告[ \t　]{0,2})?[(（]?[ \t　]{0,2}(?:速報|確報|第[一二三1-3１-３]報|最終報告|続報|追加(?:の)?報告|報告)(?!を受|が|があ|により|によ|書を受|[^。]{0,8}(?:とおり|通り))",
    examples=("個人情報保護委員会へは、2023年6月14日に速報を、同年7月19日に確報を提出しております。",
              "個人情報保護委員会への報告（2023年6月14日 速報、2023年7月19日 確報）を行っております。",
              "2023年6月14日に個人情報保護委員会へ報告いたしました。また、2023年7月19日には同委員会へ確報を提出いたしました。",
              "本件は個人情報保護委員会に2023年6月14日に速報、2023年7月19日に確報を行っております。"),
    must_not=("に報告を受け", "に報告があり", "にご報告いたしましたとおり"),
    documents=("2023年9月1日\n株式会社テスト\n\n不正アクセスに関するお知らせ\n\n2023年6月12日、当社サーバーへの不正アクセスを確認しました。\n"
               "個人情報保護委員会への報告（2023年6月14日 速報、2023年7月19日 確報）を行っております。\n",),
)
_PPC_NAMED = re.compile(r"個人情報保護委員会|同委員会")
_OTHER_ADDRESSEE = re.compile(r"が、|ものの|(?:県|市|町|村|都|府|庁|省|警察|警察署|所轄庁|本部|会社|当局)(?:に|へ)(?:は|も|対し)?")
_SPAN = re.compile(r"までの間|の間に|にかけて")
# A notice's date at its foot: after its last sentence (or 以上), before the signature.
FOOT = rule(
    "date.foot", r"(?:^|[。\n]|以上)[ \t]*[(（]?(?:(?:発表|公表|掲載|作成|配信|更新)日?[::]?)?[ \t]*(?=(?:19|20)[0-9]{2}|令和|平成)",
    examples=["当社ECサイトが不正アクセスを受けたことが判明しました。お客様には深くお詫び申し上げます。\n以上\n2023年6月30日\n株式会社サクラ電工",
              "サクラ電工は、顧客情報が流出した可能性があると発表した。同社によると、5月10日に異常を検知したという。\n（2024年5月21日 12時00分）"],
    must_not=["当社は2023年6月30日"],
)
_FOOT_REST = rule(
    "date.foot_rest", r"[^。]{0,400}",  # (a signature, then a web page's footer: 先頭へ, 〒…, Copyright)
    examples=["当社ECサイトが不正アクセスを受けたことが判明しました。お客様には深くお詫び申し上げます。\n以上\n2023年6月30日\n株式会社サクラ電工"],
)
# Who signs a notice under its date: a legal form, a title, an office.
SIGNATURE = rule(
    "date.signature",
    r"株式会社|有限会社|\(株\)|法人|代表|社長|理事長|院長|学長|市長|町長|村長|知事|局長|部長|課長|センター長|校長|会長|本部|事務局|役所|委員会",
    examples=["当社ECサイトが不正アクセスを受けたことが判明しました。お客様には深くお詫び申し上げます。\n以上\n2023年6月30日\n株式会社サクラ電工"],
)
# A sentence after a date: the date was not at the foot.
VERB_END = rule(
    "date.verb_end", r"(?:ます|ました|です|でした|した|する|ている)(?:[。\s]|$)",
    examples=["当社サーバーへの不正アクセスが判明しました。お客様には多大なるご迷惑とご心配をおかけしますことを深くお詫び申し上げます。\n\n2024年5月20日\n窓口が混み合っています\n株式会社サクラ電工"],
)


def _dateline(text: str, seg: Segment, dates: list[DateMention]) -> DateMention | None:
    """A full date on one of the segment's first lines, alone or after a 'date' label."""
    for d in dates[:3]:
        if not d.explicit_year or d.value is None or d.start - seg.start > 300:
            continue
        ls = text.rfind("\n", 0, d.start) + 1
        if ls < seg.start or not DATELINE_LABEL.fullmatch(text, ls, d.start):
            continue
        if d.end < len(text) and not text[d.end].isspace() and text[d.end] not in "(":
            continue  # "2024年7月22日、…" opens a sentence; a dateline stands apart
        return d
    return None


def _head_date(text: str, seg: Segment, dates: list[DateMention]) -> DateMention | None:
    """A notice's own date at its head: on its headline, or alone on a line near its top."""
    s0, e0 = seg.start, seg.end
    if seg.title_start is not None:
        t_end = text.find("\n", seg.title_start, e0)
        t_end = e0 if t_end < 0 else t_end
        own = next((d for d in dates if seg.title_start <= d.start < t_end and d.explicit_year), None)
        # a headline's date stands apart ("…について 2023年2月9日"); "2024年7月22日、…" opens a sentence
        if own is not None and (own.end >= e0 or not OPENS_SENTENCE.match(text, own.end)):
            return own
    for d in dates[:4]:
        ls, le = d.line(text)
        if (
            d.explicit_year and not text[ls : d.start].strip() and _STAMP_REST.fullmatch(text, d.end, le)
            and d.start - s0 < 400 and "。" not in text[s0 : d.start]
        ):
            return d  # before the body: after it, a date alone on a line is the foot's
        if (
            d.explicit_year and _CRUMB_SEP.search(text, ls, d.start) and _STAMP_REST.fullmatch(text, d.end, le)
            and d.start - s0 < 400 and "。" not in text[s0 : d.start]
        ):
            return d  # "ホーム > ニュース > 重要なお知らせ 2023年7月14日": the page's path, then its date
    # (Text that lost its line breaks reaches here re-lined by layout.py: a dateline or a
    # headline's date stands on its own line again.) A header whose lines were glued keeps
    # its date between the salutation and the issuer: "保護者の皆様へ令和5年9月8日市立…小学校".
    for d in dates[:2]:
        ls, le = d.line(text)
        if (
            d.explicit_year and d.value is not None and d.start - s0 < 200 and "。" not in text[s0:le]
            and GLUED_HEADER_DATE.match(text, d.end, le) and not text[ls : d.start].rstrip().endswith(("から", "より", "、"))
        ):
            return d
    return None


_CRUMB_SEP = re.compile(r"\s[>＞›»]\s")
# What may follow a notice's date on its line: a weekday, a time ("2021年9月23日 15時00分")
_STAMP_REST = re.compile(r"\s*(?:\([^)\n]{1,4}\))?\s*(?:[0-9]{1,2}(?:時(?:[0-9]{1,2}分)?|:[0-9]{2}))?\s*")
GLUED_HEADER_DATE = rule(
    "date.glued_header",
    r"(?<=[日)）])(?:\([^)\n]{1,4}\))?\s?(?=[一-龥ァ-ヴA-Za-z])(?!(?:頃|以降|時点|現在|付))",
    examples=["保護者の皆様へ令和5年9月8日市立みどり坂小学校"],
    must_not=["2024年5月20日から2024年6月1日まで"],
    documents=["保護者の皆様へ令和5年9月8日市立みどり坂小学校\n校長 今井 早苗緊急連絡網の誤配布について(お詫び)\n"
               "9月4日(月)に配布した緊急連絡網に誤りがあり、9月5日、保護者の方からのご指摘で判明しました。"],
)


def _foot_date(text: str, seg: Segment, dates: list[DateMention]) -> DateMention | None:
    """A notice's own date at its foot: the last full date, after the last sentence, with
    only a signature (a name, a department) after it."""
    full = [d for d in dates if d.explicit_year and d.value is not None]
    if not full or full[-1] is not dates[-1]:
        return None
    d = full[-1]
    if d.start - seg.start < (seg.end - seg.start) // 2:
        return None
    ls = max(text.rfind("\n", seg.start, d.start), text.rfind("。", seg.start, d.start), seg.start - 1) + 1
    if not any(m.end() == d.start for m in FOOT.finditer(text, max(seg.start, ls - 3), d.end)):
        return None
    if d.end < seg.end and not text[d.end].isspace() and text[d.end] not in ")）配":
        return None  # "2023年3月17日、…" opens a sentence
    rest = _FOOT_REST.fullmatch(text, d.end, seg.end)
    if rest is None or VERB_END.search(text, d.end, seg.end):
        return None
    return d


def _ppc_reports(text: str, dates: list[DateMention], s0: int, e0: int, events: list[Event]) -> list[Event]:
    """Reports to the PPC the roles left untold: each date a report word follows, in a sentence
    that names the commission (同委員会 only after the commission is named)."""
    told = {ev.date for ev in events if ev.type == "reported_to_ppc"}
    named = text.find("個人情報保護委員会", s0, e0)
    out: list[Event] = []
    for d in dates:
        if d.value is None or d.value in told or named < 0 or d.start < s0 or d.end > e0:
            continue
        m = PPC_REPORT.match(text, d.end, e0)
        if m is None:
            continue
        a = max(text.rfind("。", s0, d.start), text.rfind("\n", s0, d.start), s0 - 1) + 1
        b = text.find("。", m.end(), e0)
        b = e0 if b < 0 else b
        # The commission named in the tail ("…に同委員会へ確報"), or before the date with no
        # clause break and no other addressee between ("委員会への報告の対象には当たらないと
        # 判断しておりますが、県には9月15日に報告": the report went to the prefecture).
        tail = _PPC_NAMED.search(text, d.end, m.end())
        before = [x for x in _PPC_NAMED.finditer(text, a, d.start)]
        mention = tail or (before[-1] if before else None)
        if mention is None or (mention.group() == "同委員会" and named > mention.start()):
            continue
        if tail is None and _OTHER_ADDRESSEE.search(text, mention.end(), d.start):
            continue
        out.append(Event("reported_to_ppc", d.value, (d.start, m.end())))
        told.add(d.value)
    return out


def date_fields(
    text: str, seg: Segment, inc: Extracted, *, first_person: bool, one_of_many: bool, dated: date | None, stamped: bool = False
) -> None:
    """The incident's dates and timeline from the dates of its segment: each date's role
    (roles.py), the notice's own date (at its head, its foot, or a news dateline), which
    also gives a year to what the text leaves without one, and the exposure periods."""
    s0, e0 = seg.start, seg.end
    scanned = scan_dates(text, s0, e0)
    dates = resolve_dates(text, scanned, dated=dated, stamped=stamped)
    # A notice speaks in the first person (本市, 当院) or, when it stands alone, at least
    # politely (a digest's summaries are polite too); news reports that someone else announced it.
    body = text[s0:e0]
    polite_notice = not one_of_many and bool(POLITE.search(body)) and not NEWS_SUBJECT.search(body)
    notice_voice = first_person or polite_notice or seg.rule == "segment.notice_header"
    head = _head_date(text, seg, dates)
    foot = _foot_date(text, seg, dates)
    line = _dateline(text, seg, dates)
    # The document's own date gives a year to what the text leaves without one.
    anchor = head or line or foot
    if dated is None and anchor is not None and anchor.value is not None and any(d.value is None or not d.explicit_year for d in dates):
        dates = resolve_dates(text, scanned, dated=anchor.value)
    roles, periods = date_roles(text, dates, e0, s0, seg.title_start)
    events: list[Event] = []
    aware: list[Event] = []
    for r in roles:
        ev = Event(r.type, r.date.value, (r.start, r.end))
        events.append(ev)
        if r.type in AWARENESS and r.aware:
            aware.append(ev)
    rules: dict[int, str] = {id(ev): r.rule for ev, r in zip(events, roles, strict=True)}
    for ev in _ppc_reports(text, dates, s0, e0, events):
        events.append(ev)
        rules[id(ev)] = PPC_REPORT.id
    # "事案発生から約20分後に削除を依頼しました": acted on within minutes of the incident, they
    # knew of it that day.
    if not aware:
        soon = SOON_AFTER.search(text, s0, e0)
        began = [r for r in roles if r.type == "incident_start" and r.date.value is not None]
        if soon is not None and began:
            r = min(began, key=lambda r: r.date.value)  # type: ignore[arg-type,return-value]
            ev = Event("access_confirmed", r.date.value, soon.span())
            events.append(ev)
            aware.append(ev)
            rules[id(ev)] = "date.soon_after"
    # A bag snatched, a car broken into: a theft is known the day it happens.
    if not aware:
        # (not a theft told over a span of hours, 午後11時頃から翌朝までの間に…盗まれ: found after)
        stolen = [
            r for r in roles if r.type == "incident_start" and r.date.value is not None
            and (m := THEFT.search(text, r.start, r.end + 24)) is not None and not _SPAN.search(text, r.start, m.start())
        ]
        if stolen:
            r = min(stolen, key=lambda r: r.date.value)  # type: ignore[arg-type,return-value]
            ev = Event("anomaly_detected", r.date.value, (r.start, r.end))
            events.append(ev)
            aware.append(ev)
            rules[id(ev)] = THEFT.id
    # A foot date is the notice's own when its signer follows it (or nothing does).
    signed = foot is not None and (not text[foot.end : e0].strip() or SIGNATURE.search(text, foot.end, min(e0, foot.end + 60)))
    own = (head or (foot if signed else None)) if notice_voice else None
    if own is not None and own.value:
        ev = Event("disclosed", own.value, (own.start, own.end))
        events.append(ev)
        rules[id(ev)] = "date.notice_own" if own is head else "date.notice_foot"
    for a, b, _rule in periods:
        if a is not None and b is not None:
            events.append(Event("incident_start", a.value, (a.start, b.end)))
    # News with a dateline that says the organisation announced it, without a date of its own.
    if not first_person and not any(ev.type == "disclosed" for ev in events):
        said = next(
            (m for m in NEWS_SUBJECT.finditer(text, line.end, min(e0, line.end + 400))
             if not police_news(text, max(text.rfind("。", line.end, m.start()), text.rfind("\n", line.end, m.start()), line.end - 1) + 1, m.start() + 1, m.end())),
            None,
        ) if line is not None else None
        if line is not None and said is not None:
            ev = Event("disclosed", line.value, (line.start, line.end))
            events.append(ev)
            rules[id(ev)] = "date.dateline"
    # Nothing is disclosed before it began.
    floor = min((ev.date for ev in aware if ev.date), default=None)
    if floor is not None:
        events = [ev for ev in events if not (ev.type == "disclosed" and ev.date and ev.date < floor)]
    # A follow-up report says so in its title or first lines; it may give no date of its own.
    upd = UPDATE.search(text, s0, min(e0, s0 + 300))
    if upd:
        when = next((ev.date for ev in events if ev.type == "disclosed" and ev.evidence[0] < upd.end() + 40), None)
        events.append(Event("update", when, upd.span()))
    events.sort(key=lambda ev: ev.evidence[0])
    inc.events = events

    def earliest(evs: list[Event]) -> Event | None:
        cands = [ev for ev in evs if ev.date is not None]
        return min(cands, key=lambda ev: ev.date) if cands else None  # type: ignore[arg-type,return-value]

    for fld, evs in (
        ("discovered_on", aware),
        ("disclosed_on", [ev for ev in events if ev.type == "disclosed"]),
        ("reported_to_ppc_on", [ev for ev in events if ev.type == "reported_to_ppc"]),
        ("reported_to_police_on", [ev for ev in events if ev.type == "reported_to_police"]),
        ("containment_on", [ev for ev in events if ev.type == "containment"]),
    ):
        ev = earliest(evs)
        if ev is not None:
            setattr(inc, fld, ev.date)
            inc.evidence[fld] = ev.evidence
            inc.rules[fld] = rules.get(id(ev), "role." + ev.type)
    # Every later report to the PPC (a 確報, "8月22日及び同年10月17日に報告"): the first is the field above.
    later = sorted(((ev.date, ev) for ev in events if ev.type == "reported_to_ppc" and ev.date
                    and inc.reported_to_ppc_on and ev.date > inc.reported_to_ppc_on), key=lambda dv: dv[0])
    inc.reported_to_ppc_later = list(dict.fromkeys(d for d, _ in later))
    if later:
        inc.evidence["reported_to_ppc_later"] = later[-1][1].evidence
        inc.rules["reported_to_ppc_later"] = rules.get(id(later[-1][1]), "role.reported_to_ppc")
    starts = [p for p in periods if p[0] is not None and p[0].value is not None]
    ends = [p for p in periods if p[1] is not None and p[1].value is not None]
    if starts:
        first = min(starts, key=lambda p: p[0].value)  # type: ignore[arg-type,return-value,union-attr]
        inc.exposure_from = first[0].value  # type: ignore[union-attr]
        inc.evidence["exposure_from"] = (first[0].start, (first[1] or first[0]).end)  # type: ignore[union-attr]
        inc.rules["exposure_from"] = first[2]
    if ends:
        last = max(ends, key=lambda p: p[1].value)  # type: ignore[arg-type,return-value,union-attr]
        inc.exposure_to = last[1].value  # type: ignore[union-attr]
        inc.evidence["exposure_to"] = ((last[0] or last[1]).start, last[1].end)  # type: ignore[union-attr]
        inc.rules["exposure_to"] = last[2]
    if not starts and not ends:
        _single_day_exposure(roles, inc)


def _single_day_exposure(roles: list[Role], inc: Extracted) -> None:
    """Exposure without a stated period: a misdelivery exposes its data the day it is sent; a
    publication from the day it went up until the day it was taken down."""
    def word(r: Role) -> str:
        return r.rule.rsplit(".", 1)[-1]

    starts = [r for r in roles if r.type == "incident_start" and r.date.value is not None]
    sent = [r for r in starts if word(r) in vocab.SEND_WORDS] if inc.attack_type == "misdelivery" else []
    if sent:
        r = min(sent, key=lambda r: r.date.value)  # type: ignore[arg-type,return-value]
        inc.exposure_from = r.date.value
        inc.evidence["exposure_from"] = (r.start, r.end)
        inc.rules["exposure_from"] = "exposure.sent"
        return
    put_up = [r for r in starts if word(r) in vocab.PUBLISH_WORDS]
    if not put_up:
        return
    r = min(put_up, key=lambda r: r.date.value)  # type: ignore[arg-type,return-value]
    inc.exposure_from = r.date.value
    inc.evidence["exposure_from"] = (r.start, r.end)
    inc.rules["exposure_from"] = "exposure.published"
    down = [c for c in roles if c.type == "containment" and c.date.value is not None and c.date.value >= r.date.value  # type: ignore[operator]
            and word(c) in vocab.TAKE_DOWN_WORDS]
    if down:
        c = min(down, key=lambda c: c.date.value)  # type: ignore[arg-type,return-value]
        inc.exposure_to = c.date.value
        inc.evidence["exposure_to"] = (c.start, c.end)
        inc.rules["exposure_to"] = "exposure.taken_down"


