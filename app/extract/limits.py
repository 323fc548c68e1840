"""What one document may cost to decode: past a limit it fails alone, with a message naming it.

A hostile page can make an HTML parser work in proportion to the square of its nesting (lexbor
took 17 s on 100,000 nested <div>s) and a PDF can list 100,000 pages that share one content
stream; both are refused before the expensive step, by a cheap count.
"""
from __future__ import annotations

import re

MAX_HTML_DEPTH = 1000          # nested elements; real notices stay under 40
MAX_HTML_BYTES = 10 * 2**20    # 10 MiB of markup; a notice page is rarely 1 MiB
MAX_PDF_PAGES = 1000           # pages in the page tree, counted before any text is read
MAX_PDF_SECONDS = 30.0         # wall-clock budget for reading one PDF's text
# With ROUEI_DECODE_ISOLATED, each document is decoded in a child process held to these:
MAX_DECODE_CPU_SECONDS = 30    # CPU time for one document's decoding
MAX_DECODE_MEMORY_BYTES = 1 * 2**30  # memory the decoding may add to the child's own


class DecodeError(ValueError):
    """The bytes are not a text we can read; the message says why, for a person."""


class LimitError(DecodeError):
    """The document is past one of the limits above; the message names the limit."""

    def __init__(self, what: str, limit_name: str, limit: int | float) -> None:
        super().__init__(f"{what}: past the limit {limit_name} = {limit}")
        self.what, self.limit_name, self.limit = what, limit_name, limit

    def __reduce__(self) -> tuple[type[LimitError], tuple[str, str, int | float]]:
        return (type(self), (self.what, self.limit_name, self.limit))  # crosses process bounds


# Elements that never hold others (void) or whose end tag a parser implies (a new <p> closes the
# open one): nesting them does not deepen the tree, so they are not counted.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen basefont bgsound "
    "frame p li dt dd tr td th option optgroup rb rt rtc rp thead tbody tfoot colgroup caption "
    "html head body".split()
)
_FOREIGN = frozenset({"svg", "math"})
_TOKENS = re.compile(
    r"<!--.*?(?:-->|\Z)"                                    # a comment
    r"|<(script|style|textarea|xmp|title)\b[^>]*>.*?(?:</\1\s*>|\Z)"  # raw text: tags inside are text
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>",            # a start or end tag
    re.S | re.I,
)


def html_depth(html: str, *, stop_at: int = MAX_HTML_DEPTH) -> int:
    """How deep a parser would nest this markup (close to it), counted without parsing it.

    An end tag closes up to its open start tag, as a parser does; one with no open start tag is
    ignored (a parser ignores it too, so it cannot be used to hide depth). Stops counting once
    past ``stop_at``.
    """
    stack: list[str] = []
    open_count: dict[str, int] = {}
    foreign = 0
    deepest = 0
    for m in _TOKENS.finditer(html):
        name = m.group(3)
        if name is None:
            continue
        name = name.lower()
        if name in _FLAT:
            continue
        if m.group(2):  # an end tag
            if not open_count.get(name):
                continue
            while stack:
                top = stack.pop()
                open_count[top] -= 1
                if top in _FOREIGN:
                    foreign -= 1
                if top == name:
                    break
            continue
        if m.group(4) and (foreign or name in _FOREIGN):
            continue  # <path/> in SVG closes itself; in HTML, <div/> opens a <div>
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if name in _FOREIGN:
            foreign += 1
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest > stop_at:
                break
    return deepest


def check_html(html: str) -> None:
    """Raise LimitError for markup too large or too deeply nested to parse safely."""
    if len(html) > MAX_HTML_BYTES:
        raise LimitError(f"HTML of {len(html)} characters", "MAX_HTML_BYTES", MAX_HTML_BYTES)
    if html_depth(html) > MAX_HTML_DEPTH:
        raise LimitError(f"HTML nested more than {MAX_HTML_DEPTH} elements deep", "MAX_HTML_DEPTH",
                         MAX_HTML_DEPTH)
