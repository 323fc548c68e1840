"""Storing extracted incidents: organisations matched by name, reports of one incident merged."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from app.db import session_scope
from app.extract import Extracted
from app.ingest.store import DocumentIn, content_hash, save_document
from app.models import Incident, IncidentSource, Organization
from app.text import match_key, slugify


def doc(text: str) -> DocumentIn:
    return DocumentIn(uri=f"test:{hash(text)}", text=text, content_hash=content_hash(text.encode()))


def facts(**kw) -> Extracted:
    base = {"is_incident": True, "attack_type": "web_skimming", "supply_chain": False,
            "leaked_items": [], "events": [], "evidence": {}}
    base.update(kw)
    return Extracted.from_json(base)


@pytest.mark.parametrize("a, b", [
    ("株式会社ハナミズキ商店", "ハナミズキ商店"),
    ("ハナミズキ商店株式会社", "ハナミズキ商店"),
    ("株式会社 ハナミズキ商店", "ﾊﾅﾐｽﾞｷ商店"),
    ("ＡＢＣ商事株式会社", "abc商事"),
    ("(株)ハナミズキ商店", "ハナミズキ商店"),
])
def test_match_key_ignores_legal_form_width_and_spacing(a, b):
    assert match_key(a) == match_key(b)


def test_match_key_keeps_different_names_apart():
    assert match_key("ハナミズキ商店") != match_key("ハナミズキ商会")


@pytest.mark.parametrize("name, letters", [
    ("株式会社ハナミズキ", "hanamizuki"),
    ("みどり野市", "midorinoichi"),
    ("ABC Holdings", "abcholdings"),
    ("ＡＢＣ商事", "abcshouji"),
])
def test_slugs_are_ascii_romaji_without_the_legal_form(name, letters):
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slug.replace("-", "") == letters


def test_two_reports_of_one_incident_become_one_with_both_sources(engine):
    notice = facts(organization="株式会社ハナミズキ商店", organization_core="ハナミズキ商店",
                   discovered_on="2023-11-02", disclosed_on="2024-03-15", card_records=3214)
    news = facts(organization="ハナミズキ商店", organization_core="ハナミズキ商店",
                 discovered_on="2023-11-02", records_max=12480, records_max_qualifier="最大")
    with session_scope(engine) as s:
        first = save_document(s, doc=doc("notice"), incidents=[notice])
    with session_scope(engine) as s:
        second = save_document(s, doc=doc("news"), incidents=[news])
    assert len(first.created) == 1 and second.created == []
    assert second.updated == first.created
    with Session(engine) as s:
        (incident,) = s.exec(select(Incident)).all()
        assert incident.slug.startswith("2024-03-15-") and "shouten" in incident.slug
        assert incident.card_records == 3214
        assert (incident.records_max, incident.records_max_qualifier) == (12480, "最大")
        assert len(s.exec(select(IncidentSource)).all()) == 2
        (org,) = s.exec(select(Organization)).all()
        assert org.name == "株式会社ハナミズキ商店" and "ハナミズキ商店" in org.aliases


def test_same_organisation_years_apart_is_two_incidents(engine):
    with session_scope(engine) as s:
        save_document(s, doc=doc("a"), incidents=[facts(organization="ハナミズキ商店", discovered_on="2019-01-10")])
        save_document(s, doc=doc("b"), incidents=[facts(organization="ハナミズキ商店", discovered_on="2023-11-02")])
    with Session(engine) as s:
        assert len(s.exec(select(Incident)).all()) == 2
        assert len(s.exec(select(Organization)).all()) == 1


def test_same_document_twice_changes_nothing(engine):
    with session_scope(engine) as s:
        save_document(s, doc=doc("same"), incidents=[facts(organization="ハナミズキ商店")])
    with session_scope(engine) as s:
        again = save_document(s, doc=doc("same"), incidents=[facts(organization="ハナミズキ商店")])
    assert again.unchanged
    with Session(engine) as s:
        assert len(s.exec(select(Incident)).all()) == 1


def test_advisories_are_not_stored_as_incidents(engine):
    with session_scope(engine) as s:
        result = save_document(s, doc=doc("adv"), incidents=[facts(organization="宅配", is_incident=False,
                                                                   attack_type="phishing")])
    assert result.skipped == 1 and not result.created


def test_a_failure_inside_a_document_leaves_the_store_as_it_was(engine):
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        save_document(s, doc=doc("half"), incidents=[facts(organization="ハナミズキ商店")])
        raise RuntimeError("crash after the incident was written")
    with Session(engine) as s:
        assert s.exec(select(Incident)).all() == []
        assert s.exec(select(Organization)).all() == []
