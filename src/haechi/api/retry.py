"""Requests whose transaction lost a race with a concurrent one run again, transparently.

Two writers in one organisation can deadlock on PostgreSQL (each holds a row the other
needs: a counter, the ledger head, a control), be refused as a serialization failure, or
insert the same unique key at once (two creations of one system). The database rolls
the loser back entirely, so running the request again is safe and gives what running
them one after the other gives: success, or the domain's own answer (a 409 for the
second creation, the stored item for idempotent evidence). After :data:`ATTEMPTS` the
client gets a 409 (duplicate) or a 503 with ``Retry-After`` in the single error shape —
never a 500.

The request body is recorded while the application reads it so it can be replayed; a
body over :data:`MAX_REPLAY_BYTES` (bulk uploads, which do not race) is not retried.
"""

from __future__ import annotations

import logging
import random
from typing import Any

import anyio

from haechi.store.db import lost_race

from .errors import error_response

log = logging.getLogger("haechi.api")

ATTEMPTS = 6
MAX_REPLAY_BYTES = 16 * 1024 * 1024
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RetryLostRaces:
    """ASGI middleware: re-run a write request that a concurrent transaction made fail."""

    def __init__(self, app: Any, attempts: int = ATTEMPTS) -> None:
        self.app, self.attempts = app, attempts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        replay = _Replay(receive)
        for attempt in range(1, self.attempts + 1):
            started = False

            async def tracking_send(message: dict[str, Any]) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await self.app(dict(scope), replay.receiver(), tracking_send)
                return
            except Exception as exc:
                reason = lost_race(exc)
                if reason is None or started or not replay.complete_record:
                    raise
                if attempt == self.attempts:
                    await _give_up(reason, send)
                    return
                log.info("%s %s lost a %s race (attempt %d); running it again",
                         scope["method"], scope.get("path"), reason, attempt)
            # Jittered, growing pause so the racers do not collide again in step.
            await anyio.sleep(random.uniform(0.01, 0.05) * 2 ** min(attempt, 5))


class _Replay:
    """The body messages read so far, served again to each later attempt."""

    def __init__(self, receive: Any) -> None:
        self.receive, self.size = receive, 0
        self.messages: list[dict[str, Any]] = []
        self.complete_record = True  # False once the body outgrew what we keep

    def receiver(self) -> Any:
        position = 0

        async def receive() -> dict[str, Any]:
            nonlocal position
            if position < len(self.messages):
                position += 1
                return self.messages[position - 1]
            message: dict[str, Any] = await self.receive()
            if message["type"] == "http.request" and self.complete_record:
                self.size += len(message.get("body", b""))
                if self.size > MAX_REPLAY_BYTES:
                    self.complete_record, self.messages = False, []
                else:
                    self.messages.append(message)
                    position += 1
            return message

        return receive


async def _give_up(reason: str, send: Any) -> None:
    if reason == "duplicate":
        response = error_response(
            409, "conflict", "a concurrent request created the same item; reload and try again",
            "동시에 들어온 다른 요청이 같은 항목을 만들었습니다. 새로 고친 뒤 다시 시도하세요.")
    else:
        response = error_response(
            503, "service_unavailable", "the database is busy with concurrent changes; retry in a moment",
            "동시 변경이 많아 데이터베이스가 바쁩니다. 잠시 후 다시 시도하세요.", headers={"Retry-After": "1"})
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> dict[str, Any]:
    return {"type": "http.disconnect"}
