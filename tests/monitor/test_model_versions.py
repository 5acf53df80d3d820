"""The model-version dimension: per-version window metrics against scikit-learn, Fairlearn
and SciPy on that version's rows, and the reference that restarts on a new version."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from metrics_logs import (
    CANARY_DAY,
    ROLLOUT_DAY,
    START,
    close,
    oracle_fairness,
    oracle_numeric,
    oracle_performance,
    versioned_log,
    window_frames,
    write_log,
    write_spec,
)

from haechi.domain.errors import ValidationFailed
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec

VERSIONED = "  categorical: [c0, c1]\n  model_version: model_version\n"


def _spec(tmp: Path, frame: pd.DataFrame, reference: str | None = None) -> Path:
    log = write_log(frame, tmp / "log.parquet")
    path = write_spec(tmp, log)
    text = path.read_text().replace("  categorical: [c0, c1]\n", VERSIONED)
    if reference:
        text = text.replace("reference: {start: 2026-01-01, end: 2026-01-06}", reference)
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def versioned(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = versioned_log()
    return frame, run_spec(load_spec(_spec(tmp_path_factory.mktemp("versions"), frame)))


def test_each_version_is_measured_on_its_own_rows(versioned: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = versioned
    ref, windows = window_frames(frame)
    compared = 0
    for (start, rows), result in zip(windows, out["windows"], strict=True):
        versions = result["versions"]
        assert set(versions) == set(rows.model_version.unique()), start
        assert sum(v["n"] for v in versions.values()) == result["n"]
        for version, shown in versions.items():
            mine = rows[rows.model_version == version]
            assert shown["n"] == len(mine) and shown["n_labeled"] == int(mine.y_true.notna().sum())
            for name, value in oracle_performance(mine).items():
                assert close(shown["performance"][name], value), (start, version, name)
            fair = oracle_fairness(mine, "sex")
            for group, rate in fair.get("selection_rate", {}).items():
                assert close(shown["fairness"]["sex"]["groups"][group]["selection_rate"], rate)
            # drift against the monitor's one reference, whatever the version
            want = oracle_numeric(ref.f0, mine.f0)
            assert close(shown["drift"]["f0"]["ks"], want["ks"]) and close(shown["drift"]["f0"]["psi"], want["psi"])
            compared += 1
    both = [w for w in out["windows"] if set(w["versions"]) == {"v1", "v2"}]
    assert len(both) == ROLLOUT_DAY - CANARY_DAY - 1 and compared > len(out["windows"])   # day 9 has no rows
    canary = both[0]["versions"]
    assert canary["v2"]["drift"]["f0"]["psi"] > 3 * canary["v1"]["drift"]["f0"]["psi"]  # the shift is the canary's


def test_the_whole_window_is_unchanged_by_the_breakdown(tmp_path: Path,
                                                        versioned: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = versioned
    log = write_log(frame, tmp_path / "log.parquet")
    plain = run_spec(load_spec(write_spec(tmp_path, log)))
    assert [{k: v for k, v in w.items() if k != "versions"} for w in out["windows"]] == plain["windows"]
    assert "references" not in out


def test_a_new_version_restarts_the_reference(tmp_path: Path) -> None:
    frame = versioned_log()
    reset = "reference: {start: 2026-01-01, end: 2026-01-06, reset_on_version_change: true}"
    out = run_spec(load_spec(_spec(tmp_path, frame, reset)))
    canary_start = pd.Timestamp(START + dt.timedelta(days=CANARY_DAY))
    new_end = canary_start + pd.Timedelta(days=5)
    first, second = out["references"]
    assert first["model_version"] is None and first["first_window"] == "2026-01-06T00:00:00Z"
    assert (second["model_version"], second["start"], second["end"]) == (
        "v2", "2026-01-08T00:00:00Z", "2026-01-13T00:00:00Z")
    new_ref = frame[(frame.ts >= canary_start) & (frame.ts < new_end)]
    assert second["n"] == len(new_ref) and second["first_window"] == "2026-01-13T00:00:00Z"
    old_ref, windows = window_frames(frame)
    starts = [w["start"] for w in out["windows"]]
    assert starts == [s.strftime("%Y-%m-%dT%H:%M:%SZ") for s, _ in windows]   # one grid, no gap, no overlap
    for (start, rows), result in zip(windows, out["windows"], strict=True):
        baseline = new_ref if start >= new_end else old_ref
        want = oracle_numeric(baseline.f0, rows.f0)
        assert close(result["drift"]["f0"]["ks"], want["ks"]), start
    # a rerun reuses every window and both reference summaries
    again = run_spec(load_spec(_spec(tmp_path, frame, reset)), reference_dir=tmp_path / "refs")
    cached = run_spec(load_spec(_spec(tmp_path, frame, reset)), reference_dir=tmp_path / "refs")
    assert again["windows"] == out["windows"] == cached["windows"]


def test_the_spec_refuses_a_restart_it_cannot_do(tmp_path: Path) -> None:
    frame = versioned_log()
    path = _spec(tmp_path, frame, "reference: {log: log.parquet, reset_on_version_change: true}")
    with pytest.raises(ValidationFailed) as refused:
        load_spec(path)
    assert [i.location for i in refused.value.issues] == ["reference.reset_on_version_change"]
    path.write_text(path.read_text().replace("  model_version: model_version\n", "").replace(
        "{log: log.parquet, reset_on_version_change: true}",
        "{start: 2026-01-01, end: 2026-01-06, reset_on_version_change: true}"))
    with pytest.raises(ValidationFailed) as refused:
        load_spec(path)
    assert refused.value.issues[0].fix == "map columns.model_version"


def test_the_cli_prints_and_returns_versions_side_by_side(tmp_path: Path) -> None:
    spec = _spec(tmp_path, versioned_log())
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home")}
    haechi = [sys.executable, "-m", "haechi"]
    subprocess.run([*haechi, "init", "--org", "acme", "--name", "Acme"], env=env, check=True, capture_output=True)
    (tmp_path / "card.yaml").write_text("id: test-system\nname: Test\n")
    subprocess.run([*haechi, "systems", "add", str(tmp_path / "card.yaml")], env=env, check=True, capture_output=True)
    text = subprocess.run([*haechi, "monitor", "run", str(spec)], env=env, capture_output=True, text=True,
                          check=True).stdout
    assert "model versions side by side" in text and "v1" in text and "v2" in text
    out = json.loads(subprocess.run([*haechi, "monitor", "run", str(spec), "--format", "json"], env=env,
                                    capture_output=True, text=True, check=True).stdout)
    assert {v for w in out["windows"] for v in w["versions"]} == {"v1", "v2"}
