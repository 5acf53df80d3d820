"""Crash safety: SIGKILL a real server while it ingests, restart, and count every event.

Every batch the server acknowledged must be stored exactly once; batches in flight at the
kill may or may not be stored, but never half; re-sending everything afterwards (what a
client does after a failure) must leave each event exactly once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import orjson
import pyarrow.parquet as pq
import pytest
from server_helpers import Server, prepare_home

from haechi.monitor.lake import Lake

SYSTEM = "press-defect-vision"
BATCHES, SIZE = 200, 200


def _batch(b: int) -> bytes:
    rows = [
        {
            "event_id": f"b{b}-{i}",
            "timestamp": f"2026-03-0{1 + (b + i) % 3}T{i % 24:02d}:00:00Z",
            "prediction": (b + i) % 2,
            "score": 0.5,
            "features": {"lux": float(i)},
            "sensitive": {"line": "press-2"},
        }
        for i in range(SIZE)
    ]
    return orjson.dumps(rows)


def _sender(url: str, token: str, batches: list[int], acked: list[int], stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(timeout=30) as client:
        for b in batches:
            if stop.is_set():
                return
            try:
                response = client.post(f"{url}/api/v1/systems/{SYSTEM}/events", content=_batch(b), headers=headers)
            except httpx.HTTPError:
                return  # the server died under us
            if response.status_code == 200:
                acked.append(b)


def _stored_ids(home: Path) -> list[str]:
    sl = Lake(home / "lake").system("acme", SYSTEM)
    return sl.source().arrow().column("event_id").to_pylist()


@pytest.mark.slow
def test_sigkill_during_ingestion_loses_no_acknowledged_event(tmp_path: Path) -> None:
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home).start()
    acked: list[int] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_sender, args=(server.url, token, list(range(k, BATCHES, 2)), acked, stop))
        for k in (0, 1)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while len(acked) < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # mid-way: both senders have a request in flight
    stop.set()
    for thread in threads:
        thread.join(60)
    assert 30 <= len(acked) < BATCHES, "the kill must land in the middle of the ingestion"

    # Nothing half-written: every visible file reads in full; leftovers are only *.tmp.
    for path in (home / "lake").rglob("*.parquet"):
        pq.read_table(path)
    server = Server(home).start()  # restart on the same data
    try:
        ids = _stored_ids(home)
        assert len(ids) == len(set(ids)), "an event was stored twice"
        stored = set(ids)
        for b in acked:
            assert all(f"b{b}-{i}" in stored for i in range(SIZE)), f"acknowledged batch {b} lost"
        in_flight = {i.split("-")[0] for i in stored} - {f"b{b}" for b in acked}
        for prefix in in_flight:  # a batch not acknowledged is all there or not at all
            assert sum(1 for i in stored if i.startswith(prefix + "-")) == SIZE

        # The client re-sends everything it is not sure about: each event ends up once.
        _sender(server.url, token, list(range(BATCHES)), [], threading.Event())
        ids = _stored_ids(home)
        assert len(ids) == len(set(ids)) == BATCHES * SIZE
    finally:
        server.stop()
