"""Hostile event bodies against a real server: one request must never kill or bloat it.

A segfault would only show as a dead child process, so the nesting case runs against
``uvicorn`` in a subprocess and asks the same server for its health afterwards.
"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from server_helpers import Server, prepare_home

from haechi.domain.limits import MAX_NESTING, MAX_PARQUET_ROWS, json_depth_exceeds

SYSTEM = "press-defect-vision"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("bombs") / "home"
    token = prepare_home(home, SYSTEM)
    running = Server(home).start()
    try:
        yield running, {"Authorization": f"Bearer {token}"}
    finally:
        running.stop()


def _post(server: Server, headers: dict[str, str], body: bytes, media: str) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/systems/{SYSTEM}/events", content=body,
                      headers={**headers, "Content-Type": media}, timeout=60)


def _alive(server: Server) -> None:
    assert server.proc is not None and server.proc.poll() is None, "the server process died"
    assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize("media", ["application/json", "application/x-ndjson"])
def test_deeply_nested_event_is_refused_and_the_server_lives(server, media: str) -> None:  # type: ignore[no-untyped-def]
    running, headers = server
    depth = 60_000  # ~120 KB: enough to crash Arrow's JSON reader
    event = b'{"event_id":"a","features":{"x":' + b"[" * depth + b"]" * depth + b"}}"
    body = b"[" + event + b"]" if media == "application/json" else event + b"\n"
    response = _post(running, headers, body, media)
    _alive(running)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "nested" in error["message"] and error["message_ko"]
    ok = _post(running, headers, orjson.dumps([{"event_id": "fine", "timestamp": "2026-03-01T00:00:00Z",
                                                "prediction": 1}]), "application/json")
    assert ok.status_code == 200, ok.text


def test_parquet_body_that_inflates_to_millions_of_rows_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    running, headers = server
    rows = MAX_PARQUET_ROWS + 1
    table = pa.table({"event_id": pa.array(["e"] * 1, pa.string()).take(pa.array([0] * rows)),
                      "prediction": pa.nulls(rows, pa.int64())})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    body = sink.getvalue()
    assert len(body) < 256 * 1024  # a small file that claims millions of rows
    response = _post(running, headers, body, "application/vnd.apache.parquet")
    _alive(running)
    assert response.status_code == 413, response.text
    assert "rows" in response.json()["error"]["message"]


def test_depth_check_ignores_brackets_inside_strings() -> None:
    flat = orjson.dumps([{"event_id": "[[[[{{{{" * 100, "features": {"q": '"\\"[[[' * 50}}] * 200)
    assert not json_depth_exceeds(flat)
    nested = b"[" * (MAX_NESTING + 1) + b"]" * (MAX_NESTING + 1)
    assert json_depth_exceeds(nested)
    assert not json_depth_exceeds(b"[" * MAX_NESTING + b"]" * MAX_NESTING)


def test_depth_check_is_cheap_on_a_large_flat_body(tmp_path: Path) -> None:
    import time

    body = orjson.dumps([{"event_id": f"e{i}", "features": {"a": i, "b": "x"}, "sensitive": {"s": "k"}}
                         for i in range(200_000)])
    start = time.perf_counter()
    assert not json_depth_exceeds(body)
    assert time.perf_counter() - start < 1.0


def test_compressed_arrow_body_that_decodes_past_the_limit_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    running, headers = server
    rows = MAX_PARQUET_ROWS + 1
    table = pa.table({"event_id": pa.array(["e"]).take(pa.array([0] * rows)),
                      "prediction": pa.array([0] * rows, pa.int64())})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table, max_chunksize=rows)
    body = sink.getvalue().to_pybytes()
    response = _post(running, headers, body, "application/vnd.apache.arrow.stream")
    _alive(running)
    assert response.status_code == 413, response.text
    assert "rows" in response.json()["error"]["message"]


def test_decoded_size_of_arrow_bodies_matches_what_arrow_decodes() -> None:
    from haechi.monitor.ipc_guard import decoded_size

    table = pa.table({"event_id": [f"e{i}" for i in range(5000)], "prediction": [i % 2 for i in range(5000)],
                      "kind": pa.array(["a", "b"] * 2500).dictionary_encode()})
    for compression in (None, "zstd", "lz4"):
        for file_format in (False, True):
            sink = pa.BufferOutputStream()
            options = pa.ipc.IpcWriteOptions(compression=compression)
            make = pa.ipc.new_file if file_format else pa.ipc.new_stream
            with make(sink, table.schema, options=options) as writer:
                writer.write_table(table, max_chunksize=2000)
            rows, size = decoded_size(sink.getvalue().to_pybytes(), file_format)
            assert rows == 5000 and size >= table.nbytes
