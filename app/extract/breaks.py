"""Where a unit of text may end or start: the candidate positions that `boundary.score` weighs.

Each pattern finds one kind of position in run-on text — a sentence's end, a list mark, a
date, a title's last word, an issuer's name ending, the subject of a news lead, a name a
headline gave and its prose repeats — in one pass over the text, so finding them stays
linear. Whether a unit really ends there is for the score to say.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator
from typing import NamedTuple

from . import vocab
from .orgs import PUBLIC_SUFFIX
from .rules import Rule, rule

# What a sentence's end (。) weighs toward a boundary: all it needs, unless what follows
# cannot start a unit (」, a particle after a quote).
SENTENCE_END_WEIGHT = 4.0
_NAME_CHARS = "一-龥々〆ヶァ-ヴーA-Za-z0-9・&."
_CLOSERS = "」』)】〕》"

# ---- where a unit may end or start: the candidate positions ----
SENTENCE_END = rule(
    "layout.sentence_end",
    r"。[」』】]*(?: ?(?:…|\.\.\.)+)?(?!\))|。\)|[!?]+[」』】]*",
    examples=["ご報告いたします。このたび", "解説。 ...2026-02-14", "「今後は注意する。」と述べた"],
    must_not=["といいます、において", "2.0版"],
)
SPACE = rule(
    "layout.space",
    r"[ \t]+",
    examples=["について 2023年2月9日 本学", "お客様各位 株式会社東玉"],
)
MARK = rule(
    "layout.mark",
    rf"(?=[{vocab.HEAVY_MARKS}【〔《•]|(?<![{_NAME_CHARS}])・(?=[^・\s])|・(?=(?:{vocab.LEGAL}))|- (?=\S)|{vocab.EMOJI_MARK})",
    examples=["以下の通り・氏名、住所", "■サクラ電工、通販サイトで流出", "【本件の概要】", "- 対象人数:5,836人", "公表 #不正ログイン (2/6)⚠️ 北斗メディカル"],
    must_not=["氏名・住所・電話番号"],
)
NUMBER = rule(
    "layout.number",
    rf"(?<![0-9A-Za-z.,/\-:第{vocab.HEAVY_MARKS}])(?<!事案)(?<!事例)(?<!案件)(?<!ケース)"
    # (①, ② … are folded to digits by normalisation, and glued to their text then.)
    r"(?=[0-9]{1,2}[.)](?![0-9])|\([0-9]{1,2}\)(?![0-9])|\[[0-9]{1,2}\](?![0-9])|[0-9]{1,2} (?=[一-龥ァ-ヴ]))",
    examples=["ご報告いたします。記1.経緯", "(1)原因 弊社が運営していた旧システム", "1 経緯 生田キャンパスの", "(11/19発表)[2] 株式会社ハヤテ通信"],
    must_not=["Lockbit 2.0による", "Ver 3.2.1へ", "合計13,434件", "※1フロントシステム"],
)
# A case in a summary of several ("事案1 法人名:…", "事例2:"): its number belongs to its word.
RECORD_HEAD = rule(
    "layout.record_head",
    r"(?<![本同似該各他前次])(?:事案|事例|案件|ケース)\s?[0-9]{1,2}(?![0-9,.])(?=[ \t:]|$)",
    examples=["取りまとめたものである。事案1 法人名:独立行政法人", "公表した。事例2:委託先", "件数:4,213人事例2 医療法人"],
    must_not=["本事案1件について", "類似事案10,000件"],
)
_WEEKDAY = r"(?:\s?[(][月火水木金土日](?:曜日?)?[)]|\s(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?![A-Za-z])\.?)"
FULL_DATE = rule(
    "layout.date",
    r"(?<![0-9])(?:(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}"
    r"|(?:19|20)[0-9]{2}(?:年[0-9]{1,2}月[0-9]{1,2}日|(?P<sep>[/.])[0-9]{1,2}(?P=sep)[0-9]{1,2}(?![0-9]))"
    r"|(?:令和|平成)(?:元|[0-9]{1,2})年[0-9]{1,2}月[0-9]{1,2}日)"
    rf"{_WEEKDAY}?(?:\s?[0-9]{{1,2}}:[0-9]{{2}})?(?: /)?",
    examples=["2026-02-15150億円要求", "2025.10.29 Wed伊万里市", "発表日時2024/1/17ケーズ", "令和4年6月20日 サイバー攻撃"],
    must_not=["12022-11-25", "2022年11月"],
)
OPENER = rule(
    "layout.opener",
    rf"(?={vocab.BODY_OPEN})",
    examples=["お詫びとお知らせこのたび、弊社", "(とうぎょく)弊社が運営する"],
)
SALUTATION = rule(
    "layout.salutation",
    vocab.SALUTATION,
    examples=["お知らせお客様各位株式会社東玉", "取引先各位平素より"],
)
_NTH_REPORT = r"[(](?:第[0-9]+報|続報|速報|最終報告?|お詫び|更新|訂正|追記)[)]"
TITLE_END = rule(
    "layout.title_end",
    rf"(?:{vocab.TITLE_END}|{vocab.TITLE_END_WEAK})(?: ?{_NTH_REPORT})?|{_NTH_REPORT}",
    examples=["お詫びとお知らせこのたび", "被害について(第1報)本院は"],
)
HEADLINE_END = rule(
    "layout.headline_end",
    rf"(?:{vocab.HEADLINE_END})(?:か|も)?",
    examples=["個人情報漏えいの可能性トヨタ自動車は1日、", "不正アクセス被害でスローヴィレッジは"],
)
LEGAL_START = rule(
    "layout.legal_start",
    # (not one a particle follows, which ends the name before it: "…かえで食品|株式会社は6日、")
    rf"(?=(?:{vocab.LEGAL})(?![はがのをにでともへ](?:[0-9、。「(\s]|$))[ ]?[{_NAME_CHARS}ぁ-ゖ])",
    examples=["2022年11月29日株式会社メタップスペイメント", "お客様各位株式会社 東玉", "株式会社はなまる"],
    must_not=["北浜市のかえで食品株式会社は6日、"],
)
# "岡山県は2022年11月27日、…と発表した": the subject of a news lead, wherever it begins.
NEWS_LEAD = rule(
    "layout.news_lead",
    r"(?:は|が|では)(?:、|それぞれ|同日)?(?:(?:19|20)[0-9]{2}年)?(?:[0-9]{1,2}月)?[0-9]{1,2}日(?:付け?で|(?:付|に)?、)"
    # News that drops the particle after a name in katakana or Latin letters: "ワコム11月21日、"
    r"|(?<=[ァ-ヴーA-Za-z])(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日、",
    examples=[
        "書き換えられる岡山県は2022年11月27日、県所有の", "可能性トヨタ自動車は1日、車と", "受ける郡山市は11月17日付で20代の",
        "不正アクセスの被害ワコム11月21日、ECサイト",
    ],
)
# A signatory's office that a name has come before ("大河内 貴之 X株式会社 代表取締役"): what
# follows it is no longer the signature.
SIGNATORY_END = rule(
    "layout.signatory_end",
    rf"(?:{vocab.SIGNATORY})(?=[A-Za-zァ-ヴ])",
    examples=["Secure・Pro株式会社 代表取締役J.フロント リテイリング株式会社 個人情報の取り扱いに関するお詫び"],
)
SIGNATORY = rule(
    "layout.signatory",
    rf"(?:{vocab.SIGNATORY})(?=[ ]?[一-龥々]{{1,4}}[ ]?[一-龥々ぁ-ゖ]{{1,4}}(?:[ \n]|$))",
    examples=["医療法人久仁会 鳴門山上病院 理事長 山上 敦子", "株式会社東玉 代表取締役 山田太郎"],
)
CONTACT = rule(
    "layout.contact",
    r"(?=【?(?:本件に関する)?(?:お?問い?合わ?せ(?:先|窓口)|連絡先)】?)",
    examples=["申し上げます。お問い合わせ先 株式会社X", "【お問合せ先】"],
)
KI = rule(
    "layout.ki",
    r"(?<=[。 ])(?:記|以上)(?=[ 0-9(①■●・【]|$|株式会社)",
    examples=["ご報告いたします。記1.経緯", "お願いいたします。以上"],
)

# What a notice's title opens with after its issuer: "特定非営利活動法人みどりの森|会員情報の流出…".
TITLE_SUBJECT = rule(
    "layout.title_subject",
    r"(?=(?:個人|会員|顧客|お客様|利用者|患者|学生|生徒|職員|従業員|取引先)(?:様)?の?情報)",
    examples=["特定非営利活動法人みどりの森会員情報の流出に関するお詫び"],
)
_STARTS: tuple[Rule, ...] = (MARK, NUMBER, OPENER, LEGAL_START, CONTACT, TITLE_SUBJECT)
_ENDS: tuple[Rule, ...] = (TITLE_END, HEADLINE_END)

_L_TITLE = re.compile(rf"(?:{vocab.TITLE_END})(?: ?{_NTH_REPORT})?\Z|{_NTH_REPORT}\Z")
_L_HEADLINE = re.compile(rf"(?:{HEADLINE_END.pattern.pattern})\Z")
# The kana a name may open with (みやぎ, いずみ野), not a word that opens a clause (ところ, また).
_KANA_HEAD_OF_NAME = (
    r"(?:(?!ところ|ため|また|なお|さらに|および|その|この|これ|それ|ほか|かつ|ただ|まず|しかし|そして|すでに|いずれ|"
    r"とくに|はじめ|まだ|よって|したがって|あわせ|もっとも|ちなみに|なかでも|うち)[ぁ-ゖ]{2,5})"
)
_ORG = (
    rf"(?:(?:{vocab.LEGAL})[ ]?(?:[ぁ-ゖ]{{1,6}})?[{_NAME_CHARS}]{{1,24}}|[{_NAME_CHARS}]{{1,25}}[ ]?(?:{vocab.LEGAL})"
    rf"|[{_NAME_CHARS}]{{1,25}}(?:{PUBLIC_SUFFIX}))"
)


class Candidate(NamedTuple):
    p: int  # the unit before ends here
    q: int  # the next one starts here; text[p:q] is a separator that goes
    bonus: float  # what the pattern that found it says (a sentence end, a news lead)
    needs: str = ""  # the bonus counts when the current unit named this (a repeated subject)


# Two rows of a Markdown table run together: "…可能性。 || 10月3日 | X市 | …".
TABLE_ROW = rule(
    "layout.table_row", r"\|(?=[ \t]*\|)",
    examples=("| 公表日 | 組織 | 概要 || 10月2日 | 株式会社ハナツメ食品 | カード情報が流出。 || 10月3日 | 宮前ヶ丘市 | 誤送付。 |",),
)


# A row of cells set out with bars, run into the text before and after it: "…依頼した。
# かすみ野市(自治体)|誤送信|2月14日保育課の職員が…" — it starts at its first cell's name and
# ends after its last cell's date.
ROW_START = rule(
    "layout.row_start",
    r"(?<=[)）。」])(?=[^\s|｜。、()（）「」]{2,30}(?:[(（][^()（）\n]{1,15}[)）])?[|｜][^|｜\n。]{1,20}[|｜])",
    examples=("本号に掲載)かすみ野市(自治体)|誤送信|2月14日保育課の職員が",),
    must_not=("かすみ野市は2月14日に公表した。",),
)
# A row of tab-separated cells whose first cell is a date, glued to the row before it when the
# breaks were lost: "…ランサムウェア感染\t調査中|11/5\t小鷺町教育委員会\t…"
TAB_ROW_DATE = rule(
    "layout.tab_row_date",
    r"(?<=[^\t\n0-9/.\-])(?=(?:(?:19|20)[0-9]{2}[/.\-])?[0-9]{1,2}[/.\-][0-9]{1,2}\t|(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日\t)",
    examples=("公表日\t組織名\t原因\t件数11/4\t株式会社ミツルギ電設\tランサムウェア感染\t調査中11/5\t小鷺町教育委員会",),
    must_not=("11/4\t株式会社ミツルギ電設", "2025/11/4\t株式会社ミツルギ電設"),
)
ROW_END = rule(
    "layout.row_end",
    r"[|｜][ \t]?(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日(?:[(（][^()（）\n]{1,6}[)）])?(?=[^\s|｜(（、。])",
    examples=("かすみ野市(自治体)|誤送信|2月14日保育課の職員が",),
    must_not=("| 2月14日 | かすみ野市 |",),
)


# An item's heading that is its body's name alone, after its mark, run into the item's first
# sentence: "◆北浦見市消防本部|救急搬送記録1名分を…", "◆公益財団法人ひかり野スポーツ振興財団|施設予約システムの…".
MARKED_NAME = rule(
    "layout.marked_name",
    rf"(?:[{vocab.HEAVY_MARKS}]|(?<![ぁ-ゖ一-龥々ァ-ヴーA-Za-z0-9])[―—─]{{2}})[ ]?(?P<run>(?:{vocab.LEGAL})?[ ]?(?:[ぁ-ゖ]{{1,5}})?[{_NAME_CHARS}]{{2,40}})",
    examples=("◆北浦見市消防本部救急搬送記録1名分を搬送先に", "◆公益財団法人ひかり野スポーツ振興財団施設予約システムの設定不備により"),
    must_not=("150億円要求されても払えない——武蔵小杉病院1万人情報流出の現実",),
)
_SUFFIX_IN_RUN = re.compile(rf"(?:{PUBLIC_SUFFIX})")


def _marked_name_ends(text: str, s: int, e: int) -> Iterator[int]:
    """Where a name that heads a marked item ends, when a word of the item's text follows it
    unbroken: after the last public suffix in the run of name characters (北浦見市|消防本部|
    救急… ends after 消防本部, 伊万里市民図書館 after 図書館), unless a particle follows (the
    item's sentence then opens with the name: "◆山吹川町は…")."""
    for m in MARKED_NAME.finditer(text, s, e):
        run_s, run_e = m.span("run")
        last = None
        for x in _SUFFIX_IN_RUN.finditer(text, run_s + 2, run_e):
            last = x
        if last is None or last.end() >= run_e - 1 or text[last.end()] in "のはがをにでとへもや":
            continue
        yield last.end()


_EMOJI = re.compile(vocab.EMOJI_MARK + r"(?= )")  # (one that ends a heading, "…情報が…🥐", is glued to it)


# Where a web page's navigation begins after its article ("…個人情報漏えい|関連記事|・介護事業者の…",
# "(編集部)|この記事をシェア|X でポスト"): the words stand alone on their line.
NAVIGATION = rule(
    "layout.navigation", rf"(?:{vocab.NAVIGATION}|この記事をシェア(?:する)?)(?:一覧)?",
    examples=("タグ:ランサムウェア VPN 個人情報漏えい関連記事・介護事業者のサーバーが被害", "(セキュリティフロント編集部)この記事をシェアX(旧Twitter)でポスト"),
)


# A link's file type and size, the last thing on its line ("…について(PDF:186KB)|11月24日畜産課…").
FILE_LINK = rule(
    "layout.file_link",
    r"[(\[](?:PDF|pdf|Word|WORD|Excel|EXCEL|XLSX?|xlsx?|DOCX?|docx?|CSV|csv|ZIP|zip)(?:ファイル)?\s?[:/,]?\s?[0-9][0-9.,]*\s?[KMG]i?B(?:ytes?)?[)\]]",
    examples=("ご指摘をいただき、同日、ファイルを削除しました。(PDF:142KB)11月18日くらし安全課", "中間評価の公表について(PDF:1.2MB)前月の"),
    must_not=("PDF形式で公開",),
)
# A digest's heading row of fields between bars, its date last ("株式会社X(化学)|ランサムウェア|2月3日"),
# then its text after a space where its line ended.
PIPE_ROW_TAIL = rule(
    "layout.pipe_row",
    r"\|[ ]?[^|。\s][^|。\n]{0,24}\|[ ]?(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日(?:[(][^()\n]{1,8}[)])?(?=\s)",
    examples=("調査中としている。 株式会社ユキワリ化成(化学)|ランサムウェア|2月3日 1月29日に社内サーバーの",),
    must_not=("| 2024/12/03 | 株式会社X |", "別の世帯に送付。 | | 10月4日 | トランスミル運輸株式会社 |"),
)
_ROW_OPENS = re.compile(r"。[」』)]*\s*|\s{2,}|[■□◆●▼][^\s|]{1,12}\s")


def _pipe_rows(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each heading row of bar-separated fields ending in a date: a unit."""
    for m in PIPE_ROW_TAIL.finditer(text, s, e):
        lo = max(s, m.start() - 60)
        start = lo if lo == s else None
        for o in _ROW_OPENS.finditer(text, lo, m.start()):
            start = o.end()
        if start is None or "|" in text[start : m.start()]:
            continue
        yield start, m.end()


# A list's numbers in brackets, counted up one by one ("…可能性(11/23)[9] 株式会社…"): each opens an item.
_BRACKET_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?P<open>[\[(])(?P<n>[0-9]{1,2})[\])]")


_MARK_BEFORE = frozenset(vocab.HEAVY_MARKS + "【〔《•・#")


def _counted_marks(text: str, s: int, e: int) -> list[int]:
    """Where the members of a run of three or more bracketed numbers counting up stand."""
    runs: dict[str, list[tuple[int, int]]] = {}
    out: list[int] = []
    for m in _BRACKET_NUMBER.finditer(text, s, e):
        run = runs.setdefault(m["open"], [])
        n = int(m["n"])
        if run and n == run[-1][1] + 1 and m.start() - run[-1][0] < 3000:
            run.append((m.start(), n))
            continue
        if len(run) >= 3:
            out.extend(p for p, _ in run)
        runs[m["open"]] = [(m.start(), n)] if n <= 2 else []
    out.extend(p for run in runs.values() if len(run) >= 3 for p, _ in run)
    return out


# A thread's post counter, "(2/6)": a unit of its own where the thread counts its posts more than
# once by the same number (a lone "(1/19)" is a date in brackets).
_COUNTER = re.compile(r"\((?P<n>[0-9]{1,2})/(?P<of>[0-9]{1,2})\)")


def _post_counters(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    found = [m for m in _COUNTER.finditer(text, s, e) if 0 < int(m["n"]) <= int(m["of"]) <= 40]
    for m in found:
        if sum(1 for o in found if o["of"] == m["of"] and abs(o.start() - m.start()) < 3000) >= 3:
            yield m.start(), m.end()


# A news page's section heading over its list of articles ("2023年9月14日(木)|きょうのニュース|会報の…").
SECTION_LABEL = rule(
    "layout.section_label",
    r"(?:きょう|今日|本日|最新|主な|今週|新着)の?(?:ニュース|記事|トピックス)(?:一覧)?(?![をがはにでと])",
    examples=("2023年9月14日(木)きょうのニュース会報の発送委託先がランサム被害",),
    must_not=("今日のニュースによると",),
)
# A news article's dateline, the place it was written in brackets before its lead ("…流出の恐れ|【佐賀】|
# さがの物産株式会社(佐賀市)は13日、"): not a tag that opens a headline (【速報】), since a lead follows.
DATELINE = rule(
    "layout.dateline",
    r"【[一-龥々ぁ-ゖァ-ヴー]{1,6}】(?=(?:[一-龥]{1,6}の)?(?:[ぁ-ゖ]{2,5}[一-龥々ァ-ヴーA-Za-z0-9・&]{1,25}|[一-龥々ァ-ヴーA-Za-z0-9・&]{2,25})(?:[(][^)]{1,12}[)])?"
    r"(?:は|が|では)(?:[0-9]{1,2}月)?[0-9]{1,2}日(?:付け?で|(?:付|に)?、))",
    examples=("会員情報流出の恐れ【佐賀】さがの物産株式会社(佐賀市)は13日、会員向け", "閲覧可能に【ひなた】ひなた市は13日、市の"),
    must_not=("【速報】サクラ電工、通販サイトで流出", "【やまびこ市】学校のクラウドで児童情報が閲覧可能にやまびこ市教育委員会は5月16日、"),
)

# What a web page sets before its article ("本文へスキップ|汐見原市|Shiomibara City|文字サイズ"), and
# a name in Latin letters, two words or more, glued to the Japanese after it (a logo's English
# name before the menu: "… TECHNOLOGY ASSOCIATION|協会概要").
PAGE_CHROME = rule(
    "layout.page_chrome",
    rf"{vocab.PAGE_CHROME}|(?<![A-Za-z])[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)+(?=[一-龥ァ-ヴ])(?!{vocab.LEGAL}|ホールディングス|グループ|社)",
    examples=("本文へスキップ汐見原市Shiomibara City文字サイズ 標準", "KUROGANE CASTING ASSOCIATION協会概要 会員企業一覧"),
    must_not=("Quillmont Japan株式会社",),
)


# A breadcrumb's last crumb, run into the headline after it: "ホーム > 医療IT > 記事|潮見中央病院、…".
CRUMB = rule(
    "layout.crumb", r"(?:[^\s>]{1,12} ?> ?){2,}",
    examples=("セミナーホーム > 医療IT > 記事潮見中央病院、ランサムウェアで",),
)
_CRUMB_NAME = re.compile(rf"[一-龥々〆ヶァ-ヴーA-Za-z0-9][{_NAME_CHARS}]{{2,29}}")


def _crumb_ends(text: str, s: int, e: int) -> Iterator[int]:
    """Where a breadcrumb's last crumb ends: before the first name, a few characters into
    it, that the text names again further on (the headline's subject, which its article
    repeats), unless crumb and name recur together; or where the headline repeats it."""
    for m in CRUMB.finditer(text, s, e):
        a = m.end()
        # the last crumb is the page's title, which its headline repeats at once
        twice = next((n for n in range(6, min(100, (e - a) // 2 + 1)) if text.startswith(text[a : a + n], a + n)), None)
        if twice is not None:
            yield a + twice
            continue
        for k in range(1, 13):
            p = m.end() + k
            if p >= e or text[p - 1] in " 、。":
                break
            run = _CRUMB_NAME.match(text, p, e)
            if run and text.find(run.group(), run.end(), e) >= 0:
                # (not a phrase that recurs whole: the crumb is the headline itself, repeated)
                if text.find(text[m.end() : run.end()], run.end(), e) < 0:
                    yield p
                break


# An address is never cut: "…/notice?date=2022.11.25" holds a date and an equals sign.
URL = rule(
    "layout.url", r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%\-]+",
    examples=("詳細はhttps://example.jp/notice?date=2022.11.25 をご覧ください。2022年8月19日に判明しました。",),
)


def candidates(text: str, s: int, e: int) -> list[Candidate]:
    """Candidate boundaries in text[s:e], sorted by position."""
    out: dict[int, Candidate] = {}
    urls = [(m.start(), m.end()) for m in URL.finditer(text, s, e)] if "://" in text[s:e] or "www." in text[s:e] else []
    url_starts = [u[0] for u in urls]

    def add(p: int, q: int, bonus: float = 0.0, needs: str = "") -> None:
        if urls:
            k = bisect_right(url_starts, p) - 1
            if k >= 0 and urls[k][0] < p < urls[k][1]:
                return
        if s < p < e:
            old = out.get(p)
            if old is None:
                out[p] = Candidate(p, q, bonus, needs)
            elif bonus > old.bonus or q > old.q:
                keep = (bonus, needs) if bonus > old.bonus else (old.bonus, old.needs)
                out[p] = Candidate(p, max(q, old.q), *keep)

    def whole(p: int, q: int, bonus: float) -> None:
        """text[p:q] is a unit of its own: no candidate inside it, a strong one at either end."""
        for inner in [k for k in out if p < k < q]:
            del out[inner]
        add(p, p, bonus)
        add(q, q, bonus)

    row_ends: set[int] = set()
    if text.find("|", s, e) >= 0:
        for m in TABLE_ROW.finditer(text, s, e):
            add(m.end(), m.end(), SENTENCE_END_WEIGHT)
            row_ends.add(m.end())
        for m in ROW_START.finditer(text, s, e):
            add(m.start(), m.start(), SENTENCE_END_WEIGHT)
        for m in ROW_END.finditer(text, s, e):
            add(m.end(), m.end(), SENTENCE_END_WEIGHT)
    if text.find("\t", s, e) >= 0:
        for m in TAB_ROW_DATE.finditer(text, s, e):
            add(m.start(), m.start(), SENTENCE_END_WEIGHT)
    if text.find(">", s, e) >= 0:
        for p in _crumb_ends(text, s, e):
            add(p, p, 2.5)
    for p in _marked_name_ends(text, s, e):
        add(p, p, 2.0)
    if "##" in text[s:e]:
        for m in _MD_HEADING.finditer(text, s, e):
            add(m.start(), m.start(), 2.0)  # a Markdown heading ("## ピックアップ### X社の…")
    if "Subject" in text[s:e] or "件名" in text[s:e]:
        for m in MAIL_FIELD.finditer(text, s, e):
            add(m.start(), m.start(), 9.0)  # a mail's header field, glued to the one before (a word run on: -6)
    for m in _EMOJI.finditer(text, s, e):
        add(m.start(), m.start(), 2.0)  # a post's emoji marks an item, even after a clause left open
    for m in NAVIGATION.finditer(text, s, e):
        add(m.start(), m.start(), 3.5)
        add(m.end(), m.end(), 3.5)
    for m in SECTION_LABEL.finditer(text, s, min(e, s + 600)):
        add(m.start(), m.start(), 3.5)
        add(m.end(), m.end(), 3.5)
    if "B)" in text[s:e] or "B]" in text[s:e]:
        for m in FILE_LINK.finditer(text, s, e):
            add(m.start(), m.start(), 2.0)
            add(m.end(), m.end(), SENTENCE_END_WEIGHT)
    if "【" in text[s:e]:
        for m in DATELINE.finditer(text, s, e):
            add(m.start(), m.start(), SENTENCE_END_WEIGHT)
            add(m.end(), m.end(), 2.0)
    for m in PAGE_CHROME.finditer(text, s, min(e, s + 600)):
        add(m.start(), m.start(), 2.0)
        add(m.end(), m.end(), 3.5)
    for m in SENTENCE_END.finditer(text, s, e):
        # (A sentence that ends inside brackets, "(※…しています。)", ends a unit less surely.)
        add(m.end(), m.end(), SENTENCE_END_WEIGHT if m.group()[0] == "。" and m.group()[-1] != ")" else 2.0)
    for m in SPACE.finditer(text, s, e):
        add(m.start(), m.end())
    for m in RECORD_HEAD.finditer(text, s, e):
        add(m.start(), m.start(), 2.0)  # a case of a summary opens a unit (its name may follow on)
    for r in _STARTS:
        for m in r.finditer(text, s, e):
            add(m.start(), m.start())
    for r in _ENDS:
        for m in r.finditer(text, s, e):
            add(m.end(), m.end())
    for m in ORG_END.finditer(text, s, e):
        if m.group("legal") or not _ORG_GOES_ON.match(text, m.end(), e):
            add(m.end(), m.end())
    for m in FULL_DATE.finditer(text, s, e):
        add(m.start(), m.start())
        add(m.end(), m.end())
    for m in SALUTATION.finditer(text, s, e):
        add(m.start(), m.start())
        add(m.end(), m.end())
    for m in KI.finditer(text, s, e):
        add(m.start(), m.start())
        add(m.end(), m.end())
    for m in SIGNATORY.finditer(text, s, e):
        add(m.start(), m.start())
    for m in SIGNATORY_END.finditer(text, s, e):
        add(m.end(), m.end())
    for m in NEWS_LEAD.finditer(text, s, e):
        for p in _lead_starts(text, max(s, m.start() - 50), m.start()):
            add(p, p, 1.5)
    for p, name in _repeated_subjects(text, s, e):
        add(p, p, 1.5, name)
    if "目次" in text[s:e]:
        for marks, repeats in _contents_repeats(text, s, e):
            for inner in [k for k in out if marks[0] < k < repeats[0][0]]:
                del out[inner]
            for p in marks:
                add(p, p, 8.0)  # the contents' entries, a line each
            for p, q in repeats:
                whole(p, q, 8.0)  # a heading the contents listed, where the body repeats it, whatever is glued to it
    if text.find(":", s, e) >= 0 or text.find("---", s, e) >= 0 or text.find("===", s, e) >= 0:
        for m in FIELD_START.finditer(text, s, e):
            # a rule drawn across the page, a field's label (URL:, 概要:), an item's [N]
            # (an address's label starts a unit whatever ends before it: "…所在不明にURL: https://")
            add(m.start(), m.start(), SENTENCE_END_WEIGHT if text.startswith("URL", m.start()) else 2.0)
            if m.group("rule"):
                add(m.end("rule"), m.end("rule"), 2.0)
    if "·" in text[s:e] or "・" in text[s:e]:
        for m in POST_STAMP.finditer(text, s, e):
            whole(m.start(), m.end(), SENTENCE_END_WEIGHT)  # a post's timestamp, its time and date together
    for p in _counted_marks(text, s, e):
        if text[p - 1] not in _MARK_BEFORE:  # (■(1)…: the mark before opens the unit already)
            add(p, p, SENTENCE_END_WEIGHT)
    if "/" in text[s:e]:
        for p, q in _post_counters(text, s, e):
            whole(p, q, SENTENCE_END_WEIGHT)
        for m in BBS_POST.finditer(text, s, e):
            whole(m.start(), m.end(), 2 * SENTENCE_END_WEIGHT)  # a board's post header, a line of its own
    if text.find("|", s, e) >= 0:
        for p, q in _pipe_rows(text, s, e):
            whole(p, q, SENTENCE_END_WEIGHT)  # (a name of two words, a space between, stays whole)
    if row_ends:
        # A Markdown table run together ("| 2024/12/03 | 株式会社X | … || 2024/12/06 | …"): its
        # rows end between two bars; no unit ends at a cell's bar within a row
        for p in [p for p in out if p not in row_ends and _in_row(text, p, s, e)]:
            del out[p]
    for p in [p for p in out if text.startswith("【", p) and _EMOJI_BEFORE.search(text, max(s, p - 3), p)]:
        del out[p]  # "🚨【速報】…": the emoji and the tag open one item
    # A space just before a candidate is the separator that stood for the newline.
    merged: list[Candidate] = []
    for c in sorted(out.values()):
        last = merged[-1] if merged else None
        if last and last.q == c.p and last.p < c.p and text[last.p : c.p].isspace():
            merged[-1] = Candidate(last.p, c.q, max(last.bonus, c.bonus), c.needs or last.needs)
            continue
        merged.append(c)
    return merged


BBS_POST = rule(
    "layout.bbs_post",
    vocab.BBS_POST_HEADER + r"(?![A-Za-z0-9])",
    examples=("とのこと2 :名無しさん@お腹いっぱい。:2021/11/08(月) 21:20:44.10 ID:Hk3pQz0a0ひなた福祉会が11月5日に発表",),
    must_not=("2021/11/08 21:20に発表",),
)
POST_STAMP = rule(
    "layout.post_stamp",
    vocab.POST_TIME_DAY,
    examples=("パスワードは使い回さないで…午後9:16 · 2025年9月5日📮 みどり野市、",),
)
_EMOJI_BEFORE = re.compile(vocab.EMOJI_MARK + r"\s?\Z")
_MD_HEADING = re.compile(r"(?<!#)" + vocab.MD_HEADING)
def _in_row(text: str, p: int, s: int, e: int) -> bool:
    """Whether p stands between two bars of one row of a table run together (not before its
    first bar nor after its last: the sentence before the table and the note after it)."""
    before = text.rfind("|", max(s, p - 120), p)
    after = text.find("|", p, min(e, p + 120))
    return before >= 0 and after >= 0 and "\n" not in text[before:after]


# A mail's header field where a digest's breaks were lost: "Message: 1Date: Mon, 9 Mar 2015
# 08:41:17 +0900From: 沖田 <o@example.jp>To: list@example.orgSubject: [list 01203] …"
MAIL_FIELD = rule(
    "layout.mail_field",
    rf"(?<![A-Z\-])(?:{vocab.MAIL_FIELDS}|Message)\s?:\s?(?=\S)",
    examples=("------Message: 1Date: Mon, 9 Mar 2015 08:41:17 +0900From: 沖田 <o@example.jp>To: list@example.orgSubject: [list 01203] 芦ヶ谷市教委",),
    must_not=("Message-ID",),
)


FIELD_START = rule(
    "layout.field_start",
    rf"(?P<rule>([=\-_~*#─━―＝])\2{{4,}})|(?:URL|{vocab.SOURCE_LABEL}|(?:[一-龥]{{2}}の)?(?:概要|経緯|原因)|件名|日時|発生日|公表日|発表日|判明日|対象|担当課|担当部署|担当者|電話|TEL|Tel|FAX|Fax|E-mail|メール|"
    r"組織名|団体名|企業名|法人名|事業者名|件数|被害件数|(?<![A-Za-z])[QA])\s?:\s?(?=\S)|\[[0-9]{1,2}\](?=\S)"
    # a record's number glued before its first field ("…電話番号)2公表日:令和7年11月7日")
    r"|(?<![0-9,.])[0-9]{1,2}(?=(?:公表日|発表日|発生日|判明日|日時)\s?:)"
    # a listed company's release: its cover's labels, set in cells without a colon
    rf"|(?:会社名|法人名)\s?(?=(?:{vocab.LEGAL}))|代表者名?\s?(?=代表|取締役|理事|会長|社長)|(?:問合せ先|問い合わせ先)\s?(?=取締役|執行役|代表|[一-龥]{{2,8}}部)",
    examples=("----------[1]", "URL: https://example.jp/", "概要:給与計算", "[2]▼生協の", "令和6年11月12日担当課:健康福祉部", "(本社・新潟県)Q:何が起きたのか。",
              "各位会社名株式会社ヒイラギ代表者名代表取締役社長野々村恒一", "(配送先の氏名・住所)2公表日:令和7年11月7日組織名:国立大学法人東雲大学"),
    documents=(
        "ミライ通信 Vol.214 2022年12月6日発行----------[1]▼給与計算クラウドに不正アクセスURL: https://news.example.jp/2022/12/01/a/"
        "概要:株式会社ミツボシソフトは11月29日、サーバーが不正アクセスを受けたと発表した。----------[2]▼生協で注文書が所在不明に"
        "URL: https://news.example.jp/2022/12/02/b/概要:たまゆら生協は12月1日、注文書約1,300人分が所在不明になっていると発表した。",
    ),
    must_not=("当社の概要について",),
)


# The end of an issuer's name, where a header line may end: "…しらかば大学|メールの誤送信".
ORG_END = rule(
    "layout.org_end",
    # A legal form after a name ends it (ジェントス株式会社|…); one before a name does not
    # (株式会社|カエデ物産, nor 2024年3月8日株式会社|ミナモ工業).
    rf"(?<=[一-龥々ァ-ヴーA-Za-z])(?<![年月日])(?P<legal>{vocab.LEGAL})"
    # (Not after 市, 県, 町 …: 伊万里市民図書館, つるぎ町立半田病院 go on; but "ゆずりは村|村ホーム
    # ページにおける…": a title that opens with its issuer's suffix.)
    r"|(?P<twice>[市町村区県])(?=(?P=twice))"
    r"|(?:大学|病院|機構|協会|委員会|組合|金庫|銀行|財団|学園|学校|センター|研究所|事務所)(?![ぁ-ゖ、。」)\s院部長附属病校生内外法])",
    examples=["国立大学法人しらかば大学メールの誤送信による個人情報の漏えいについて"],
)
# A name run that ends as an issuer's does: the name before it goes on (東海国立大学|機構).
# (Not one that opens with 県立/市立…: "…教育委員会|県立高等学校における" is a title after its issuer.)
_ORG_GOES_ON = re.compile(rf"(?![都道府県市区町村国公私]立)[{_NAME_CHARS}]{{0,16}}(?:{PUBLIC_SUFFIX}|{vocab.LEGAL})(?![{_NAME_CHARS}])")
_SUBJECT_RUN = re.compile(
    rf"(?:(?:「[^」]{{2,30}}」|[{_NAME_CHARS}]){{2,25}}(?:と|、))?(?:「[^」]{{2,30}}」|[{_NAME_CHARS}]){{2,25}}\Z"
)
# What may stand between a headline and the subject of its first sentence: "精密部品メーカーの",
# "雑貨店を営む", "大阪ガスの子会社である".
_MODIFIER = re.compile(r"[^、。「」\s]{2,20}?(?:の|である|大手|[をが][^、。をがは]{1,6}?[うくすつぬむるぐぶ])")


def _lead_starts(text: str, lo: int, end: int) -> Iterator[int]:
    """Where a news lead whose subject ends at `end` begins: at its subject (after a headline's
    last word it is glued to: "可能性トヨタ自動車" → トヨタ自動車; with a kana head of its own:
    "  いずみ野市"), and before a modifier that follows a headline ("…停止|精密部品メーカーの
    株式会社テスト精機は")."""
    m = _SUBJECT_RUN.search(text, lo, end) or _SHORT_RUN.search(text, lo, end)
    if not m:
        return
    start = m.start()
    date = _DATE_HEAD.match(text, start, end)
    if date and end - date.end() >= 2:
        start = date.end()  # "…/公表:2月17日|東雲学院大学は2月17日、": a date is no part of a name
    kana = _KANA_HEAD.search(text, lo, start) or _KANA_AFTER_FOUNDER.search(text, lo, start) or _KANA_AFTER_PLACE.search(text, lo, start)
    if kana is None:
        # "…紛失ささぶね町は": kana right after a headline's last word head a name.
        kana = _KANA_RUN.search(text, lo, start)
        if kana and not _after_headline(text, lo, kana.start()):
            kana = None
    if kana:
        start = kana.start()
    else:
        # "…誤掲載いずみ野市は": a kana head glued to a headline that named it before.
        for k in range(5, 1, -1):
            head = text[max(lo, start - k) : start]
            if len(head) == k and _KANA_ONLY.fullmatch(head) and text.find(head + text[start], max(0, start - 150), start - k) >= 0:
                start -= k
                break
        else:
            glued = start > lo and not _OPEN_BEFORE.match(text, start - 1)
            named = _named_before(text, start, end) if glued else None
            if named is not None:
                start = named  # "…顧客情報を不正閲覧シラサギ信用金庫は": the name the headline gave
            else:
                # A run glued to a headline's last word ("…可能性トヨタ自動車", "…ランサムウェア
                # 被害ソラマチ印刷"): the subject starts after the last such word in it.
                last = None
                for w in _LEAD_WORD.finditer(text, start, end - 1):
                    last = w
                if last is not None and end - last.end() >= 2:
                    start = last.end()
    # "…感染県立やまぶき病院は": 県立, 市立 … belong to the name.
    if start - 2 >= lo and text[start - 1] == "立" and text[start - 2] in "都道府県市区町村国公私":
        start -= 2
    # "国立大学法人ひさご|大学は": a legal form and the kana its name opens with belong to it
    legal = _LEGAL_KANA_BEFORE.search(text, max(lo, start - 24), start)
    if legal is not None:
        start = legal.start()
    # A modifier after a headline ("精密部品メーカーの") opens the prose; else its subject does.
    mod = _modifier_start(text, lo, start)
    yield start if mod is None else mod


_DATE_HEAD = re.compile(r"(?:(?:19|20)[0-9]{2}年)?[0-9]{1,2}月[0-9]{1,2}日")
_LEGAL_KANA_BEFORE = re.compile(rf"(?:{vocab.LEGAL})[ ]?[ぁ-ゖ]{{1,6}}\Z")


def _named_before(text: str, start: int, end: int) -> int | None:
    """Where, inside the name run text[start:end], the longest tail that the last 150
    characters named begins (not at `start`: the whole run is no news)."""
    for k in range(start + 1, end - 2):
        o = text.find(text[k:end], max(0, start - 150), start)
        # (named whole: not the tail of a longer name, スローヴィレッジ → ローヴィレッジ)
        while o >= 0 and o > 0 and _NAME_END.match(text, o - 1):
            o = text.find(text[k:end], o + 1, start)
        if o >= 0:
            return k
    return None


def _modifier_start(text: str, lo: int, start: int) -> int | None:
    """Where a modifier that a headline's last word ends before, and a subject at `start`
    follows, begins ("…停止|精密部品メーカーの株式会社テスト精機"), or None."""
    ends = [w.end() for w in _LEAD_WORD.finditer(text, max(lo, start - 28), start)]
    # (or a credit in brackets that closes a headline: "…私立高(共同)|大阪府の私立みなと学園高校は")
    ends += [p + 1 for p in range(max(lo, start - 28), start) if text[p] in ")】"]
    for p in sorted(ends, reverse=True):
        while p < start and text[p] == " ":
            p += 1
        if _MODIFIER.fullmatch(text, p, start):
            return p
    return None


def _after_headline(text: str, lo: int, p: int) -> bool:
    """Whether a headline's last word (and maybe a space) ends at p."""
    while p > lo and text[p - 1] == " ":
        p -= 1
    return bool(_L_HEADLINE.search(text, max(lo, p - 12), p) or _L_TITLE.search(text, max(lo, p - 12), p))


_KANA_HEAD = re.compile(r"(?:(?<=[\s。、」)】:：])|^)[ぁ-ゖ]{2,5}\Z")
_KANA_RUN = re.compile(r"[ぁ-ゖ]{2,5}\Z")
# "…私立みなと|学園高校は": kana after 私立, 県立 … open the name they found.
_KANA_AFTER_FOUNDER = re.compile(r"(?<=[都道府県市区町村国公私]立)[ぁ-ゖ]{2,5}\Z")
# "…北浜市の|かえで食品株式会社は": kana after a place and its の open the name.
_KANA_AFTER_PLACE = re.compile(rf"(?<=[都道府県市区町村]の){_KANA_HEAD_OF_NAME}\Z")
_SHORT_RUN = re.compile(rf"[{_NAME_CHARS}]\Z")
_KANA_ONLY = re.compile(r"[ぁ-ゖ]+")
_LEAD_WORD = re.compile(rf"(?:{vocab.HEADLINE_END})(?:か|も)?|(?:{vocab.TITLE_END})")


# A name that a headline gave and its prose repeats as its subject: "…メール誤送信対策|鹿児島市の
# 業務委託先で", "…懲戒処分を受ける|郡山市は".
SUBJECT_REPEAT = rule(
    "layout.subject_repeat",
    rf"[{_NAME_CHARS}]{{2,30}}\s?(?:は|が|では|にて|、|の)",
    examples=["鹿児島市の婚活イベント参加者メールアドレス流出事案から学ぶメール誤送信対策鹿児島市の業務委託先でメール誤送信が発生し、"],
)


def _repeated_subjects(text: str, s: int, e: int) -> Iterator[tuple[int, str]]:
    """(where, name): a name of the last 150 characters starts again, as a subject."""
    recent: deque[tuple[int, str]] = deque()
    for m in _NAME_RUN.finditer(text, s, e):
        run, r = m.group(), m.start()
        while recent and r - recent[0][0] > 150:
            recent.popleft()
        if recent and SUBJECT_REPEAT.match(text, r, e):
            for _pos, old in recent:
                if len(old) < 3 and not _SHORT_PUBLIC.search(old):
                    continue
                k = run.find(old)
                if k < 0 and len(run) >= 3 and old.startswith(run):
                    k = 0  # "akaran公式オンラインストア" named before, "akaranが" now
                if k < 0 or not run.endswith(old) and not run.startswith(old) and k != 0:
                    continue
                # Glued to a word before it ("…誤送信対策鹿児島市", "…より引用中央大学"): the name
                # starts after that word, unless the run is a longer name (山口県岩国市).
                glued = r > s and not _OPEN_BEFORE.match(text, r - 1)
                if k > 0 and glued and not _PLACE_END.search(run, 0, k):
                    yield r + k, old
                elif r > s and not _NAME_END.match(text, r - 1):
                    yield r, old
                    # "…漏えいの可能性|コスメ製品などを扱うakaranが": a modifier between them.
                    mod = _modifier_start(text, s, r)
                    if mod is not None:
                        yield mod, old
                break
        recent.append((r, run))


# A post's table of contents run together: "目次・パン屋さんの通販でカード情報が…🥐・皮ふ科クリニックで…".
_CONTENTS = re.compile(r"目次[ \t:]*(?=[・•●■◆])")
_CONTENTS_MARK = re.compile(r"[・•●■◆]")
_ENTRY_TAIL = re.compile(rf"(?:{vocab.EMOJI_MARK}|[ \t…])+\Z")
_EMOJI_AT = re.compile(vocab.EMOJI_MARK)


def _contents_repeats(text: str, s: int, e: int) -> Iterator[tuple[list[int], list[tuple[int, int]]]]:
    """For each run-together table of contents whose headings the body repeats below it:
    where its entries' marks stand, and (start, end) of each heading where it is repeated."""
    for m in _CONTENTS.finditer(text, s, e):
        entries: list[str] = []
        marks: list[int] = []
        p = m.end()
        while p < e and _CONTENTS_MARK.match(text, p) and len(entries) < 30:
            marks.append(p)
            nxt = _CONTENTS_MARK.search(text, p + 1, min(e, p + 42))
            entry = text[p + 1 : nxt.start() if nxt else min(e, p + 41)]
            entries.append(entry)
            if nxt is None:
                break
            p = nxt.start()
        if len(entries) < 2:
            continue
        body = p  # the last entry runs into the body: its first heading is the first entry
        repeats: list[tuple[int, int]] = []
        for entry in entries:
            key = _ENTRY_TAIL.sub("", entry)
            if len(key) < 6:
                continue
            at = text.find(key, body, e)
            if at < 0:
                continue
            end = at + len(key)
            while end < e:  # (an emoji or an ellipsis after the heading stays on its line)
                em = _EMOJI_AT.match(text, end)
                if em is None and text[end] not in " \t…":
                    break
                end = em.end() if em else end + 1
            repeats.append((at, end))
            body = end
        if len(repeats) >= 2:
            yield [m.start(), *marks], repeats


_SHORT_PUBLIC = re.compile(rf"[一-龥々](?:{PUBLIC_SUFFIX})$")
_OPEN_BEFORE = re.compile(r"[\sA-Za-z0-9。、・:「」()【】]")
_PLACE_END = re.compile(rf"(?:{PUBLIC_SUFFIX}|{vocab.LEGAL})\Z")
_NAME_RUN = re.compile(rf"[一-龥々〆ヶァ-ヴーA-Za-z0-9][{_NAME_CHARS}]{{1,29}}")
_NAME_END = re.compile(rf"[{_NAME_CHARS}]")
