"""One vocabulary: counts keep their qualifiers in both languages, wherever they are shown."""

from __future__ import annotations

from datetime import date

import pytest

from app import charts, i18n, taxonomy
from app.models import Incident

COUNTS = [
    # (value, qualifier, 日本語, English)
    (5521, None, "5,521件", "5,521"),
    (9416, "最大", "最大9,416件", "up to 9,416"),
    (40000, "約", "約40,000件", "about 40,000"),
    (1000, "以上", "1,000件以上", "1,000 or more"),
    (500, "可能性", "500件(可能性)", "500 (possibly)"),
    (None, None, "不明", "unknown"),
    (None, "調査中", "調査中", "under investigation"),
]


@pytest.mark.parametrize(("value", "qualifier", "ja", "en"), COUNTS)
def test_a_count_keeps_its_qualifier(value, qualifier, ja, en):
    assert i18n.count(value, qualifier) == ja
    assert i18n.count(value, qualifier, "en") == en


@pytest.mark.parametrize(("value", "qualifier", "ja", "en"), COUNTS)
def test_chart_hover_says_the_count_as_the_pages_do(value, qualifier, ja, en):
    inc = Incident(slug="x", organization="株式会社エー", records_max=value, records_max_qualifier=qualifier,
                   discovered_on=date(2022, 8, 12), disclosed_on=date(2022, 11, 28))
    data = charts.from_incidents([inc])
    assert charts.timeline(data.aggregates, data.newest).figure["data"][0]["hovertext"][0].endswith(f"件数 {ja}")
    assert charts.timeline(data.aggregates, data.newest, "en").figure["data"][0]["hovertext"][0].endswith(
        f"Records {en}")


def test_every_label_has_both_languages():
    for table in (i18n.TEXT, i18n.FACT_LABELS, i18n.STATUS_LABELS, i18n.VERDICT_LABELS,
                  i18n.REVISION_KIND_LABELS, i18n.REVIEW_LABELS):
        assert all(ja and en for ja, en in table.values())
    assert set(i18n.STATUS_LABELS) == set(taxonomy.STATUSES)
    for kind in taxonomy.ATTACK_TYPES:
        assert i18n.attack_label(kind.key, "ja") == kind.ja and i18n.attack_label(kind.key, "en") == kind.en


def test_an_unknown_organisation_is_named_once():
    nameless = Incident(slug="z")
    assert i18n.org_name(nameless) == "組織名不明"
    assert i18n.org_name(nameless, "en") == "Unknown organisation"
    assert i18n.org_name(Incident(slug="w", organization_core="ワコム")) == "ワコム"
