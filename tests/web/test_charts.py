"""Chart figures: what each draws, what it cannot place (and says so), and safe JSON."""

from __future__ import annotations

import json
from datetime import date

from app import charts
from app.models import Incident


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


def test_timeline_one_bar_per_dated_incident_coloured_by_type_and_clickable():
    chart = charts.timeline(SET)
    assert [t["name"] for t in chart.figure["data"]] == ["決済画面改ざん(カード情報窃取)", "ランサムウェア"]
    skim = chart.figure["data"][0]
    assert skim["customdata"] == ["/incidents/a", "/incidents/b"]  # newest disclosure first
    assert skim["base"] == ["2022-01-01", "2022-02-01"]
    assert skim["x"] == [60 * charts.DAY_MS, 10 * charts.DAY_MS]
    same_day = chart.figure["data"][1]
    assert same_day["x"] == [charts.DAY_MS]  # visible, while the hover says 0 days
    assert "発覚" in same_day["hovertext"][0]
    assert chart.notes == ("2 件は発覚日または公表日が不明のため表示されません",)


def test_timeline_caps_rows_and_says_so():
    many = [inc(f"s{i}", found=date(2022, 1, 1), told=date(2022, 2, 1)) for i in range(100)]
    chart = charts.timeline(many)
    assert chart.shown == charts.TIMELINE_ROWS
    assert any(str(charts.TIMELINE_ROWS) in n for n in chart.notes)


def test_delay_strip_has_a_labelled_median_per_type():
    chart = charts.delays(SET)
    texts = [a["text"] for a in chart.figure["layout"]["annotations"]]
    assert texts == ["中央値 35日", "中央値 0日"]  # skimming: 60 and 10 days; ransomware: 0
    ticks = chart.figure["layout"]["yaxis"]["ticktext"]
    assert ticks == ["決済画面改ざん (n=2)", "ランサムウェア (n=1)"]
    assert all(t["type"] == "scatter" for t in chart.figure["data"])  # plotly-basic has no box trace


def test_records_top_organisations_card_versus_personal_on_a_log_axis():
    chart = charts.records(SET)
    assert chart.figure["layout"]["xaxis"]["type"] == "log"
    personal, card = chart.figure["data"]
    assert personal["y"] == card["y"]
    assert personal["y"][-1] == "Org b"  # the largest at the top
    row = personal["y"].index("Org b")
    assert (card["x"][row], personal["x"][row]) == (1_938, 147_545)
    row = personal["y"].index("Org a")
    assert (card["x"][row], personal["x"][row]) == (5_000, None)  # the total is the card count
    assert chart.notes == ("2 件は件数不明のため表示されません",)


def test_records_keeps_only_the_top_twenty():
    many = [inc(f"o{i}", records=i + 1, org=f"O{i:02d}") for i in range(30)]
    assert charts.records(many).shown == charts.TOP_ORGS


def test_monthly_counts_by_disclosure_month_and_keeps_empty_months():
    chart = charts.monthly(SET)
    first = chart.figure["data"][0]
    assert first["x"] == ["2022-02", "2022-03", "2022-04", "2022-05", "2022-06", "2022-07"]
    assert first["y"] == [1, 1, 0, 0, 0, 0]
    assert chart.notes == ("1 件は公表日不明のため表示されません",)


def test_english_labels():
    chart = charts.timeline(SET, "en")
    assert chart.title == "Discovery to disclosure"
    assert chart.figure["data"][0]["name"] == "Payment-page skimming"
    assert chart.figure["data"][0]["customdata"][0] == "/incidents/a?lang=en"


def test_empty_input_still_gives_figures():
    for chart in charts.all_charts([]):
        assert chart.figure["data"] == []
        assert chart.notes == ("表示できる事案がありません",)


def test_notice_text_is_escaped_before_plotly_sees_it():
    evil = inc("x", found=date(2022, 1, 1), told=date(2022, 1, 2), org="</script><img src=x onerror=alert(1)>")
    figure = json.loads(charts.timeline([evil]).json)
    assert "&lt;/script&gt;&lt;img" in figure["data"][0]["hovertext"][0]
    assert "<img" not in json.dumps(figure)


def test_plotly_text_escapes_tags_once_keeps_quotes_and_drops_bidi_controls():
    # Plotly decodes &lt; &gt; &amp; but not &quot;, so quotes must reach it as they are.
    hostile = '<a href="javascript:alert(1)">株式会社\u202eエー\u2066</a> & <b>'
    assert charts.plotly_text(hostile) == '&lt;a href="javascript:alert(1)"&gt;株式会社エー&lt;/a&gt; &amp; &lt;b&gt;'
