"""The site, service or system an incident struck: named in 「」, after 運営する, or as what was attacked.

Notices name it in several ways: a quoted name beside 運営する or サイト (「ワコムストア」), a
bare name after 運営する (ケーズデンキオンラインショップ), a name with its address
(hatsutoki ONLINE STORE(https://…)), or only as the thing that was attacked, encrypted or left
open (教育研究システムが不正アクセスを受け, 電子カルテシステムが暗号化され, メールサーバの一部が
…). Each way gives candidates with a score; the best wins. A system named only in passing
(弊社ウェブサイトにてお知らせ) is no candidate: it must be the object of what happened.
"""
from __future__ import annotations

import re

from .rules import Rule, rule

Found = tuple[str, int, int, str]  # (service, start, end, rule id)

_BAD = re.compile(r"[。、]|について|お詫び|おわび|申し上げ|いたし|お知らせ|以下|ご案内|ご報告|注意喚起|第[0-9]報")
_GENERIC = re.compile(
    r"^(?:本|当|同|弊社|当社|本件|当該|同社|弊社の|当社の)?(?:サイト|ECサイト|ウェブサイト|ストア|ショップ|オンラインショップ|通販サイト|サービス|"
    r"システム|サーバー?|ホームページ|ネットワーク|パソコン|端末|データ|ファイル|メール|アカウント)$"
)
# Words that make a quoted name a site or service, inside it or around it.
_SERVICE_WORD = r"ストア|ショップ|サイト|SHOP|Shop|Store|STORE|ショッピング|オンライン|\.com|\.jp|\.JP|公式|クラブ|Club|モール|アプリ|ネット|ポータル|システム|サービス|マイページ|予約|会員"
_SERVICE_NAME = re.compile(_SERVICE_WORD)
_SELF = re.compile(r"(?:ストア|ショップ|STORE|Store|SHOP|Shop|オンラインショップ|通販サイト|\.com|\.jp|\.JP|便|ネット|ナビ|ポータル|マイページ)$")
_CONTEXT = re.compile(
    r"(?:運営|運用|提供|管理|展開)(?:する|している|していた|しております)|ECサイト|通販サイト|オンラインショップ|サイト|ストア|サービス|"
    r"アプリ|システム|ポータル|プラットフォーム|ゲーム|会員"
)

QUOTED = rule(
    "service.quoted",
    r"[「『](?P<svc>[^「」『』\n]{2,40})[」』]",
    examples=("弊社が運営する「ミナモト公式ストア」への不正アクセス", "ファイル転送サービス「宅ふぁいる便」において", "『やまなみ珈琲 公式オンラインストア』において"),
    must_not=("お詫びとお知らせ",),
)
AFTER_OPERATES = rule(
    "service.after_operates",
    r"(?:運営|提供|運用)(?:する|している|していた)\s?(?:(?:EC|通販|公式)サイト\s?)?"
    r"(?P<svc>[A-Za-z0-9ァ-ヴー一-龥々・.&]{2,30}(?:ストア|ショップ|サイト|STORE|Store|SHOP|Shop|モール|\.com|\.jp|\.JP))",
    examples=("同社が運営する ケーズデンキオンラインショップ にて",),
    must_not=("サイトを運営する会社",),
)
WITH_ADDRESS = rule(
    "service.with_address",
    r"(?P<svc>[A-Za-z0-9ァ-ヴー一-龥々・.&' ]{2,40}?)\s?\((?:URL[::]?\s?)?https?://",
    examples=("ECサイト ミドリオンライン(https://example.jp/)", "弊社が運営するhatsutoki ONLINE STORE(https://hatsutoki.com/)"),
    must_not=("詳細は(https://example.jp/)",),
)
# A kind of service and then its name: 学修ポータル KOKAGE, 健康管理アプリ ポケットカルテ で
TYPED = rule(
    "service.typed",
    r"(?:ポータル|アプリ|システム|サービス|サイト|ストア|ショップ|プラットフォーム|ツール|ソフト)(?:[ ](?=[ァ-ヴー]|[ぁ-ゖ]{2,6}[ァ-ヴー])|[ ]?(?=[A-Za-z]))"
    r"(?P<svc>[A-Z]{2,4}[ぁ-ゖ一-龥々ァ-ヴー]{2,20}|[A-Za-z][A-Za-z0-9.\-_]{2,30}(?: [A-Za-z0-9.\-_]+){0,2}|(?:[ぁ-ゖ]{2,6})?[ァ-ヴー][ァ-ヴー・]{2,20}(?:[A-Za-z][A-Za-z0-9]{1,10})?)"
    r"(?=[ ]?(?:で|の|に|において|にて|を|が|は|、|\(|における))",
    examples=("学修ポータル KOKAGE のサーバーが", "健康管理アプリ ポケットカルテ で", "スポーツ施設予約システム SHISETSU-NAVI において",
              "施設予約アプリ さくらスポーツNavi において", "ウェブサービス JAみどり野マイページ(以下"),
    must_not=("システムの不具合",),
)
# What was attacked, encrypted, opened or logged into: the system the incident happened in.
# The rule reads from the system's word on (教育研究|システムが…不正アクセスを受け); the name
# is the run of name characters that ends at that word.
STRUCK = rule(
    "service.struck",
    r"(?P<word>システム|サーバー?|サービス|サイト|ストア|ショップ|アプリ|ホームページ|マイページ|ポータル|クラウド|"
    r"ネットワーク|カルテ|データベース|メール(?:サーバー?)?|Webサイト|ウェブサイト)(?P<paren>\([^()\n]{1,30}\))?"
    r"(?:の一部)?(?:が|へ|に|への|に対する|に対して|において|で|上で|内の)"
    r"(?:第三者による|外部からの|何者かによる|悪意のある第三者による)?(?:不正(?:な)?(?:アクセス|ログイン|侵入|利用)|サイバー攻撃|攻撃|ランサムウェア|"
    r"暗号化|改ざん|障害|感染|侵入|閲覧(?:可能|できる)|ログイン試行|リスト型攻撃|使用不能|使用できな|利用できな|通常とは異なる|不審な|異常)",
    examples=(
        "本学が運用・管理する教育研究システムが第三者による不正アクセスを受け、",
        "当社アカウント管理システム(ディレクトリサーバー)への不正アクセスの形跡が確認され",
        "教員が利用するメールサーバの一部が不正アクセスを受け",
        "院内の電子カルテシステムがランサムウェアに感染し",
        "クラウドサービスに対する通常とは異なるアクセスを認識し",
    ),
    must_not=("弊社ウェブサイトにてお知らせいたします",),
)
_NAME_BEFORE = re.compile(r"[A-Za-z0-9ァ-ヴー一-龥々・.&()]{0,28}\Z")
# Trim what stands before the system's own name: 同社の, 当社, 本学が運用する …
_LEAD_TRIM = re.compile(
    r"^(?:.*?(?:が|の|は|する|した|している|された|における|にある|内の|で))?(?:弊社|当社|同社|本学|当院|本市|同市|同大|同大学|当機構|同機構)?\s?"
)


def _clean_struck(svc: str) -> str:
    svc = _LEAD_TRIM.sub("", svc)
    return svc.strip(" ・")


# A system named only by whose it is (社内システム, 院内システム, 当組合サーバー) names no service.
_OWN_GENERIC = re.compile(
    r"^(?:社内|院内|庁内|学内|所内|館内|校内|当社|弊社|自社|同社|本学|当院|当組合|当会|本会|当機構|業務|基幹|一部の?|各種|全社|"
    r"情報|ネットワーク|サーバー?|システム)(?:の)?(?:システム|サーバー?|ネットワーク|端末|パソコン|PC|データ|サービス|サイト)?$"
)
# Speech in quotes is not a name: 「他人の予約が表示されている」
_SPEECH = re.compile(r"(?:ている|ていた|ました|です|ます|ない|おかしい|ください|だった|された|した|未定|ません)$|(?:が|を)[^「」]{0,12}(?:いる|いた|た|る)$")


def _speech(svc: str) -> bool:
    return bool(_SPEECH.search(svc))


# Where the two costly rules can match: before an address, before a word for a system.
_ADDRESS_AT = re.compile(r"\((?:URL[::]?\s?)?https?://")
_SYSTEM_WORD = re.compile(r"システム|サーバ|サービス|サイト|ストア|ショップ|アプリ|ホームページ|マイページ|ポータル|クラウド|ネットワーク|カルテ|データベース|メール")


def _near(r: Rule, anchor: re.Pattern[str], text: str, start: int, end: int, reach: int) -> list[re.Match[str]]:
    """The matches of r that end near an anchor word: r runs only in a window before each."""
    out: list[re.Match[str]] = []
    last = start
    for a in anchor.finditer(text, start, end):
        m = r.search(text, max(last, a.start() - reach), min(end, a.end() + 40))
        if m is not None and m.start() >= last:
            out.append(m)
            last = m.end()
    return out


_WS = re.compile(r"\s+")


_QUOTED_COUNT = re.compile(r"(?:約|最大|延べ)?[0-9,.万千百億]+(?:件|人|名|社|円|通|台|回)(?:分)?(?:超|以上)?")
_DOMAIN_WORD = re.compile(r"(?:ドメイン|ドメイン名|アドレス)\Z")
_ADDRESS_PART = re.compile(r"@[A-Za-z0-9.\-]+|[A-Za-z0-9._\-]*@[A-Za-z0-9.\-]+")


def find_service(text: str, start: int, end: int, org_core: str | None = None) -> Found | None:
    """(name, start, end, rule id) of the site or service the segment's incident struck.

    The organisation's own name (「みらい保険サービス」 in an arrest story) is not its service.
    """
    cands: list[tuple[float, int, Found]] = []
    for m in QUOTED.finditer(text, start, end):
        svc = m.group("svc").strip()
        if _BAD.search(svc) or _GENERIC.match(svc) or _speech(svc):
            continue
        if text.rfind("以下", max(start, m.start() - 4), m.start()) >= 0:
            continue  # (以下「マイページ」: a short name for the service named before it)
        if _DOMAIN_WORD.search(text, max(start, m.start() - 6), m.start()) or _ADDRESS_PART.fullmatch(svc) or _QUOTED_COUNT.fullmatch(svc):
            continue  # ドメイン「x.jp」, 「@x.co.jp」: an address; 「約2万9千件」: a figure quoted
        around = text[max(start, m.start() - 25) : min(end, m.end() + 15)]
        if _SELF.search(svc) or (_SERVICE_NAME.search(svc) and _CONTEXT.search(around)):
            cands.append((3.0, m.start(), (svc, m.start("svc"), m.end("svc"), QUOTED.id)))
        elif _CONTEXT.search(text, max(start, m.start() - 12), m.start()):
            # ファイル転送サービス「宅ふぁいる便」: the kind of thing right before the name
            cands.append((2.5, m.start(), (svc, m.start("svc"), m.end("svc"), QUOTED.id)))
    for m in AFTER_OPERATES.finditer(text, start, end):
        svc = m.group("svc")
        if not _GENERIC.match(svc):
            cands.append((2.0, m.start(), (svc, m.start("svc"), m.end("svc"), AFTER_OPERATES.id)))
    for m in _near(WITH_ADDRESS, _ADDRESS_AT, text, start, end, 44):
        svc = m.group("svc").strip()
        cut = max(svc.rfind("する"), svc.rfind("が"), svc.rfind("の"), svc.rfind("は"))
        if cut >= 0:
            svc = svc[cut + (2 if svc.startswith("する", cut) else 1) :].strip()
        if len(svc) >= 2 and not _GENERIC.match(svc) and not _BAD.search(svc) and _SERVICE_NAME.search(svc + "サイト"):
            s = m.end("svc") - len(svc)
            cands.append((2.2, m.start(), (svc, s, m.end("svc"), WITH_ADDRESS.id)))
    for m in TYPED.finditer(text, start, end):
        svc = m.group("svc").strip()
        if not _GENERIC.match(svc):
            cands.append((2.4, m.start(), (svc, m.start("svc"), m.start("svc") + len(svc), TYPED.id)))
    for a in _SYSTEM_WORD.finditer(text, start, min(end, start + 3000)):
        m = STRUCK.match(text, a.start(), end)
        if m is None:
            continue
        svc_end = m.end("paren") if m.group("paren") else m.end("word")
        head = _NAME_BEFORE.search(text, max(start, a.start() - 28), a.start())
        raw = text[head.start() if head else a.start() : svc_end]
        svc = _clean_struck(raw)
        if len(svc) < 6 or _BAD.search(svc) or _GENERIC.match(svc.rstrip("()")) or _OWN_GENERIC.match(svc) or _speech(svc):
            continue  # a system named by a generic word or two (メールサーバ, 社内システム) names no service
        cands.append((1.5, svc_end - len(raw), (svc, svc_end - len(svc), svc_end, STRUCK.id)))
    if org_core:
        own = _WS.sub("", org_core)
        cands = [c for c in cands if _WS.sub("", c[2][0]) != own]
    if not cands:
        return None
    return max(cands, key=lambda c: (c[0], -c[1]))[2]
