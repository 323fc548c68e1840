"""A short passage of each found incident with the search's hits in ``<mark>``."""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlmodel import Session

from app.search.index import incident_texts
from app.search.query import ParsedQuery
from app.text import is_kana, nfkc, to_katakana, word_tokens

SNIPPET_CHARS = 120
_WINDOWS = 6  # short windows tagged per incident when no literal hit is found


def snippets(session: Session, parsed: ParsedQuery, incident_ids: list[int]) -> dict[int, Markup]:
    """A short passage per incident with the hits in ``<mark>``; the text is escaped.

    Looks for the terms literally first (cheap); only when none is there does it tag a few
    short windows around the first character of each query lemma, to find variants (漏えい
    for 漏洩). Incidents with no hit get the start of their text, unmarked. The passage is
    shown in NFKC. The terms' lemmas come from the parsed query (tokenised once).
    """
    texts = incident_texts(session, incident_ids)
    terms = parsed.positive
    needles = sorted({t.text for t in terms} | {w for t in terms for w in t.text.split()},
                     key=len, reverse=True)
    lemmas = {lemma for t in terms for _s, lemma, _k, _p in t.tokens}
    readings = {to_katakana(t.text) for t in terms if is_kana(t.text)}
    out: dict[int, Markup] = {}
    for incident_id in incident_ids:
        body = " ".join(nfkc(texts.get(incident_id, "")).split())
        spans = _literal_spans(body, needles) or _variant_spans(body, lemmas, readings)
        out[incident_id] = _render(body, _merge(spans))
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


def _render(body: str, spans: list[tuple[int, int]]) -> Markup:
    if not spans:
        cut = body[:SNIPPET_CHARS]
        return escape(cut) + ("…" if len(body) > SNIPPET_CHARS else "")
    # The window that holds the most hits, starting a little before the first of them.
    best = max(range(len(spans)), key=lambda i: sum(
        1 for s, _e in spans[i:] if s < spans[i][0] + SNIPPET_CHARS - 20))
    start = max(0, spans[best][0] - 20)
    end = min(len(body), start + SNIPPET_CHARS)
    parts = ["…" if start else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts += [str(escape(body[pos:s])), "<mark>", str(escape(body[s:e])), "</mark>"]
        pos = e
    parts += [str(escape(body[pos:end])), "…" if end < len(body) else ""]
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
