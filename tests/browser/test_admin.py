"""The admin in Chromium (#13): sign in with the token, correct a date with a reason, sign out,
and the public page shows it; with JavaScript and without. Screenshots at 1280 and 375."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app.config import Settings
from app.i18n import ja_date
from tests.browser.conftest import make_store, serving

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/rouei-shots")
TOKEN = "browser-admin-token"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    url = make_store(tmp_path_factory.mktemp("admin"))
    with serving(Settings(database_url=url, load_seed=False, admin_token=TOKEN, rate_limit=0)) as base:
        yield base


def dated_incidents(page, base: str) -> list[str]:
    """Dated incidents of the fixture notices (ingested after the bundle, so first seen last:
    their sources hold text, so evidence to show), newest first seen first."""
    data = page.request.get(f"{base}/api/incidents?limit=200&sort=added").json()["data"]
    return [i["slug"] for i in data if i["discovered_on"]]


@pytest.mark.parametrize(("js", "pick", "day"), [(True, 0, date(2019, 3, 14)), (False, 1, date(2019, 4, 15))])
def test_sign_in_correct_a_date_sign_out_and_see_it_in_public(browser, admin_server, js, pick, day):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP", java_script_enabled=js)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(page.url + " " + m.text[:80]) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    slug = dated_incidents(page, admin_server)[pick]
    page.goto(f"{admin_server}/admin/login?next=/incidents/{slug}")
    page.fill("#admin-token", TOKEN)
    page.fill("#admin-who", "hanako")
    page.click("form.admin-form button[type=submit]")
    page.wait_for_url(f"{admin_server}/incidents/{slug}")
    expect(page.locator(".admin-nav")).to_contain_text("hanako")

    editor = page.locator("#fact-discovered_on")
    editor.locator("summary").click()
    expect(editor.locator(".edit-evidence blockquote").first).to_be_visible()
    if js:
        SHOTS.mkdir(parents=True, exist_ok=True)
        editor.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "admin-edit-1280.png"), caret="initial")  # "hide" injects a style the CSP refuses
        page.set_viewport_size({"width": 375, "height": 812})
        editor.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "admin-edit-375.png"), caret="initial")
        page.set_viewport_size({"width": 1280, "height": 900})
    editor.locator("input[type=date]").fill(day.isoformat())
    editor.locator("input[name=reason]").fill("第2報の日付")
    editor.locator("button", has_text="訂正する").click()
    page.wait_for_url(re.compile(rf"/incidents/{slug}(#fact-discovered_on)?$"))
    fact = page.locator("dl.facts dd").filter(has=page.locator("#fact-discovered_on"))
    expect(fact).to_contain_text(ja_date(day))
    expect(fact.locator(".fact-state")).to_have_text("訂正済み（hanako）: 第2報の日付")

    page.locator(".admin-nav button").click()
    page.wait_for_url(f"{admin_server}/")
    assert page.locator(".admin-nav").count() == 0
    context.close()

    public = browser.new_context(viewport={"width": 375, "height": 812}, locale="ja-JP").new_page()
    public.goto(f"{admin_server}/incidents/{slug}")
    fact = public.locator("dl.facts dd").nth(0).locator("xpath=..").locator("dd", has_text=ja_date(day))
    expect(fact.first).to_contain_text("訂正済み（hanako）")
    assert public.locator("form.admin-form").count() == 0
    expect(public.locator(".revisions li").first).to_contain_text("第2報の日付")
    if js:
        public.screenshot(path=str(SHOTS / "public-corrected-375.png"), caret="initial")
    public.context.close()
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_review_queue_and_the_admin_panel_at_each_width(browser, admin_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{admin_server}/review")
    page.wait_for_url(re.compile(r"/admin/login\?next="))
    page.fill("#admin-token", TOKEN)
    page.click("form.admin-form button[type=submit]")
    page.wait_for_url(f"{admin_server}/review")
    items = page.locator("ol.queue > li")
    assert items.count() > 0
    expect(page.locator(".queue-reasons a.facet.on")).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-{width}.png"), caret="initial")
    page.locator(".queue-reasons a", has_text="公表日がない").click()
    page.wait_for_url(re.compile(r"reason=no_disclosure"))
    assert all("no_disclosure" in (li.get_attribute("class") or "")
               for li in page.locator("ol.queue .reasons li.no_disclosure").all())
    page.locator("ol.queue a.org").first.click()
    page.wait_for_url(re.compile(r"/incidents/"))
    page.locator("#admin-h").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"admin-panel-{width}.png"), caret="initial")
    # a refused form shows why (htmx swaps a 4xx page in too), and nothing moved
    here = page.url
    page.fill("#merge-into", "no-such-incident")
    page.fill("#merge-reason", "same breach")
    page.locator("#merge-into").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("into: no incident 'no-such-incident'")
    page.goto(here)
    expect(page.locator("#admin-h")).to_be_visible()
    refused = "the server responded with a status of 404"  # the browser logs the answer it asked for
    assert [e for e in errors if refused not in e] == [] and len(errors) <= 1
    context.close()
