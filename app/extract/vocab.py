"""The parser's vocabulary: named regex fragments, each spelled out once.

Rules in the other modules are built from these (`rf"(?:{LEAK})した"`), so a new spelling of
a word (漏えい, 漏洩, ろうえい) is added here and every rule that says "leak" learns it.
Fragments are plain alternations without groups, safe inside any other pattern.
"""
from __future__ import annotations

import re


def alt(*words: str) -> str:
    """An alternation of literal words, longest first (so 株式会社 beats 会社)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---- what happened ----
LEAK = "漏えい|漏洩|ろうえい|流出"
LEAK_ANY = LEAK + "|窃取|持ち出"
POSSIBLE = "可能性|おそれ|恐れ|懸念"

# ---- who speaks ----
LEGAL_FORMS = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
    "公益社団法人", "公益財団法人", "国立大学法人", "公立大学法人", "学校法人", "社会福祉法人",
    "医療法人社団", "医療法人財団", "医療法人", "独立行政法人", "地方独立行政法人",
    "特定非営利活動法人", "NPO法人", "社会医療法人", "宗教法人", "農事組合法人", "生活協同組合",
    "(株)", "(有)", "㈱", "㈲",
)
LEGAL = alt(*LEGAL_FORMS)
# A notice's first person: 弊社, 本学, 当院, 本市 … (news quotes say 申し上げます too, so
# only a first-person subject marks a notice).
FIRST_PERSON = (
    "弊社|当社|弊学|本学|当学|当院|本院|弊院|本校|当校|当機構|本機構|弊機構|当法人|本法人|弊法人|本会|当会|弊会|"
    "当館|本館|本市|本県|当市|当県|本町|当町|本村|当村|本区|当区|本庁|当庁|私ども|わたくしども|弊団体|当団体|"
    "当組合|本組合|弊組合|当センター|本センター|弊グループ|当グループ|弊財団|当財団|本財団|弊協会|当協会|本協会|"
    "弊行|当行|本行|弊金庫|当金庫|当事業団|本事業団|当連合会|本連合会|本園|当園|弊園|本省|当省|本部局"
)

# ---- how a text is laid out (layout.py, segment.py) ----
# What ends a notice's or an article's title: "…に関するお詫びとお知らせ", "…について(第2報)".
TITLE_END = "お知らせ|お詫び|おわび|ご報告|ご案内|お願い"
# Title endings that as often run on inside a sentence ("…について調査を進め").
TITLE_END_WEAK = "について|に関して|ご連絡|ご説明|まとめ"
# Nouns a news headline ends on ("…1万人情報流出の現実", "…の可能性"): weaker than TITLE_END.
HEADLINE_END = (
    LEAK + "|被害|発生|感染|紛失|盗難|誤送信|誤送付|誤公開|誤掲載|不正アクセス|不正ログイン|可能性|おそれ|恐れ|"
    "懸念|疑い|発覚|判明|公表|発表|処分|事案|事件|事故|攻撃|障害|対策|警告|注意喚起|現実|実態|影響|停止|"
    "相次ぐ|続報|速報|解説|まとめ|使用|不能に|可能に|浮き彫りに|注意|改ざん"
)
# Who a notice is addressed to, alone on its line: お客様各位, 関係者各位, 取引先各位.
SALUTATION = (
    "(?:(?:お|ご)?(?:客様|客さま|取引先様?|取引先|関係者|利用者|株主|会員|保護者|学生|教職員|市民|県民|患者|"
    "関係者の皆様|お客様ならびに関係者|皆様|皆さま)(?:の皆様|の皆さま)?)?各位|御中"
)
# How the body of a notice opens after its title: このたび, 平素より, 弊社 …
BODY_OPEN = "このたび|この度|此の度|平素|先般|今般|さて|本日|先日|" + FIRST_PERSON
# The office a signatory holds: "株式会社X 代表取締役社長 山田太郎"
SIGNATORY = (
    "代表取締役社長|代表取締役|取締役社長|代表理事|理事長|市長|町長|村長|区長|知事|学長|総長|病院長|院長|校長|"
    "会長|社長|センター長|機構長|所長|局長|教育長|代表者"
)
# Marks that open an item of a list or a digest, wherever the line breaks went.
HEAVY_MARKS = "■□◆◇●○▼▲★☆※"
