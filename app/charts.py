"""Plotly figures, as plain dicts, from the incidents the current filters select.

The served plotly.js is the "basic" bundle (scatter, bar, pie), so the delay distribution is
a strip of scatter points with median marks rather than a box trace. Incidents a chart cannot
place (no date, no count) are counted and the count is said under the chart, never dropped
silently. Text that came from notices goes through ``plotly_text`` before Plotly sees it,
because Plotly renders a few tags (<a href>, <b>, <br>, <span style>…) in hover text and labels.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from html import escape

from app import i18n, taxonomy
from app.incidents import delay_days
from app.models import Incident
from app.text import strip_invisible

DAY_MS = 86_400_000
TIMELINE_ROWS = 60
TOP_ORGS = 20
CARD_COLOUR, PERSONAL_COLOUR = "#b3261e", "#1f5fa8"

@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: dict
    notes: tuple[str, ...] = ()
    shown: int = 0

    @property
    def json(self) -> str:
        """The figure as JSON for a data- attribute (the template's autoescape quotes it).

        Not a <script type="application/json"> block: htmx removes every script element from
        swapped content when allowScriptTags is off, so the charts would vanish after a swap.
        """
        return json.dumps(self.figure, ensure_ascii=False, separators=(",", ":"))


def plotly_text(text: str) -> str:
    """Untrusted text for a Plotly string: & < > escaped, so no tag is made, and the bidi and
    zero-width controls dropped. Quotes stay as they are: they mean nothing outside a tag, and
    Plotly does not decode &quot; (the reader would see it)."""
    return escape(strip_invisible(text), quote=False)


def short_label(key: str, lang: str) -> str:
    """The attack-type label without its parenthesised gloss, to fit on an axis."""
    return i18n.attack_label(key, lang).split("(")[0].strip()


def _permalink(inc: Incident, lang: str) -> str:
    return f"/incidents/{inc.slug}" + ("?lang=en" if lang == "en" else "")


def _hover(inc: Incident, lang: str) -> str:
    delay = delay_days(inc.discovered_on, inc.disclosed_on)
    # No <b>: Plotly renders it as a style attribute, which the CSP (style-src 'self') blocks.
    lines = [plotly_text(i18n.org_name(inc, lang))]
    if inc.service:
        lines.append(plotly_text(inc.service))
    lines.append(plotly_text(i18n.attack_label(inc.attack_type, lang)))
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


def _types_present(incidents: Sequence[Incident]) -> list[str]:
    present = {i.attack_type for i in incidents}
    return [k for k in taxonomy.KEYS if k in present]


def _colour(key: str) -> str:
    return taxonomy.BY_KEY.get(key, taxonomy.BY_KEY["other"]).colour


def timeline(incidents: Sequence[Incident], lang: str = "ja") -> Chart:
    """One horizontal bar per incident from discovery to disclosure, newest on top."""
    dated = [i for i in incidents if i.discovered_on and i.disclosed_on]
    notes = []
    if missing := len(incidents) - len(dated):
        notes.append(i18n.text("chart_no_dates", lang, n=missing))
    dated.sort(key=lambda i: (i.disclosed_on, i.discovered_on, i.slug), reverse=True)
    if len(dated) > TIMELINE_ROWS:
        notes.append(i18n.text("chart_capped", lang, n=TIMELINE_ROWS))
        dated = dated[:TIMELINE_ROWS]
    traces = []
    for key in _types_present(dated):
        rows = [i for i in dated if i.attack_type == key]
        traces.append({
            "type": "bar", "orientation": "h", "name": i18n.attack_label(key, lang),
            "marker": {"color": _colour(key)},
            "y": [i.slug for i in rows],
            "base": [i.discovered_on.isoformat() for i in rows],
            # A same-day disclosure still gets a visible one-day bar; the hover gives the truth.
            "x": [max((i.disclosed_on - i.discovered_on).days, 1) * DAY_MS for i in rows],
            "customdata": [_permalink(i, lang) for i in rows],
            "hovertext": [_hover(i, lang) for i in rows],
            "hovertemplate": "%{hovertext}<extra></extra>",
        })
    order = [i.slug for i in reversed(dated)]  # Plotly puts the first category at the bottom
    labels = [plotly_text(i18n.org_name(i, lang)[:12]) for i in reversed(dated)]
    figure = {
        "data": traces,
        "layout": _layout(
            lang, height=max(260, 120 + 22 * len(dated)), barmode="overlay",
            xaxis={"type": "date", "gridcolor": "#e5e7eb"},
            yaxis={"type": "category", "categoryorder": "array", "categoryarray": order,
                   "tickmode": "array", "tickvals": order, "ticktext": labels, "automargin": True},
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
            margin={"l": 10, "r": 10, "t": 10, "b": 30},
        ),
    }
    return Chart("timeline", i18n.text("chart_timeline", lang), figure, tuple(notes), len(dated))


def _jitter(slug: str) -> float:
    """A stable offset in [-0.28, 0.28] so points of one type do not sit on each other."""
    digest = hashlib.sha256(slug.encode()).digest()
    return (digest[0] / 255 - 0.5) * 0.56


def delays(incidents: Sequence[Incident], lang: str = "ja") -> Chart:
    """Days from discovery to disclosure, one row of points per attack type, medians marked."""
    dated = [i for i in incidents if i.discovered_on and i.disclosed_on]
    notes = [i18n.text("chart_no_dates", lang, n=len(incidents) - len(dated))] if len(dated) < len(incidents) else []
    keys = _types_present(dated)
    traces, annotations = [], []
    for row, key in enumerate(keys):
        rows = [i for i in dated if i.attack_type == key]
        days = [(i.disclosed_on - i.discovered_on).days for i in rows]
        traces.append({
            "type": "scatter", "mode": "markers", "name": i18n.attack_label(key, lang),
            "x": days, "y": [row + _jitter(i.slug) for i in rows],
            "marker": {"color": _colour(key), "size": 9, "opacity": 0.8,
                       "line": {"width": 1, "color": "#fff"}},
            "customdata": [_permalink(i, lang) for i in rows],
            "hovertext": [_hover(i, lang) for i in rows],
            "hovertemplate": "%{hovertext}<extra></extra>", "showlegend": False,
        })
        median = statistics.median(days)
        traces.append({
            "type": "scatter", "mode": "lines", "x": [median, median], "y": [row - 0.38, row + 0.38],
            "line": {"color": "#1d2330", "width": 3}, "hoverinfo": "skip", "showlegend": False,
        })
        annotations.append({
            "x": median, "y": row + 0.42, "text": i18n.text("chart_median", lang, d=f"{median:g}"),
            "showarrow": False, "xanchor": "left", "yanchor": "bottom", "font": {"size": 11},
            "bgcolor": "rgba(255,255,255,.85)",
        })
    ticks = [f"{short_label(k, lang)} (n={sum(i.attack_type == k for i in dated)})" for k in keys]
    figure = {
        "data": traces,
        "layout": _layout(
            lang, height=max(220, 80 + 70 * len(keys)), annotations=annotations, showlegend=False,
            xaxis={"title": {"text": i18n.text("chart_days", lang)}, "rangemode": "tozero", "zeroline": True,
                   "gridcolor": "#e5e7eb"},
            yaxis={"tickmode": "array", "tickvals": list(range(len(keys))), "ticktext": ticks,
                   "range": [-0.6, len(keys) - 0.2], "automargin": True, "showgrid": False,
                   "zeroline": False},
            margin={"l": 10, "r": 10, "t": 10, "b": 45},
        ),
    }
    return Chart("delay", i18n.text("chart_delay", lang), figure, tuple(notes), len(dated))


def _personal(inc: Incident) -> int | None:
    """Records other than card data: the stated figure, else the total when it is not the card count."""
    if inc.personal_records is not None:
        return inc.personal_records
    if inc.records_max is not None and inc.records_max != inc.card_records:
        return inc.records_max
    return None


def records(incidents: Sequence[Incident], lang: str = "ja") -> Chart:
    """Card and other personal records per organisation, the 20 largest, on a log axis."""
    card: Counter[str] = Counter()
    personal: Counter[str] = Counter()
    counted = 0
    for inc in incidents:
        c, p = inc.card_records, _personal(inc)
        if not c and not p:
            continue
        counted += 1
        card[i18n.org_name(inc, lang)] += c or 0
        personal[i18n.org_name(inc, lang)] += p or 0
    notes = [i18n.text("chart_no_counts", lang, n=len(incidents) - counted)] if counted < len(incidents) else []
    top = sorted(set(card) | set(personal), key=lambda o: (-max(card[o], personal[o]), o))[:TOP_ORGS]
    top.reverse()  # largest at the top of a horizontal bar chart
    labels = [plotly_text(o[:18]) for o in top]
    traces = []
    for name, counts, colour in ((i18n.text("chart_personal", lang), personal, PERSONAL_COLOUR),
                                 (i18n.text("chart_card", lang), card, CARD_COLOUR)) if top else ():
        traces.append({
            "type": "bar", "orientation": "h", "name": name, "marker": {"color": colour},
            "y": labels, "x": [counts[o] or None for o in top],
            "hovertemplate": "%{y}<br>" + plotly_text(name) + ": %{x:,}<extra></extra>",
        })
    figure = {
        "data": traces,
        "layout": _layout(
            lang, height=max(220, 110 + 26 * len(top)), barmode="group",
            xaxis={"type": "log", "title": {"text": i18n.text("chart_records_axis", lang)}, "gridcolor": "#e5e7eb"},
            yaxis={"type": "category", "automargin": True},
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom", "traceorder": "reversed"},
            margin={"l": 10, "r": 10, "t": 10, "b": 45},
        ),
    }
    return Chart("records", i18n.text("chart_records", lang), figure, tuple(notes), len(top))


def _months(first: date, last: date) -> list[str]:
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def monthly(incidents: Sequence[Incident], lang: str = "ja") -> Chart:
    """Incidents per month of disclosure, stacked by attack type; empty months are kept."""
    dated = [i for i in incidents if i.disclosed_on]
    notes = [i18n.text("chart_no_disclosed", lang, n=len(incidents) - len(dated))] if len(dated) < len(incidents) else []
    traces, peak = [], 0
    if dated:
        peak = max(Counter(i.disclosed_on.strftime("%Y-%m") for i in dated).values())
        months = _months(min(i.disclosed_on for i in dated), max(i.disclosed_on for i in dated))
        by_type: dict[str, Counter[str]] = defaultdict(Counter)
        for inc in dated:
            by_type[inc.attack_type][inc.disclosed_on.strftime("%Y-%m")] += 1
        for key in _types_present(dated):
            traces.append({
                "type": "bar", "name": i18n.attack_label(key, lang), "marker": {"color": _colour(key)},
                "x": months, "y": [by_type[key][m] for m in months],
                "hovertemplate": "%{x}: %{y}<extra>" + plotly_text(short_label(key, lang)) + "</extra>",
            })
    figure = {
        "data": traces,
        "layout": _layout(lang, height=340, barmode="stack",
                          xaxis={"type": "category", "tickangle": -45, "automargin": True},
                          yaxis={"tickformat": "d", "rangemode": "tozero", "gridcolor": "#e5e7eb",
                                 "automargin": True, **({"dtick": 1} if peak <= 10 else {})},
                          legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom",
                                  "traceorder": "normal"},
                          margin={"l": 10, "r": 10, "t": 10, "b": 10}),
    }
    return Chart("monthly", i18n.text("chart_monthly", lang), figure, tuple(notes), len(dated))


def all_charts(incidents: Sequence[Incident], lang: str = "ja") -> list[Chart]:
    made = [timeline(incidents, lang), delays(incidents, lang), records(incidents, lang),
            monthly(incidents, lang)]
    return [c if c.figure["data"] or c.notes else replace(c, notes=(i18n.text("chart_empty", lang),)) for c in made]
