"""The module entry point prints the contract's line format."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.extract import cli_lines

NOTICE = "サクラ電工は5月10日、通販サイトが不正アクセスを受け、顧客情報1,200件が流出した可能性があると発表した。\n"


def test_cli_lines(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_bytes(NOTICE.encode("cp932"))
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "c.txt"
    rows = list(cli_lines([str(good), str(empty), str(missing)]))
    assert [ok for _, ok in rows] == [True, False, False]
    first = json.loads(rows[0][0])
    assert first["file"] == str(good)
    assert first["incidents"][0]["records_max"] == 1200
    assert json.loads(rows[1][0]) == {"file": str(empty), "error": "empty file"}
    assert "error" in json.loads(rows[2][0])
    assert "サクラ電工" in rows[0][0]  # ensure_ascii=False


@pytest.mark.slow
def test_module_exit_status(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(NOTICE, encoding="utf-8")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"")
    run = subprocess.run(
        [sys.executable, "-m", "app.extract", "--json", str(bad), str(good)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert [json.loads(line)["file"] for line in lines] == [str(bad), str(good)]
    run = subprocess.run(
        [sys.executable, "-m", "app.extract", "--json", str(bad)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
