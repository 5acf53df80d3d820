"""The OpenAPI document's contract for client generators: operation ids and the bearer scheme.

* Every operation's ``operationId`` is ``<tag>_<function name>`` (``systems_list_systems``,
  ``monitoring_post_events``): short, unique (a test checks) and stable as long as the
  endpoint function keeps its name, so a generated client's method names do not change
  between releases the way FastAPI's default (which embeds the path) would.
* The bearer token is declared once as the security scheme ``bearerAuth`` and named by
  every operation that needs it; operations marked ``x-public`` name none. Swagger UI on
  ``/docs`` shows its *Authorize* button from this declaration.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

SCHEME = "bearerAuth"
_NOT_WORD = re.compile(r"[^0-9a-zA-Z]+")


def operation_id(route: APIRoute) -> str:
    """``<first tag>_<endpoint function name>``, lower case with underscores."""
    tag = str(route.tags[0]) if route.tags else "meta"
    return f"{_NOT_WORD.sub('_', tag).strip('_').lower()}_{route.name}"


def install(app: FastAPI) -> None:
    """Replace ``app.openapi`` by one that adds the bearer scheme (computed once, cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_security(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes,
                tags=app.openapi_tags))
        return app.openapi_schema

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI documents replacing this method


def with_security(spec: dict[str, Any]) -> dict[str, Any]:
    """Declare ``bearerAuth`` and name it on every operation that is not ``x-public``."""
    spec.setdefault("components", {}).setdefault("securitySchemes", {})[SCHEME] = {
        "type": "http", "scheme": "bearer",
        "description": "an API token: `haechi tokens create EMAIL` or the dashboard's Tokens page",
    }
    for operation in _operations(spec):
        operation["security"] = [] if operation.get("x-public") else [{SCHEME: []}]
    return spec


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    return [op for item in spec.get("paths", {}).values() for m, op in item.items() if m in methods]

