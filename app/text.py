"""Small text helpers shared by the store, ingest and search: match keys, readings, slugs."""

from __future__ import annotations

import re
import unicodedata

import fugashi

from app.extract.tokens import tagger as _thread_tagger
from app.extract.vocab import LEGAL_FORMS, alt

# One list of legal forms for the parser and the store (app.extract.vocab), folded as NFKC.
_LEGAL = re.compile(alt(*(unicodedata.normalize("NFKC", f) for f in LEGAL_FORMS)))
_PUNCT = re.compile(r"[\s「」『』\"'・、。,.()（）\-‐_/]+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def strip_legal_form(name: str) -> str:
    return _LEGAL.sub("", nfkc(name)).strip()


def match_key(name: str) -> str:
    """Width-, case-, spacing- and legal-form-insensitive key for one organisation's name.

    株式会社 ワコム, ワコム株式会社 and ﾜｺﾑ all give the same key.
    """
    core = strip_legal_form(name)
    return _PUNCT.sub("", core).lower()


def tagger() -> fugashi.Tagger:
    """This thread's fugashi Tagger (a Tagger is not safe to share between threads)."""
    return _thread_tagger()


def reading(text: str) -> str:
    """Katakana reading of Japanese text; words with no reading (ASCII, unknown) stay as written."""
    out = []
    for word in tagger()(nfkc(text)):
        kana = getattr(word.feature, "kana", None) or getattr(word.feature, "pron", None)
        out.append(kana if kana and kana != "*" else word.surface)
    return "".join(out)


_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
    "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo",
    "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ティ": "ti", "ディ": "di", "ファ": "fa",
    "フィ": "fi", "フェ": "fe", "フォ": "fo", "ウィ": "wi", "ウェ": "we", "ウォ": "wo",
    "シェ": "she", "ジェ": "je", "チェ": "che", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve",
    "ヴォ": "vo", "デュ": "dyu", "トゥ": "tu",
}
_MONO = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do "
    "ba bi bu be bo pa pi pu pe po vu a i u e o ya yu yo".split(),
    strict=True,
))


def kana_to_romaji(kana: str) -> str:
    """Hepburn romaji of katakana (hiragana is folded first); other characters pass through."""
    kana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)
    out: list[str] = []
    i = 0
    while i < len(kana):
        pair, char = kana[i:i + 2], kana[i]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        if char == "ッ":  # geminate: double the next consonant
            nxt = _DIGRAPHS.get(kana[i + 1:i + 3]) or _MONO.get(kana[i + 1:i + 2], "")
            out.append("t" if nxt.startswith("ch") else nxt[:1])
        elif char == "ー":  # long vowel: Rouei's slugs drop it (ワコムストアー → wakomusutoa)
            pass
        else:
            out.append(_MONO.get(char, char))
        i += 1
    return "".join(out)


def romaji(text: str, sep: str = "") -> str:
    """Romaji of Japanese text, word by word (joined by ``sep``): ワコムストア → wakomu sutoa."""
    words = []
    for word in tagger()(nfkc(text)):
        kana = getattr(word.feature, "kana", None)
        words.append(kana_to_romaji(kana if kana and kana != "*" else word.surface))
    return sep.join(w for w in words if w)


def slugify(text: str, *, max_len: int = 60) -> str:
    """ASCII slug of Japanese or Latin text: 株式会社ワコム → wakomu."""
    roman = romaji(strip_legal_form(text), sep="-").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", nfkc(roman).lower()).strip("-")
    return slug[:max_len].rstrip("-") or "incident"


# ---- search tokens (app.search) ----

# Parts of speech that carry no searchable word: punctuation, symbols (emoji), blanks.
_SKIP_POS = frozenset({"補助記号", "記号", "空白"})
# UniDic spells some lemmas with a tail after a hyphen: a loanword's English origin
# (カード-card) or a sense (ソラ-外国). The tail is dropped.
_LOAN_TAIL = re.compile(r"(?<=.)-.*$")


def searchable(token: str) -> bool:
    """True when a token holds a letter or digit (what an FTS tokenizer would keep)."""
    return token.isalnum() or any(c.isalnum() for c in token)


def word_tokens(text: str) -> list[tuple[str, str, str, int]]:
    """(surface, lemma, reading, start) of each word of NFKC ``text``.

    ``text`` must already be NFKC (offsets are into it). The lemma folds spelling variants
    (漏えい, ろうえい → 漏洩; ｸﾚｼﾞｯﾄ → クレジット) and is lower-cased for Latin words; the reading
    is the lemma's katakana reading, or "" when UniDic has none. Symbols are skipped.
    Reads ``feature_raw`` rather than ``feature``: building the named tuple is 2× slower.
    """
    out = []
    pos = 0
    for node in tagger()(text):
        pos += len(node.white_space)
        surface = node.surface
        start = pos
        pos += len(surface)
        fields = node.feature_raw.split(",", 8)
        if fields[0] in _SKIP_POS or not searchable(surface):
            continue
        lemma = fields[7] if len(fields) > 7 and fields[7] not in ("", "*") else surface
        lemma = _LOAN_TAIL.sub("", lemma) or surface
        kana = fields[6] if len(fields) > 6 and fields[6] not in ("", "*") else ""
        out.append((surface, lemma.lower(), kana, start))
    return out


def lemma_readings(text: str) -> list[tuple[str, str]]:
    """(lemma, reading) of each word of NFKC ``text``: ``word_tokens`` without offsets, 3× faster.

    One call into MeCab with the dictionary's own output format (unidic-lite's dicrc:
    surface, pron, lForm, lemma, pos, …) instead of a Python step per word; for bulk indexing.
    """
    out = []
    for line in tagger().parse(text).split("\n"):
        fields = line.split("\t", 5)
        if len(fields) < 5 or fields[4].split("-", 1)[0] in _SKIP_POS or not searchable(fields[0]):
            continue
        lemma = fields[3]
        if "-" in lemma:
            lemma = _LOAN_TAIL.sub("", lemma) or fields[0]
        out.append((lemma.lower(), fields[2]))
    return out


def to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def is_kana(text: str) -> bool:
    return bool(text) and all("ぁ" <= c <= "ゖ" or "ァ" <= c <= "ヺ" or c == "ー" for c in text)


_LOOSE = (("ph", "f"), ("ck", "k"), ("ch", "C"), ("sh", "S"), ("ts", "T"), ("c", "k"),
          ("q", "k"), ("x", "ks"), ("l", "r"), ("v", "b"), ("si", "Si"), ("ti", "Ci"),
          ("tu", "Tu"), ("hu", "fu"), ("zi", "ji"), ("wh", "w"))


def loose_romaji(word: str) -> str:
    """A spelling-tolerant key for romanised names: ``wacom`` and ``wakomu`` (ワコム) agree.

    English spellings of Japanese brands drop the vowel Japanese adds after a consonant and
    use c/q/l/v where Hepburn has k/r/b; the key folds those, then drops a ``u`` (and a final
    ``o`` after t/d) that stands after a consonant, and doubled letters. Heuristic, for names.
    """
    key = nfkc(word).lower()
    if not key.isascii() or not key.isalnum():
        return ""
    for old, new in _LOOSE:
        key = key.replace(old, new)
    key = re.sub(r"(?<=[^aeiou])u(?=[^aeiouy]|$)", "", key)
    key = re.sub(r"(?<=[td])o$", "", key)
    key = re.sub(r"y$", "i", key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key.lower()


# Characters that reorder or hide text without being seen: C0/C1 controls (not tab and line
# breaks), bidi marks, embeddings, overrides and isolates, zero-width spaces, word joiners,
# invisible operators and BOMs. ZWJ and ZWNJ stay: emoji sequences and some scripts need them.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f"
                       "\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def strip_invisible(text: str) -> str:
    """Text from a notice without the controls that would reorder or hide what is around it
    when shown (U+202E turns "exe.pdf" around); every rendering for people goes through this."""
    return INVISIBLE.sub("", text)
