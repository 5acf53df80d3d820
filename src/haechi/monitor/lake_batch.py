"""A batch made ready for the lake *before* the write lock is taken.

Everything that does not depend on what is already stored — hashing the ids, dropping
repeats inside the batch, stamping ``ingested_at``, splitting by day and encoding the
Parquet files (the dominant cost) — happens here, so concurrent requests for the same
system overlap their work. Only the duplicate check against stored ids and the renames
need the lock (``SystemWriter.commit``). If that check finds stored ids (a retry), the
prepared files are dropped and the remaining rows are encoded again under the lock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import lake_files as files
from .lake_dedup import hash_ids

SPLIT_ROWS = 100_000
ENCODER_THREADS = max(1, min(4, os.cpu_count() or 1))
_encoder = ThreadPoolExecutor(max_workers=ENCODER_THREADS, thread_name_prefix="haechi-parquet")


@dataclass
class Piece:
    """One file-to-be: rows of one day, its final name and its fsynced temporary file."""

    table: pa.Table
    final: Path
    day: dt.date
    tmp: Path | None = None


@dataclass
class PreparedBatch:
    """Rows without in-batch repeats, their id hashes (and sort order), days and files."""

    table: pa.Table
    hashes: np.ndarray
    order: np.ndarray
    day_values: np.ndarray
    repeats: int
    pieces: list[Piece]

    def discard(self) -> None:
        """Remove the prepared temporary files (the batch was not committed)."""
        files.remove_durably([p.tmp for p in self.pieces if p.tmp is not None])
        for piece in self.pieces:
            piece.tmp = None


def prepare(table: pa.Table, day_dir: Callable[[dt.date], Path], encode: bool = True) -> PreparedBatch:
    """Hash, drop in-batch repeats, stamp ``ingested_at``, split by day and encode."""
    ids = table.column("event_id")
    hashes = hash_ids(ids)
    order = np.argsort(hashes)
    keep = first_occurrence(ids, hashes[order])
    if not keep.all():
        table, hashes = table.filter(pa.array(keep)), hashes[keep]
        order = np.argsort(hashes)
    stamp = np.datetime64(dt.datetime.now(dt.UTC).replace(tzinfo=None), "us")
    table = table.append_column("ingested_at", pa.array(np.full(table.num_rows, stamp), pa.timestamp("us", tz="UTC")))
    day_values = day_numbers(table)
    batch = PreparedBatch(table, hashes, order, day_values, int((~keep).sum()), [])
    if encode and table.num_rows:
        batch.pieces = pieces(table, day_values, day_dir)
        encode_all(batch.pieces)
    return batch


def day_numbers(table: pa.Table) -> np.ndarray:
    """The UTC day of each row's timestamp."""
    days = pc.cast(table.column("timestamp"), pa.date32()).to_numpy(zero_copy_only=False)
    return np.asarray(days, dtype="datetime64[D]")


def first_occurrence(ids: pa.Array | pa.ChunkedArray, sorted_hashes: np.ndarray) -> np.ndarray:
    """Mask keeping the first row of each event id within a batch (all rows when unique).

    Distinct hashes prove distinct ids, so the exact (slower) pass runs only when two
    rows share a hash — a repeated id, or a collision the exact pass then tells apart.
    """
    keep = np.ones(len(ids), dtype=bool)
    if not (sorted_hashes[1:] == sorted_hashes[:-1]).any():
        return keep
    seen: set[str] = set()
    for i, value in enumerate(ids.to_pylist()):
        keep[i] = value not in seen
        seen.add(value)
    return keep


def pieces(table: pa.Table, day_values: np.ndarray, day_dir: Callable[[dt.date], Path]) -> list[Piece]:
    """One piece per day, large days in a few zero-copy slices (encoded side by side)."""
    out = []
    for day64 in np.unique(day_values):
        day = dt.date.fromisoformat(str(day64))
        mask = day_values == day64
        part = table if mask.all() else table.filter(pa.array(mask))
        count = max(1, min(ENCODER_THREADS, part.num_rows // SPLIT_ROWS))
        size = -(-part.num_rows // count)
        out += [
            Piece(part.slice(start, size), day_dir(day) / files.new_part_name(), day)
            for start in range(0, part.num_rows, size)
        ]
    return out


def encode_all(batch: list[Piece]) -> None:
    """Write every piece's fsynced temp file (Parquet encoding releases the GIL)."""
    if len(batch) == 1:
        batch[0].tmp = files.write_parquet_temp(batch[0].table, batch[0].final)
        return
    try:
        futures = [_encoder.submit(files.write_parquet_temp, p.table, p.final) for p in batch]
    except RuntimeError:  # interpreter shutting down (e.g. an SDK flush at exit): one by one
        for piece in batch:
            piece.tmp = files.write_parquet_temp(piece.table, piece.final)
        return
    for piece, future in zip(batch, futures, strict=True):
        piece.tmp = future.result()
