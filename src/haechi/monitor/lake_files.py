"""Crash-safe file primitives of the log lake.

Every file the lake exposes is written to a temporary name, fsynced, renamed into place
and followed by an fsync of its directory: after a crash a reader sees either the whole
file or nothing, never half of one. One writer per system at a time is guaranteed by an
advisory ``flock`` (between processes) plus a thread lock (between threads of a process).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TMP_SUFFIX = ".tmp"

_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def new_part_name(prefix: str = "part") -> str:
    """A unique, time-ordered file name such as ``part-20260105T101500123456-1a2b3c4d.parquet``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{prefix}-{stamp}-{uuid.uuid4().hex[:8]}.parquet"


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make renames and deletions inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(path: Path) -> None:
    """Create ``path`` (and parents) durably: each new entry is fsynced in its parent."""
    if path.is_dir():
        return
    ensure_dir(path.parent)
    try:
        path.mkdir()
    except FileExistsError:
        return
    fsync_dir(path.parent)


def write_parquet_temp(table: pa.Table, final: Path) -> Path:
    """Write ``table`` next to ``final`` under a temporary name and fsync it.

    Fresh batch files are write-optimised (LZ4, no dictionary pages: about twice as fast
    to write); compaction later rewrites each day read-optimised (zstd, dictionaries).
    The caller renames the file with :func:`publish` (possibly after a journal entry).
    """
    ensure_dir(final.parent)
    tmp = final.with_name(final.name + TMP_SUFFIX)
    encoded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    # No stored Arrow schema: every file then reads back as plain string/double/timestamp.
    pq.write_table(table, tmp, compression="lz4", use_dictionary=encoded, write_page_index=False,
                   store_schema=False)
    fsync_file(tmp)
    return tmp


def publish(tmp: Path, final: Path) -> None:
    """Atomically move a fsynced temporary file to its final name and persist the rename."""
    os.replace(tmp, final)
    fsync_dir(final.parent)


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically and durably."""
    ensure_dir(path.parent)
    tmp = path.with_name(path.name + TMP_SUFFIX)
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, sort_keys=True, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    publish(tmp, path)


def read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def remove_durably(paths: list[Path]) -> None:
    """Delete files (missing ones are fine) and fsync each directory touched once."""
    dirs = set()
    for path in paths:
        try:
            path.unlink()
            dirs.add(path.parent)
        except FileNotFoundError:
            continue
    for directory in dirs:
        fsync_dir(directory)


def _thread_lock(key: str) -> threading.Lock:
    with _thread_locks_guard:
        return _thread_locks.setdefault(key, threading.Lock())


@contextmanager
def system_lock(system_dir: Path) -> Iterator[None]:
    """Hold the single-writer lock of one system (threads and processes alike)."""
    ensure_dir(system_dir)
    lock_path = system_dir / ".lock"
    with _thread_lock(str(lock_path)):
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
