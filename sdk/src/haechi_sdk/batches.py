"""Turning queued SDK calls into request bodies: NDJSON, or Arrow IPC where pyarrow is at hand.

The SDK has no dependencies, so its own encoding is NDJSON written with the standard
library. When the serving image happens to have pyarrow (and the batch has one type per
column) the body is an Arrow stream instead, which the server decodes faster. Either is
accepted by ``/api/v1/systems/{id}/events`` and ``/labels``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from typing import Any

from .outbox import Encoding

try:  # optional: never required, used when the image already has it
    import pyarrow as pa
except ImportError:  # pragma: no cover - exercised in the SDK-only venv test
    pa = None

#: One queued event: (event_id, epoch µs, prediction, score, label, features, sensitive).
Event = tuple[str, int, Any, Any, Any, "dict[str, Any] | None", "dict[str, Any] | None"]
#: One queued label: (event_id, label).
Label = tuple[str, Any]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- NDJSON (standard library) ---------------------------------------------------
def _plain(value: Any) -> Any:
    """JSON has no NaN or infinity: a missing number is sent as null, like Arrow's null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _dumps(row: dict[str, Any]) -> bytes:
    return json.dumps(_plain(row), ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _event_json(row: Event) -> dict[str, Any]:
    event_id, micros, prediction, score, label, features, sensitive = row
    moment = EPOCH + dt.timedelta(microseconds=micros)
    return {
        "event_id": event_id,
        "timestamp": moment.isoformat(),
        "prediction": prediction,
        "score": score,
        "label": label,
        "features": features,
        "sensitive": sensitive,
    }


def ndjson_events(rows: list[Event]) -> bytes:
    return b"\n".join(_dumps(_event_json(r)) for r in rows)


def ndjson_labels(rows: list[Label]) -> bytes:
    return b"\n".join(_dumps({"event_id": i, "label": v}) for i, v in rows)


# --- Arrow (when pyarrow is installed) ---------------------------------------------
def _group_columns(rows: list[Event], position: int, prefix: str) -> dict[str, list[Any]]:
    """Flat ``<prefix>.<name>`` columns from the per-row dicts (absent names are null)."""
    columns: dict[str, list[Any]] = {}
    n = len(rows)
    for i, row in enumerate(rows):
        values: dict[str, Any] | None = row[position]  # type: ignore[assignment]
        if not values:
            continue
        for name, value in values.items():
            column = columns.get(name)
            if column is None:
                column = columns[name] = [None] * n
            column[i] = value
    return {f"{prefix}.{name}": values for name, values in columns.items()}


def _events_table(rows: list[Event]) -> Any:
    """Columns of an events batch; raises ``pa.ArrowException`` on mixed value types."""
    assert pa is not None
    ids, stamps, predictions, scores, labels, _, _ = zip(*rows, strict=True)
    columns: dict[str, Any] = {
        "event_id": pa.array(ids, pa.string()),
        "timestamp": pa.array(stamps, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "prediction": pa.array(predictions),
        "score": pa.array(scores, pa.float64()),
        "label": pa.array(labels),
    }
    for prefix, position in (("features", 5), ("sensitive", 6)):
        for name, values in _group_columns(rows, position, prefix).items():
            columns[name] = pa.array(values)
    return pa.table(columns)


def _arrow_body(table: Any) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _arrow_fails() -> tuple[type[BaseException], ...]:
    return (pa.ArrowException, TypeError, ValueError, OverflowError) if pa is not None else ()


# --- what the sender calls ------------------------------------------------------------
def encode_events(rows: list[Event]) -> tuple[Encoding, bytes]:
    """Arrow when pyarrow is installed and every column has one type, else NDJSON (the
    server then names bad rows)."""
    if pa is not None:
        try:
            return "arrow", _arrow_body(_events_table(rows))
        except _arrow_fails():
            pass
    return "ndjson", ndjson_events(rows)


def encode_labels(rows: list[Label]) -> tuple[Encoding, bytes]:
    if pa is not None:
        try:
            ids, labels = zip(*rows, strict=True)
            table = pa.table({"event_id": pa.array(ids, pa.string()), "label": pa.array(labels)})
            return "arrow", _arrow_body(table)
        except _arrow_fails():
            pass
    return "ndjson", ndjson_labels(rows)


def split_body(encoding: Encoding, body: bytes) -> list[bytes] | None:
    """Two halves of a batch (for a server that found it too large), or ``None`` for one row."""
    if encoding == "ndjson":
        lines = [line for line in body.split(b"\n") if line.strip()]
        if len(lines) < 2:
            return None
        middle = len(lines) // 2
        return [b"\n".join(lines[:middle]), b"\n".join(lines[middle:])]
    if pa is None:  # an Arrow batch left in the outbox by a process that had pyarrow
        raise ValueError("this Arrow batch can only be split where pyarrow is installed")
    table = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
    if table.num_rows < 2:
        return None
    middle = table.num_rows // 2
    return [_arrow_body(table.slice(0, middle)), _arrow_body(table.slice(middle))]
