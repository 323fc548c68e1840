"""Which report a passage is: own notice, news or digest item; 第2報, 最終報告; its date."""
from __future__ import annotations

from datetime import date

import pytest

from app.extract import parse_text
from app.extract.report import FINAL_NUMBER, report_of
from tests.conftest import FIXTURES

NOTICE = """2024年5月10日
株式会社ミズナラ

弊社オンラインストアへの不正アクセスによる個人情報漏えいに関するお詫びとお知らせ

このたび、弊社が運営する「ミズナラ公式ストア」において、第三者による不正アクセスを受け、お客様のクレジットカード情報1,200件が漏えいした可能性があることが判明いたしました。

株式会社ミズナラ
"""
NEWS = """ミズナラ、通販サイトに不正アクセス　カード情報1200件流出か

衣料品販売のミズナラは5月10日、同社が運営する通販サイトが不正アクセスを受け、クレジットカード情報約1200件が流出した可能性があると発表した。
"""

@pytest.mark.parametrize("text, kind, number, dated", [
    (NOTICE, "notice", None, date(2024, 5, 10)),  # お詫びとお知らせ: the first notice
    (NOTICE.replace("お詫びとお知らせ", "お詫びとお知らせ（第2報）"), "notice", 2, date(2024, 5, 10)),
    (NOTICE.replace("お詫びとお知らせ", "調査結果に関する最終報告"), "notice", FINAL_NUMBER, date(2024, 5, 10)),
    (NEWS, "news", None, None),
])
def test_the_parser_tags_each_incident_with_the_report_it_is(text, kind, number, dated):
    (incident,) = parse_text(text)
    assert (incident.report.kind, incident.report.number, incident.report.dated) == (kind, number, dated)


def test_items_of_a_digest_are_digest_reports():
    found = parse_text((FIXTURES / "ingest" / "weekly_digest.txt").read_text(encoding="utf-8"))
    assert len(found) == 2 and {i.report.kind for i in found} == {"digest"}


def _report(text: str, core: str, *, items: int = 1, title: str | None = None):
    return report_of(text, (0, len(text)), items=items, organization=core, organization_rule="", title=title)


@pytest.mark.parametrize("text, core, items, kind", [
    ("2024年2月1日\n株式会社ミズナラ\n\n弊社サイトへの不正アクセスについて\n弊社が運営するサイトで…\n\n株式会社ミズナラ\n", "ミズナラ", 1, "notice"),
    ("2024年2月1日\n当院の電子カルテについて\n…\n医療法人ミズナラ会\n", "ミズナラ会", 1, "notice"),
    ("ミズナラは2月1日、同社のサイトが不正アクセスを受けたと発表した。\n", "ミズナラ", 1, "news"),
    ("ミズナラが運営するサイトが不正アクセスを受けた。\n", "ミズナラ", 3, "digest"),
    # A quote of the apology inside an article is still news: nothing is signed by the subject.
    ("同社は「弊社として深くお詫びする」とコメントした。ミズナラは2月1日に発表した。\n", "カシ", 1, "news"),
])
def test_a_report_is_a_notice_news_or_a_digest_by_its_text(text, core, items, kind):
    assert _report(text, core, items=items).kind == kind


def test_an_issuer_the_parser_found_in_the_header_makes_a_first_person_passage_a_notice():
    text = "当社サイトへの不正アクセスについて\n当社は…\n"
    assert report_of(text, (0, len(text)), items=1, organization="カシ", organization_rule="org.rank:header+own_line",
                     title=None).kind == "notice"


@pytest.mark.parametrize("title, number", [("お知らせ（第2報）", 2), ("第１報", 1), ("第三報", 3),
                                           ("調査結果に関するご報告", 99), ("最終報告", 99), ("お知らせ", None)])
def test_follow_up_numbers_are_read_from_the_title(title, number):
    assert _report(title + "\n弊社…\nミズナラ\n", "ミズナラ", title=title).number == number
