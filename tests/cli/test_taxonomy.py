"""The attack types: every key has both labels, as in ../shared/spec/taxonomy.md."""

from __future__ import annotations

import re

import pytest

from app import taxonomy
from tests.conftest import SHARED


def test_every_type_has_japanese_and_english_labels():
    for kind in taxonomy.ATTACK_TYPES:
        assert kind.ja and kind.en and kind.ja != kind.en
        assert taxonomy.label(kind.key, "ja") == kind.ja
        assert taxonomy.label(kind.key, "en") == kind.en


def test_unknown_key_falls_back_to_other():
    assert taxonomy.label("nonsense") == taxonomy.BY_KEY["other"].ja


@pytest.mark.skipif(not (SHARED / "spec" / "taxonomy.md").exists(), reason="../shared is not here")
def test_keys_and_labels_match_the_spec():
    spec = (SHARED / "spec" / "taxonomy.md").read_text("utf-8")
    rows = re.findall(r"^\| (\w+) \| ([^|]+) \| ([^|]+) \|", spec, re.M)
    table = {key: (ja.strip(), en.strip()) for key, ja, en in rows if key != "key"}
    assert table == {k.key: (k.ja, k.en) for k in taxonomy.ATTACK_TYPES}
