"""Webhooks (#14): each new incident that matches a hook's filter is POSTed to it once, signed;
a failing hook is retried with backoff and never stops a pass."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app import webhooks
from app.cli import cli
from app.config import Settings
from app.db import session_scope
from app.ingest.harvest import add_source, refresh
from app.ingest.pipeline import ingest_bytes
from app.models import Incident, WebhookDelivery
from tests.fixtures.ingest.synthetic import notice, org_name
from tests.ingest.site import notice_html

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def hook_settings(database_url: str, engine) -> Settings:
    return Settings(database_url=database_url, load_seed=False, allow_private_fetch=True, fetch_timeout=2,
                    public_url="https://rouei.example.jp")


def ingest(engine, i: int) -> None:  # i % 3 == 1: ransomware; 0: web skimming; 2: misdelivery
    assert ingest_bytes(engine, uri=f"n{i}.txt", data=notice(i).encode(), filename=f"n{i}.txt").status == "new"


def hook(engine, url: str, query: str = "", secret: str = "sesame") -> int:
    with session_scope(engine) as s:
        return webhooks.add_hook(s, url, filter_query=query, secret=secret).id


def deliveries(engine) -> list[tuple[str, int]]:
    with Session(engine) as s:
        return [(d.status, d.attempts) for d in s.exec(select(WebhookDelivery).order_by(WebhookDelivery.id))]


def test_each_new_matching_incident_is_posted_once_and_signed(engine, site, hook_settings):
    ingest(engine, 1)  # before the hook: not new to it
    hook_id = hook(engine, site.base + "/hook", "type=ransomware")
    for i in (4, 5, 7):  # ransomware, misdelivery, ransomware
        ingest(engine, i)
    sent = webhooks.run(engine, hook_settings, now=T0)
    assert (sent.sent, sent.failed) == (2, 0)
    assert [p for p, _, _ in site.posts] == ["/hook", "/hook"]
    bodies = []
    for _, headers, body in site.posts:
        expected = "sha256=" + hmac.new(b"sesame", body, hashlib.sha256).hexdigest()
        assert headers["X-Rouei-Signature"] == expected and headers["X-Rouei-Event"] == "incident.new"
        assert headers["Content-Type"] == "application/json"
        bodies.append(json.loads(body))
    assert [b["incident"]["organization"] for b in bodies] == [f"株式会社{org_name(i)}" for i in (4, 7)]
    assert all(b["incident"]["attack_type"] == "ransomware" and b["webhook"] == hook_id for b in bodies)
    assert bodies[0]["incident"]["url"].startswith("https://rouei.example.jp/incidents/")
    # Run again: nothing new, nothing sent.
    again = webhooks.run(engine, hook_settings, now=T0 + timedelta(minutes=5))
    assert (again.sent, again.failed) == (0, 0) and len(site.posts) == 2
    assert deliveries(engine) == [("delivered", 1), ("delivered", 1)]


def test_a_failing_hook_is_retried_with_backoff_then_delivered(engine, site, hook_settings):
    hook(engine, site.base + "/down")
    site.post_status["/down"] = 500
    ingest(engine, 10)
    assert webhooks.run(engine, hook_settings, now=T0).failed == 1
    assert deliveries(engine) == [("pending", 1)]
    assert webhooks.run(engine, hook_settings, now=T0 + timedelta(seconds=30)).failed == 0  # not yet due
    assert len(site.posts) == 1
    assert webhooks.run(engine, hook_settings, now=T0 + timedelta(seconds=61)).failed == 1  # after 1 min
    assert len(site.posts) == 2
    assert webhooks.run(engine, hook_settings, now=T0 + timedelta(seconds=150)).failed == 0  # 2 min after
    site.post_status["/down"] = 204
    assert webhooks.run(engine, hook_settings, now=T0 + timedelta(seconds=182)).sent == 1
    assert deliveries(engine) == [("delivered", 3)]


def test_a_hook_gives_up_after_its_attempts_and_an_address_the_guard_refuses_is_a_failure(env_database, engine, site,
                                                                                          hook_settings):
    guarded = hook_settings.model_copy(update={"allow_private_fetch": False})
    hook(engine, site.base + "/never")
    ingest(engine, 11)
    now = T0
    for _ in range(webhooks.MAX_ATTEMPTS):
        assert webhooks.run(engine, guarded, now=now).failed == 1
        now += timedelta(hours=7)
    assert deliveries(engine) == [("failed", webhooks.MAX_ATTEMPTS)]
    assert site.posts == []  # the loopback address was never contacted
    listing = CliRunner().invoke(cli, ["hooks", "list"])
    assert "failed 1" in listing.stdout and "non-public address" in listing.stdout


def test_a_failing_hook_never_stops_a_refresh_pass(engine, site, hook_settings):
    site.add("/feed/120.html", notice_html(120))
    site.add("/feed.xml", (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                           f"<title>x</title><link>{site.base}/feed/120.html</link></item></channel></rss>"),
             ctype="application/rss+xml")
    with session_scope(engine) as s:
        add_source(s, site.base + "/feed.xml")
    hook(engine, "http://127.0.0.1:9/closed")  # nothing listens on the discard port
    result = refresh(engine, hook_settings, now=T0, per_host_interval=0)
    assert [h.status for h in result.sources] == ["ok"]
    assert result.hooks.failed == 1
    with Session(engine) as s:
        assert len(s.exec(select(Incident)).all()) == 1


def test_hooks_from_the_command_line(env_database, engine, site):
    runner = CliRunner()
    bad = runner.invoke(cli, ["hooks", "add", "ftp://example.jp/x"])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.output
    made = runner.invoke(cli, ["hooks", "add", site.base + "/hook", "--filter", "year=2024&type=ransomware&page=3"])
    assert made.exit_code == 0 and "(type=ransomware&year=2024); secret " in made.stdout
    listed = runner.invoke(cli, ["hooks", "list"])
    assert "[type=ransomware&year=2024] enabled; delivered 0, pending 0, failed 0" in listed.stdout
    assert runner.invoke(cli, ["hooks", "remove", "1"]).exit_code == 0
    assert runner.invoke(cli, ["hooks", "remove", "1"]).exit_code == 1
