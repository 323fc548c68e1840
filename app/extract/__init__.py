"""Text of a Japanese breach notice in, incidents out (see ../shared/spec/extraction.md)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from .decode import Decoded, DecodeError, decode_bytes
from .notice import Extracted, parse_text

__all__ = ["DecodeError", "Decoded", "Extracted", "cli_lines", "decode_bytes", "parse_bytes", "parse_text"]


def parse_bytes(data: bytes, *, filename: str | None = None) -> tuple[Decoded, list[Extracted]]:
    decoded = decode_bytes(data, filename=filename)
    return decoded, parse_text(decoded.text)


def cli_lines(paths: list[str]) -> Iterator[tuple[str, bool]]:
    """One contract JSON line per path, in order, and whether that file was read."""
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            reason = f"cannot read: {exc.strerror or exc}"
            yield json.dumps({"file": path, "error": reason}, ensure_ascii=False), False
            continue
        try:
            _, incidents = parse_bytes(data, filename=path)
        except DecodeError as exc:
            yield json.dumps({"file": path, "error": str(exc)}, ensure_ascii=False), False
            continue
        except Exception as exc:  # one bad file must not stop a run over thousands
            reason = f"parser error: {type(exc).__name__}: {exc}"
            yield json.dumps({"file": path, "error": reason}, ensure_ascii=False), False
            continue
        row = {"file": path, "incidents": [i.to_contract() for i in incidents]}
        yield json.dumps(row, ensure_ascii=False), True
