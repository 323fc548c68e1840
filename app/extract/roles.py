"""What a date is about: the sentence around it says whether it was found, told, stopped ..."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DateMention

# (event type, rule id, pattern looked for right after the date, in its clause).
# The event whose words come nearest after the date wins; the secondary events
# (customers told, the incident itself) only when no primary one is in the clause.
AFTER_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    # The commission and the police as recipients: "県警から連絡があり" is being told.
    ("reported_to_ppc", "role.ppc", re.compile(r"個人情報保護委員会(?:等|など|及び[^。、]{0,20})?(?:に|へ)")),
    ("reported_to_police", "role.police", re.compile(r"(?:警察|警察署|警視庁|県警|府警|道警|サイバー犯罪対策課)(?:等|など|及び[^。、]{0,20})?(?:に|へ)|被害届")),
    ("notified_by_third_party", "role.notified", re.compile(r"(?:から|より)[^。]{0,60}?(?:連絡|一報|報告|通知|指摘|通報|問い合わせ|問合せ|相談|申告|申し出)(?:を受け|があり|が入り|を受領|が寄せられ)|(?:から|より)の?(?:連絡|報告|通知|通報|指摘)(?:$|で|に|によ)|(?:連絡|指摘|通報|通知|報告)を受け|連絡があり|通報があり")),
    ("containment", "role.containment", re.compile(r"停止|遮断|閉鎖|切り離|切断|隔離|休止|一時停止|使用を中止|公開を中止|非公開")),
    ("disclosed", "role.disclosed", re.compile(r"発表|公表|ホームページ(?:上)?(?:で|に)(?:お知らせ|掲載)(?!した(?:資料|名簿|ファイル|文書|データ|PDF|一覧|様式))|プレスリリース|お知らせいたしました|報道発表")),
    ("anomaly_detected", "role.anomaly", re.compile(r"異常|不審|検知|エラー|障害が発生|つながらない|暗号化|気付(?!かず|かな)|気づ(?!かず|かな)|発見(?!できず|されず|に至)|見当たら|所在が(?:分から|わから|不明)|使用不能|(?:利用|使用|閲覧|接続|アクセス)(?:でき|し)な|起動しな|漏(?:洩|えい)懸念")),
    ("access_confirmed", "role.confirmed", re.compile(r"判明|発覚|確認し|確認され(?!て(?:い|お)(?:ない|らず|りません))|確認いたし|確認でき|認識|わかった|分かった|把握")),
    ("customers_notified", "role.customers", re.compile(r"(?:お客様|対象者|利用者|該当者|顧客|保護者|関係者)(?:へ|に|には|への|各位)[^。]{0,30}?(?:連絡|通知|お知らせ|送付|お詫び|報告)")),
    ("incident_start", "role.incident", re.compile(r"攻撃を受け|不正アクセスを受け|不正アクセスがあ|送信し|送付し|紛失|盗難|発生し|設置され|改ざんされ|被害を受け|行われ")),
)
_ANOMALY_WORDS = next(p for t, _, p in AFTER_RULES if t == "anomaly_detected")
_SECONDARY = frozenset({"customers_notified", "incident_start"})
# "2022年7月25日から複数回にわたって行われ": the start of an open period.
_OPEN_START = re.compile(r"\s*(?:\([^)]{1,4}\))?[ 0-9:時分頃ごろ午前後]*(?:から|以降|より)(?![^。、]{0,12}(?:連絡|報告|通知|指摘|通報))")
_UNTIL_NOW = re.compile(r"\s*(?:\([^)]{1,4}\))?\s*(?:から|以降)(?:現在|今日|本日)")
_AWARE_BEFORE = re.compile(r"(?:発覚|判明|検知|発見|覚知)(?:した|された|し)$")
_EMBEDDED_FINDING = re.compile(r"(?:こと|の)(?:が|を)(?:判明|確認|発覚|分か|わか)")
_EMBEDDED_NOTIFIED = re.compile(r"(?:連絡|一報|報告|通知|指摘|通報|問い合わせ)を受け")
_LEAK_WORDS = re.compile(r"漏えい|漏洩|流出|窃取|持ち出")
_POSSIBLE_WORDS = re.compile(r"可能性|おそれ|恐れ|懸念")
_CONTAINED_CAUSE = re.compile(r"(?:不正アクセス|サイバー攻撃|攻撃|感染|ランサムウェア|漏えい|漏洩|流出)(?:により|によって|のため|を受け|が発生し|を確認し)")
_NTH_REPORT = re.compile(r"第[0-9一二三四五]報\s*[(]?\s*$")
_AS_OF = re.compile(r"\s*(?:\([^)]{1,4}\))?\s*(?:[0-9:時分]+)?\s*(?:時点|現在)")
_ANOMALY_SENTENCE = re.compile(r"異常|障害|不具合|つながら|使用不能|利用できな|暗号化")
_EXPOSURE_SENTENCE = re.compile(r"攻撃|アクセス|閲覧|掲載|公開|送信|転送|流出|漏え|漏洩|設置|埋め込")

# A sentence ends at 。; a line break ends it only before a blank line or a list item
# (text copied from PDFs breaks lines inside sentences).
_CLAUSE_END = re.compile(r"。|\n[ \t]*(?=\n|[・※●■◆▼(0-9①-⑳【]|$)")
_AFTER_DATE = re.compile(r"\s*(?:\([^)]{1,6}\))?\s*(?:(?:午前|午後|正午|未明|深夜|夕方|朝|夜)?\s*[0-9:時分]*(?:頃|ごろ)?)?")
# "個人情報保護委員会に2022年8月22日…報告": the recipient right before the date.
# "個人情報保護委員会への速報は9月27日に": the report named as a noun before the date.
# The words between recipient and particle hold no verb ("警察に相談するとともに、" is done).
_TO_RECIPIENT = r"[^。、にへをしすて]{0,12}?(?:に|へ)(?:(?:の|対する|対し)(?:速報|確報|報告|届出|相談|被害届|被害申告|申告)(?:は|を|も))?(?:は|も)?(?:、)?\s*$"
_PPC = re.compile(r"個人情報保護委員会" + _TO_RECIPIENT)
_DISCLOSURE_LABEL = re.compile(r"(?:発表|公表|掲載|公開|リリース|発行)(?:日|日時|日付)\s*[::]?\s*$")
_POLICE = re.compile(r"(?:警察|警視庁|県警|府警|道警)" + _TO_RECIPIENT)
_NEWS_DISCLOSURE = re.compile(r"(?:と|を|について)(?:発表|公表|明らかに)(?:した|している|しました)")
_LINE_REST = re.compile(r"[ \t]*(?:\([^)\n]{1,4}\))?[ \t]*(?:[0-9]{1,2}:[0-9]{2})?[ \t]*(?:\n|$)")
RANGE_GAP = re.compile(r"^\s*(?:\([^)]{1,6}\))?\s*(?:午前|午後|正午|未明|深夜|夕方|頃|ごろ|[ 0-9:時分]{1,12}|中)*\s*(?:~|-|–|から|より)\s*$")
_EXPOSURE_AFTER = re.compile(r"^[^。\n]{0,40}?(?:期間|の間|にかけて|まで|購入|入力|利用|注文|決済|閲覧|公開|登録|アクセス)")


@dataclass(frozen=True)
class Role:
    type: str
    rule: str
    date: DateMention
    end: int  # end of the clause that gave the role


def date_roles(text: str, dates: list[DateMention], seg_end: int) -> tuple[list[Role], list[tuple[DateMention, DateMention | None, str]]]:
    """(roles of single dates, exposure periods) for the dates of one segment."""
    roles: list[Role] = []
    periods: list[tuple[DateMention, DateMention | None, str]] = []
    in_range: set[int] = set()
    # Periods first: a date that starts or ends a period is not an awareness date.
    for a, b in zip(dates, dates[1:], strict=False):
        gap = text[a.end : b.start]
        if RANGE_GAP.match(gap):
            after = text[b.end : min(seg_end, b.end + 60)]
            if a.value and b.value and a.value <= b.value and _EXPOSURE_AFTER.match(after):
                periods.append((a, b, "exposure.range"))
                in_range.update((a.start, b.start))
    for k, d in enumerate(dates):
        if d.start in in_range or d.value is None:
            continue
        nxt = dates[k + 1].start if k + 1 < len(dates) else seg_end
        m = _CLAUSE_END.search(text, d.end, seg_end)
        clause_end = min(m.start() if m else seg_end, nxt if nxt > d.end else seg_end)
        window = text[d.end : clause_end]
        sent_start = max(text.rfind("。", 0, d.start), text.rfind("\n", 0, d.start)) + 1
        before = text[max(sent_start, (dates[k - 1].end if k else 0)) : d.start]
        sentence_end = m.start() if m else seg_end
        sentence = text[sent_start:sentence_end]
        # A date alone on its line dates the text below it (the caller reads it as one);
        # the headline that follows does not say what happened that day.
        if not before.strip() and _LINE_REST.match(text, d.end):
            continue
        if _DISCLOSURE_LABEL.search(before):
            roles.append(Role("disclosed", "role.disclosure_label", d, clause_end))
            continue
        # News: "ワコムは11月21日、…と発表した" — the date right after the subject.
        if _NEWS_DISCLOSURE.search(sentence) and text[d.end : d.end + 1] in ("、", "に") and 0 < len(before.strip()) <= 30:
            roles.append(Role("disclosed", "role.news_disclosed", d, sentence_end))
            continue
        if _PPC.search(before[-30:]):
            roles.append(Role("reported_to_ppc", "role.ppc_before", d, clause_end))
            continue
        if _POLICE.search(before[-30:]):
            roles.append(Role("reported_to_police", "role.police_before", d, clause_end))
            continue
        if _AS_OF.match(text, d.end, clause_end) or _UNTIL_NOW.match(text, d.end, clause_end):
            continue
        # "不正アクセスが発覚した2022年8月19日": the verb comes before the date.
        if _AWARE_BEFORE.search(before):
            roles.append(Role("access_confirmed", "role.aware_before", d, clause_end))
            continue
        if _OPEN_START.match(text, d.end, clause_end):
            if _ANOMALY_SENTENCE.search(sentence):
                roles.append(Role("anomaly_detected", "role.open_start_anomaly", d, clause_end))
                continue
            if _EXPOSURE_SENTENCE.search(sentence):
                roles.append(Role("incident_start", "role.open_start", d, clause_end))
                periods.append((d, None, "exposure.open_start"))
                continue
        # "10月31日に…不正ログインされていたことが判明": the date is of what happened, not of the finding.
        if _NTH_REPORT.search(before):
            roles.append(Role("disclosed", "role.nth_report", d, clause_end))
            continue
        tail_at = _AFTER_DATE.match(text, d.end).end()
        embedded = text.startswith("に", tail_at) and not text.startswith("に、", tail_at)
        finding = _EMBEDDED_FINDING.search(window)
        if (
            embedded and finding and not _EMBEDDED_NOTIFIED.search(window)
            and not _ANOMALY_WORDS.search(window, 0, finding.start())
        ):
            roles.append(Role("incident_start", "role.embedded_event", d, clause_end))
            continue
        best: tuple[bool, int, int, str, str] | None = None
        for order, (etype, rule_id, pattern) in enumerate(AFTER_RULES):
            hit = pattern.search(window)
            if hit:
                key = (etype in _SECONDARY, hit.start(), order, etype, rule_id)
                if best is None or key < best:
                    best = key
        if best is None and text.startswith("、", tail_at):
            # "10月28日(月)、職員が確認していたところ、…が判明しました": a date that opens the
            # sentence belongs to its main verb, past the dates of what is embedded in it.
            stop = sentence_end
            for later in dates[k + 1 :]:
                if later.start >= sentence_end:
                    break
                if later.start not in in_range:
                    stop = later.start
                    break
            rest = text[d.end : stop]
            for order, (etype, rule_id, pattern) in enumerate(AFTER_RULES):
                if etype in _SECONDARY:
                    continue
                hits = list(pattern.finditer(rest))
                if hits:
                    key = (False, -hits[-1].start(), order, etype, rule_id)
                    if best is None or key < best:
                        best = key
            if best is not None:
                best = (best[0], 0, best[2], best[3], "role.sentence_verb")
        if best is not None:
            etype, rule_id = best[3], best[4]
            # What was found: that data left (or may have), not only that someone got in.
            if etype == "access_confirmed" and _LEAK_WORDS.search(window):
                possible = _POSSIBLE_WORDS.search(window)
                etype = "leak_possible" if possible else "leak_confirmed"
                rule_id = "role." + etype
            roles.append(Role(etype, rule_id, d, clause_end))
            # Stopped because of the attack: they knew of it that day.
            if etype == "containment" and _CONTAINED_CAUSE.search(sentence):
                roles.append(Role("anomaly_detected", "role.contained_cause", d, clause_end))
    return roles, periods
