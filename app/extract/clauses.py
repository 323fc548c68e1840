"""Clauses: the predicates of a sentence, and how each one's clause ends, from UniDic words.

A sentence that holds a date is tokenised once (fugashi, `tokens.py`). A predicate is a verb,
a noun before a light verb (確認し → 確認, 連絡を受け → 連絡, 停止措置が取られ → 停止措置), an
adjectival noun before に+する (明らかにし), or an event noun that ends a line or a sentence
(委託先から報告; カード決済を停止。). Its clause ends one of these ways, read from the
conjugation and the word after it:

    final   before 。, a line end or the next date ("…判明しました。")
    chain   連用形 (+て) going on to the next clause ("連絡を受け、…")
    sub     a subordinate clause: が, ので, ところ, 際, ため ("確認したところ、")
    rel     連体形 before a noun: a relative clause ("送信したメール")
    comp    before こと/の/旨/か: a complement ("…したことが判明")
    quote   before と: a quoted statement ("…したと発表した", "…と連絡を受け")

final, chain and sub are the sentence's own (top-level) predicates; rel, comp and quote sit
inside another one's argument.
"""
from __future__ import annotations

from dataclasses import dataclass

from .rules import rule
from .tokens import Token, tokens

# A sentence ends at 。; a line break ends it only before a blank line, a list item or a
# line that opens with a date or a section number (1., 2)), since text copied from PDFs breaks
# lines inside sentences; a bullet after a space ends it in text that lost its line breaks.
SENTENCE_END = rule(
    "clause.sentence_end",
    r"(?=[。?!\n \t])(?:。|(?<=[ぁ-ゖ一-龥ァ-ヴー])[?!]+|\n[ \t]*(?=\n|[・※●■◆▼◇○◎□\-(①-⑳【]|[0-9]{1,4}(?:[.．)）、]\D|年|/)|[0-9]{1,2}月[0-9]{1,2}日|令和|平成|$)|(?<=\S)[ \t]+(?=[・●■◆▼]\s?\S))",
    examples=[
        "2022年8月19日、カード会社から連絡を受けました。同日、決済を停止しました。",
        "経緯\n・2022年8月19日 カード会社から連絡\n・2022年8月22日 決済停止",
        "経緯 ・2022年8月19日 カード会社から連絡 ・2022年8月22日 決済停止",
        "これまでの対応\n 6月18日 個人情報保護委員会へ報告(速報)\n 6月20日 市ホームページで公表",
    ],
    must_not=["氏名・住所", "クレジットカード\n情報", "ランサムウェアLockbit 2.\n0 によるシステムへの侵入"],
)

# Verbs that are particles in disguise: によって, について, に対し, において, にかけて.
_PARTICLE_VERBS = frozenset({
    "因る", "就く", "付く", "つく", "対する", "於く", "関する", "伴う", "基づく", "係る", "亘る", "渡る", "際する",
    "通じる", "通ずる", "向ける", "先立つ", "比べる", "限る", "掛ける", "巡る", "引き続く", "続く", "加える",
})
# Light verbs that take their meaning from the noun right before them (確認し, 確認でき).
_NOUN_LIGHTS = frozenset({"為る", "致す", "出来る", "為さる", "頂く", "下さる", "申し上げる", "願う"})
# Light verbs that take it from the noun of their argument (連絡を受け, 問い合わせが入り,
# 停止措置が取られ, 使用不能となり, 公表に至り, 異常がみられ).
_ARG_LIGHTS = frozenset({
    "受ける", "有る", "入る", "頂く", "行う", "寄せる", "届く", "取る", "講じる", "図る", "至る", "成る", "見る", "開く",
    "生じる", "生ずる", "起こる", "起きる", "出る", "来る", "貰う", "実施", "踏み切る", "及ぶ",
})
# After a verb, the words that still belong to it: ている, ておりました, てしまった.
_AUX_VERBS = frozenset({
    "居る", "御座る", "仕舞う", "頂く", "置く", "参る", "行く", "来る", "見る", "下さる", "貰う", "有る",
    "致す", "為る", "申し上げる", "出来る", "得る", "始める", "続ける", "終える", "直す",
})
# Words of how many or how often between an argument and its light verb (ご連絡を複数いただき,
# 問い合わせが数件寄せられ, ご指摘を再度いただき): the argument still names the event.
_QUANTITY_WORDS = frozenset({"複数", "多数", "多く", "大量", "再度", "再び", "直接", "個別", "別途", "件", "通", "名", "回", "度", "人"})
_NEG = frozenset({"ない", "無い", "ず", "ぬ"})
_COMP_NOUNS = frozenset({"事", "こと", "旨", "の", "よう", "様"})
_SUB_NOUNS = frozenset({"所", "ところ", "際", "時", "とき", "後", "前", "上", "結果", "ため", "為", "間", "他", "ほか", "一方", "以降", "途中", "最中", "直後", "矢先"})
_SUB_PARTICLES = frozenset({"が", "けど", "けれど", "けれども", "ので", "のに", "ものの", "から", "ば", "ながら", "つつ", "たら", "し"})


@dataclass(frozen=True, slots=True)
class Predicate:
    word: str  # the head word, lemmas joined (確認, 連絡, 停止措置, 気付く, 知らせる)
    light: str  # the light verb after it (為る, 受ける, 有る …), "" for a plain verb or noun
    first: int  # token index of the head's first word
    last: int  # token index of the last auxiliary
    start: int
    end: int
    kind: str  # final | chain | sub | rel | comp | quote
    negated: bool
    passive: bool
    state: bool  # ていた, ておりました: a state that held before the time spoken of
    ongoing: bool  # ている, ております: a state at the time spoken of
    sub: str  # for kind "sub", the word that made it one (ところ, ため, が …)
    subj: str  # the noun marked by が/は right before the head (障害が発生 → 障害), or ""
    pause: bool  # followed by 、: the clause is closed (誤って送信 is one clause, 受け、 two)

    @property
    def top(self) -> bool:
        return self.kind in ("final", "chain", "sub")


def _is_noun(t: Token) -> bool:
    pos = t.pos
    if pos == "名詞":
        return t.pos2 != "数詞"
    return pos == "接頭辞" or (pos == "接尾辞" and t.pos2 != "名詞的" and t.surface not in ("日", "月", "年"))


def _compound_start(toks: list[Token], k: int) -> int:
    """The first word of the noun compound that ends at token k (不正 ログ イン → 不正)."""
    j = k
    while j > 0 and _is_noun(toks[j - 1]) and toks[j - 1].end == toks[j].start and toks[j - 1].pos2 != "数詞":
        j -= 1
    while j < k and toks[j].pos == "接頭辞":
        j += 1  # ご連絡 → 連絡
    return j


def _word(toks: list[Token], a: int, b: int) -> str:
    return "".join(t.lemma for t in toks[a : b + 1])


def _past_quantity(toks: list[Token], i: int) -> int:
    """The first of the words of quantity right before token i (2 件, 複数), or i if none."""
    j = i
    while j > 0 and toks[j - 1].end == toks[j].start and (toks[j - 1].pos2 == "数詞" or toks[j - 1].lemma in _QUANTITY_WORDS):
        j -= 1
    return j


def _gap_has_newline(text: str, toks: list[Token], j: int) -> bool:
    return j < len(toks) and "\n" in text[toks[j - 1].end : toks[j].start]


def predicates(text: str, toks: list[Token], date_starts: frozenset[int] = frozenset(), event_words: tuple[str, ...] = ()) -> list[Predicate]:
    """The predicates of one sentence's words, in order. `event_words` are the nouns that
    make a predicate of their own when they end a clause (委託先から報告)."""
    out: list[Predicate] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        prev = toks[i - 1] if i > 0 else None
        head: tuple[int, str, str] | None = None  # (first token, word, light)
        if t.pos == "動詞":
            lemma = t.lemma
            if lemma in _PARTICLE_VERBS and prev is not None and prev.pos == "助詞" and prev.surface in ("に", "を", "と"):
                i += 1
                continue
            if lemma == "為る" and prev is not None and prev.surface == "と" and i + 1 < n and toks[i + 1].surface == "て" and (i + 2 >= n or toks[i + 2].pos != "動詞"):
                i += 1  # として
                continue
            q = _past_quantity(toks, i)
            if q < i and lemma in _ARG_LIGHTS and q >= 2 and toks[q - 1].surface in ("を", "が", "も", "は") and _is_noun(toks[q - 2]):
                a = _compound_start(toks, q - 2)
                head = (a, _word(toks, a, q - 2), lemma)
            elif lemma in _NOUN_LIGHTS and prev is not None and _is_noun(prev):
                a = _compound_start(toks, i - 1)
                head = (a, _word(toks, a, i - 1), lemma)
            elif lemma in _NOUN_LIGHTS and prev is not None and prev.surface in ("など", "等") and i >= 2 and _is_noun(toks[i - 2]):
                a = _compound_start(toks, i - 2)
                head = (a, _word(toks, a, i - 2), lemma)  # 被害相談などし
            elif lemma in _NOUN_LIGHTS and prev is not None and i >= 2 and prev.surface == "に" and toks[i - 2].pos == "形状詞":
                head = (i - 2, toks[i - 2].lemma, lemma)  # 明らかにし
            elif lemma in _ARG_LIGHTS and prev is not None and i >= 2 and prev.pos == "助詞" and prev.surface in ("を", "が", "は", "も", "に", "と") and _is_noun(toks[i - 2]):
                a = _compound_start(toks, i - 2)
                head = (a, _word(toks, a, i - 2), lemma)
                if prev.surface == "に" and a >= 2 and toks[a - 1].surface in ("が", "を") and _is_noun(toks[a - 2]):
                    # "苦情が同社に寄せられ": the argument before the one it went to
                    b = _compound_start(toks, a - 2)
                    head = (b, _word(toks, b, a - 2), lemma)
            elif lemma in _NOUN_LIGHTS and prev is not None and prev.pos2 == "括弧閉" and (
                (o := next((k for k in range(i - 2, max(0, i - 24), -1) if toks[k].pos2 == "括弧開"), None)) is not None
                and o >= 1 and _is_noun(toks[o - 1])
            ):
                a = _compound_start(toks, o - 1)
                head = (a, _word(toks, a, o - 1), lemma)  # "報告(速報)いたしました": a note between them
            elif t.pos2 == "非自立可能" and lemma in ("為る", "居る", "有る", "成る", "見る", "頂く"):
                i += 1  # a light verb with nothing to lean on
                continue
            else:
                word = lemma
                if lemma == "知る" and i + 1 < n and toks[i + 1].lemma == "せる":
                    word = "知らせる"
                a = i - 1 if prev is not None and prev.pos == "接頭辞" else i
                head = (a, word, "")
        elif event_words and _is_noun(t):
            # An event noun that ends a clause on its own: "委託先から報告", "決済を停止。"
            nxt = toks[i + 1] if i + 1 < n else None
            if nxt is not None and nxt.start == t.end and _is_noun(nxt):
                i += 1
                continue
            done = nxt is not None and nxt.lemma == "済み"
            after = i + 1
            if nxt is not None and nxt.pos2 == "括弧開":
                # "報告(速報)": a note in brackets after the noun, then the row ends
                close = next((k for k in range(i + 2, min(n, i + 24)) if toks[k].pos2 == "括弧閉"), None)
                if close is not None:
                    after = close + 1
                    nxt = toks[after] if after < n else None
            ends = done or nxt is None or (nxt.pos == "補助記号" and nxt.pos2 in ("句点", "読点")) or nxt.start in date_starts or _gap_has_newline(text, toks, after)
            if ends:
                a = _compound_start(toks, i)
                word = _word(toks, a, i)
                if word.endswith(event_words):
                    before = toks[a - 1] if a > 0 else None
                    if nxt is None or nxt.pos2 != "読点" or (before is not None and before.pos == "助詞"):
                        head = (a, word, "済み" if done else "")
        if head is None:
            i += 1
            continue
        first, word, light = head
        j = i + 1
        negated = passive = state = progressive = False
        while j < n:
            u = toks[j]
            if u.pos == "助動詞" or u.lemma == "済み":
                if u.lemma in _NEG or u.lemma == "ず":
                    negated = True
                if u.lemma in ("れる", "られる"):
                    passive = True
                if u.lemma == "た" and progressive:
                    state = True  # ていた: before the time spoken of (ている is at it)
                j += 1
            elif u.pos == "形容詞" and u.lemma in _NEG:
                negated = True
                j += 1
            elif u.pos == "助詞" and u.pos2 == "接続助詞" and u.surface in ("て", "で") and j + 1 < n and toks[j + 1].pos == "動詞" and toks[j + 1].lemma in _AUX_VERBS:
                if toks[j + 1].lemma in ("居る", "有る", "置く"):
                    progressive = True
                j += 2
            elif u.pos == "動詞" and u.pos2 == "非自立可能" and u.lemma in _AUX_VERBS:
                j += 1
            elif u.pos == "助詞" and u.surface == "ず":
                negated = True
                j += 1
            else:
                break
        last = j - 1
        # How the clause ends: the word after the predicate, past closing brackets.
        k = j
        while k < n and toks[k].pos == "補助記号" and toks[k].pos2 == "括弧閉":
            k += 1
        kind, sub = "chain", ""
        end_tok = toks[last]
        if k < n and toks[k].start in date_starts and toks[k].start == toks[last].end and end_tok.cform.startswith("連体形"):
            kind = "rel"  # 発覚した2022年8月19日
        elif k >= n or toks[k].pos2 == "句点" or _gap_has_newline(text, toks, k) or toks[k].start in date_starts:
            kind = "final"
        elif toks[k].pos2 == "読点":
            if end_tok.pos == "助詞" and end_tok.surface in _SUB_PARTICLES:
                kind, sub = "sub", end_tok.surface
        elif toks[k].pos == "助詞":
            s = toks[k].surface
            if s == "と" and k + 1 < n and toks[k + 1].lemma in ("共", "同時"):
                kind, sub = "sub", "ともに"  # 相談するとともに、
            elif s == "と" and toks[k].pos2 == "格助詞" and end_tok.cform.startswith("意志推量形"):
                kind = "chain"  # 使おうとした: an attempt, not a quotation
            elif s == "と" and toks[k].pos2 == "格助詞":
                kind = "quote"
            elif s in ("か", "の") and toks[k].pos2 in ("副助詞", "準体助詞", "終助詞"):
                kind = "comp"
            elif toks[k].pos2 == "接続助詞" and s in _SUB_PARTICLES:
                kind, sub = "sub", s
                last = k
            elif toks[k].pos2 == "接続助詞" and s in ("て", "で"):
                kind = "chain"
                last = k
            elif s == "に" and end_tok.cform.startswith("連体形"):
                kind = "comp"
        elif _is_noun(toks[k]):
            lemma = toks[k].lemma
            if toks[k].surface in ("こと", "事", "旨", "よう") or lemma in _COMP_NOUNS:
                kind = "comp"
            elif toks[k].surface in _SUB_NOUNS or lemma in _SUB_NOUNS:
                kind, sub = "sub", toks[k].surface
            elif end_tok.cform.startswith("連用形") and end_tok.pos == "動詞" and end_tok.lemma not in ("為る",):
                kind = "chain"
            elif end_tok.cform.startswith("連用形") and end_tok.pos == "助動詞" and end_tok.lemma in ("れる", "られる", "せる"):
                kind = "chain"
            else:
                kind = "rel"
        elif end_tok.cform.startswith("連体形"):
            kind = "rel"  # 流出した可能性
        subj = ""
        if first >= 2 and toks[first - 1].surface in ("が", "は", "も") and _is_noun(toks[first - 2]):
            a = _compound_start(toks, first - 2)
            subj = _word(toks, a, first - 2)
        out.append(Predicate(
            word, light, first, last, toks[first].start, toks[last].end, kind, negated, passive, state, progressive and not state, sub, subj,
            # (a clause closed by its particle and a comma, "判断しておりますが、", is closed too)
            k < n and (toks[k].pos2 == "読点" or (last == k and toks[k].pos == "助詞" and k + 1 < n and toks[k + 1].pos2 == "読点")),
        ))
        i = max(j, i + 1)
    return out


def sentence_tokens(text: str, start: int, end: int) -> list[Token]:
    """The words of text[start:end], with offsets into text."""
    return tokens(text[start:end], start)
