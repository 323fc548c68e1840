"""Width folding, kanji numerals and date spacing, with a map back to the raw text.

The parser works on the normalised text; every span it reports is mapped back with
`Normalized.raw_span` so that evidence points into the text the caller gave us.
Most folding is one character for one character (a `str.translate` table, offsets
unchanged); the few rewrites that change length are done in one regex pass that
records where each rewrite sits.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace


def _build_tables() -> tuple[dict[int, str], str]:
    one_to_one: dict[int, str] = {}
    multi: list[str] = []
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        # Keep Japanese punctuation that NFKC would not change anyway; fold the rest.
        folded = unicodedata.normalize("NFKC", ch)
        if folded == ch:
            continue
        if len(folded) == 1:
            one_to_one[cp] = folded
        else:
            multi.append(ch)
    # Wave dashes all mean "from ... to"; unify them so one fragment covers them.
    for dash in "〜～∼":
        one_to_one[ord(dash)] = "~"
    one_to_one[ord("\u3000")] = " "
    one_to_one[ord("\u00a0")] = " "
    one_to_one[ord("\u2028")] = "\n"
    one_to_one[ord("\u2029")] = "\n"
    # NFKC maps some of these to sequences starting with a space; we only want 1:1 here.
    for cp, val in list(one_to_one.items()):
        if val == " " and cp not in (0x3000, 0xA0):
            del one_to_one[cp]
    multi_class = "".join(re.escape(c) for c in multi if unicodedata.normalize("NFKC", c).strip())
    return one_to_one, multi_class


_TRANSLATE, _MULTI_CLASS = _build_tables()

KANJI_DIGITS = "〇一二三四五六七八九"
_KANJI_VALUE = {c: i for i, c in enumerate(KANJI_DIGITS)} | {"零": 0}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}

# A kanji numeral is rewritten only where it is a date part or a count; elsewhere
# (一部, 一方, 十分) it is ordinary vocabulary.
_KANJI_NUM = r"[〇零一二三四五六七八九十百千]+"
_CJK = r"[一-龥々〆ヶぁ-ゖァ-ヴー]"
# A Markdown table's rule under its header, the bar that opens a row, the bar that ends one (a
# bar at a line's end ends a row only on a line that opens with one: see `markdown_bars`)
MD_RULE = r"(?:^|(?<=\n))[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?(?=\n|\Z)"
MD_LEAD = r"(?:^|(?<=\n))[ \t]*\|[ \t]*(?=[^\n|]+\|[^\n]*\|)"
MD_TAIL = r"[ \t]*\|[ \t]*(?=\n|\Z)"
_MD_BARS = re.compile(f"(?P<rule>{MD_RULE})|{MD_LEAD}|(?P<tail>{MD_TAIL})")


def markdown_bars(text: str) -> list[tuple[int, int, str]]:
    """Edits that read a Markdown table as rows of cells, as folding reads one (the rule under
    its header goes, and so do the bars at either end of a row): for text re-lined after
    folding, whose rows the cuts gave back."""
    return [
        (m.start(), m.end(), "") for m in _MD_BARS.finditer(text)
        if not m.group("tail") or text[text.rfind("\n", 0, m.start()) + 1 : m.start()].lstrip(" \t").startswith("|")
    ]


# The leading lookahead lets the scanner skip ordinary characters with one class test.
_EDIT_RE = re.compile(
    rf"(?=[{_MULTI_CLASS}〇零一二三四五六七八九十百千\u3099\u309a \t.,\r|>])"
    # A mail's quoting ("> 2019年11月20日", ">> このたび…") goes: the quoted lines read as written.
    r"(?:(?P<quote>(?:^|(?<=\n))[ \t]*(?:>[ \t]?)*>[ \t])|"
    # A Markdown table is read as rows of cells: the rule under its header goes, and so do
    # the bars at either end of a row ("| 10月2日 | X社 | … |" → "10月2日 | X社 | …").
    rf"(?:(?P<mdrule>{MD_RULE})|(?P<mdlead>{MD_LEAD})|(?P<mdtail>{MD_TAIL})"
    # CRLF is one line break (a lone CR too): "a\r\nb" must not read as a blank line between.
    rf"|(?P<cr>\r\n?)"
    rf"|(?P<multi>[{_MULTI_CLASS}])"
    # After a digit (2万5千件) a kanji unit is part of a mixed numeral the count rules read.
    rf"|(?<![数何幾第0-9])(?P<kanji>{_KANJI_NUM})(?=年|か月|ヶ月|カ月|月|日|件|名|人|万)"
    r"|(?P<voiced>[\u3099\u309a])"
    r"|(?<=[0-9])(?P<sp1>[ \t]+)(?=[年月日])"
    r"|(?<=[年月])(?P<sp2>[ \t]+)(?=[0-9])"
    r"|(?<=[0-9])(?P<sp3>[ \t]+[.,][ \t]*|[.,][ \t]+)(?=[0-9])"
    rf"|(?<={_CJK}) (?P<cjksp>)(?={_CJK})))"
)
# Text copied from some PDFs puts a space between characters ("不 正 アクセス"); such a
# line loses those spaces. A line qualifies with four such gaps, one per ten characters.
_SPACED = re.compile(rf"{_CJK} (?={_CJK})")


def kanji_to_int(numeral: str) -> int | None:
    """二十四 -> 24, 二〇二二 -> 2022, 百 -> 100; None when it is not a numeral."""
    if not numeral:
        return None
    if all(c in _KANJI_VALUE for c in numeral):
        if len(numeral) == 1 or numeral[0] != "〇" or len(numeral) > 1:
            return int("".join(str(_KANJI_VALUE[c]) for c in numeral))
    total, digit = 0, None
    for c in numeral:
        if c in _KANJI_VALUE:
            if digit is not None:
                return None
            digit = _KANJI_VALUE[c]
        elif c in _KANJI_UNITS:
            total += (1 if digit is None else digit) * _KANJI_UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


@dataclass(frozen=True)
class Normalized:
    """The normalised text and the breakpoints that map it back to the raw text.

    A rewrite may be built on another one (`inner`: layout re-lines the folded text); its
    offsets then map through both, down to the caller's text.
    """

    text: str
    raw_len: int
    # Sorted breakpoints (norm_start, raw_start, norm_end, raw_end) of rewritten stretches.
    _norm_starts: tuple[int, ...] = ()
    _edits: tuple[tuple[int, int, int, int], ...] = ()
    inner: Normalized | None = None

    @property
    def identity(self) -> bool:
        """True when every offset maps to itself."""
        return not self._edits and (self.inner is None or self.inner.identity)

    def _own_pos(self, pos: int, end: bool) -> int:
        k = bisect_right(self._norm_starts, pos) - 1
        if k < 0:
            return pos
        ns, rs, ne, re_ = self._edits[k]
        # An end at a deleted stretch (ns == ne) stops before it; a start begins after it.
        if pos == ns and (end or ns < ne):
            return rs
        if pos >= ne:
            return re_ + (pos - ne)
        return re_ if end else rs

    def raw_pos(self, pos: int, *, end: bool = False) -> int:
        """Map an offset of the normalised text to the raw text."""
        pos = self._own_pos(pos, end)
        return pos if self.inner is None else self.inner.raw_pos(pos, end=end)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.raw_pos(start), self.raw_pos(end, end=True)

    def on(self, base: Normalized) -> Normalized:
        """This rewrite of base.text, mapped down through base to base's own raw text."""
        inner = base if self.inner is None else self.inner.on(base)
        return replace(self, raw_len=base.raw_len, inner=inner)


def _spaced_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches whose CJK characters are spaced out.

    A stretch is a run of at least four such gaps, each within sixteen characters of the
    next and one per ten characters on average, on one line and in one sentence: in text whose newlines became spaces, a "line" is the
    whole document, so the test cannot be one of whole lines.
    """
    hits = [m.start() for m in _SPACED.finditer(text)]
    if len(hits) < 4:
        return []
    out = []
    k = 0
    while k < len(hits):
        j = k
        while j + 1 < len(hits) and hits[j + 1] - hits[j] <= 16 and not _BREAK.search(text, hits[j], hits[j + 1]):
            j += 1
        n = j - k + 1
        # Spaced-out type leaves single characters between gaps (不 正, 障 害); names spaced
        # by word (右崎 大輔 片岡総合法律事務所) do not.
        singles = sum(1 for a, b in zip(hits[k:j], hits[k + 1 : j + 1], strict=True) if b - a <= 2)
        if n >= 4 and hits[j] - hits[k] <= 10 * n and singles * 3 >= n - 1:
            out.append((hits[k], hits[j] + 2))
        k = j + 1
    return out


_BREAK = re.compile(r"[\n。]")


# A table aligned with spaces: three rows or more in a row, each with two gaps or more of two
# spaces or more between its cells ("1  令和4年4月26日 税務課    固定資産税の…  1件").
_GAP = re.compile(r"(?<=\S)[ ]{2,}(?=\S)")
_GAPPED_ROW = re.compile(r"[^\n]*?\S[ ]{2,}\S[^\n]*?\S[ ]{2,}\S[^\n]*")


def _space_aligned_cells(text: str) -> str:
    """The text with the first space of each gap in a space-aligned table's rows made a tab,
    so that its rows read as cells (one character for one: offsets are unchanged)."""
    if "  " not in text:
        return text
    lines = text.split("\n")
    gapped = [bool(_GAPPED_ROW.fullmatch(line)) for line in lines]
    out = lines[:]
    k = 0
    while k < len(lines):
        if not gapped[k]:
            k += 1
            continue
        j = k
        while j < len(lines) and gapped[j]:
            j += 1
        if j - k >= 3:
            for n in range(k, j):
                out[n] = _GAP.sub(lambda m: "\t" + m.group()[1:], lines[n])
        k = j
    return "\n".join(out)


def normalize(raw: str) -> Normalized:
    text = _space_aligned_cells(raw.translate(_TRANSLATE))
    spaced = _spaced_lines(text)
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    last = 0
    out_len = 0
    for m in _EDIT_RE.finditer(text):
        kind = m.lastgroup
        src = m.group()
        if kind == "cr":
            new = "\n"
        elif kind in ("mdrule", "mdlead", "quote"):
            new = ""
        elif kind == "mdtail":
            if not text[text.rfind("\n", 0, m.start()) + 1 : m.start()].lstrip(" \t").startswith("|"):
                continue  # a bar that ends a line, not a table's row
            new = ""
        elif kind == "multi":
            new = unicodedata.normalize("NFKC", src)
        elif kind == "kanji":
            value = kanji_to_int(src)
            if value is None:
                continue
            new = str(value)
        elif kind == "voiced":
            # A half-width voiced mark folded to a combining one: compose with the kana before it.
            if pieces or m.start() > last:
                prev = text[m.start() - 1] if m.start() > 0 else ""
                composed = unicodedata.normalize("NFC", prev + src)
                if len(composed) == 1 and m.start() - 1 >= last:
                    pieces.append(text[last : m.start() - 1])
                    out_len += m.start() - 1 - last
                    edits.append((out_len, m.start() - 1, out_len + 1, m.end()))
                    pieces.append(composed)
                    out_len += 1
                    last = m.end()
                    continue
            new = ""
        elif kind == "cjksp":
            if not any(ls <= m.start() < le for ls, le in spaced):  # few stretches in a text
                continue
            new = ""
        elif kind == "sp3":
            stripped = src.strip(" \t")
            if stripped == src:
                continue
            new = stripped
        else:  # spaces inside a date
            new = ""
        if new == src:
            continue
        pieces.append(text[last : m.start()])
        out_len += m.start() - last
        edits.append((out_len, m.start(), out_len + len(new), m.end()))
        pieces.append(new)
        out_len += len(new)
        last = m.end()
    if not edits:
        return Normalized(text, len(raw))
    pieces.append(text[last:])
    return Normalized(
        "".join(pieces), len(raw), tuple(e[0] for e in edits), tuple(edits)
    )
