"""HTML to the text a reader sees, with selectolax: the one path for a whole page (``decode``) and
for the article ingest finds in it (``app.ingest.documents.html_main_text``).

What is never read is dropped (scripts, styles, menus, forms, the head); a block element or a
<br> ends its line; entities are decoded; spaces run together as a browser shows them. A
table's row is one line, its cells parted by " | " (what the parser reads as a row).
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

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
    """Text of a node with line breaks at block boundaries and none inside a sentence."""
    parts: list[str] = []

    def walk(n: LexborNode, in_cell: bool = False) -> None:
        cells = 0
        for child in n.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                parts.append(child.text_content or "")
            elif tag in _CELL:
                parts.append(" | " if cells else "")
                cells += 1
                walk(child, True)
            elif tag in BREAK:
                parts.append(" " if in_cell else "\n")
            elif tag in BLOCK:
                parts.append(" " if in_cell else "\n")
                walk(child, in_cell)
                parts.append(" " if in_cell else "\n")
            else:
                walk(child, in_cell)

    walk(node)
    text = "".join(parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(html: str) -> str:
    """The visible text of a whole page, ending in a newline."""
    tree = LexborHTMLParser(html)
    tree.strip_tags([*DROP, "head"])
    root = tree.body or tree.root
    return (node_text(root) if root is not None else "") + "\n"
