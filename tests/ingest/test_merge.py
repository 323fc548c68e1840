"""Merge: one incident however many documents report it, facts by precedence, history kept."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlmodel import Session, col, func, select

from app.db import session_scope
from app.extract import Extracted
from app.extract.report import tag_reports
from app.ingest.files import ingest_file
from app.ingest.merge import Report, compatible_kinds, disagreements, history_line
from app.ingest.pipeline import ingest_bytes
from app.ingest.store import (
    DocumentIn,
    content_hash,
    fact_history,
    find_organization,
    merge_incidents,
    save_document,
)
from app.models import Incident, IncidentEvent, IncidentSource, Organization, Source
from app.text import match_key
from tests.conftest import FIXTURES, SHARED

HERE = FIXTURES / "ingest"
TSUBAKI = ["tsubaki_notice_1.txt", "tsubaki_news.txt", "tsubaki_notice_2.txt"]

NOTICE = "2024年2月1日\n株式会社ミズナラ\n\n弊社サイトへの不正アクセスについて\n弊社が運営するサイトで…\n\n株式会社ミズナラ\n"
NEWS = "ミズナラは2月1日、同社のサイトが不正アクセスを受けたと発表した。\n"


def facts(**kw):
    base = {"is_incident": True, "attack_type": "unauthorized_access", "supply_chain": False,
            "leaked_items": [], "events": [], "evidence": {}}
    base.update(kw)
    return base


def save(engine, text: str, *items, uri: str | None = None, published_on: date | None = None):
    """Store items as the parser would have found them in text: the whole text their passage,
    tagged with the report they are."""
    found = [Extracted.from_json({"segment": [0, len(text)], **item}) for item in items]
    tag_reports(text, found)
    doc = DocumentIn(uri=uri or f"test:{content_hash(text.encode())[:8]}", text=text,
                     content_hash=content_hash(text.encode()), published_on=published_on)
    with session_scope(engine) as s:
        return save_document(s, doc=doc, incidents=found)


def live(s: Session) -> list[Incident]:
    return s.exec(select(Incident).where(col(Incident.merged_into_id).is_(None))
                  .order_by(col(Incident.id))).all()


# ---- which incidents are one ----


@pytest.mark.parametrize("a, b, same", [
    ("web_skimming", "web_skimming", True), ("web_skimming", "unauthorized_access", True),
    ("ransomware", "other", True), ("ransomware", "web_skimming", False),
    ("misdelivery", "unauthorized_access", False), ("loss_theft", "misdelivery", False),
])
def test_attack_types_that_can_describe_one_incident(a, b, same):
    assert compatible_kinds(a, b) is same and compatible_kinds(b, a) is same


# ---- precedence on stored facts ----


def test_own_notice_wins_over_later_news_and_history_keeps_both(engine):
    save(engine, NOTICE, facts(organization="株式会社ミズナラ", organization_core="ミズナラ",
                               discovered_on="2024-01-20", personal_records=800))
    save(engine, NEWS, facts(organization="ミズナラ", organization_core="ミズナラ",
                             discovered_on="2024-01-20", personal_records=900,
                             personal_records_qualifier="約"), published_on=date(2024, 2, 3))
    with Session(engine) as s:
        (incident,) = live(s)
        assert incident.personal_records == 800 and incident.personal_records_qualifier is None
        versions = fact_history(s, incident)["personal_records"]
        assert history_line(versions) == "800 → 約900"
        assert [v.report.kind for v in versions] == ["notice", "news"]
        assert [v.chosen for v in versions] == [True, False]
        assert set(disagreements(fact_history(s, incident))) == {"personal_records"}


def test_news_fills_what_the_notice_does_not_say(engine):
    save(engine, NOTICE, facts(organization="株式会社ミズナラ", discovered_on="2024-01-20"))
    save(engine, NEWS, facts(organization="ミズナラ", discovered_on="2024-01-20", records_max=5000,
                             records_max_qualifier="最大", vendor="フォームナビ"))
    with Session(engine) as s:
        (incident,) = live(s)
        assert (incident.records_max, incident.records_max_qualifier, incident.vendor) == (5000, "最大", "フォームナビ")
        assert incident.organization == "株式会社ミズナラ"


def test_a_new_version_of_a_page_replaces_the_old_one_but_keeps_it_in_the_history(engine):
    first = NOTICE + "対象は最大10,000名です。\n"
    second = NOTICE + "対象は1,234名と確定しました。\n"
    save(engine, first, facts(organization="株式会社ミズナラ", discovered_on="2024-01-20",
                              records_max=10000, records_max_qualifier="最大"), uri="https://example.jp/n")
    save(engine, second, facts(organization="株式会社ミズナラ", discovered_on="2024-01-20",
                               records_max=1234), uri="https://example.jp/n")
    with Session(engine) as s:
        (incident,) = live(s)
        assert incident.records_max == 1234 and incident.records_max_qualifier is None
        versions = fact_history(s, incident)["records_max"]
        assert [v.current for v in versions] == [False, True]
        assert history_line(versions) == "最大10,000 → 1,234"
        assert "records_max" not in disagreements(fact_history(s, incident))
        assert len(s.exec(select(Source).where(Source.uri == "https://example.jp/n")).all()) == 2


def test_a_report_that_bridges_two_incidents_merges_them_and_the_old_permalink_redirects(engine, client):
    save(engine, NOTICE, facts(organization="株式会社ミズナラ", discovered_on="2022-01-10"))
    save(engine, NOTICE + "続報\n", facts(organization="株式会社ミズナラ", discovered_on="2023-06-01"))
    with Session(engine) as s:
        first, second = live(s)
    # exposure from 2022 to 2023: one long incident, told in two pieces until now
    save(engine, NOTICE + "最終報告\n", facts(organization="株式会社ミズナラ", exposure_from="2022-01-01",
                                          exposure_to="2023-05-30"))
    with Session(engine) as s:
        (survivor,) = live(s)
        assert survivor.id == first.id
        merged = s.get(Incident, second.id)
        assert merged.merged_into_id == first.id
        assert s.exec(select(func.count()).select_from(IncidentSource)
                      .where(IncidentSource.incident_id == second.id)).one() == 0
        assert s.exec(select(func.count()).select_from(IncidentSource)
                      .where(IncidentSource.incident_id == first.id)).one() == 3
    response = client.get(f"/incidents/{second.slug}", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == f"/incidents/{first.slug}"


def test_merge_incidents_moves_sources_and_events_and_repoints_earlier_merges(engine):
    for n, year in enumerate((2019, 2021, 2023)):
        save(engine, NOTICE + str(n), facts(organization="株式会社ミズナラ", discovered_on=f"{year}-05-01",
                                            events=[{"type": "anomaly_detected", "date": f"{year}-05-01",
                                                     "evidence": [0, 1]}]))
    with session_scope(engine) as s:
        a, b, c = live(s)
        merge_incidents(s, survivor=b, other=c)
        merge_incidents(s, survivor=a, other=b)
    with Session(engine) as s:
        assert [i.id for i in live(s)] == [a.id]
        assert {s.get(Incident, i).merged_into_id for i in (b.id, c.id)} == {a.id}
        assert s.exec(select(func.count()).select_from(IncidentEvent)
                      .where(IncidentEvent.incident_id == a.id)).one() == 3
        assert s.get(Incident, a.id).discovered_on == date(2023, 5, 1)  # the latest report's


def test_a_second_name_is_learnt_through_the_service_and_found_again_as_an_alias(engine):
    save(engine, NOTICE, facts(organization="株式会社ミズナラ", service="ミズナラマーケット",
                               discovered_on="2024-01-20"))
    save(engine, NEWS, facts(organization="ミズナラHD", service="ミズナラマーケット", discovered_on="2024-01-21"))
    with Session(engine) as s:
        (incident,) = live(s)
        (org,) = s.exec(select(Organization)).all()
        assert "ミズナラHD" in org.aliases
        assert find_organization(s, name="ミズナラHD").id == org.id
        assert find_organization(s, name="ﾐｽﾞﾅﾗ").id == org.id
        assert find_organization(s, name="カシワ") is None


def test_generic_service_names_do_not_join_organisations(engine):
    save(engine, NOTICE, facts(organization="株式会社ミズナラ", service="ECサイト", discovered_on="2024-01-20"))
    save(engine, NEWS, facts(organization="カシワ堂", service="ECサイト", discovered_on="2024-01-20"))
    with Session(engine) as s:
        assert len(live(s)) == 2


def test_different_kinds_of_incident_of_one_organisation_stay_apart(engine):
    save(engine, NOTICE, facts(organization="ミズナラ", attack_type="misdelivery", discovered_on="2024-01-20"))
    save(engine, NEWS, facts(organization="ミズナラ", attack_type="ransomware", discovered_on="2024-01-22"))
    with Session(engine) as s:
        assert len(live(s)) == 2


# ---- end to end through the parser, on invented notices ----


@pytest.mark.parametrize("order", list(itertools.permutations(TSUBAKI)))
def test_first_and_second_notice_and_news_are_one_incident_whatever_the_order(engine, order):
    for name in order:
        assert ingest_file(engine, HERE / name).status in ("new", "updated")
    with Session(engine) as s:
        (incident,) = live(s)
        assert incident.organization_core == "ツバキ精工"
        assert s.exec(select(func.count()).select_from(IncidentSource)).one() == 3
        # the later own notice (第2報) sets the count; its history reads in report order
        assert (incident.records_max, incident.records_max_qualifier) == (5836, None)
        history = fact_history(s, incident)
        assert history_line(history["records_max"]) == "最大100,000 → 約120,000 → 5,836"
        assert [v.report.kind for v in history["records_max"]] == ["notice", "news", "notice"]
        assert {v.uri.rsplit("/", 1)[-1] for v in disagreements(history)["records_max"]} == set(TSUBAKI)
        (org,) = s.exec(select(Organization)).all()
        assert org.name == "株式会社ツバキ精工"


def test_the_same_documents_again_change_nothing(engine):
    for name in TSUBAKI:
        ingest_file(engine, HERE / name)
    assert [ingest_file(engine, HERE / n).status for n in TSUBAKI] == ["unchanged"] * 3
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Source)).one() == 3


def test_one_vendor_links_the_organisations_it_exposed(engine):
    outcome = ingest_file(engine, HERE / "weekly_digest.txt")
    assert outcome.status == "new" and outcome.created == 2
    with Session(engine) as s:
        linked = [i for i in live(s) if match_key(i.vendor or "") == match_key("フォームナビ")]
        assert [i.organization_core for i in linked] == ["カエデ堂", "ヒイラギ書房"]
        assert all(i.supply_chain for i in linked)
        kinds = {link.facts["report"]["kind"] for link in s.exec(select(IncidentSource))}
        assert kinds == {"digest"}


def test_report_json_round_trips():
    r = Report(kind="notice", number=2, on=date(2024, 3, 15))
    assert Report.from_json(r.as_json()) == r
    assert Report.from_json(None) == Report(kind="unknown")


def test_upload_runs_the_same_pipeline_and_is_size_capped(engine):
    from app.ingest.pipeline import ingest_upload

    data = (HERE / "tsubaki_notice_1.txt").read_bytes()
    assert ingest_upload(engine, filename="../../etc/notice.txt", data=data, max_bytes=10).status == "failed"
    done = ingest_upload(engine, filename="../../etc/notice.txt", data=data, max_bytes=10_000)
    assert done.status == "new" and done.uri.endswith("/notice.txt") and ".." not in done.uri
    assert ingest_bytes(engine, uri="again", data=data).status == "unchanged"


# ---- the shared seeds, when they are there ----


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not here")
def test_seeds_give_one_wacom_incident_with_three_sources_and_link_the_vendor_clients(engine):
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    outcomes = [ingest_file(engine, path) for path in seeds]
    assert all(o.status != "failed" for o in outcomes)
    with Session(engine) as s:
        wacom = [i for i in live(s) if i.organization_core == "ワコム"]
        assert len(wacom) == 1
        uris = s.exec(select(Source.uri).join(IncidentSource, col(IncidentSource.source_id) == Source.id)
                      .where(IncidentSource.incident_id == wacom[0].id)).all()
        assert len(set(uris)) == 3
        clients = {i.organization_core for i in live(s) if match_key(i.vendor or "") == match_key("ショーケース")}
        assert len(clients) >= 2
