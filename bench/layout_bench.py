"""Logical-line boundaries recovered from re-flowed text, against those of the text as written.

    .venv/bin/python bench/layout_bench.py [--shared ../shared] [--variants nonl,spaces,...] [--show NAME]

For every labelled corpus text (and the seeds), `app.extract.layout.layout` re-lines the
plain text and each variant of bench/variants.py. Text is aligned on its characters with
whitespace ignored, so a boundary is "a new line starts before the k-th visible character".
The plain text's boundaries are the reference; per variant it prints precision and recall,
strict and lenient (lenient does not count as wrong a boundary after a 。 that the plain text
keeps inside a paragraph: a sentence is a logical line too).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from variants import VARIANTS  # noqa: E402

from app.extract.decode import html_to_text  # noqa: E402
from app.extract.layout import relined  # noqa: E402


def load(shared: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted((shared / "corpus").rglob("*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        if "gold" not in label:
            continue
        text = (path.parent / label["text_file"]).read_text(encoding="utf-8") if "text_file" in label else label["text"]
        out.append((path.stem, text))
    return out


def lines_of(text: str) -> str:
    return relined(text).text


def boundaries(relined: str) -> tuple[str, set[int], set[int]]:
    """(visible characters, line starts as visible-character indexes, indexes that follow a 。)."""
    visible: list[str] = []
    starts: set[int] = set()
    for line in relined.split("\n"):
        if line.strip():
            starts.add(len(visible))
        visible.extend(c for c in line if not c.isspace())
    after_stop = {i for i in range(1, len(visible)) if visible[i - 1] == "。"}
    starts.discard(0)
    return "".join(visible), starts, after_stop


def variant_text(name: str, text: str) -> str:
    out = VARIANTS[name](text)
    return html_to_text(out) if name == "html" else out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--variants", default="crlf,nonl,spaces,wrap30,wrap40,wrap60,html")
    ap.add_argument("--show", help="print the lines of this text (by label name) where a variant differs")
    args = ap.parse_args()
    texts = load(Path(args.shared))
    names = [v for v in args.variants.split(",") if v]
    print(f"{len(texts)} texts; reference: the plain text's logical lines")
    print(f"{'variant':8} {'P':>6} {'R':>6} {'P(len)':>7} {'misalign':>8}")
    for v in names:
        tp = fp = fn = fp_stop = bad = 0
        for name, text in texts:
            ref_chars, ref, _ = boundaries(lines_of(text))
            got_chars, got, stops = boundaries(lines_of(variant_text(v, text)))
            if ref_chars != got_chars:
                bad += 1
                continue
            tp += len(ref & got)
            fn += len(ref - got)
            wrong = got - ref
            fp += len(wrong)
            fp_stop += len(wrong & stops)
            if args.show in (name, "all"):
                print(f"--- {name} {v}")
                for i in sorted(ref ^ got):
                    tag = "missed" if i in ref else ("extra ." if i in stops else "extra  ")
                    print(f"  {tag} {ref_chars[max(0, i - 20):i]} | {ref_chars[i:i + 20]}")
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        pl = tp / (tp + fp - fp_stop) if tp + fp - fp_stop else 1.0
        print(f"{v:8} {p:6.3f} {r:6.3f} {pl:7.3f} {bad:8d}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
