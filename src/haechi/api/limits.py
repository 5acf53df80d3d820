"""Request body size limit as ASGI middleware: an oversized body gets a clear 413
in the error shape before any of it is processed."""

from __future__ import annotations

import json
from typing import Any

from .errors import error_body

Scope = dict[str, Any]


class BodySizeLimit:
    """Reject bodies over ``max_bytes`` (by Content-Length, or while streaming)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        received = 0
        too_large = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received, too_large
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._reject(send)

    async def _reject(self, send: Any) -> None:
        mb = self.max_bytes / (1024 * 1024)
        body = json.dumps(error_body(
            413, "payload_too_large",
            f"request body larger than {mb:g} MB; send smaller batches or raise HAECHI_MAX_BODY_MB",
            f"요청 본문이 {mb:g}MB를 넘습니다. 더 작게 나누어 보내세요")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
