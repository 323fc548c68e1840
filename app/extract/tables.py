"""Tables as text: a row's cells and the header row above it.

A table reaches the parser as lines of cells split by a bar or a tab ("7/3｜株式会社X｜…",
a Markdown table with its rule and end bars dropped, an HTML table's row). The header row
names the columns (公表日, 組織, 概要): the column a date or a name stands in says what it is.
"""
from __future__ import annotations

import re

CELL_BAR = re.compile(r"[|｜\t]")
# A label that names an entry's body, a two-cell row of its own: "子会社名:X", "法人名:X"
ORG_LABEL = re.compile(r"\s*(?:子会社名|法人名|組織名|会社名|事業者名|団体名|機関名|発表元|公表元)\s*[:：]\s*")
_RULE = re.compile(r"[|:\- \t]+")


def cells(line: str) -> list[str]:
    """The cells of a row, as written (a leading bar gives an empty first cell)."""
    return CELL_BAR.split(line)


def is_row(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] is a row of cells: two bars or tabs at least."""
    return len(CELL_BAR.findall(text, s, e)) >= 2


def is_header(line: str) -> bool:
    """A table's header row: short labels (公表日 | 組織 | 概要), no digit."""
    labels = [c.strip() for c in cells(line) if c.strip()]
    return len(labels) >= 2 and all(len(c) <= 8 and not any(ch.isdigit() for ch in c) for c in labels)


def header_above(text: str, line_start: int, max_lines: int = 60) -> list[str] | None:
    """The cells of the header row of the table whose row starts at line_start: the nearest
    line above with cells and no digit in them, past other rows, rows' text run over lines
    and the rule under the header."""
    end = line_start - 1
    for _ in range(max_lines):
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        row = cells(line)
        if not line.strip() or len(row) < 2 or any(c.isdigit() for c in line) or _RULE.fullmatch(line.strip()):
            continue
        return row
    return None
