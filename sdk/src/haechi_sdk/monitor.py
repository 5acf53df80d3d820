"""``haechi_sdk.Monitor`` (also ``haechi.sdk.Monitor``): log predictions with one call that never blocks the caller.

``log()`` only appends a tuple to an in-memory queue (a few microseconds). A background
thread batches the queue, encodes each batch as Arrow and sends it — over HTTP to the
Haechi API (``url=``) or straight into a local lake (``path=``). When the receiver is
unreachable the batch is written to an on-disk outbox (fsynced) and retried with
exponential backoff, also by the next process that opens an outbox of the same system,
receiver and credential after this one ended. Remaining events are flushed when the
interpreter exits. Ingestion is idempotent on ``event_id``, so a batch delivered twice
(e.g. the answer was lost) is stored once.

Forked children (gunicorn ``--preload``, Celery, ``multiprocessing`` with fork) get a
sender thread, queues, event ids and an outbox directory of their own: what the child
logs is delivered by the child, what the parent had queued stays the parent's.
"""

from __future__ import annotations

import atexit
import collections
import datetime as dt
import itertools
import logging
import os
import random
import secrets
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from .batches import EPOCH, Event, Label, encode_events, encode_labels, split_body
from .generative import generative_event
from .outbox import Encoding, Kind, Outbox, Parcel, outbox_root
from .transport import Delivery, HttpTransport, Rejected, Retry, TooLarge, Transport, lake_transport

log = logging.getLogger("haechi.sdk")

#: How often a Monitor looks for batches left by processes that have ended.
ADOPT_EVERY_SECONDS = 60.0

__all__ = ["Monitor"]


#: Monitors of this process, re-armed in a forked child (see :func:`_rearm_after_fork`).
_LIVE: weakref.WeakSet[Monitor] = weakref.WeakSet()


def _default_outbox_base() -> Path:
    return Path(os.environ.get("HAECHI_OUTBOX", Path.home() / ".cache" / "haechi" / "outbox"))


class Monitor:
    """Buffered, fail-safe prediction logging for one AI system.

    :param system: the system id in Haechi (e.g. ``"hiring-screener"``).
    :param url: base URL of a Haechi server (``token`` = an API token; defaults:
        ``HAECHI_URL`` and ``HAECHI_TOKEN``), or
    :param path: a Haechi data directory or lake to write to directly (``org`` when the
        lake holds several organisations).
    :param batch_size: events per request; :param flush_interval: seconds between sends.
    :param outbox: directory for undelivered batches (default ``HAECHI_OUTBOX`` or
        ``~/.cache/haechi/outbox``); inside it each system, receiver and credential has
        its own folder, and each process a sub-folder.
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
            self._transport, target, credential = HttpTransport(url, system, token, timeout), url, token
        else:
            lake_path = Path(path)  # type: ignore[arg-type]  # not None: checked above
            self._transport, target = lake_transport(lake_path, system, org), str(lake_path.resolve())
            credential = org
        base = Path(outbox) if outbox else _default_outbox_base()
        self.outbox = Outbox(outbox_root(base, system, target, credential))
        self.batch_size, self.flush_interval, self.max_backoff = batch_size, flush_interval, max_backoff
        # Encode a dummy batch now: pyarrow (when installed) imports some modules lazily, and imports are
        # refused while the interpreter shuts down — exactly when the exit flush runs.
        encode_events([("warm-up", 0, 0, None, None, {"x": 1.0}, {"g": "a"})])
        encode_labels([("warm-up", 0)])
        self._start_sender()
        atexit.register(self.close)
        _LIVE.add(self)

    def _start_sender(self) -> None:
        """Fresh queues, ids, locks and sender thread (at start, and again in a forked child)."""
        self._events: collections.deque[Event] = collections.deque()
        self._labels: collections.deque[Label] = collections.deque()
        self._prefix = secrets.token_hex(8) + "-"
        self._counter = itertools.count()
        self._wake, self._stop = threading.Event(), threading.Event()
        # ``_taken`` counts items the sender popped, ``_settled`` those delivered, spilled to
        # the outbox or rejected: flush() waits until ``_settled`` reaches what was queued.
        self._progress = threading.Condition()
        self._taken = self._settled = self._cycles_begun = self._cycles_done = 0
        self._failures = 0
        self._next_retry = self._next_adoption = 0.0
        #: the batch being sent right now: close() keeps it in the outbox if time runs out
        self._inflight: tuple[Kind, Encoding, bytes] | None = None
        self.stats = {
            "stored": 0,
            "duplicates": 0,
            "rejected_rows": 0,
            "rejected_batches": 0,
            "spilled": 0,
            "delivered_from_outbox": 0,
        }
        self._thread = threading.Thread(target=self._run, name=f"haechi-sdk-{self.system}", daemon=True)
        self._thread.start()

    def _rearm_in_child(self) -> None:
        """In a forked child: the parent's thread, connections and queue are not ours."""
        if self._stop.is_set():
            return  # closed before the fork
        self.outbox = self.outbox.for_child()
        self._transport = self._transport.reopened()
        self._start_sender()
        # multiprocessing ends its children with os._exit(): no atexit, only its finalizers
        # (registered after its own reset of them, hence the after-fork hook).
        mp_util = sys.modules.get("multiprocessing.util")
        if mp_util is not None:
            mp_util.register_after_fork(self, _close_at_child_exit)

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

    def log_generative(self, *, event_id: str | None = None, timestamp: float | dt.datetime | None = None,
                       **fields: Any) -> str:
        """Queue one generated output of a generative AI system and return its event id.

        Fields (all optional): ``model``, ``model_version``, ``language``, ``modality``
        (text, image, audio, video), ``input_text``/``output_text`` (measured and scanned for
        personal data here, then dropped) or ``input_length``/``output_length``,
        ``latency_ms``, ``released`` (default True: the output left the service), ``marks``
        (any of visible, c2pa, text), ``session_id`` (hashed here), the flags
        ``notice_shown``, ``refused``, ``safety_triggered``, ``handed_over``, ``complaint``,
        ``objection``, ``c2pa_verified``, ``realistic``, ``scores`` (name → number),
        ``groups`` (name → value, e.g. channel, segment) and ``store_content`` (keep the
        output with personal data redacted). A wrong value raises ``ValueError`` at once.
        """
        prediction, features, groups = generative_event(**fields)
        return self.log(prediction, features, groups, event_id=event_id, timestamp=timestamp)

    def label(self, event_id: str, label: Any) -> None:
        """Queue the ground truth of an earlier event (it may arrive days later)."""
        self._labels.append((event_id, label))

    def flush(self, timeout: float = 30.0) -> bool:
        """Deliver everything queued before this call and everything in the outbox.

        Retries (with the usual backoff) until it is all delivered — then True — or until
        ``timeout`` seconds have passed — then False, with a warning: whatever could not
        be delivered waits durably in the outbox and is retried later (also by the next
        process). Rejected batches (invalid data) count as done; see ``stats``.
        """
        deadline = time.monotonic() + timeout
        target, cycle = self._queued_so_far(), self._cycles_begun
        self._next_retry = self._next_adoption = 0.0  # now, not at the end of a backoff
        self._wake.set()
        # a whole cycle begun after this call: it takes over what ended processes left
        if self._wait(deadline, lambda: self._cycles_done > cycle and self._settled >= target
                      and not self.outbox.parcels()):
            return True
        log.warning(
            "haechi sdk: flush(%s) timed out for %s; %d batch(es) wait in %s and are retried later",
            timeout, self.system, len(self.outbox), self.outbox.dir,
        )
        return False

    def close(self, timeout: float = 10.0) -> None:
        """Deliver or spill to the outbox everything queued, then stop the thread.

        Unlike :meth:`flush` it does not wait through a receiver's outage: the batches
        are then durable in the outbox, for a later process. What the receiver has not
        taken within ``timeout`` (a slow server, a process that exits) is written to the
        outbox too, the batch in flight included, so nothing queued is dropped.
        """
        if self._stop.is_set():
            return
        deadline = time.monotonic() + timeout
        target = self._queued_so_far()
        self._wake.set()
        settled = self._wait(deadline, lambda: self._settled >= target)
        self._stop.set()
        self._wake.set()
        if not settled:
            self._keep_unsent()
        self._thread.join(max(0.0, deadline - time.monotonic()))
        self._transport.close()
        self.outbox.release()
        atexit.unregister(self.close)

    def _keep_unsent(self) -> None:
        """Spill what is still queued and the batch in flight (which the receiver may still
        store: ingestion is idempotent on ``event_id``, so it is then stored once)."""
        with self._progress:
            labels, events = _take(self._labels, len(self._labels)), _take(self._events, len(self._events))
            self._taken += len(labels) + len(events)
        try:
            inflight = self._inflight
            if inflight is not None:
                self._spill(*inflight)
            for start in range(0, len(labels), self.batch_size):
                self._spill("labels", *encode_labels(labels[start:start + self.batch_size]))
            for start in range(0, len(events), self.batch_size):
                self._spill("events", *encode_events(events[start:start + self.batch_size]))
        finally:
            with self._progress:
                self._settled += len(labels) + len(events)
                self._progress.notify_all()

    def _queued_so_far(self) -> int:
        with self._progress:
            return self._taken + len(self._events) + len(self._labels)

    def _wait(self, deadline: float, done: Any) -> bool:
        """Wait until ``done()`` (checked whenever the sender settles a batch) or the deadline."""
        with self._progress:
            while not done():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return bool(done())
                self._progress.wait(min(remaining, 0.05))
        return True

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pending(self) -> dict[str, int]:
        return {"queued": len(self._events) + len(self._labels), "outbox": len(self.outbox)}

    # --- the background thread ------------------------------------------------
    def _run(self) -> None:
        while True:
            wait = self.flush_interval
            if self._failures:  # wake when the backoff ends, so a waiting flush() retries then
                wait = max(0.0, min(wait, self._next_retry - time.monotonic()))
            self._wake.wait(wait)
            self._wake.clear()
            stopping = self._stop.is_set()
            self._cycles_begun += 1
            try:
                self._cycle(final=stopping)
            except Exception:  # never let the logging thread die silently
                log.exception("haechi sdk: unexpected error while shipping events")
            finally:
                with self._progress:
                    self._cycles_done += 1
                    self._progress.notify_all()
            if stopping:
                return

    def _cycle(self, final: bool) -> None:
        if time.monotonic() >= self._next_adoption:
            # batches of processes that ended (same system, receiver and credential) become ours
            self._next_adoption = time.monotonic() + ADOPT_EVERY_SECONDS
            self.outbox.adopt()
        if time.monotonic() >= self._next_retry:
            self._drain_outbox()
        while True:  # close() may take the rest meanwhile: a pop can come back empty
            labels = self._pop(self._labels)
            if labels:
                self._ship("labels", *encode_labels(labels), count=len(labels))
            events = self._pop(self._events)
            if events:
                self._ship("events", *encode_events(events), count=len(events))
            if not labels and not events:
                break
        if final:
            self._drain_outbox()

    def _pop(self, queue: collections.deque[Any]) -> list[Any]:
        with self._progress:
            items = _take(queue, self.batch_size)
            self._taken += len(items)
        return items

    def _ship(self, kind: Kind, encoding: Encoding, body: bytes, count: int) -> None:
        """Send one fresh batch; on failure (or while backing off) spill it to the outbox."""
        self._inflight = (kind, encoding, body)
        try:
            self._send_or_spill(kind, encoding, body)
        finally:
            self._inflight = None
            with self._progress:
                self._settled += count
                self._progress.notify_all()

    def _send_or_spill(self, kind: Kind, encoding: Encoding, body: bytes) -> None:
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
        except Exception as exc:  # not an answer of the receiver: keep the batch, never drop it
            log.exception("haechi sdk: unexpected error while sending a %s batch of %s", kind, self.system)
            self._backoff(exc)
            self._spill(kind, encoding, body)

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
            except Exception as exc:  # not an answer of the receiver: the batch stays, tried later
                log.exception("haechi sdk: unexpected error while sending stored batch %s", parcel.path.name)
                self._backoff(exc)
                return
            self._remove(parcel)
        self._failures = 0

    def _remove(self, parcel: Parcel) -> None:
        self.outbox.remove(parcel)
        self.stats["delivered_from_outbox"] += 1

    def _spill(self, kind: Kind, encoding: Encoding, body: bytes) -> None:
        self.outbox.put(kind, encoding, body)
        with self._progress:  # close() may spill from the caller's thread meanwhile
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


def _close_at_child_exit(monitor: Monitor) -> None:
    import multiprocessing.util

    multiprocessing.util.Finalize(monitor, monitor.close, exitpriority=100)


def _rearm_after_fork() -> None:
    for monitor in list(_LIVE):
        try:
            monitor._rearm_in_child()
        except Exception:  # a broken SDK must never break the application's fork
            log.exception("haechi sdk: cannot restart the sender in a forked child")


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_rearm_after_fork)


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
