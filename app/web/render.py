"""Templates, the filters and globals they print labels with, and evidence highlighting.

Japanese is the default; ``?lang=en`` switches labels, which all come from ``app.i18n``.
Untrusted text is escaped: Jinja autoescapes templates, and
``highlight`` escapes every piece of a source's text itself before marking the evidence.
Every value a template prints also loses its bidi and zero-width controls (``_finalize``), so a
U+202E in an organisation name cannot turn the words around it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import pass_context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from app import i18n, taxonomy
from app.incidents import delay_days
from app.search import SORTS
from app.text import strip_invisible
from app.web.assets import static_url

JST = timezone(timedelta(hours=9), "JST")

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


def _finalize(value: object) -> object:
    """Every {{ value }} of every template, before autoescape: strip the invisible controls.

    Done here rather than per field so that no page, attribute or fragment can forget it;
    stripping characters from escaped Markup cannot make markup, so Markup stays Markup.
    """
    if isinstance(value, Markup):
        return Markup(strip_invisible(value))  # noqa: S704 - was already safe; only removes characters
    if isinstance(value, str):
        return strip_invisible(value)
    return value


templates = Jinja2Blocks(directory=TEMPLATES_DIR)
# Set before any template is compiled: Jinja writes the finalize call into the compiled code.
templates.env.finalize = _finalize


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "ja"


def with_lang(path: str, lang: str) -> str:
    """A site link that keeps the English interface when it is on."""
    if lang != "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang=en"


@pass_context
def _t(ctx: Any, key: str, **values: object) -> str:
    return i18n.text(key, ctx.get("lang", "ja"), **values)


@pass_context
def _date(ctx: Any, value: date | str | None) -> str:
    if isinstance(value, str):  # an ISO date kept in a JSON column (reported_to_ppc_later)
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return i18n.ja_date(value, ctx.get("lang", "ja"))


@pass_context
def _count(ctx: Any, value: int | None, qualifier: str | None = None) -> str:
    return i18n.count(value, qualifier, ctx.get("lang", "ja"))


@pass_context
def _label(ctx: Any, key: str) -> str:
    return i18n.attack_label(key, ctx.get("lang", "ja"))


@pass_context
def _org_name(ctx: Any, incident: Any) -> str:
    return i18n.org_name(incident, ctx.get("lang", "ja"))


@pass_context
def _verdict(ctx: Any, value: str) -> str:
    return i18n.verdict_label(value, ctx.get("lang", "ja"))


@pass_context
def _link(ctx: Any, path: str) -> str:
    return with_lang(path, ctx.get("lang", "ja"))


@pass_context
def _sorts(ctx: Any) -> dict[str, str]:
    return {key: i18n.text(f"sort_{key}", ctx.get("lang", "ja")) for key in SORTS}


@pass_context
def _when(ctx: Any, value: datetime | None) -> str:
    """A moment in Japan's time: 2026年4月1日 18:05 / 1 Apr 2026 18:05 JST; — when never."""
    lang = ctx.get("lang", "ja")
    if value is None:
        return i18n.text("never", lang)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(JST)
    return f"{i18n.ja_date(local.date(), lang)} {local:%H:%M}" + (" JST" if lang == "en" else "")


templates.env.filters["ja_date"] = _date
templates.env.filters["when"] = _when
templates.env.filters["count"] = _count
templates.env.globals["t"] = _t
templates.env.globals["label"] = _label
templates.env.globals["link"] = _link
templates.env.globals["sort_names"] = _sorts
templates.env.globals["attack_types"] = taxonomy.ATTACK_TYPES
templates.env.globals["delay_days"] = delay_days
templates.env.globals["org_name"] = _org_name
templates.env.globals["verdict"] = _verdict
templates.env.globals["static_url"] = static_url


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "error.html", {
        "status": status, "message": message, "lang": lang_of(request)}, status_code=status)


# ---- evidence highlighting ----


@dataclass(frozen=True)
class Span:
    field: str
    start: int
    end: int


def evidence_spans(evidence: dict[str, Any], text_length: int) -> list[Span]:
    """The usable [start, end] spans of one source's evidence; malformed ones are skipped."""
    spans = []
    for name, value in (evidence or {}).items():
        if (isinstance(value, list | tuple) and len(value) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                and 0 <= value[0] < value[1] <= text_length):
            spans.append(Span(str(name), value[0], value[1]))
    return sorted(spans, key=lambda s: (s.start, -s.end, s.field))


def highlight(source_text: str, spans: list[Span], *, anchor: str, labels: dict[str, str],
              window: tuple[int, int] | None = None) -> Markup:
    """The source text with each evidence span marked and an anchor per field.

    Every piece of the text goes through ``escape``; only the tags built here are markup.
    Overlapping spans are flattened: a character is marked when any span covers it.
    """
    lo, hi = window or (0, len(source_text))
    for s in spans:
        lo, hi = min(lo, s.start), max(hi, s.end)
    cuts = sorted({lo, hi, *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = ["…"] if lo > 0 else []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for s in spans:
            if s.start == a:
                out.append(f'<span class="ev-anchor" id="{escape(anchor)}-{escape(s.field)}" '
                           f'data-label="{escape(labels.get(s.field, s.field))}"></span>')
        piece = escape(source_text[a:b])
        covering = [s.field for s in spans if s.start <= a and b <= s.end]
        if covering:
            names = " ".join(labels.get(f, f) for f in covering)
            out.append(f'<mark title="{escape(names)}">{piece}</mark>')
        else:
            out.append(str(piece))
    if hi < len(source_text):
        out.append("…")
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped


@pass_context
def _fact(ctx: Any, name: str) -> str:
    return i18n.fact_label(name, ctx.get("lang", "ja"))


templates.env.globals["fact"] = _fact


def lang_switch_url(request: Request) -> str:
    """This page in the other language: the same query string with lang flipped."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if lang_of(request) != "en":
        params.append(("lang", "en"))
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


templates.env.globals["lang_switch_url"] = lang_switch_url

@pass_context
def _status(ctx: Any, value: str) -> str:
    return i18n.status_label(value, ctx.get("lang", "ja"))


templates.env.filters["status"] = _status


@pass_context
def _event(ctx: Any, kind: str) -> str:
    return i18n.event_label(kind, ctx.get("lang", "ja"))


templates.env.filters["event"] = _event


@pass_context
def _revision_value(ctx: Any, value: Any) -> str:
    return i18n.revision_value(value, ctx.get("lang", "ja"))


@pass_context
def _revision_kind(ctx: Any, kind: str) -> str:
    return i18n.revision_kind_label(kind, ctx.get("lang", "ja"))


@pass_context
def _review(ctx: Any, status: str) -> str:
    return i18n.review_label(status, ctx.get("lang", "ja"))


templates.env.filters["revval"] = _revision_value
templates.env.filters["revkind"] = _revision_kind
templates.env.filters["review"] = _review


def _signed_in(request: Request) -> Any:
    """The signed-in admin (app.web.session.AdminSession) of this page's request, or None."""
    from app.web.session import current

    return current(request) if request is not None else None


templates.env.globals["signed_in"] = _signed_in


@pass_context
def _repeats(ctx: Any, gaps: list[int]) -> str:
    """Days between an organisation's (or a vendor's) incidents in one line, however many:
    one gap as it is, more as their median and range."""
    lang = ctx.get("lang", "ja")
    if len(gaps) == 1:
        return i18n.text("repeats_two", lang, d=gaps[0])
    median = statistics.median(gaps)
    shown = f"{median:,.0f}" if median == int(median) else f"{median:,.1f}"
    return i18n.text("repeats_summary", lang, n=len(gaps) + 1, median=shown,
                     low=f"{min(gaps):,}", high=f"{max(gaps):,}")


templates.env.globals["repeats"] = _repeats
