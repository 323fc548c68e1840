"""Whose incident it is: every name-like span of a segment, ranked by what the text says of it.

A notice or an article names many bodies: the one that was breached, its contractor, the
vendor whose software was tampered with, the card company that noticed, the police, the
commission it reported to, the parent group, the city it stands in. The subject is not the
first name that matches a pattern; it is the body the text is *about*. So:

1. gather candidates: legal-form and public-body names (`orgs.find_orgs`), and names that
   only a frame reveals — the subject of "…と発表した", 「X」社, Xによると, Aを運営するB,
   a headline's lead, a signature above 代表取締役 …;
2. group the mentions of one body (ワコム, 株式会社ワコム, 同社 → one entity);
3. score each entity on features (where it stands, what it does in its sentences, how
   often it recurs, whether it is a contractor, vendor, notifier, investigator, police,
   parent or place) with hand-set weights;
4. take the best, spelled as fully as the text spells it.

The decisive features go into the rule id ("org.rank:title+announce+repeat"), so the
evidence the incident page shows says why this name was chosen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import tables, vocab
from .orgs import LEGAL_RE, PUBLIC_SUFFIX, OrgMention, core_name, names_no_body
from .rules import Rule, rule
from .segment import Segment
from .tokens import Token, tokens
from .vocab import FIRST_PERSON as _FIRST_PERSON_WORDS
from .vocab import LEAK

Span = tuple[int, int]

FIRST_PERSON = re.compile(_FIRST_PERSON_WORDS)
# A notice speaks in the first person and politely; a news item in the third person.
NOTICE_VOICE = re.compile(_FIRST_PERSON_WORDS + r"|いたしました|しております|しました。|ました。|ます。")

# Characters of a bare name: kanji, katakana, latin, digits and the joiners names use;
# hiragana only as a short run inside (いすゞ, みやぎ産業), never as a particle at the edge.
_NC = r"[一-龥々〆ヵヶァ-ヴーA-Za-z0-9&.・'＆\-]"
# (a few voiced kana too, none that ends a phrase or a verb: が, で, ど, ば, だ, び of 及び, げ of 上げ: こむぎ堂)
_HIRA_IN = r"[ぁぃいぅうぇえぉおかきくけこさしすせそちっつてなぬねひふほまみむめゃゅょらりろゎゐゑゝゞぎぐざぞづぱぴぷぺぽ]"
# Hiragana that may stand in a name: all but the particles that end a phrase.
_HIRA_NAME = "[" + "".join(chr(c) for c in range(0x3041, 0x3095) if chr(c) not in "をが") + "]"
# A name may open in hiragana (つるぎ町立半田病院, みやぎ産業振興機構), not with a function word.
_HIRA_OPEN = (
    rf"(?:(?={_HIRA_NAME}{{2,5}}[一-龥々ヵヶァ-ヴー])"  # (the cheap test first: kana, then a kanji or katakana)
    rf"(?!また|なお|さらに|その|この|あの|ただ|しかし|および|ところ|これ|それ|まず|いずれ|すでに|すべて|とくに|ことし|きょう|あす|きのう|"
    rf"との|への|での|には|とは|では|にて|から|まで|より|など)"
    rf"{_HIRA_NAME}{{2,5}}(?=[一-龥々ヵヶァ-ヴー]))?"  # (ひばりヶ丘)
)
# (Possessive runs: a name's characters are never given back to find a shorter name, which
# the particle after it could not follow anyway; without it a scan retries every prefix.)
BARE = rf"{_HIRA_OPEN}{_NC}++(?:{_HIRA_IN}{{1,3}}{_NC}++)?"
# Where a bare name may start: after punctuation, a bracket, a space or a line break.
_LEFT = r"(?:(?<=^)|(?<=[。、,，\n」』】\]\)\s:：]))"
# The subject of an announcement may follow a descriptor: 家電量販店のヤマダ電機は …
# (… or a relative clause of its operator: 医療法人X会が運営するY病院は)
_RUNNING = ("運営", "経営", "設置")
_LEFT_OR_NO = r"(?:(?<=^)|(?<=[。、,，\n」』】\]\)\s:：の])|(?<=である)|" + "|".join(f"(?<=が{v}する)" for v in _RUNNING) + ")"
# … or an adjective or verb that describes it: 織物で有名な島田製織の / コスメを扱うakaranが
_LEFT_DESCRIBED = r"(?:(?<=^)|(?<=[。、,，\n」』】\]\)\s:：の])|(?<=[うくすつぬむるいなた])(?![をがはのにでとへも]))"
# Latin names keep their spaces (NEXTRA Japan, Web Help Desk).
LATIN_SP = r"[A-Za-z][A-Za-z0-9&.'\-]*(?: [A-Za-z][A-Za-z0-9&.'\-]*){1,3}(?![A-Za-z])"
_NAME_GROUP = rf"(?P<name>{LATIN_SP}|{BARE}|「[^」\n]{{1,30}}」)"
# Frames that name a body outright may hold a name in hiragana only (飲食店経営のひだまりは).
_NAME_GROUP_KANA = rf"(?P<name>{LATIN_SP}|{BARE}|「[^」\n]{{1,30}}」|[ぁ-ゖー]{{3,10}}(?=は|が|では|、))"
_PAREN = r"(?:\([^()\n]{1,60}\))?"

# ---- frames: what a sentence says of a name ----

# "医療法人X会が運営するY病院は…と公表": the operator is the subject of a relative clause only
_NOT_RUNNING = rf"(?!(?:{'|'.join(_RUNNING)}|開設)(?:する|している))"
ANNOUNCE = rule(
    "org.frame.announce",
    _LEFT_OR_NO + _NAME_GROUP + _PAREN + r"(?:は|では|が" + _NOT_RUNNING + r"|も)、?(?=[^。\n]{0,160}?(?:(?:発表|公表|公開|報告)(?!日|者|元)|明らかに|謝罪|陳謝|お詫び|おわび|認め))",
    examples=(
        "サクラ電工は5月10日、同社が運営する通販サイトが不正アクセスを受けたと発表した。",
        "ミドリ堂(東京都港区)は3月1日、顧客情報が流出した可能性があると明らかにした。",
        "「ハナミズキ」は、会員情報が流出したおそれがあると公表した。",
        "家電量販店のヤマダ電機は、通販サイトに不正なアクセスがあったと発表しました。",
    ),
    must_not=("不正アクセスを受けたことが判明しました。", "予約管理PCがマルウェア感染、情報流出の可能性公開日:2026年1月20日"),
)
# News that names the body in a cleft: "サイバー攻撃を受けたのは、汐見市港町の医療法人清泉会が運営する松ヶ丘記念病院です"
CLEFT = rule(
    "org.frame.cleft",
    r"(?:攻撃|被害|不正アクセス|ランサムウェア|感染|流出|漏えい|紛失)(?:を受け|に遭っ|が(?:あっ|発生し|起き))たのは、?[^。\n]{0,40}?"
    + _NAME_GROUP + r"(?=です|だ|である)",
    examples=("サイバー攻撃を受けたのは、汐見市港町の医療法人 清泉会が運営する松ヶ丘記念病院です。",),
)
# A quoted name that says it, whatever stands before its bracket ("ネットショップ「こより堂」は、…と明らかにしました")
QUOTED_ANNOUNCE = rule(
    "org.frame.quoted_announce",
    # (a topic's は only, and not a site's or a service's name: 「Xストア」が…と発表 is what X's owner said)
    r"(?P<name>「(?![^」\n]*(?:ストア|ショップ|サイト|ネット|Web|WEB|web|STORE|Store|SHOP|Shop|オンライン|ポータル|アプリ|登録|サービス|システム|会員))[^」\n]{2,30}」)"
    r"(?:\([^()\n]{1,30}\))?は、?(?=[^。\n]{0,160}?(?:発表|公表|明らかに|報告|謝罪|お詫び|おわび))",
    examples=("手すき和紙の雑貨を扱うネットショップ「こより堂」は、決済フォームが改ざんされたと明らかにしました。",),
    must_not=("同社が運営する「スタッフィアWeb登録」は、不正アクセスを受けたと発表しました。",),
)
ACCORDING = rule(
    "org.frame.according",
    _LEFT + _NAME_GROUP + _PAREN + r"(?:の(?:発表|説明|調査|担当者|広報(?:担当者?)?|関係者|ホームページ|リリース))?によ(?:ると|れば)",
    examples=("ミドリ堂によると、流出したのは氏名と住所である。", "北風運輸の発表によると、", "「アオゾラ」によると、"),
    must_not=("それによると", "調査の結果によると"),
)
SHA = rule(
    "org.frame.sha",
    r"(?P<name>「[^」\n]{1,30}」|(?<![一-龥々ァ-ヴーA-Za-z0-9])[ァ-ヴーA-Za-z][ァ-ヴーA-Za-z0-9&.・\-]{1,29})社(?=は|が|の|に|で|では|によると|も|、|\(|と)",
    examples=("ネクストラ社は、システムが不正アクセスを受けたと発表した。", "「ミドリ」社によると"),
    must_not=("同社は", "弊社は"),
)
# A blog's polite way with a body: "「ブーランジェリー麦のうた」さんが3月3日に…"
SAN = rule(
    "org.frame.san",
    r"「(?P<name>[^」\n]{2,30})」さん(?=が|は|の|に|で|から|も|、|\(|と)",
    examples=("地元でも人気の「ブーランジェリー麦のうた」さん、", "「さくら通り皮ふ科」さんが3月7日にお詫びを出してました。"),
    must_not=("「ありがとう」さん",),
)
QUOTED_BODY = rule(
    "org.frame.quoted_body",
    r"(?:会社|企業|法人|業者|事業者|メーカー|運営会社|店|店舗|団体|NPO|ブランド|医院|クリニック|薬局|旅館|ホテル|事務所|工房|サロン|スクール|教室|大手|最大手|中堅|老舗"
    # (or whatever stands before it, when a bracket after it says where its head office is)
    r"|(?=「[^」\n]{2,30}」[(（](?:本社|本店|本部)))"
    r"「(?P<name>[^」\n]{2,30})」",
    examples=("市内で飲食店を経営する会社「ひだまり」は", "雑貨を扱う店舗「こもれび堂」で", "通信教育大手「ほのか塾」の", "「ほのか塾」(本社・東京都)のコールセンター"),
    must_not=("サイト「ひだまりストア」",),
)
OPERATES = rule(
    "org.frame.operates",
    _LEFT_DESCRIBED + _NAME_GROUP + _PAREN + r"(?:(?:が|の|は)(?:運営|運用|展開|経営)(?:する|している|していた|しております|しています)"
    r"|の(?:公式)?(?:ECサイト|EC|通販サイト|オンラインショップ|オンラインストア|ネットショップ|ウェブサイト|ホームページ|アプリ|会員サイト))",
    examples=(
        "ミナモト商会が運営する「ミナモト公式ストア」", "ひだまり観光が経営する旅館", "大手である駿河屋の公式ECサイト「駿河屋.JP」で",
        "織物で有名な島田製織のオンラインストアから", "コスメ製品などを扱うakaranが運営する「akaran公式オンラインストア」",
    ),
    must_not=("サイトを運営する", "運営する会社"),
)
# Xの元社員が…: an insider story is about the employer
EMPLOYER = rule(
    "org.frame.employer",
    _LEFT_OR_NO + _NAME_GROUP + _PAREN + r"の(?:元|男性|女性|[0-9]{2}代の)?(?:社員|従業員|職員|派遣社員|薬剤師|看護師|医師|教員|教諭|店長|店員|スタッフ|アルバイト|パート)(?:が|は|の|を|ら|[(（])",
    examples=("調剤薬局チェーンのグリーンファーマシー(横浜市)の元薬剤師が、患者の処方情報を閲覧していた。",),
    must_not=("退職した元社員が",),
)
PATRONISED = rule(
    "org.frame.patronised",
    r"(?:いつも|平素(?:より|は)|日頃(?:より|から|は)|毎度)[、]?(?:は)?(?:弊社|当社|当店)?[^。をのにが]{0,12}?" + _NAME_GROUP_KANA.replace("(?=は|が|では|、)", "(?=を|の)") + r"(?:を|の(?:商品|サービス|サイト|オンラインショップ)?を)(?:ご利用|ご愛顧|お引き立て|ご愛用)",
    examples=("いつも手づくり雑貨こもれび堂をご利用いただきありがとうございます。", "平素よりミドリ商店をご愛顧いただき"),
    must_not=("いつもご利用いただき",),
)
SUBJECT = rule(
    "org.frame.subject",
    _LEFT + _NAME_GROUP + _PAREN + r"(?:は|では|が" + _NOT_RUNNING + r")、?(?![ぁ-ゖ])",
    examples=("駿河屋は8日にカード決済を一時停止した。",),
    must_not=("これはお知らせです", "駿河屋はじめ"),
)
RUN_BY = rule(
    "org.frame.run_by",
    r"を(?:(?:運営|経営|展開|運用)(?:する|している)|手が(?:ける|けている)|手掛(?:ける|けている)|営(?:む|んでいる))(?:会社|企業|法人|事業者)?、?"
    + _NAME_GROUP_KANA + _PAREN + r"(?=は|が|では|によると|、|\()",
    examples=("旅館「ひだまり荘」を経営するひだまり観光は", "通販サイトを運営する会社「ミドリ」によると", "コーヒー豆の通販を手がける綿雲珈琲焙煎所は"),
    must_not=("広告事業を展開するフジサンケイグループの「株式会社サンケイアイ」が", "サイトを運営している。"),
)
# The site's operator named after the site's news: "…と発表しました。運営する有限会社X企画は、",
# "運営元の株式会社Xは"
OPERATOR = rule(
    "org.frame.operator",
    r"(?<![をが])(?:運営(?:する|している|元の|元である|会社の|会社である))" + _NAME_GROUP_KANA + _PAREN + r"(?=は|が|では|によると|、|\()",
    examples=("運営する有限会社トモエ企画は", "運営元の株式会社ルミエール製菓は"),
    must_not=("サイトを運営する株式会社Xは",),
)
DESCRIBED = rule(
    "org.frame.described",
    r"(?:経営|運営|傘下|系列|子会社|グループ会社|関連会社)(?:の|である)" + _NAME_GROUP_KANA + _PAREN + r"(?=は|が|では|によると|、|の|\()",
    examples=("飲食店経営のひだまりは", "大手商社傘下のミドリ物産は", "子会社であるアオバ産業が"),
    must_not=("経営の安定",),
)
# A group announcing for its subsidiary: "Xは、連結子会社のY株式会社のサーバーが…"
SUBSIDIARY = rule(
    "org.frame.subsidiary",
    r"(?:連結|当社|弊社|同社の?)?(?:子会社|孫会社|グループ会社)(?:の|である)" + _NAME_GROUP_KANA + _PAREN + r"(?=は|が|では|において|で|の)",
    examples=("カザグルマホールディングスは、連結子会社のカザグルマ物流株式会社(大阪市)のサーバーが感染したと発表した。",),
    must_not=("子会社の管理体制",),
)
_TITLES = (
    r"(?:代表取締役(?:社長|会長)?(?:執行役員)?(?:CEO)?|取締役社長|代表執行役(?:社長)?|代表理事(?:長)?|理事長|会長|社長|学長|総長|"
    r"院長|病院長|市長|町長|村長|区長|知事|教育長|校長|所長|センター長|園長|施設長|代表者?|局長|"
    r"[一-龥ァ-ヴー]{0,12}(?:研究科長|学部長|研究所長|学科長|機構長))"
)
_PERSON = r"[一-龥々]{1,4}[ ]?[一-龥々ぁ-ゖァ-ヴー]{1,4}"
HEAD_OF = rule(
    "org.frame.head_of",
    rf"(?P<name>{BARE})の" + _PERSON + r"[ ]?(?:市長|町長|村長|区長|知事|学長|総長|院長|病院長|理事長|社長|会長|校長|教育長|所長|センター長)(?:は|が|らが|も|と)",
    examples=("白浜市の山田太郎市長は会見で謝罪した。", "ミドリ物産の佐藤一郎社長は"),
    must_not=("市長選挙",),
)
SIGNATURE = rule(
    "org.frame.signature",
    r"(?P<name>[一-龥々ヶぁ-ゖァ-ヴーA-Za-z0-9・&.()\- ]{2,40}?)[ \n]*(?P<title>" + _TITLES + r")[ \n]*(?:兼[^ \n]{1,10}[ \n]*)?" + _PERSON + r"(?![一-龥々])",
    examples=(
        "北風運輸株式会社\n代表取締役社長 鈴木 花子", "東雲大学 学長 佐藤一郎", "医療法人久仁会 鳴門山上病院\n理事長 山上 敦子",
        "あおば川市長 佐藤 花子",
    ),
    must_not=("理事長の任期",),
)
# What the words around a mention say of the body: it told them, looked into it, supplied the
# software, ran the work, was told, is the police, a parent group, a place, or a service.
# (feature, side, rule): "after" matches right after the mention (past an alias or a
# bracket), "before" ends right where it starts.
CONTEXT_RULES: tuple[tuple[str, str, Rule], ...] = (
    ("notifier", "after", rule(
        "org.context.notifier",
        r"(?:社)?(?:から|より)(?:の)?(?:連絡|報告|通知|指摘|通報|一報|問い合わせ|問合せ|照会|要請|指示|依頼)",
        examples=("から連絡を受け",), documents=("当社は2024年3月5日、株式会社カードネットから連絡を受け、通販サイトの調査を開始しました。",),
    )),
    ("investigator", "after", rule(
        "org.context.investigator",
        r"(?:社)?(?:による|の)?(?:調査|フォレンジック|解析|分析)|(?:社)?に(?:調査|解析|分析)を(?:依頼|委託)",
        examples=("による調査の結果", "に調査を依頼"),
        documents=("株式会社サクラ食品は、株式会社セキュアラボによる調査の結果、カード情報が流出した可能性があると発表した。",),
    )),
    ("vendor", "after", rule(
        "org.context.vendor",
        r"(?:社)?(?:が提供する|の提供する|製の?|が開発した|が販売する|のシステム|のサービス|のソフト)",
        examples=("が提供する決済モジュール",),
        documents=("弊社サイトにおいて、株式会社ペイテックが提供する決済モジュールが改ざんされました。\n株式会社ハルカ商事",),
    )),
    ("contractor", "before", rule(
        "org.context.contracted",
        r"(?:(?:委託先|委託業者|委託事業者|再委託先|業務委託先|受託事業者|受託者|保守業者|業者|取引先|ベンダー)(?:である|の|は|[::])?"
        r"|(?:委託|再委託|発注)(?:している|していた|する|した)(?:[一-龥ァ-ヴー]{0,8}の?)?|(?:委託|発注)先(?:の|である))\s?",
        examples=("業務を委託している", "委託していた人材派遣大手"),
        documents=("あおば川市は12日、市が業務を委託している株式会社ミナトシステムのサーバーが感染したと発表した。",),
    )),
    ("contractor", "after", rule(
        "org.context.contractor",
        r"(?:社)?(?:に(?:業務を|運営を|運用を|保守を|作業を)?(?:委託|再委託|発注)|へ(?:委託|発注))",
        examples=("に業務を委託しており",),
        documents=("本市は株式会社ミナトシステムに業務を委託しており、同社のサーバーが感染しました。本市は12日に発表した。",),
    )),
    ("recipient", "after", rule(
        "org.context.recipient", r"(?:へ|に)(?:報告|届出|届け出|相談|通報|被害届|速報|確報)",
        examples=("へ報告いたしました",),
        documents=("本学の教員のパソコンが感染しました。本学は同日、文部科学省へ報告いたしました。\n東雲大学",),
    )),
    ("authority", "after", rule(
        "org.context.police", r"警",
        examples=("警は20日",), documents=("北斗県警は20日、ミドリ物産の元社員を逮捕した。ミドリ物産によると、顧客情報が流出したという。",),
    )),
    ("parent", "after", rule(
        "org.context.parent", r"(?:は、?(?:連結)?)?(?:の)?(?:傘下|系列|グループ会社|子会社|関連会社)",
        examples=("傘下のアオバ物流",),
        documents=("大手流通グループのミツバホールディングス傘下のアオバ物流は15日、情報が流出したと明らかにした。",),
    )),
    ("locator", "after", rule(
        "org.context.place",
        r"(?:北部|南部|東部|西部|中部|北西部|北東部|南西部|南東部|沿岸部|内)?(?:にある|に本社を置く|に本社がある|に拠点を置く)"
        r"|(?:の|内の|市内の)\s?(?:[一-龥々ァ-ヶーA-Za-z0-9・ぁ-ゖ]{0,12}?"
        r"(?:会社|企業|法人|病院|医院|クリニック|学校|小学校|中学校|高校|高等学校|大学|学園|店|店舗|旅館|ホテル|施設|事業者|業者|団体|工場|"
        r"株式会社|有限会社|合同会社|銀行|信用金庫)|「|株式会社|有限会社|学校法人|医療法人|社会福祉法人)",
        examples=("にある、", "の中学校", "の私立みなと学園高校"),
        documents=("北海道東部にある、しらかば町立病院は3日、ランサムウェアに感染したと発表した。",),
    )),
    ("locator", "before", rule(
        "org.context.bracketed_place", r"[)）」][(（]|[一-龥ァ-ヴーA-Za-z][(（]|(?:本社|本部|所在地)[::・]?",
        examples=("ミドリ物産(",), documents=("保険代理店「みらい保険」(神戸市)の元社員が逮捕された。みらい保険によると、顧客情報が閲覧されたという。",),
    )),
    ("service", "before", rule(
        "org.context.service",
        r"(?:運営|提供|運用|展開)(?:する|している|しております)[^「『。、]{0,15}[「『]|(?:サービス|サイト|アプリ|ストア|ショップ|ポータル)[「『]",
        examples=("当社が運営する会員サービス「",),
        documents=(
            "ベルテックスポイントクラブにおける不正ログインについて\n"
            "当社が運営する会員サービス「ベルテックスポイントクラブ」において不正ログインが発生しました。\n株式会社ベルテックス",
        ),
    )),
)
_PLACE_ONLY = frozenset({"locator"})
_PAREN_AFTER = re.compile(r"[ ]?\([^()\n]{1,40}\)")
_SUBJECT_AFTER_QUOTE = re.compile(r"[」』](?:[(（][^)）]{1,30}[)）])?(?:は|が|では|によると)")
_PARENT_AFTER = re.compile(r"(?:傘下|系列|グループ会社|子会社|の子会社|の関連会社)")
_PLACE_CORE = re.compile(r"(?:都|道|府|県|市|区|町|村)$")
_AUTHORITY = re.compile(
    r"警察|警視庁|県警|府警|道警|警察署|サイバー犯罪|個人情報保護委員会|総務省|経済産業省|厚生労働省|文部科学省|金融庁|"
    r"デジタル庁(?=へ|に報告)|IPA|JPCERT|情報処理推進機構|消費者庁|カード会社|クレジットカード会社|決済代行会社|"
    r"国民生活センター|東京商工リサーチ|帝国データバンク|フォレンジック|セキュリティ会社|調査会社|法律事務所|弁護士"
)
# Words that are never a body's name, whatever frame they stand in.
_BAD_NAME = re.compile(
    r"^(?:弊社|当社|同社|本社|自社|他社|各社|両社|子会社|親会社|本学|当院|同大|同大学|同病院|同機構|同市|同町|同県|同村|同区|同校|同園|"
    r"同法人|同協会|同会|同グループ|同店|同行|同省|同庁|本件|今回|これ|それ|当該|調査|第三者|個人情報|顧客情報|大学|病院|学校|会社|企業|"
    r"市|県|町|村|区|国|政府|警察|委員会|事業者|運営会社|業者|店舗|関係者|担当者|全員|一部|同|本|当|各|全|計|約|最大|犯人|容疑者|"
    r"男|女|男性|女性|元社員|社員|職員|従業員|同日|当日|翌日|今年|昨年|今月|先月|本日|現在|その後|ただ|なお|また|一方|しかし|"
    r"[一二三四五六七八九十0-9]+つ目|[0-9]+件目|最初|最後|次|続いて|ほか|お?問(?:い)?合(?:わ)?せ先|連絡先|担当課|担当部署|"
    r"[0-9.\-]+)$"
    r"|[はがをにでと又]$|(?:する|した|して|いる|ない|れる|れた|られ|もしく|或い)$|[0-9]+(?:年|月|日|件|名|人)"
    # staff and their things are not a body: 従業員PC, 職員用パソコン, 社員のメール
    r"|^(?:元?(?:従業員|職員|社員|教職員|教員|担当者))(?=[A-Za-zァ-ヴ一-龥])"
    r"|(?:段階|時点|現在|以降|以前|当初|発表|公表|報告|調査|対応|確認|結果|原因|経緯|詳細|概要|状況)$"
    # a machine is not a body: 予約管理PC, 業務用パソコン, 基幹サーバー
    r"|(?:PC|パソコン|サーバー?|端末|USBメモリー?|ノートPC|タブレット|スマートフォン|スマホ|複合機)$"
    r"|(?:市長|町長|村長|区長|知事|学長|総長|院長|理事長|社長|会長|校長|教育長|所長|部長|課長|担当者|代表者?)$"
    r"|(?<=[一-龥々ァ-ヴーぁ-ゖ])(?:氏|さん|様)$"  # a person: 村井氏, 由香里さん
    r"|^各[一-龥]"  # 各年, 各社: every one of a kind
    r"|^(?:うちの|我が|わが|私の|僕の|地元の)"  # うちの市: the writer's own, named elsewhere
    rf"|^(?:{_FIRST_PERSON_WORDS})$"
)
# A name that ends like a thing, not a body: 通販サイト, 顧客情報, 電子カルテシステム
_THING_TAIL = re.compile(
    r"(?:サイト|ストア|ショップ|システム|サーバー?|ネットワーク|情報|データ|メール|アドレス|ファイル|パソコン|端末|書類|"
    r"アカウント|サービス|ページ|事案|事件|被害|攻撃|ウイルス|ウェア|アプリ|カード|番号|ソフト|プログラム|フォーム|画面|"
    r"名簿|一覧|リスト|台帳|資料|記録|帳票|通知書?|成績|カルテ|部品|モジュール)$"
)
_EVENT_WORD = re.compile(rf"{LEAK}|不正|攻撃|被害|紛失|誤送信|感染|発覚|判明|ランサム|詐欺|お詫び|お知らせ")
_GENERIC_KATAKANA = re.compile(
    r"^(?:オンライン|オンラインショップ|オンラインストア|ネットショップ|ショップ|ストア|ウェブ|メルマガ|メールマガジン|メールニュース|ニュースレター|アプリ|ポイント|キャンペーン|"
    r"プレゼント|イベント|セミナー|ポータル|マイページ|サービス|ログインID|"
    r"クレジットカード|カード|サイト|ウェブサイト|ホームページ|メール|メールアドレス|サーバー?|システム|ネットワーク|データ|ファイル|"
    r"パソコン|ランサムウェア|マルウェア|フィッシング|セキュリティ|サイバー|インシデント|アカウント|パスワード|ログイン|ECサイト|ネット|"
    r"クラウド|USBメモリ?|ID|PC|Web|WEB|EC|SNS|AI|IT|URL|[A-Z]{1,2}|ニュース|トピックス|ランキング|プレスリリース|リリース)$"
)
# The first person a notice uses tells the kind of body that speaks: 本学 a university.
_FIRST_PERSON_KIND = (
    (re.compile(r"弊社|当社|弊グループ|当グループ"), re.compile(rf"(?:{LEGAL_RE.pattern})|ホールディングス$|グループ$")),
    (re.compile(r"本学|弊学|当学"), re.compile(r"大学|学園|学院|高等専門学校")),
    (re.compile(r"当院|本院|弊院"), re.compile(r"病院|医院|クリニック|医療センター|診療所")),
    (re.compile(r"本市|当市"), re.compile(r"市$|市教育委員会$")),
    (re.compile(r"本町|当町"), re.compile(r"町$")),
    (re.compile(r"本村|当村"), re.compile(r"村$")),
    (re.compile(r"本県|当県"), re.compile(r"県$")),
    (re.compile(r"本校|当校"), re.compile(r"学校$|高校$")),
    (re.compile(r"当機構|本機構|弊機構"), re.compile(r"機構$")),
    (re.compile(r"弊財団|当財団|本財団"), re.compile(r"財団")),
    (re.compile(r"弊協会|当協会|本協会"), re.compile(r"協会$")),
    (re.compile(r"本会|当会|弊会"), re.compile(r"会$|連合会$|協会$")),
    (re.compile(r"当組合|本組合|弊組合"), re.compile(r"組合$")),
    (re.compile(r"当センター|本センター"), re.compile(r"センター$")),
    (re.compile(r"弊行|当行|本行"), re.compile(r"銀行$")),
)

# Weights of the features; a body's score is their sum. Set by hand from what notices and
# articles do (and checked on ../shared/corpus); the reasons are in the feature names.
WEIGHTS: dict[str, float] = {
    "title_lead": 4.0,  # a headline opens with the body it is about
    "column": 5.0,  # the cell under a table's 組織 column, in the item's row
    "title": 2.0,
    "announce": 4.0,  # Xは…と発表した / 公表 / お詫び
    "according": 2.5,  # Xによると
    "operates": 2.0,  # Xが運営する「…」
    "run_by": 3.0,  # 「…」を運営するX
    "operator": 5.0,  # (the site's news told,) 運営する株式会社Xは / 運営元のX
    "subject": 1.0,  # Xは… (a sentence about X)
    "patronised": 3.0,  # いつもXをご利用いただき: a shop greets its customers
    "employer": 2.5,  # Xの元社員が: the body whose insider it was
    "described": 2.5,  # 飲食店経営のX / 傘下のX
    "subsidiary": 4.0,  # 連結子会社のX: the group announces its subsidiary's incident
    "quoted_body": 2.0,  # 会社「X」
    "sha": 1.5,  # X社は
    "head": 2.5,  # X市の山田市長は
    "representative": 1.0,  # X 代表取締役 山田太郎 (anywhere: also a list of committee members)
    "own_line": 1.0,  # a line that holds only the name (and a department, a reading)
    "header": 2.5,  # at the top of a notice, before its prose
    "signature": 3.0,  # above 代表取締役 …, or alone on a line, at the top or foot of a notice
    "foot": 0.8,  # in the lines after a notice's last sentence
    "first_person_kind": 2.5,  # 本学 and a university
    "legal": 0.5,
    "public": 0.3,
    "repeat": 0.6,  # per further mention, up to 5
    "early": 1.0,  # first named in the segment's first sentences
    "referred": 0.5,  # the body 同社 / 同市 / 同大 points back to (an article names it once)
    "notifier": -3.0,  # Xから連絡を受け
    "investigator": -3.5,  # Xによる調査
    "vendor": -3.0,  # Xが提供する
    "contractor": -2.5,  # 委託先であるX / Xに委託
    "recipient": -3.0,  # Xへ報告
    "authority": -6.0,  # police, the commission, card companies, investigators by kind
    "locator": -2.5,  # 〈地名〉の〈…〉: a place that locates the subject
    "parent": -2.0,  # X傘下の
    "service": -4.0,  # 運営する「X」: the service, not the body
}


@dataclass
class Entity:
    core: str
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, name as written)
    features: dict[str, float] = field(default_factory=dict)
    canonical: str | None = None  # the full name an alias was defined for: X(以下「Y」)

    def add(self, feature: str, value: float = 1.0) -> None:
        self.features[feature] = max(self.features.get(feature, 0.0), value)

    @property
    def score(self) -> float:
        return sum(WEIGHTS[f] * v for f, v in self.features.items())

    @property
    def first(self) -> int:
        return min(s for s, _, _ in self.mentions)


# A headline or a lead names the kind of body before (or instead of) its name: 精密部品メーカー,
# オンラインゲーム, 調剤薬局チェーン, 県のアンケート, チケット購入者. A bare name that ends in such
# a word describes; it does not name.
_DESCRIPTOR_TAIL = re.compile(
    r"(?:メーカー|ゲーム|ホテル|スーパー|旅館|薬局|チェーン|企業|会社|業者|事業者|店|店舗|ショップ|サイト|アプリ|システム|サービス|通販|"
    r"自治体|団体|NPO|機関|用品|製品|商品|アンケート|者|員|後|中|時|施設|病院|大学|学校|銀行|大手|業界|各社|業|系|向け|関連)$"
)


# A company name that carries no legal form in news often ends like one.
_COMPANY_TAIL = re.compile(
    r"(?:商店|商会|商事|商社|物産|工業|産業|興業|製作所|製薬|薬品|電機|電気|電工|工房|観光|建設|運輸|通商|酒造|醸造|印刷|出版|"
    r"新聞|放送|書店|薬局|本舗|総研|堂|屋|舎|館|園|庵|亭|ホールディングス|グループ|ジャパン)$"
)


_KATA_LATIN = re.compile(r"[ァ-ヴA-Za-z]")
_ALL_KANA_LATIN = re.compile(r"[ァ-ヴーA-Za-z0-9・&.\- ]+")
_KANA = re.compile(r"[ぁ-ゖ]")
_KANJI = re.compile(r"[一-龥]")
_SHA_END = re.compile(r"(?<=[ァ-ヴーA-Za-z0-9])社$")
_REFLEXIVE_END = re.compile(r"(?<=..)(?:自身|自体)$")
# A writer naming itself by its role: 当チーム, 今期当チーム, 弊財団, 本研究所
_SELF_REFERENCE = re.compile(r"^(?:今期|今回|今月|今週|今年度?|本稿で?)?(?:当|弊|本)(?:チーム|編集部|研究所|ブログ|サイト|財団|法人|機構|協会|組合|グループ)$")
# "…である駿河屋", "宅配事業を展開するX", "物流業を営むX", "家具製造販売会社X": what stands before the name
_DESCRIPTOR_SPLIT = re.compile(
    r"である|にある|(?:展開|運営|経営|提供|手掛け|手がけ)(?:する|している)(?=.{2})|営む(?=.{2})|"
    r"(?<=[一-龥]{2})(?:会社|企業|メーカー|業者)(?=[一-龥ァ-ヴA-Za-z]{2})"
)
_LATIN_SPACE = re.compile(r"[A-Za-z] [A-Za-z]")
_COINED_HEAD = re.compile(r"[ぁ-ゖ]{2,}[一-龥々ヶ]")
_CARRIER = re.compile(r"(?:USB|メモリー?|ハードディスク|HDD|SSD|DVD|CD-R|ノートパソコン|タブレット|スマートフォン|書類|名簿|封筒|かばん|鞄|ファイル)$")
_ITEM_LIST = re.compile(r"(?:情報|アドレス|番号|氏名|住所|名前)(?:・|等|など|及び)|等$|など$")
_DOMAIN_OR_COUNT = re.compile(r"\.(?:jp|com|net|org|co|shop|info|biz)$|[0-9]+[千万億]?(?:台|件|名|人|点|回|個|枚|通|万|億)")
# (R6.5.13, H30.7.1: a date written with its era's initial)
_DATE_BIT = re.compile(r"[0-9]{1,2}月|[0-9]日|^[0-9]|^[RHSTM][0-9]{1,2}[./][0-9]{1,2}(?:[./][0-9]{1,2})?$")
_WS = re.compile(r"\s+")
_BRACKET_LEAD = re.compile(r"\s*【(?P<n>[^】]{2,30})】")


_POINTER_NAME = re.compile(r"[同当本弊](?:サービス|システム|サイト|ストア|アプリ|社|店|市|町|村|県|校|大学|病院|法人|機構|協会|センター|グループ|会|施設)")


def _looks_proper(name: str, quoted: bool, strong: bool = False) -> bool:
    """Whether a name without legal form or public suffix reads as a proper name, not a common noun.

    `strong` frames (X社, 会社「X」, …を経営するX) name a body whatever the word; in weak ones
    (Xは…, a headline's lead) one word the dictionary knows (オンライン, ホテル) is no name.
    """
    if quoted:
        return True
    if _POINTER_NAME.match(name):
        return False  # 同サービス全体, 同社内: what the text pointed back to, not a name
    if strong and len(name) >= 3 and not _KANJI.search(name) and not _KATA_LATIN.search(name):
        return True  # いつもことのはをご利用いただき: a kana name a strong frame gives
    if _KATA_LATIN.search(name):
        if strong:
            return True
        toks = _name_tokens(name)
        return not (len(toks) == 1 and toks[0].pos2 == "普通名詞" and toks[0].lemma != toks[0].surface)
    if _KANA.search(name) and _KANJI.search(name):
        return True  # ひだまり観光: kana and kanji mixed is a coined name
    if _COMPANY_TAIL.search(name):
        return True
    return any(t.pos2 == "固有名詞" and not _PLACE_CORE.search(t.surface) for t in _name_tokens(name))


_DEPARTMENT = re.compile(r"(?:(?<!倶)[^学]部|課|室|係|班|局|支所|出張所|窓口)$")  # (倶楽部 is a club)


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[Token, ...]:
    """The words of a candidate name. Names repeat across a text and across texts: the
    results (immutable) are kept; functools' cache is safe to share between threads."""
    return tuple(tokens(name))


def _all_common(name: str) -> bool:
    """Whether every word of a name is a common noun (旅館, 調剤薬局, 家具・インテリア雑貨)."""
    toks = [t for t in _name_tokens(name) if t.pos != "補助記号"]
    return bool(toks) and all(t.pos == "名詞" and t.pos2 == "普通名詞" or t.pos == "接尾辞" for t in toks)


def _noun_phrase(words: str) -> bool:
    """Whether words are one noun phrase (ガラス工芸団体, 市教委), not a clause (システムを使用)."""
    return all(t.pos in ("名詞", "接尾辞", "接頭辞", "補助記号") for t in _name_tokens(words))


def _clean_bare(raw: str, strong: bool = False) -> str | None:
    """A bare name as a frame gave it, trimmed of quotes, 社 and descriptors; None if no name.

    A strong frame (会社「X」, X社, Xの元社員) names a body whatever its words: it is trusted
    like a quoted name.
    """
    quoted = strong or raw.strip().startswith(("「", "『"))
    name = raw.strip().strip("「」『』").strip(" ・.-")
    name = _SHA_END.sub("", name)
    name = _REFLEXIVE_END.sub("", name)  # "X自身は…": X
    if _SELF_REFERENCE.match(name):
        return None  # 今期当チーム, 弊財団: the writer itself, named by its role
    # "…である駿河屋", "大阪ガスの子会社であるX": what follows the last descriptor
    name = _DESCRIPTOR_SPLIT.split(name)[-1]
    # "リーフティー専門店 茶話": a kind of shop, a space, its name
    if " " in name and not _LATIN_SPACE.search(name):
        head, _, rest = name.rpartition(" ")
        if _DESCRIPTOR_TAIL.search(head) or head.endswith(("専門店", "店", "メーカー")):
            name = rest
    if len(name) < 2 or len(name) > 40:
        return None
    if _BAD_NAME.search(name) or _GENERIC_KATAKANA.match(name) or names_no_body(name):
        return None
    if not quoted and "向け" in name:
        return None  # 会員向けポータル: what a thing is for, no body's name
    if not quoted and _THING_TAIL.search(name) and (_all_common(name) or len(name) <= 4):
        return None  # 通販サイト, クラウドサービス (a quoted 「みらい保険サービス」 is a name)
    if _ITEM_LIST.search(name) or _CARRIER.search(name):
        return None  # 配送先情報・メールアドレス等: a list of leaked items; 成績入りUSBメモリー: what held them
    if _DOMAIN_OR_COUNT.search(name):
        return None  # hanayomi-kobo.jp is a site; パソコン3台 a count
    if _DEPARTMENT.search(name):
        return None  # 県子育て支援課: a department speaks for its body, it is not the body
    if not quoted and _DESCRIPTOR_TAIL.search(name) and _all_common(name):
        return None  # 旅館, 調剤薬局: a kind of body
    if _EVENT_WORD.search(name) or _DATE_BIT.search(name):
        return None
    if not quoted and _DESCRIPTOR_TAIL.search(name) and not _COMPANY_TAIL.search(name) and not _COINED_HEAD.match(name):
        return None  # (あさぎ野保険サービス: a coined head, kana and kanji, makes the kind a name)
    return name


def _suffix_head(core: str) -> str:
    """What stands before a public body's suffixes (みなと学園高校 → みなと)."""
    head = core
    while (m := _SUFFIX_END.search(head)) and m.start() > 0:
        head = head[: m.start()]
    return head


def _cut_word(text: str, o: OrgMention) -> bool:
    """A public body's name that a word's kana cut: one kanji before its suffix, kana and
    kanji before that ("皮ふ|科クリニック"): a kind of body, not a name."""
    if o.rule.startswith("org.legal") or o.start < 2:
        return False
    return len(_suffix_head(o.core)) == 1 and "ぁ" <= text[o.start - 1] <= "ゖ" and bool(_KANJI.match(text[o.start - 2]))


def _named_body(core: str) -> bool:
    """Whether a public body's name names one body (みなと学園高校, 桐ヶ丘高校), not a kind of
    body (歯科医院, 市立の中学校): what stands before its suffix is a coined word or a proper noun."""
    head = _suffix_head(core)
    if len(head) < 2 or head == core:
        return False
    return bool(_KANA_OR_KATA.search(head)) or not _all_common(head)


_SUFFIX_END = re.compile(rf"(?:{PUBLIC_SUFFIX})$")
_KANA_OR_KATA = re.compile(r"[ぁ-ゖァ-ヴ]")


def _same_body(a: str, b: str) -> bool:
    """Whether two core names name one body (武蔵小杉病院 in 日本医科大学武蔵小杉病院)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 2:
        return False
    if long_.startswith(short) and _SERVICE_PART.search(long_[len(short) :]):
        return False  # ワコム and ワコムストア: a body and its shop
    if long_.endswith(short) and long_[-len(short) - 1] in "・ ":
        return False  # パティスリー・ルポ and ルポ: a shop's name and the company that runs it
    if long_.startswith(short) or long_.endswith(short):
        # 岡山県 is not 岡山県立大学: a place is one body only with its own suffix.
        return not (_PLACE_CORE.search(short) and len(long_) > len(short) + 1)
    return False


_SERVICE_PART = re.compile(r"ストア|ショップ|サイト|オンライン|公式|通販|モール|アプリ|ネット|クラブ|ポイント|カード|サービス|マイページ|STORE|SHOP|Store|Shop|\.(?:jp|com)")


class _Entities:
    """The bodies of one segment, each with its mentions and features."""

    def __init__(self) -> None:
        self.items: list[Entity] = []

    def get(self, core: str) -> Entity:
        key = _WS.sub("", core)
        for e in self.items:
            if _same_body(_WS.sub("", e.core), key):
                if len(key) > len(_WS.sub("", e.core)) and not _PLACE_CORE.search(key):
                    e.core = core  # the fuller spelling names it
                return e
        e = Entity(core)
        self.items.append(e)
        return e

    def mention(self, start: int, end: int, name: str, core: str) -> Entity:
        e = self.get(core)
        if (start, end, name) not in e.mentions:
            e.mentions.append((start, end, name))
        return e


def _zones(text: str, seg: Segment) -> tuple[int, int]:
    """(end of the header, start of the signature): a notice's top before its prose, its foot after."""
    s0, e0 = seg.start, seg.end
    first_stop = text.find("。", s0, e0)
    header_end = min(e0, s0 + 220, first_stop if first_stop >= 0 else e0)
    # The line that holds the first sentence starts the body.
    ls = text.rfind("\n", s0, header_end) if header_end > s0 else -1
    if ls > s0 and header_end - ls > 30:
        header_end = ls
    last_stop = text.rfind("。", s0, e0)
    foot = max(last_stop + 1, e0 - 300) if last_stop >= 0 else e0 - 200
    return header_end, max(s0, foot)


# Where a frame can start: a name at a boundary with a particle after it. One scan finds
# these; the frames that begin with a name are then matched only there.
_CANDIDATE = re.compile(rf"{_LEFT_DESCRIBED}(?:{LATIN_SP}|{BARE}|「[^」\n]{{1,30}}」){_PAREN}(?=(?P<tail>は|では|が|も|の|によ))")
_OPERATED_BY = re.compile(rf"が(?:{'|'.join(_RUNNING)})する")
# The particles each frame that begins with a name can have after it.
_NAME_FIRST: dict[str, frozenset[str]] = {
    "org.frame.announce": frozenset({"は", "では", "が", "も"}),
    "org.frame.subject": frozenset({"は", "では", "が"}),
    "org.frame.according": frozenset({"の", "によ"}),
    "org.frame.operates": frozenset({"が", "の", "は"}),
    "org.frame.employer": frozenset({"の"}),
}

# Frames with no cheap first character are run only near the word they hinge on.
_TITLE_WORD = re.compile(_TITLES)
_HEAD_TITLE = re.compile(r"(?:市長|町長|村長|区長|知事|学長|総長|院長|病院長|理事長|社長|会長|校長|教育長|所長|センター長)(?:は|が|らが|も|と)")


def _frame_matches(
    r: Rule, text: str, s0: int, s1: int, anchor: re.Pattern[str] | None, starts: list[tuple[int, str]] | None = None
) -> list[re.Match[str]]:
    """The matches of a frame in text[s0:s1]: at the name candidates' starts for frames that
    begin with a name, in windows around an anchor word, or everywhere."""
    if starts is not None and r.id in _NAME_FIRST:
        tails = _NAME_FIRST[r.id]
        return [m for m in (r.match(text, p, s1) for p, tail in starts if tail in tails) if m is not None]
    if anchor is None:
        return list(r.finditer(text, s0, s1))
    out: list[re.Match[str]] = []
    last = s0
    for a in anchor.finditer(text, s0, s1):
        lo = max(last, a.start() - 48)
        m = r.search(text, lo, min(s1, a.end() + 16))
        while m is not None and m.end() <= a.start():
            m = r.search(text, m.end(), min(s1, a.end() + 16))
        if m is not None:
            out.append(m)
            last = m.end()
    return out


def _mark_context(text: str, ent: Entity, start: int, end: int, seg: Segment, pointer: bool = False) -> None:
    """Features from what stands right around one mention (of a pointer, 同社, only what
    speaks for the body: 同社の調査 is its own investigation, not an investigator's)."""
    paren = _ALIAS.match(text, end) or _PAREN_AFTER.match(text, end)
    after_at = paren.end() if paren else end
    after_end = min(seg.end, after_at + 24)
    lo = max(seg.start, start - 16)
    for feature, side, r in CONTEXT_RULES:
        if pointer and WEIGHTS[feature] < 0:
            continue
        if feature in _PLACE_ONLY and not _PLACE_CORE.search(ent.core):
            continue  # only a place locates another body
        if feature == "service" and _SUBJECT_AFTER_QUOTE.match(text, after_at, after_end):
            continue  # 「さかや大黒」(山形市)は: the quoted name is the subject, not a service
        if feature == "service" and (not text.startswith(("」", "』"), after_at) or text.startswith(("」社", "』社"), after_at)):
            continue  # (…を提供する「リブラノート」社: the quoted name with 社 is the company)
        if side == "after":
            hit = r.match(text, after_at, after_end)
        else:
            hit = next((m for m in r.finditer(text, lo, start) if m.end() == start), None)
        if hit is not None:
            ent.add(feature)


def pick_org(text: str, seg: Segment, orgs: list[OrgMention], first_person: bool) -> tuple[str, str, Span, str] | None:
    """(name as written, core name, span, rule id) of the body a segment is about."""
    return choose(text, seg, orgs, rank_bodies(text, seg, orgs, first_person))


def choose(text: str, seg: Segment, orgs: list[OrgMention], bodies: list[Entity]) -> tuple[str, str, Span, str] | None:
    """The best of the ranked bodies, spelled as the text spells it, with its deciding features."""
    if not bodies or bodies[0].score < 1.0:
        return None
    best = bodies[0]
    start, end, name = _spelled(text, best, seg.start, seg.end)
    start, end, name = _with_operator(text, orgs, start, end, name)
    top = sorted((f for f in best.features if WEIGHTS[f] > 0), key=lambda f: -WEIGHTS[f] * best.features[f])[:3]
    return name, core_name(name), (start, end), "org.rank:" + "+".join(top)


def third_party(bodies: list[Entity]) -> Entity | None:
    """The contractor or vendor among the bodies that are not the subject, if one is named."""
    named = [
        b for b in bodies[1:]
        if (b.features.get("contractor") or b.features.get("vendor")) and not b.features.get("authority")
    ]
    return max(named, key=lambda b: (b.features.get("contractor", 0) + b.features.get("vendor", 0), -b.first)) if named else None


def rank_bodies(text: str, seg: Segment, orgs: list[OrgMention], first_person: bool) -> list[Entity]:
    """Every body the segment names, best first, with the features that scored it."""
    s0, e0 = seg.start, seg.end
    scan_end = min(e0, s0 + 4000)
    ents = _Entities()
    orgs = [o for o in orgs if not _cut_word(text, o)]
    for o in orgs:
        if o.start >= scan_end and len(ents.items) > 40:
            break
        e = ents.mention(o.start, o.end, o.name, o.core)
        e.add("legal" if o.rule.startswith("org.legal") else "public")

    starts = [(m.start(), m.group("tail")) for m in _CANDIDATE.finditer(text, s0, scan_end)]
    for m in _OPERATED_BY.finditer(text, s0, scan_end):
        # (the scan above reads "るかすみ台記念病院" as one run: the name starts after the verb)
        c = _CANDIDATE.match(text, m.end(), scan_end)
        if c is not None:
            starts.append((c.start(), c.group("tail")))

    def framed(r, feature: str, strong: bool = False, anchor: re.Pattern[str] | None = None) -> None:
        for m in _frame_matches(r, text, s0, scan_end, anchor, starts):
            raw = m.group("name")
            title = m.groupdict().get("title") or ""
            if title in ("市長", "町長", "村長", "区長"):
                raw += title[0]  # あおば川市長 佐藤花子: the mayor signs for あおば川市
            rs, re_ = m.span("name")
            whole = [o for o in orgs if o.end == re_ and rs <= o.start and not title]
            if whole:
                # "ユメミ証券株式会社は…と発表": the frame's name is a name found whole
                o = whole[-1]
                ents.mention(o.start, o.end, o.name, o.core).add(feature)
                continue
            name = _clean_bare(raw, strong)
            if not name:
                continue
            # (what runs a business is a body whatever its words: …の通販を手がける綿雲珈琲焙煎所)
            proper = _looks_proper(name, m.group("name").startswith("「"), strong) or (feature == "run_by" and len(name) >= 4)
            if not proper and not any(
                o.start <= m.start("name") < o.end or m.start("name") <= o.start < m.end("name") for o in orgs
            ):
                continue
            ns = text.find(name, m.start("name"), m.end())  # (あおば川市: the 市 of 市長 is past the name's group)
            if ns < 0:
                continue
            inner = [o for o in orgs if o.start <= ns < o.end or ns <= o.start < ns + len(name)]
            if inner:
                o = inner[-1]
                ent = ents.mention(o.start, o.end, o.name, o.core)
            else:
                ent = ents.mention(ns, ns + len(name), name, core_name(name))
            ent.add(feature)

    framed(ANNOUNCE, "announce")
    framed(SUBJECT, "subject")
    framed(PATRONISED, "patronised", strong=True)
    framed(EMPLOYER, "employer", strong=True)
    framed(ACCORDING, "according")
    framed(CLEFT, "announce")
    framed(QUOTED_ANNOUNCE, "announce")
    framed(SHA, "sha", strong=True)
    framed(QUOTED_BODY, "quoted_body", strong=True)
    framed(SAN, "quoted_body", strong=True)
    framed(OPERATES, "operates")
    framed(RUN_BY, "run_by", strong=True)
    framed(OPERATOR, "operator", strong=True)
    framed(DESCRIBED, "described", strong=True)
    framed(SUBSIDIARY, "subsidiary", strong=True)
    framed(HEAD_OF, "head", strong=True, anchor=_HEAD_TITLE)
    framed(SIGNATURE, "representative", strong=True, anchor=_TITLE_WORD)

    # A headline's lead: "X、…" / "Xで…流出" / "【X】…" / "株式会社X …"
    title_end = -1
    if seg.title and seg.title_start is not None:
        nl = text.find("\n", seg.title_start, e0)
        title_end = min(e0, seg.title_start + len(seg.title) + 2) if nl < 0 else nl
        tail = _TITLE_TAIL.search(text, seg.title_start, title_end)
        if tail is not None and not _noun_phrase(tail.group("n")):
            tail = None  # "… - ショーケース製システムを使用": a subtitle
        lead = _title_lead(text, seg.title_start, title_end) if tail is None else tail.span("n")
        if lead and _MASTHEAD_AFTER.match(text, lead[1]) and not text[max(0, seg.title_start - 40) : lead[0]].strip(" \t\n"):
            lead = None  # "テックリスク通信ニュース / インシデント…", "瑞穂新報 地域版 …": the site's or paper's name
        if lead:
            ls, le = lead
            # "ミナトヤ通販は…" cut at its story word, when the text names 株式会社ミナトヤ通販 in full
            more = _full_name_rest(text, text[ls:le], max(0, s0 - 3000), min(len(text), e0 + 3000)) if le - ls >= 2 else None
            in_full = more is not None and text.startswith(more, le) and _PARTICLE_AFTER.match(text, le + len(more)) is not None
            if in_full:
                le += len(more)  # type: ignore[arg-type]
            name = text[ls:le] if in_full else _clean_bare(text[ls:le])
            inner = [o for o in orgs if ls <= o.start < le + 1 or o.start <= ls < o.end]
            if name and not inner and text.startswith("の", le) and not (_ALL_KANA_LATIN.fullmatch(name) or _COMPANY_TAIL.search(name)):
                name = None  # "受給者証の写しの誤送信": what the title is about, not who
            if name and not inner and not in_full and (_SUFFIX_END.search(name) or _DESCRIPTOR_TAIL.search(name)) and _all_common(name) and not _COMPANY_TAIL.search(name) and (
                text[le:title_end].strip() and name not in text[title_end:e0]
            ):
                name = None  # "皮ふ科クリニックで…送信事件": a kind of body, which the prose names
            if name and not inner and not re.search("[A-Za-z]", name) and _all_common(name) and text.startswith(("に", "で", "の", "へ"), le) and text.find(name, title_end, e0) < 0:
                name = None  # "配送管理クラウドに不正アクセス": common words the prose never names again
            if name and _NOTICE_ONLY.fullmatch(name):
                name = None  # "おわびと訂正", "お知らせ": the notice's kind, no one's name
            if name and (inner or in_full or _looks_proper(name, False)):
                inner = [o for o in orgs if ls <= o.start < le + 1 or o.start <= ls < o.end]
                if inner:
                    o = inner[0]
                    # 大阪府の私立みなと学園高校は: the place locates the body that leads
                    after = next((p for p in orgs if o.end < p.start <= o.end + 4), None)
                    # (東浜市の社会福祉法人ひだまり会は: a body with its legal form too)
                    if after is not None and _PLACE_CORE.search(o.core) and text.startswith("の", o.end) and (
                        _named_body(after.core) or after.rule.startswith("org.legal")
                    ):
                        o = after
                    ents.mention(o.start, o.end, o.name, o.core).add("title_lead")
                else:
                    ents.mention(ls, ls + len(name), name, core_name(name)).add("title_lead")

    # "子会社名:X株式会社", "法人名:X": a label that names the entry's body
    for lab in tables.ORG_LABEL.finditer(text, s0, min(e0, s0 + 600)):
        o = next((o for o in orgs if lab.end() <= o.start <= lab.end() + 1), None)
        if o is not None:
            ents.mention(o.start, o.end, o.name, o.core).add("column")
            break

    # A table's row: the cell under its 組織 (会社名, 発表元 …) column names the body.
    if seg.title_start is not None and tables.CELL_BAR.search(text, seg.title_start, title_end if title_end > 0 else e0):
        cell = _org_cell(text, seg.title_start)
        if cell is not None:
            cs, ce = cell
            inner = [o for o in orgs if cs <= o.start < ce]
            if inner:
                ents.mention(inner[0].start, inner[0].end, inner[0].name, inner[0].core).add("column")
            elif (name := _clean_bare(text[cs:ce], strong=True)) is not None:
                ents.mention(cs, cs + len(name), name, core_name(name)).add("column")

    if not ents.items:
        return []
    _merge_aliases(text, ents)
    header_end, foot = _zones(text, seg)
    fp = FIRST_PERSON.findall(text, s0, scan_end)
    for ent in ents.items:
        # Every further spelling of the core in the segment is a mention too (bare repeats).
        key = ent.core
        count = text.count(key, s0, e0) if len(key) >= 2 else 0
        if count > 1:
            ent.add("repeat", min(5.0, count - 1))
        # What the text says of a body anywhere it names it, framed or not
        # (委託していた人材派遣大手パソナの元派遣社員 … パソナは被害届を提出した).
        if len(key) >= 2:
            seen = {s for s, _, _ in ent.mentions}
            for p in _positions(text, key, s0, e0)[:12]:
                if p not in seen:
                    _mark_context(text, ent, p, p + len(key), seg)
        for s, e, _ in list(ent.mentions):
            if seg.title_start is not None and seg.title_start <= s < title_end:
                ent.add("title")
            zone = s < header_end or s >= foot
            if s < header_end:
                ent.add("header")
            if s >= foot:
                ent.add("foot")
            if _own_line(text, s, e, orgs):
                ent.add("own_line")
                if zone:
                    ent.add("signature")
            _mark_context(text, ent, s, e, seg)
        if ent.features.get("representative") and any(
            s < header_end or s >= foot - 200 for s, _, _ in ent.mentions
        ):
            ent.add("signature")
        if ent.first - s0 < 300:
            ent.add("early")
        if _AUTHORITY.search(ent.core):
            ent.add("authority")
        if fp and not (ent.features.get("vendor") or ent.features.get("contractor")):
            # (a vendor or a contractor is not who speaks as 当社 of its own incident)
            for person, kind in _FIRST_PERSON_KIND:
                if any(person.fullmatch(w) for w in fp) and kind.search(ent.mentions[0][2] + " " + ent.core):
                    ent.add("first_person_kind")
                    break
    _resolve_referred(text, seg, ents.items)
    _drop_unrepeated_title_names(seg, title_end, ents.items)
    if not first_person:
        # Header and foot mean a notice's issuer only when the text speaks as one.
        for ent in ents.items:
            ent.features.pop("signature", None)
            ent.features.pop("foot", None)
    return sorted(ents.items, key=lambda e: (-e.score, e.first))


_KIND_SUFFIX = re.compile(r"(?:大学|病院|高校|高等学校|中学校|小学校|学園|市|町|村|県)$")


def _drop_unrepeated_title_names(seg: Segment, title_end: int, ents: list[Entity]) -> None:
    """A headline's body that the article never names again, while the article names another
    body of the same kind (資料ダウンロード|大学のサーバーに… over 中村学園大学…: a page's button
    glued to the headline's 大学), is no body: what made it is the glue."""
    if seg.title_start is None:
        return
    for ent in ents:
        kind = _KIND_SUFFIX.search(ent.core)
        if kind is None or not all(seg.title_start <= s < title_end for s, _, _ in ent.mentions):
            continue
        if any(
            o is not ent and any(n.endswith(kind.group()) for _, _, n in o.mentions) and any(s >= title_end for s, _, _ in o.mentions)
            and ent.core not in o.core and o.core not in ent.core
            for o in ents
        ):
            for f in ("title", "title_lead", "header", "early"):
                ent.features.pop(f, None)


# 同社, 同市, 同大学 …: an article names its body once, then points back to it; the word
# says what kind of body it points to.
_REFERRED = re.compile(r"同(?P<kind>社|グループ|市|町|村|区|県|府|大学|大|病院|院|クリニック|校|学園|会|協会|組合|機構|財団|法人|センター|店)(?![一-龥])")
_REFERRED_KIND = {
    "市": r"市$", "町": r"町$", "村": r"村$", "区": r"区$", "県": r"県$", "府": r"府$",
    "大学": r"大学", "大": r"大学", "病院": r"病院|医療センター", "院": r"病院|医院|クリニック", "クリニック": r"クリニック",
    "校": r"学校$|高校$|学院$", "学園": r"学園", "会": r"会$", "協会": r"協会$", "組合": r"組合$", "機構": r"機構$",
    "財団": r"財団", "法人": r"法人|会$", "センター": r"センター$", "店": r"店$|堂$|屋$",
}
_REFERRED_KINDS = {kind: re.compile(p) for kind, p in _REFERRED_KIND.items()}
_NOT_A_COMPANY = re.compile(r"(?:都|道|府|県|市|区|町|村|大学|病院|学校|高校|警察|警察署|県警|府警|庁|省|委員会)$")


_COMPANY_FRAMES = ("legal", "quoted_body", "sha", "described", "subsidiary", "employer", "patronised", "run_by", "operator")


def _a_company(ent: Entity) -> bool:
    """Whether 同社 can point to the body: a company by its name or by what the text says of it."""
    if _NOT_A_COMPANY.search(ent.core) or any(WEIGHTS[f] < 0 for f in ent.features):
        return False  # (nor a parent group, a contractor, a vendor: the text has named its role)
    return any(ent.features.get(f) for f in _COMPANY_FRAMES) or bool(_COMPANY_TAIL.search(ent.core) and not _all_common(ent.core))


def _resolve_referred(text: str, seg: Segment, ents: list[Entity]) -> None:
    """Give each 同社 (同市, 同大 …) to the body of its kind named last before it: what the
    text then says of it (同社によると, 同社は…と発表) is said of that body."""
    named = sorted((s, e, ent) for ent in ents for s, e, _ in ent.mentions if not _AUTHORITY.search(ent.core))
    if not named:
        return
    for m in _REFERRED.finditer(text, seg.start, seg.end):
        kind = m.group("kind")
        pattern = None if kind in ("社", "グループ") else _REFERRED_KINDS[kind]
        before = [
            (s, ent) for s, e, ent in named
            if e <= m.start() and (_a_company(ent) if pattern is None else pattern.search(ent.core))
        ]
        if not before:
            continue
        ent = before[-1][1]
        if not ent.features.get("referred"):
            ent.add("referred")
        _mark_context(text, ent, m.start(), m.end(), seg, pointer=True)


# What may stand beside a name on its own line: a contact label, a reading, a department.
_OWN_LINE_REST = re.compile(
    r"\s*(?:(?:問い?合わせ先|お問い?合わせ(?:先|窓口)?|連絡先|発表者|担当|発行)[::]?)?\s*(?:\([^)\n]*\))?\s*"
    r"(?:[一-龥ァ-ヴー]{1,12}(?:部|課|室|局|係|グループ|本部|センター|事務局|窓口|研究科|学部|学科|研究室)\s*)*(?:\([^)\n]*\))?\s*"
)


def _own_line(text: str, s: int, e: int, orgs: list[OrgMention]) -> bool:
    """Whether a name stands alone on its line (a notice's issuer line or signature)."""
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    le = len(text) if le < 0 else le
    if le - ls > 80:
        return False
    rest = text[ls:s] + " " + text[e:le]
    for o in orgs:
        if ls <= o.start and o.end <= le and not (o.start == s and o.end == e):
            rest = rest.replace(text[o.start : o.end], " ")
    return bool(_OWN_LINE_REST.fullmatch(rest))


def _spelled(text: str, ent: Entity, s0: int, e0: int) -> tuple[int, int, str]:
    """The mention that names the body as the text does: the spelling it uses most (an alias
    never beats the name it abbreviates), the fuller of equals, with its legal form kept."""
    first_at: dict[str, int] = {}
    for s_, _, name in sorted(ent.mentions):
        first_at.setdefault(core_name(name), s_)
    # (in a fixed order: the fuller first, then the first written; a set's order varies by run)
    spellings = sorted(first_at, key=lambda sp: (-len(sp), first_at[sp]))
    if ent.canonical:
        return next(m for m in ent.mentions if core_name(m[2]) == ent.canonical)

    # The fullest spelling, unless it only adds a part of the body (KADOKAWAグループ, 東京大学大学院),
    # a word of the sentence glued before it (不正閲覧シラサギ信用金庫, in text without breaks),
    # or a word glued after a name that had ended (…連合会ホーム, …事業団施設案内: a site's menu
    # run into its masthead, where a name ending in a suffix goes on with no suffix of its own).
    best = spellings[0]
    for sp in spellings:
        if any(
            sp != short and (
                (sp.startswith(short) and _SUBUNIT.fullmatch(sp[len(short) :].strip()))
                or (sp.endswith(short) and _GLUED_WORD.search(sp[: len(sp) - len(short)]))
                or (sp.startswith(short) and _ENDED.search(short) and not _ENDED.search(sp))
            )
            for short in spellings
        ):
            continue
        best = sp
        break

    def key(m: tuple[int, int, str]) -> tuple[int, int, int]:
        s, _, name = m
        return (int(core_name(name) == best), int(bool(LEGAL_RE.search(name))), -s)

    return max(ent.mentions, key=key)


_GLUED_WORD = re.compile(
    r"(?:閲覧|送信|送付|流出|漏えい|漏洩|紛失|盗難|攻撃|被害|感染|改ざん|判明|発覚|発表|公表|報告|お詫び|お知らせ|について|[0-9]+[年月日件名人])$"
)
# How a name ends: a public body's suffix or a legal form.
_ENDED = re.compile(rf"(?:{PUBLIC_SUFFIX}|{LEGAL_RE.pattern})$")
_SUBUNIT = re.compile(
    r"グループ|大学院|学部|研究科|本部|事務局|支店|支社|営業所|工場|事業所|本社|部|課|室|局|"
    r"[一-龥]{1,6}(?:部|課|室|局|係)"
)


_CORPORATION = re.compile(r"^(?:医療法人|社会福祉法人|学校法人|社会医療法人|医療法人社団|医療法人財団|公益財団法人|一般財団法人|公益社団法人|一般社団法人)")
_FACILITY = re.compile(r"(?:病院|医院|クリニック|診療所|園|ホーム|学校|高校|高等学校|中学校|小学校|大学|センター|施設|薬局)$")


def _with_operator(text: str, orgs: list[OrgMention], s: int, e: int, name: str) -> tuple[int, int, str]:
    """医療法人X Y病院: a facility and the corporation that runs it, side by side on one line, are one name."""
    for o in orgs:
        if 0 <= s - o.end <= 1 and text[o.end : s] in ("", " ") and _CORPORATION.match(o.name) and _FACILITY.search(name):
            return o.start, e, text[o.start : e]
        if 0 <= o.start - e <= 1 and text[e : o.start] in ("", " ") and _CORPORATION.match(name) and _FACILITY.search(o.name):
            return s, o.end, text[s : o.end]
    return s, e, name


def _positions(text: str, word: str, s0: int, e0: int) -> list[int]:
    out = []
    i = text.find(word, s0, e0)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1, e0)
    return out


_ALIAS = re.compile(r"[ ]?\((?:以下、?)?[「『]?(?P<a>[^」』()\n]{1,20}?)[」』]?(?:という|といいます|と(?:略|称)(?:します|する))?。?\)")


def _merge_aliases(text: str, ents: _Entities) -> None:
    """X(以下「Y」) / X(Y): Y is X's short name; its mentions and features are X's."""
    for ent in list(ents.items):
        for _, e, name in list(ent.mentions):
            m = _ALIAS.match(text, e)
            if not m:
                continue
            alias = m.group("a").strip()
            if alias == ent.core or len(alias) >= len(core_name(name)):
                continue
            other = next((x for x in ents.items if x is not ent and _WS.sub("", x.core) == _WS.sub("", alias)), None)
            ent.canonical = core_name(name)
            if other is not None:
                ent.mentions.extend(m_ for m_ in other.mentions if m_ not in ent.mentions)
                for f, v in other.features.items():
                    ent.add(f, v)
                ents.items.remove(other)


_STORY_WORD = re.compile(
    rf"(?:個人|顧客|会員|利用者|患者|学生|生徒|住民|職員|社員|従業員|カード)?情報|{LEAK}|不正|被害|製品|通販|サイト|システム|"
    r"サーバー?|ランサム|サイバー|攻撃|誤送信|誤送付|紛失|盗難|感染|委託先|で(?=[^ァ-ヴー])|メール|公式|オンライン|ストア|ショップ|ウェブ|EC"
)
_BARE_RE = re.compile(BARE)
# Latin letters then a kana word, as a headline's lead: "JAあおば、職員が…"
_LATIN_KANA = re.compile(r"(?P<name>[A-Za-z]{1,6}[ぁ-ゖー]{2,8})(?=[、, ]|は|が)")
# A name in Latin words, each capitalised: "Kestrel Mobile", "Vantor Logistics GmbH"
_LATIN_WORDS = re.compile(r"(?P<name>[A-Z][A-Za-z0-9&.\-]*(?: [A-Z][A-Za-z0-9&.\-]*){1,4})(?=\s?(?:[(（、,|｜]|は|が))")
_RUNS_AHEAD = re.compile(r"[^、。\n]{0,40}?(?:を運営する|を経営する|傘下の)")
_KANA_END = re.compile(r"[ぁ-ゖー]{1,6}\s*")
_HEADING_DATE = re.compile(r"\s*[(（][^()（）\n]{1,20}[)）]\s*")
_NOTICE_WORDS = re.compile(rf"{vocab.TITLE_END}|{vocab.TITLE_END_WEAK}|に関する")
_NOTE_COLON = re.compile(r"\s?\([^()\n]{1,30}\)\s?:")
# "…会員のメアド412件が流出 - ガラス工芸団体": a news site's headline that ends on its body, by
# name or by kind (then the prose names it; the story's first words name nothing).
_TITLE_TAIL = re.compile(r"\S\s[-－–]\s(?P<n>[^\s\-－–]{2,24})\s*$")
# (marks in a row too: "🛒【速報】X、…")
_LEAD = re.compile(r"\s*(?:(?:【[^】]{0,40}】|\[[^\]]{0,40}\]|[■□◆◇●・]\s?(?:[0-9]{1,2}\s?[.)．])?|[―—─]{2}|-{2,3}|[0-9]{1,2}\s?[.)．]|(?:No|NO|№)\.?\s?[0-9]{1,2}\s|(?:[0-9]{1,2})?[\U0001F300-\U0001FAFF\u2600-\u26FF]\ufe0f?)\s*){0,2}")


_ORG_COLUMN = re.compile(r"\s*(?:組織|組織名|企業|企業名|会社|会社名|団体|団体名|法人名|事業者|発表元|公表元|発表者|名称|機関)\s*")


_CELL_NOTE = re.compile(r"\s*[（(][^()（）]{2,20}[)）]\s*$")


def _org_cell(text: str, t0: int) -> Span | None:
    """(start, end) of the cell under a table's 組織 column in the row that starts at t0."""
    ls = text.rfind("\n", 0, t0) + 1
    le = text.find("\n", t0)
    le = len(text) if le < 0 else le
    header = tables.header_above(text, ls)
    if header is None:
        return None
    col = next((k for k, c in enumerate(header) if _ORG_COLUMN.fullmatch(c)), None)
    if col is None:
        return None
    pos = ls
    for k, c in enumerate(tables.cells(text[ls:le])):
        if k == col:
            lead = len(c) - len(c.lstrip())
            note = _CELL_NOTE.search(c)  # "紙縒庵（ECサイト）", "X社（東京都）": a note on the name
            end = note.start() if note and note.start() > lead else len(c.rstrip())
            return (pos + lead, pos + end) if c.strip() else None
        pos += len(c) + 1
    return None


_PARTICLE_AFTER = re.compile(r"は|が|、|で|の|\s")
_NAME_REST = re.compile(r"[一-龥ァ-ヴー]{1,8}(?![一-龥ァ-ヴーA-Za-z0-9・])")


def _full_name_rest(text: str, head: str, lo: int, hi: int) -> str | None:
    """What follows `head` in the first name with a legal form in text[lo:hi] that starts with
    it (株式会社ミナトヤ|通販 → 通販); looked for near the segment, not in the whole of a long text."""
    for f in LEGAL_RE.finditer(text, lo, hi):
        for p in (f.end() + 1, f.end()) if text[f.end() : f.end() + 1].isspace() else (f.end(),):
            if text.startswith(head, p):
                rest = _NAME_REST.match(text, p + len(head), hi)
                if rest is not None:
                    return rest.group()
    return None


# What follows a site's or a paper's name at the head of its page: a section after a slash or a
# bar, an edition ("地域版", "電子版").
_MASTHEAD_AFTER = re.compile(
    r"[ \t]*(?:[/｜|>＞][ \t]*\S|[^\S\n]+[一-龥ァ-ヴー]{1,4}版(?:\s|$))"
    r"|(?:オンライン|電子版|デジタル版?|WEB|Web|ウェブ)(?:ホーム|[ \t\u3000]|$)"  # "みなと日報オンラインホーム 地域 行政…": the site's name and its menu
)


_NOTICE_ONLY = re.compile(r"(?:おわび|お詫び|訂正|お知らせ|ご報告|ご案内|お願い|ご連絡|重要|と|および|及び|・|\s)+")


_KATA_PAIR = re.compile(r"[ァ-ヴー]{2}")


def _common_word(name: str) -> bool:
    toks = _name_tokens(name)
    return len(toks) == 1 and toks[0].pos2 == "普通名詞"


def _title_lead(text: str, t0: int, t1: int) -> Span | None:
    """The name a headline opens with: up to 、 / で / が / の / は or a space."""
    lead = _LEAD.match(text, t0, t1)
    s = lead.end() if lead else t0
    if _RUNS_AHEAD.match(text, s, t1):
        return None  # "アパレル通販「X」を運営するY": a descriptor, the name comes after it
    latin = _LATIN_WORDS.match(text, s, t1)
    if latin:
        return latin.span("name")  # "Harborline Dental Group(米国・歯科チェーン)｜…"
    kana_tail = _LATIN_KANA.match(text, s, t1)
    if kana_tail:
        return kana_tail.span("name")  # JAあおば、…
    m = _BARE_RE.match(text, s, t1)
    if not m:
        # 【X】 as the whole lead: "【ミドリ堂】不正アクセスのお知らせ"
        b = _BRACKET_LEAD.match(text[t0:t1])
        return (t0 + b.start("n"), t0 + b.end("n")) if b else None
    e = m.end()
    # "健康食品のスローヴィレッジ、…": a descriptor and の before the name
    if text.startswith("の", e):
        m2 = re.compile(BARE).match(text, e + 1, t1)
        if m2 and text[m2.end() : m2.end() + 1] in ("、", ",", " ", "が", "は", "で"):
            s, e = m2.start(), m2.end()
    # "クーパン情報流出で…": the name ends where the words of the story begin.
    stop = _STORY_WORD.search(text, s + 2, e)
    if stop:
        if _KATA_PAIR.fullmatch(text, stop.start() - 1, stop.start() + 1) and _common_word(text[s : stop.start()]):
            return None  # "クレジット|カード情報流出": a word cut off a compound, no name before the story
        return s, stop.start()
    nxt = text[e : e + 2]
    if nxt[:1] == "," and nxt[1:2].isdigit() and text[e - 1 : e].isdigit():
        return None  # "登録スタッフ3,402人の…": a count, cut at its comma, is no name
    if nxt[:1] in ("、", ",", " ", "で", "が", "の", "は", "に", "　") or nxt.startswith("社"):
        return s, e
    if (nxt[:1] == ":" or _NOTE_COLON.match(text, e, t1)) and s > t0 and text[t0:s].strip():
        return s, e  # "・ミヤコ書房：オンライン古書店…", "No.5 X(ゲストハウスY):…": a listed item's body, then its story
    kana_end = _KANA_END.match(text, e, t1)  # "パン工房こむぎ": a name may end in kana
    if kana_end and (kana_end.end() == t1 or _HEADING_DATE.fullmatch(text, kana_end.end(), t1)):
        e = kana_end.end()
    if not text[e:t1].strip() or _HEADING_DATE.fullmatch(text, e, t1):
        return s, e  # "――喫茶ポプラ", "① X(3月4日)": the heading is the name alone
    if nxt[:1] == "「" and text.find("」", e, t1) > 0 and _NOTICE_WORDS.search(text, e, t1):
        return s, e  # "X「…に関するお詫び」": a body and the title of its notice
    return None
