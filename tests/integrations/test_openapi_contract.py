"""The OpenAPI document is a contract client generators can rely on.

Every operation has a stable, unique ``operationId``, a typed response (a named schema
for JSON, the media types for files, or no body for 204/303), and names the bearer
scheme unless it is public; a typed response body is exactly what the endpoint returned.
"""

from __future__ import annotations

import collections
import re
from typing import Any

from fastapi.testclient import TestClient

METHODS = {"get", "put", "post", "delete", "patch"}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in spec["paths"].items() for m, op in item.items() if m in METHODS]


def _typed(op: dict[str, Any]) -> bool:
    """A success answer that says what it carries."""
    for code, answer in op["responses"].items():
        if not code.startswith(("2", "3")):
            continue
        content = answer.get("content")
        if not content:
            if code in ("204", "303"):
                return True
            continue
        for media, body in content.items():
            schema = body.get("schema", {})
            if "json" in media and "$ref" in schema:
                return True
            if "json" not in media and schema.get("type") == "string":
                return True
    return False


def test_every_operation_has_a_typed_response_an_id_and_security(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    operations = _operations(spec)
    assert len(operations) > 150
    untyped = [f"{m.upper()} {p}" for m, p, op in operations if not _typed(op)]
    assert untyped == [], "operations without a typed response model: " + ", ".join(untyped)
    ids = [op.get("operationId") for _, _, op in operations]
    assert all(ids) and all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids), ids
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"][
            "description"]}
    for method, path, op in operations:
        expected = [] if op.get("x-public") else [{"bearerAuth": []}]
        assert op["security"] == expected, (method, path)


def test_operation_ids_are_tag_and_function(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    ids = {(m, p): op["operationId"] for m, p, op in _operations(spec)}
    assert ids[("get", "/api/v1/systems")] == "systems_list_systems"
    assert ids[("post", "/api/v1/systems/{system}/events")] == "monitoring_post_events"
    assert ids[("get", "/healthz")] == "meta_healthz"


def test_a_typed_body_is_what_the_endpoint_returned(api: TestClient) -> None:
    """Fields the model does not name pass through; fields the endpoint did not set stay out."""
    card = {"id": "screener", "name": "Screener", "domains": ["employment"], "markets": ["KR"]}
    created = api.post("/api/v1/systems", json=card)
    assert created.status_code == 201, created.text
    listed = api.get("/api/v1/systems").json()
    assert listed["total"] == 1 and set(listed) == {"items", "total", "limit", "offset"}
    item = listed["items"][0]
    assert set(item) == {"card", "revision", "updated_at", "deleted"}
    assert item["card"] == created.json()
    assert api.get("/healthz").json()["ok"] is True
