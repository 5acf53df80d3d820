"""One JSON error shape for every error the API returns.

``{"ok": false, "error": {"status", "code", "message", "message_ko", "errors": [...]}}``
— domain errors, request-validation errors, unknown routes, wrong methods, oversized
bodies and unexpected failures all use it (pinned by ``tests/foundation/test_error_shape.py``).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from haechi.domain.card import SystemCard
from haechi.domain.errors import HaechiError, Issue, TooManyRequests
from haechi.domain.server_paths import redact_error, server_roots
from haechi.domain.validation import fix_for

log = logging.getLogger("haechi.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
          415: "unsupported_media_type", 422: "validation_failed", 429: "too_many_requests",
          500: "internal_error"}


def error_body(status: int, code: str, message: str, message_ko: str | None = None,
               issues: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"ok": False, "error": {"status": status, "code": code, "message": message,
                                   "message_ko": message_ko, "errors": issues or []}}


def error_response(status: int, code: str, message: str, message_ko: str | None = None,
                   issues: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, message_ko, issues), status_code=status,
                        headers=headers)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


async def _haechi_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HaechiError)
    redact_error(exc, roots_of(request))  # a message quoting a file must not show where the server keeps it
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return error_response(exc.status, exc.code, exc.message, exc.message_ko,
                          [i.to_dict() for i in exc.issues], headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        message = err.get("msg", "invalid")
        if err.get("type") in ("literal_error", "string_pattern_mismatch"):
            message = f"{err.get('input')!r} is not an allowed value"
        issues.append(Issue(location=_loc(loc), message=message,
                            fix=_fix(err)).to_dict())
    return error_response(422, "validation_failed", f"invalid request ({len(issues)} problem(s))",
                          f"요청이 올바르지 않습니다 ({len(issues)}건)", issues)


def _fix(err: dict[str, Any]) -> str | None:
    if err.get("type") == "json_invalid":
        return "send valid JSON (check commas, quotes and brackets)"
    loc = tuple(err.get("loc", ()))
    # Bodies that are system cards get "did you mean …?" suggestions for unknown fields.
    model = SystemCard if loc[:1] == ("body",) else None
    return fix_for({**err, "loc": loc[1:] if model else loc}, model)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) else _CODES.get(status, "error")
    if status == 404 and message == "Not Found":
        message = "no such endpoint"
    return error_response(status, _CODES.get(status, "error"), message, None, None,
                          dict(exc.headers) if exc.headers else None)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, "internal_error", "internal error; it has been logged",
                          "내부 오류가 발생했습니다. 기록되었습니다.")


def roots_of(request: Request) -> tuple[str, ...]:
    """The server folders whose paths are cut out of error messages."""
    hc = getattr(request.app.state, "hc", None)
    return server_roots(getattr(hc, "settings", None))


def install(app: FastAPI) -> None:
    app.add_exception_handler(HaechiError, _haechi_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
