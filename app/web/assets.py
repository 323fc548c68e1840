"""Static files with a version in their URLs, and the build token the page cache's ETags carry.

A template links ``{{ static_url('css/rouei.css') }}`` → ``/static/css/rouei.css?v=<hash of the
file>``: a browser may keep that URL for a year (``immutable``), and a new file is a new URL.
A file whose name holds its version (``vendor/htmx-2.0.11.min.js``) is immutable as it is. Any
other request for a static file (an old ``?v=``, none) is answered ``no-cache``: the browser
revalidates it with the ETag StaticFiles sends.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import parse_qs

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from app import __version__

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC_DIR = ROOT / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# vendor/htmx-2.0.11.min.js, vendor/plotly-basic-2.35.3.min.js: the version is in the name
VERSIONED_NAME = re.compile(r"-\d+(?:\.\d+)+(?:\.min)?\.(?:js|css)$")

_versions: dict[str, str] = {}


def file_version(path: str) -> str:
    """The first 10 hex digits of a static file's SHA-256 (read once per process)."""
    version = _versions.get(path)
    if version is None:
        version = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
        _versions[path] = version
    return version


def static_url(path: str) -> str:
    return f"/static/{path}?v={file_version(path)}"


class VersionedStatic(StaticFiles):
    """StaticFiles whose answers say how long they may be kept (see the module's docstring)."""

    def file_response(self, full_path: os.PathLike | str, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        relative = os.path.relpath(full_path, STATIC_DIR)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        fresh = VERSIONED_NAME.search(relative) or (asked and asked == file_version(relative))
        response.headers["Cache-Control"] = IMMUTABLE if fresh else REVALIDATE
        return response


def build_token() -> str:
    """What the page cache's ETags carry beside the stamp: the code, templates and static
    files as deployed (names, sizes and times), so a new release is never answered 304 with a
    page of the old one."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    for folder in (ROOT / "app", ROOT / "templates", STATIC_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix != ".pyc":
                stat = path.stat()
                digest.update(f"{path.relative_to(ROOT)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()
