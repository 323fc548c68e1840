"""Score the parser on re-flowed copies of a labelled corpus: line structure must not matter.

    .venv/bin/python bench/variants.py [--corpus ../shared/corpus] [--variants plain,nonl,...]

Each variant rewrites every label's text the way text reaches Rouei in the wild, then runs
../shared/tools/score_extraction.py on the copy and prints its headline and the core fields:

    plain     the text as labelled
    crlf      every newline a CRLF
    nonl      every newline removed (text pasted out of a web page that lost its breaks)
    spaces    every newline a space
    wrapN     every line hard-wrapped at N characters (text copied out of a PDF)
    html      an HTML page with a <br> per line

The labels' offsets are not used by the scorer, so the copies need no offset map.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
# The parser of this checkout (a git worktree too), as `rouei parse --json` runs it.
PARSE = [sys.executable, "-m", "app.extract", "--json"]


def wrap_at(width: int) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        out = []
        for line in text.split("\n"):
            out.extend([line[i : i + width] for i in range(0, len(line), width)] or [""])
        return "\n".join(out)

    return wrap


def _html(text: str) -> str:
    body = "<br>".join(html.escape(line) for line in text.split("\n"))
    return f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>notice</title></head><body><p>{body}</p></body></html>'


VARIANTS: dict[str, Callable[[str], str]] = {
    "plain": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "nonl": lambda t: t.replace("\n", ""),
    "spaces": lambda t: t.replace("\n", " "),
    "wrap30": wrap_at(30),
    "wrap40": wrap_at(40),
    "wrap60": wrap_at(60),
    "html": _html,
}
_LAST = re.compile(r"core-field F1 ([0-9.]+), detection F1 ([0-9.]+)")


def write_copy(corpus: Path, dest: Path, transform: Callable[[str], str]) -> None:
    for path in sorted(corpus.rglob("*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        if "gold" not in label:
            continue
        if "text_file" in label:
            text = (path.parent / label.pop("text_file")).read_bytes().decode("utf-8")
        else:
            text = label["text"]
        label["text"] = transform(text)
        out = dest / path.relative_to(corpus)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(label, ensure_ascii=False), encoding="utf-8")


def score(corpus: Path, transform: Callable[[str], str]) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        write_copy(corpus, Path(tmp), transform)
        run = subprocess.run(
            [sys.executable, str(SCORER), "--corpus", tmp, "--", *PARSE],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )
    m = _LAST.search(run.stdout)
    if not m:
        raise SystemExit(f"the scorer printed no headline:\n{run.stdout[-1000:]}\n{run.stderr[-1000:]}")
    table = "\n".join(line for line in run.stdout.splitlines() if "*" in line or line.startswith("incident"))
    return float(m.group(1)), float(m.group(2)), table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", help="a labelled folder (repeatable); default ../shared/corpus")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, from: " + ", ".join(VARIANTS))
    ap.add_argument("--table", action="store_true", help="print each variant's per-field table too")
    args = ap.parse_args()
    corpora = [Path(c) for c in (args.corpus or [str(SHARED / "corpus")])]
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        ap.error(f"unknown variant(s): {', '.join(unknown)}")
    for corpus in corpora:
        print(f"== {corpus}")
        print(f"{'variant':8} {'core F1':>8} {'det F1':>7} {'Δcore':>7} {'Δdet':>7}")
        base: tuple[float, float] | None = None
        for name in names:
            core, det, table = score(corpus, VARIANTS[name])
            if base is None:
                base = (core, det)
            print(f"{name:8} {core:8.3f} {det:7.3f} {core - base[0]:+7.3f} {det - base[1]:+7.3f}", flush=True)
            if args.table:
                print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
