"""Chart figures: what each draws, what it cannot place (and says so), and safe JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app import charts, i18n
from app.models import Incident
from app.search.aggregates import TIMELINE_ROWS, TOP_ORGS


def inc(slug, kind="web_skimming", found=None, told=None, records=None, card=None, personal=None,
        org=None, **kw) -> Incident:
    return Incident(slug=slug, attack_type=kind, discovered_on=found, disclosed_on=told,
                    records_max=records, card_records=card, personal_records=personal,
                    organization=org or f"Org {slug}", **kw)


SET = [
    inc("a", "web_skimming", date(2022, 1, 1), date(2022, 3, 2), 5000, 5000),
    inc("b", "web_skimming", date(2022, 2, 1), date(2022, 2, 11), 147_545, 1_938),
    inc("c", "ransomware", date(2022, 5, 1), date(2022, 5, 1)),
    inc("d", "misdelivery", None, date(2022, 7, 9), 12),
    inc("e", "misdelivery", None, None),
]


def draw(incidents, key, lang="ja"):
    return next(c for c in charts.all_charts(charts.from_incidents(incidents), lang) if c.key == key)


def test_timeline_one_bar_per_dated_incident_coloured_by_type_and_clickable():
    chart = draw(SET, "timeline")
    assert [t["name"] for t in chart.figure["data"]] == ["決済画面改ざん(カード情報窃取)", "ランサムウェア"]
    skim = chart.figure["data"][0]
    assert skim["customdata"] == ["/incidents/a", "/incidents/b"]  # newest disclosure first
    assert skim["base"] == ["2022-01-01", "2022-02-01"]
    assert skim["x"] == [60 * charts.DAY_MS, 10 * charts.DAY_MS]
    same_day = chart.figure["data"][1]
    assert same_day["x"] == [charts.DAY_MS]  # visible, while the hover says 0 days
    assert "発覚" in same_day["hovertext"][0]
    assert chart.notes == ("2 件は発覚日または公表日が不明のため表示されません",)
    assert [row[0] for row in chart.table[1]] == ["Org c", "Org a", "Org b"]  # newest first


def test_timeline_caps_rows_and_says_so():
    many = [inc(f"s{i}", found=date(2022, 1, 1), told=date(2022, 2, 1)) for i in range(100)]
    chart = draw(many, "timeline")
    assert chart.shown == TIMELINE_ROWS
    assert any(str(TIMELINE_ROWS) in n for n in chart.notes)


def test_timeline_ellipsises_names_and_tells_repeat_organisations_apart():
    name = "丸岡チポトラベル株式会社オンライン"
    rows = [inc(f"r{m}", found=date(2023, m, 1), told=date(2023, m, 20), org=name) for m in (1, 2, 2)]
    rows.append(inc("solo", found=date(2023, 1, 1), told=date(2023, 1, 2), org=name + "別"))
    ticks = draw(rows, "timeline").figure["layout"]["yaxis"]["ticktext"]
    assert len(set(ticks)) == 4
    assert all(len(t.split(" ")[0]) <= charts.LABEL_CHARS and "…" in t for t in ticks)
    assert "丸岡チポトラベル株… 2023年2月 #2" in ticks
    english = draw(rows, "timeline", "en").figure["layout"]["yaxis"]["ticktext"]
    assert "丸岡チポトラベル株… Feb 2023" in english


def test_date_axes_speak_the_page_language():
    assert draw(SET, "timeline").figure["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"
    assert draw(SET, "timeline", "en").figure["layout"]["xaxis"]["tickformat"] == "%b %Y"


def test_delay_chart_marks_quantiles_and_median_per_type():
    chart = draw(SET, "delay")
    whiskers, boxes, medians = chart.figure["data"]  # three traces, whatever the number of types
    assert medians["text"] == ["中央値 35日", "中央値 0日"]  # skimming: 60 and 10 days; ransomware: 0
    ticks = chart.figure["layout"]["yaxis"]["ticktext"]
    assert ticks == ["決済画面改ざん (n=2)", "ランサムウェア (n=1)"]
    assert (boxes["base"], boxes["x"]) == ([22.5, 0], [25, 0.5])  # a box is never thinner than half a day
    assert whiskers["x"] == [15, 55, None, 0, 0, None]
    assert chart.table[1][0] == ("決済画面改ざん(カード情報窃取)", 2, "15", "22.5", "35", "47.5", "55")


def test_records_are_dots_on_a_log_axis_with_ticks_per_decade():
    chart = draw(SET, "records")
    layout = chart.figure["layout"]
    assert layout["xaxis"]["type"] == "log"
    assert all(t["type"] == "scatter" and t["mode"] == "markers" for t in chart.figure["data"])
    personal, card = chart.figure["data"]
    assert personal["y"][-1] == "Org b"  # the largest at the top
    row = personal["y"].index("Org b")
    assert (card["x"][row], personal["x"][row]) == (1_938, 147_545)
    row = personal["y"].index("Org a")
    assert (card["x"][row], personal["x"][row]) == (5_000, None)  # the total is the card count
    assert chart.notes == ("2 件は件数不明のため表示されません",)
    assert layout["xaxis"]["ticktext"] == ["10", "100", "1,000", "1万", "10万", "100万"]
    assert personal["text"][personal["y"].index("Org b")] == "14万7,545"
    english = draw(SET, "records", "en").figure["layout"]["xaxis"]["ticktext"]
    assert english == ["10", "100", "1,000", "10k", "100k", "1M"]


@pytest.mark.parametrize(("value", "ja"), [(0, "0"), (9_999, "9,999"), (10_000, "1万"), (147_545, "14万7,545"),
                                           (120_000_000, "1億2,000万"), (1_234_567_890, "12億3,456万7,890")])
def test_big_numbers_in_japanese_units(value, ja):
    assert i18n.big_number(value, "ja") == ja
    assert i18n.big_number(value, "en") == f"{value:,}"


def test_records_keeps_only_the_top_twenty():
    many = [inc(f"o{i}", records=i + 1, org=f"O{i:02d}") for i in range(30)]
    chart = draw(many, "records")
    assert chart.shown == TOP_ORGS
    assert [row[0] for row in chart.table[1]][:2] == ["O29", "O28"]


def test_monthly_counts_by_disclosure_month_and_keeps_empty_months():
    chart = draw(SET, "monthly")
    assert chart.figure["shared"]["x"] == ["2022-02", "2022-03", "2022-04", "2022-05", "2022-06", "2022-07"]
    first = chart.figure["data"][0]
    assert "x" not in first  # sent once, in "shared"
    assert first["y"] == [1, 1, 0, 0, 0, 0]
    assert chart.notes == ("1 件は公表日不明のため表示されません",)
    assert chart.table[1][0] == ("2022-02", 1, 0, 0)


def test_english_labels():
    chart = draw(SET, "timeline", "en")
    assert chart.title == "Discovery to disclosure"
    assert chart.figure["data"][0]["name"] == "Payment-page skimming"
    assert chart.figure["data"][0]["customdata"][0] == "/incidents/a?lang=en"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_empty_input_draws_nothing(lang):
    for chart in charts.all_charts(charts.from_incidents([]), lang):
        assert chart.empty and chart.figure["data"] == []
        assert chart.table[1] == ()


def test_csv_is_the_table_with_a_bom_and_neutralised_formulas():
    evil = inc("x", found=date(2022, 1, 1), told=date(2022, 1, 2), org="=HYPERLINK(1)")
    text = charts.csv_text(draw([evil], "timeline"))
    assert text.startswith("\ufeff組織,攻撃種別,発覚,公表,日数,URL\r\n")
    assert "'=HYPERLINK(1)" in text


def test_notice_text_is_escaped_before_plotly_sees_it():
    evil = inc("x", found=date(2022, 1, 1), told=date(2022, 1, 2), org="</script><img src=x onerror=alert(1)>")
    figure = json.loads(draw([evil], "timeline").json)
    assert "&lt;/script&gt;&lt;img" in figure["data"][0]["hovertext"][0]
    assert "<img" not in json.dumps(figure)


def test_plotly_text_escapes_tags_once_keeps_quotes_and_drops_bidi_controls():
    # Plotly decodes &lt; &gt; &amp; but not &quot;, so quotes must reach it as they are.
    hostile = '<a href="javascript:alert(1)">株式会社\u202eエー\u2066</a> & <b>'
    assert charts.plotly_text(hostile) == '&lt;a href="javascript:alert(1)"&gt;株式会社エー&lt;/a&gt; &amp; &lt;b&gt;'
