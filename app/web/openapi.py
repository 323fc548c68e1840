"""The OpenAPI document made to say what the API sends: every 422 in the shape
``app.web.bad_request`` sends it, and the answers any operation may give (429, 503)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, SQLModel


class FieldErrorPublic(SQLModel):
    field: str = Field(description="The parameter or body field, dotted (`name`, `records_max`)")
    message: str


class ValidationErrorPublic(SQLModel):
    """What every 422 of the API sends (``app.web.bad_request``): the fields named in one line,
    then each field with what is wrong with it. The value sent is never echoed."""

    detail: str = Field(description="`invalid request: ` and the fields at fault")
    errors: list[FieldErrorPublic]


def document_validation_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Make every 422 of an OpenAPI document describe what is sent: ValidationErrorPublic, not
    FastAPI's default HTTPValidationError array (``app.web.bad_request`` reshapes it). A 422 an
    operation documents itself (an unreadable upload) may be either."""
    models = ValidationErrorPublic.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(models.pop("$defs", {}))
    components["ValidationErrorPublic"] = models
    ours = {"$ref": "#/components/schemas/ValidationErrorPublic"}
    default = "#/components/schemas/HTTPValidationError"
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                # A query parameter is absent or a string, never null: `X | None` is just X.
                kinds = parameter.get("schema", {}).get("anyOf", [])
                if parameter.get("in") == "query" and {"type": "null"} in kinds and len(kinds) == 2:
                    rest = parameter["schema"]
                    del rest["anyOf"]
                    rest.update(next(k for k in kinds if k != {"type": "null"}))
            # Any operation may meet the rate limit or a store that cannot answer now.
            error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorPublic"}}}
            retry = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
            operation["responses"].setdefault("429", {
                "description": "Too many requests from this client (ROUEI_RATE_LIMIT)",
                "headers": retry, "content": error})
            operation["responses"].setdefault("503", {
                "description": "The database is unavailable for a moment", "headers": retry,
                "content": error})
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                operation["responses"].setdefault("400", {
                    "description": "The body is not JSON",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorPublic"}}}})
            answer = operation.get("responses", {}).get("422")
            if answer is None:
                continue
            content = answer.setdefault("content", {}).setdefault("application/json", {})
            given = content.get("schema")
            if not given or given.get("$ref") == default:
                content["schema"] = ours
            elif given != ours:
                content["schema"] = {"anyOf": [given, ours]}
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema
