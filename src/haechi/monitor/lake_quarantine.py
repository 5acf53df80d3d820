"""Quarantine of lake files that cannot be read.

A Parquet file in the lake that DuckDB refuses (text that is not UTF-8, written before
ingestion checked it or copied in by hand; a damaged file) would otherwise fail every
monitor run and every lake tool of its system until someone deletes it. When a read
fails, the system's live files are checked one row group at a time; each unreadable
file is moved, under the system's write lock, to ``<system>/_quarantine/`` (same
relative path, so it can be inspected, repaired and put back) and recorded in
``_quarantine/records.jsonl``. Readers never see the folder (it is not a day
partition). The caller retries its work once and reports what it moved.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import lake_files as files
from .lake import DAY_DIR, SystemLake

QUARANTINE_DIR = "_quarantine"
RECORDS = "records.jsonl"


#: reason code → what the record and the CLI say (the dashboard translates the code)
REASONS = {"not_utf8": "text that is not UTF-8", "unreadable": "not a readable Parquet file"}


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as lake data (a :data:`REASONS` code), or ``None`` if it can."""
    try:
        file = pq.ParquetFile(path)
        for index in range(file.metadata.num_row_groups):
            file.read_row_group(index).validate(full=True)
    except pa.ArrowInvalid as exc:
        return "not_utf8" if "utf" in str(exc).lower() else "unreadable"
    except (OSError, pa.ArrowException):
        return "unreadable"
    return None


def find_unreadable(sl: SystemLake) -> list[tuple[Path, str]]:
    """The live event and label files of ``sl`` that cannot be read, with the reason code."""
    live = [f for labels in (False, True) for day in sl.days(labels) for f in sl.live_files(day, labels)]
    return [(path, reason) for path in live if (reason := unreadable(path)) is not None]


def quarantine(sl: SystemLake, found: list[tuple[Path, str]], *, locked: bool = False) -> list[dict[str, Any]]:
    """Move ``found`` files to the quarantine folder and record them; the records."""
    if not found:
        return []
    if not locked:
        with sl.writer():
            return quarantine(sl, found, locked=True)
    records = []
    folder = sl.dir / QUARANTINE_DIR
    for path, code in found:
        if not path.exists():  # moved by another process meanwhile
            continue
        relative = path.relative_to(sl.dir)
        target = folder / relative
        files.ensure_dir(target.parent)
        os.replace(path, target)
        files.fsync_dir(path.parent)
        files.fsync_dir(target.parent)
        records.append({"file": relative.as_posix(), "code": code, "reason": REASONS[code],
                        "quarantined_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
        _forget_day(sl, relative)
    _append_records(folder / RECORDS, records)
    return records


def quarantined(sl: SystemLake) -> list[dict[str, Any]]:
    """Every file of ``sl`` moved to quarantine so far, oldest first."""
    path = sl.dir / QUARANTINE_DIR / RECORDS
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def purge_before(sl: SystemLake, cutoff: dt.date) -> list[str]:
    """Delete quarantined day folders before ``cutoff`` (retention holds for them too);
    the caller holds the write lock. Returns the folders removed, relative to the system."""
    removed = []
    for base in (sl.dir / QUARANTINE_DIR, sl.dir / QUARANTINE_DIR / "labels"):
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            match = DAY_DIR.match(entry.name)
            if match and entry.is_dir() and dt.date.fromisoformat(match.group(1)) < cutoff:
                shutil.rmtree(entry)
                removed.append(entry.relative_to(sl.dir).as_posix())
        files.fsync_dir(base)
    return removed


def _append_records(path: Path, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        out.flush()
        os.fsync(out.fileno())


def _forget_day(sl: SystemLake, relative: Path) -> None:
    """Drop the duplicate index of the file's day (its ids are no longer stored)."""
    match = DAY_DIR.match(relative.parent.name)
    if match and relative.parts[0] != "labels":
        sl.lake.dedup.forget((str(sl.dir), dt.date.fromisoformat(match.group(1))))
