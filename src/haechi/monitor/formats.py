"""Decoding event and label batches: JSON array, NDJSON, Arrow IPC stream, Parquet, CSV.

Every decoder returns a :class:`RawBatch` — columns not yet validated, in the order the
rows were sent — or raises :class:`ValidationFailed`/:class:`BadRequest` naming the line,
column or byte where the input is broken and how to fix it.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
import pyarrow.parquet as pq

from haechi.domain.errors import BadRequest, Issue, PayloadTooLarge, ValidationFailed
from haechi.domain.limits import (
    MAX_PARQUET_INFLATED,
    MAX_PARQUET_ROWS,
    refuse_deep_json,
    refuse_large_parquet,
    too_large,
)

from .ingest_convert import Column
from .text_check import refuse_invalid_text, refuse_invalid_utf8_body

EVENT_KEYS = ("event_id", "timestamp", "prediction", "score", "label")
LABEL_KEYS = ("event_id", "label")
GROUPS = ("features", "sensitive")

JSON_TYPES = {"application/json"}
NDJSON_TYPES = {
    "application/x-ndjson",
    "application/jsonl",
    "application/ndjson",
    "application/jsonlines",
    "application/x-jsonlines",
}
ARROW_TYPES = {"application/vnd.apache.arrow.stream", "application/vnd.apache.arrow.file"}
PARQUET_TYPES = {"application/vnd.apache.parquet", "application/x-parquet", "application/parquet"}
SUPPORTED = sorted(JSON_TYPES | NDJSON_TYPES | ARROW_TYPES | PARQUET_TYPES)


class UnsupportedMediaType(BadRequest):
    code = "unsupported_media_type"
    status = 415


@dataclass
class RawBatch:
    """Decoded columns of ``n`` rows; ``errors`` holds rows already known to be bad."""

    n: int
    core: dict[str, Column] = field(default_factory=dict)
    features: dict[str, Column] = field(default_factory=dict)
    sensitive: dict[str, Column] = field(default_factory=dict)
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)  # row -> (field, reason)


def inflate(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """Undo ``Content-Encoding: gzip`` (or ``identity``), refusing output over ``limit`` bytes."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding == "identity":
        return body
    if encoding not in ("gzip", "x-gzip"):
        raise UnsupportedMediaType(
            f"unsupported Content-Encoding {encoding!r}; send gzip or nothing",
            key="monitor.unsupported_content_encoding_send", values={"encoding": encoding},
        )
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise BadRequest(f"the body is not valid gzip: {exc}", key="monitor.body_not_valid_gzip") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise PayloadTooLarge(
            f"the body inflates to more than {limit // (1024 * 1024)} MB; send smaller batches",
            key="monitor.body_inflates_more_than", values={"limit": limit // (1024 * 1024)},
        )
    return out


def decode(body: bytes, content_type: str | None, labels: bool = False) -> RawBatch:
    """Decode an HTTP body by its media type (parameters such as charset are ignored)."""
    media = (content_type or "").split(";")[0].strip().lower()
    keys = LABEL_KEYS if labels else EVENT_KEYS
    if media in JSON_TYPES or media in NDJSON_TYPES:
        refuse_deep_json(body)  # before Arrow's C++ reader, which crashes on deep nesting
        refuse_invalid_utf8_body(body, "JSON" if media in JSON_TYPES else "NDJSON")  # Arrow's reader keeps bad bytes
    if media in JSON_TYPES:
        return _fast_json(_array_to_lines(body), keys, labels) or from_rows(_json_array(body), keys, labels)
    if media in NDJSON_TYPES:
        return _fast_json(body, keys, labels) or from_rows(_ndjson(body), keys, labels)
    if media in ARROW_TYPES:
        return from_table(_arrow(body, media), keys, labels)
    if media in PARQUET_TYPES:
        return from_table(_parquet(body), keys, labels)
    raise UnsupportedMediaType(
        f"unsupported Content-Type {media or '(none)'!r}; use one of: {', '.join(SUPPORTED)}",
        key="monitor.unsupported_content_type_use",
        values={"media": media or "없음", "supported": ", ".join(SUPPORTED)},
    )


_OBJECT_GAP = re.compile(rb"}\s*,\s*{")


def _array_to_lines(body: bytes) -> bytes | None:
    """A compact JSON array of objects as one object per line, or ``None`` if not one.

    The split is textual; a ``},{`` inside a string value becomes a raw newline inside
    that string, which the line parser rejects, so such bodies take the exact path.
    """
    text = body.strip()
    if len(text) < 2 or text[:1] != b"[" or text[-1:] != b"]":
        return None
    return _OBJECT_GAP.sub(b"}\n{", text[1:-1])


def _fast_json(lines: bytes | None, keys: tuple[str, ...], labels: bool) -> RawBatch | None:
    """Columns straight from Arrow's C++ JSON reader; ``None`` sends the body down the exact
    row-by-row path (mixed types, odd shapes, syntax errors), which names every bad row."""
    if not lines or not lines.strip():
        return None
    try:
        table = pajson.read_json(io.BytesIO(lines), read_options=pajson.ReadOptions(block_size=1 << 22))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None
    allowed = set(keys) if labels else set(keys) | set(GROUPS)
    for field_ in table.schema:
        nested_ok = field_.name in GROUPS and pa.types.is_struct(field_.type) and not labels
        if field_.name not in allowed or (pa.types.is_nested(field_.type) and not nested_ok):
            return None
        if nested_ok and any(pa.types.is_nested(child.type) for child in field_.type):
            return None
    return from_table(table, keys, labels)


def _json_error(exc: orjson.JSONDecodeError, what: str, line: int | None = None) -> BadRequest:
    where = f"line {line}" if line is not None else f"line {exc.lineno} column {exc.colno}"
    return BadRequest(
        f"malformed {what} at {where}: {exc.msg}",
        key="monitor.malformed_at", values={"what": what, "where": where, "msg": exc.msg},
        issues=[
            Issue(
                "body",
                exc.msg,
                "send valid JSON (check commas, quotes and brackets)",
                line if line is not None else exc.lineno,
            )
        ],
    )


def _json_array(body: bytes) -> list[Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _json_error(exc, "JSON") from None
    if isinstance(data, dict):
        return [data]  # one event sent on its own
    if not isinstance(data, list):
        raise BadRequest(
            "the JSON body must be an array of objects (or one object)",
            key="monitor.json_body_must_array",
        )
    return data


def _ndjson(body: bytes) -> list[Any]:
    rows = []
    for number, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            rows.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            raise _json_error(exc, "NDJSON", number) from None
    return rows


def from_rows(rows: list[Any], keys: tuple[str, ...], labels: bool = False) -> RawBatch:
    """Columns from JSON objects; keys other than the known ones are a request error."""
    n = len(rows)
    batch = RawBatch(n)
    core: dict[str, list[Any]] = {k: [None] * n for k in keys}
    allowed = frozenset(keys) if labels else frozenset(keys + GROUPS)
    groups: dict[str, dict[str, list[Any]]] = {"features": {}, "sensitive": {}}
    for i, row in enumerate(rows):
        if type(row) is not dict:
            batch.errors[i] = ("row", f"each row must be a JSON object, got {type(row).__name__}")
            continue
        if not row.keys() <= allowed:
            _unknown_keys(sorted(set(row) - allowed), i, labels)
        for key in keys:
            core[key][i] = row.get(key)
        if not labels:
            _spread_groups(row, i, n, groups, batch)
    batch.core = dict(core)
    batch.features = dict(groups["features"])
    batch.sensitive = dict(groups["sensitive"])
    return batch


def _spread_groups(
    row: dict[str, Any], i: int, n: int, groups: dict[str, dict[str, list[Any]]], batch: RawBatch
) -> None:
    for group in GROUPS:
        values = row.get(group)
        if values is None:
            continue
        if type(values) is not dict:
            batch.errors[i] = (group, f"'{group}' must be an object of name: value")
            continue
        columns = groups[group]
        for name, value in values.items():
            column = columns.get(name)
            if column is None:
                column = columns[name] = [None] * n
            column[i] = value


def _unknown_keys(unknown: list[str], i: int, labels: bool) -> None:
    fix = (
        "send only event_id and label"
        if labels
        else "put model inputs under 'features' and protected attributes under 'sensitive'"
    )
    raise ValidationFailed(
        f"unknown field(s) {', '.join(unknown)} in row {i + 1}",
        key="monitor.unknown_field_row", values={"value": i + 1, "unknown": ", ".join(unknown)},
        issues=[Issue(f"[{i + 1}].{name}", "unknown field", fix) for name in unknown],
    )


def _arrow(body: bytes, media: str) -> pa.Table:
    _refuse_large_ipc(body, media)
    try:
        if media.endswith(".file"):
            return pa.ipc.open_file(pa.py_buffer(body)).read_all()
        return pa.ipc.open_stream(pa.py_buffer(body)).read_all()
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadRequest(
            f"the body is not a readable Arrow IPC {media.rsplit('.', 1)[-1]}: {exc}",
            key="monitor.body_not_readable_arrow",
        ) from None


def _refuse_large_ipc(body: bytes, media: str) -> None:
    """Refuse an IPC body whose headers declare more rows or decoded bytes than the limits
    (compressed buffers can decode a thousandfold); broken bodies are left to the reader."""
    from .ipc_guard import decoded_size

    try:
        rows, size = decoded_size(body, media.endswith(".file"))
    except (pa.ArrowInvalid, OSError, struct.error, IndexError):
        return
    fix = "send smaller batches"
    if rows > MAX_PARQUET_ROWS:
        raise too_large(f"body: {rows:,} rows", f"본문: {rows:,}행", f"{MAX_PARQUET_ROWS:,} rows", fix)
    if size > MAX_PARQUET_INFLATED:
        raise too_large(f"body: {size // (1024 * 1024):,} MB decoded", "본문: 압축 해제 크기",
                        f"{MAX_PARQUET_INFLATED // (1024 * 1024):,} MB decoded", fix)


def _parquet(body: bytes) -> pa.Table:
    try:
        file = pq.ParquetFile(io.BytesIO(body))
        refuse_large_parquet(file.metadata, "body")
        return file.read()
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadRequest(
            f"the body is not a readable Parquet file: {exc}",
            key="monitor.body_not_readable_parquet",
        ) from None


def from_table(table: pa.Table, keys: tuple[str, ...], labels: bool = False, source: str = "body") -> RawBatch:
    """Columns from a table: core columns by name, ``features``/``sensitive`` as struct
    columns or flat ``features.<name>`` / ``sensitive.<name>`` columns."""
    batch = RawBatch(table.num_rows)
    unknown = []
    for name in table.column_names:
        column = table.column(name)
        group, _, child = name.partition(".")
        if name in keys:
            batch.core[name] = column
        elif not labels and name in GROUPS and pa.types.is_struct(column.type):
            target = batch.features if name == "features" else batch.sensitive
            for index, sub in enumerate(column.type):
                target[sub.name] = pc.struct_field(column, [index])
        elif not labels and group in GROUPS and child:
            (batch.features if group == "features" else batch.sensitive)[child] = column
        else:
            unknown.append(name)
    if unknown:
        _unknown_columns(unknown, keys, labels, source)
    refuse_invalid_text({**batch.core, **{f"features.{k}": v for k, v in batch.features.items()},
                         **{f"sensitive.{k}": v for k, v in batch.sensitive.items()}}, source)
    return batch


def _unknown_columns(unknown: list[str], keys: tuple[str, ...], labels: bool, source: str) -> None:
    fix = (
        f"labels have the columns {', '.join(keys)}"
        if labels
        else "name inputs features.<name> and protected attributes sensitive.<name> "
        "(or send struct columns 'features' and 'sensitive'), or map them with --map"
    )
    raise ValidationFailed(
        f"unknown column(s) in {source}: {', '.join(unknown)}",
        key="monitor.unknown_column", values={"source": source, "unknown": ", ".join(unknown)},
        issues=[Issue(name, "unknown column", fix, file=None if source == "body" else source) for name in unknown],
    )
