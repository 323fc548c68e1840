"""The ingest tests' local HTTP server, as a fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ingest.site import Site, serve


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as state:
        yield state
