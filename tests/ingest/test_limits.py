"""Documents built to make the decoder burn CPU or stack fail alone, fast, with the limit named;
the next document of the same run is stored."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app import extract
from app.cli import cli
from app.extract.decode import decode_bytes
from app.extract.limits import MAX_HTML_DEPTH, MAX_PDF_PAGES, LimitError, html_depth
from app.ingest import pipeline
from app.ingest.documents import to_text
from app.models import Source
from app.web import create_app
from tests.conftest import FIXTURES
from tests.fixtures.ingest.synthetic import assemble_pdf

NOTICE = (FIXTURES / "notices" / "midorino_misdelivery.txt").read_bytes()
TOKEN = "s3cret-token-for-tests"


def shared_pages_pdf(pages: int) -> bytes:
    """A PDF whose page tree lists one page object ``pages`` times: 6 bytes a page."""
    content = b"BT /F1 12 Tf 10 10 Td (Leak notice) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [" % pages + b"3 0 R " * pages + b"] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return assemble_pdf(objs, b"%PDF-1.4\n")


def nested(depth: int, tag: str = "div") -> bytes:
    return (f"<!doctype html><html><body>{f'<{tag}>' * depth}個人情報漏えいのお知らせ"
            f"{f'</{tag}>' * depth}</body></html>").encode()


@pytest.mark.parametrize(("html", "depth"), [
    ("<div><p>a<p>b<span>c</span></div>", 2),           # <p> closes itself: not counted
    ("<div></div>" * 5000, 1),                            # siblings are not depth
    ("<div>" + "</b>" * 5 + "<div></div></div>", 2),       # a stray end tag cannot hide depth
    ("<div><span><b>x</div><div>y</div>", 3),             # </div> closes what it holds
    ("<svg>" + "<path/>" * 3000 + "</svg>", 1),            # SVG's self-closing tags
    ("<div/>" * 5, 5),                                    # HTML's are not: <div/> opens a div
    ("<script>" + "<div>" * 3000 + "</script><div></div>", 1),  # script text is not markup
    ("<!--" + "<div>" * 3000 + "--><div></div>", 1),
    ("<br><img src=x><input>" * 3000, 0),
])
def test_html_depth_counts_what_a_parser_nests(html, depth):
    assert html_depth(html) == depth


@pytest.mark.parametrize("depth", [3_000, 100_000])
def test_deep_html_is_refused_fast_with_the_limit_named(depth):
    data = nested(depth)
    started = time.perf_counter()
    with pytest.raises(LimitError, match="MAX_HTML_DEPTH = 1000"):
        to_text(data, filename="deep.html")
    with pytest.raises(LimitError, match="MAX_HTML_DEPTH"):
        decode_bytes(data, filename="deep.html")
    assert time.perf_counter() - started < 2  # before: RecursionError; 100,000 took 24 s


def test_html_at_the_depth_limit_is_read():
    assert "漏えい" in to_text(nested(MAX_HTML_DEPTH - 10), filename="ok.html").text


def test_html_past_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr("app.extract.limits.MAX_HTML_BYTES", 1000)
    monkeypatch.setattr("app.extract.decode.MAX_HTML_BYTES", 1000)
    with pytest.raises(LimitError, match="MAX_HTML_BYTES"):
        to_text(b"<html><body>" + b"<p>x</p>" * 500 + b"</body></html>", filename="big.html")


def test_ingest_run_fails_the_deep_pages_alone_and_stores_the_next(env_database, engine, tmp_path):
    (tmp_path / "a_deep.html").write_bytes(nested(3_000))
    (tmp_path / "b_deeper.html").write_bytes(nested(100_000))
    (tmp_path / "c_notice.txt").write_bytes(NOTICE)
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)], catch_exceptions=False)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "2 failed" in result.output and "1 new" in result.output
    assert result.output.count("MAX_HTML_DEPTH") >= 2
    with Session(engine) as s:
        assert [u.rsplit("/", 1)[-1] for u in s.exec(select(Source.uri)).all()] == ["c_notice.txt"]
    assert elapsed < 30


def test_an_unexpected_error_fails_one_document_in_one_line(env_database, engine, tmp_path, monkeypatch):
    real = extract.parse_text

    def parse_text(text: str):
        if "爆発" in text:
            raise RecursionError("maximum recursion depth exceeded\nin comparison")
        return real(text)

    monkeypatch.setattr(pipeline.extract, "parse_text", parse_text)
    (tmp_path / "a_bad.txt").write_text("爆発するお知らせ", "utf-8")
    (tmp_path / "b_notice.txt").write_bytes(NOTICE)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert "RecursionError: maximum recursion depth exceeded in comparison" in result.output
    assert "1 failed" in result.output and "1 new" in result.output


@pytest.fixture
def admin_client(settings):
    with TestClient(create_app(settings.model_copy(update={"admin_token": TOKEN,
                                                           "fetch_max_bytes": 2_000_000}))) as c:
        yield c


@pytest.mark.parametrize("depth", [3_000, 100_000])
def test_upload_of_deep_html_answers_422_naming_the_limit(admin_client, depth):
    response = admin_client.post("/api/documents?name=deep.html", content=nested(depth),
                                 headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422  # before: 500 (RecursionError)
    assert response.json()["status"] == "failed"
    assert "MAX_HTML_DEPTH" in response.json()["reason"]
    stored = admin_client.post("/api/documents?name=notice.txt", content=NOTICE,
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert stored.status_code == 201


def test_a_pdf_of_100_000_shared_pages_is_refused_fast_with_the_limit_named():
    data = shared_pages_pdf(100_000)
    assert len(data) < 700_000
    started = time.perf_counter()
    with pytest.raises(LimitError, match="MAX_PDF_PAGES = 1000"):
        to_text(data, filename="pages.pdf")
    assert time.perf_counter() - started < 5  # before: 34 s to read 100,000 copies of a line


def test_a_pdf_at_the_page_limit_is_read():
    text = to_text(shared_pages_pdf(MAX_PDF_PAGES), filename="pages.pdf").text
    assert text.count("Leak notice") == MAX_PDF_PAGES


def test_a_pdf_past_the_time_budget_is_refused(monkeypatch):
    monkeypatch.setattr("app.extract.limits.MAX_PDF_SECONDS", -1.0)
    with pytest.raises(LimitError, match="MAX_PDF_SECONDS"):
        to_text(shared_pages_pdf(3), filename="pages.pdf")


def test_ingest_run_fails_the_page_bomb_alone_and_stores_the_next(env_database, engine, tmp_path):
    (tmp_path / "a_pages.pdf").write_bytes(shared_pages_pdf(100_000))
    (tmp_path / "b_notice.txt").write_bytes(NOTICE)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "1 failed" in result.output and "1 new" in result.output and "MAX_PDF_PAGES" in result.output
    with Session(engine) as s:
        assert [u.rsplit("/", 1)[-1] for u in s.exec(select(Source.uri)).all()] == ["b_notice.txt"]
