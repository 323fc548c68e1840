"""Parse throughput against bare fugashi tokenisation of the same text, in the same run.

    .venv/bin/python bench/parse_bench.py [--shared ../shared] [--repeat 5]

Reads the seeds and every labelled corpus text, then times (1) `parse_text` over all of
them and (2) one reused fugashi Tagger tokenising the same texts, and prints chars/s for
both and their ratio. The parser's target is at least half the bare tokenisation speed.
It also times a synthetic ~5 MB text to show that the parser stays linear.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.extract import parse_text  # noqa: E402
from app.extract.segment import NAVIGATION_MARK  # noqa: E402


def load_texts(shared: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    for label in sorted((shared / "corpus").rglob("*.json")):
        data = json.loads(label.read_text(encoding="utf-8"))
        if "text" in data:
            texts.append(data["text"])
    return texts


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    texts = load_texts(Path(args.shared))
    if not texts:
        print(f"no texts under {args.shared}", file=sys.stderr)
        return 2
    chars = sum(map(len, texts))

    import fugashi

    tagger = fugashi.Tagger()
    for t in texts:  # warm both up: dictionary load, regex compilation
        tagger(t)
        parse_text(t)

    def tokenise() -> None:
        for t in texts:
            for _ in tagger(t):
                pass

    def parse() -> None:
        for t in texts:
            parse_text(t)

    tok = best_of(args.repeat, tokenise)
    par = best_of(args.repeat, parse)
    # One long digest: the texts one after another, without the "related articles" lines
    # after which a single article's text would be dropped as navigation.
    unit = "\n\n".join(
        "\n".join(line for line in t.splitlines() if not NAVIGATION_MARK.fullmatch(line)) for t in texts
    )
    big = unit * max(1, 5_000_000 // len(unit))
    t = time.perf_counter()
    found = len(parse_text(big))
    big_s = time.perf_counter() - t

    print(f"python {platform.python_version()} on {platform.machine()}, {len(texts)} texts, {chars:,} chars, best of {args.repeat}")
    print(f"fugashi tokenise : {chars / tok / 1e6:6.2f} M chars/s")
    print(f"parse_text       : {chars / par / 1e6:6.2f} M chars/s")
    print(f"ratio parse/tok  : {tok / par:6.2f} (target >= 0.5)")
    print(f"one {len(big) / 1e6:.1f} M-char text: {big_s:.2f} s ({len(big) / big_s / 1e6:.2f} M chars/s, {found} items)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
