"""``haechi.sdk.Monitor``: log predictions with one call that never blocks the caller.

``log()`` only appends a tuple to an in-memory queue (a few microseconds). A background
thread batches the queue, encodes each batch as Arrow and sends it — over HTTP to the
Haechi API (``url=``) or straight into a local lake (``path=``). When the receiver is
unreachable the batch is written to an on-disk outbox (fsynced) and retried with
exponential backoff, also by the next process that opens the same outbox. Remaining
events are flushed when the interpreter exits. Ingestion is idempotent on ``event_id``,
so a batch delivered twice (e.g. the answer was lost) is stored once.
"""

from __future__ import annotations

import atexit
import collections
import datetime as dt
import hashlib
import itertools
import logging
import os
import random
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from .batches import EPOCH, Event, Label, encode_events, encode_labels, split_body
from .outbox import Encoding, Kind, Outbox, Parcel
from .transport import Delivery, HttpTransport, LakeTransport, Rejected, Retry, TooLarge, Transport

log = logging.getLogger("haechi.sdk")

__all__ = ["Monitor"]


def _default_outbox(system: str, target: str) -> Path:
    base = Path(os.environ.get("HAECHI_OUTBOX", Path.home() / ".cache" / "haechi" / "outbox"))
    digest = hashlib.sha256(target.encode()).hexdigest()[:12]
    return base / f"{system}-{digest}"


class Monitor:
    """Buffered, fail-safe prediction logging for one AI system.

    :param system: the system id in Haechi (e.g. ``"hiring-screener"``).
    :param url: base URL of a Haechi server (``token`` = an API token; defaults:
        ``HAECHI_URL`` and ``HAECHI_TOKEN``), or
    :param path: a Haechi data directory or lake to write to directly (``org`` when the
        lake holds several organisations).
    :param batch_size: events per request; :param flush_interval: seconds between sends.
    :param outbox: directory for undelivered batches (default under ``~/.cache/haechi``).
    """

    def __init__(
        self,
        system: str,
        *,
        url: str | None = None,
        token: str | None = None,
        path: str | os.PathLike[str] | None = None,
        org: str | None = None,
        batch_size: int = 10_000,
        flush_interval: float = 1.0,
        outbox: str | os.PathLike[str] | None = None,
        timeout: float = 10.0,
        max_backoff: float = 30.0,
    ) -> None:
        if url is None and path is None:  # twelve-factor style: configured by the environment
            url = os.environ.get("HAECHI_URL") or None
        token = token or os.environ.get("HAECHI_TOKEN") or None
        if (url is None) == (path is None):
            raise ValueError(
                "give exactly one of url=... (a Haechi server; or set HAECHI_URL) or path=... (a local lake)"
            )
        self.system = system
        self._transport: Transport
        if url is not None:
            self._transport, target = HttpTransport(url, system, token, timeout), url
        else:
            lake_path = Path(path)  # type: ignore[arg-type]  # not None: checked above
            self._transport, target = LakeTransport(lake_path, system, org), str(lake_path.resolve())
        self.outbox = Outbox(Path(outbox) if outbox else _default_outbox(system, target))
        self.batch_size, self.flush_interval, self.max_backoff = batch_size, flush_interval, max_backoff
        self._events: collections.deque[Event] = collections.deque()
        self._labels: collections.deque[Label] = collections.deque()
        self._prefix = secrets.token_hex(8) + "-"
        self._counter = itertools.count()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = False
        self._failures = 0
        self._next_retry = 0.0
        self.stats = {
            "stored": 0,
            "duplicates": 0,
            "rejected_rows": 0,
            "rejected_batches": 0,
            "spilled": 0,
            "delivered_from_outbox": 0,
        }
        # Encode a dummy batch now: pyarrow imports some modules lazily, and imports are
        # refused while the interpreter shuts down — exactly when the exit flush runs.
        encode_events([("warm-up", 0, 0, None, None, {"x": 1.0}, {"g": "a"})])
        encode_labels([("warm-up", 0)])
        self._thread = threading.Thread(target=self._run, name=f"haechi-sdk-{system}", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # --- the caller's side: enqueue only ----------------------------------------
    def log(
        self,
        prediction: Any,
        features: dict[str, Any] | None = None,
        sensitive: dict[str, Any] | None = None,
        score: float | None = None,
        label: Any = None,
        event_id: str | None = None,
        timestamp: float | dt.datetime | None = None,
    ) -> str:
        """Queue one prediction and return its event id (use it for :meth:`label`)."""
        if event_id is None:
            event_id = self._prefix + str(next(self._counter))
        micros = time.time_ns() // 1000 if timestamp is None else _micros(timestamp)
        self._events.append((event_id, micros, prediction, score, label, features, sensitive))
        if len(self._events) >= self.batch_size:
            self._wake.set()
        return event_id

    def label(self, event_id: str, label: Any) -> None:
        """Queue the ground truth of an earlier event (it may arrive days later)."""
        self._labels.append((event_id, label))

    def flush(self, timeout: float = 30.0) -> bool:
        """Send everything queued now and retry the outbox once.

        True when everything reached the receiver; False when some batches wait in the
        outbox (receiver unreachable — they are safe on disk and retried later).
        """
        deadline = time.monotonic() + timeout
        self._next_retry = 0.0
        self._wake.set()
        time.sleep(0)
        while time.monotonic() < deadline and self._thread.is_alive():
            if not self._events and not self._labels and not self._busy:
                if not self.outbox.parcels():
                    return True
                if self._failures and time.monotonic() < self._next_retry:
                    return False  # backing off: the batches are durable in the outbox
            time.sleep(0.005)
        return False

    def close(self, timeout: float = 10.0) -> None:
        """Flush (spilling to the outbox what cannot be sent) and stop the thread."""
        if self._stop.is_set():
            return
        self.flush(timeout)
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self._transport.close()
        atexit.unregister(self.close)

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pending(self) -> dict[str, int]:
        return {"queued": len(self._events) + len(self._labels), "outbox": len(self.outbox)}

    # --- the background thread ------------------------------------------------
    def _run(self) -> None:
        while True:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            stopping = self._stop.is_set()
            self._busy = True
            try:
                self._cycle(final=stopping)
            except Exception:  # never let the logging thread die silently
                log.exception("haechi sdk: unexpected error while shipping events")
            finally:
                self._busy = False
            if stopping:
                return

    def _cycle(self, final: bool) -> None:
        if time.monotonic() >= self._next_retry:
            self._drain_outbox()
        while self._events or self._labels:
            if self._labels:
                self._ship("labels", *encode_labels(_take(self._labels, self.batch_size)))
            if self._events:
                self._ship("events", *encode_events(_take(self._events, self.batch_size)))
        if final:
            self._drain_outbox()

    def _ship(self, kind: Kind, encoding: Encoding, body: bytes) -> None:
        """Send one fresh batch; on failure (or while backing off) spill it to the outbox."""
        if self._failures and time.monotonic() < self._next_retry:
            self._spill(kind, encoding, body)
            return
        try:
            self._account(self._send_splitting(kind, encoding, body))
            self._failures = 0
        except Retry as exc:
            self._backoff(exc)
            self._spill(kind, encoding, body)
        except Rejected as exc:
            self.stats["rejected_batches"] += 1
            log.error("haechi sdk: %s batch rejected by %s: %s", kind, self.system, exc)

    def _send_splitting(self, kind: Kind, encoding: Encoding, body: bytes) -> Delivery:
        """Send; a batch over the server's body limit is sent again in halves.

        If a later half fails, the whole batch is kept and re-sent: the halves already
        stored then count as duplicates, never twice.
        """
        try:
            return self._transport.send(kind, encoding, body)
        except TooLarge:
            halves = split_body(encoding, body)
            if halves is None:
                raise Rejected("one event is larger than the server's body limit") from None
            parts = [self._send_splitting(kind, encoding, half) for half in halves]
            return Delivery(
                sum(p.stored for p in parts), sum(p.duplicates for p in parts), sum(p.rejected for p in parts)
            )

    def _drain_outbox(self) -> None:
        for parcel in self.outbox.parcels():
            try:
                self._account(self._send_splitting(parcel.kind, parcel.encoding, parcel.read()))
            except Retry as exc:
                self._backoff(exc)
                return
            except Rejected as exc:
                self.stats["rejected_batches"] += 1
                log.error("haechi sdk: stored batch %s rejected: %s", parcel.path.name, exc)
            except FileNotFoundError:
                continue  # delivered by another process meanwhile
            self._remove(parcel)
        self._failures = 0

    def _remove(self, parcel: Parcel) -> None:
        self.outbox.remove(parcel)
        self.stats["delivered_from_outbox"] += 1

    def _spill(self, kind: Kind, encoding: Encoding, body: bytes) -> None:
        self.outbox.put(kind, encoding, body)
        self.stats["spilled"] += 1

    def _backoff(self, exc: Exception) -> None:
        self._failures += 1
        delay = min(self.max_backoff, 0.25 * 2 ** min(self._failures, 16)) * random.uniform(0.5, 1.0)
        self._next_retry = time.monotonic() + delay
        if self._failures == 1:
            log.warning(
                "haechi sdk: cannot deliver to %s (%s); keeping batches in %s", self.system, exc, self.outbox.dir
            )

    def _account(self, delivery: Delivery) -> None:
        self.stats["stored"] += delivery.stored
        self.stats["duplicates"] += delivery.duplicates
        self.stats["rejected_rows"] += delivery.rejected


def _micros(moment: float | dt.datetime) -> int:
    """Epoch microseconds of epoch seconds or a datetime (naive means UTC, as on the server)."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return (moment - EPOCH) // dt.timedelta(microseconds=1)
    return int(moment * 1_000_000)


def _take(queue: collections.deque[Any], limit: int) -> list[Any]:
    """Pop up to ``limit`` items from the left (safe while other threads append)."""
    out = []
    popleft = queue.popleft
    for _ in range(min(limit, len(queue))):
        out.append(popleft())
    return out
