"""The decoded size of an Arrow IPC body, read from its message headers before decoding.

Arrow IPC may compress every buffer (LZ4/ZSTD): a body of a few megabytes can hold
batches that decode to gigabytes, and ``read_all`` would decode them all at once. Each
record batch header (a flatbuffer) lists its row count and buffers, and each
compressed buffer starts with its uncompressed length, so the decoded size is known
exactly without decompressing anything. Only the few flatbuffer fields needed are read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pyarrow as pa

_SCHEMA, _DICTIONARY, _RECORD_BATCH = 1, 2, 3


class _Table:
    """A flatbuffer table: field ``i``'s position from the vtable (``None`` if absent)."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos
        self.vtable = pos - struct.unpack_from("<i", data, pos)[0]
        self.vsize = struct.unpack_from("<H", data, self.vtable)[0]

    def field(self, index: int) -> int | None:
        entry = 4 + 2 * index
        if entry >= self.vsize:
            return None
        offset = struct.unpack_from("<H", self.data, self.vtable + entry)[0]
        return self.pos + offset if offset else None

    def scalar(self, index: int, fmt: str, default: int = 0) -> int:
        at = self.field(index)
        return int(struct.unpack_from(fmt, self.data, at)[0]) if at is not None else default

    def table(self, index: int) -> _Table | None:
        at = self.field(index)
        return _Table(self.data, at + struct.unpack_from("<I", self.data, at)[0]) if at is not None else None

    def structs(self, index: int, size: int) -> Iterator[int]:
        """Positions of the fixed-size structs of a vector field."""
        at = self.field(index)
        if at is None:
            return
        start = at + struct.unpack_from("<I", self.data, at)[0]
        count = struct.unpack_from("<I", self.data, start)[0]
        for i in range(count):
            yield start + 4 + i * size


def decoded_size(body: bytes, file_format: bool) -> tuple[int, int]:
    """``(rows, bytes)`` an IPC stream or file decodes to; raises ``pa.ArrowInvalid`` or
    ``struct.error`` for bodies that are not IPC."""
    buffer = pa.py_buffer(body)
    if file_format:  # "ARROW1" and padding, then the stream of messages (the footer is after it)
        buffer = buffer.slice(8)
    rows = total = 0
    for message in pa.ipc.MessageReader.open_stream(buffer):
        metadata = message.metadata.to_pybytes()
        root = _Table(metadata, struct.unpack_from("<I", metadata, 0)[0])
        kind = root.scalar(1, "<B")
        header = root.table(2)
        if kind == _DICTIONARY and header is not None:
            header = header.table(1)  # DictionaryBatch.data
        elif kind != _RECORD_BATCH:
            continue
        if header is None:
            continue
        if kind == _RECORD_BATCH:
            rows += header.scalar(0, "<q")
        total += _batch_bytes(header, message.body.to_pybytes() if message.body is not None else b"")
    return rows, total


def _batch_bytes(batch: _Table, body: bytes) -> int:
    compressed = batch.field(3) is not None  # RecordBatch.compression
    size = 0
    for at in batch.structs(2, 16):  # RecordBatch.buffers: struct Buffer {offset: long; length: long}
        offset, length = struct.unpack_from("<qq", batch.data, at)
        if compressed and length >= 8:
            declared = struct.unpack_from("<q", body, offset)[0]
            size += length - 8 if declared == -1 else declared  # -1: stored uncompressed
        else:
            size += length
    return size
