"""Compaction, sweeping and retention purges: crash-safe and invisible to readers."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from lake_helpers import make_rows, send, stored_ids

from haechi.monitor import lake_files
from haechi.monitor.lake import Lake, SystemLake
from haechi.monitor.lake_maintenance import compact, purge_before, sweep

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def sl(tmp_path: Path) -> SystemLake:
    return Lake(tmp_path / "lake").system("acme", "press-defect-vision")


def _many_small_batches(sl: SystemLake, batches: int = 6, size: int = 20) -> None:
    for b in range(batches):
        send(sl, make_rows(size, start=b * size, day_span=1))


def test_compaction_merges_a_day_into_one_sorted_file(sl: SystemLake) -> None:
    _many_small_batches(sl)
    before = stored_ids(sl)
    report = compact(sl)
    assert (report.files_before, report.files_after, report.rows) == (6, 1, 120)
    live = sl.live_files(DAY)
    assert len(live) == 1 and live[0].name.startswith("compact-")
    assert stored_ids(sl) == before and sl.event_count() == 120
    stamps = pq.read_table(live[0]).column("timestamp").to_pylist()
    assert stamps == sorted(stamps)
    assert compact(sl).files_before == 0  # nothing left to merge


def test_inputs_stay_readable_until_the_grace_period_ends(sl: SystemLake) -> None:
    _many_small_batches(sl, batches=3)
    compact(sl)
    assert len(list(sl.day_dir(DAY).glob("part-*.parquet"))) == 3  # still on disk, hidden
    with sl.writer():
        assert sweep(sl, grace_seconds=3600) == 0
        assert sweep(sl, grace_seconds=0) == 4  # three inputs and the tombstone
    assert not list(sl.day_dir(DAY).glob("part-*")) and sl.event_count() == 60


def test_dedup_still_works_after_compaction(sl: SystemLake) -> None:
    _many_small_batches(sl, batches=2)
    compact(sl)
    result = send(sl, make_rows(50, day_span=1))
    assert (result.stored, result.duplicates) == (10, 40)
    assert sl.event_count() == 50


def test_compaction_crash_before_the_rename_changes_nothing(sl: SystemLake) -> None:
    """Tombstone written, merged file still temporary: readers keep the inputs."""
    _many_small_batches(sl, batches=2)
    inputs = sl.live_files(DAY)
    directory = sl.day_dir(DAY)
    (directory / "compact-x.parquet.tmp").write_bytes(b"half a file")
    old = time.time() - 7200
    os.utime(directory / "compact-x.parquet.tmp", (old, old))
    lake_files.write_json_atomic(
        directory / "_tombstone-x.json",
        {"output": "compact-x.parquet", "inputs": [p.name for p in inputs]},
    )
    assert sl.live_files(DAY) == inputs and sl.event_count() == 40
    with sl.writer():
        assert sweep(sl) == 2  # the temp file and the void tombstone
    assert sl.live_files(DAY) == inputs


def test_duplicates_that_slipped_in_are_dropped_by_compaction(sl: SystemLake) -> None:
    send(sl, make_rows(5, day_span=1))
    # Copy a stored file under a new name, as an old bug or a manual copy might.
    original = sl.live_files(DAY)[0]
    twin = original.with_name("part-copy.parquet")
    twin.write_bytes(original.read_bytes())
    assert sl.event_count() == 10
    report = compact(sl)
    assert report.duplicates_dropped == 5 and sl.event_count() == 5


def test_purge_deletes_only_days_before_the_cutoff(sl: SystemLake) -> None:
    send(sl, make_rows(30))  # days 2, 3, 4 March
    from haechi.monitor.formats import decode
    from haechi.monitor.ingest import ingest_labels

    ingest_labels(sl, decode(b'{"event_id": "e1", "label": 1}', "application/x-ndjson"))
    result = purge_before(sl, dt.date(2026, 3, 4))
    assert result["deleted_days"] == {"events": ["2026-03-02", "2026-03-03"], "labels": []}
    assert [d.isoformat() for d in sl.days()] == ["2026-03-04"]
    assert sl.event_count() == 10
    assert not list(sl.dir.glob(".purge-*"))


def test_sweep_leaves_fresh_compaction_inputs_alone(sl: SystemLake) -> None:
    _many_small_batches(sl, batches=2)
    compact(sl)
    stone = next(sl.day_dir(DAY).glob("_tombstone-*.json"))
    old = time.time() - 7200
    os.utime(stone, (old, old))
    with sl.writer():
        assert sweep(sl) == 3
