"""The dashboard in Chromium: facets and history, permalinks, charts, clicks, layouts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/rouei-shots")


def wait_for_charts(page) -> None:
    """Every chart container holds a drawn Plotly SVG (the CSP forbids eval, so no wait_for_function)."""
    for key in ("timeline", "delay", "records", "monthly"):
        page.locator(f"#chart-{key} svg.main-svg").first.wait_for(timeout=20_000)


def test_attack_type_facet_changes_url_survives_reload_and_back(page, live_server):
    page.goto(live_server + "/")
    wait_for_charts(page)
    before = page.locator("#results-heading").inner_text()
    page.locator(".facets a.facet", has_text="ランサムウェア").first.click()
    page.wait_for_url(re.compile(r"[?&]type=ransomware"))
    heading = page.locator("#results-heading")
    expect(heading).not_to_have_text(before)
    after = heading.inner_text()
    assert after != before
    badges = page.locator("ol.incidents .badge.t-ransomware")
    assert badges.count() == page.locator("ol.incidents li.incident").count() > 0
    assert page.locator(".chip", has_text="ランサムウェア").count() == 1
    wait_for_charts(page)  # redrawn after the swap

    page.reload()
    assert "type=ransomware" in page.url
    assert page.locator("#results-heading").inner_text() == after
    assert page.locator("a.facet.on", has_text="ランサムウェア").count() == 1

    page.go_back()
    page.wait_for_url(live_server + "/")
    expect(page.locator("#results-heading")).to_have_text(before)
    wait_for_charts(page)
    assert page.locator("a.facet.on").count() == 0
    assert page.errors == []


def test_chip_removes_its_filter(page, live_server):
    page.goto(live_server + "/?type=web_skimming&card=yes")
    page.locator(".chip[aria-label*='カード情報あり']").click()
    page.wait_for_url(re.compile(r"type=web_skimming$"))
    assert page.locator(".chip:not(.clear)").count() == 1
    assert page.errors == []


def test_permalink_opens_in_a_new_page(page, live_server, browser):
    page.goto(live_server + "/")
    href = page.locator("ol.incidents a.org").first.get_attribute("href")
    other = browser.new_context().new_page()
    other.goto(live_server + href)
    assert other.locator("h1").inner_text().strip()
    assert other.locator('meta[property="og:title"]').count() == 1
    other.context.close()


def test_every_chart_draws_an_svg(page, live_server):
    page.goto(live_server + "/")
    wait_for_charts(page)
    for key in ("timeline", "delay", "records", "monthly"):
        assert page.locator(f"#chart-{key} svg.main-svg").count() >= 1, key
    assert page.locator("#chart-timeline .bars path").count() > 0
    notes = page.locator(".chart-timeline .note").all_inner_texts()
    assert any("表示されません" in n for n in notes)
    assert page.errors == []


def test_click_on_a_timeline_bar_opens_the_incident(page, live_server):
    page.goto(live_server + "/")
    wait_for_charts(page)
    page.locator("#chart-timeline").scroll_into_view_if_needed()
    boxes = [b for b in (p.bounding_box() for p in page.locator("#chart-timeline .bars path").all()) if b]
    box = max(boxes, key=lambda b: b["width"])  # the widest bar is the easiest to hit
    # A click on the bar's centre; Plotly finds the point under the pointer.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/incidents/[^/]+$"), timeout=10_000)
    assert page.locator("article.incident-page h1").count() == 1
    assert page.errors == []


def test_evidence_link_jumps_to_the_highlighted_passage(page, live_server):
    page.goto(live_server + "/?q=ハナミズキ")
    page.locator("ol.incidents a.org").first.click()
    page.wait_for_url(re.compile(r"/incidents/"))
    link = page.locator("dl.facts a.ev-link").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator(f"{target}").evaluate("e => getComputedStyle(e, '::before').content") != "none"
    assert page.errors == []


def test_english_interface(page, live_server):
    page.goto(live_server + "/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "incidents" in page.locator("#results-heading").inner_text()
    page.locator(".facets a.facet", has_text="Ransomware").first.click()
    page.wait_for_url(re.compile(r"type=ransomware.*lang=en|lang=en.*type=ransomware"))
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(browser, live_server, width):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/")
    wait_for_charts(page)
    page.screenshot(path=str(SHOTS / f"home-{width}.png"), full_page=True)
    # Nothing may be wider than the viewport: a sideways scroll breaks a phone layout.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(live_server + "/incidents/2024-03-15-hana-mizuki-shouten")
    page.screenshot(path=str(SHOTS / f"incident-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    context.close()


def test_search_box_and_sort_keep_their_state_in_the_url(page, live_server):
    page.goto(live_server + "/?type=web_skimming")
    page.fill("#q", "ワコム")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=%E3%83%AF%E3%82%B3%E3%83%A0.*type=web_skimming|type=web_skimming.*q="))
    expect(page.locator("#results-heading")).to_have_text("1 件の事案")
    # The swap brings a new form; htmx wires its triggers as the swap settles.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.select_option("#sort", "delay")
    page.wait_for_url(re.compile(r"sort=delay"))
    assert "type=web_skimming" in page.url and "q=" in page.url
    assert page.errors == []
