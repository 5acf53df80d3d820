"""Turning queued SDK calls into request bodies (Arrow IPC, or NDJSON as a fallback)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import orjson
import pyarrow as pa

from .outbox import Encoding

#: One queued event: (event_id, epoch µs, prediction, score, label, features, sensitive).
Event = tuple[str, int, Any, Any, Any, "dict[str, Any] | None", "dict[str, Any] | None"]
#: One queued label: (event_id, label).
Label = tuple[str, Any]

TS = pa.timestamp("us", tz="UTC")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


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


def events_table(rows: list[Event]) -> pa.Table:
    """Columns of an events batch; raises ``pa.ArrowException`` on mixed value types."""
    ids, stamps, predictions, scores, labels, _, _ = zip(*rows, strict=True)
    columns: dict[str, Any] = {
        "event_id": pa.array(ids, pa.string()),
        "timestamp": pa.array(stamps, pa.int64()).cast(TS),
        "prediction": pa.array(predictions),
        "score": pa.array(scores, pa.float64()),
        "label": pa.array(labels),
    }
    for prefix, position in (("features", 5), ("sensitive", 6)):
        for name, values in _group_columns(rows, position, prefix).items():
            columns[name] = pa.array(values)
    return pa.table(columns)


def arrow_body(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


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


def encode_events(rows: list[Event]) -> tuple[Encoding, bytes]:
    """Arrow when every column has one type, else NDJSON (the server then names bad rows)."""
    try:
        return "arrow", arrow_body(events_table(rows))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return "ndjson", b"\n".join(orjson.dumps(_event_json(r), default=str) for r in rows)


def encode_labels(rows: list[Label]) -> tuple[Encoding, bytes]:
    try:
        ids, labels = zip(*rows, strict=True)
        return "arrow", arrow_body(pa.table({"event_id": pa.array(ids, pa.string()), "label": pa.array(labels)}))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return "ndjson", b"\n".join(orjson.dumps({"event_id": i, "label": v}, default=str) for i, v in rows)


def split_body(encoding: Encoding, body: bytes) -> list[bytes] | None:
    """Two halves of a batch (for a server that found it too large), or ``None`` for one row."""
    if encoding == "ndjson":
        lines = [line for line in body.split(b"\n") if line.strip()]
        if len(lines) < 2:
            return None
        middle = len(lines) // 2
        return [b"\n".join(lines[:middle]), b"\n".join(lines[middle:])]
    table = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
    if table.num_rows < 2:
        return None
    middle = table.num_rows // 2
    return [arrow_body(table.slice(0, middle)), arrow_body(table.slice(middle))]
