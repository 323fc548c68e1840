"""Templates and the small formatting helpers they use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import HTMLResponse

from app import taxonomy

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
templates = Jinja2Blocks(directory=TEMPLATES_DIR)

WEEKDAYS_JA = "月火水木金土日"


def ja_date(value: date | None) -> str:
    if value is None:
        return "不明"
    return f"{value.year}年{value.month}月{value.day}日"


def count(value: int | None, qualifier: str | None = None) -> str:
    """A count as people read it: 最大9,416件, 約4万 → 約40,000件; unknown is 不明, not 0."""
    if value is None:
        return "調査中" if qualifier == "調査中" else "不明"
    text = f"{value:,}件"
    if qualifier in ("最大", "約"):
        return qualifier + text
    if qualifier == "以上":
        return text + "以上"
    if qualifier == "可能性":
        return text + "(可能性)"
    return text


def delay_days(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


templates.env.filters["ja_date"] = ja_date
templates.env.filters["count"] = count
templates.env.globals["label"] = taxonomy.label
templates.env.globals["attack_types"] = taxonomy.ATTACK_TYPES
templates.env.globals["delay_days"] = delay_days


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status)
