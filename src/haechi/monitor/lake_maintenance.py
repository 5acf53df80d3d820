"""Lake upkeep: compaction of small files, retention purges and sweeping crash leftovers.

Compaction is crash-safe and invisible to readers: the merged file is written under a
temporary name and fsynced, a tombstone naming its inputs is fsynced, and only then is
the merged file renamed into place — the single atomic step that hides the inputs
(see ``SystemLake.live_files``). Inputs are deleted in a later pass, after a grace
period, so a reader that listed them a moment earlier can still open them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import lake_files as files
from . import lake_quarantine
from .lake import SystemLake, recover_journals
from .lake_dedup import connection, sql_list
from .lake_source import quote

GRACE_SECONDS = 600.0
TMP_GRACE_SECONDS = 3600.0


@dataclass
class CompactionReport:
    """Days merged, files before and after, rows kept and duplicates dropped."""

    days: list[str] = field(default_factory=list)
    files_before: int = 0
    files_after: int = 0
    rows: int = 0
    duplicates_dropped: int = 0

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def compact(sl: SystemLake, days: list[dt.date] | None = None, min_files: int = 2) -> CompactionReport:
    """Merge the live files of each day having at least ``min_files`` into one sorted file."""
    report = CompactionReport()
    with sl.writer():
        sweep(sl)
        for day in days if days is not None else sl.days():
            inputs = sl.live_files(day)
            if len(inputs) < min_files:
                continue
            rows, dropped = _compact_day(sl, day, inputs)
            report.days.append(day.isoformat())
            report.files_before += len(inputs)
            report.files_after += 1
            report.rows += rows
            report.duplicates_dropped += dropped
    return report


def _compact_day(sl: SystemLake, day: dt.date, inputs: list[Path]) -> tuple[int, int]:
    directory = sl.day_dir(day)
    final = directory / files.new_part_name("compact")
    tmp = final.with_name(final.name + files.TMP_SUFFIX)
    names = sql_list([str(p) for p in inputs])
    con = connection()
    total = con.execute(f"SELECT count(*) FROM read_parquet({names}, union_by_name=true)").fetchall()[0]
    # Keep the first stored copy of an id (defence in depth: writes already dedup).
    con.execute(
        f"COPY (SELECT * EXCLUDE (_rn) FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY event_id ORDER BY ingested_at) AS _rn FROM read_parquet({names}, "
        f"union_by_name=true)) WHERE _rn = 1 ORDER BY {quote('timestamp')}) "
        f"TO '{_esc(tmp)}' (FORMAT parquet, COMPRESSION zstd)"
    )
    files.fsync_file(tmp)
    kept = con.execute(f"SELECT count(*) FROM read_parquet('{_esc(tmp)}')").fetchall()[0]
    stone = directory / f"_tombstone-{uuid.uuid4().hex}.json"
    files.write_json_atomic(
        stone,
        {
            "output": final.name,
            "inputs": [p.name for p in inputs],
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
        },
    )
    files.publish(tmp, final)
    sl.lake.dedup.forget((str(sl.dir), day))
    total_rows, kept_rows = int(total[0]) if total else 0, int(kept[0]) if kept else 0
    return kept_rows, total_rows - kept_rows


def _esc(path: Path) -> str:
    return str(path).replace("'", "''")


def sweep(sl: SystemLake, grace_seconds: float = GRACE_SECONDS) -> int:
    """Remove crash leftovers and compaction inputs past their grace period (lock held).

    Temporary files can be removed at once: the caller holds the write lock, so no
    writer is producing one. Returns the number of files removed.
    """
    recover_journals(sl.dir)
    removed: list[Path] = []
    now = time.time()
    for base in (sl.dir, sl.labels_dir):
        for day in sl.days(labels=base == sl.labels_dir):
            directory = sl.day_dir(day, labels=base == sl.labels_dir)
            removed += _sweep_day(directory, now, grace_seconds)
    files.remove_durably(removed)  # already-removed inputs are skipped
    return len(removed)


def _sweep_day(directory: Path, now: float, grace_seconds: float) -> list[Path]:
    # Batches are encoded before the lock is taken, so a young temp file may belong to a
    # writer about to commit it: only temp files older than the grace period are leftovers.
    doomed = [
        directory / e.name
        for e in os.scandir(directory)
        if e.name.endswith(files.TMP_SUFFIX) and now - e.stat().st_mtime >= TMP_GRACE_SECONDS
    ]
    names = {e.name for e in os.scandir(directory)}
    for name in names:
        if not (name.startswith("_tombstone-") and name.endswith(".json")):
            continue
        stone = files.read_json(directory / name)
        if stone["output"] not in names:
            doomed.append(directory / name)  # crashed before its output appeared: void
        elif now - (directory / name).stat().st_mtime >= grace_seconds:
            # Inputs first (durably), the tombstone after: never the other way round,
            # or a crash in between would make the inputs live again beside the output.
            inputs = [directory / n for n in stone["inputs"] if n in names]
            files.remove_durably(inputs)
            doomed += [*inputs, directory / name]
    return doomed


def purge_before(sl: SystemLake, cutoff: dt.date) -> dict[str, object]:
    """Delete whole day partitions (events by event day, labels by arrival day) before ``cutoff``.

    Each partition is first renamed to a hidden name (atomic: readers stop seeing it at
    once), then removed; a crash in between leaves only a hidden directory, removed by
    the next purge.
    """
    deleted: dict[str, list[str]] = {"events": [], "labels": []}
    with sl.writer():
        for kind, labels in (("events", False), ("labels", True)):
            base = sl.labels_dir if labels else sl.dir
            for day in sl.days(labels):
                if day < cutoff:
                    hidden = base / f".purge-{day.isoformat()}-{uuid.uuid4().hex[:6]}"
                    os.replace(sl.day_dir(day, labels), hidden)
                    files.fsync_dir(base)
                    deleted[kind].append(day.isoformat())
                    sl.lake.dedup.forget((str(sl.dir), day))
            for leftover in base.glob(".purge-*") if base.is_dir() else []:
                shutil.rmtree(leftover, ignore_errors=True)
        quarantined = lake_quarantine.purge_before(sl, cutoff)
    return {"cutoff": cutoff.isoformat(), "deleted_days": deleted, "deleted_quarantine": quarantined}
