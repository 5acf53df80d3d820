"""Buffered delivery recording, so the host application is never slowed down.

The middleware only puts a small dict on an in-memory queue (a few microseconds); a
background thread sends batches to a sink — Haechi in the same process, or the Haechi
API over HTTP. If the sink is down the batch is kept and retried; if the queue is full
new records are counted as dropped (never blocking a request), and that count is
reported, because silently losing evidence would be worse than saying so.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from haechi.auth.roles import Actor

    from .service import TransparencyService


class DeliverySink(Protocol):
    def send(self, items: list[dict[str, Any]]) -> None: ...


class LocalSink:
    """Record into the transparency kit of a Haechi instance in the same process (``hc.transparency``)."""

    def __init__(self, kit: TransparencyService, actor: Actor) -> None:
        self.kit, self.actor = kit, actor

    def send(self, items: list[dict[str, Any]]) -> None:
        self.kit.record_deliveries(self.actor, items, source="middleware")


class HttpSink:
    """Send batches to ``POST /api/v1/transparency/deliveries`` of a Haechi server."""

    def __init__(self, base_url: str, token: str, timeout: float = 5.0, client: Any = None) -> None:
        import httpx
        self.client = client or httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout,
                                             headers={"Authorization": f"Bearer {token}"})

    def send(self, items: list[dict[str, Any]]) -> None:
        body = [{**i, "delivered_at": _iso(i.get("delivered_at"))} for i in items]
        response = self.client.post("/api/v1/transparency/deliveries", json={"items": body})
        response.raise_for_status()


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


class DeliveryRecorder:
    """Queue + background flusher. ``record`` never blocks; ``flush`` waits for the queue."""

    def __init__(self, sink: DeliverySink, *, interval: float = 0.5, max_batch: int = 1000,
                 max_queue: int = 100_000, on_error: Callable[[Exception], None] | None = None) -> None:
        self.sink = sink
        self.interval, self.max_batch = interval, max_batch
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=max_queue)
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.sent = 0
        self.dropped = 0
        self.failures = 0
        self.last_error: str | None = None
        self.on_error = on_error
        self._thread = threading.Thread(target=self._run, name="haechi-delivery-recorder", daemon=True)
        self._thread.start()

    def record(self, item: dict[str, Any]) -> None:
        """Enqueue one delivery (never blocks the caller)."""
        item.setdefault("delivered_at", dt.datetime.now(dt.UTC))
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self.dropped += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.interval)
            self._drain()

    def _drain(self) -> None:
        with self._lock:
            while len(self._pending) < self.max_batch * 10:
                try:
                    self._pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            while self._pending:
                batch = self._pending[: self.max_batch]
                try:
                    self.sink.send(batch)
                except Exception as error:  # the sink may be down: keep the batch and retry later
                    self.failures += 1
                    self.last_error = f"{type(error).__name__}: {error}"
                    if self.on_error:
                        self.on_error(error)
                    return
                del self._pending[: len(batch)]
                self.sent += len(batch)

    def flush(self, timeout: float = 10.0) -> bool:
        """Send everything queued now; True when nothing is left."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._drain()
            if self._queue.empty() and not self._pending:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self.flush()
        self._stop.set()
        self._thread.join(timeout=5)

    def stats(self) -> dict[str, Any]:
        return {"sent": self.sent, "queued": self._queue.qsize() + len(self._pending), "dropped": self.dropped,
                "failures": self.failures, "last_error": self.last_error}
