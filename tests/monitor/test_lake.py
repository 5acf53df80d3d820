"""The log lake on real files: layout, types, exactly-once, labels, schema evolution."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lake_helpers import BASE, make_rows, send, stored_ids

from haechi.monitor import lake_files
from haechi.monitor.lake import Lake, SystemLake
from haechi.monitor.lake_dedup import hash_ids


@pytest.fixture
def sl(tmp_path: Path) -> SystemLake:
    return Lake(tmp_path / "lake").system("acme", "hiring-screener")


def test_events_land_in_day_partitions_with_canonical_types(sl: SystemLake) -> None:
    result = send(sl, make_rows(30))
    assert (result.stored, result.duplicates, result.rejected) == (30, 0, [])
    assert [d.isoformat() for d in sl.days()] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    files = sorted(sl.dir.glob("date=*/*.parquet"))
    assert len(files) == 3 and not list(sl.dir.rglob("*.tmp"))
    schema = pq.read_schema(files[0])
    assert schema.field("timestamp").type == pa.timestamp("us", tz="UTC")
    assert schema.field("prediction").type == pa.float64()
    assert schema.field("income").type == pa.float64()
    assert schema.field("region").type == pa.string() and schema.field("sex").type == pa.string()
    registry = json.loads((sl.dir / "_schema.json").read_text())
    assert registry["columns"]["income"] == {"role": "numeric", "type": "double"}
    assert sl.source().columns["sensitive"] == ["sex"]
    assert sl.source().columns["categorical"] == ["region"]


def test_values_round_trip_exactly(sl: SystemLake) -> None:
    rows = make_rows(50)
    send(sl, rows)
    table = sl.source().arrow().sort_by("event_id")
    by_id = {r["event_id"]: r for r in rows}
    for got in table.to_pylist():
        sent = by_id[got["event_id"]]
        assert got["timestamp"] == dt.datetime.fromisoformat(sent["timestamp"])
        assert got["prediction"] == sent["prediction"] and got["score"] == sent["score"]
        assert got["label"] == sent["label"]
        assert got["income"] == sent["features"]["income"]
        assert got["region"] == sent["features"]["region"] and got["sex"] == sent["sensitive"]["sex"]


def test_a_batch_sent_twice_is_stored_once(sl: SystemLake) -> None:
    rows = make_rows(200)
    send(sl, rows)
    again = send(sl, rows)
    assert (again.stored, again.duplicates) == (0, 200)
    assert sl.event_count() == 200
    assert stored_ids(sl) == sorted(r["event_id"] for r in rows)


def test_duplicates_inside_a_batch_keep_the_first_copy(sl: SystemLake) -> None:
    rows = make_rows(10)
    twin = dict(rows[3], prediction=1 - rows[3]["prediction"])
    result = send(sl, [*rows, twin])
    assert (result.stored, result.duplicates) == (10, 1)
    stored = {r["event_id"]: r for r in sl.source().arrow().to_pylist()}
    assert stored["e3"]["prediction"] == rows[3]["prediction"]


def test_another_process_sees_the_same_ids(sl: SystemLake, tmp_path: Path) -> None:
    send(sl, make_rows(40))
    fresh = Lake(tmp_path / "lake").system("acme", "hiring-screener")  # empty cache, as a new process
    result = send(fresh, make_rows(60))
    assert (result.stored, result.duplicates) == (20, 40)
    assert fresh.event_count() == 60


def test_retry_with_a_time_across_midnight_is_still_a_duplicate(sl: SystemLake) -> None:
    row = make_rows(1)[0] | {"timestamp": "2026-03-02T23:59:59.9Z"}
    send(sl, [row])
    retry = send(sl, [row | {"timestamp": "2026-03-03T00:00:01Z"}])
    assert (retry.stored, retry.duplicates) == (0, 1)
    far = send(sl, [row | {"timestamp": "2026-03-09T00:00:00Z"}])
    assert far.stored == 1  # documented: the dedup window is the day and its neighbours


def test_hash_hit_without_a_real_duplicate_is_stored(sl: SystemLake) -> None:
    """Only confirmed ids are dropped: force a false hash hit into the cache."""
    send(sl, make_rows(5))
    newcomer = make_rows(1, start=999)[0] | {"timestamp": "2026-03-02T05:00:00Z"}
    key = (str(sl.dir), dt.date(2026, 3, 2))
    index = sl.lake.dedup.index(key, [str(p) for p in sl.live_files(dt.date(2026, 3, 2))])
    index.add(hash_ids(pa.array([newcomer["event_id"]])))
    result = send(sl, [newcomer])
    assert (result.stored, result.duplicates) == (1, 0)


def test_event_count_and_source_respect_half_open_ranges(sl: SystemLake) -> None:
    send(sl, make_rows(90))
    day2 = dt.date(2026, 3, 3)
    assert sl.event_count(day2, day2 + dt.timedelta(days=1)) == 30
    assert sl.event_count(BASE, BASE + dt.timedelta(minutes=3)) == 1  # e0 at 00:00; e3 at day 0 00:03 excluded
    assert sl.event_count(None, day2) == 30
    assert sl.event_count(dt.date(2027, 1, 1)) == 0
    src = sl.source(day2, None)
    assert all(p.split("/")[-2] >= "date=2026-03-03" for p in src.files)


def test_empty_system_gives_a_runnable_empty_source(sl: SystemLake) -> None:
    src = sl.source()
    assert src.files == [] and src.arrow().num_rows == 0
    assert "event_id" in src.arrow().column_names
    assert sl.event_count() == 0


def test_late_labels_join_latest_wins(sl: SystemLake) -> None:
    from haechi.monitor.formats import decode
    from haechi.monitor.ingest import ingest_labels

    rows = make_rows(4)
    rows[0]["label"] = 0
    send(sl, rows)
    ingest_labels(
        sl,
        decode(b'[{"event_id": "e0", "label": 1}, {"event_id": "e1", "label": 0}]', "application/json"),
    )
    ingest_labels(sl, decode(b'{"event_id": "e1", "label": 1}', "application/x-ndjson"))
    ingest_labels(sl, decode(b'{"event_id": "e77", "label": 1}', "application/x-ndjson"))
    labels = {r["event_id"]: r["label"] for r in sl.source().arrow().to_pylist()}
    assert labels["e0"] == 1 and labels["e1"] == 1
    assert labels["e2"] == rows[2]["label"]
    send(sl, make_rows(1, start=77))  # the label that came first joins when the event arrives
    assert {r["event_id"]: r["label"] for r in sl.source().arrow().to_pylist()}["e77"] == 1


def test_schema_evolves_and_old_files_read_as_null(sl: SystemLake) -> None:
    send(sl, make_rows(3, day_span=1))
    later = make_rows(3, start=10, day_span=1)
    for row in later:
        row["features"]["tenure"] = 4
    send(sl, later)
    table = {r["event_id"]: r for r in sl.source().arrow().to_pylist()}
    assert table["e0"]["tenure"] is None and table["e10"]["tenure"] == 4.0
    assert sl.source().columns["numeric"] == ["income", "tenure"]


def test_type_fixed_at_first_sight_rejects_conflicting_rows(sl: SystemLake) -> None:
    send(sl, make_rows(2))
    bad = make_rows(2, start=5)
    bad[1]["features"]["income"] = "high"
    result = send(sl, bad)
    assert result.stored == 1
    assert [(e.row, e.field) for e in result.rejected] == [(2, "features.income")]
    assert "numeric in this system" in result.rejected[0].reason


def test_temp_files_of_a_crashed_write_are_never_read(sl: SystemLake) -> None:
    send(sl, make_rows(6, day_span=1))
    table = pa.table({"event_id": ["ghost"]})
    day_dir = sl.day_dir(dt.date(2026, 3, 2))
    pq.write_table(table, day_dir / "part-crash.parquet.tmp")  # what a crash leaves
    assert stored_ids(sl) == sorted(f"e{i}" for i in range(6))
    from haechi.monitor.lake_maintenance import sweep

    with sl.writer():
        assert sweep(sl) == 0  # young: it may be a batch being prepared right now
    old = time.time() - 7200
    os.utime(day_dir / "part-crash.parquet.tmp", (old, old))
    with sl.writer():
        assert sweep(sl) == 1
    assert not list(day_dir.glob("*.tmp"))


def test_interrupted_multi_day_commit_is_rolled_forward(sl: SystemLake) -> None:
    """A crash after the journal but before all renames: the next reader finishes it."""
    from haechi.monitor.ingest import normalize

    raw_rows = make_rows(6, day_span=2)
    import orjson

    from haechi.monitor.formats import decode

    table, new, _, _ = normalize(
        decode(orjson.dumps(raw_rows), "application/json"), sl.registry(), dt.datetime.now(dt.UTC)
    )
    sl.registry().__class__(new).save(sl.dir / "_schema.json")
    table = table.append_column("ingested_at", pa.array([dt.datetime.now(dt.UTC)] * 6, pa.timestamp("us", tz="UTC")))
    days = np.asarray(table.column("timestamp").to_numpy().astype("datetime64[D]"))
    planned = []
    for day64 in np.unique(days):
        final = sl.day_dir(dt.date.fromisoformat(str(day64))) / lake_files.new_part_name()
        planned.append((lake_files.write_parquet_temp(table.filter(pa.array(days == day64)), final), final))
    lake_files.write_json_atomic(sl.dir / "_journal-x.json", {"renames": [[str(t), str(f)] for t, f in planned]})
    lake_files.publish(*planned[0])  # crash here: one day renamed, the other not
    assert len(stored_ids(sl)) == 6  # the reader rolled the commit forward
    assert not (sl.dir / "_journal-x.json").exists()


def test_large_batches_are_encoded_in_parallel_slices_and_stay_exactly_once(
    sl: SystemLake, monkeypatch: pytest.MonkeyPatch
) -> None:
    from haechi.monitor import lake_batch

    monkeypatch.setattr(lake_batch, "SPLIT_ROWS", 10)
    monkeypatch.setattr(lake_batch, "ENCODER_THREADS", 3)
    rows = make_rows(90, day_span=2)
    assert send(sl, rows).stored == 90
    assert len(sl.live_files(dt.date(2026, 3, 2))) == 3  # 45 rows of the day in three slices
    assert (send(sl, rows).duplicates, sl.event_count()) == (90, 90)
    assert stored_ids(sl) == sorted(r["event_id"] for r in rows)


def test_concurrent_writers_overlapping_ids_and_racing_column_types(sl: SystemLake) -> None:
    """Threads send overlapping batches; even ones type a new column as numbers, odd ones as text.

    Whichever type lands first wins for the system; if numbers win, the text batches are
    refused whole (all their rows are bad); every id that is stored is stored once.
    """
    import threading

    from haechi.domain.errors import ValidationFailed

    stored, refused = [], []

    def work(k: int) -> None:
        rows = make_rows(60, start=(k % 4) * 30, day_span=2)  # neighbours share half their ids
        for row in rows:
            row["features"]["x"] = f"v{k}" if k % 2 else k
        try:
            stored.append((k, send(sl, rows).stored))
        except ValidationFailed as error:
            refused.append((k, error))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    role = sl.registry().role_of("x")
    # Text columns take numbers as text; numeric columns refuse text.
    winners = set(range(8)) if role == "categorical" else {k for k in range(8) if k % 2 == 0}
    assert {k for k, _ in stored} == winners and {k for k, _ in refused} == set(range(8)) - winners
    assert all("x is" in e.issues[0].message for _, e in refused)
    expected = {f"e{i}" for k in winners for i in range((k % 4) * 30, (k % 4) * 30 + 60)}
    ids = stored_ids(sl)
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert sum(n for _, n in stored) == len(expected)
    table = sl.source().arrow()  # every file agrees with the registry: union_by_name works
    assert table.schema.field("x").type == (pa.float64() if role == "numeric" else pa.string())


def test_system_and_org_names_are_never_paths(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    for org, system in (("acme", "../etc"), ("..", "s"), ("acme", "a/b"), ("acme", ".hidden"), ("", "s")):
        with pytest.raises(ValueError):
            lake.system(org, system)
