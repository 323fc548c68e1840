"""Security headers on every answer; rate limits per client, shared through Redis when set."""

from __future__ import annotations

import socket
import uuid

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web import create_app
from app.web.security import MemoryLimiter, RedisLimiter


@pytest.mark.parametrize("path", ["/", "/incidents/nope", "/api/incidents", "/api/nope",
                                  "/static/css/rouei.css", "/feed.atom", "/healthz"])
def test_every_answer_has_a_strict_csp_and_the_other_headers(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    assert "strict-transport-security" not in response.headers


def test_hsts_is_a_setting(settings):
    with TestClient(create_app(settings.model_copy(update={"hsts": True}))) as c:
        assert c.get("/").headers["strict-transport-security"].startswith("max-age=")


def test_api_answers_429_with_retry_after_past_the_limit(settings):
    with TestClient(create_app(settings.model_copy(update={"rate_limit": 3}))) as c:
        codes = [c.get("/api/incidents").status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        limited = c.get("/api/incidents")
        assert int(limited.headers["retry-after"]) >= 1
        assert c.get("/healthz").status_code == 200, "the health check is free"
        assert c.get("/static/css/rouei.css").status_code == 200, "and so are static files"


@pytest.mark.parametrize("path", [
    "/?q=カード",
    "/?%71=カード",                      # q= spelt with a percent escape
    "/?type=ransomware&year=2024",      # filters without a search: the dearest page
    "/",
    "/incidents/nope",
    "/orgs/nope",
    "/incidents.csv?%71=x",
    "/feed.atom",
    "/charts/monthly.csv",
])
def test_every_request_that_computes_is_limited_however_its_query_is_spelt(settings, path):
    with TestClient(create_app(settings.model_copy(update={"rate_limit": 2}))) as c:
        codes = [c.get(path).status_code for _ in range(3)]
        assert 429 not in codes[:2] and codes[2] == 429, codes
        limited = c.get(path)
        assert limited.headers["retry-after"] and limited.headers["cache-control"] == "no-store"
        if not path.startswith("/api/"):
            assert limited.headers["content-type"].startswith("text/plain")


def test_a_forwarded_header_does_not_change_who_the_client_is(settings):
    with TestClient(create_app(settings.model_copy(update={"rate_limit": 2})),
                    client=("127.0.0.1", 40000)) as c:
        codes = [c.get("/api/incidents", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                 for i in range(3)]
    assert codes == [200, 200, 429]


def serve_kwargs(monkeypatch, env: dict[str, str]) -> dict:
    """What `rouei serve` passes to uvicorn.run under this environment."""
    import uvicorn
    from typer.testing import CliRunner

    from app.cli import cli
    from app.config import get_settings

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return seen


def test_serve_believes_forwarded_headers_only_from_configured_proxies(env_database, monkeypatch):
    monkeypatch.setenv("ROUEI_LOAD_SEED", "false")
    assert serve_kwargs(monkeypatch, {})["proxy_headers"] is False
    kwargs = serve_kwargs(monkeypatch, {"ROUEI_TRUSTED_PROXIES": "10.0.0.5, 192.168.0.0/16"})
    assert kwargs["proxy_headers"] is True
    assert kwargs["forwarded_allow_ips"] == ["10.0.0.5", "192.168.0.0/16"]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(settings):
    # What uvicorn does with serve's options: the proxy's X-Forwarded-For names the client.
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    app = ProxyHeadersMiddleware(create_app(settings.model_copy(update={"rate_limit": 1})),
                                 trusted_hosts=["10.0.0.5"])
    with TestClient(app, client=("10.0.0.5", 40000)) as proxy:
        first = [proxy.get("/api/incidents", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                 for i in (1, 2)]
        again = proxy.get("/api/incidents", headers={"X-Forwarded-For": "203.0.113.1"}).status_code
    assert first == [200, 200] and again == 429
    with TestClient(app, client=("10.9.9.9", 40000)) as stranger:  # not a proxy: header ignored
        codes = [stranger.get("/api/incidents", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
                 for i in (1, 2)]
    assert codes == [200, 429]


def test_memory_limiter_counts_per_client():
    limiter = MemoryLimiter(limit=2, window=60)
    assert [limiter.hit("a"), limiter.hit("a"), limiter.hit("b")] == [0, 0, 0]
    assert limiter.hit("a") > 0


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.3).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_two_app_processes_share_the_limit_through_redis(database_url, engine):
    url = "redis://127.0.0.1:6379/15"
    settings = Settings(database_url=database_url, load_seed=False, rate_limit=4, redis_url=url)
    key = f"client-{uuid.uuid4().hex}"
    one, two = RedisLimiter(url, 4), RedisLimiter(url, 4)
    answers = [one.hit(key), two.hit(key), one.hit(key), two.hit(key), one.hit(key)]
    assert answers[:4] == [0, 0, 0, 0] and answers[4] > 0
    import redis

    # Both apps see one client ("testclient"); start its window empty.
    server = redis.Redis.from_url(url)
    for name in server.scan_iter("rouei:rl:testclient:*"):
        server.delete(name)
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        codes = [c.get("/api/incidents").status_code for c in (a, b, a, b, a, b)]
    # One budget of 4 across both apps: the fifth and sixth requests are refused, whichever
    # app takes them.
    assert codes == [200, 200, 200, 200, 429, 429]


def test_redis_outage_fails_open():
    limiter = RedisLimiter("redis://127.0.0.1:1/0", 1)
    assert limiter.hit("x") == 0 and limiter.hit("x") == 0
