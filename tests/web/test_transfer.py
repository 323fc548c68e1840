"""What the home page costs to load: compressed, and under the 1 MB budget."""

from __future__ import annotations

import re

from app.seed import load_if_empty

BUDGET = 1_000_000


def test_home_page_and_its_assets_travel_gzip_compressed_under_budget(client, engine):
    load_if_empty(engine)
    gzip = {"Accept-Encoding": "gzip"}
    page = client.get("/", headers=gzip)
    assert page.headers["content-encoding"] == "gzip"
    total = page.num_bytes_downloaded
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    assert any(a.endswith(".js") for a in assets)
    for path in assets:
        asset = client.get(path, headers=gzip)
        assert asset.status_code == 200
        if asset.num_bytes_downloaded > 1000:
            assert asset.headers.get("content-encoding") == "gzip", path
        total += asset.num_bytes_downloaded
    assert total < BUDGET, f"home page transfers {total} bytes compressed"
