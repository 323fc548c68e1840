"""A short passage of each found incident with the search's hits in ``<mark>``.

The passage comes from one place, never a run of fields: the incident's sources when they
hold a hit, else its leaked items, else the one name that matched. It starts and ends at a
word's or a clause's edge (a space, 、 or 。), so it never opens on a fragment ("…livery").
"""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlmodel import Session

from app.search.index import incident_parts
from app.search.query import ParsedQuery
from app.text import is_kana, nfkc, to_katakana, word_tokens

SNIPPET_CHARS = 120
_WINDOWS = 6  # short windows tagged per incident when no literal hit is found
_LEAD = 30  # at most this much text before the first hit
# Where a passage may start or end: spaces, punctuation, brackets.
_EDGES = frozenset(" \t\n。、，,．.！？!?「」『』（）()【】［］[]・:：;；/／")


def snippets(session: Session, parsed: ParsedQuery, incident_ids: list[int]) -> dict[int, Markup]:
    """A short passage per incident with the hits in ``<mark>``; the text is escaped.

    Looks for the terms literally first (cheap); only when none is there does it tag a few
    short windows around the first character of each query lemma, to find variants (漏えい
    for 漏洩). An incident with no hit gets the start of its sources' text, unmarked, or an
    empty passage when it keeps no text (the bundled dataset). The passage is shown in NFKC.
    The terms' lemmas come from the parsed query (tokenised once).
    """
    parts = incident_parts(session, incident_ids)
    terms = parsed.positive
    needles = sorted({t.text for t in terms} | {w for t in terms for w in t.text.split()},
                     key=len, reverse=True)
    lemmas = {lemma for t in terms for _s, lemma, _k, _p in t.tokens}
    readings = {to_katakana(t.text) for t in terms if is_kana(t.text)}
    out: dict[int, Markup] = {}
    for incident_id in incident_ids:
        names, texts = parts.get(incident_id, ([], []))
        # index.incident_parts gives the texts as: leaked items, the two attack-type labels
        # (the list shows the type already), then the sources' segments.
        passages = " ".join(nfkc(" ".join(texts[3:])).split())
        items = "、".join(i.strip() for i in (texts[0] if texts else "").split(",") if i.strip())
        out[incident_id] = Markup("")
        for body in (passages, nfkc(items), *(nfkc(n) for n in names)):
            spans = (_literal_spans(body, needles) or _variant_spans(body, lemmas, readings)) if body else []
            if spans:
                out[incident_id] = _render(body, _merge(spans))
                break
        else:
            if passages:
                out[incident_id] = _render(passages, [])
    return out


def _variant_spans(body: str, lemmas: set[str], readings: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    starts = sorted({p for lemma in lemmas for p in _find_all(body, lemma[:1], 4)})
    for p in starts[:_WINDOWS]:
        lo = max(0, p - 8)
        spans += [(lo + at, lo + at + len(s)) for s, lemma, kana, at in word_tokens(body[lo:p + 12])
                  if lemma in lemmas or kana in readings]
    return spans


def _find_all(body: str, needle: str, limit: int) -> list[int]:
    found: list[int] = []
    at = body.find(needle) if needle else -1
    while at != -1 and len(found) < limit:
        found.append(at)
        at = body.find(needle, at + 1)
    return found


def _literal_spans(body: str, needles: list[str]) -> list[tuple[int, int]]:
    low = body.lower()
    spans = []
    for needle in needles:
        start = low.find(needle)
        while start != -1 and len(spans) < 50:
            spans.append((start, start + len(needle)))
            start = low.find(needle, start + len(needle))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _start(body: str, hit: int) -> int:
    """Where a passage showing ``hit`` begins: after the last edge in the few characters before
    it, else at the hit itself."""
    lo = max(0, hit - _LEAD)
    for i in range(hit - 1, lo - 1, -1):
        if body[i] in _EDGES:
            return i + 1
    return 0 if lo == 0 else hit


def _end(body: str, start: int) -> int:
    """Where a passage from ``start`` ends: at the last edge before SNIPPET_CHARS, or the
    character limit when no edge is near (a long run of kana or kanji)."""
    end = start + SNIPPET_CHARS
    if end >= len(body):
        return len(body)
    for i in range(end, end - _LEAD, -1):
        if body[i - 1] in _EDGES:
            return i
    while end > start and body[end].isascii() and body[end].isalnum() and body[end - 1].isascii() \
            and body[end - 1].isalnum():  # not inside a Latin word
        end -= 1
    return end if end > start else start + SNIPPET_CHARS


def _render(body: str, spans: list[tuple[int, int]]) -> Markup:
    if not spans:
        end = _end(body, 0)
        return escape(body[:end].strip()) + ("…" if end < len(body) else "")
    # The window that holds the most hits, starting a little before the first of them.
    best = max(range(len(spans)), key=lambda i: sum(
        1 for s, _e in spans[i:] if s < spans[i][0] + SNIPPET_CHARS - _LEAD))
    start = _start(body, spans[best][0])
    while start < spans[best][0] and body[start].isspace():
        start += 1
    end = max(_end(body, start), spans[best][1])
    parts = ["…" if start else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts += [str(escape(body[pos:s])), "<mark>", str(escape(body[s:e])), "</mark>"]
        pos = e
    parts += [str(escape(body[pos:end].rstrip())), "…" if end < len(body) else ""]
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
