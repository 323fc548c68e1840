"""A client that hangs up in the middle of an upload is one warning line in the log, not a
traceback under "Exception in ASGI application"."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest

TOKEN = "disconnect-test-token"


@pytest.fixture
def live(settings):
    import uvicorn

    from app.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(settings.model_copy(update={"admin_token": TOKEN}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.slow
def test_a_client_gone_mid_upload_is_one_warning_line(live, caplog):
    caplog.set_level(logging.INFO)
    with socket.create_connection(("127.0.0.1", live)) as conn:
        conn.sendall(b"POST /api/documents?name=notice.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n" + b"x" * 10_000)
        time.sleep(0.3)
    deadline = time.monotonic() + 5
    while not any("disconnected" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.05)
    messages = [r.getMessage() for r in caplog.records]
    assert not any("Exception in ASGI application" in m for m in messages), messages
    assert not any(r.exc_info for r in caplog.records), messages
    warnings = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "\n" not in warnings[0].getMessage() and "/api/documents" in warnings[0].getMessage()
