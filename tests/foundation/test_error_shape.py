"""One error shape for every error of every API endpoint (pinned)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

ERROR_KEYS = {"status", "code", "message", "message_ko", "errors"}


def assert_error_shape(response: Any, status: int | None = None) -> None:
    body = response.json()
    assert set(body) == {"ok", "error"} and body["ok"] is False, body
    assert set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["status"] == response.status_code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    for issue in body["error"]["errors"]:
        assert {"location", "message"} <= set(issue)
    if status is not None:
        assert response.status_code == status, body


def openapi_operations(client: TestClient) -> list[tuple[str, str, bool]]:
    """(METHOD, path template, public?) of every /api operation in the OpenAPI document.

    Endpoints that need no login mark themselves with ``openapi_extra={"x-public": True}``.
    """
    spec = client.get("/openapi.json").json()
    out = []
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            out.append((method.upper(), path, bool(operation.get("x-public"))))
    return out


def api_routes(client: TestClient) -> list[tuple[str, str, bool]]:
    """Like :func:`openapi_operations` with path parameters filled in."""
    return [(m, re.sub(r"\{[^}]+\}", "no-such-thing", p), public) for m, p, public in openapi_operations(client)]


def test_every_endpoint_refuses_anonymous_and_bad_tokens(api: TestClient) -> None:
    routes = api_routes(api)
    assert len(routes) >= 6
    for method, path, public in routes:
        if public:
            continue
        anonymous = api.request(method, path, headers={"Authorization": ""})
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert_error_shape(anonymous)
        forged = api.request(method, path, headers={"Authorization": "Bearer hct_forged"})
        assert_error_shape(forged, 401)
        malformed = api.request(method, path, headers={"Authorization": "Token abc"})
        assert_error_shape(malformed, 401)


def test_every_error_of_every_endpoint_has_the_shape(api: TestClient) -> None:
    for method, path, _ in api_routes(api):
        for body in (None, {"junk": True}, [1, 2]):
            response = api.request(method, path, json=body)
            if response.status_code >= 400:
                assert_error_shape(response)


@pytest.mark.parametrize("case", ["unknown_route", "wrong_method", "bad_json", "too_large"])
def test_framework_errors_use_the_shape(api: TestClient, case: str) -> None:
    if case == "unknown_route":
        assert_error_shape(api.get("/api/v1/nothing-here"), 404)
    elif case == "wrong_method":
        assert_error_shape(api.patch("/api/v1/systems"), 405)
    elif case == "bad_json":
        response = api.post("/api/v1/systems", content=b"{not json", headers={"content-type": "application/json"})
        assert_error_shape(response, 422)
    else:
        limit = api.hc.settings.max_body_mb * 1024 * 1024  # type: ignore[attr-defined]
        response = api.post("/api/v1/systems", content=b"x" * (limit + 1),
                            headers={"content-type": "application/json"})
        assert_error_shape(response, 413)
