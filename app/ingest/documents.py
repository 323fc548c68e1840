"""Bytes to the text the parser reads: PDF text with pypdf, HTML main text with selectolax
(rendered by the parser's own ``app.extract.htmltext``, as a whole page is).

Everything else, and any HTML whose main text cannot be found, goes through the parser's own
``decode_bytes`` (charset detection, visible text of HTML).
"""

from __future__ import annotations

import io
import logging
import re
import time
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

from app import extract
from app.extract import Decoded, DecodeError, limits
from app.extract.htmltext import DROP, node_text
from app.extract.limits import LimitError, check_html

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = ["DecodeError", "Decoded", "html_main_text", "is_pdf", "pdf_text", "to_text"]

_PARAGRAPHS = "p, li, h1, h2, h3, h4, dd, dt, td, th, pre, blockquote, address"
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|menu|breadcrumb|sidebar|side|footer|header|share|sns|banner|ad|ads|related|ranking|comment)s?(?:$|[\s_-])", re.I)
# Under this many characters the extractor found a menu, not an article: use the whole page.
_MIN_MAIN = 80


def is_pdf(data: bytes, *, filename: str | None = None, content_type: str | None = None) -> bool:
    return (data[:1024].lstrip().startswith(b"%PDF-")
            or bool(content_type and "pdf" in content_type.lower())
            or bool(filename and filename.lower().endswith(".pdf")))


def is_html(data: bytes, *, filename: str | None = None, content_type: str | None = None) -> bool:
    if content_type:
        kind = content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return True
    if filename and filename.lower().endswith((".htm", ".html", ".xhtml")):
        return True
    return bool(re.match(rb"\s*(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html)", data[:512], re.I))


def pdf_page_count(reader: PdfReader, *, stop_at: int = limits.MAX_PDF_PAGES) -> int:
    """Pages in the page tree, counted from the /Kids arrays without reading any page; stops
    past ``stop_at``. A page object listed many times counts each time, as a reader shows it."""
    from pypdf.generic import ArrayObject, DictionaryObject

    root = reader.trailer["/Root"].get_object()
    pages_root = root.get("/Pages")
    stack = [pages_root] if pages_root is not None else []
    seen: set[int] = set()
    count = 0
    while stack:
        ref = stack.pop()
        node = ref.get_object() if ref is not None else None
        if not isinstance(node, DictionaryObject):
            continue
        kids = node.get("/Kids")
        if node.get("/Type") == "/Pages" or kids is not None:
            if id(node) in seen:  # a tree that lists itself: each node is read once
                continue
            seen.add(id(node))
            kids = kids.get_object() if kids is not None else None
            if isinstance(kids, ArrayObject):
                stack.extend(reversed(kids))
            continue
        count += 1
        if count > stop_at:
            break
    return count


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page; a scanned PDF without one is refused, and so is
    one past MAX_PDF_PAGES or whose text takes longer than MAX_PDF_SECONDS to read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged xref is mended, not news
    started = time.monotonic()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        if pdf_page_count(reader) > limits.MAX_PDF_PAGES:
            raise LimitError(f"PDF of more than {limits.MAX_PDF_PAGES} pages", "MAX_PDF_PAGES",
                             limits.MAX_PDF_PAGES)
        pages = []
        for page in reader.pages:
            if time.monotonic() - started > limits.MAX_PDF_SECONDS:
                raise LimitError(f"PDF text not read within {limits.MAX_PDF_SECONDS:g} s (after "
                                 f"{len(pages)} pages)", "MAX_PDF_SECONDS", limits.MAX_PDF_SECONDS)
            pages.append(page.extract_text() or "")
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        if isinstance(exc, DecodeError):
            raise
        raise DecodeError(f"unreadable PDF: {exc}") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise DecodeError("PDF without a text layer (a scan?)")
    return text + "\n"


def _link_chars(node: LexborNode) -> int:
    return sum(len(a.text(strip=True)) for a in node.css("a"))


def html_main_text(html: str) -> str | None:
    """The article of a page: its headline, then the block that holds most of its prose.

    Each paragraph's length counts for its parent and, halved, its grandparent; the best block
    wins (readability's idea, in a few lines). None when nothing substantial is found;
    LimitError for markup past the limits (``app.extract.limits``).
    """
    check_html(html)
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return None
    tree.strip_tags(list(DROP))
    for node in tree.css("[class], [id]"):
        marker = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _CHROME.search(marker) and node.tag not in ("body", "html", "main", "article"):
            node.decompose()
    scores: dict[int, tuple[float, LexborNode]] = {}
    for para in tree.css(_PARAGRAPHS):
        length = len(para.text(strip=True)) - _link_chars(para)
        if length < 10:
            continue
        parent = para.parent
        for weight in (1.0, 0.5):
            if parent is None or parent.tag in ("html", "body"):
                break
            key = parent.mem_id
            scores[key] = (scores.get(key, (0.0, parent))[0] + weight * length, parent)
            parent = parent.parent
    best = max(scores.values(), key=lambda pair: pair[0], default=None)
    candidates = [n for n in (tree.css_first("article"), tree.css_first("main"),
                              tree.css_first("[role=main]")) if n is not None]
    node = best[1] if best is not None else (candidates[0] if candidates else tree.body)
    text = node_text(node)
    if len(text) < _MIN_MAIN:
        return None
    heading = tree.css_first("h1") or tree.css_first("title")
    title = heading.text(strip=True) if heading is not None else ""
    if title and title not in text:
        text = f"{title}\n\n{text}"
    return text + "\n"


def _charset(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def to_text(data: bytes, *, filename: str | None = None, content_type: str | None = None) -> Decoded:
    """Decode a document whatever its kind; raises DecodeError with a reason a person can read."""
    if not data:
        raise DecodeError("empty file")
    if is_pdf(data, filename=filename, content_type=content_type):
        return Decoded(pdf_text(data), "pdf", "pdf")
    if not is_html(data, filename=filename, content_type=content_type):
        return extract.decode_bytes(data, filename=filename)
    # The parser finds the charset (meta tag, BOM, detection); we keep the markup to find the article.
    fallback = extract.decode_bytes(data, filename=filename if filename and filename.lower().endswith(
        (".htm", ".html", ".xhtml")) else "document.html")
    encoding = fallback.encoding
    declared = _charset(content_type)
    for name in (declared, encoding):
        if not name:
            continue
        try:
            html = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        main = html_main_text(html.lstrip("\ufeff"))
        if main:
            return Decoded(main, name if name == declared else encoding, "html")
        break
    return fallback
