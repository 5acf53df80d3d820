"""Mount the dashboard on the FastAPI app: static assets, page routers, HTML errors.

The page routers are those the capabilities declare (:mod:`haechi.capability`). Errors on pages render
an HTML page that says what to do; API paths and JSON twins keep the JSON error shape.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from haechi.api import errors as api_errors
from haechi.capability import capabilities, resolve
from haechi.domain.errors import HaechiError
from haechi.domain.server_paths import redact_error

from .views import LoginRequired, json_twin_requested, redirect, render, translator

STATIC_DIR = Path(__file__).parent / "static"


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or json_twin_requested(request):
        return False
    if request.headers.get("hx-request"):
        return True
    return "text/html" in request.headers.get("accept", "")


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if not _wants_html(request):
        return api_errors.error_response(401, "unauthorized", "authentication required: log in first",
                                         "인증이 필요합니다: 먼저 로그인하세요")
    return redirect(f"/login?next={exc.next_path}")


def _error_page(request: Request, status: int, message: str, message_ko: str | None, issues: list[dict]) -> Response:
    t = translator(request)
    shown = message_ko if (t.lang == "ko" and message_ko) else message
    return render(request, "error.html", {"status": status, "message": shown, "issues": issues},
                  status=status)


async def _haechi_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HaechiError)
    if not _wants_html(request):
        return await api_errors._haechi_error(request, exc)
    redact_error(exc, api_errors.roots_of(request))
    return _error_page(request, exc.status, exc.message, exc.message_ko, [i.to_dict() for i in exc.issues])


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not _wants_html(request):
        return await api_errors._http_error(request, exc)
    t = translator(request)
    key = {404: "errors.not_found", 405: "errors.method"}.get(exc.status_code, "errors.generic")
    return _error_page(request, exc.status_code, t(key), None, [])


async def _unexpected(request: Request, exc: Exception) -> Response:
    response = await api_errors._unexpected(request, exc)
    if not _wants_html(request):
        return response
    return _error_page(request, 500, translator(request)("errors.internal"), None, [])


def mount_web(app: FastAPI) -> None:
    """Add the dashboard's static files, pages and HTML-aware error handlers."""
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for router in (r for capability in capabilities() for r in capability.web_routers):
        app.include_router(resolve(router), include_in_schema=False)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(HaechiError, _haechi_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
