"""The write operations of #13 never answer 5xx, with the token or without, signed in or not:
hostile bodies (wrong types, huge strings, NUL and control characters, unknown slugs, search
operators, deep nesting, not JSON at all). A schemathesis-free fuzz over a fixed handful."""

from __future__ import annotations

import itertools
import json
from urllib.parse import quote

import pytest
from sqlmodel import Session, select

from app.ingest.pipeline import ingest_bytes
from app.models import Incident, IncidentSource
from tests.conftest import FIXTURES
from tests.web.test_admin_browser import TOKEN, csrf_of, make_client, sign_in
from tests.web.test_curation import state

HERE = FIXTURES / "ingest"
HUGE = "漏" * 100_000
SLUGS = ["no-such-incident", '"a" OR b*', "NEAR(a b)", "-x", "a\x00b", "%00", "..%2F..%2Fetc", "ｱ" * 500,
         "' OR 1=1 --", "\u202e", "a" * 5000]
VALUES = [None, True, -1, 2**63, 1e308, "", HUGE, "\x00", "2022-13-45", [], {}, [[[[[]]]]],
          {"$gt": ""}, '"x" OR y NOT z*', "<script>alert(1)</script>"]


def bodies(op: str, slug: str, source: int) -> list:
    keys = {"patch": ["discovered_on", "records_max", "attack_type", "leaked_items", "status", "reason", "actor"],
            "review": ["status", "reason", "actor"],
            "merge": ["into", "reason", "actor"],
            "split": ["source", "reason", "actor"]}[op]
    out: list = [None, [], "x", 0, {}, {"reason": HUGE}, {k: None for k in keys}]
    for key, value in itertools.product(keys, VALUES):
        out.append({key: value, "reason": "fuzz"} if key != "reason" else {key: value})
    out += [{"into": s, "reason": "fuzz"} for s in SLUGS] if op == "merge" else []
    out += [{"source": source, "reason": "x" * 2001}, {"source": str(source), "reason": "fuzz", "x": 1}] if op == "split" else []
    return out


@pytest.fixture
def world(engine) -> tuple[str, int]:
    ingest_bytes(engine, uri="notice-1.txt", data=(HERE / "tsubaki_notice_1.txt").read_bytes())
    ingest_bytes(engine, uri="notice-2.txt", data=(HERE / "tsubaki_notice_2.txt").read_bytes())
    with Session(engine) as s:
        return s.exec(select(Incident.slug)).one(), s.exec(select(IncidentSource.source_id)).first()


@pytest.mark.parametrize("auth", [True, False])
def test_the_json_write_operations_never_5xx(settings, engine, world, auth):
    slug, source = world
    headers = {"Authorization": f"Bearer {TOKEN}"} if auth else {}
    seen: dict[int, int] = {}
    with make_client(settings) as client:
        for op, method, path in (("patch", "PATCH", ""), ("review", "POST", "/review"),
                                 ("merge", "POST", "/merge"), ("split", "POST", "/split")):
            for target in (slug, *SLUGS[:6]):
                for body in bodies(op, target, source) if target == slug else bodies(op, target, source)[:8]:
                    raw = json.dumps(body, ensure_ascii=False).encode()
                    answer = client.request(method, f"/api/incidents/{quote(target, safe='')}{path}", content=raw,
                                            headers={**headers, "Content-Type": "application/json"})
                    assert answer.status_code < 500, (op, target, repr(body)[:200], answer.text[:300])
                    seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
            for raw in (b"", b"{", b"\xff\xfe", b'{"reason": "' + b"a" * 3_000_000 + b'"}', b"[" * 5000 + b"]" * 5000):
                answer = client.request(method, f"/api/incidents/{slug}{path}", content=raw,
                                        headers={**headers, "Content-Type": "application/json"})
                assert answer.status_code < 500, (op, raw[:40], answer.text[:300])
    assert set(seen) <= {200, 201, 401, 404, 405, 413, 422}
    if not auth:
        assert set(seen) == {401}


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_browser_forms_never_5xx(settings, engine, world, signed_in):
    slug, source = world
    with make_client(settings) as client:
        csrf = "none"
        if signed_in:
            sign_in(client)
            csrf = csrf_of(client.get(f"/incidents/{slug}").text)
        before = None if signed_in else state(engine)
        hostile = ["", HUGE[:6000], "\x00", "2022-13-45", "-1", "9" * 40, '"x" OR y*', "<b>", "\u202e", "1e308"]
        forms = []
        for action, field in (("edit", "field"), ("edit", "value"), ("edit", "pick"), ("edit", "qualifier"),
                              ("review", "status"), ("merge", "into"), ("split", "source"), ("edit", "reason")):
            for value in hostile:
                form = {"csrf": csrf, "field": "records_max", "value": "5", "status": "reviewed", "into": slug,
                        "source": str(source), "reason": "fuzz"}
                form[field] = value
                forms.append((action, form))
        for target in (slug, *SLUGS):
            for action, form in forms if target == slug else forms[:3]:
                answer = client.post(f"/admin/incidents/{quote(target, safe='')}/{action}", data=form)
                assert answer.status_code < 500, (action, target, {k: v[:40] for k, v in form.items()}, answer.text[:300])
                if not signed_in:  # refused before anything is read (a path that routes nowhere: 404)
                    assert answer.status_code == (404 if target.startswith("..") else 403)
        for form in ({"token": HUGE[:6000]}, {"token": "\x00", "csrf": "\x00"}, {"who": HUGE[:6000], "csrf": "x"}):
            assert client.post("/admin/login", data=form).status_code < 500
        for query in ({"q": '"a" OR b NEAR(c) -d*'}, {"reason": "\x00"}, {"page": "9" * 20}, {"year": "-1"},
                      {"q": HUGE[:3000]}, {"review": "\x00"}):
            assert client.get("/review", params=query).status_code < 500
        if before is not None:
            assert state(engine) == before
