"""#15 in Chromium: the language link after htmx swaps, the tab title, the folded filter panel
on a phone, the indexes' htmx sort and paging."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_the_language_link_keeps_the_filters_after_a_swap(page, live_server):
    page.goto(live_server + "/")
    page.locator(".facets a.facet", has_text="ランサムウェア").first.click()
    page.wait_for_url(re.compile(r"[?&]type=ransomware"))
    expect(page).to_have_title(re.compile(r"^ランサムウェア \| Rouei"))
    switch = page.locator("a[data-lang-switch]")
    expect(switch).to_have_attribute("href", "/?type=ransomware&lang=en")
    switch.click()
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.locator(".chip", has_text="Ransomware")).to_have_count(1)
    page.locator(".chip", has_text="Ransomware").click()  # remove it: a swap in English
    page.wait_for_url(re.compile(r"^[^?]*\?lang=en$"))
    expect(page.locator("a[data-lang-switch]")).to_have_attribute("href", "/")
    page.go_back()
    page.wait_for_url(re.compile(r"type=ransomware"))
    expect(page.locator("a[data-lang-switch]")).to_have_attribute("href", "/?type=ransomware")
    assert not page.errors


def test_on_a_phone_the_filters_fold_behind_a_button_and_a_tap_shows_the_results(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        panel = page.locator("details.facets-panel")
        expect(panel).not_to_have_attribute("open", "")
        summary = panel.locator("summary")
        assert summary.bounding_box()["y"] < 800  # the button is on the first screen, the results near
        assert page.locator(".list-head").bounding_box()["y"] < 800
        summary.click()
        expect(panel).to_have_attribute("open", "")
        page.locator(".facets a.facet", has_text="ランサムウェア").first.click()
        page.wait_for_url(re.compile(r"type=ransomware"))
        expect(panel.locator("summary .n-active")).to_have_text("1件選択中")
        expect(panel).not_to_have_attribute("open", "")
        button, head = summary.bounding_box(), page.locator(".list-head").bounding_box()
        assert -2 <= button["y"] < head["y"] < 200, (button, head)  # scrolled to the results
    finally:
        context.close()


def test_evidence_links_are_a_fingers_height_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.locator("ol.incidents a.org").first.wait_for()
        hrefs = page.locator("ol.incidents a.org").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            page.goto(live_server + href)
            links = page.locator("a.ev-link")
            if links.count():
                for box in (links.nth(i).bounding_box() for i in range(links.count())):
                    assert box["height"] >= 44, box
                return
        pytest.fail("no incident page with evidence links")
    finally:
        context.close()


def test_the_organisation_index_sorts_and_pages_by_htmx(page, live_server):
    page.goto(live_server + "/orgs?lang=en")
    expect(page).to_have_title(re.compile(r"^Organisations, repeat offenders first \| Rouei"))
    first = page.locator("table.index tbody th a").first.inner_text()
    page.select_option("#index-sort", "name")
    page.wait_for_url(re.compile(r"sort=name"))
    expect(page).to_have_title(re.compile(r"By name"))
    names = page.locator("table.index tbody th a").all_inner_texts()
    assert names and (names[0] != first or len(names) == 1)
    expect(page.locator("a[data-lang-switch]")).to_have_attribute("href", "/orgs?sort=name")
    assert not page.errors
