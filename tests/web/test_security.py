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
        assert c.get("/healthz").status_code == 200, "pages that are not search stay open"


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
