"""Text must be UTF-8 before it reaches the lake.

JSON text is UTF-8 by definition and Arrow/Parquet string columns promise it, but
neither Arrow's JSON reader nor its IPC and Parquet readers check every byte. A value
with broken bytes stored in the lake makes DuckDB refuse the whole file later — and
with it every monitor run of the system — so ingestion checks here and refuses the
batch with a 422 naming the line or row and the column.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from haechi.domain.errors import Issue, ValidationFailed

FIX = "send text as UTF-8 (re-encode the source, e.g. from CP949/EUC-KR, before sending)"
FIX_KO = "텍스트를 UTF-8로 보내세요 (CP949/EUC-KR 등은 먼저 UTF-8로 변환)"


def refuse_invalid_utf8_body(body: bytes, what: str) -> None:
    """Refuse a JSON/NDJSON body that is not UTF-8, naming the line and column."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = body[exc.start:exc.start + 1].hex()
        raise ValidationFailed(
            f"the {what} body is not UTF-8: byte 0x{byte} at line {line} column {column}",
            issues=[Issue("body", f"invalid UTF-8 byte 0x{byte} at column {column}", FIX, line)],
            key="monitor.body_not_utf_byte",
            values={"what": what, "line": line, "column": column, "fix_ko": FIX_KO}) from None


def refuse_invalid_text(columns: dict[str, Any], source: str = "body") -> None:
    """Refuse string columns holding bytes that are not UTF-8 (``name → Array/ChunkedArray``)."""
    for name, column in columns.items():
        row = first_invalid_row(column)
        if row is not None:
            raise ValidationFailed(
                f"{source}: row {row + 1}, column '{name}' is not UTF-8 text",
                issues=[Issue(f"[{row + 1}].{name}", "invalid UTF-8 bytes", FIX, row + 1)],
                key="monitor.row_column_not_utf",
                values={"source": source, "value": row + 1, "name": name, "fix_ko": FIX_KO})


def first_invalid_row(column: Any) -> int | None:
    """Index of the first value that is not UTF-8, or ``None`` (also for non-text columns)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    offset = 0
    for chunk in chunks:
        if not isinstance(chunk, pa.Array):
            return None
        text = _as_text(chunk)
        if text is not None:
            try:
                text.validate(full=True)
            except pa.ArrowInvalid:
                return offset + _locate(text)
        offset += len(chunk)
    return None


def _as_text(chunk: pa.Array) -> pa.Array | None:
    kind = chunk.type
    if pa.types.is_dictionary(kind):
        chunk = chunk.dictionary_decode()
        kind = chunk.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return chunk
    return None


def _locate(text: pa.Array) -> int:
    raw = text.view(pa.large_binary() if pa.types.is_large_string(text.type) else pa.binary())
    for index, value in enumerate(raw.to_pylist()):
        if value is None:
            continue
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return index
    return 0
