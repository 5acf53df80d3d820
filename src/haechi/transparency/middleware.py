"""Disclosure middleware for ASGI (FastAPI, Starlette) and WSGI (Flask) applications.

::

    from haechi.transparency.middleware import DisclosureMiddleware, RouteRule
    app.add_middleware(DisclosureMiddleware, disclosure=disclosure, recorder=recorder)

or :func:`from_haechi` to build both from a Haechi instance in the same process. The
middleware shows the advance notice on a session's first interaction, labels generated
responses (visible label, ``AI-Disclosure`` header, HTML meta, JSON field), serves the
notice at ``/.well-known/ai-notice/<system>``, and records each delivery through the
buffered :class:`~haechi.transparency.recorder.DeliveryRecorder`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from .disclosure import Decision, Disclosure, RouteRule, build_snapshot, snapshot_from_data
from .recorder import DeliveryRecorder, HttpSink, LocalSink

if TYPE_CHECKING:
    from haechi.auth.roles import Actor

    from .service import TransparencyService

__all__ = ["DisclosureMiddleware", "DisclosureWSGIMiddleware", "RouteRule", "from_haechi", "from_server"]

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class WithTransparency(Protocol):
    """A Haechi instance (anything with the transparency kit as ``.transparency``)."""

    @property
    def transparency(self) -> TransparencyService: ...


def from_haechi(hc: WithTransparency, actor: Actor, rules: list[RouteRule],
                **options: Any) -> tuple[Disclosure, DeliveryRecorder]:
    """Build the disclosure core (snapshots of each system) and a recorder into ``hc``."""
    kit = hc.transparency
    snapshots = {slug: build_snapshot(kit, actor, slug) for slug in sorted({r.system for r in rules})}
    recorder = DeliveryRecorder(LocalSink(kit, actor), interval=options.pop("interval", 0.5))
    return Disclosure(rules, snapshots, **options), recorder


def from_server(base_url: str, token: str, rules: list[RouteRule], *, client: Any = None,
                **options: Any) -> tuple[Disclosure, DeliveryRecorder]:
    """Build the middleware for a host app in another process than Haechi: snapshots come
    from ``GET /api/v1/transparency/systems/<id>/snapshot`` and deliveries go to
    ``POST /api/v1/transparency/deliveries`` (``client``: an ``httpx.Client`` to reuse)."""
    import httpx
    http = client or httpx.Client(base_url=base_url.rstrip("/"), timeout=10.0,
                                  headers={"Authorization": f"Bearer {token}"})
    snapshots = {}
    for slug in sorted({r.system for r in rules}):
        response = http.get(f"/api/v1/transparency/systems/{slug}/snapshot")
        response.raise_for_status()
        snapshots[slug] = snapshot_from_data(response.json())
    recorder = DeliveryRecorder(HttpSink(base_url, token, client=http), interval=options.pop("interval", 0.5))
    return Disclosure(rules, snapshots, **options), recorder


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DisclosureMiddleware:
    """ASGI middleware (pure ASGI: no dependency on Starlette internals)."""

    def __init__(self, app: Callable[..., Awaitable[None]], disclosure: Disclosure,
                 recorder: DeliveryRecorder | None = None) -> None:
        self.app, self.disclosure, self.recorder = app, disclosure, recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, query = scope.get("path", ""), scope.get("query_string", b"").decode("latin-1")
        page = self.disclosure.notice_page(path, query)
        if page is not None:
            await _send_page(send, *page)
            return
        headers = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", [])]
        decision = self.disclosure.decide(scope.get("method", "GET"), path,
                                          [v for k, v in headers if k == "cookie"],
                                          next((v for k, v in headers if k == "accept-language"), None))
        if decision is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Responder(self, decision, send, path).send)

    def record(self, items: list[dict[str, Any]]) -> None:
        if self.recorder is not None:
            for item in items:
                self.recorder.record(item)


class _Responder:
    """Wraps ``send``: adds headers, buffers and changes the body only when needed."""

    def __init__(self, mw: DisclosureMiddleware, decision: Decision, send: Send, path: str) -> None:
        self.mw, self.decision, self.inner, self.path = mw, decision, send, path
        self.start: Message | None = None
        self.buffer: list[bytes] = []
        self.buffering = False
        self.now = _now()

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._on_start(message)
            if not self.buffering:
                await self.inner(self.start or message)
            return
        if message["type"] != "http.response.body" or not self.buffering:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self._record_unbuffered()
            await self.inner(message)
            return
        self.buffer.append(message.get("body", b""))
        if not message.get("more_body"):
            await self._finish()

    def _on_start(self, message: Message) -> None:
        d, disclosure = self.decision, self.mw.disclosure
        headers = list(message.get("headers", []))
        content_type = next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), "")
        status = int(message.get("status", 200))
        self.buffering = status < 400 and disclosure.needs_body(d, content_type)
        self.content_type = content_type
        self.ok = status < 400
        extra = disclosure.headers(d, self.now) if self.ok else []
        headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra]
        if self.buffering:
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        self.start = {**message, "headers": headers}

    async def _finish(self) -> None:
        body, channels = self.mw.disclosure.transform(self.decision, self.content_type, b"".join(self.buffer), self.now)
        assert self.start is not None
        self.start["headers"].append((b"content-length", str(len(body)).encode()))
        await self.inner(self.start)
        await self.inner({"type": "http.response.body", "body": body, "more_body": False})
        self._record(channels[0] if channels else "header", (bool(channels) and channels[0] != "json")
                     or "json" in channels)

    def _record_unbuffered(self) -> None:
        if self.ok:
            self._record("header", self.decision.rule.generated and self.decision.snapshot.label_apply
                         and self.decision.snapshot.settings.machine)

    def _record(self, channel: str, labelled: bool) -> None:
        labelled = labelled and self.decision.rule.generated and self.decision.snapshot.label_apply
        self.mw.record(self.mw.disclosure.deliveries(self.decision, channel, self.path, self.now, labelled))


async def _send_page(send: Send, status: int, content_type: str, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class DisclosureWSGIMiddleware:
    """The same behaviour for WSGI applications (Flask: ``app.wsgi_app = ...(app.wsgi_app, ...)``)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], disclosure: Disclosure,
                 recorder: DeliveryRecorder | None = None) -> None:
        self.app, self.disclosure, self.recorder = app, disclosure, recorder

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        page = self.disclosure.notice_page(path, query)
        if page is not None:
            status, ctype, body = page
            start_response(f"{status} {'OK' if status == 200 else 'Not Found'}",
                           [("Content-Type", ctype), ("Content-Length", str(len(body)))])
            return [body]
        decision = self.disclosure.decide(environ.get("REQUEST_METHOD", "GET"), path,
                                          [environ["HTTP_COOKIE"]] if environ.get("HTTP_COOKIE") else [],
                                          environ.get("HTTP_ACCEPT_LANGUAGE"))
        if decision is None:
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured.update(status=status, headers=list(headers), exc_info=exc_info)
            return lambda _data: None  # legacy write() is not supported on labelled routes

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if callable(close):
                close()
        return self._respond(decision, path, captured, body, start_response)

    def _respond(self, d: Decision, path: str, captured: dict[str, Any], body: bytes,
                 start_response: Callable[..., Any]) -> list[bytes]:
        now = _now()
        headers: list[tuple[str, str]] = captured["headers"]
        ok = int(captured["status"].split()[0]) < 400
        ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
        channels: list[str] = []
        if ok and self.disclosure.needs_body(d, ctype):
            body, channels = self.disclosure.transform(d, ctype, body, now)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        if ok:
            headers += self.disclosure.headers(d, now)
            labelled = d.rule.generated and d.snapshot.label_apply and (bool(channels) or d.snapshot.settings.machine)
            if self.recorder is not None:
                for item in self.disclosure.deliveries(d, channels[0] if channels else "header", path, now, labelled):
                    self.recorder.record(item)
        start_response(captured["status"], headers, captured.get("exc_info"))
        return [body]
