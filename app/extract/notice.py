"""Assemble one incident per segment, every value with its evidence span and rule id."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .attack import classify, not_incident_rule, supply_chain
from .dates import DateMention, find_dates
from .normalize import Normalized, normalize
from .numbers import Count, find_counts
from .orgs import OrgMention, core_name, find_orgs, find_service
from .roles import date_roles
from .segment import Segment, segment

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


# Quotes in news also say 申し上げます; only a first-person subject marks a notice.
_FIRST_PERSON = re.compile(r"弊社|当社|弊学|本学|当院|本院|弊院|本校|当校|当機構|本機構|当法人|本法人|本会|当会|当館|本館|本市|本県|当市|当県|本町|当町|本村|本庁|当庁|私ども|わたくしども|弊団体|当団体|当組合|本組合|当センター|本センター")
# A notice speaks in the first person and politely; a news item in the third person.
_NOTICE_VOICE = re.compile(_FIRST_PERSON.pattern + r"|いたしました|しております|しました。|ました。|ます。")
_RUNS = re.compile(r"(?P<name>[^\s、。「」()【】]{2,40}?)(?:が|の)(?:(?:運営|運用|管理|展開|提供)(?:する|している|していた|しております)|(?:公式)?(?:ECサイト|通販サイト|オンラインショップ|オンラインストア|ネットショップ|ウェブサイト|ホームページ))")
# News: "ワコムは11月21日、…と発表した" / "つるぎ町立半田病院は2021年10月31日、"
_NEWS_SUBJECT = re.compile(r"(?:^|[、。\n」】\]])\s*(?P<name>[^\s、。「」()【】\n]{2,30}?)(?:\([^()\n]{1,60}\))?(?:は|では|が|、)?(?:[0-9]{4}年)?(?:[0-9]{1,2}月)?[0-9]{1,2}日(?:付|に)?、[^。]{0,200}?(?:発表|公表|明らかに|公開)")
_NEWS_SUBJECT_AFTER_DATE = re.compile(r"(?:[0-9]{4}年)?[0-9]{1,2}月[0-9]{1,2}日、(?P<name>[^\s、。「」()【】\n]{2,30}?)(?:\([^()\n]{1,60}\))?(?:は|が)[^。]{0,200}?(?:発表|公表|明らかに)")
_NEWS_SUBJECT_QUOTED = re.compile(r"(?:(?:株式会社|独立行政法人|国立大学法人|学校法人|一般社団法人|公益財団法人|一般財団法人|公益社団法人|地方独立行政法人|医療法人)\s?)?「(?P<name>[^」\n]{2,40}?)(?:\([^)]{1,20}\))?」(?:は|が)[^。]{0,200}?(?:発表|公表|明らかに)")
_NEWS_SUBJECT2 = re.compile(r"(?:^|[。\n])\s*(?P<name>[^\s、。「」()【】\n]{2,30}?)(?:\([^()\n]{1,60}\))?(?:は|が)、?[^。]{0,200}?(?:と|を|について)(?:発表|公表|明らかに)")
_EVENT_WORD = re.compile(r"漏えい|漏洩|流出|不正|攻撃|被害|紛失|誤送信|感染|発覚|判明")
# "ソースネクストの情報漏洩…", "クーパン情報流出で…": a katakana or latin name leads the headline
_TITLE_LEAD_NAME = re.compile(r"\s*(?:【[^】]{0,40}】|[■□◆◇●])?\s*(?P<name>[ァ-ヴーA-Za-z][ァ-ヴーA-Za-z0-9.&・]{1,19})(?=情報|個人情報|顧客情報|の|で|が|に|にて|、|,)")
_GENERIC_KATAKANA = re.compile(r"クレジットカード|カード|サイト|ウェブサイト|ホームページ|メール|メールアドレス|サーバー?|システム|ネットワーク|データ|ファイル|パソコン|ランサムウェア|マルウェア|フィッシング|セキュリティ|サイバー|インシデント|アカウント|パスワード|ログイン|ECサイト|ネット|クラウド|USBメモリ?|ID|PC|Web|WEB|EC|SNS|AI|IT|URL|[A-Z]{1,2}")
# What may stand beside a name on its own line: a contact label, a reading in (), a department.
_OWN_LINE_REST = re.compile(
    r"\s*(?:(?:問い?合わせ先|お問い?合わせ先?|連絡先|発表者|担当)[::]?)?\s*(?:\([^)]*\))?\s*"
    r"(?:[一-龥ァ-ヴー]{1,10}(?:部|課|室|局|係|グループ|本部)\s*)*"
)
_VENDOR_AFTER = re.compile(r"(?:社)?(?:が提供|製|の調査|による調査|より連絡|から連絡|\))")
_PLACE_AFTER = re.compile(r"の「|\)|にある")
_TAIL_NAME = re.compile(r"[A-Za-zァ-ヴー0-9.&・一-龥々ヶ'\-]+$")
# A subject that ends like a thing, not a body: 通販サイト, 顧客情報, 電子カルテシステム
_GENERIC_NAME_TAIL = re.compile(r"(?:サイト|ストア|ショップ|システム|サーバー?|ネットワーク|情報|データ|メール|アドレス|ファイル|パソコン|端末|書類|アカウント|サービス|ページ|事案|事件|被害|攻撃)$")
_BAD_NAME = re.compile(r"^(?:弊社|当社|同社|本学|当院|同大|同大学|同病院|同機構|同市|同町|同県|本件|今回|これ|それ|当該|両社|同グループ|調査|第三者|個人情報|大学|病院|学校|会社|企業|同校|市|県|町|村|区|国|政府|警察|委員会|[0-9]+)$|[はがをにでと]$|(?:する|した|して|いる|ない|れる|れた|られ)$")
_SUBJECT = re.compile(r"(?:^|[。\n])\s*(?P<name>[^\s、。「」()\n]{2,30}?)(?:は|では|が|、|で)(?:[0-9]{1,2}月|[0-9]{4}年|、|同社|自社|運営)")
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
_CARD_CTX = re.compile(r"カード")
_NOT_CARD = re.compile(r"カード情報以外|カード情報を含まない|カード情報は含まれ")
_PERSONAL_CTX = re.compile(r"個人情報|氏名|名前|お客様|顧客|会員|利用者|患者|学生|生徒|児童|保護者|参加者|申請者|受験者|応募者|受講者|住民|市民|職員|名分|人分|メールアドレス|住所|生年月日|電話番号")
_LEAK_CTX = re.compile(r"漏えい|漏洩|流出|可能性|対象|影響|閲覧|送信|送付|紛失|盗難|所在不明|被害|含まれ|件数|人数|情報|データ|アドレス|氏名|書類|記載")
# Counts that are not of affected people or records: hits, totals sent correctly, statistics.
# Another incident or a survey quoted for comparison: "3504万人分に次ぐ", "東京商工リサーチによると"
_NOT_RECORDS_AFTER = re.compile(r"(?:の|分の)?(?:教員|教諭|教師|職員|教職員|社員|従業員|担当者|派遣社員|委託先)(?:の|が|は|に|で)|は、")
_STAFF_BEFORE = re.compile(r"(?:教員|教諭|教師|講師|職員|教職員|社員|従業員|担当者|派遣社員|医師|看護師)\s?$")
_STAFF_COUNT_AFTER = re.compile(r"(?:の|が|は|に|で|も)(?!個人情報|情報|氏名|メールアドレス|住所|データ)")
_SMALL_NOT_RECORDS = re.compile(r"(?:アカウント|ID|端末|パソコン|PC|サーバー?|事案|案件|もう)$")
_COMPARISON = re.compile(r"に次ぐ|史上|過去最大|過去最多|上回る|調査によると|リサーチ|統計|集計では|累計|年間")
_NOT_LEAK_CTX = re.compile(r"アクセスは|アクセス件数|閲覧は|事案が|事案は|被害が|件の事案|従業員数|社員数|会員数|フォロワー|アクセス数|閲覧数|売上|受講者数|参加者数|感染者|患者数|病床|ダウンロード")


def _sentence(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    a = max(text.rfind("。", lo, s), text.rfind("\n", lo, s)) + 1
    m = re.compile(r"[。\n]").search(text, e, hi)
    return max(a, lo), (m.start() if m else hi)


def _name_from(text: str, m: re.Match[str], orgs: list[OrgMention]) -> tuple[str, str, Span] | None:
    """An organisation from the 'name' group of m: a known mention inside it, else its tail."""
    ns, ne = m.span("name")
    inner = [o for o in orgs if ns <= o.start < ne + 1 and o.end <= ne + 8]
    if inner:
        o = inner[-1]
        return o.name, o.core, (o.start, o.end)
    raw = m.group("name")
    t = _TAIL_NAME.search(raw)
    if not t:
        return None
    name = t.group().strip("・.-")
    # "…である駿河屋" / "大阪ガスの子会社であるX": keep what follows the last particle
    name = re.split(r"である|にある|の(?=[^0-9])", name)[-1] if re.search(r"である|にある", name) else name
    if len(name) < 2 or _BAD_NAME.search(name) or _GENERIC_NAME_TAIL.search(name) or re.search(r"[0-9][年月日]|^[0-9.\-]+$|年$", name):
        return None
    s = ns + t.start() + (len(t.group()) - len(name))
    return name, core_name(name), (s, s + len(name))


def _pick_org(text: str, seg: Segment, orgs: list[OrgMention], first_person: bool) -> tuple[str, str, Span, str] | None:
    t0 = seg.title_start
    title_end = -1
    head: list[OrgMention] = []
    if seg.title and t0 is not None:
        nl = text.find("\n", t0, seg.end)
        title_end = seg.end if nl < 0 else nl
        head = [o for o in orgs if t0 <= o.start < title_end]
    # 1. An official notice's headline: "株式会社X お詫び… 2022年…"
    if head and seg.rule == "segment.notice_header":
        o = head[0]
        return o.name, o.core, (o.start, o.end), "org.title." + o.rule
    # 2. News: the subject of "Xは11月21日、…と発表した"
    if not first_person:
        for pattern, rule_id in (
            (_NEWS_SUBJECT, "org.news_subject_date"),
            (_NEWS_SUBJECT_AFTER_DATE, "org.news_date_subject"),
            (_NEWS_SUBJECT_QUOTED, "org.news_subject_quoted"),
            (_NEWS_SUBJECT2, "org.news_subject"),
        ):
            m = pattern.search(text, seg.start, min(seg.end, seg.start + 1500))
            if m:
                got = _name_from(text, m, orgs)
                if got:
                    return (*got, rule_id)
    # 3. A headline that starts with the name: "X、…" or "株式会社X …" or "クーパン情報流出で…"
    lead = re.match(r"\s*(?:【[^】]{0,40}】|\[[^\]]{0,40}\])?\s*", text[t0:title_end]) if t0 is not None else None
    if head and head[0].start - (t0 or 0) <= (lead.end() if lead else 0) + 1:
        o = head[0]
        return o.name, o.core, (o.start, o.end), "org.title_start." + o.rule
    if t0 is not None:
        m = re.match(r"\s*[■□◆◇●]?\s*(?P<name>[^、。「」\s]{2,25}?)(?:、|,| - )", text[t0:title_end])
        if m:
            name = m.group("name")
            if not _BAD_NAME.search(name) and not re.search(r"[ぁ-ゖ]{2}", name) and not _EVENT_WORD.search(name):
                s = t0 + m.start("name")
                return name, core_name(name), (s, s + len(name)), "org.title_prefix"
        m = _TITLE_LEAD_NAME.match(text, t0, title_end)
        if m and not _GENERIC_KATAKANA.fullmatch(m.group("name")):
            return m.group("name"), m.group("name"), m.span("name"), "org.title_lead"
    # 4. "Xが運営する「…」", "XのECサイト"
    for m in _RUNS.finditer(text, seg.start, seg.end):
        got = _name_from(text, m, orgs)
        if got:
            return (*got, "org.runs")
    # 5. A line that is only a name (or two: 医療法人X Y病院): a notice's signature or header.
    starts = [o.start for o in orgs]
    for k, o in enumerate(orgs[:200]):
        ls = text.rfind("\n", 0, o.start) + 1
        le = text.find("\n", o.end)
        le = len(text) if le < 0 else le
        if le - ls > 120:
            continue
        on_line = [q for q in orgs[bisect_left(starts, ls) : k + 4] if ls <= q.start and q.end <= le]
        rest = text[ls:le]
        for q in reversed(on_line):
            rest = rest[: q.start - ls] + rest[q.end - ls :]
        if _OWN_LINE_REST.fullmatch(rest):
            s_, e_ = on_line[0].start, on_line[-1].end
            name = text[s_:e_]
            return name, core_name(name), (s_, e_), "org.own_line." + o.rule
    if head:
        o = head[0]
        # The headline shortens the name the body gives in full (武蔵小杉病院 / 日本医科大学武蔵小杉病院).
        fuller = [q for q in orgs if q.start >= title_end and q.core != o.core and q.core.endswith(o.core)]
        if fuller:
            q = fuller[0]
            return q.name, q.core, (q.start, q.end), "org.title_fuller." + q.rule
        return o.name, o.core, (o.start, o.end), "org.title_any." + o.rule
    # 6. The organisation named most often, not as a vendor or an investigator.
    counted: dict[str, list[OrgMention]] = {}
    for o in orgs:
        after = text[o.end : o.end + 12]
        if _VENDOR_AFTER.match(after):
            continue
        # "福岡市の「X大学」": a place that locates the subject is not the subject.
        if o.core[-1] in "都道府県市区町村" and _PLACE_AFTER.match(after):
            continue
        counted.setdefault(o.core, []).append(o)
    if counted:
        # 中村学園大学 also counts where 中村学園大学短期大学部 is named.
        score = {core: sum(len(os) for other, os in counted.items() if core in other) for core in counted}
        core = max(counted, key=lambda c: (len(counted[c]), score[c], -counted[c][0].start))
        if score[core] >= 2 or len(counted) == 1:
            o = counted[core][0]
            return o.name, o.core, (o.start, o.end), "org.frequent." + o.rule
    return None


def _build(text: str, seg: Segment, one_of_many: bool) -> Extracted:
    s0, e0 = seg.start, seg.end
    body = text[s0:e0]
    title = seg.title or ""
    inc = Extracted(title=seg.title or None, segment=(s0, e0))
    first_person = bool(_FIRST_PERSON.search(body))

    orgs = find_orgs(text, s0, e0)
    org = _pick_org(text, seg, orgs, first_person)
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

    attack = classify(body, title, s0)
    inc.attack_type = attack.key
    inc.rules["attack_type"] = attack.rule
    if attack.span:
        inc.evidence["attack_type"] = (attack.span[0] + s0, attack.span[1] + s0)

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

    _dates(text, seg, inc, first_person)
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


def _dates(text: str, seg: Segment, inc: Extracted, first_person: bool) -> None:
    s0, e0 = seg.start, seg.end
    dates = find_dates(text, s0, e0)
    roles, periods = date_roles(text, dates, e0)
    events: list[Event] = []
    for r in roles:
        events.append(Event(r.type, r.date.value, (r.date.start, r.end)))
    # A notice's own date: on its headline, or alone on a line near its top.
    if first_person or seg.rule == "segment.notice_header":
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


_KIND_WORD = re.compile(r"(?P<card>(?:クレジット)?カード)|(?P<personal>個人情報|顧客情報|氏名|メールアドレス|住所)")


def _is_card(before: str, after: str) -> bool:
    """Whether a count counts card data: the nearest kind word before it, or one right after it."""
    if _NOT_CARD.search(before):
        return False
    last = None
    for m in _KIND_WORD.finditer(before):
        last = m
    if last is not None:
        return last.lastgroup == "card"
    m = _KIND_WORD.search(after)
    return bool(m and m.lastgroup == "card" and re.match(r"(?:の|分の)?(?:顧客(?:に)?つ?いては、?)?(?:クレジット)?カード", after))


def _counts(text: str, seg: Segment, inc: Extracted) -> None:
    s0, e0 = seg.start, seg.end
    best: Count | None = None
    card: Count | None = None
    personal: Count | None = None
    prev_end = s0
    for c in find_counts(text, s0, e0):
        ss, se = _sentence(text, c.start, c.end, s0, e0)
        sentence = text[ss:se]
        if _COMPARISON.search(sentence):
            continue
        # "2名の教員のIDが" counts staff, "1件は、" enumerates cases: neither counts records.
        if _NOT_RECORDS_AFTER.match(text, c.end) or (
            _STAFF_BEFORE.search(text, max(ss, c.start - 6), c.start) and _STAFF_COUNT_AFTER.match(text, c.end)
        ):
            continue
        if c.value < 10 and (
            _SMALL_NOT_RECORDS.search(text, max(ss, c.start - 12), c.start) or text.startswith("は", c.end)
        ):
            continue
        if len(sentence) < 60:
            # A bare line under a heading ("納税通知書96件(88名)"): the heading says what it counts.
            prev = text[s0:ss].rstrip()
            prev_line_start = text.rfind("\n", s0, s0 + len(prev)) + 1
            sentence = text[prev_line_start:se]
        # What the count counts is said between the previous count and this one.
        near = text[max(ss, prev_end, c.start - 40) : c.start]
        prev_end = c.end
        if not _LEAK_CTX.search(sentence) or _NOT_LEAK_CTX.search(text[max(ss, c.start - 15) : c.start]):
            continue
        if best is None or c.value > best.value:
            best = c
        if _is_card(near, text[c.end : min(se, c.end + 16)]):
            if card is None or c.value > card.value:
                card = c
        elif c.unit in ("名", "人", "人分", "名分", "件") and _PERSONAL_CTX.search(near + text[c.end : min(se, c.end + 20)]):
            if personal is None or c.value > personal.value:
                personal = c
    for fld, c in (("records_max", best), ("card_records", card), ("personal_records", personal)):
        if c is None:
            continue
        setattr(inc, fld, c.value)
        setattr(inc, fld + "_qualifier", c.qualifier)
        inc.evidence[fld] = (c.start, c.end)
        inc.rules[fld] = c.rule


def _to_raw(norm: Normalized, inc: Extracted) -> Extracted:
    if not norm._edits:
        return inc
    inc.evidence = {k: norm.raw_span(*v) for k, v in inc.evidence.items()}
    inc.events = [Event(e.type, e.date, norm.raw_span(*e.evidence)) for e in inc.events]
    inc.segment = norm.raw_span(*inc.segment)
    return inc


def parse_text(text: str) -> list[Extracted]:
    """Every incident (and non-incident item, flagged is_incident False) in a decoded text."""
    norm = normalize(text)
    segments = segment(norm.text)
    built = [_build(norm.text, seg, len(segments) > 1) for seg in segments]
    # A heading inside one notice can look like a digest headline: consecutive items about
    # the same organisation are one item, and so is a nameless first-person part (弊社…).
    merged: list[tuple[Segment, Extracted]] = []
    for seg, inc in zip(segments, built, strict=True):
        same = inc.organization_core and merged and merged[-1][1].organization_core == inc.organization_core
        continuation = (
            merged and not inc.organization_core and inc.is_incident
            and _NOTICE_VOICE.search(norm.text, seg.start, seg.end) is not None
        )
        if same or continuation:
            first = merged[-1][0]
            seg = Segment(first.start, seg.end, first.title, first.title_start, first.rule)
            merged[-1] = (seg, _build(norm.text, seg, len(segments) > 1))
        else:
            merged.append((seg, inc))
    return [_to_raw(norm, inc) for _, inc in merged]
