"""Monitors over the log lake: same numbers as over a file, late labels joined, and the
window cache invalidated by new days and new labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
from metrics_logs import make_log, write_log, write_spec

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.monitor.spec import load_spec, parse_spec_text

LAKE_SPEC = """
system: test-system
reference: {start: 2026-01-01, end: 2026-01-06}
window: 1d
thresholds:
  psi: {max: 0.1}
"""


def _to_lake_table(frame: pd.DataFrame) -> pa.Table:
    """The generated log as the lake's ingestion takes it (flat features./sensitive. columns)."""
    columns = {"event_id": frame.event_id, "timestamp": frame.ts, "prediction": frame.y_pred,
               "label": frame.y_true, "score": frame.score}
    columns |= {f"sensitive.{c}": frame[c] for c in ("sex", "age")}
    columns |= {f"features.{c}": frame[c] for c in ("f0", "f1", "f2", "c0", "c1")}
    table = pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)
    return table


def _setup(hc: Haechi, actor: Actor) -> None:
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test"}))


def test_lake_monitor_equals_file_monitor(hc: Haechi, actor: Actor, tmp_path: Path) -> None:
    _setup(hc, actor)
    frame = make_log(seed=21)
    frame = frame[frame.y_pred.notna()]  # the lake requires a prediction on every event
    result = hc.lake.ingest_table(actor, "test-system", _to_lake_table(frame))
    assert result.stored == len(frame)
    lake = hc.monitor.run(actor, parse_spec_text(LAKE_SPEC, "lake.yaml"))
    log = write_log(frame.rename(columns={}), tmp_path / "log.parquet")
    file_spec = load_spec(write_spec(tmp_path, log)).model_copy(update={"name": "file"})
    from_file = hc.monitor.run(actor, file_spec)
    assert [w["n"] for w in lake["windows"]] == [w["n"] for w in from_file["windows"]]
    for got, want in zip(lake["windows"], from_file["windows"], strict=True):
        assert got["performance"] == want["performance"]
        assert got["fairness"]["sex"] == want["fairness"]["sex"]
        assert got["drift"]["f0"] == want["drift"]["f0"] and got["drift"]["c0"] == want["drift"]["c0"]


def test_late_labels_and_new_days_recompute_windows(hc: Haechi, actor: Actor) -> None:
    _setup(hc, actor)
    frame = make_log(seed=22)
    frame = frame[frame.y_pred.notna()]
    early = frame[frame.ts < pd.Timestamp("2026-01-14", tz="UTC")]
    hc.lake.ingest_table(actor, "test-system", _to_lake_table(early.assign(y_true=float("nan"))))
    spec = parse_spec_text(LAKE_SPEC, "lake.yaml")
    first = hc.monitor.run(actor, spec)
    assert all(w["n_labeled"] == 0 for w in first["windows"])
    assert hc.monitor.run(actor, "test-system")["run"]["computed_windows"] == 0
    known = early[early.y_true.notna()]
    labels = pa.table({"event_id": known.event_id.tolist(), "label": known.y_true.tolist()})
    hc.lake.ingest_labels_table(actor, "test-system", labels)
    second = hc.monitor.run(actor, "test-system")
    assert second["run"]["computed_windows"] == len(second["windows"])  # labels touch every window
    window = second["windows"][0]
    rows = early[(early.ts >= pd.Timestamp("2026-01-06", tz="UTC")) & (early.ts < pd.Timestamp("2026-01-07", tz="UTC"))]
    assert window["n_labeled"] == int(rows.y_true.notna().sum()) > 0
    late = frame[frame.ts >= pd.Timestamp("2026-01-14", tz="UTC")]
    hc.lake.ingest_table(actor, "test-system", _to_lake_table(late))
    third = hc.monitor.run(actor, "test-system")
    assert len(third["windows"]) > len(second["windows"])
    assert third["run"]["computed_windows"] == len(third["windows"]) - len(second["windows"]) + 1 or \
        third["run"]["computed_windows"] < len(third["windows"])
