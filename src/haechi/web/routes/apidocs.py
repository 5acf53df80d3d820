"""The API reference at ``/docs``: Swagger UI served from our own static files.

FastAPI's built-in page loads Swagger UI from a CDN and starts it with an inline
script, so offline (and under our Content-Security-Policy) it stays blank. This page
uses the vendored copy in ``static/vendor/swagger-ui/`` and ``static/apidocs.js``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..views import render, translator

router = APIRouter()
OPENAPI_URL = "/openapi.json"


@router.get("/docs")
def api_reference(request: Request) -> Response:
    return render(request, "apidocs.html", {"openapi_url": OPENAPI_URL},
                  title=translator(request)("common.api_docs"))
