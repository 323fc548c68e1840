"""Rules as data: every pattern the parser decides by has an id, examples and counter-examples.

    AWARE = rule("role.aware", r"判明|発覚", examples=("…が判明しました",), must_not=("判明していない",))

A rule is a compiled pattern with the sentences it exists for (`examples`, each must match)
and the look-alikes it must leave alone (`must_not`). `tests/extract/test_rules.py` runs every
registered rule by its id on both lists, and parses every example through `parse_text` with a
trace on: a rule that no example reaches through the parser is dead and fails the test.

Tracing is per call (a ContextVar), so parsing in many threads at once stays independent.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_TRACE: ContextVar[set[str] | None] = ContextVar("rouei_rule_trace", default=None)


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    must_not: tuple[str, ...] = ()
    # Examples that need more text than one sentence to reach the rule through the parser.
    documents: tuple[str, ...] = field(default=(), repr=False)

    # (The methods are spelled out rather than built on one helper: they run tens of
    # thousands of times a document, and a Python call costs more than the match.)
    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        m = self.pattern.search(text, pos, len(text) if endpos is None else endpos)
        if m is not None and (t := _TRACE.get()) is not None:
            t.add(self.id)
        return m

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        m = self.pattern.match(text, pos, len(text) if endpos is None else endpos)
        if m is not None and (t := _TRACE.get()) is not None:
            t.add(self.id)
        return m

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        m = self.pattern.fullmatch(text, pos, len(text) if endpos is None else endpos)
        if m is not None and (t := _TRACE.get()) is not None:
            t.add(self.id)
        return m

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        it = self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)
        t = _TRACE.get()
        if t is None:
            return it
        return self._traced(it, t)

    def _traced(self, it: Iterator[re.Match[str]], t: set[str]) -> Iterator[re.Match[str]]:
        for m in it:
            t.add(self.id)
            yield m

    def fired(self) -> None:
        """Record a decision this rule made without a regex match of its own."""
        trace = _TRACE.get()
        if trace is not None:
            trace.add(self.id)


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    pattern: str | re.Pattern[str],
    *,
    examples: tuple[str, ...] | list[str],
    must_not: tuple[str, ...] | list[str] = (),
    documents: tuple[str, ...] | list[str] = (),
    flags: int = 0,
) -> Rule:
    """Declare a rule; ids are unique and every rule has at least one example."""
    if id in REGISTRY:
        raise ValueError(f"rule id {id!r} is declared twice")
    if not examples:
        raise ValueError(f"rule {id!r} has no examples")
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
    r = Rule(id, compiled, tuple(examples), tuple(must_not), tuple(documents))
    REGISTRY[id] = r
    return r


@contextmanager
def trace() -> Iterator[set[str]]:
    """Collect the ids of the rules that matched inside the block (this context only)."""
    fired: set[str] = set()
    token = _TRACE.set(fired)
    try:
        yield fired
    finally:
        _TRACE.reset(token)
