"""Write-time duplicate detection on ``event_id``.

For each day partition the writer keeps, in memory, the sorted 64-bit DuckDB hashes of
the event ids stored there. A new batch is hashed the same way (vectorised) and looked
up with ``searchsorted``; only hash hits are confirmed against the real ids read back
from Parquet, so a collision can never drop a distinct event. The cache follows the
directory listing, so batches written by other processes are seen too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

_local = threading.local()


def connection() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection private to the calling thread (connections are not thread-safe)."""
    con = getattr(_local, "con", None)
    if con is None:
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        _local.con = con
    return con


def sql_list(paths: list[str]) -> str:
    """A DuckDB list literal of file paths, quotes escaped."""
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def hash_ids(ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """DuckDB ``hash()`` of each id, as ``uint64`` (same function as for stored files)."""
    con = connection()
    con.register("_ids", pa.table({"event_id": ids}))
    try:
        result = con.execute("SELECT hash(event_id) AS h FROM _ids").fetchnumpy()["h"]
    finally:
        con.unregister("_ids")
    return np.asarray(result, dtype=np.uint64)


def _relation(con: duckdb.DuckDBPyConnection, files: list[str]) -> str:
    """The relation of ``files``: local Parquet files, or the objects of a lake on object storage."""
    from .object_store import SCHEME, attach, event_ids

    if files[0].startswith(SCHEME):
        name = event_ids(files)
        attach(con)
        return name
    return f"read_parquet({sql_list(files)}, union_by_name=true)"


def hash_files(files: list[str]) -> np.ndarray:
    if not files:
        return np.empty(0, dtype=np.uint64)
    con = connection()
    query = f"SELECT hash(event_id) AS h FROM {_relation(con, files)}"
    return np.asarray(con.execute(query).fetchnumpy()["h"], dtype=np.uint64)


def ids_present(files: list[str], candidates: list[str]) -> set[str]:
    """The subset of ``candidates`` that really occurs in ``files`` (exact comparison)."""
    if not files or not candidates:
        return set()
    con = connection()
    con.register("_cand", pa.table({"event_id": pa.array(candidates, pa.string())}))
    try:
        rows = con.execute(
            f"SELECT DISTINCT p.event_id FROM {_relation(con, files)} p SEMI JOIN _cand c ON p.event_id = c.event_id"
        ).fetchall()
    finally:
        con.unregister("_cand")
    return {row[0] for row in rows}


@dataclass
class PartitionIndex:
    """Hashes of the ids stored in one day partition, kept as a few sorted chunks."""

    files: set[str] = field(default_factory=set)
    chunks: list[np.ndarray] = field(default_factory=list)

    def add(self, hashes: np.ndarray) -> None:
        if hashes.size:
            self.chunks.append(np.sort(hashes))
        if len(self.chunks) > 8:  # keep look-ups cheap: merge into one sorted array
            self.chunks = [np.sort(np.concatenate(self.chunks))]

    def contains(self, hashes: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
        """Mask of ``hashes`` present in the index (a hit may still be a collision).

        ``order`` (``argsort`` of ``hashes``) may be given when the caller has it: sorted
        needles keep the binary searches cache-friendly.
        """
        hit = np.zeros(hashes.size, dtype=bool)
        if not self.chunks or not hashes.size:
            return hit
        if order is None:
            order = np.argsort(hashes)
        needles = hashes[order]
        for chunk in self.chunks:
            pos = np.searchsorted(chunk, needles)
            pos[pos == chunk.size] = 0
            hit[order] |= chunk[pos] == needles
        return hit


class DedupCache:
    """Per-process cache of :class:`PartitionIndex` objects, least recently used first out.

    A key is touched only under its system's write lock; the guard protects the shared
    dictionary when several systems are written at once.
    """

    def __init__(self, max_partitions: int = 48) -> None:
        self._parts: OrderedDict[Any, PartitionIndex] = OrderedDict()
        self._max = max_partitions
        self._guard = threading.Lock()

    def index(self, key: Any, live_files: list[str]) -> PartitionIndex:
        """The index of partition ``key``, brought up to date with ``live_files``."""
        with self._guard:
            index = self._parts.pop(key, None)
        live = set(live_files)
        if index is None or not index.files <= live:
            # New, or files vanished (compaction, retention): rebuild from disk.
            index = PartitionIndex()
        new = sorted(live - index.files)
        if new:
            index.add(hash_files(new))
            index.files |= set(new)
        with self._guard:
            self._parts[key] = index
            while len(self._parts) > self._max:
                self._parts.popitem(last=False)
        return index

    def forget(self, key: Any) -> None:
        with self._guard:
            self._parts.pop(key, None)
