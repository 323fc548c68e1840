"""Logical lines: one unit a line (a title, a header, a sentence, a list item, a signature),
whatever line breaks the text came with, and a map back to the text.

Text reaches the parser with its lines intact (a notice saved as text), hard-wrapped (copied
out of a PDF: every line cut at one width, mid-word), or without them (pasted out of a web
page: no newlines at all, or each one turned into a space). The rules downstream read lines —
a headline, a date alone on its line, a signature — so `relined` gives them back:

1. Well-formed text keeps its lines.
2. Hard wraps are joined. A text is wrapped when several lines share one maximal length
   (within a few characters, for PDF text set in proportional type) and end mid-sentence;
   each such line runs on into the next, unless the boundary score finds a unit ending there.
   In any text, a line that stops where nothing can stop (after 、, before a particle, inside a
   number) runs on too.
3. Run-on text (a document with hardly any newlines) is cut where its units end.

Where a unit may end is found by `breaks` (one pass of a few patterns each, so the work stays
linear in the text); whether it does is `boundary.score`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator

from . import vocab
from .boundary import (
    _L_DATE_END,
    _L_DIGIT,
    _L_RUNS_ON,
    _L_VERB,
    _R_DIGIT,
    _R_HEAVY,
    _UNFINISHED,
    _UNIT_DATE,
    THRESHOLD,
    _in_brackets,
    score,
)
from .breaks import _L_HEADLINE, _L_TITLE, FILE_LINK, SENTENCE_END_WEIGHT, candidates
from .normalize import Normalized, markdown_bars, normalize
from .rules import rule

# A unit ends at p when the score reaches this; a hard wrap is kept as a break only when the
# score reaches it despite JOIN_PRIOR (the width already says the line goes on).
JOIN_PRIOR = -1.5
# A headline (see _cut) is at most this long, and ends where the score reaches this at least.
HEADLINE_MAX = 100
HEADLINE_END_SCORE = 1.0
# A line break where the score is this low joins the lines in any text (see _joins).
MUST_JOIN = -1.5
# A document is run-on when its lines average this many characters (prose paragraphs of
# well-formed text are shorter on average: titles, headers and list items pull it down).
RUN_ON_MEAN = 250
# A line this long is cut even in a well-formed document.
RUN_ON_LINE = 2000


def _cut(text: str, s: int, e: int) -> Iterator[tuple[int, int, str]]:
    """Edits (start, end, "\\n") that cut the run-on stretch text[s:e] into units.

    A unit that opens where a headline is due (the text's start, after a date alone on its
    line, a ■ mark, or a digest summary's closing "…") is a headline: it has to end before
    the sentence that follows it does. When no candidate reaches THRESHOLD by then, the best
    one that reaches HEADLINE_END does.
    """
    unit = s
    headline = True
    numbered = False  # (the unit opens with a list's number)
    best: tuple[float, int, int] | None = None
    # Where a clause goes on (…受け、): found once, looked up per candidate.
    clauses = [m.end() for m in _UNFINISHED.finditer(text, s, e)]

    def unfinished(p: int) -> bool:
        k = bisect_right(clauses, p) - 1
        # (a clause of a sentence, or a quote, that has ended does not go on)
        return k >= 0 and clauses[k] > max(unit, p - 200) and text.rfind("。", clauses[k], p) < 0 and text.rfind("」", clauses[k], p) < 0

    for p, q, bonus, needs in candidates(text, s, e):
        if p <= unit:
            continue
        if needs and text.find(needs, max(unit, p - 200), p) < 0:
            bonus = 0.0  # the repeated name was not the current unit's (its headline's)
        if bonus < 4.0 and _in_brackets(text, unit, p):
            continue
        sc = score(text, p, q, unit, e, unfinished(p)) + bonus
        if bonus >= 4.0 and _in_brackets(text, unit, p):
            sc -= 4.0
        if headline and (sc < THRESHOLD or bonus >= 4.0):
            if p - unit > HEADLINE_MAX or bonus >= 4.0:
                headline = False
                if best is not None:
                    # (the day the item was told, in brackets after its heading, is the heading's)
                    tag = _DATE_TAG.match(text, best[2], e)
                    cut = (tag.end(), tag.end()) if tag else best[1:]
                    yield *cut, "\n"
                    unit = cut[1]
                    sc = score(text, p, q, unit, e, unfinished(p)) + bonus
            elif (
                sc >= HEADLINE_END_SCORE and p - unit >= 6 and not _L_VERB.search(text, max(unit, p - 4), p) and (best is None or sc > best[0])
                # (a numbered item's heading ends after its bracket, or before the day in brackets
                # it was told: a section's label, "2.個人情報漏えい状況", is no place to cut in)
                and (not numbered or text[p - 1] == ")" or _DATE_TAG.match(text, q, e) is not None)
            ):
                best = (sc, p, q)
        if sc >= THRESHOLD:
            yield p, q, "\n"
            best = None
            headline = bool(
                _UNIT_DATE.fullmatch(text, unit, p) or _ELLIPSIS_END.search(text, max(unit, p - 6), p) or _R_HEAVY.match(text, q, e)
                # (a link's file size ends a list's entry: the next one opens with its headline)
                or FILE_LINK.pattern.fullmatch(text, unit, p)
                # (a numbered item's heading: "1) X社(偽ログイン画面で乗っ取り)X社が4月15日に…")
                or _R_NUMBERED.match(text, q, e)
            )
            numbered = headline and _R_NUMBERED.match(text, q, e) is not None
            unit = q


# A day in brackets after a heading ("…被害を公表(3月9日)").
_DATE_TAG = re.compile(r"[(](?:(?:19|20)?[0-9]{2}[/年.])?[0-9]{1,2}[/月.][0-9]{1,2}日?(?:[(][^()]{1,3}[)])?[^()\n]{0,6}[)]")

# A list's number opens a unit whose heading is due.
_R_NUMBERED = re.compile(r"[ \t]*(?:[0-9]{1,2}[.)．](?![0-9])|\([0-9]{1,2}\))")

# A digest's summary ends on "…": the next item's headline is due.
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)\s*\Z")

# ---- hard wraps ----
# A wrapped line ends mid-sentence; in proportional type that is how a full line is told from
# a paragraph's last line.
_OPEN_END = re.compile(r"[^。!?\s]\Z")
_CLOSED_END = re.compile(r"[^。!?」』)】:\s]\Z")


# A rule drawn across the page: "=====", "-----", "――――", "＊＊＊＊"
_RULE_LINE = re.compile(
    r"[ \t]*([=\-_~*#─━―—＝－＿・･.。])\1{4,}[ \t]*"
    rf"|{vocab.LINK_LINE}"  # …or a link's line ("URL: https://…"): its width is the link's
)


def _wrapped(text: str, lines: list[tuple[int, int]], lens: list[int]) -> tuple[int, int] | None:
    """(shortest, longest) length of a wrapped line, or None when the text is not wrapped."""
    sized = [n for (s, e), n in zip(lines, lens, strict=True) if n > 0 and not _RULE_LINE.fullmatch(text, s, e)]
    if len(sized) < 3:
        return None
    # The width is the longest length that several lines share (within a few characters): a
    # line or two longer than the rest (half-width digits, a contact line) is no wrap's width.
    by_len = Counter(sized)
    top = max(sized)
    longer = 0
    for n in sorted(by_len, reverse=True):
        if longer > max(1, len(sized) // 10):
            break  # many lines longer than the band: the text is not wrapped at it
        if sum(by_len[m] for m in range(n - 3, n + 1)) >= 3:
            top = n
            break
        longer += by_len[n]
    if top < 16:
        return None
    # Cut at a character count: many lines of exactly one length, the longest.
    at_top = [(s, e) for (s, e), n in zip(lines, lens, strict=True) if n == top and _CLOSED_END.search(text, s, e)]
    near = sum(1 for n in sized if top - 3 <= n < top)
    if len(at_top) >= 2 and len({text[s:e] for s, e in at_top}) >= 2 and len(at_top) >= near:
        return top, top
    # Proportional type: the full lines vary by a few characters.
    lo = top - max(3, top // 10)
    band = [(s, e) for (s, e), n in zip(lines, lens, strict=True) if n >= lo]
    open_band = [(s, e) for s, e in band if _CLOSED_END.search(text, s, e)]
    if len(open_band) >= 4 and len(open_band) * 3 >= len(band) * 2 and len(band) * 4 >= len(sized):
        return lo, top
    return None


_POST_HEADER = re.compile(rf"[ \t]*{vocab.BBS_POST_HEADER}[ \t]*")


def _physical_lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


# What no line starts with. Names may start with any kana (とちのき市, はるかぜ工房, やまびこ市),
# so only particles that no name starts with, or that run into a particle phrase.
_R_CANNOT_START = re.compile(
    r"[がを]|(?:に|で|と)(?:は|も)|について|による|により|において|に対し|に関し|として|とともに|などの|等の"
)
_L_NAME_END = re.compile(r"[一-龥々〆ヶァ-ヴーぁ-ゖ]\Z")


_R_KINSOKU = re.compile(r"[んっゃゅょぁぃぅぇぉゎー]")
# A list mark or a field's label alone on its line ("①", "(2)", "公表日：") opens the line
# below: a page's list or form whose marks and labels were set in cells of their own.
_LONE_HEAD = re.compile(
    r"[ \t]*(?:[①-⑳]|[(（][0-9]{1,2}[)）]|[0-9]{1,2}[.．)]|No\.?\s?[0-9]{1,2}|【[0-9]{1,2}】|\[[0-9]{1,2}\]|"
    r"[^\s:：、。()（）「」]{1,8}[:：])[ \t]*"
)
# (a bare number is a page's too: it opens the line below only when that line is a field;
# folding made ① a 1)
_LONE_NUMBER = re.compile(r"[ \t]*[0-9]{1,2}[ \t]*")
_FIELD_START = re.compile(r"[^\s:：、。()（）「」]{1,8}[:：]")
_ENDS_SENTENCE = re.compile(r"。[」』)]*\s*\Z")


def _must_join(text: str, s: int, e: int, tail: str, s2: int, e2: int, sc: Callable[[], float]) -> bool:
    """Whether the line break between text[s:e] and text[s2:e2] stands where no unit can end,
    in any text: after 、 or a particle (and before nothing that starts a unit), before a
    particle, or inside a number. `tail` is the current unit's end as joined so far; `sc`
    gives the break's score (computed only when a test needs it: most breaks pass none)."""
    if _LONE_HEAD.fullmatch(text, s, e) or (_LONE_NUMBER.fullmatch(text, s, e) and _FIELD_START.match(text, s2, e2)):
        return True
    if text[s2 : s2 + 1] in (" ", "\t"):
        return False  # an indented line opens a unit of its own (a paragraph, a source line)
    if _R_KINSOKU.match(text, s2, e2):
        return True  # no line starts with ん, a small kana or a long-vowel mark
    if _L_NAME_END.search(tail) and _R_CANNOT_START.match(text, s2, e2):
        return True
    # A number cut in two ("2\n024年"), not a date line before a headline ("2026-02-15\n150億円").
    if tail[-1:].isdigit() and text[s2 : s2 + 1].isdigit() and not _L_DATE_END.search(tail):
        return True
    if _L_RUNS_ON.search(tail) and sc() <= MUST_JOIN:
        return True
    # A line of prose (a clause in it goes on: "…連絡があり、") cut before its 。, whose sentence
    # the next line ends. (A headline has its 、 after a name: "カエデ堂、…に改ざん".)
    return (
        e - s >= 30 and bool(_L_NAME_END.search(text, e - 1, e)) and bool(_ENDS_SENTENCE.search(text, s2, e2))
        and bool(_UNFINISHED.search(text, s, e))
        and not _L_HEADLINE.search(text, e - 16, e) and not _L_TITLE.search(text, e - 16, e) and sc() <= 0
    )


def _joins(text: str, lines: list[tuple[int, int]], lens: list[int]) -> Iterator[tuple[int, int, str]]:
    """Edits that join hard-wrapped lines: the newline goes (or becomes a space between words)."""
    width = _wrapped(text, lines, lens)
    lo, top = width or (0, -1)
    # The current unit as joined so far (its last characters): the score reads across the
    # joins already made, as it will read the text they make.
    tail = ""
    for k in range(len(lines) - 1):
        (s, e), (s2, e2) = lines[k], lines[k + 1]
        if e <= s or e2 <= s2:
            tail = ""
            continue
        tail = (tail + text[max(s, e - 60) : e])[-60:]
        full = lo <= lens[k] <= top and (lo == top or _OPEN_END.search(text, s, e)) and not _RULE_LINE.fullmatch(text, s, e)

        def sc(tail: str = tail, s2: int = s2, e2: int = e2) -> float:
            window = tail + "\n" + text[s2 : min(e2, s2 + 80)]
            at = len(tail)
            # (A sentence's end weighs as it does as a run-on candidate: see breaks.candidates.)
            stop = SENTENCE_END_WEIGHT if tail[-1:] == "。" else 0.0
            return score(window, at, at + 1, 0, len(window)) + stop

        # In any text, a line that stops where nothing can stop (after 、 or a particle) runs
        # on: a wrap too few to find a width by, or a break in a PDF.
        if _POST_HEADER.fullmatch(text, s, e) or _POST_HEADER.fullmatch(text, s2, e2):
            tail = ""  # a board's post header is a line of its own, however wide
            continue
        if (full and sc() + JOIN_PRIOR < THRESHOLD) or _must_join(text, s, e, tail, s2, e2, sc):
            # Words of Latin script wrapped at a space in proportional type keep one between.
            sep = " " if lo < top and _L_DIGIT.search(text, s, e) and _R_DIGIT.match(text, s2) else ""
            if _LONE_NUMBER.fullmatch(text, s, e):
                sep = " "  # (a list's number stays apart from its first field: "2 公表日:")
            tail += sep
            yield e, s2, sep
        else:
            tail = ""


# ---- edits to a map ----
def _apply(text: str, edits: list[tuple[int, int, str]]) -> Normalized | None:
    if not edits:
        return None
    pieces: list[str] = []
    marks: list[tuple[int, int, int, int]] = []
    last = 0
    out_len = 0
    for s, e, new in edits:
        pieces.append(text[last:s])
        out_len += s - last
        if len(new) != e - s:
            marks.append((out_len, s, out_len + len(new), e))
        pieces.append(new)
        out_len += len(new)
        last = e
    pieces.append(text[last:])
    return Normalized("".join(pieces), len(text), tuple(m[0] for m in marks), tuple(marks))


def layout(text: str, source: Normalized | None = None) -> Normalized:
    """The text re-lined into logical lines, with the map back to `text`.

    `source` is how `text` was made from the caller's (normalisation folds "2022 年" to
    "2022年"): a hard wrap cut the caller's lines, so their widths are measured there.
    """
    joined = _apply(text, _wrap_joins(text, source))
    base = joined.text if joined else text
    cut = _apply(base, _run_on_cuts(base))
    if cut is None:
        return joined or Normalized(text, len(text))
    return cut if joined is None else cut.on(joined)


def relined(raw: str) -> Normalized:
    """The caller's text folded (`normalize`) and re-lined into logical lines, mapped back.

    Hard wraps are joined in the caller's text, before folding: a wrap inside "二十\n四日"
    or "2022 年\n8 月" would keep the folding from reading it as one date.
    """
    folded = _without_furniture(normalize(raw))
    lines = _physical_lines(folded.text)
    joins = _wrap_joins(folded.text, folded, lines)
    if joins and any(_FOLDS_ACROSS.match(folded.text, max(0, s - 1)) or _FOLDS_ACROSS.match(folded.text, e) for s, e, _ in joins):
        raw_joins = [(*folded.raw_span(s, e), new) for s, e, new in joins]
        joined = _apply(raw, raw_joins)
        assert joined is not None
        # (the page furniture taken out again: folding started over from the caller's text)
        folded = _without_furniture(normalize(joined.text).on(joined))
        lines = _physical_lines(folded.text)
    elif joins:
        # Nothing folding reads sits at the joins: join the folded text (folding again costs).
        joined = _apply(folded.text, joins)
        assert joined is not None
        folded = joined.on(folded)
        lines = _physical_lines(folded.text)
    cut = _apply(folded.text, _run_on_cuts(folded.text, lines))
    if cut is None:
        return folded
    out = cut.on(folded)
    if "|" in out.text:
        # A Markdown table whose rows the cuts gave back reads as folding reads one written out.
        bars = _apply(out.text, markdown_bars(out.text))
        if bars is not None:
            out = bars.on(out)
    return out


def _without_furniture(folded: Normalized) -> Normalized:
    """The folded text without a PDF's page furniture and a blog's bold round its headlines."""
    edits = _apply(folded.text, _without_markup(folded.text, _page_furniture(folded.text)))
    return folded if edits is None else edits.on(folded)


# A PDF's page number on a line of its own: "- 1 -", "－2－", "3/5", "Page 4", "2ページ"
PAGE_NUMBER = rule(
    "layout.page_number",
    # (after the document's name in a footer: "X連絡会          - 1 -")
    r"^[ \t]*(?:[^\s0-9][^\n]{0,40}?[ \t]{3,})?(?:[-‐ー―−][ \t]*[0-9]{1,3}[ \t]*[-‐ー―−]|[1-9][0-9]{0,2}[ \t]*/[ \t]*[1-9][0-9]{0,2}|(?:Page|P\.)[ \t]?[0-9]{1,3}|[0-9]{1,3}[ \t]?ページ)[ \t]*$",
    flags=re.M,
    examples=("                                     - 1 -", "3/5", "Page 2", "宿泊施設セキュリティ連絡会            - 2 -"),
    must_not=("2024/5/20", "1. 経緯"),
    documents=(
        "2025年2月21日\n株式会社ミナセ工業\n\n当社サーバーへの不正アクセスについて\n\n"
        "当社のサーバーが第三者による不正アクセスを受け、従業員1,846名分の個人情報が外部に流出した可能性があることが判明\n"
        "\n                    - 1 -\n株式会社ミナセ工業 当社サーバーへの不正アクセスについて\n\n"
        "いたしました。深くお詫び申し上げます。\n",
    ),
)


_CUT_TAIL = tuple("0123456789/~-.年月")


def _page_furniture(text: str) -> list[tuple[int, int, str]]:
    """Edits that take out a PDF's page furniture: a page number on its own line, the running
    header under it (a line that holds the document's title again), and the blank lines
    around them, so that a sentence cut by a page break reads on."""
    if "\n" not in text:
        return []
    lines = _physical_lines(text)
    edits: list[tuple[int, int, str]] = []
    seen: list[str] = []
    repeats = Counter(t for s, e in lines if (t := text[s:e].strip()) and len(t) <= 60)
    k = 0
    while k < len(lines):
        s, e = lines[k]
        line = text[s:e].strip()
        prev = text[lines[k - 1][0] : lines[k - 1][1]].rstrip() if k else ""
        if not PAGE_NUMBER.fullmatch(text, s, e) or prev.endswith(_CUT_TAIL):
            # (a number under a line cut after a digit or a slash is that line's tail: 2024/\n9/15)
            if len(line) >= 8:
                seen.append(line)
            k += 1
            continue
        a = k
        while a > 0 and not text[slice(*lines[a - 1])].strip():
            a -= 1
        b = k + 1
        while b < len(lines) and not text[slice(*lines[b])].strip():
            b += 1
        while b < len(lines):
            nxt = text[slice(*lines[b])].strip()
            header = any(t in nxt for t in seen[:15] if len(t) >= 8) and "。" not in nxt
            if not (header or (len(nxt) <= 60 and repeats[nxt] >= 2)):
                break
            b += 1  # the running header, or a line every page repeats (本資料は会員限定です。)
            while b < len(lines) and not text[slice(*lines[b])].strip():
                b += 1
        start = lines[a][0] - (1 if a > 0 else 0)
        end = lines[b][0] - 1 if b < len(lines) else len(text)
        if end > start:
            edits.append((start, end, ""))
        k = b
    return edits


# Markdown a blog post's text keeps: "**X社、…流出**", its headline in bold. ("## X" headings are
# read as they are: segment's named headings.)
# (bold set apart, a unit of its own: its line, or between a sentence's end and a space when
# the breaks were lost; bold inside a sentence stays)
_MARKUP = re.compile(
    r"(?:^|(?<=[。\sA-Za-z0-9/._\-)）」]))(?P<em>\*\*|__)(?=\S)(?P<body>[^\n*_。]{4,100}?)(?P=em)(?![、。])", re.M
)


def _without_markup(text: str, edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The edits, and more that take out Markdown's emphasis round a headline (outside the
    edits given), so that a bold headline reads as a headline: a line of its own, even where
    the text lost its breaks."""
    if "**" not in text and "__" not in text:
        return edits
    out = list(edits)
    for m in _MARKUP.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b, _ in edits):
            continue
        a, b = m.start("em"), m.end("body")
        opens = "" if a == 0 or text[a - 1] == "\n" else "\n"
        closes = "" if b + 2 >= len(text) or text[b + 2] == "\n" else "\n"
        out += [(a, m.start("body"), opens), (b, b + 2, closes)]
    return sorted(out)


# What folding reads across a line break: digits and kanji numerals, spaces, 年月日.
_FOLDS_ACROSS = re.compile(r"[0-9〇一二三四五六七八九十百千年月日 \t.,]")


def _pad(text: str, s: int, e: int) -> int:
    """The spaces that centre or right-align a line (three or more; a paragraph's indent of
    one or two is part of its width)."""
    if e - s < 3 or text[s] not in " \t":
        return 0
    n = len(text[s:e]) - len(text[s:e].lstrip(" \t"))
    return n if n >= 3 else 0


def _wrap_joins(text: str, source: Normalized | None, lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    lines = _physical_lines(text) if lines is None else lines
    # (A line's width is its text's: the spaces that centre a title or push a date to the
    # right edge are not the width a wrap cut the body's lines at.)
    starts = [s + _pad(text, s, e) for s, e in lines]
    lens = [e - s for s, (_, e) in zip(starts, lines, strict=True)]
    if source is not None and not source.identity and lens:
        # A wrap cut the caller's lines: measure the longest ones there (folding shortens a
        # line by a few characters at most, so the others cannot be the longest).
        near = max(lens) - max(8, max(lens) // 5)
        lens = [source.raw_pos(e, end=True) - source.raw_pos(s) if n >= near else n for s, (_, e), n in zip(starts, lines, lens, strict=True)]
    return list(_joins(text, lines, lens))


def _run_on_cuts(text: str, lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    lines = _physical_lines(text) if lines is None else lines
    runon = len(lines) == 1 or len(text) >= RUN_ON_MEAN * len(lines)
    edits: list[tuple[int, int, str]] = []
    for s, e in lines:
        if e - s >= RUN_ON_LINE or (runon and e - s >= 8):
            edits.extend(_cut(text, s, e))
    return edits
