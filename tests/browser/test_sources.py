"""/sources in Chromium (#14): reached from the site navigation, readable at 1280 and 375 wide."""

from __future__ import annotations

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/rouei-shots")


def test_the_navigation_leads_to_the_sources_and_each_shows_its_health(page, live_server):
    page.goto(live_server + "/")
    page.locator("nav.site-nav a", has_text="情報源").click()
    page.wait_for_url(live_server + "/sources")
    cards = page.locator("ul.sources > li")
    expect(cards).to_have_count(2)
    ok, failing = cards.nth(0), cards.nth(1)
    expect(ok.locator(".badge")).to_have_text("正常")
    expect(failing.locator(".badge")).to_have_text("失敗中")
    expect(failing.locator("dd.error")).to_have_text("timed out after 20 s")
    assert ok.locator("ul.recent li").count() >= 1
    ok.locator("ul.recent a").first.click()
    page.wait_for_url(lambda url: "/incidents/" in url)
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_sources_screenshots_fit_the_width(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.goto(live_server + "/sources")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sources-{width}.png"), full_page=True)
    page.goto(live_server + "/sources?lang=en")
    assert page.locator("h1").inner_text() == "Sources Rouei harvests"
    context.close()


def test_sort_added_from_the_select_and_the_feed_link(page, live_server):
    """Choosing the newest-added order reorders the list (htmx, URL updated); the list's feed
    link follows the view, and the page's head carries it for feed readers."""
    page.goto(live_server + "/?type=misdelivery")
    expected = page.request.get(live_server + "/api/incidents?type=misdelivery&sort=added&limit=3").json()["data"]
    page.select_option("#sort", "added")
    page.wait_for_url(lambda url: "sort=added" in url)
    first = page.locator("ol.incidents a.org").first
    expect(first).to_have_attribute("href", "/incidents/" + expected[0]["slug"])
    expect(page.locator(".list-head a.feed")).to_have_attribute("href", "/feed.atom?type=misdelivery&sort=added")
    page.reload()
    head = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(head).to_have_attribute("href", "/feed.atom?type=misdelivery&sort=added")
    feed = page.request.get(live_server + "/feed.atom?type=misdelivery&sort=added")
    assert feed.ok and b"<feed" in feed.body()
    assert page.errors == []
