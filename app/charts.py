"""Plotly figures, as plain dicts, of the aggregates of every incident the filters select.

The figures come from ``app.search.aggregates`` (counts per month and type, delay quantiles
per type, the organisations with most records, the newest incidents), never from shipped rows:
the page carries only what is drawn, and the figures are the same at any store size. Each
chart also keeps its ``table``: exactly what it draws, which its CSV link downloads.

The served plotly.js is the "basic" bundle (scatter, bar, pie), so the delay distribution is
drawn with scatter lines (10–90 % whisker, quartile box, median mark) rather than a box trace.
Incidents a chart cannot place (no date, no count) are counted and the count is said under
the chart, never dropped silently. Text that came from notices goes through ``plotly_text``
before Plotly sees it, because Plotly renders a few tags (<a href>, <b>, <br>, <span style>…)
in hover text and labels.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
from markupsafe import Markup

from app import i18n, taxonomy
from app.export import neutralise
from app.incidents import delay_days
from app.models import Incident
from app.search.aggregates import PPC_SHOWN, QUANTILES, TIMELINE_ROWS, Aggregates, Facts, aggregate
from app.search.service import ChartData
from app.text import strip_invisible

DAY_MS = 86_400_000
CARD_COLOUR, PERSONAL_COLOUR = "#b3261e", "#1f5fa8"
LABEL_CHARS, NARROW_LABEL_CHARS = 12, 7  # a timeline row's name, on a wide and a narrow screen
KEYS = ("timeline", "delay", "records", "monthly", "ppc")

Table = tuple[tuple[str, ...], tuple[tuple, ...]]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: dict
    notes: tuple[str, ...] = ()
    shown: int = 0
    table: Table = ((), ())  # what is drawn, as the CSV gives it: a header and rows

    @property
    def empty(self) -> bool:
        return not self.figure["data"]

    @property
    def json(self) -> str:
        """The figure as JSON for a data- attribute (the template's autoescape quotes it).

        Not a <script type="application/json"> block: htmx removes every script element from
        swapped content when allowScriptTags is off, so the charts would vanish after a swap.
        """
        return json.dumps(self.figure, ensure_ascii=False, separators=(",", ":"))

    @property
    def attribute(self) -> Markup:
        """``json`` for a single-quoted attribute: only & ' < > escaped, since JSON's many
        double quotes cost five bytes each as &#34; (a fifth of a figure's size)."""
        return Markup(self.json.replace("&", "&amp;").replace("'", "&#39;")  # noqa: S704 - escaped here
                      .replace("<", "&lt;").replace(">", "&gt;"))


def plotly_text(text: str) -> str:
    """Untrusted text for a Plotly string: & < > escaped, so no tag is made, and the bidi and
    zero-width controls dropped. Quotes stay as they are: they mean nothing outside a tag, and
    Plotly does not decode &quot; (the reader would see it)."""
    return escape(strip_invisible(text), quote=False)


def short_label(key: str, lang: str) -> str:
    """The attack-type label without its parenthesised gloss, to fit on an axis."""
    return i18n.attack_label(key, lang).split("(")[0].strip()


def ellipsis(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _permalink(inc: Incident, lang: str) -> str:
    return f"/incidents/{inc.slug}" + ("?lang=en" if lang == "en" else "")


def _hover(inc: Incident, lang: str) -> str:
    delay = delay_days(inc.discovered_on, inc.disclosed_on)
    # No <b>: Plotly renders it as a style attribute, which the CSP (style-src 'self') blocks.
    lines = [plotly_text(i18n.org_name(inc, lang))]
    if inc.service:
        lines.append(plotly_text(inc.service))
    lines.append(plotly_text(short_label(inc.attack_type, lang)))
    lines.append(f"{i18n.text('discovered', lang)} {i18n.ja_date(inc.discovered_on, lang)} → "
                 f"{i18n.text('disclosed', lang)} {i18n.ja_date(inc.disclosed_on, lang)}"
                 + (f"（{i18n.text('chart_delay_word', lang, d=delay)}）" if delay is not None else ""))
    lines.append(f"{i18n.text('records', lang)} {i18n.count(inc.records_max, inc.records_max_qualifier, lang)}")
    return "<br>".join(lines)


def _layout(lang: str, **extra: object) -> dict:
    layout = {
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "font": {"family": 'system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif', "size": 12},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "#fff",
        "legend": {"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"},
        "showlegend": True,  # even with one trace: the legend names what the colour means
        "hoverlabel": {"align": "left"},
        "separators": ".,",
    }
    layout.update(extra)
    return layout


def _colour(key: str) -> str:
    return taxonomy.BY_KEY.get(key, taxonomy.BY_KEY["other"]).colour


def _date_format(lang: str) -> str:
    """d3 time format of a month on a date axis: 2023年5月, May 2023."""
    return "%b %Y" if lang == "en" else "%Y年%-m月"


def _row_labels(rows: Sequence[Incident], lang: str, limit: int) -> list[str]:
    """Each row's organisation, cut with an ellipsis; an organisation on several rows is told
    apart by its month of disclosure (and a number when that repeats too)."""
    names = [i18n.org_name(i, lang) for i in rows]
    repeated = Counter(names)
    labels = []
    for inc, name in zip(rows, names, strict=True):
        if repeated[name] > 1:
            told = inc.disclosed_on
            labels.append(f"{ellipsis(name, limit - 2)} {i18n.month_label(told.year, told.month, lang)}"
                          if told else ellipsis(name, limit))
        else:
            labels.append(ellipsis(name, limit))
    seen: Counter[str] = Counter()
    for n, label in enumerate(labels):
        seen[label] += 1
        if seen[label] > 1:
            labels[n] = f"{label} #{seen[label]}"
    return [plotly_text(label) for label in labels]


def timeline(data: Aggregates, newest: Sequence[Incident], lang: str = "ja") -> Chart:
    """One horizontal bar per incident from discovery to disclosure, the newest on top."""
    notes = [i18n.text("chart_no_dates", lang, n=data.undated)] if data.undated else []
    if data.total - data.undated > len(newest):
        notes.append(i18n.text("chart_capped", lang, n=TIMELINE_ROWS))
    rows = list(reversed(newest))  # Plotly puts the first row at the bottom
    place = {id(inc): n for n, inc in enumerate(rows)}
    traces = []
    for key in taxonomy.KEYS:
        mine = [i for i in newest if i.attack_type == key]
        if not mine:
            continue
        traces.append({
            "name": i18n.attack_label(key, lang), "marker": {"color": _colour(key)},
            "y": [place[id(i)] for i in mine],
            "base": [i.discovered_on.isoformat() for i in mine],
            # A same-day disclosure still gets a visible one-day bar; the hover gives the truth.
            "x": [max((i.disclosed_on - i.discovered_on).days, 1) * DAY_MS for i in mine],
            "customdata": [_permalink(i, lang) for i in mine],
            "hovertext": [_hover(i, lang) for i in mine],
        })
    yaxis = {"tickmode": "array", "tickvals": list(range(len(rows))),
             "ticktext": _row_labels(rows, lang, LABEL_CHARS), "range": [-0.6, len(rows) - 0.4],
             "automargin": True, "showgrid": False, "zeroline": False}
    figure = {
        "data": traces,
        # A bar's width is set: left to Plotly, a type with few rows gets bars as wide as two.
        "shared": {"type": "bar", "orientation": "h", "width": 0.7, "hovertemplate": "%{hovertext}<extra></extra>"},
        "layout": _layout(
            lang, height=max(260, 120 + 22 * len(rows)), barmode="overlay",
            xaxis={"type": "date", "gridcolor": "#e5e7eb", "tickformat": _date_format(lang)},
            yaxis=yaxis,
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
            margin={"l": 10, "r": 10, "t": 10, "b": 30},
        ),
        # Below 500 px the names are cut shorter and the dates fewer, so the bars keep room.
        "narrow": {"yaxis.ticktext": _row_labels(rows, lang, NARROW_LABEL_CHARS), "yaxis.tickfont.size": 10,
                   "legend.font.size": 10,
                   "xaxis.nticks": 4, "xaxis.tickangle": 0,
                   "xaxis.tickformat": "%b<br>%Y" if lang == "en" else "%-m月<br>%Y"},
    }
    table = ((i18n.text("chart_org", lang), i18n.text("chart_type", lang), i18n.text("discovered", lang),
              i18n.text("disclosed", lang), i18n.text("chart_days", lang), i18n.text("chart_url", lang)),
             tuple((i18n.org_name(i, lang), i18n.attack_label(i.attack_type, lang), i.discovered_on.isoformat(),
                    i.disclosed_on.isoformat(), (i.disclosed_on - i.discovered_on).days, _permalink(i, lang))
                   for i in newest))
    return Chart("timeline", i18n.text("chart_timeline", lang), figure, tuple(notes), len(rows), table)


def _days(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def delays(data: Aggregates, lang: str = "ja") -> Chart:
    """Days from discovery to disclosure per attack type: the 10–90 % range as a line, the
    quartiles as a box and the median marked, with each type's number of incidents."""
    notes = [i18n.text("chart_no_dates", lang, n=data.undated)] if data.undated else []
    rows = data.delays
    quantiles = {p: [d.quantiles[n] for d in rows] for n, p in enumerate(QUANTILES)}
    places = list(range(len(rows)))
    hover = [f"{plotly_text(i18n.attack_label(d.kind, lang))} (n={d.n:,})<br>" + i18n.text(
        "chart_quantiles", lang, **{f"p{p}": _days(q) for p, q in zip(QUANTILES, d.quantiles, strict=True)})
        for d in rows]
    # Three traces whatever the number of types: the 10–90 % lines (one trace, broken by
    # nulls), the quartile boxes (bars from the 25th to the 75th percentile, one colour each)
    # and the medians, labelled.
    traces = [] if not rows else [
        {"type": "scatter", "mode": "lines", "hoverinfo": "skip", "line": {"color": "#5b6475", "width": 1.5},
         "x": [v for d in rows for v in (d.quantiles[0], d.quantiles[-1], None)],
         "y": [v for n in places for v in (n, n, None)]},
        {"type": "bar", "orientation": "h", "y": places, "base": quantiles[25],
         "x": [max(b - a, 0.5) for a, b in zip(quantiles[25], quantiles[75], strict=True)], "width": 0.5,
         "marker": {"color": [_colour(d.kind) for d in rows], "opacity": 0.75},
         "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>"},
        {"type": "scatter", "mode": "markers+text", "x": quantiles[50], "y": places,
         "marker": {"symbol": "line-ns-open", "size": 22, "color": "#1d2330", "line": {"width": 3}},
         "text": [i18n.text("chart_median", lang, d=_days(v)) for v in quantiles[50]],
         "textposition": "top right", "textfont": {"size": 11},
         "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>"},
    ]
    ticks = [f"{short_label(d.kind, lang)} (n={d.n:,})" for d in data.delays]
    figure = {
        "data": traces,
        "narrow": {"yaxis.ticktext": [f"{plotly_text(ellipsis(short_label(d.kind, lang), 7))}<br>n={d.n:,}"
                                      for d in data.delays], "yaxis.tickfont.size": 10},
        "layout": _layout(
            lang, height=max(220, 80 + 56 * len(ticks)), showlegend=False,
            # Room on the right for the last median's label.
            xaxis={"title": {"text": i18n.text("chart_days", lang)}, "zeroline": True, "gridcolor": "#e5e7eb",
                   "range": [0, max((d.quantiles[-1] for d in rows), default=1) * 1.2 + 1]},
            yaxis={"tickmode": "array", "tickvals": list(range(len(ticks))), "ticktext": ticks,
                   "range": [-0.6, len(ticks) - 0.2], "automargin": True, "showgrid": False,
                   "zeroline": False},
            margin={"l": 10, "r": 10, "t": 10, "b": 45},
        ),
    }
    table = ((i18n.text("chart_type", lang), i18n.text("chart_n", lang),
              *(i18n.text("chart_median", lang, d="") if p == 50 else i18n.text("chart_pct", lang, p=p)
                for p in QUANTILES)),
             tuple((i18n.attack_label(d.kind, lang), d.n, *(_days(q) for q in d.quantiles)) for d in data.delays))
    return Chart("delay", i18n.text("chart_delay", lang), figure, tuple(notes), len(ticks), table)


def log_ticks(low: int, high: int, lang: str) -> tuple[list[int], list[str]]:
    """Powers of ten from ``low`` to ``high``, written 1万, 10万, 100万, 1億 in Japanese and
    10k, 100k, 1M in English: one tick per decade, no "2 5 1000 2 5 10k"."""
    values = [10 ** e for e in range(len(str(max(low, 1))) - 1, len(str(max(high, 1))) + 1)]
    if len(values) > 6:  # past six decades, every other one, so the labels do not collide
        values = values[::2] if values[-1] >= high else [*values[::2], values[-1] * 10]
    if lang == "en":
        words = {1_000: "1,000", 10_000: "10k", 100_000: "100k", 10**6: "1M", 10**7: "10M", 10**8: "100M",
                 10**9: "1B"}
        return values, [words.get(v, f"{v:,}") for v in values]
    return values, [i18n.big_number(v, "ja") for v in values]


def records(data: Aggregates, lang: str = "ja") -> Chart:
    """Card and other personal records of the organisations with most, as dots on a log axis
    (a bar's length means nothing on a log axis)."""
    notes = [i18n.text("chart_no_counts", lang, n=data.uncounted)] if data.uncounted else []
    top = list(reversed(data.orgs))  # the largest at the top
    names = [o.name or i18n.text("org_unknown", lang) for o in top]
    labels = _distinct([plotly_text(ellipsis(n, 18)) for n in names])
    traces = []
    for name, field, colour, symbol in ((i18n.text("chart_personal", lang), "personal", PERSONAL_COLOUR, "circle"),
                                        (i18n.text("chart_card", lang), "card", CARD_COLOUR, "diamond")):
        values = [getattr(o, field) or None for o in top]
        if not any(values):
            continue
        traces.append({
            "type": "scatter", "mode": "markers", "name": name, "y": labels, "x": values,
            "marker": {"color": colour, "size": 11, "symbol": symbol, "line": {"width": 1, "color": "#fff"}},
            "text": [i18n.big_number(v, lang) if v else "" for v in values],
            "hovertemplate": "%{y}<br>" + plotly_text(name) + ": %{text}<extra></extra>",
        })
    shown = [v for o in top for v in (o.personal, o.card) if v]
    tickvals, ticktext = log_ticks(min(shown, default=1), max(shown, default=1), lang)
    figure = {
        "data": traces,
        "layout": _layout(
            lang, height=max(220, 110 + 24 * len(top)),
            xaxis={"type": "log", "title": {"text": i18n.text("chart_records_axis", lang)}, "gridcolor": "#e5e7eb",
                   "tickmode": "array", "tickvals": tickvals, "ticktext": ticktext},
            yaxis={"type": "category", "automargin": True, "gridcolor": "#f1f3f6"},
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
            margin={"l": 10, "r": 10, "t": 10, "b": 45},
        ),
        # Below 500 px: every other decade, so the ticks do not collide.
        "narrow": {"xaxis.tickvals": tickvals[::2], "xaxis.ticktext": ticktext[::2], "xaxis.tickangle": 0,
                   "yaxis.tickmode": "array", "yaxis.tickvals": labels, "yaxis.tickfont.size": 10,
                   "yaxis.ticktext": [plotly_text(ellipsis(n, 8)) for n in names]},
    }
    table = ((i18n.text("chart_org", lang), i18n.text("chart_personal", lang), i18n.text("chart_card", lang)),
             tuple((n, o.personal or "", o.card or "") for n, o in zip(reversed(names), data.orgs, strict=True)))
    return Chart("records", i18n.text("chart_records", lang), figure, tuple(notes), len(top), table)


def _distinct(labels: list[str]) -> list[str]:
    """Category labels made unique (two names may be cut to the same prefix)."""
    seen: Counter[str] = Counter()
    out = []
    for label in labels:
        seen[label] += 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def monthly(data: Aggregates, lang: str = "ja") -> Chart:
    """Incidents per month of disclosure, stacked by attack type; empty months are kept."""
    notes = [i18n.text("chart_no_disclosed", lang, n=data.undisclosed)] if data.undisclosed else []
    months = data.months
    peak = int(np.sum([counts for counts in data.monthly.values()], axis=0).max()) if data.monthly else 0
    fmt = "%b %Y" if lang == "en" else "%Y年%-m月"
    # What every trace shares (the months above all) is sent once, in "shared", and given to
    # each trace by static/js/rouei.js.
    traces = [{"name": short_label(key, lang), "marker": {"color": _colour(key)}, "y": list(counts)}
              for key, counts in data.monthly.items()]
    figure = {
        "data": traces,
        # The hover's second box names the trace (no <extra> given).
        "shared": {"type": "bar", "x": months, "xperiod": "M1", "xperiodalignment": "middle",
                   "hovertemplate": "%{x|" + fmt + "}: %{y}", "textposition": "none"},
        "layout": _layout(lang, height=340, barmode="stack", bargap=0.1,
                          xaxis={"type": "date", "tickformat": "%Y" if len(months) > 24 else fmt,
                                 "automargin": True},
                          yaxis={"tickformat": "d", "rangemode": "tozero", "gridcolor": "#e5e7eb",
                                 "automargin": True, **({"dtick": 1} if peak <= 10 else {})},
                          legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom",
                                  "traceorder": "normal"},
                          margin={"l": 10, "r": 10, "t": 10, "b": 10}),
        "narrow": {"legend.font.size": 10},
    }
    keys = list(data.monthly)
    table = ((i18n.text("chart_month", lang), *(i18n.attack_label(k, lang) for k in keys)),
             tuple((m, *(data.monthly[k][n] for k in keys)) for n, m in enumerate(months)))
    return Chart("monthly", i18n.text("chart_monthly", lang), figure, tuple(notes),
                 data.total - data.undisclosed, table)


def ppc_reports(data: Aggregates, lang: str = "ja") -> Chart:
    """Reports to the PPC found late, and those a missing fact leaves unknown (app.ppc), per
    year of disclosure, stacked by attack type: two panels side by side on one scale."""
    groups = data.ppc or {}
    years = sorted({y for counts in groups.values() for y, _ in counts})
    kinds = [k for k in taxonomy.KEYS if any((y, k) in groups.get(v, {}) for v in PPC_SHOWN for y in years)]
    peak = max((sum(groups[v].get((y, k), 0) for k in kinds) for v in PPC_SHOWN for y in years if v in groups),
               default=0)
    traces = []
    for panel, v in enumerate(PPC_SHOWN, start=1):
        for key in kinds:
            counts = [groups.get(v, {}).get((y, key), 0) for y in years]
            if not any(counts):
                continue
            traces.append({
                "type": "bar", "name": short_label(key, lang), "legendgroup": key, "showlegend": panel == 1 or not any(
                    groups.get("late", {}).get((y, key), 0) for y in years),
                "marker": {"color": _colour(key)}, "x": [str(y) for y in years], "y": counts,
                "xaxis": "x" if panel == 1 else "x2", "yaxis": "y" if panel == 1 else "y2",
                "hovertemplate": plotly_text(i18n.verdict_label(v, lang)) + " %{x}: %{y}", "textposition": "none",
            })
    totals = data.ppc_totals or {}
    notes = [i18n.text("chart_ppc_note", lang, **{v: totals.get(v, 0) for v in ("not_required", "on_time")})]
    if data.ppc_undisclosed:
        notes.append(i18n.text("chart_no_disclosed", lang, n=data.ppc_undisclosed))
    axis = {"type": "category", "automargin": True}
    yaxis = {"tickformat": "d", "rangemode": "tozero", "gridcolor": "#e5e7eb", "automargin": True,
             "range": [0, peak * 1.1 + 0.5], **({"dtick": 1} if peak <= 10 else {})}
    figure = {
        "data": traces,
        "layout": _layout(
            lang, height=340, barmode="stack", bargap=0.15,
            xaxis={**axis, "domain": [0, 0.47], "title": {"text": i18n.verdict_label("late", lang)}},
            xaxis2={**axis, "domain": [0.53, 1], "title": {"text": i18n.verdict_label("unknown", lang)}},
            # (each panel keeps its own ticks: one of them may have no bars under a filter)
            yaxis=yaxis, yaxis2={**yaxis, "anchor": "x2", "matches": "y"},
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom", "traceorder": "normal"},
            margin={"l": 10, "r": 10, "t": 10, "b": 10}),
        "narrow": {"legend.font.size": 10, "xaxis.tickfont.size": 10, "xaxis2.tickfont.size": 10},
    }
    table = ((i18n.text("chart_year", lang), i18n.text("chart_type", lang),
              i18n.verdict_label("late", lang), i18n.verdict_label("unknown", lang)),
             tuple((y, i18n.attack_label(k, lang), *(groups.get(v, {}).get((y, k), 0) for v in PPC_SHOWN))
                   for y in years for k in kinds if any(groups.get(v, {}).get((y, k), 0) for v in PPC_SHOWN)))
    return Chart("ppc", i18n.text("chart_ppc", lang), figure, tuple(notes),
                 sum(sum(c.values()) for c in groups.values()), table)


def all_charts(data: ChartData, lang: str = "ja") -> list[Chart]:
    agg = data.aggregates
    return [timeline(agg, data.newest, lang), delays(agg, lang), records(agg, lang), monthly(agg, lang),
            ppc_reports(agg, lang)]


def from_incidents(incidents: Sequence[Incident]) -> ChartData:
    """The charts' data of a list of incidents (every one counts, as if all matched)."""
    rows = [(n, i.attack_type, i.discovered_on, i.disclosed_on, i.records_max, i.card_records,
             i.personal_records, i.organization, i.organization_core, i.ppc_verdict) for n, i in enumerate(incidents)]
    data = aggregate(Facts.of(rows), np.ones(len(rows), bool))
    return ChartData(data, [incidents[n] for n in data.newest])



def csv_text(chart: Chart) -> str:
    """A chart's table as CSV: UTF-8 with a BOM (Excel in Japan opens it), formulas neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    header, rows = chart.table
    writer.writerow(header)
    writer.writerows([neutralise(str(cell)) for cell in row] for row in rows)
    return out.getvalue()
