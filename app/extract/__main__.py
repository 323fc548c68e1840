"""python -m app.extract --json FILE...: one contract line per file."""
from __future__ import annotations

import argparse
import sys

from . import cli_lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.extract", description="Parse breach notices.")
    ap.add_argument("--json", action="store_true", help="print one JSON line per file (the default)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    any_ok = False
    for line, ok in cli_lines(args.files):
        print(line, flush=False)
        any_ok = any_ok or ok
    sys.stdout.flush()
    return 0 if any_ok else 1


if __name__ == "__main__":
    sys.exit(main())
