"""Decoding in a child process held to CPU-time and memory limits (ROUEI_DECODE_ISOLATED)."""

from __future__ import annotations

import time
import zlib

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.extract.limits import LimitError
from app.ingest.isolate import Isolated
from app.models import Source
from tests.conftest import FIXTURES
from tests.fixtures.ingest.synthetic import assemble_pdf

NOTICE = (FIXTURES / "notices" / "midorino_misdelivery.txt").read_bytes()

pytestmark = pytest.mark.slow  # the fork server imports the decoders once (seconds)


def pdf(content: bytes, *, pages: int = 1, compress: bool = False) -> bytes:
    """A PDF of ``pages`` pages that all show one content stream."""
    stream = zlib.compress(content, 9) if compress else content
    filters = b" /Filter /FlateDecode" if compress else b""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [" % pages + b"3 0 R " * pages + b"] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return assemble_pdf(objs, b"%PDF-1.4\n")


# One page whose content stream draws 200,000 strings: seconds of pypdf's time, in 60 KB.
SLOW_PAGE = pdf(b"BT /F1 12 Tf " + b"1 0 Td (Leak notice) Tj " * 200_000 + b"ET", compress=True)


@pytest.fixture(scope="module")
def isolated():
    child = Isolated(cpu_seconds=1, memory_bytes=256 * 2**20)
    child.start()
    yield child
    child.close()


def test_a_document_is_decoded_in_the_child(isolated):
    decoded = isolated.decode(NOTICE, filename="notice.txt")
    assert "個人情報" in decoded.text or decoded.text.strip()
    assert isolated.decode(pdf(b"BT /F1 12 Tf 10 10 Td (Leak notice) Tj ET"), filename="a.pdf").text.strip() == "Leak notice"


def test_a_decode_past_its_cpu_time_is_stopped_and_the_next_one_decoded(isolated):
    assert len(SLOW_PAGE) < 100_000
    started = time.monotonic()
    with pytest.raises(LimitError, match="MAX_DECODE_CPU_SECONDS"):
        isolated.decode(SLOW_PAGE, filename="slow.pdf")
    assert time.monotonic() - started < 10
    assert isolated.decode(NOTICE, filename="notice.txt").text  # a fresh child takes the next


def test_limit_errors_come_back_from_the_child_as_they_are(isolated):
    with pytest.raises(LimitError, match="MAX_HTML_DEPTH") as caught:
        isolated.decode(b"<html><body>" + b"<div>" * 5_000 + b"</body></html>", filename="deep.html")
    assert caught.value.limit_name == "MAX_HTML_DEPTH"


def test_a_decode_past_its_memory_is_a_named_limit():
    # 40 MB of text in a child that may add 32 MiB: its decoded copy alone is past that.
    child = Isolated(cpu_seconds=30, memory_bytes=32 * 2**20)
    try:
        with pytest.raises(LimitError, match="MAX_DECODE_MEMORY_BYTES"):
            child.decode(("個人情報の漏えいに関するお知らせ\n" * 1_000_000).encode("utf-8"), filename="big.txt")
        assert child.decode(NOTICE, filename="notice.txt").text  # the child lives on
    finally:
        child.close()


def test_ingest_run_with_isolation_fails_the_slow_pdf_alone(env_database, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUEI_DECODE_ISOLATED", "true")
    monkeypatch.setattr("app.extract.limits.MAX_DECODE_CPU_SECONDS", 1)
    (tmp_path / "a_slow.pdf").write_bytes(SLOW_PAGE)
    (tmp_path / "b_notice.txt").write_bytes(NOTICE)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "1 failed" in result.output and "MAX_DECODE_CPU_SECONDS" in result.output
    with Session(engine) as s:
        assert [u.rsplit("/", 1)[-1] for u in s.exec(select(Source.uri)).all()] == ["b_notice.txt"]


def test_upload_with_isolation_answers_422_naming_the_cpu_limit(settings, monkeypatch):
    from fastapi.testclient import TestClient

    from app.web import create_app

    monkeypatch.setattr("app.extract.limits.MAX_DECODE_CPU_SECONDS", 1)
    app = create_app(settings.model_copy(update={"admin_token": "t", "decode_isolated": True}))
    with TestClient(app) as client:
        slow = client.post("/api/documents?name=slow.pdf", content=SLOW_PAGE,
                           headers={"Authorization": "Bearer t"})
        assert slow.status_code == 422 and "MAX_DECODE_CPU_SECONDS" in slow.json()["reason"]
        stored = client.post("/api/documents?name=notice.txt", content=NOTICE,
                             headers={"Authorization": "Bearer t"})
        assert stored.status_code == 201
