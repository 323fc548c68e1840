"""How sure a notice is that data left (status), and which items it names as leaked."""
from __future__ import annotations

import re

from .rules import Rule, rule
from .vocab import DENIED, LEAK, POSSIBLE

Span = tuple[int, int]

# Order matters: a notice that confirms or fears a leak of one kind of data and denies
# another ("カード情報以外は漏洩していない") is about the leak.
STATUS_RULES: tuple[tuple[str, Rule], ...] = (
    ("confirmed", rule(
        "status.confirmed",
        rf"(?:{LEAK})(?:したこと|の事実)?を確認(?!でき(?:ない|ず|ません))"
        rf"|(?:{LEAK})が(?:確認され(?!て(?:いない|おらず|おりません|いません))|判明)|(?:{LEAK})しました",
        examples=("個人情報が流出したことを確認いたしました。", "外部への漏えいが判明しました。"),
        must_not=("漏えいは確認されていません。",),
    )),
    ("possible", rule(
        "status.possible",
        rf"(?:{LEAK}|窃取|閲覧)(?:した|された|の|する)?(?:{POSSIBLE})(?!は(?:ない|ありません|ございません))",
        examples=("クレジットカード情報が漏洩した可能性があります。", "情報流出のおそれがあります。"),
        must_not=("流出の可能性はありません。",),
    )),
    ("none", rule(
        "status.none",
        rf"(?:{LEAK})(?:等|した|の|による)?(?:事実|形跡|痕跡|被害)?(?:は|も)?(?:現時点で|現在|現時点において|、)?{DENIED}"
        rf"|(?:{LEAK})(?:は|も)(?:ない|ありません|ございません)",
        examples=("現時点で情報漏えいは確認されていません。", "個人情報の流出はありません。"),
        must_not=("個人情報が流出した可能性があります。",),
    )),
    ("investigating", rule(
        "status.investigating", r"調査中|調査を進め|確認中",
        examples=("現在、影響範囲を調査中です。",),
    )),
)

# Data items as notices list them (most specific first), and the kinds of information.
_ITEMS = (
    "クレジットカード名義人名", "カード名義人名", "クレジットカード番号", "カード番号", "クレジットカード有効期限", "有効期限",
    "セキュリティコード", "氏名", "住所", "郵便番号", "電話番号", "メールアドレス", "Eメールアドレス", "生年月日", "性別",
    "会員ID", "ログインID", "パスワード", "学籍番号", "口座番号", "マイナンバー", "個人番号", "病歴", "診療情報", "成績",
    "クレジットカード情報", "カード情報", "個人情報", "顧客情報", "会員情報", "患者情報",
)
_ITEM_RE = re.compile("|".join(sorted(map(re.escape, _ITEMS), key=len, reverse=True)))
_LEAK_NEAR = re.compile(rf"{LEAK}|{POSSIBLE}|対象|閲覧|送信|送付|紛失|含まれ")


def leak_status(text: str, start: int, end: int) -> tuple[str, Span, str] | None:
    """(status, evidence span, rule id): the first kind of statement, in STATUS_RULES order."""
    for status, r in STATUS_RULES:
        m = r.search(text, start, end)
        if m:
            return status, m.span(), r.id
    return None


def leaked_items(text: str, start: int, end: int) -> list[str]:
    """The data items named within reach of a word of leaking, in order, each once."""
    items: list[str] = []
    for m in _ITEM_RE.finditer(text, start, end):
        if m.group() in items:
            continue
        if _LEAK_NEAR.search(text, max(start, m.start() - 200), min(end, m.end() + 200)):
            items.append(m.group())
    return items
