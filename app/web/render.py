"""Templates, UI strings in two languages, and the small formatting helpers pages use.

Japanese is the default; ``?lang=en`` switches labels (the attack types come from the
taxonomy, the rest from ``UI``). Untrusted text is escaped: Jinja autoescapes templates, and
``highlight`` escapes every piece of a source's text itself before marking the evidence.
Every value a template prints also loses its bidi and zero-width controls (``_finalize``), so a
U+202E in an organisation name cannot turn the words around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import pass_context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from app import taxonomy
from app.search import SORTS, SORTS_EN
from app.text import strip_invisible

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

MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# UI strings: key -> (日本語, English). Attack-type labels live in app.taxonomy.
UI: dict[str, tuple[str, str]] = {
    "title": ("Rouei 漏えい — 国内の情報漏えい事案", "Rouei — data breaches in Japan"),
    "tagline": ("国内の情報漏えい事案 — 発覚から公表まで", "Data breaches in Japan, from discovery to disclosure"),
    "description": ("国内の情報漏えい事案を、発覚日・公表日・件数とその根拠の一文とともに検索できるダッシュボード。",
                    "Search Japanese data-breach incidents by attack type, with dates, counts and the sentence behind each fact."),
    "skip": ("本文へ移動", "Skip to content"),
    "footer": ("Rouei は公表資料から事実を抽出し、各事実に根拠の箇所を添えて示します。誤りは出典で確認してください。",
               "Rouei extracts facts from published notices and shows the passage behind each. Check the source when in doubt."),
    "other_lang": ("English", "日本語"),
    "search_label": ("事案を検索", "Search incidents"),
    "search_placeholder": ("組織名・サービス名（例: ワコム）", "Organisation or service"),
    "sort": ("並び順", "Sort"),
    "submit": ("検索", "Search"),
    "filters": ("絞り込み", "Filters"),
    "active_filters": ("絞り込み条件", "Active filters"),
    "remove_filter": ("条件を外す", "remove filter"),
    "clear_all": ("すべて解除", "Clear all"),
    "facet_type": ("攻撃種別", "Attack type"),
    "facet_year": ("公表年", "Year disclosed"),
    "facet_vendor": ("委託先・サプライチェーン", "Vendor / supply chain"),
    "facet_card": ("カード情報", "Card data"),
    "card_yes": ("漏えいあり", "Leaked"),
    "card_no": ("なし・不明", "None / unknown"),
    "year_unknown": ("公表日不明", "Date unknown"),
    "no_vendor": ("該当なし", "None"),
    "results": ("{n} 件の事案", "{n} incidents"),
    "empty": ("該当する事案はありません。条件を減らしてください。", "No incidents match. Remove a filter."),
    "prev": ("← 前へ", "← Previous"),
    "next": ("次へ →", "Next →"),
    "pages": ("ページ", "Pages"),
    "discovered": ("発覚", "Discovered"),
    "disclosed": ("公表", "Disclosed"),
    "days": ("{n}日", "{n} days"),
    "records": ("件数", "Records"),
    "org_unknown": ("組織名不明", "Unknown organisation"),
    "charts": ("グラフ", "Charts"),
    "charts_follow": ("グラフは現在の絞り込み条件に従います。", "The charts follow the current filters."),
    "chart_click": ("棒や点をクリックすると事案を開きます。", "Click a bar or point to open the incident."),
    "copy_link": ("リンクをコピー", "Copy link"),
    "copied": ("コピーしました", "Copied"),
    "back_to_list": ("← 事案一覧", "← All incidents"),
    "supply_chain": ("委託先・サプライチェーン経由", "Through a vendor / supply chain"),
}


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "ja"


def text(key: str, lang: str = "ja", **values: object) -> str:
    ja, en = UI[key]
    return (en if lang == "en" else ja).format(**values)


def ja_date(value: date | None, lang: str = "ja") -> str:
    """2022年11月21日 in Japanese, 21 Nov 2022 in English; 不明 when unknown."""
    if value is None:
        return "unknown" if lang == "en" else "不明"
    if lang == "en":
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


def count(value: int | None, qualifier: str | None = None, lang: str = "ja") -> str:
    """A count as people read it: 最大9,416件, 約4万 → 約40,000件; unknown is 不明, not 0."""
    if lang == "en":
        if value is None:
            return "under investigation" if qualifier == "調査中" else "unknown"
        words = {"最大": "up to {n}", "約": "about {n}", "以上": "{n} or more", "可能性": "{n} (possibly)"}
        return words.get(qualifier or "", "{n}").format(n=f"{value:,}")
    if value is None:
        return "調査中" if qualifier == "調査中" else "不明"
    number = f"{value:,}件"
    if qualifier in ("最大", "約"):
        return qualifier + number
    if qualifier == "以上":
        return number + "以上"
    if qualifier == "可能性":
        return number + "(可能性)"
    return number


def delay_days(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def with_lang(path: str, lang: str) -> str:
    """A site link that keeps the English interface when it is on."""
    if lang != "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang=en"


@pass_context
def _t(ctx: Any, key: str, **values: object) -> str:
    return text(key, ctx.get("lang", "ja"), **values)


@pass_context
def _date(ctx: Any, value: date | None) -> str:
    return ja_date(value, ctx.get("lang", "ja"))


@pass_context
def _count(ctx: Any, value: int | None, qualifier: str | None = None) -> str:
    return count(value, qualifier, ctx.get("lang", "ja"))


@pass_context
def _label(ctx: Any, key: str) -> str:
    return taxonomy.label(key, ctx.get("lang", "ja"))


@pass_context
def _link(ctx: Any, path: str) -> str:
    return with_lang(path, ctx.get("lang", "ja"))


@pass_context
def _sorts(ctx: Any) -> dict[str, str]:
    return SORTS_EN if ctx.get("lang") == "en" else SORTS


templates.env.filters["ja_date"] = _date
templates.env.filters["count"] = _count
templates.env.globals["t"] = _t
templates.env.globals["label"] = _label
templates.env.globals["link"] = _link
templates.env.globals["sort_names"] = _sorts
templates.env.globals["attack_types"] = taxonomy.ATTACK_TYPES
templates.env.globals["delay_days"] = delay_days


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


# Fact names as the incident page shows them: field -> (日本語, English)
FACT_LABELS: dict[str, tuple[str, str]] = {
    "organization": ("組織", "Organisation"),
    "organization_core": ("組織（法人格なし）", "Organisation (core name)"),
    "service": ("サービス", "Service"),
    "attack_type": ("攻撃種別", "Attack type"),
    "vendor": ("委託先", "Vendor"),
    "supply_chain": ("サプライチェーン", "Supply chain"),
    "status": ("漏えいの状況", "Leak status"),
    "exposure_from": ("漏えいの可能性がある期間の始まり", "Exposure window begins"),
    "exposure_to": ("漏えいの可能性がある期間の終わり", "Exposure window ends"),
    "discovered_on": ("発覚日", "Discovered"),
    "containment_on": ("封じ込め・停止", "Contained"),
    "reported_to_ppc_on": ("個人情報保護委員会への報告", "Reported to the PPC"),
    "ppc_final": ("個人情報保護委員会への確報", "Final report to the PPC"),
    "reported_to_police_on": ("警察への届出・相談", "Reported to the police"),
    "disclosed_on": ("公表日", "Disclosed"),
    "records_max": ("件数（最大）", "Records (largest figure)"),
    "card_records": ("カード情報", "Card records"),
    "personal_records": ("その他の個人情報", "Other personal records"),
    "leaked_items": ("漏えいした項目", "Leaked items"),
}


def fact_label(name: str, lang: str = "ja") -> str:
    ja, en = FACT_LABELS.get(name, (name, name))
    return en if lang == "en" else ja


@pass_context
def _fact(ctx: Any, name: str) -> str:
    return fact_label(name, ctx.get("lang", "ja"))


templates.env.globals["fact"] = _fact


def lang_switch_url(request: Request) -> str:
    """This page in the other language: the same query string with lang flipped."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if lang_of(request) != "en":
        params.append(("lang", "en"))
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


templates.env.globals["lang_switch_url"] = lang_switch_url

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "confirmed": ("漏えいを確認", "Leak confirmed"),
    "possible": ("漏えいの可能性", "Possible leak"),
    "investigating": ("調査中", "Under investigation"),
    "none": ("漏えいなし", "No leak"),
}


@pass_context
def _status(ctx: Any, value: str) -> str:
    ja, en = STATUS_LABELS.get(value, (value, value))
    return en if ctx.get("lang") == "en" else ja


templates.env.filters["status"] = _status
