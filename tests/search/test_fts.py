"""Japanese full-text search (app.search) on the engine under test: what finds what."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.models import Incident, IncidentSource, Organization, Source
from app.search import (
    Filters,
    ParsedQuery,
    QueryError,
    Term,
    find_incidents,
    incident_filter,
    parse_query,
    ranking,
    reindex_all,
    reindex_incident,
    snippets,
)
from app.text import loose_romaji, match_key

# Invented organisations and notices (株式会社ワコム is named by the issue: its romaji case).
FIXTURES = {
    "wacom": ("株式会社ワコム", "ワコムストア", "web_skimming", ["クレジットカード番号"],
              "弊社が運営する「ワコムストア」において第三者による不正アクセスを受け、お客様の"
              "ｸﾚｼﾞｯﾄｶｰﾄﾞ情報（ｶｰﾄﾞ番号、有効期限）が漏えいした可能性があることが判明しました。"),
    "hospital": ("千葉県立みなと病院", None, "ransomware", ["患者氏名"],
                 "当院の電子カルテシステムがランサムウェアに感染し、患者情報が暗号化されました。"
                 "現時点で外部への漏洩は確認されていません。"),
    "aoba": ("株式会社アオバ物産", "アオバマート", "account_takeover", ["メールアドレス"],
             "ECサイト「アオバマート」の会員アカウントに対する不正ログインが発生しました。"
             "パスワードリスト攻撃によるものと考えられます。"),
    "hikari": ("有限会社ひかり商事", None, "misdelivery", ["メールアドレス"],
               "メールの誤送信により、お取引先様のメールアドレス120件が流出しました。"),
    "nexa": ("株式会社ネクサテック", None, "malware", [],
             "マルウェア「Emotet」に感染した端末から、なりすましメールが送信されました。"
             "ぜい弱性のあるVPN機器が侵入経路と考えられます。<script>alert(1)</script>"),
    "sora": ("株式会社ソラトピア", "ソラトピア決済", "unauthorized_access", ["氏名", "住所"],
             "ソラトピアの決済代行システムから会員の個人情報がろうえいしたおそれがあります。"),
}

# (query, must include, must not include)
CASES = [
    ("漏洩", {"wacom", "hospital", "sora"}, {"hikari", "aoba"}),
    ("漏えい", {"wacom", "hospital", "sora"}, {"hikari"}),
    ("ろうえい", {"wacom", "hospital", "sora"}, {"hikari"}),
    ("カード", {"wacom"}, {"hospital", "aoba"}),
    ("ｶｰﾄﾞ", {"wacom"}, {"hospital"}),
    ("クレジットカード", {"wacom"}, {"nexa"}),
    ("wacom", {"wacom"}, {"hospital", "aoba", "nexa", "sora"}),
    ("WACOM", {"wacom"}, {"nexa"}),
    ("wakomu", {"wacom"}, {"nexa"}),
    ("ワコム", {"wacom"}, {"sora"}),
    ("株式会社ワコム", {"wacom"}, {"sora", "aoba"}),
    ("ＥＣ", {"aoba"}, {"wacom"}),
    ("EC", {"aoba"}, {"wacom", "hospital"}),
    ("県", {"hospital"}, {"wacom"}),
    ("病院", {"hospital"}, {"wacom"}),
    ("ランサムウェア", {"hospital"}, {"nexa"}),
    ("マルウェア", {"nexa"}, {"hospital"}),
    ("emotet", {"nexa"}, {"hospital"}),
    ("vpn", {"nexa"}, {"aoba"}),
    ("脆弱性", {"nexa"}, {"wacom"}),
    ("ソラトピア", {"sora"}, {"wacom"}),
    ("ソラト", {"sora"}, {"wacom"}),
    ("soratopia", {"sora"}, {"wacom"}),
    ("流出", {"hikari"}, {"wacom"}),
    ('"不正ログイン"', {"aoba"}, {"wacom"}),
    # Substrings of katakana words (PostgreSQL: prefixes of indexed katakana suffixes) and
    # of mixed words (LIKE on both engines' trigram indexes).
    ("サムウェア", {"hospital"}, {"nexa", "wacom"}),
    ("ジットカー", {"wacom"}, {"nexa", "aoba"}),
    ("トピア決", {"sora"}, {"wacom", "aoba"}),
    ('"不正アクセス"', {"wacom"}, {"aoba"}),
    ("不正 ログイン", {"aoba"}, {"wacom"}),
    ("漏洩 -ランサムウェア", {"wacom", "sora"}, {"hospital"}),
    ("ランサムウェア OR emotet", {"hospital", "nexa"}, {"wacom", "aoba"}),
    ("メールアドレス 流出", {"hikari"}, {"aoba"}),
    ("-漏洩", {"hikari", "aoba", "nexa"}, {"wacom", "hospital"}),
    ("存在しない語句", set(), set(FIXTURES)),
    ("script", {"nexa"}, {"wacom"}),
]


def add_incident(session: Session, key: str, *, org: str, service: str | None, kind: str,
                 items: list[str], text: str) -> Incident:
    organization = Organization(name=org, core_name=org.replace("株式会社", ""),
                                slug=f"org-{key}", match_key=match_key(org), aliases=[])
    session.add(organization)
    session.flush()
    incident = Incident(slug=key, organization=org, organization_core=organization.core_name,
                        organization_id=organization.id, service=service, attack_type=kind,
                        leaked_items=items, disclosed_on=dt.date(2024, 1, 1))
    header = "お知らせ\n\n"
    source = Source(uri=f"https://example.test/{key}", content_hash=key * 4,
                    text=header + text + "\n\n以上")
    session.add_all([incident, source])
    session.flush()
    session.add(IncidentSource(incident_id=incident.id, source_id=source.id,
                               segment_start=len(header), segment_end=len(header) + len(text)))
    session.flush()
    return incident


@pytest.fixture
def store(engine):
    with Session(engine) as session:
        ids = {key: add_incident(session, key, org=o, service=s, kind=k, items=i, text=t).id
               for key, (o, s, k, i, t) in FIXTURES.items()}
        assert reindex_all(session) == len(FIXTURES)
        session.commit()
    return ids


def found(session: Session, q: str) -> set[str]:
    where = incident_filter(session, parse_query(q))
    query = select(Incident.slug)
    if where is not None:
        query = query.where(where)
    return set(session.exec(query).all())


@pytest.mark.parametrize(("q", "include", "exclude"), CASES, ids=[c[0] for c in CASES])
def test_query_finds_what_it_should(engine, store, q, include, exclude):
    with Session(engine) as session:
        hits = found(session, q)
    assert include <= hits, f"{q!r} missed {include - hits}"
    assert not exclude & hits, f"{q!r} wrongly found {exclude & hits}"


def test_parse_query_reads_quotes_or_and_exclusion():
    parsed = parse_query('"不正 アクセス" カード OR ｶｰﾄﾞ -漏洩 AND ランサム')
    assert parsed.phrases == (Term("不正 アクセス", phrase=True),)
    assert parsed.or_groups == ((Term("カード"), Term("カード")),) or parsed.or_groups == ()
    assert Term("ランサム") in parsed.terms
    assert parsed.excluded == (Term("漏洩"),)
    assert parse_query("   ") == ParsedQuery()
    assert not parse_query("")


@pytest.mark.parametrize("q", ["x" * 10_000, "漏洩 " * 40])
def test_too_much_is_a_query_error_with_a_message(q):
    with pytest.raises(QueryError, match="(長すぎます|多すぎます)"):
        parse_query(q)


@pytest.mark.parametrize("q", ["🔥🔥", "***", '"', "()", "-", "OR", "\x00"])
def test_nothing_searchable(engine, store, q):
    try:
        parsed = parse_query(q)
    except QueryError as exc:
        assert "検索" in str(exc)
    else:
        assert not parsed


HOSTILE = ['"unbalanced', 'NEAR(漏洩 カード, 2)', "漏洩*", "^漏洩", "{names}: wacom", "a:b",
           "漏洩\x00カード", "🔥漏洩🔥", "'; DROP TABLE incident; --", "%_\\", "(", ")", "\"\"",
           "ＯＲ", "OR OR", "- -", "漏洩 OR", "OR 漏洩", "\ud800", "NOT AND", "c++", "e-mail"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_run(engine, store, client, q):
    """A hostile query is text: it finds what the index finds for it, or is a QueryError that
    says why; its snippets are escaped text with only <mark> added; and the search page answers
    it (never a 500), echoes it escaped in the search box and lists exactly those incidents."""
    # What the page searches: the query string as a browser sends it (a lone surrogate as its
    # UTF-8 bytes, read back with replacement characters), NULs as spaces, spaces collapsed.
    sent = q.encode("utf-8", "surrogatepass")
    read = " ".join(sent.decode("utf-8", "replace").replace("\x00", " ").split())
    with Session(engine) as session:
        try:
            hits = found(session, read)
        except QueryError as exc:
            hits, error = None, str(exc)
            assert error, "a QueryError says why"
        else:
            error = None
            assert hits <= set(store)
            ranking(session, parse_query(read))
            marked = snippets(session, parse_query(read), list(store.values()))
            assert set(marked) == set(store.values())
            for passage in marked.values():
                assert set(re.findall(r"</?([a-z]+)", str(passage))) <= {"mark"}, passage
    response = client.get(f"/?q={quote_from_bytes(sent)}")
    assert response.status_code == 200
    page = LexborHTMLParser(response.text)
    assert page.css_first("input#q").attributes["value"] == read
    assert not page.css("script:not([src])"), "markup in the query stays text"
    listed = {a.attributes["href"].removeprefix("/incidents/") for a in page.css('a[href^="/incidents/"]')}
    if error is None:
        assert listed == hits
        assert not page.css(".query-error")
    else:
        assert listed == set()
        assert page.css_first(".query-error").text() == error


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80) | st.lists(st.sampled_from(
    ['"', "-", "OR", "AND", "NEAR", "(", ")", "*", ":", "^", "{", "}", "漏洩", "カード", "🔥",
     "\x00", " ", "wacom", "県", "ｶｰﾄﾞ", "'", "\\"]), max_size=12).map("".join))
def test_any_query_raises_nothing_but_query_error(engine, store, q):
    with Session(engine) as session:
        try:
            found(session, q)
            ranking(session, parse_query(q))
        except QueryError as exc:
            assert str(exc)


def test_index_follows_insert_merge_and_delete(engine, store):
    with Session(engine) as session:
        new = add_incident(session, "late", org="株式会社ユメノハコ", service=None, kind="other",
                           items=[], text="ユメノハコの顧客名簿を紛失しました。")
        assert "late" not in found(session, "ユメノハコ")  # not indexed until asked
        reindex_incident(session, new.id)
        assert found(session, "ユメノハコ") == {"late"}
        # Merge: the late report's source moves to the wacom incident, both are reindexed.
        link = session.exec(select(IncidentSource).where(IncidentSource.incident_id == new.id)).one()
        link.incident_id = store["wacom"]
        new.merged_into_id = store["wacom"]
        session.flush()
        reindex_incident(session, store["wacom"])
        reindex_incident(session, new.id)
        assert found(session, "紛失") == {"wacom"}
        # Delete: the index row goes with the incident (SQLite trigger / PostgreSQL cascade).
        session.exec(delete(IncidentSource).where(col(IncidentSource.incident_id) == store["sora"]))
        session.delete(session.get(Incident, store["sora"]))
        session.flush()
        assert "sora" not in found(session, "ソラトピア")
        session.commit()


def test_snippets_mark_hits_and_escape_text(engine, store):
    with Session(engine) as session:
        marked = snippets(session, parse_query("漏洩 script"), [store["wacom"], store["nexa"], store["hikari"]])
    assert "<mark>漏えい</mark>" in marked[store["wacom"]]
    assert "&lt;<mark>script</mark>&gt;" in marked[store["nexa"]]
    assert "<script>" not in marked[store["nexa"]]
    assert "<mark>" not in marked[store["hikari"]]


def test_names_rank_before_text(engine, store):
    """The order the search page serves: incidents whose names match come first."""
    with Session(engine) as session:
        page = find_incidents(session, Filters(q="ワコムストア OR アオバマート OR 不正"))
        slugs = [i.slug for i in page.incidents]
        assert ranking(session, parse_query("")) is None
    assert set(slugs[:2]) == {"wacom", "aoba"}


def test_loose_romaji_matches_brand_spellings():
    assert loose_romaji("wacom") == loose_romaji("wakomu")
    assert loose_romaji("sony") == loose_romaji("soni")
    assert loose_romaji("ワコム") == ""
