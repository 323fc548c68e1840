"""Bytes to text: detect the encoding (never assume it) and reduce HTML to its visible text."""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from .htmltext import html_to_text
from .limits import MAX_HTML_BYTES, DecodeError, LimitError

__all__ = ["DecodeError", "Decoded", "decode_bytes", "html_to_text"]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    format: str  # "text" | "html"


_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<!--)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
# Japanese encodings we try ourselves, in order, when there is no BOM: a strict decode that
# succeeds and reads as Japanese beats a statistical guess.
_CANDIDATES = ("utf-8", "cp932", "euc_jp", "iso2022_jp")
_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")


def _ja_score(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    ja = len(_JA.findall(sample))
    bad = sample.count("\ufffd") + len(re.findall(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", sample))
    # Half-width katakana and rare symbols are what a wrong Japanese codec produces.
    odd = len(re.findall(r"[\uff61-\uff9f\u2460-\u24ff\u2500-\u257f]", sample))
    return (ja - 5 * bad - 2 * odd) / len(sample)


def _plausible(text: str) -> bool:
    """Text, not binary read as text: few control, private-use or unassigned characters."""
    sample = text[:5000]
    if not sample:
        return False
    # Binary data read as UTF-16 can pass every per-character test (a repeated byte pattern
    # gives a repeated "character"); prose of any length uses many different characters.
    if len(sample) >= 100 and len(set(sample)) < 12:
        return False
    bad = sum(
        1
        for c in sample
        if (c < " " and c not in "\t\n\r\f") or "\ue000" <= c <= "\uf8ff" or unicodedata.category(c) in ("Cn", "Co", "Cs")
    )
    return bad <= len(sample) * 0.01


def _utf16_guess(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zero = sum(1 for b in sample[0::2] if b == 0)
    odd_zero = sum(1 for b in sample[1::2] if b == 0)
    half = len(sample) / 2
    # Japanese UTF-16 has few zero bytes, so also try a strict decode that reads as Japanese.
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _plausible(text):
            continue
        if _ja_score(text) > 0.3 or (enc == "utf-16-le" and odd_zero > 0.3 * half) or (
            enc == "utf-16-be" and even_zero > 0.3 * half
        ):
            return enc
    return None


def _detect(data: bytes, declared: str | None) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4000]:
        enc = _utf16_guess(data)
        if enc:
            return data.decode(enc), enc
        raise DecodeError("binary data (NUL bytes)")
    tried: list[tuple[float, str, str]] = []
    order = list(_CANDIDATES)
    if declared:
        try:
            name = codecs.lookup(declared).name
            order.insert(0, {"shift_jis": "cp932", "euc_jp": "euc_jp"}.get(name, name))
        except LookupError:
            pass
    for enc in order:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "utf-8" or enc == order[0] and declared:
            return text, enc
        tried.append((_ja_score(text), enc, text))
    if b"\x00" not in data:
        enc16 = _utf16_guess(data) if len(data) % 2 == 0 and _looks_utf16(data) else None
        if enc16:
            return data.decode(enc16), enc16
    if tried:
        tried.sort(key=lambda t: -t[0])
        score, enc, text = tried[0]
        if score > 0.05 or len(tried) == 1:
            return text, enc
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    if tried:
        return tried[0][2], tried[0][1]
    raise DecodeError("undecodable: not UTF-8, UTF-16, Shift_JIS/CP932 or EUC-JP text")


def _looks_utf16(data: bytes) -> bool:
    try:
        text = data.decode("utf-16-le")
    except UnicodeDecodeError:
        return False
    return _ja_score(text) > 0.5


def decode_bytes(data: bytes, *, filename: str | None = None, max_bytes: int = 50 * 2**20) -> Decoded:
    """Detect the encoding of data and return its text; HTML is reduced to its visible text."""
    if not data:
        raise DecodeError("empty file")
    if len(data) > max_bytes:
        raise DecodeError(f"too large: {len(data)} bytes > {max_bytes}")
    is_html = bool(filename and filename.lower().endswith((".htm", ".html", ".xhtml"))) or bool(
        _HTML_SNIFF.match(data[:1000].lstrip(codecs.BOM_UTF8))
    )
    if is_html and len(data) > MAX_HTML_BYTES:
        raise LimitError(f"HTML of {len(data)} bytes", "MAX_HTML_BYTES", MAX_HTML_BYTES)
    declared = None
    if is_html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace")
    try:
        text, encoding = _detect(data, declared)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"undecodable: {exc.reason} at byte {exc.start}") from exc
    if not is_html and text.lstrip()[:1] == "<" and re.match(r"\s*<(?:!doctype|html)", text, re.I):
        is_html = True
    if is_html:
        return Decoded(html_to_text(text), encoding, "html")
    return Decoded(text.replace("\r\n", "\n"), encoding, "text")
