"""Which counts are of affected records, and which of them count card data or people."""
from __future__ import annotations

import re

from .numbers import Count, find_counts
from .vocab import COMPARISON

_NOT_CARD = re.compile(r"カード情報以外|カード情報を含まない|カード情報は含まれ")
_PERSONAL_CTX = re.compile(r"個人情報|氏名|名前|お客様|顧客|会員|利用者|患者|学生|生徒|児童|保護者|参加者|申請者|受験者|応募者|受講者|住民|市民|職員|名分|人分|メールアドレス|住所|生年月日|電話番号")
_LEAK_CTX = re.compile(
    r"漏えい|漏洩|流出|可能性|対象|影響|閲覧|送信|送付|紛失|盗難|所在不明|被害|含まれ|件数|人数|情報|データ|アドレス|氏名|書類|記載|"
    r"該当|患者|利用者|会員|顧客|ログイン|不正利用|乗っ取|なりすまし|窃取|暗号化|保存|登録|お客様|決済|購入|注文"
)
# A count of "worth of" people or records (名分, 人分, 件分) counts records whatever surrounds it.
_RECORD_UNITS = frozenset({"名分", "人分", "件分"})
# Bodies counted (52法人, 120社, 23団体) are records only as the owners of what leaked.
_BODY_UNITS = frozenset({"法人", "社", "団体", "事業者", "事業所"})
_BODY_DATA_AFTER = re.compile(r"(?:分)?(?:の|に関する)[^。、]{0,12}?(?:情報|データ|アドレス|氏名|名称|口座|番号)")
# "2名の教員のIDが" counts staff, not records.
_NOT_RECORDS_AFTER = re.compile(r"(?:の|分の)?(?:教員|教諭|教師|職員|教職員|社員|従業員|担当者|派遣社員|委託先)(?:の|が|は|に|で)")
_STAFF_BEFORE = re.compile(r"(?:教員|教諭|教師|講師|職員|教職員|社員|従業員|担当者|派遣社員|医師|看護師)\s?$")
_STAFF_COUNT_AFTER = re.compile(r"(?:の|が|は|に|で(?!す)|も)(?!個人情報|情報|氏名|メールアドレス|住所|データ)")
_SMALL_NOT_RECORDS = re.compile(r"(?:アカウント|ID|端末|パソコン|PC|サーバー?|事案|案件|もう)$")
# Another incident or a survey quoted for comparison: "3504万人分に次ぐ", "東京商工リサーチによると"
_COMPARISON = re.compile(COMPARISON + "|累計|年間")
# Counts that are not of affected people or records: hits, totals, statistics.
_NOT_LEAK_CTX = re.compile(
    r"アクセスは|アクセス件数|閲覧は|事案が|事案は|被害が|件の事案|従業員数|社員数|会員数|フォロワー|アクセス数|閲覧数|売上|受講者数|参加者数|"
    r"感染者|患者数|病床|ダウンロード|資本金|店舗数|拠点"
)
# Counts of what came back or who spoke up: not of records. "12件の問い合わせ", "3名から連絡",
# "約200件が宛先不明で戻り", "送信エラー50件".
_NOT_RECORDS_AFTER_ANY = re.compile(
    r"(?:の|から|より)?(?:問い合わせ|お問い合わせ|問合せ|相談|苦情|申し出|申出|通報|指摘|連絡|報告)(?:が|を|は|あり|を受け|が寄せられ)"
    r"|(?:が|は)?(?:不達|宛先不明|送信エラー|エラー|返送|届かな|戻って|配信されな)"
)
# Mail an intruder sent from a hijacked account counts messages, not records:
# "約4,800件の迷惑メールが送信", "迷惑メール1万2千件送信", "約3,000件のアドレスにフィッシングメールが送信".
_SPAM_AFTER = re.compile(r"(?:の)?(?:迷惑|スパム|フィッシング|不審な|なりすまし)?メール(?:が|を)?(?:送信|送付|配信|発信)|(?:の)?(?:アドレス|宛先)(?:に|へ)[^。]{0,20}(?:迷惑|スパム|フィッシング|不審な|なりすまし)メール")
_SPAM_BEFORE = re.compile(r"(?:迷惑|スパム|フィッシング|不審な|なりすまし)メール(?:を|が)?(?:約|計)?$")
_SPAM_SENTENCE = re.compile(r"(?:迷惑|スパム|なりすまし|不審な)メール")
_PERSONAL_DATA = re.compile(r"個人情報|氏名|住所|電話番号|生年月日|アドレスが(?:漏|流)")
# People doing the work: "2名で確認", "3人体制"
_WORKERS_AFTER = re.compile(r"で(?:確認|対応|作業|チェック|点検|行)|体制")
# A total of which part was affected: "発送したはがき1,860通のうち…312通", "838件に送信する際、…内の
# 1回目の480件". Only a total of an ordinary act (sent, printed, registered) gives way to its part;
# "94件に不正ログインが行われ、うち31件で不正な注文" keeps 94.
_OF_WHICH_AFTER = re.compile(r"(?:の)?(?:うち|中)")
_OF_WHICH_BEFORE = re.compile(r"(?:うち|内の|のうち|中)[^。]{0,20}$")
_ORDINARY_ACT = re.compile(r"発送|送付|送信|配布|郵送|印刷|作成|登録|会員数|対象者|案内")
_INCIDENT_ACT = re.compile(r"不正|漏|流出|閲覧|誤|紛失|盗|被害|窃取|なりすまし|乗っ取")
_NOT_RECORDS_BEFORE = re.compile(r"(?:不達|宛先不明|送信エラー|エラー|返送|問い合わせ|お問い合わせ|苦情|相談)(?:が|は|の件数は)?(?:約|計)?$")




def _sentence(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    a = max(text.rfind("。", lo, s), text.rfind("\n", lo, s)) + 1
    m = re.compile(r"[。\n]").search(text, e, hi)
    return max(a, lo), (m.start() if m else hi)


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


def pick_counts(text: str, s0: int, e0: int) -> tuple[Count | None, Count | None, Count | None]:
    """(largest affected count, largest card count, largest count of people) in text[s0:e0]."""
    best: Count | None = None
    card: Count | None = None
    personal: Count | None = None
    prev_end = s0
    pool: list[Count] = []
    totals: set[int] = set()
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
        if c.unit in _BODY_UNITS and not _BODY_DATA_AFTER.match(text, c.end):
            continue
        if _NOT_RECORDS_AFTER_ANY.match(text, c.end) or _NOT_RECORDS_BEFORE.search(text, max(ss, c.start - 12), c.start):
            continue
        if _SPAM_AFTER.match(text, c.end) or _SPAM_BEFORE.search(text, max(ss, c.start - 12), c.start) or _WORKERS_AFTER.match(text, c.end):
            continue
        if c.unit in ("件", "通") and _SPAM_SENTENCE.search(sentence) and not _PERSONAL_DATA.search(sentence):
            continue  # "795件の迷惑メールが発信され…残りの784件は": the mails, counted
        if _OF_WHICH_AFTER.match(text, c.end) and _ordinary_total(text, ss, c):
            totals.add(c.start)
        elif pool and pool[-1].start >= ss and _OF_WHICH_BEFORE.search(text, pool[-1].end, c.start) and _ordinary_total(text, ss, pool[-1]):
            totals.add(pool[-1].start)
        if len(sentence) < 60 or not _LEAK_CTX.search(sentence):
            # A bare line under a heading ("納税通知書96件(88名)"): the heading says what it counts.
            prev = text[s0:ss].rstrip()
            prev_line_start = text.rfind("\n", s0, s0 + len(prev)) + 1
            sentence = text[prev_line_start:se]
        # What the count counts is said between the previous count and this one.
        near = text[max(ss, prev_end, c.start - 40) : c.start]
        prev_end = c.end
        if _NOT_LEAK_CTX.search(text[max(ss, c.start - 15) : c.start]):
            continue
        if c.unit not in _RECORD_UNITS and not _LEAK_CTX.search(sentence):
            continue
        pool.append(c)
        if best is None or c.value > best.value:
            best = c
        if _is_card(near, text[c.end : min(se, c.end + 16)]):
            if card is None or c.value > card.value:
                card = c
        elif c.unit in ("名", "人", "人分", "名分", "件", "件分", "者", "の個人") and _PERSONAL_CTX.search(near + text[c.end : min(se, c.end + 20)]):
            if personal is None or c.value > personal.value:
                personal = c
    if best is not None and best.start in totals:
        parts = [c for c in pool if c.start not in totals]
        if parts:
            best = max(parts, key=lambda c: c.value)
    return _exact(best, pool), card, personal


def _ordinary_total(text: str, ss: int, c: Count) -> bool:
    """Whether the clause of a count tells of an ordinary act (発送した…1,860通), not the incident."""
    clause = text[max(ss, c.start - 40) : min(len(text), c.end + 12)]
    return bool(_ORDINARY_ACT.search(clause)) and not _INCIDENT_ACT.search(clause)


def _exact(best: Count | None, pool: list[Count]) -> Count | None:
    """A rounded figure (約1.2万件) beside the exact one it rounds (11,958件): the exact one.

    Headlines round; the body gives the figure. Only a count within 15 % of the rounded one
    and not larger than it by more than that replaces it.
    """
    if best is None or not (best.qualifier == "約" or (best.value >= 10_000 and best.value % 1000 == 0)):
        return best
    exact = [c for c in pool if c is not best and c.qualifier is None and c.value % 100 != 0 and abs(c.value - best.value) <= 0.15 * best.value]
    return max(exact, key=lambda c: c.value) if exact else best
