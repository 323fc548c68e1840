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
# "確認されていない", "確認されておりません": a finding denied
DENIED = "確認されて(?:いない|おらず|おりません|いません)"

# ---- who speaks ----
LEGAL_FORMS = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
    "公益社団法人", "公益財団法人", "国立大学法人", "公立大学法人", "学校法人", "社会福祉法人",
    "医療法人社団", "医療法人財団", "医療法人", "独立行政法人", "地方独立行政法人",
    "特定非営利活動法人", "NPO法人", "社会医療法人", "宗教法人", "農事組合法人",
    "税理士法人", "弁護士法人", "監査法人", "司法書士法人", "行政書士法人", "社会保険労務士法人", "特許業務法人",
    "(株)", "(有)", "㈱", "㈲",
)
LEGAL = alt(*LEGAL_FORMS)
# A notice's first person: 弊社, 本学, 当院, 本市 … (news quotes say 申し上げます too, so
# only a first-person subject marks a notice).
FIRST_PERSON = (
    "弊社|当社|弊学|本学|当学|当院|本院|弊院|本校|当校|当機構|本機構|弊機構|当法人|本法人|弊法人|本会|当会|弊会|"
    "当館|本館|本市|本県|当市|当県|本町|当町|本村|当村|本区|当区|本庁|当庁|私ども|わたくしども|弊団体|当団体|"
    "当組合|本組合|弊組合|当センター|本センター|弊グループ|当グループ|弊財団|当財団|本財団|弊協会|当協会|本協会|"
    "弊行|当行|本行|弊金庫|当金庫|当事業団|本事業団|当連合会|本連合会|本園|当園|弊園|本省|当省|本部局|当店|弊店|本店(?!舗)"
)

# ---- what is not this incident ----
# Another incident or a survey quoted for comparison: "3504万人分に次ぐ", "東京商工リサーチによると",
# "原因別では不正アクセスが49件", "同業他社で起きた約46万件の流出と比べれば".
COMPARISON = (
    "に次ぐ|史上|過去最大|過去最多|上回る|調査によると|集計によると|リサーチ|統計|集計では|原因別|同業他社|他社で起き|と比べ|"
    "前年同期|昨年同期"
)
