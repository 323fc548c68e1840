"""Organisation names a text spells out: a legal form and its name, or a public body's suffix and its name."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .spans import Occupied
from .vocab import FIRST_PERSON, LEGAL, LEGAL_FORMS

__all__ = ["LEGAL", "LEGAL_FORMS", "LEGAL_RE", "OrgMention", "core_name", "find_orgs"]
LEGAL_RE = re.compile(LEGAL)

# Characters of a name: kanji, katakana, latin, digits and the joiners names use.
# Hiragana only in short runs without particles (いすゞ), never a verb ending or particle.
_NC = r"[一-龥々〆ヵヶァ-ヴーA-Za-z0-9&.・'\-]"
# (voiced ones too, but not が, で, ば, だ, べ, げ that end phrases or verbs: ひまわり子ども食堂)
_HIRA_OK = r"[ぁぃいぅうぇえぉおかきくけこさしすせそちっつてなぬねひふほまみむめもゃゅょらりろゎゐゑゝゞぎぐござじずぞぢづどびぶぼぱぴぷぺぽ]"
# Kana between two parts of a name (いすゞ自動車) is never a particle (カードネットから連絡).
NAME = rf"{_NC}+(?:(?!から|まで|より|など|ため|こと|ところ|について|による|において){_HIRA_OK}{{1,4}}{_NC}+)?"
NAME_LATIN_SP = r"[A-Za-z][A-Za-z0-9&.'\-]*(?: [A-Za-z][A-Za-z0-9&.'\-]*){0,3}"
# After a legal form a name may open in hiragana (NPO法人みどりの森, 株式会社こはる堂) or be
# hiragana only, up to what ends a subject (は + date, が, 、, a space, a bracket).
_PARTICLE_START = r"(?![のがはをにでともへおご])"
NAME_AFTER_FORM = (
    # 有限会社はなみずき茶舗: three or more kana before the kanji are a word, not a particle
    rf"(?:(?![のがをにで])[ぁ-ゖ]{{3,6}}|{_PARTICLE_START}[ぁ-ゖ]{{1,6}})(?=[一-龥々ヵヶァ-ヴーA-Za-z]){NAME}"
    rf"|{_PARTICLE_START}[ぁ-ゖー]{{2,8}}?(?=は[0-9、]|が|、|[\s(]|$)"
    # (株式会社はなまる alone on its line: a kana name may open with は, お or ご there)
    rf"|[はおご][ぁ-ゖー]{{1,7}}(?=[\s(]|$)"
    # (生活協同組合コープあさひな alone on its line: katakana, then a kana word that ends the name)
    rf"|{_NC}+(?![のがはをにでともへやか]|より|まで|など|ほか|ため|こと|ところ|さん|さま|くん|ちゃん|らの)[ぁ-ゖ]{{2,6}}(?=[ \t\n(]|$)"
    rf"|{NAME}"
)

PUBLIC_SUFFIX = (
    r"教育委員会|選挙管理委員会|大学院|短期大学部|短期大学|大学部|大学|高等専門学校|専門学校|高等学校|中等教育学校|義務教育学校|"
    r"中学校|小学校|特別支援学校|学校|高校|学院|学園|幼稚園|保育園|保育所|こども園|病院|医療センター|診療所|クリニック|医院|薬局|"
    r"園(?<=[ぁ-ゖァ-ヴー]園)(?![芸内])|"  # (the look-behind after 園, so the scanner can skip on the first character; 園芸 is gardening)
    r"消防本部|消防局|水道局|交通局|機構|図書館|美術館|博物館|公民館|庁|省|都|道|府|県|市|区(?![分域間別切画])|町|村|協会|連合会|協議会|商工会議所|商工会|事業団|財団|振興会|"
    r"共済会|連盟|公団|公庫|協同組合|組合|研究所|研究センター|センター|事務所|公社|"
    # company names that carry no legal form in news: X銀行, Xホールディングス, X製作所
    r"銀行|信用金庫|信用組合|証券|生命保険|生命|損害保険|ホールディングス|製作所|商店会|商店|商会|電機|総研"
)

# The rules are anchored on what is cheap to find (a legal form, a public suffix) and then
# extend to the name around it; a regex that tried a name at every position would be slow.
_NAME_CHAR = re.compile(r"[一-龥々ヶァ-ヴーA-Za-z0-9]")
# 株式会社ワコム / 株式会社 東玉(とうぎょく)
_AFTER_FORM = re.compile(rf"[ ](?P<name_sp>{NAME_AFTER_FORM})(?=[\s(]|$)|(?P<name>{NAME_LATIN_SP}|{NAME_AFTER_FORM})", re.M)
# ジェントス株式会社 (searched in a short window that ends at the legal form)
_BEFORE_FORM = re.compile(rf"(?P<name>{NAME_LATIN_SP}|(?:[A-Za-zァ-ヴー.・&]+ )?{NAME})[ ]?\Z")
_PUBLIC_SUFFIX_RE = re.compile(PUBLIC_SUFFIX)
# 琉球大学 / 岡山県 / みやぎ産業振興機構 / つるぎ町立半田病院
# A hiragana name may follow 県立/市立 (県立やまぶき病院); 市立の中学校 is no name.
_HEAD_CHAR = re.compile(r"[一-龥々〆ヶァ-ヴーA-Za-z0-9・]")
_HIRA = frozenset(chr(c) for c in range(0x3041, 0x3097))
# Hiragana words that open a sentence, never a name: このたび東雲大学において
_FUNCTION_OPEN = re.compile(
    r"^(?:これ|それ|あれ|ここ|そこ|どこ|この|その|あの|また|なお|さらに|ただし|および|ならびに|そして|しかし|ついて|おいて|より|から|まで|"
    r"(?:ため|こと|ところ|もの)(?=[をがはにでもの]|$)|すでに|いずれ|まず|すべて|とくに|ほか|ほど|など)"
)


def _public_head(text: str, lo: int, pos: int) -> int:
    """Where a public body's name starts, walking left from its suffix at pos.

    Kanji, katakana and latin extend it; a hiragana run (はるかぜ台, つるぎ町立半田病院) only
    where it opens the name: at a boundary or after 立 (市立さくら中学校), or between kanji when it
    is a word of three or more kana, not a verb's ending (日本ふるさと観光協会); が only as in
    ひばりが丘. A word that opens a sentence (このたび) is never part of it.
    """
    i = pos
    while i > lo:
        c = text[i - 1]
        if c in "課係":
            break  # "…地域振興課|県ホームページ": a section's name ends there, no body's goes on
        if _HEAD_CHAR.match(c):
            i -= 1
            continue
        if c == "つ" and i - 1 > lo and _HEAD_CHAR.match(text[i - 2]) and text[i - 2] in "一二三四五六七八九十":
            i -= 1  # 三つ葉, 五つ星
            continue
        if c == "り" and i - 1 > lo and text[i - 2] == "通":
            i -= 1  # すずかけ通り商店街振興組合
            continue
        if c in _HIRA and (c not in "をが" or (c == "が" and text[i : i + 1] in _GA_PLACE)):
            j = i
            while j > lo and text[j - 1] in _HIRA and text[j - 1] != "を" and i - j < 6:
                j -= 1
            run = text[j:i]
            verb = _RUN_VERB.search(run)
            if verb is not None and verb.start() == 0 and j > lo and "一" <= text[j - 1] <= "龥" and not _FUNCTION_OPEN.match(run[verb.end() :]):
                i = j + verb.end()  # "…が運営するみなと台クリニック": the name opens after the verb
                break
            before = text[j - 1] if j > lo else ""
            boundary = not before or not (_HEAD_CHAR.match(before) or before in _HIRA) or before == "立"
            inner = (
                bool(before) and _HEAD_CHAR.match(before) is not None and len(run) >= 3
                and not (_VERB_TAIL.search(run) and not run.endswith("ども")) and not _MODIFIER_END.search(run)  # (こども is no particle)
            )
            if not inner and len(run) >= 4 and run[0] == "の" and before and _HEAD_CHAR.match(before) and _KANA_NAME_IN_DE.fullmatch(run, 1):
                inner = True  # 北浜市のかえで食品株式会社: a name may end in で (not 市のもとで)
            if inner and run[0] == "の" and not _FUNCTION_OPEN.match(run[1:]):
                i = j + 1  # 市内のひだまり記念病院: the name opens after the particle
                break
            if len(run) >= 2 and (boundary or inner) and not _FUNCTION_OPEN.match(run) and not _CLAUSE_KANA.search(run) and not _PARTICLES.fullmatch(run):
                i = j
                if before == "立" or inner:
                    continue
        break
    # 取引先霧島野県, 委託元ひなた町: a word of the sentence glued to the name, not part of it
    glued = _GLUED_PREFIX.match(text, i, pos)
    if glued and pos - glued.end() >= 2:
        i = glued.end()
    # 令和4年1月21日朝霧台市, 約2千人分しろがね県 (text that lost its line breaks): a date or a
    # count glued before the name ends where the name begins
    cut = None
    for m in _GLUED_DATE_OR_COUNT.finditer(text, max(lo, i - 6), pos):
        if m.end() > i:  # "13 日白根沢町": the date's number may stand before the walk's start
            cut = m.end()
    if cut is not None:
        i = cut  # (令和6年度大学院入学試験: nothing is left of a name; the suffix alone is none)
    return i


_COOP_PREFIX = re.compile(r"(?<![一-龥々ァ-ヴーぁ-ゖA-Za-z])(?:消費)?生活協同組合(?=[ァ-ヴA-Za-z])")
_CORPORATION_FORM = re.compile(r"社会福祉法人|医療法人|社会医療法人|学校法人")
_CORP_THEN_FACILITY = re.compile(
    r"\s?(?P<corp>[^\s]{1,12}?(?:会|団|学園))(?=[一-龥ァ-ヴーぁ-ゖ]{0,12}?(?:病院|クリニック|医院|ホーム|保育園|幼稚園|こども園|学校|大学|センター|診療所|園))"
)
_GLUED_DATE_OR_COUNT = re.compile(
    r"[0-9]+ ?(?:年度|年|月|日|人分|名分|件分|件|名|人|通|台|社|回|時|分)|[0-9]{4}[./\-][0-9]{1,2}[./\-][0-9]{1,2}|[0-9]+[万千億]+[0-9]*(?:人分|件|名|人)?|"
    r"(?:送信|報告|発表|公表|掲載|判明|発覚|流出|漏えい|漏洩|紛失|お詫び|お知らせ|について)(?=[一-龥ァ-ヴーA-Za-z])|"
    # the end of an address glued on: "…@shiomi-univ.ac.jp汐見ヶ丘大学"
    r"(?<![A-Za-z])[a-z]{2,4}(?=[一-龥ァ-ヴ])"
)
_GLUED_PREFIX = re.compile(
    r"(?:お?問い?合わせ先|問合せ先|取引先|委託先|委託元|送付先|送信先|提出先|発注元|発注先|連絡先|相談先|報告先|"
    r"先日|先月|先週|昨日|本日|今日|同日|翌日|当日|前日|今回|今般|昨年|今年|本年|当社|弊社|本社|同社)(?=[一-龥ァ-ヴー])"
)
# A salutation ends the words before a legal form: お客様各位株式会社X is X's header, glued
_SALUTATION_END = re.compile(r"(?:各位|御中|皆様へ?|皆さまへ?)$")
_GA_PLACE = frozenset("丘谷浜崎関原岳森沢坂島")
# Between kanji, kana that end like a verb or an adjective modify the name: 鋳造を手がける東邦運送
# A light verb's ending that opens a kana run after its noun, a kana name after it: "運営する|みなと台…"
_RUN_VERB = re.compile(r"(?:する|した|している|していた)(?=[ぁ-ゖ]{2,}$)")
_PARTICLES = re.compile(r"[にでへもはをとのが]+")  # "東京都|にも|病院": particles are no name
_MODIFIER_END = re.compile(r"[るうくすつむぶぐぬただい]$")
_KANA_NAME_IN_DE = re.compile(r"(?!(?:もと|なか|うえ|まえ|あと|ほう|ところ|ため|うち|かたち|せい)で)[ぁ-ゖ]{2,5}で")
# Kana that end a verb or join a clause: 確認した白浜市, 設置する県
_VERB_TAIL = re.compile(r"(?:した|する|して|され|れる|れた|ている|ていた|ました|ます|です|ない|なく|ある|いる|おり|ので|から|まで|より|ため|こと|もの|について|における|による|として|など|および|または|ならびに|[のにでへもは])$")
# Kana that join clauses are never inside a name: これにより当社, 調査について本学
_CLAUSE_KANA = re.compile(r"により|について|において|として|による|から|まで|ので|ため|には|では|とも|ました|ます")


# (組合員, 会員, 市長: a member or a head of the body, not a longer name of it)
_PUBLIC_TAIL = re.compile(rf"(?:[一-龥々ヶァ-ヴー]{{0,12}}(?:{PUBLIC_SUFFIX})(?<![市町村区県都道府省庁])(?![員長]|名(?!誉)))?")
# 宮ノ森町の教育委員会: the board of a place, named with の
_BOARD_AFTER = re.compile(r"の(?=教育委員会|選挙管理委員会)")

# Words that look like names but are not the subject of a notice.
_NOT_ORG = re.compile(
    # 本市, 同病院, 当センター: a body referred to, not named
    r"^(?:同|本|当|弊|各|両|貴)(?:市|町|村|区|県|都|府|道|大学|病院|学校|校|院|機構|センター|協会|法人|財団|事業団|園|会|組合|社)$|"
    r"^(?:弊社|当社|同社|本社|当機構|同機構|本学|当院|本校|当法人|第三者|調査機関|第三者調査機関|警察|"
    r"個人情報保護委員会|クレジットカード会社|カード会社|決済代行会社|委託先|お客様|全国|都道府県|市区町村|"
    r"日本法人|現地法人|米本社|親会社|子会社|関連会社|グループ会社|"
    r"関係機関|監督官庁|会社名|法人名|団体名|組織名|企業名|各社|上記|以下|下記|同|当|本|各|全|一部|市|県|町|村|区|都|府|道|省|庁|大学|病院|センター|"
    r"[0-9]+)$"
    # 県立高等学校 names a kind of school, not one
    r"|^(?:[都道府県市区町村国公私]立)(?:高等学校|高校|中学校|小学校|義務教育学校|特別支援学校|幼稚園|保育所|保育園|こども園|"
    r"大学|病院|診療所|図書館|博物館|美術館|体育館|公民館|施設)$"
    # ネット証券, 地方銀行, 大学病院: the kinds of body news names before (or instead of) one
    r"|^(?:ネット|オンライン|インターネット|大手|中堅|地方|地域|外資系?|国内|海外|第二地方|大学|総合|民間|公立|私立)"
    r"(?:証券|銀行|生命保険|損害保険|生命|病院|信用金庫|信用組合|大学|学校|高校)$"
)
_FIRST_PERSON = re.compile(f"(?:{FIRST_PERSON})")
# The writer's own part: 本学大学院, 当院事務局, 本市教育委員会事務局 (its name is its signature's)
_OWN_PART = re.compile(
    f"(?:{FIRST_PERSON})"
    r"(?:大学院|[^\s]{0,8}(?:研究科|学部|学科|附属[^\s]{0,10}|事務局|事務室|事務部|本部|支店|支社|営業所|工場|病棟|キャンパス|部|課|室|係))$"
)


def names_no_body(name: str) -> bool:
    """Whether a name-like word names no one body: 本市, 委託先, 県立高等学校, 町立保育所, ネット証券,
    or the writer itself (当連合会: the issuer, named by its signature)."""
    return _NOT_ORG.match(name) is not None or _FIRST_PERSON.fullmatch(name) is not None or _OWN_PART.match(name) is not None


# The words of a notice's title or first sentence glued after a name when the line break
# between them was lost: 株式会社サクラ電工不正アクセスに関するお詫び
_ENDS_AS_BODY = re.compile(rf"(?:{PUBLIC_SUFFIX})$")
_GLUED_TITLE = re.compile(
    r"(?:不正アクセス|不正ログイン|不正利用|サイバー攻撃|ランサムウェア|個人情報|顧客情報|お客様情報|会員情報|患者情報|"
    r"情報漏|情報流出|漏えい|漏洩|流出|紛失|盗難|誤送信|誤送付|お詫|おわび|お知ら|ご報告|ご案内|弊社|当社|本学|当院|本市|当法人|"
    # (its people or its office, glued on where a line break was lost: X従業員1名, X協会事務局)
    r"従業員|教職員|(?<!教)職員|社員(?!会)|(?<=[会団])事務(?!所))"
)
# The words for every body of a kind (県内の市町村, 全都道府県); 全 and 各 may stand before them.
_GENERIC_PLACES = re.compile(r"(?:(?<=[全各内])|(?<![一-龥々]))(?:都道府県|市区町村|区市町村|市町村|市町|町村)")
_GENERIC_TAIL = re.compile(r"(?:サーバー?|システム|ネットワーク|サイト|ストア|データ|メール|情報)$")


@dataclass(frozen=True)
class OrgMention:
    name: str  # as written, legal form kept
    core: str
    start: int
    end: int
    rule: str


def core_name(name: str) -> str:
    core = LEGAL_RE.sub("", name).replace("()", "").strip(" ・")  # (ひなた福祉会(社会福祉法人): its form in brackets)
    return core[m.end() :] if (m := _COOP_PREFIX.match(core)) else core


# A title or an office glued after a name (株式会社つばめや代表取締役, ハルノ企画代表社員) when the
# text lost the line break between a signature's lines.
_TRAILING_TITLE = re.compile(
    r"(?:代表取締役(?:社長)?|代表執行役|代表社員|代表理事|取締役|理事長|社長|会長|学長|院長|園長|施設長|所長|代表者?|"
    r"お客様相談室|お客様窓口|相談窓口|法人事務局|事務局長?|事務長|広報(?:部|課|室|担当)?|"
    # a person or a role of the body, a field's label, a site's language switch glued after the name
    # where its line ended: "…保険サービス|元社員", "…通販|委託先", "…ラボ|所在地", "…精機|English"
    r"元?(?:社員|従業員|職員)|委託先|(?:本社)?所在地|English|ENGLISH)$"
)


# A relative clause glued before a name: …を展開する, …を営む, …にある
# What text that lost its line breaks glues before a name: a date's last digits (R6.2.9青葉ヶ丘市),
# the 先 of お問い合わせ先 (お問い合わせ先丸鷹精工(株)).
_GLUED_DIGITS = re.compile(r"[0-9]+(?=[^0-9.\s])")
_GLUED_SAKI = re.compile(r"先(?=[一-龥ァ-ヴA-Za-z]{2})")
_SAKI_WORDS = ("合わせ", "合せ", "連絡", "送付", "提出", "問合")


def _glued_before(text: str, s: int, full: str) -> re.Match[str] | None:
    """The end of what the text glued before a name that starts at s, if anything."""
    if s > 0 and text[s - 1] in "./" and (m := _GLUED_DIGITS.match(full)):
        return m
    if text[max(0, s - 3) : s].endswith(_SAKI_WORDS) and (m := _GLUED_SAKI.match(full)):
        return m
    return None


_CLAUSE_BEFORE = re.compile(r".*(?:する|している|していた|した|営む|にある|である)(?=[^\s]{2})")


def _clean(name: str) -> str:
    name = name.strip(" ・-.")
    stripped = _TRAILING_TITLE.sub("", name)
    if stripped != name and len(core_name(stripped)) >= 2:
        name = stripped.rstrip(" ・")
    return name


# A field's label glued before a legal form ("会社名株式会社X"): the name follows the form.
_LABEL_END = re.compile(r"(?:会社名|法人名|団体名|組織名|企業名|商号|名称|発表者|発表元|公表元)\s?[:：]?\Z")


def _candidates(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, name, rule id) in rule order: legal forms first, then public bodies."""
    out: list[tuple[int, int, str, str]] = []
    for m in LEGAL_RE.finditer(text, start, end):
        fs, fe = m.span()
        if fs - 3 >= start and text[fs - 1] == "(" and text.startswith(")", fe) and _NAME_CHAR.match(text, fs - 2):
            # ひなた福祉会(社会福祉法人): the form in brackets after the name
            hs = _public_head(text, max(start, fs - 41), fs - 1)
            n = _BEFORE_FORM.search(text, max(start, fs - 41), fs - 1)
            ns = min(hs, n.start()) if n and n.start() <= hs else hs
            if fs - 1 - ns >= 2 and not _SALUTATION_END.search(text, ns, fs - 1) and not _LABEL_END.search(text, ns, fs - 1):
                out.append((ns, fe + 1, text[ns : fs - 1], "org.legal_bracket"))
            continue
        after = _AFTER_FORM.match(text, fe, end) if fs > start and text[fs - 1] in _HIRA else None
        if fs > start and (_NAME_CHAR.match(text, fs - 1) or (text[fs - 1] in _HIRA and not (after and after.group().strip()))):
            n = _BEFORE_FORM.search(text, max(start, fs - 40), fs)
            # やまなみ珈琲株式会社: walk the name's head as a public body's (kana may open it)
            hs = _public_head(text, max(start, fs - 40), fs)
            ns = fs
            if n and (n.start() <= hs or " " in n.group("name")):
                ns = n.start()
                for g in _GLUED_DATE_OR_COUNT.finditer(text, ns, fs):
                    ns = g.end()  # ご報告2021.10.15LUMICA株式会社
            elif hs < fs:
                ns = hs
            if len(text[ns:fs].strip()) >= 2 and not _SALUTATION_END.search(text, ns, fs) and not _LABEL_END.search(text, ns, fs):
                out.append((ns, fe, text[ns:fs], "org.legal_suffix"))
                continue
            # 発表者株式会社ミヤコ住設, 令和4年2月18日社会福祉法人さくら福祉会 (lines glued):
            # a word's last character or a date before the form is no name; the name follows it
        n = _AFTER_FORM.match(text, fe, end)
        if n:
            ne = n.end()
            # 社会福祉法人みのり会特別養護老人ホームみのり園 (the two lines of a signature, glued):
            # the corporation ends at its 会; the facility is a name of its own
            if _CORPORATION_FORM.match(m.group()):
                corp = _CORP_THEN_FACILITY.match(text, fe, ne)
                if corp:
                    out.append((fs, corp.end("corp"), text[fe : corp.end("corp")], "org.legal_prefix"))
                    continue
            # 一般社団法人日本ふるさと観光協会: a public body's name that runs on past the kana
            suffix = _PUBLIC_SUFFIX_RE.search(text, ne, min(end, ne + 16))
            if suffix and _public_head(text, fe, suffix.start()) <= n.start() + (1 if text[fe : fe + 1] == " " else 0):
                tail = _PUBLIC_TAIL.match(text, suffix.end(), end)
                ne = tail.end() if tail else suffix.end()
                out.append((fs, ne, text[fe:ne].strip(), "org.legal_prefix"))
                continue
            out.append((fs, ne, n.group("name") or n.group("name_sp") or "", "org.legal_prefix"))
    for m in _COOP_PREFIX.finditer(text, start, end):
        # 生活協同組合コープあさひな: a co-op's form before its name (みどり生活協同組合 has it after,
        # as part of the name)
        n = _AFTER_FORM.match(text, m.end(), end)
        if n and not any(cs <= m.start() < ce for cs, ce, _, _ in out):
            out.append((m.start(), n.end(), (n.group("name") or n.group("name_sp") or "").strip(), "org.coop_prefix"))
    consumed = start
    legal_ends = sorted(c[1] for c in out)
    generic = [g.span() for g in _GENERIC_PLACES.finditer(text, start, end)] if "町" in text[start:end] or "府" in text[start:end] else []
    for m in _PUBLIC_SUFFIX_RE.finditer(text, start, end):
        if generic and any(gs <= m.start() < ge for gs, ge in generic):
            continue  # 5市町村, 県内の市町: the kinds of body, not one
        # a public body's name does not reach back into a legal-form name before it
        k = bisect_right(legal_ends, m.start()) - 1
        if k >= 0:
            consumed = max(consumed, legal_ends[k])
        if m.start() < consumed or text.startswith("法人", m.end()):
            continue  # 国立大学法人: part of a legal form
        if (m.group() == "道" and not text.startswith("北海", m.start() - 2)) or (m.group() == "都" and not text.startswith("東京", m.start() - 2)):
            continue  # 報道, 水道, 京都: only 北海道 and 東京都 end so
        if m.group() in "市町村区" and text.startswith(("市", "町", "村", "区"), m.end()) and not text.startswith(m.group(), m.end()):
            continue  # the 町 of 大町市: the name goes on to the suffix after it (村村: a line glued on)
        if m.group() in "市町村区県都道府" and text.startswith(("長", "議", "民", "営", "外", "政"), m.end()):
            continue  # 市長, 町議会, 県民税, 市営: a head, a council, a compound word, not the body's name
        if text.startswith("名", m.end()) and not text.startswith("名誉", m.end()):
            continue  # 在籍中学校名, 病院名: the name of a kind of body, not a body
        if text.startswith("立", m.end()):
            continue  # the 県 of 県立, the 市 of 市立さくら中学校: part of the name after it
        hs = _public_head(text, max(start, consumed, m.start() - 28), m.start())
        if hs == m.start() or (m.end() - m.start() == 1 and m.group() in "省庁" and m.start() - hs < 2):
            continue  # a bare suffix (中学校, 反省) names nothing
        tail = _PUBLIC_TAIL.match(text, m.end(), end)
        e = tail.end() if tail else m.end()
        joined = _SCHOOL_AND.match(text, e, end)
        if joined:
            e = joined.end()  # 翠嶺学院中学校・高等学校: one school of two stages
        if e == m.end() and m.group() in "市町村区県都道府" and _BOARD_AFTER.match(text, e):
            board = text.find("委員会", e) + 3
            out.append((hs, board, text[hs:e] + text[e + 1 : board], "org.public"))
            consumed = board
            continue
        consumed = e
        out.append((hs, e, text[hs:e], "org.public"))
    return out


_SALUTATION_HEAD = re.compile(r"(?:各\s?位|御中)[ \t]*")
# A breadcrumb's last crumb, a news section's name, glued to the headline after it
_CRUMB_BEFORE = re.compile(r"[>＞›»][ \t\u3000]*$")
_CRUMB_HEAD = re.compile(
    r"(?:行政|政治|経済|社会|地域|国際|事件・事故|事件|事故|暮らし|くらし|教育|医療|福祉|県政|市政|県内|トピックス|地域ニュース|ニュース)"
)
_TITLE_INSIDE = re.compile(r"代表|取締役|社長|会長|理事長|本部長|部長|課長|担当|者名|会社名|問合せ|問い合わせ")


def find_orgs(text: str, start: int = 0, end: int | None = None) -> list[OrgMention]:
    """Every organisation-looking name in text[start:end], in order, overlaps resolved by rule order."""
    end = len(text) if end is None else end
    found: list[OrgMention] = []
    taken = Occupied()
    for s, e, raw_name, rule_id in _candidates(text, start, end):
        if s >= e or taken.overlaps(s, e):
            continue
        name = _clean(raw_name)
        if not name or names_no_body(name) or len(name) > 40:
            continue
        if rule_id == "org.public" and (_GENERIC_TAIL.search(name) or _TITLE_INSIDE.search(name)):
            continue  # (…代表取締役社長野々村: a signature's title and a surname in 村, no village)
        full = text[s:e].strip() if rule_id != "org.public" else name
        lead = _CLAUSE_BEFORE.match(full) or _glued_before(text, s, full)
        if lead and len(core_name(full[lead.end() :])) >= 2 and (k := text.find(full[lead.end() :], s, e)) >= 0:
            # "宅配事業を展開するみずなら生活協同組合": the clause before the name is not the name
            s, full = k, full[lead.end() :]
        sal = _SALUTATION_HEAD.match(full)
        cut = sal.end() if sal else int(full.startswith("位") and text[max(0, s - 2) : s] in ("各 ", "各\u3000"))
        if cut and len(core_name(full[cut:])) >= 2:
            s, full = s + cut, full[cut:]  # "各位潮見台信用金庫", "各 |位…": a salutation glued to the issuer
        crumb = _CRUMB_HEAD.match(full) if _CRUMB_BEFORE.search(text, max(0, s - 3), s) else None
        if crumb and len(core_name(full[crumb.end() :])) >= 2:
            s, full = s + crumb.end(), full[crumb.end() :]  # "ホーム > 行政伊佐波市、…": the last crumb glued to the headline
        if full.startswith("私立") and rule_id == "org.public" and len(full) > 4:
            s, full = s + 2, full[2:]  # 私立みなと学園高校: news's word for what the school is, not its name
        cuts = [_TRAILING_TITLE.search(full)]
        if rule_id == "org.legal_prefix":
            cuts.append(_GLUED_TITLE.search(full, 1))
        for cut in cuts:
            # a title after the name, or the words of the notice glued to it: the name ends there
            # (not where the name goes on to a body's suffix: 日本職員協会)
            if cut and len(core_name(full[: cut.start()])) >= 2 and not _ENDS_AS_BODY.search(full, cut.end()):
                e -= len(full) - cut.start()
                full = full[: cut.start()].rstrip(" ・")
        if rule_id == "org.legal_prefix" and full.endswith("製") and text.startswith("の", e):
            full, e = full[:-1], e - 1  # "株式会社X製の部品": the maker, not a name ending in 製
        core = core_name(full)
        if not core or names_no_body(core):
            continue
        taken.add(s, e)
        found.append(OrgMention(full, core, s, e, rule_id))
    found.sort(key=lambda o: o.start)
    return _boards_of_places(text, found, end)


# The second stage of a school that has two under one name: "…中学校・高等学校", "…中学・高校".
_SCHOOL_AND = re.compile(r"・(?:高等学校|高校|中学校|中学|小学校|幼稚園|短期大学部|短期大学|大学院|専門学校)")

# "緑川町の教育委員会は…": news names a municipality's board with の between; the board is
# one body, 緑川町教育委員会.
_BOARD_AFTER = re.compile(r"の(?P<board>教育委員会|選挙管理委員会|農業委員会|監査委員)")


def _boards_of_places(text: str, found: list[OrgMention], end: int) -> list[OrgMention]:
    out: list[OrgMention] = []
    for o in found:
        m = _BOARD_AFTER.match(text, o.end, end) if o.rule == "org.public" and o.name[-1:] in "都道府県市区町村" else None
        if m is None or (out and out[-1].end > o.start):
            out.append(o)
            continue
        name = o.name + m.group("board")
        out.append(OrgMention(name, name, o.start, m.end(), o.rule))
    # (the board found on its own, right after, is the same mention)
    return [o for k, o in enumerate(out) if not (k and out[k - 1].start <= o.start < out[k - 1].end)]
