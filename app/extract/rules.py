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
import re._compiler as _sre_compiler  # the scanner's own prefix analysis (private, checked below)
import re._constants as _C
import re._parser as _sre_parser
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
    compiled = skipping(compiled)
    r = Rule(id, compiled, tuple(examples), tuple(must_not), tuple(documents))
    REGISTRY[id] = r
    return r


def skipping(compiled: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern, behind a lookahead on the characters it can start with when `re`
    cannot skip ahead by itself.

    `re` passes over text quickly only when a pattern starts with a literal or a plain
    character class; a pattern that starts with an alternation of groups, a look-behind or a
    class in one branch is tried at every position (ランサム|身代金|(?:ファイル|…)…: 3–10× slower
    on ordinary text). A one-class lookahead lets each position fail on one test. The matches
    are the same: the class holds every character any match can start with.
    """
    first = _start_class(compiled)
    return compiled if first is None else re.compile(f"(?=[{first}])(?:{compiled.pattern})", compiled.flags)


def _start_class(compiled: re.Pattern[str]) -> str | None:
    """The class (as regex source) of the characters every match starts with, or None when
    `re` already skips on its own, or the set cannot be told (a negated class, \\w, ., an
    empty match, a case-insensitive or verbose pattern)."""
    if not isinstance(compiled.pattern, str) or compiled.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        if _sre_compiler._get_literal_prefix(parsed, parsed.state.flags)[0] or _sre_compiler._get_charset_prefix(
            parsed, parsed.state.flags
        ):
            return None
        if parsed.data and parsed.data[0][0] is _C.ASSERT and parsed.data[0][1][0] == 1:
            return None  # it opens with a lookahead of its own
        chars, nullable = _first_of(parsed.data)
    except Exception:  # a private API that changed shape: leave the pattern as it is
        return None
    if chars is None or nullable or not chars:
        return None
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in sorted(chars))


def _first_of(items) -> tuple[set[tuple[int, int]] | None, bool]:
    """(code point ranges a sequence can start with, whether it can match nothing)."""
    acc: set[tuple[int, int]] = set()
    for op, av in items:
        if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
            continue  # zero-width: passing over it can only widen the set
        if op is _C.LITERAL:
            acc.add((av, av))
            return acc, False
        if op is _C.IN:
            for kind, v in av:
                if kind is _C.LITERAL:
                    acc.add((v, v))
                elif kind is _C.RANGE:
                    acc.add(v)
                else:  # NEGATE, CATEGORY (\\d, \\s …)
                    return None, False
            return acc, False
        if op is _C.BRANCH:
            nullable = False
            for branch in av[1]:
                s, n = _first_of(branch.data)
                if s is None:
                    return None, False
                acc |= s
                nullable = nullable or n
        elif op is _C.SUBPATTERN:
            if av[1] or av[2]:  # inline flags inside
                return None, False
            s, nullable = _first_of(av[3].data)
            if s is None:
                return None, False
            acc |= s
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            s, n = _first_of(av[2].data)
            if s is None:
                return None, False
            acc |= s
            nullable = n or av[0] == 0
        elif op is _C.ATOMIC_GROUP:
            s, nullable = _first_of(av.data)
            if s is None:
                return None, False
            acc |= s
        else:  # ANY, NOT_LITERAL, GROUPREF, CATEGORY …
            return None, False
        if not nullable:
            return acc, False
    return acc, True


@contextmanager
def trace() -> Iterator[set[str]]:
    """Collect the ids of the rules that matched inside the block (this context only)."""
    fired: set[str] = set()
    token = _TRACE.set(fired)
    try:
        yield fired
    finally:
        _TRACE.reset(token)
