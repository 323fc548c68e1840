"""Files and folders, and what a killed run leaves behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from app.db import make_engine
from app.ingest.documents import html_main_text, to_text
from app.ingest.files import ingest_file, iter_files
from app.ingest.run import expand
from app.models import Incident, IncidentEvent, IncidentSource, Organization, Source
from tests.fixtures.ingest.synthetic import notice, org_name, pdf

ROOT = Path(__file__).resolve().parents[2]


def names(paths) -> list[str]:
    return [Path(p).name for p in paths]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(notice(1), "utf-8")
    (tmp_path / "b.html").write_text(f"<html><body><p>{notice(2)}</p></body></html>", "utf-8")
    (tmp_path / "sub" / "c.pdf").write_bytes(pdf(notice(3).splitlines()))
    (tmp_path / "sub" / "draft.txt").write_text(notice(4), "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG....")
    (tmp_path / ".git" / "config.txt").write_text("x", "utf-8")
    return tmp_path


@pytest.mark.parametrize("include, exclude, expected", [
    ((), (), ["a.txt", "b.html", "c.pdf", "draft.txt"]),
    (("*.txt",), (), ["a.txt", "draft.txt"]),
    (("sub/*",), (), ["c.pdf", "draft.txt"]),
    ((), ("draft*",), ["a.txt", "b.html", "c.pdf"]),
    ((), ("sub/*", "*.html"), ["a.txt"]),
    (("*.png",), (), ["image.png"]),
])
def test_folders_are_walked_with_include_and_exclude_globs(folder, include, exclude, expected):
    assert names(iter_files([str(folder)], include=include, exclude=exclude)) == expected


def test_targets_mix_urls_files_and_folders(folder):
    targets = expand(["https://example.jp/feed.xml", str(folder / "a.txt"), str(folder / "sub")])
    assert targets == [("url", "https://example.jp/feed.xml"), ("file", str(folder / "a.txt")),
                       ("file", str(folder / "sub" / "c.pdf")), ("file", str(folder / "sub" / "draft.txt"))]


def test_a_folder_of_txt_html_and_pdf_gives_one_incident_each(engine, folder):
    outcomes = [ingest_file(engine, p) for p in iter_files([str(folder)])]
    assert [o.status for o in outcomes] == ["new"] * 4, [o.reason for o in outcomes]
    with Session(engine) as s:
        cores = sorted(s.exec(select(Incident.organization_core)).all())
        formats = sorted(s.exec(select(Source.format)).all())
    assert cores == sorted(org_name(i) for i in (1, 2, 3, 4))
    assert formats == ["html", "pdf", "text", "text"]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"%PDF-1.4\n garbage", "PDF"),
    (pdf([]), "text layer"),
    (b"\x00\x01\x02\x03" * 300, "binary"),
])
def test_unreadable_documents_say_why(data, reason):
    from app.extract import DecodeError

    with pytest.raises(DecodeError, match=reason):
        to_text(data, filename="x.pdf" if data.startswith(b"%PDF") else "x.txt")


def test_html_main_text_drops_menus_and_keeps_the_headline():
    html = ("<html><head><title>サイト名</title></head><body>"
            "<nav><ul><li><a href='/'>ホーム</a></li><li><a href='/a'>会社案内</a></li></ul></nav>"
            "<div id='side-menu'><p>関連リンクの説明文がここに入ります、これは本文ではありません。</p></div>"
            "<div class='content'><h1>不正アクセスに関するお知らせ</h1>"
            "<p>弊社の<a href='/shop'>通販サイト</a>に対し、第三者による不正アクセスがありました。</p>"
            "<p>お客様の個人情報が漏えいした可能性がございます。深くお詫び申し上げます。</p></div>"
            "<footer>Copyright</footer></body></html>")
    text = html_main_text(html)
    assert text is not None
    assert text.startswith("不正アクセスに関するお知らせ")
    assert "弊社の通販サイトに対し" in text  # the link's text stays inside its sentence
    assert "ホーム" not in text and "関連リンク" not in text and "Copyright" not in text


def test_the_main_text_and_the_whole_page_read_lines_alike():
    lines = ["2024年5月10日", "株式会社ミズナラ", "弊社オンラインストアへの不正アクセスについて",
             "このたび、弊社が運営するサイトにおいて第三者による不正アクセスを受けました。お客様の個人情報が漏えいした可能性があります。"]
    html = f"<html><body><article><p>{'<br>'.join(lines)}</p></article></body></html>"
    written = "\n".join(lines) + "\n"
    assert html_main_text(html) == written
    assert to_text(html.encode(), filename="x.html").text == written


def test_a_tiny_html_page_falls_back_to_the_parsers_decoding():
    decoded = to_text("<html><body><p>短い</p></body></html>".encode(), filename="x.html")
    assert decoded.format == "html" and "短い" in decoded.text


# ---- a run killed with SIGKILL ----


def rouei(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`rouei ARGS` in a child process, its output to a file (a pipe could fill and stall it)."""
    code = "from app.cli import main; main()"
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def consistency(url: str) -> dict[str, int]:
    """Counts, after checking that nothing is half-written."""
    engine = make_engine(url)
    with Session(engine) as s:
        sources = s.exec(select(func.count()).select_from(Source)).one()
        linked = s.exec(select(func.count(func.distinct(IncidentSource.source_id)))).one()
        incidents = s.exec(select(func.count()).select_from(Incident)).one()
        orphans = s.exec(select(func.count()).select_from(Incident).where(
            ~col(Incident.id).in_(select(IncidentSource.incident_id)),
            col(Incident.merged_into_id).is_(None))).one()
        orgs = s.exec(select(func.count()).select_from(Organization)).one()
        dup_uris = s.exec(select(Source.uri).group_by(Source.uri).having(func.count() > 1)).all()
        events_without_source = s.exec(select(func.count()).select_from(IncidentEvent).where(
            col(IncidentEvent.source_id).is_(None))).one()
    engine.dispose()
    # Every notice has one incident: a source without its incident would be a torn write.
    assert sources == linked and orphans == 0 and dup_uris == [] and events_without_source == 0
    assert orgs == incidents
    return {"sources": sources, "incidents": incidents}


@pytest.mark.slow
def test_sigkill_mid_run_leaves_a_consistent_store_and_a_rerun_finishes_without_duplicates(
        database_url, engine, tmp_path):
    docs = tmp_path / "notices"
    docs.mkdir()
    total = 120
    for i in range(total):
        (docs / f"{i:04d}.txt").write_text(notice(i), "utf-8")
    env = {**os.environ, "ROUEI_DATABASE_URL": database_url, "ROUEI_LOAD_SEED": "false"}
    proc = rouei("ingest", str(docs), env=env, log=tmp_path / "first.log")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Session(engine) as s:
                done = s.exec(select(func.count()).select_from(Source)).one()
            if done >= 10 or proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    engine.dispose()
    before = consistency(database_url)
    assert 0 < before["sources"] < total

    rerun = rouei("ingest", str(docs), env=env, log=tmp_path / "rerun.log")
    rerun.wait(timeout=300)
    out = (tmp_path / "rerun.log").read_text("utf-8")
    assert rerun.returncode == 0, out
    summary = out.strip().splitlines()[-1]
    assert summary == f"{total - before['sources']} new, 0 updated, {before['sources']} unchanged, 0 failed"
    after = consistency(database_url)
    assert after == {"sources": total, "incidents": total}


@pytest.mark.slow
def test_reading_while_an_ingest_writes(database_url, engine, client, tmp_path):
    """`rouei serve` answers while `rouei ingest` commits (SQLite WAL and busy timeout)."""
    docs = tmp_path / "notices"
    docs.mkdir()
    for i in range(500, 560):
        (docs / f"{i}.txt").write_text(notice(i), "utf-8")
    env = {**os.environ, "ROUEI_DATABASE_URL": database_url, "ROUEI_LOAD_SEED": "false"}
    proc = rouei("ingest", str(docs), env=env, log=tmp_path / "ingest.log")
    statuses = []
    try:
        while proc.poll() is None:
            statuses.append(client.get("/").status_code)
            time.sleep(0.02)
        out = (tmp_path / "ingest.log").read_text("utf-8")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert statuses and set(statuses) == {200}
    assert client.get("/").status_code == 200
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Incident)).one() == 60


def test_an_html_table_s_rows_stay_rows_in_the_main_text():
    from selectolax.lexbor import LexborHTMLParser

    from app.extract.htmltext import node_text

    html = (
        "<html><body><table><tr><th>発表日</th><th>組織</th></tr>"
        "<tr><td>7/3</td><td><p>株式会社ミカサ楽器</p></td></tr></table></body></html>"
    )
    text = node_text(LexborHTMLParser(html).body)
    assert text.splitlines() == ["発表日 | 組織", "", "7/3 | 株式会社ミカサ楽器"]
