"""The PPC obligation (app.ppc): the verdict table, its words, the stored verdict, the page and API."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlmodel import Session, select

from app import ppc
from app.ingest.files import ingest_file
from app.models import Incident

D = date(2023, 5, 1)


def facts(**kw):
    base = {"attack_type": "other", "leaked_items": [], "records_max": None, "records_max_qualifier": None,
            "card_records": None, "discovered_on": D, "disclosed_on": None, "reported_to_ppc_on": None,
            "reported_to_ppc_later": []}
    return SimpleNamespace(**{**base, **kw})


def days(n: int) -> date:
    return D + timedelta(days=n)


# (facts, required, verdict, 速報 verdict, 確報 verdict, missing)
TABLE = [
    # no trigger: a 312-address misdelivery of names and addresses owes no report, no deadline
    (facts(attack_type="misdelivery", records_max=312, leaked_items=["氏名", "住所"]),
     False, "not_required", None, None, ()),
    # the same without its items: whether card data or 病歴 went is not stated
    (facts(attack_type="misdelivery", records_max=312, leaked_items=["個人情報"]),
     None, "unknown", "unknown", "unknown", ("leaked_items", "reported_to_ppc_on", "reported_to_ppc_later")),
    # more than 1,000 people: required; 速報 D+3, 確報 D+25 within 30 days
    (facts(attack_type="misdelivery", records_max=1500, leaked_items=["氏名"], reported_to_ppc_on=days(3),
           reported_to_ppc_later=[days(25).isoformat()]), True, "on_time", "on_time", "on_time", ()),
    # exactly 1,000 is not more than 1,000
    (facts(attack_type="misdelivery", records_max=1000, leaked_items=["氏名"]), False, "not_required", None, None, ()),
    # ransomware: 速報 10 days after discovery is late, the 確報 on day 59 within 60
    (facts(attack_type="ransomware", reported_to_ppc_on=days(10), reported_to_ppc_later=[days(59).isoformat()]),
     True, "late", "late", "on_time", ()),
    # ransomware: the 確報 on day 61 is late
    (facts(attack_type="ransomware", reported_to_ppc_on=days(3), reported_to_ppc_later=[days(61).isoformat()]),
     True, "late", "on_time", "late", ()),
    # required (病歴), the cause unknown: a 確報 on day 45 is late at 30 days, in time at 60
    (facts(leaked_items=["病歴"], reported_to_ppc_on=days(2), reported_to_ppc_later=[days(45).isoformat()]),
     True, "unknown", "on_time", "unknown", ("attack_type",)),
    (facts(leaked_items=["病歴"], reported_to_ppc_on=days(2), reported_to_ppc_later=[days(20).isoformat()]),
     True, "on_time", "on_time", "on_time", ()),
    (facts(leaked_items=["病歴"], reported_to_ppc_on=days(2), reported_to_ppc_later=[days(70).isoformat()]),
     True, "late", "on_time", "late", ()),
    # card data (財産的被害のおそれ) by its count alone
    (facts(attack_type="misconfiguration", card_records=100, records_max=100, reported_to_ppc_on=days(1)),
     True, "unknown", "on_time", "unknown", ("reported_to_ppc_later",)),
    # required and no report stated: unknown, the report date named
    (facts(attack_type="web_skimming"), True, "unknown", "unknown", "unknown",
     ("reported_to_ppc_on", "reported_to_ppc_later")),
    # no discovery date: the deadlines cannot be set
    (facts(attack_type="ransomware", discovered_on=None, disclosed_on=date(2023, 6, 1), reported_to_ppc_on=days(3)),
     True, "unknown", "unknown", "unknown", ("discovered_on",)),
    # the 2022-04-01 start: the day before is not a duty, the day itself is
    (facts(attack_type="ransomware", discovered_on=date(2022, 3, 31)), False, "not_required", None, None, ()),
    (facts(attack_type="ransomware", discovered_on=None, disclosed_on=date(2021, 12, 1)),
     False, "not_required", None, None, ()),
    (facts(attack_type="ransomware", discovered_on=date(2022, 4, 1), reported_to_ppc_on=date(2022, 4, 4),
           reported_to_ppc_later=["2022-05-31"]), True, "on_time", "on_time", "on_time", ()),
]


@pytest.mark.parametrize(("f", "required", "verdict", "first", "final", "missing"), TABLE)
def test_the_verdict_table(f, required, verdict, first, final, missing):
    ob = ppc.obligation(f)
    assert ob.required is required
    assert ob.verdict == verdict == ppc.verdict(f)
    assert [d.verdict for d in ob.deadlines] == ([first, final] if first else [])
    assert ob.missing == missing


def test_a_trigger_names_its_facts_and_the_final_window_follows_intent():
    ob = ppc.obligation(facts(attack_type="ransomware", records_max=9416, leaked_items=["氏名", "クレジットカード番号"]))
    fired = {t.key: t for t in ob.triggers}
    assert fired["malicious"].fires and fired["malicious"].facts == ("attack_type=ransomware",)
    assert fired["over_1000"].facts == ("records_max=9416",)
    assert fired["property"].facts == ("クレジットカード番号",) and fired["sensitive"].fires is False
    assert ob.deadlines[1].window_days == 60 and ob.deadlines[1].due == days(60)
    assert ppc.obligation(facts(attack_type="misdelivery", records_max=2000)).deadlines[1].window_days == 30


def test_the_arithmetic_in_both_languages():
    from app.incidents import legal_checks

    inc = Incident(slug="x", attack_type="ransomware", discovered_on=date(2023, 1, 1),
                   reported_to_ppc_on=date(2023, 1, 3), reported_to_ppc_later=["2023-03-05"])
    ja, en = legal_checks(inc, "ja"), legal_checks(inc, "en")
    assert [c.verdict for c in ja] == ["late", "on_time", "late"]
    assert "施行規則第8条第2項" in ja[2].rule and "施行規則第8条第2項" in en[2].rule
    assert "発覚 2023年1月1日 + 60日 = 期限 2023年3月2日" in ja[2].detail
    assert "報告 2023年3月5日 − 発覚 = 63日 > 60日" in ja[2].detail
    assert "discovered 1 Jan 2023 + 60 days = due 2 Mar 2023; reported 5 Mar 2023 − discovered = 63 days > 60" in en[2].detail
    assert any("不正の目的（施行規則第7条第3号）: 該当" in t for t in ja[0].triggers)
    assert any("done with intent (不正の目的) (施行規則第7条第3号): applies" in t for t in en[0].triggers)
    unknown = legal_checks(Incident(slug="y", attack_type="misdelivery", records_max=312, discovered_on=D), "en")
    assert "the leaked items not stated" in unknown[0].detail


def test_the_stored_verdict_follows_every_write(engine):
    with Session(engine) as s:
        inc = Incident(slug="v", attack_type="misdelivery", records_max=312, leaked_items=["氏名"],
                       discovered_on=D)
        s.add(inc)
        s.commit()
        assert inc.ppc_verdict == "not_required"
        inc.records_max = 5000  # a later report: more than 1,000 people
        s.add(inc)
        s.commit()
        assert s.get(Incident, inc.id).ppc_verdict == "unknown"
        inc.reported_to_ppc_on, inc.reported_to_ppc_later = days(2), [days(12).isoformat()]
        s.add(inc)
        s.commit()
        assert s.exec(select(Incident.ppc_verdict).where(Incident.slug == "v")).one() == "on_time"


NOTICE = """2023年9月1日
株式会社ほしぞら商事

不正アクセスによる個人情報漏えいに関するお知らせ

このたび、当社が運営する「ほしぞらストア」において、第三者による不正アクセスを受け、お客様のクレジットカード情報（1,234件）が漏えいした可能性があることが判明しました。

2023年6月12日、クレジットカード会社から、当社サイトを利用したお客様のカード情報の漏えい懸念について連絡を受けました。
個人情報保護委員会へは、2023年6月14日に速報を、同年8月20日に確報を提出しております。

【本件に関するお問い合わせ先】
株式会社ほしぞら商事 お客様相談窓口
電話番号：0120-123-456
受付時間：10:00～18:00（土日祝日を除く）
https://www.hoshizora.example.jp/contact/
"""


@pytest.fixture
def hoshizora(engine, tmp_path):
    path = tmp_path / "hoshizora.txt"
    path.write_text(NOTICE, encoding="utf-8")
    ingest_file(engine, path)
    with Session(engine) as s:
        return s.exec(select(Incident).where(Incident.organization_core == "ほしぞら商事")).one()


def test_page_and_api_show_the_rule_the_arithmetic_and_the_desk(client, hoshizora):
    assert hoshizora.reported_to_ppc_on == date(2023, 6, 14)
    assert hoshizora.reported_to_ppc_later == ["2023-08-20"]
    assert hoshizora.ppc_verdict == "late"  # web skimming: 69 days > 60
    api = client.get(f"/api/incidents/{hoshizora.slug}").json()
    assert api["ppc_verdict"] == "late" and api["reported_to_ppc_later"] == ["2023-08-20"]
    assert api["contact"] == {"name": "株式会社ほしぞら商事 お客様相談窓口", "phone": "0120-123-456",
                              "hours": "10:00~18:00(土日祝日を除く)", "url": "https://www.hoshizora.example.jp/contact/"}
    final = api["ppc"]["deadlines"][1]
    assert (final["window_days"], final["due_on"], final["reported_on"], final["gap_days"], final["verdict"]) == \
        (60, "2023-08-11", "2023-08-20", 69, "late")
    assert {t["key"]: t["fires"] for t in api["ppc"]["triggers"]} == {
        "sensitive": False, "property": True, "malicious": True, "over_1000": True}
    for lang, arithmetic, desk in (("ja", "報告 2023年8月20日 − 発覚 = 69日 > 60日", "問い合わせ窓口"),
                                   ("en", "reported 20 Aug 2023 − discovered = 69 days > 60", "Contact desk")):
        html = client.get(f"/incidents/{hoshizora.slug}" + ("?lang=en" if lang == "en" else "")).text
        page = LexborHTMLParser(html)
        assert arithmetic in page.css_first("ul.checks").text()
        assert arithmetic in api["legal_checks"][2]["text"][lang]["detail"]
        section = page.css_first("section.contact-desk")
        assert desk in section.text() and "0120-123-456" in section.text()
        assert section.css_first('a[href="tel:0120123456"]') is not None
        assert len(page.css("ul.checks ul.triggers li")) == 4


@pytest.fixture
def bundled(engine):
    from app.seed import load_if_empty

    load_if_empty(engine)
    with Session(engine) as s:
        return list(s.exec(select(Incident).where(Incident.merged_into_id.is_(None))))


def test_the_facet_counts_every_verdict_as_the_model_judges_it(client, bundled):
    from collections import Counter

    expected = Counter(ppc.verdict(i) for i in bundled)
    assert len(expected) >= 3  # the bundled set has several verdicts
    facets = client.get("/api/facets").json()
    assert {f["value"]: f["count"] for f in facets["ppc"]} == {v: expected.get(v, 0) for v in ppc.VERDICTS}
    for verdict in ("late", "unknown", "not_required"):
        listed = client.get(f"/api/incidents?ppc={verdict}&limit=200").json()
        assert listed["count"] == expected[verdict] and listed["filters"]["ppc"] == verdict
        assert {r["ppc_verdict"] for r in listed["data"]} <= {verdict}
    # the facet leaves its own filter out; the others narrow it
    late_2022 = Counter(ppc.verdict(i) for i in bundled if i.disclosed_on and i.disclosed_on.year == 2022)
    facets = client.get("/api/facets?year=2022&ppc=late").json()
    assert {f["value"]: f["count"] for f in facets["ppc"]} == {v: late_2022.get(v, 0) for v in ppc.VERDICTS}
    html = client.get("/?ppc=unknown").text
    chip = LexborHTMLParser(html).css_first("a.facet.on")
    assert chip is not None and "判定不可" in chip.text() and str(expected["unknown"]) in chip.text()
    assert "Cannot tell" in client.get("/?ppc=unknown&lang=en").text or "cannot tell" in client.get("/?ppc=unknown&lang=en").text
    assert client.get("/api/incidents?ppc=bogus").status_code == 200  # an unknown value filters nothing


def test_the_chart_counts_late_and_unknown_per_year_and_type(client, bundled):
    from collections import Counter

    want = Counter((i.disclosed_on.year, i.attack_type, ppc.verdict(i)) for i in bundled
                   if i.disclosed_on and ppc.verdict(i) in ("late", "unknown"))
    body = client.get("/charts/ppc.csv").content.decode("utf-8-sig")
    rows = [line.split(",") for line in body.strip().splitlines()]
    from app import i18n

    label = {i18n.attack_label(k, "ja"): k for k in ("web_skimming", "unauthorized_access", "ransomware", "malware",
                                                       "account_takeover", "phishing", "misdelivery",
                                                       "misconfiguration", "loss_theft", "insider", "other")}
    got = Counter()
    for year, kind, late, unknown in rows[1:]:
        got[(int(year), label[kind], "late")] += int(late)
        got[(int(year), label[kind], "unknown")] += int(unknown)
    assert +got == +want and sum(want.values()) > 0
    html = client.get("/").text
    assert 'href="/charts/ppc.csv"' in html and 'id="chart-ppc"' in html
    narrowed = client.get("/charts/ppc.csv?year=2022").content.decode("utf-8-sig").strip().splitlines()[1:]
    assert all(line.startswith("2022,") for line in narrowed)
