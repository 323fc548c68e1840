"""The contact desk for those affected (問い合わせ窓口): its name, phone, hours and URL.

A notice gives its desk under a heading of its own (「本件に関するお問い合わせ先」, 5.お問い合わせ
窓口, 【専用窓口】) or on one labelled line (お問い合わせ窓口：…コールセンター 電話…). The lines
after the heading, up to a blank line or the next heading, are the desk; it counts only when
it gives a way to reach it (a phone number or a URL). Prose that sends readers elsewhere
(「カード会社にお問い合わせください」) has no heading and is left alone.
"""
from __future__ import annotations

import re
import unicodedata

from .rules import rule

_NOTICE = (
    "2023年9月1日\n株式会社テスト\n問合せ先　取締役管理本部長　朝比奈　聡\n（TEL．03-0582-7710）\n\n"
    "不正アクセスによる個人情報漏えいに関するお知らせ\n\n"
    "2023年6月12日、当社サーバーへの不正アクセスにより、お客様の氏名、住所、電話番号が漏えいしたことを確認しました。\n\n"
    "【本件に関するお問い合わせ先】\n株式会社テスト 個人情報お問い合わせ窓口\nTEL:03-1234-5678(平日9時〜17時)\n"
    "https://www.test.example.jp/contact/\n"
)
# (each run of spaces bounded: a padded line must not make the pattern backtrack over it)
_LEAD = r"(?:^|\n)[ \t　]{0,8}(?:(?:[0-9０-９]{1,2}[.．、)）]|[(（][0-9０-９]{1,2}[)）]|[■□●◆◇▼▽・【〈<＜\[［]|第[0-9０-９]{1,2}[.．]?)[ \t　]{0,4})?"
HEADING = rule(
    "contact.heading",
    _LEAD + r"(?P<head>(?:本件|本事案|今回の件|この件|個人情報|お客様|会員様|患者様)?(?:に関する|についての|に関しての|の)?[ \t　]{0,2}"
    r"(?:お問い?合わ?せ|問い?合わ?せ|ご相談|相談)(?:専用)?(?:先|窓口|受付|ダイヤル|センター)|"
    r"(?:専用|お客様|ご相談|相談)(?:窓口|ダイヤル|センター)|お客様相談室|コールセンター)"
    r"(?![をがはにへでとものや])(?P<rest>[^\n]{0,80})",
    examples=("【本件に関するお問い合わせ先】\n株式会社テスト 個人情報お問い合わせ窓口\nTEL:03-1234-5678(平日9時〜17時)",
              "5.お問い合わせ窓口\n株式会社サンプル商事 お客様相談窓口\n電話番号:0120-123-456\n受付時間:10:00〜18:00(土日祝日を除く)",
              "■お問い合わせ窓口:サクラ電工 お客様サポートセンター 電話 0120-000-111 受付 9:00～17:00"),
    must_not=("詳しくはカード会社にお問い合わせください。", "Q8. 問い合わせ先を教えてください。"),
    documents=(_NOTICE,),
)
PHONE = rule(
    "contact.phone",
    r"(?<![0-9０-９])(?:0[0-9０-９]{1,4}|０[0-9０-９]{1,4})[-‐－―ー−(（)） ]{1,2}[0-9０-９]{1,4}[-‐－―ー−)） ]{1,2}[0-9０-９]{3,4}(?![0-9０-９])",
    examples=("電話番号:0120-123-456", "TEL:03-1234-5678", "電話 ０１２０－０００－１１１", "TEL 03(1234)5678"),
    must_not=("2023-06-14", "1,234件"),
    documents=(_NOTICE,),
)
HOURS = rule(
    "contact.hours",
    r"(?:受付時間|受付|対応時間|営業時間|受付日時)[ \t　]{0,4}[:：]?[ \t　]{0,4}(?P<label>[^\n]{2,80})|"
    r"(?P<range>(?:(?:平日|土日祝日?|月曜日?|月|毎日)[^\n0-9０-９]{0,12})?[0-9０-９]{1,2}(?:[:：][0-9０-９]{2}|時(?:[0-9０-９]{1,2}分?)?)"
    r"[ \t　]{0,3}[~〜～\-－ー―から]{1,2}[ \t　]{0,3}[0-9０-９]{1,2}(?:[:：][0-9０-９]{2}|時(?:[0-9０-９]{1,2}分?)?)(?:まで)?)",
    examples=("受付時間:10:00〜18:00(土日祝日を除く)", "TEL:03-1234-5678(平日9時〜17時)", "受付 9:00～17:00"),
    must_not=("2023年6月14日に速報を提出しました。",),
    documents=(_NOTICE,),
)
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")
_LABEL = re.compile(r"^(?:電話|TEL|Tel|tel|ＴＥＬ|フリーダイヤル|フリーコール|ナビダイヤル|受付|対応時間|営業時間|"
                    r"URL|ＵＲＬ|E-?mail|Ｅメール|メール|mail|FAX|ＦＡＸ|〒|住所|https?://)", re.IGNORECASE)
_BLOCK_LINES = 8
# Not a desk for those affected: a press release's contact (a title and a person's name: 取締役
# 管理本部長 朝比奈 聡), the press or investors', the police's.
NOT_DESK = rule(
    "contact.not_desk",
    r"(?:取締役|執行役員?|本部長|部長|室長|課長|担当)[ \t　]{0,3}[^\s　()（）]{1,5}[ \t　]{1,3}[^\s　()（）]{1,5}$|報道|取材|プレス|IR|投資家|警察",
    examples=("取締役管理本部長 朝比奈 聡", "経営企画部長 谷 茂樹", "ときわ県警察本部 サイバー犯罪対策課"),
    must_not=("株式会社サンプル商事 お客様相談窓口", "青葉ヶ丘市 健康福祉部 障がい福祉課"),
    documents=(_NOTICE,),
)
_SEP = " \t　:：】]］>＞)）-"


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split()).strip(" ・:：、,")[:300]


def _balanced(value: str) -> str:
    """Without a bracket the line's cut left open: "(平日9時〜17時" → "平日9時〜17時"; and without
    what a flattened page glued after it: "10:00~17:00(土日祝日を除く)以上ショップ情報…"."""
    close = value.find(")")
    if 0 < close < len(value) - 1 and "(" in value[:close]:
        value = value[: close + 1]
    value = re.split(r"以上|[ \t　]{2,}", value)[0]
    if value.startswith("(") and ")" not in value:
        value = value[1:]
    if value.endswith(")") and "(" not in value:
        value = value[:-1]
    return value.strip()


def find_contact(text: str, start: int, end: int) -> tuple[dict[str, str | None], tuple[int, int]] | None:
    """The segment's contact desk and the span it stands in, or None when it gives none."""
    for m in HEADING.finditer(text, start, end):
        rest = m.group("rest")
        block_end = m.end("rest")
        lines = [rest.lstrip(_SEP)] if rest.strip(_SEP) else []
        pos = block_end
        for _ in range(_BLOCK_LINES):  # the lines after the heading, to a blank line or a heading
            if pos >= end or text.startswith("\n\n", pos) or text.startswith("\n \n", pos):
                break
            nxt = text.find("\n", pos + 1, end)
            nxt = end if nxt < 0 else nxt
            line = text[pos:nxt].strip()
            if line and (HEADING.match(text, pos) is not None and lines):
                break
            if line:
                lines.append(line)
            pos = block_end = nxt
        block = "\n".join(lines)
        phone, url = PHONE.search(block), URL.search(block)
        if phone is None and url is None:
            continue
        hours = HOURS.search(block)
        name = next((ln for ln in lines if ln and not _LABEL.match(ln) and not PHONE.search(ln[:20])
                     and not URL.match(ln)), None)
        if NOT_DESK.search(m.group("head")) or (name is not None and NOT_DESK.search(_clean(name))):
            continue
        if name is not None:
            # "お問い合わせ窓口:サクラ電工 お客様サポートセンター 電話 0120-…": the name ends at its first label
            cut = re.search(r"[ \t　]*(?:電話|TEL|Tel|ＴＥＬ|フリーダイヤル|受付|URL|https?://|[(（]?[0-9０-９]{2,4}[-‐－―ー])", name)
            name = name[: cut.start()] if cut and cut.start() > 0 else name
            name = _clean(name) or None
        when = None
        if hours is not None:
            when = _balanced(_clean(hours.group("label") or hours.group("range") or "")) or None
        return ({"name": name, "phone": _clean(phone.group()) if phone else None, "hours": when,
                 "url": url.group().rstrip(".,)") if url else None}, (m.start("head"), block_end))
    return None
