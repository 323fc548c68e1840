"""Every rule by its id: its examples match, its counter-examples do not, and the parser reaches it.

A rule is declared with `app.extract.rules.rule(id, pattern, examples=..., must_not=...)`.
Parsing a rule's own examples (and `documents`) through `parse_text` must make the rule
match at least once: a rule that the parser never reaches (shadowed by another, or no longer
called) is dead, and fails here.
"""
from __future__ import annotations

import pytest

from app.extract import parse_text
from app.extract.rules import REGISTRY, Rule, trace

RULES = sorted(REGISTRY.values(), key=lambda r: r.id)


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.id)
def test_examples_match_and_counter_examples_do_not(r: Rule) -> None:
    missing = [ex for ex in r.examples if not r.pattern.search(ex)]
    assert not missing, f"{r.id} does not match its examples: {missing}"
    wrong = [ex for ex in r.must_not if r.pattern.search(ex)]
    assert not wrong, f"{r.id} matches what it must not: {wrong}"


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.id)
def test_the_parser_reaches_the_rule(r: Rule) -> None:
    with trace() as fired:
        for text in r.examples + r.documents:
            parse_text(text)
    assert r.id in fired, f"{r.id}: parsing its examples never reached it (a dead rule)"


def test_rule_ids_name_their_module() -> None:
    # An id says where a rule lives and what it decides: "role.aware", "org.signature" …
    assert all("." in r.id and r.id == r.id.strip() for r in RULES)


def test_skipping_finds_the_same_matches_on_every_text() -> None:
    # A rule whose pattern re cannot skip through is put behind a lookahead on its first
    # characters: every match of the original pattern, and no other, is still found.
    import re

    from app.extract.rules import skipping

    texts = [ex for r in RULES for ex in r.examples + r.must_not + r.documents]
    shape = re.compile(r"\(\?=\[(?:\\.|[^\]\\])*\]\)\(\?:")  # "(?=[class])(?:", what skipping() writes
    wrapped = [r for r in RULES if shape.match(r.pattern.pattern)]
    assert wrapped, "no rule was put behind a lookahead"
    for r in RULES:
        src = r.pattern.pattern
        inner = src[shape.match(src).end() : -1] if r in wrapped else src  # type: ignore[union-attr]
        plain = re.compile(inner, r.pattern.flags)
        for text in texts:
            assert [m.span() for m in r.pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], (r.id, text)
    assert skipping(re.compile("(?<!ドメイン)盗難|紛失")).pattern.startswith("(?=[盗紛])")
    assert skipping(re.compile("株式会社[^。]+")).pattern == "株式会社[^。]+"  # re skips by its literal prefix
    assert skipping(re.compile(r"\d+件|約")).pattern == r"\d+件|約"  # \d: the first characters cannot be told
    assert skipping(re.compile("(?:ア|イ)?")).pattern == "(?:ア|イ)?"  # it can match nothing
