"""The prediction log lake: Parquet files per organisation, system and UTC day.

``Lake(root).system(org, system)`` gives a :class:`SystemLake`, which appends batches
crash-safely and exactly once (see ``docs/dev/monitoring-interfaces.md``), stores late
labels and hands readers a :class:`LakeSource` — a DuckDB ``SELECT`` over the live
files with duplicates already removed and late labels joined.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from . import lake_files as files
from .lake_batch import Piece, PreparedBatch, encode_all, pieces, prepare
from .lake_dedup import DedupCache, ids_present, sql_list
from .lake_schema import LABEL_SCHEMA, ColumnRegistry, Role
from .lake_source import LakeSource, TimeBound, build_source, day_range, file_columns, to_utc

__all__ = ["AppendResult", "Lake", "LakeSource", "SystemLake", "SystemWriter"]

DAY_DIR = re.compile(r"^date=(\d{4}-\d{2}-\d{2})$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
DEDUP_DAYS = 1


@dataclass(frozen=True)
class AppendResult:
    """What an append stored: rows written and rows dropped as already stored."""

    stored: int
    duplicates: int
    files: tuple[str, ...] = ()


class Lake:
    """The root of a log lake (``settings.lake_path()``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.dedup = DedupCache()

    def system(self, org: str, system: str) -> SystemLake:
        """The lake of one system; names are slugs, never paths."""
        for name in (org, system):
            if not SAFE_NAME.match(name or ""):
                raise ValueError(f"{name!r} is not a valid organisation or system id (lowercase slug)")
        return SystemLake(self, org, system)

    def systems(self, org: str) -> list[str]:
        base = self.root / org
        return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


class SystemLake:
    """The files of one system: appends, labels, reads, counts."""

    #: the writer :meth:`writer` hands out (an object-store lake publishes differently)
    writer_type: type[SystemWriter]

    def __init__(self, lake: Lake, org: str, system: str) -> None:
        self.lake = lake
        self.org = org
        self.system = system
        self.dir = lake.root / org / system
        self.labels_dir = self.dir / "labels"

    # --- layout ---------------------------------------------------------------
    def registry(self) -> ColumnRegistry:
        return ColumnRegistry.load(self.dir / "_schema.json")

    def save_registry(self, registry: ColumnRegistry) -> None:
        registry.save(self.dir / "_schema.json")

    def scan(self, files: list[str]) -> str:
        """The DuckDB relation of ``files`` (columns a file lacks read as null)."""
        return f"read_parquet({sql_list(files)}, union_by_name=true)"

    def file_columns(self, path: str) -> frozenset[str]:
        return file_columns(path)

    def inventory(self) -> tuple[list[dt.date], list[Any], list[Any]]:
        """The event days, the live event files and the live label files."""
        days = self.days()
        return (days, [f for d in days for f in self.live_files(d)],
                [f for d in self.days(True) for f in self.live_files(d, True)])

    def size_of(self, live: list[Any]) -> int:
        """Bytes of live files (as :meth:`live_files` gives them)."""
        return sum(Path(f).stat().st_size for f in live)

    def day_dir(self, day: dt.date, labels: bool = False) -> Path:
        return (self.labels_dir if labels else self.dir) / f"date={day.isoformat()}"

    def days(self, labels: bool = False) -> list[dt.date]:
        """The days that have a partition, oldest first."""
        base = self.labels_dir if labels else self.dir
        if not base.is_dir():
            return []
        found = (DAY_DIR.match(entry.name) for entry in os.scandir(base) if entry.is_dir())
        return sorted(dt.date.fromisoformat(m.group(1)) for m in found if m)

    def live_files(self, day: dt.date, labels: bool = False) -> list[Path]:
        """The Parquet files readers may see: all, minus inputs of completed compactions."""
        directory = self.day_dir(day, labels)
        if not directory.is_dir():
            return []
        names = {e.name for e in os.scandir(directory)}
        hidden: set[str] = set()
        for name in names:
            if name.startswith("_tombstone-") and name.endswith(".json"):
                stone = files.read_json(directory / name)
                if stone["output"] in names:
                    hidden.update(stone["inputs"])
        return sorted(directory / n for n in names if n.endswith(".parquet") and n not in hidden)

    def files_between(self, start: TimeBound, end: TimeBound, labels: bool = False) -> list[Path]:
        """Live files of the days overlapping ``[start, end)``."""
        lo, hi = day_range(start, end)
        return [f for day in self.days(labels) if lo <= day <= hi for f in self.live_files(day, labels)]

    # --- writing --------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[SystemWriter]:
        """Hold the system's write lock; the writer sees a fresh registry."""
        with files.system_lock(self.dir):
            recover_journals(self.dir)
            yield self.writer_type(self)

    # --- reading --------------------------------------------------------------
    def source(self, start: TimeBound = None, end: TimeBound = None) -> LakeSource:
        """A DuckDB-readable view of the events in ``[start, end)`` (see module doc)."""
        recover_journals(self.dir, only_if_present=True)
        events = [str(p) for p in self.files_between(start, end)]
        labels = [str(p) for day in self.days(True) for p in self.live_files(day, True)]
        return build_source(self, events, labels, start, end)

    def event_count(self, start: TimeBound = None, end: TimeBound = None) -> int:
        """Events with a timestamp in ``[start, end)`` (stored once each)."""
        src = self.source(start, end)
        if not src.files:
            return 0
        return int(src.scalar("SELECT count(*) FROM ({sql})"))


class SystemWriter:
    """Appends under the system lock (obtained from :meth:`SystemLake.writer`)."""

    def __init__(self, sl: SystemLake) -> None:
        self.sl = sl
        self.registry = sl.registry()

    def add_columns(self, new: dict[str, Role]) -> None:
        """Register new columns before data using them is written (registry only grows)."""
        if new:
            self.registry.columns.update(new)
            self.sl.save_registry(self.registry)

    def append(self, table: pa.Table) -> AppendResult:
        """Store ``table`` (canonical columns, no ``ingested_at`` yet) exactly once, durably."""
        return self.commit(prepare(table, self.sl.day_dir))

    def commit(self, batch: PreparedBatch) -> AppendResult:
        """Publish a prepared batch, minus the ids already stored (exactly once, durably).

        Rows whose event id is already stored (or repeated in the batch) are dropped and
        counted as duplicates; nothing is visible before every file is fsynced.
        """
        table, hashes, days = batch.table, batch.hashes, batch.day_values
        stored = self._already_stored(batch) if table.num_rows else np.zeros(0, dtype=bool)
        todo = batch.pieces
        if stored.any():  # a retry: re-encode what is left, under the lock
            batch.discard()
            keep = ~stored
            table, hashes, days = table.filter(pa.array(keep)), hashes[keep], days[keep]
            todo = pieces(table, days, self.sl.day_dir) if table.num_rows else []
            encode_all(todo)
        elif table.num_rows and not todo:
            todo = pieces(table, days, self.sl.day_dir)
            encode_all(todo)
        written = self._publish(todo)
        self._remember(written, hashes, days)
        return AppendResult(table.num_rows, batch.repeats + int(stored.sum()), tuple(p for p, _ in written))

    def _already_stored(self, batch: PreparedBatch) -> np.ndarray:
        ids = batch.table.column("event_id")
        stored = np.zeros(len(ids), dtype=bool)
        for day64 in np.unique(batch.day_values):
            rows = np.flatnonzero(batch.day_values == day64)
            day = dt.date.fromisoformat(str(day64))
            if rows.size == len(ids):
                stored |= self._stored(day, ids, batch.hashes, batch.order)
            else:
                stored[rows] |= self._stored(day, ids.take(pa.array(rows)), batch.hashes[rows])
        return stored

    def _stored(self, day: dt.date, ids: pa.Array, hashes: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
        """Mask of ``ids`` already stored in ``day`` or its neighbours (exact)."""
        hit = np.zeros(len(ids), dtype=bool)
        near: list[str] = []
        for offset in range(-DEDUP_DAYS, DEDUP_DAYS + 1):
            other = day + dt.timedelta(days=offset)
            live = [str(p) for p in self.sl.live_files(other)]
            index = self.sl.lake.dedup.index((str(self.sl.dir), other), live)
            hit |= index.contains(hashes, order)
            near += live
        if not hit.any():
            return hit
        candidates = ids.filter(pa.array(hit)).to_pylist()
        confirmed = ids_present(near, candidates)
        if not confirmed:
            return np.zeros(len(ids), dtype=bool)
        return np.array([i in confirmed for i in ids.to_pylist()], dtype=bool)

    def _publish(self, todo: list[Piece]) -> list[tuple[str, dt.date]]:
        """Rename the fsynced temp files into place; several at once through a journal."""
        if len(todo) > 1:
            journal = self.sl.dir / f"_journal-{uuid.uuid4().hex}.json"
            files.write_json_atomic(journal, {"renames": [[str(p.tmp), str(p.final)] for p in todo]})
        for piece in todo:
            assert piece.tmp is not None
            files.publish(piece.tmp, piece.final)
            piece.tmp = None
        if len(todo) > 1:
            files.remove_durably([journal])
        return [(str(piece.final), piece.day) for piece in todo]

    def _remember(self, written: list[tuple[str, dt.date]], hashes: np.ndarray, day_values: np.ndarray) -> None:
        for day in sorted({d for _, d in written}):
            paths = {p for p, d in written if d == day}
            live = [str(p) for p in self.sl.live_files(day) if str(p) not in paths]
            index = self.sl.lake.dedup.index((str(self.sl.dir), day), live)
            index.add(hashes[day_values == np.datetime64(day.isoformat())])
            index.files |= paths

    def append_labels(self, table: pa.Table) -> int:
        """Store late labels ``(event_id, label)``; the latest ``labeled_at`` wins on read."""
        now = dt.datetime.now(dt.UTC)
        stamped = pa.table(
            {
                "event_id": table.column("event_id"),
                "label": table.column("label"),
                "labeled_at": pa.array([now] * table.num_rows, pa.timestamp("us", tz="UTC")),
            },
            schema=LABEL_SCHEMA,
        )
        final = self.sl.day_dir(now.date(), labels=True) / files.new_part_name()
        files.publish(files.write_parquet_temp(stamped, final), final)
        return stamped.num_rows


SystemLake.writer_type = SystemWriter


def recover_journals(system_dir: Path, only_if_present: bool = False) -> None:
    """Finish multi-day commits that a crash interrupted (roll forward; idempotent)."""
    if not system_dir.is_dir():
        return
    journals = [
        system_dir / e.name
        for e in os.scandir(system_dir)
        if e.name.startswith("_journal-") and e.name.endswith(".json")
    ]
    if not journals:
        return
    if only_if_present:
        with files.system_lock(system_dir):
            recover_journals(system_dir)
        return
    for journal in journals:
        for tmp, final in files.read_json(journal)["renames"]:
            if Path(tmp).exists():
                files.publish(Path(tmp), Path(final))
        files.remove_durably([journal])


__all__ += ["to_utc"]
