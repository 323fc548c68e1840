"""HTML to the text a reader sees, with selectolax: the one path for a whole page (``decode``) and
for the article ingest finds in it (``app.ingest.documents.html_main_text``).

What is never read is dropped (scripts, styles, menus, forms, the head); a block element or a
<br> ends its line; entities are decoded; spaces run together as a browser shows them. A
table's row is one line, its cells parted by " | " (what the parser reads as a row).
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .limits import MAX_HTML_DEPTH, LimitError, check_html

# Elements whose content no reader sees as the page's text.
DROP = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
        "form", "iframe", "button", "select", "object", "canvas")
BLOCK = frozenset({
    "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "main", "dd", "dt", "dl", "blockquote", "pre", "td", "th", "caption", "figure",
    "figcaption", "address", "time",
})
# Empty elements that break a line once (a block breaks before and after its content).
BREAK = frozenset({"br", "hr"})
_CELL = ("td", "th")


def node_text(node: LexborNode) -> str:
    """Text of a node with line breaks at block boundaries and none inside a sentence.

    The tree is walked with an explicit stack, not by recursion: a page nested thousands of
    elements deep must not exhaust Python's stack (it is refused past MAX_HTML_DEPTH).
    """
    parts: list[str] = []
    # Each entry is text to emit, or an element to open: (element, inside a table cell, depth).
    stack: list[str | tuple[LexborNode, bool, int]] = [(node, False, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        n, in_cell, depth = item
        if depth > MAX_HTML_DEPTH:
            raise LimitError(f"HTML nested more than {MAX_HTML_DEPTH} elements deep",
                             "MAX_HTML_DEPTH", MAX_HTML_DEPTH)
        sep = " " if in_cell else "\n"
        todo: list[str | tuple[LexborNode, bool, int]] = []
        cells = 0
        for child in n.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                todo.append(child.text_content or "")
            elif tag in _CELL:
                todo.append(" | " if cells else "")
                cells += 1
                todo.append((child, True, depth + 1))
            elif tag in BREAK:
                todo.append(sep)
            elif tag in BLOCK:
                todo.extend((sep, (child, in_cell, depth + 1), sep))
            else:
                todo.append((child, in_cell, depth + 1))
        stack.extend(reversed(todo))
    text = "".join(parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(html: str) -> str:
    """The visible text of a whole page, ending in a newline; LimitError past the limits."""
    check_html(html)
    tree = LexborHTMLParser(html)
    tree.strip_tags([*DROP, "head"])
    root = tree.body or tree.root
    return (node_text(root) if root is not None else "") + "\n"
