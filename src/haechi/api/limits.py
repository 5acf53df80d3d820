"""Request body checks as ASGI middleware, before any route sees the body: an oversized
body gets a clear 413, a body holding values no store can hold a 422, both in the
error shape."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

import anyio
import orjson

from haechi.domain import strictdata

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


# Event and label ingestion decode their bodies with strict readers of their own
# (orjson/Arrow) and bodies up to the size limit; a second full parse would double the cost.
_OWN_DECODER = re.compile(r"^/api/v1/systems/[^/]+/(events|labels)$")
_THREAD_ABOVE = 256 * 1024  # parse larger bodies off the event loop


class StrictInput:
    """Refuse JSON bodies and form posts holding NaN/Infinity, NUL or lone surrogates.

    One check for every endpoint and page: such values pass FastAPI's JSON parsing and
    pydantic's floats, then blank totals or fail inside PostgreSQL with a 500. The
    answer is a 422 in the error shape naming each location (``body.kwh``)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            found_in_url = _url_problems(scope)
            if found_in_url:
                await _refuse(send, found_in_url, "url")
                return
        kind = _body_kind(scope)
        if kind is None:
            await self.app(scope, receive, send)
            return
        messages, body = await _read_all(receive)
        check = strictdata.form_problems if kind == "form" else _json_problems
        argument: Any = _form_pairs(body) if kind == "form" else body
        if len(body) > _THREAD_ABOVE:
            found = await anyio.to_thread.run_sync(check, argument)
        else:
            found = check(argument)
        if found:
            await _refuse(send, found, kind)
            return
        await self.app(scope, _replay(messages, receive), send)


def _url_problems(scope: Scope) -> list[tuple[str, str, str]]:
    """NUL in the path or a query parameter (``%00``): no lookup or filter can use it."""
    found = []
    if "\x00" in scope.get("path", ""):
        found.append(("path", "contains a NUL character (%00)", "remove %00 from the address"))
    query = scope.get("query_string", b"")
    if b"%00" in query:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        found += [(f"query.{name}", "contains a NUL character (%00)", "remove %00 from the address")
                  for name, value in pairs if "\x00" in name or "\x00" in value]
    return found


def _body_kind(scope: Scope) -> str | None:
    if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return None
    if _OWN_DECODER.match(scope.get("path", "")):
        return None
    media = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip().lower()
    if media == b"application/json" or media.endswith(b"+json"):
        return "json"
    if media == b"application/x-www-form-urlencoded":
        return "form"
    return None


async def _read_all(receive: Any) -> tuple[list[dict[str, Any]], bytes]:
    messages, chunks = [], []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[dict[str, Any]], receive: Any) -> Any:
    pending = list(messages)

    async def replayed() -> dict[str, Any]:
        if pending:
            return pending.pop(0)
        return await receive()  # e.g. http.disconnect while the response streams

    return replayed


def _json_problems(body: bytes) -> list[tuple[str, str, str]]:
    try:  # orjson refuses NaN, Infinity and lone surrogates itself: clean bodies stop here
        orjson.loads(body)
    except orjson.JSONDecodeError:
        return strictdata.json_problems(body)
    return strictdata.json_problems(body) if b"\\u0000" in body else []


def _form_pairs(body: bytes) -> list[tuple[str, str]]:
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
    return [(k, v) for k, v in pairs if "password" not in k and k != "csrf_token"]


async def _refuse(send: Any, found: list[tuple[str, str, str]], kind: str) -> None:
    issues = [{"location": where, "message": problem, "fix": fix} for where, problem, fix in found[:50]]
    what = {"json": "request body", "form": "form", "url": "address"}[kind]
    body = json.dumps(error_body(
        422, "validation_failed",
        f"{what}: {len(found)} value(s) cannot be stored: {found[0][0]} {found[0][1]}",
        f"{ {'json': '요청 본문', 'form': '양식', 'url': '주소'}[kind]}에 저장할 수 없는 값이 {len(found)}개 있습니다 "
        "(NaN/Infinity 숫자, NUL 문자 또는 잘못된 유니코드)", issues)).encode()
    await send({"type": "http.response.start", "status": 422,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
