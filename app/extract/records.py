"""Which counts are of affected records, and which of them count card data or people."""
from __future__ import annotations

import re

from .numbers import Count, find_counts

_NOT_CARD = re.compile(r"カード情報以外|カード情報を含まない|カード情報は含まれ")
_PERSONAL_CTX = re.compile(r"個人情報|氏名|名前|お客様|顧客|会員|利用者|患者|学生|生徒|児童|保護者|参加者|申請者|受験者|応募者|受講者|住民|市民|職員|名分|人分|メールアドレス|住所|生年月日|電話番号")
_LEAK_CTX = re.compile(r"漏えい|漏洩|流出|可能性|対象|影響|閲覧|送信|送付|紛失|盗難|所在不明|被害|含まれ|件数|人数|情報|データ|アドレス|氏名|書類|記載")
# "2名の教員のIDが" counts staff, not records.
_NOT_RECORDS_AFTER = re.compile(r"(?:の|分の)?(?:教員|教諭|教師|職員|教職員|社員|従業員|担当者|派遣社員|委託先)(?:の|が|は|に|で)")
_STAFF_BEFORE = re.compile(r"(?:教員|教諭|教師|講師|職員|教職員|社員|従業員|担当者|派遣社員|医師|看護師)\s?$")
_STAFF_COUNT_AFTER = re.compile(r"(?:の|が|は|に|で(?!す)|も)(?!個人情報|情報|氏名|メールアドレス|住所|データ)")
_SMALL_NOT_RECORDS = re.compile(r"(?:アカウント|ID|端末|パソコン|PC|サーバー?|事案|案件|もう)$")
# Another incident or a survey quoted for comparison: "3504万人分に次ぐ", "東京商工リサーチによると"
_COMPARISON = re.compile(r"に次ぐ|史上|過去最大|過去最多|上回る|調査によると|リサーチ|統計|集計では|累計|年間")
# Counts that are not of affected people or records: hits, totals, statistics.
_NOT_LEAK_CTX = re.compile(r"アクセスは|アクセス件数|閲覧は|事案が|事案は|被害が|件の事案|従業員数|社員数|会員数|フォロワー|アクセス数|閲覧数|売上|受講者数|参加者数|感染者|患者数|病床|ダウンロード")




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
    return best, card, personal
