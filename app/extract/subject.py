"""Whose notice it is: the organisation a segment is about, and the voice it speaks in."""
from __future__ import annotations

import re
from bisect import bisect_left

from .orgs import OrgMention, core_name
from .segment import Segment

Span = tuple[int, int]

# Quotes in news also say 申し上げます; only a first-person subject marks a notice.
FIRST_PERSON = re.compile(r"弊社|当社|弊学|本学|当院|本院|弊院|本校|当校|当機構|本機構|当法人|本法人|本会|当会|当館|本館|本市|本県|当市|当県|本町|当町|本村|本庁|当庁|私ども|わたくしども|弊団体|当団体|当組合|本組合|当センター|本センター|弊グループ|当グループ")
# A notice speaks in the first person and politely; a news item in the third person.
NOTICE_VOICE = re.compile(FIRST_PERSON.pattern + r"|いたしました|しております|しました。|ました。|ます。")
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


_TITLE_PREFIX = re.compile(r"\s*[■□◆◇●]?\s*(?P<name>[^、。「」\s]{2,25}?)(?:、|,| - )")


def _title_prefix(text: str, t0: int | None, title_end: int) -> tuple[str, str, Span] | None:
    """The name before the first 、 of a headline ("はるかぜ工房、…流出"), as written."""
    if t0 is None or title_end < 0:
        return None
    m = _TITLE_PREFIX.match(text, t0, title_end)
    if not m or _BAD_NAME.search(m.group("name")) or _EVENT_WORD.search(m.group("name")):
        return None
    return m.group("name"), core_name(m.group("name")), m.span("name")


def pick_org(text: str, seg: Segment, orgs: list[OrgMention], first_person: bool) -> tuple[str, str, Span, str] | None:
    """(name as written, core name, span, rule id) of the organisation a segment is about.

    The steps are tried in order: a notice's dated headline, the subject of a news sentence
    that reports an announcement, a name that opens the headline, "Xが運営する", a line that
    holds only a name (a signature), the headline's name, and the name most often repeated.
    """
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
                    # "雑貨店を営むはるかぜ工房は5日、" leaves 工房; the headline "はるかぜ工房、…"
                    # spells the name in full.
                    full = _title_prefix(text, t0, title_end)
                    if full and full[0] != got[0] and full[0].endswith(got[0]) and m.group("name").endswith(full[0]):
                        return (*full, rule_id + ".title")
                    return (*got, rule_id)
    # 3. A headline that starts with the name: "X、…" or "株式会社X …" or "クーパン情報流出で…"
    lead = re.match(r"\s*(?:【[^】]{0,40}】|\[[^\]]{0,40}\])?\s*", text[t0:title_end]) if t0 is not None else None
    if head and head[0].start - (t0 or 0) <= (lead.end() if lead else 0) + 1:
        o = head[0]
        return o.name, o.core, (o.start, o.end), "org.title_start." + o.rule
    if t0 is not None:
        m = _TITLE_PREFIX.match(text[t0:title_end])
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
