"""Writes from the browser (#13): sign in once, a signed HttpOnly SameSite=Strict cookie, a CSRF
token in every form; a forged form is 403 and changes nothing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlmodel import Session, col, select

from app.ingest.pipeline import ingest_bytes
from app.models import Incident, IncidentSource, Revision
from app.web import session as admin_session
from app.web.curate import EDITABLE
from app.web.security import CSP
from tests.conftest import FIXTURES
from tests.web.test_curation import state

HERE = FIXTURES / "ingest"
TOKEN = "s3cret-token-for-tests"


def make_client(settings, base_url: str = "http://testserver") -> TestClient:
    from app.web import create_app

    return TestClient(create_app(settings.model_copy(update={"admin_token": TOKEN})), base_url=base_url,
                      follow_redirects=False)


@pytest.fixture
def browser(settings):
    with make_client(settings) as c:
        yield c


@pytest.fixture
def slug(engine) -> str:
    ingest_bytes(engine, uri="notice-1.txt", data=(HERE / "tsubaki_notice_1.txt").read_bytes())
    ingest_bytes(engine, uri="notice-2.txt", data=(HERE / "tsubaki_notice_2.txt").read_bytes())
    with Session(engine) as s:
        return s.exec(select(Incident.slug)).one()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, who: str = "hanako") -> None:
    page = client.get("/admin/login")
    assert page.status_code == 200
    done = client.post("/admin/login", data={"token": TOKEN, "who": who, "csrf": csrf_of(page.text)})
    assert done.status_code == 303, done.text


def test_sign_in_sets_a_signed_httponly_strict_cookie_and_the_page_gets_forms(browser, slug):
    assert not HTMLParser(browser.get(f"/incidents/{slug}").text).css("form.admin-form")
    page = browser.get("/admin/login")
    done = browser.post("/admin/login", data={"token": TOKEN, "who": "hanako", "csrf": csrf_of(page.text)})
    assert (done.status_code, done.headers["location"]) == (303, "/review")
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith(admin_session.COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    signed = browser.get(f"/incidents/{slug}")
    assert signed.headers["cache-control"] == "no-store"
    assert signed.headers["content-security-policy"] == CSP and "'unsafe-inline'" not in CSP
    html = HTMLParser(signed.text)
    assert not [s for s in html.css("script") if not s.attributes.get("src")]  # no inline script
    forms = html.css("form.admin-form")
    assert len(forms) >= 18  # a form per fact, review, merge, split, and the header's sign-out
    assert all(f.css_first("input[name=csrf]") for f in html.css("form[method=post]"))
    date_form = html.css_first("#fact-discovered_on form")
    assert date_form.css_first("input[type=date]").attributes["value"] == "2024-01-22"
    assert date_form.css(".edit-evidence blockquote")  # the sentence that proves it, beside the form
    records = html.css_first("#fact-records_max form")
    picks = [b.attributes["value"] for b in records.css("button[name=pick]")]
    assert set(picks) == {"100000", "5836"}  # each source's value to pick from
    editors = {d.attributes["id"] for d in html.css("details.edit")}
    assert editors == {f"fact-{f}" for f in EDITABLE}  # a form for every fact, found or not


def test_a_wrong_token_is_401_and_sets_no_session(browser):
    page = browser.get("/admin/login")
    bad = browser.post("/admin/login", data={"token": "nope", "csrf": csrf_of(page.text)})
    assert bad.status_code == 401 and admin_session.COOKIE not in bad.headers.get("set-cookie", "")
    forged = browser.post("/admin/login", data={"token": TOKEN})  # no CSRF token
    assert forged.status_code == 403 and admin_session.COOKIE not in forged.headers.get("set-cookie", "")


def test_the_cookie_is_secure_over_tls(settings):
    with make_client(settings, base_url="https://testserver") as c:
        page = c.get("/admin/login")
        done = c.post("/admin/login", data={"token": TOKEN, "csrf": csrf_of(page.text)})
        cookie = next(v for v in done.headers.get_list("set-cookie") if v.startswith(admin_session.COOKIE + "="))
        assert "Secure" in cookie


def test_a_correction_through_the_form_is_a_revision_by_the_signed_in_person(browser, engine, slug):
    sign_in(browser)
    csrf = csrf_of(browser.get(f"/incidents/{slug}").text)
    done = browser.post(f"/admin/incidents/{slug}/edit", data={
        "csrf": csrf, "field": "discovered_on", "value": "2024-01-20", "reason": "第2報の日付"})
    assert (done.status_code, done.headers["location"]) == (303, f"/incidents/{slug}#fact-discovered_on")
    picked = browser.post(f"/admin/incidents/{slug}/edit", data={
        "csrf": csrf, "field": "records_max", "value": "1", "pick": "5836", "qualifier": "約", "reason": "第2報"})
    assert picked.status_code == 303
    detail = browser.get(f"/api/incidents/{slug}").json()
    assert (detail["discovered_on"], detail["records_max"], detail["records_max_qualifier"]) == ("2024-01-20", 5836, "約")
    assert detail["corrections"]["discovered_on"]["actor"] == "hanako"
    assert browser.post(f"/admin/incidents/{slug}/review", data={
        "csrf": csrf, "status": "reviewed", "reason": "checked"}).status_code == 303
    assert browser.get(f"/api/incidents/{slug}").json()["review_status"] == "reviewed"


@pytest.mark.parametrize(("form", "status", "words"), [
    ({"field": "discovered_on", "value": "2024-13-45", "reason": "x"}, 422, "discovered_on"),
    ({"field": "records_max", "value": "-5", "reason": "x"}, 422, "records_max"),
    ({"field": "discovered_on", "value": "2024-01-20", "reason": ""}, 422, "reason"),
    ({"field": "review_status", "value": "x", "reason": "x"}, 422, "field"),
    ({"field": "attack_type", "value": "made_up", "reason": "x"}, 422, "attack_type"),
])
def test_a_bad_form_names_the_problem_and_changes_nothing(browser, engine, slug, form, status, words):
    sign_in(browser)
    csrf = csrf_of(browser.get(f"/incidents/{slug}").text)
    before = state(engine)
    answer = browser.post(f"/admin/incidents/{slug}/edit", data={"csrf": csrf, **form})
    assert answer.status_code == status and words in HTMLParser(answer.text).css_first("main").text()
    assert state(engine) == before


@pytest.mark.parametrize("action", ["edit", "review", "merge", "split"])
@pytest.mark.parametrize("csrf", [None, "forged", "OTHER"])
def test_a_forged_form_is_403_and_changes_nothing(settings, browser, engine, slug, action, csrf):
    sign_in(browser)
    if csrf == "OTHER":  # another session's token
        with make_client(settings) as other:
            sign_in(other, "mallory")
            csrf = csrf_of(other.get(f"/incidents/{slug}").text)
    with Session(engine) as s:
        source = s.exec(select(IncidentSource.source_id)).first()
    form = {"field": "discovered_on", "value": "2020-01-01", "status": "disputed", "into": slug,
            "source": str(source), "reason": "forged"}
    if csrf:
        form["csrf"] = csrf
    before = state(engine)
    with Session(engine) as s:
        count = len(s.exec(select(Revision)).all())
    answer = browser.post(f"/admin/incidents/{slug}/{action}", data=form)
    assert answer.status_code == 403
    assert state(engine) == before
    with Session(engine) as s:
        assert len(s.exec(select(Revision)).all()) == count


def test_a_form_from_another_site_is_403_even_with_the_token(browser, engine, slug):
    sign_in(browser)
    csrf = csrf_of(browser.get(f"/incidents/{slug}").text)
    before = state(engine)
    answer = browser.post(f"/admin/incidents/{slug}/edit", headers={"Origin": "https://evil.example"}, data={
        "csrf": csrf, "field": "discovered_on", "value": "2020-01-01", "reason": "x"})
    assert answer.status_code == 403 and state(engine) == before


def test_signed_out_writes_are_403_and_logout_ends_the_session(browser, engine, slug):
    assert browser.post(f"/admin/incidents/{slug}/edit", data={
        "csrf": "x", "field": "discovered_on", "value": "2020-01-01", "reason": "x"}).status_code == 403
    sign_in(browser)
    page = browser.get(f"/incidents/{slug}")
    csrf = csrf_of(page.text)
    assert browser.post("/admin/logout", data={}).status_code == 403  # sign-out is a form too
    out = browser.post("/admin/logout", data={"csrf": csrf})
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert not HTMLParser(browser.get(f"/incidents/{slug}").text).css("form.admin-form")
    assert browser.post(f"/admin/incidents/{slug}/edit", data={
        "csrf": csrf, "field": "discovered_on", "value": "2020-01-01", "reason": "x"}).status_code == 403


def test_a_tampered_or_expired_cookie_is_no_session(browser, slug, monkeypatch):
    sign_in(browser)
    value = browser.cookies.get(admin_session.COOKIE)
    body, mac = value.split(".")
    browser.cookies.set(admin_session.COOKIE, body + "." + mac[::-1])
    assert not HTMLParser(browser.get(f"/incidents/{slug}").text).css("form.admin-form")
    browser.cookies.set(admin_session.COOKIE, value)
    assert HTMLParser(browser.get(f"/incidents/{slug}").text).css("form.admin-form")
    monkeypatch.setattr(admin_session.time, "time", lambda: 4_000_000_000)
    assert not HTMLParser(browser.get(f"/incidents/{slug}").text).css("form.admin-form")


def test_merge_and_split_through_the_forms_round_trip(browser, engine):
    ingest_bytes(engine, uri="notice-1.txt", data=(HERE / "tsubaki_notice_1.txt").read_bytes())
    ingest_bytes(engine, uri="digest.txt", data=(HERE / "weekly_digest.txt").read_bytes())
    with Session(engine) as s:
        first, second = s.exec(select(Incident.slug).order_by(col(Incident.id))).all()[:2]
        source = s.exec(select(IncidentSource.source_id).join(Incident).where(Incident.slug == first)).first()
    before = state(engine)
    sign_in(browser)
    csrf = csrf_of(browser.get(f"/incidents/{first}").text)
    merged = browser.post(f"/admin/incidents/{first}/merge", data={
        "csrf": csrf, "into": f"http://testserver/incidents/{second}", "reason": "same breach"})
    assert (merged.status_code, merged.headers["location"]) == (303, f"/incidents/{second}")
    page = HTMLParser(browser.get(f"/incidents/{second}").text)
    assert page.css("#split-source option")
    split = browser.post(f"/admin/incidents/{second}/split", data={"csrf": csrf, "source": str(source),
                                                                   "reason": "two breaches"})
    assert (split.status_code, split.headers["location"]) == (303, f"/incidents/{first}")
    assert state(engine) == before
    unknown = browser.post(f"/admin/incidents/{first}/merge", data={"csrf": csrf, "into": "nope", "reason": "x"})
    assert unknown.status_code == 404 and state(engine) == before


def test_login_is_off_without_a_token(client):
    assert client.get("/admin/login").status_code == 403
    assert client.post("/admin/login", data={"token": "x"}).status_code == 403


def test_guessing_the_token_is_rate_limited(settings):
    from app.web import create_app

    limited = settings.model_copy(update={"admin_token": TOKEN, "rate_limit": 3})
    with TestClient(create_app(limited), follow_redirects=False) as c:
        csrf = csrf_of(c.get("/admin/login").text)
        answers = [c.post("/admin/login", data={"token": f"guess-{n}", "csrf": csrf}).status_code for n in range(4)]
        assert answers == [401, 401, 429, 429]  # the page's GET counted too
