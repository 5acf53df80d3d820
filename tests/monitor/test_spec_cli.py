"""Monitor specs and ``haechi monitor``: valid runs, cached reruns, and every kind of bad
input ending in exit code 2 with a message that names the file, line and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi.domain.errors import ValidationFailed
from haechi.monitor.spec import parse_spec_text
from haechi.monitor.windows import parse_duration


@pytest.fixture
def workspace(cli: Any, tmp_path: Path) -> Path:
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    card = tmp_path / "card.yaml"
    card.write_text("id: test-system\nname: Test system\n")
    assert cli("systems", "add", str(card)).code == 0
    return tmp_path


def test_run_json_matches_the_contract_and_reruns_from_cache(cli: Any, workspace: Path) -> None:
    log = write_log(make_log(), workspace / "log.parquet")
    spec = write_spec(workspace, log, extra="thresholds:\n  psi: {max: 0.1}\n")
    first = cli("monitor", "run", str(spec), "--format", "json")
    assert first.code == 0, first
    out = first.json()
    assert set(out) >= {"system", "reference", "windows", "alerts"}
    window = out["windows"][0]
    assert set(window) >= {"start", "end", "n", "n_labeled", "performance", "fairness", "drift", "data_quality"}
    assert set(window["drift"]["f0"]) >= {"psi", "ks", "wasserstein"}
    assert set(window["drift"]["c0"]) >= {"psi", "js_distance", "chi2_pvalue"}
    assert {"window_start", "metric", "scope", "value", "threshold"} <= set(out["alerts"][0])
    again = cli("monitor", "run", "test-system", "--format", "json").json()
    assert again["run"]["computed_windows"] == 0 and again["windows"] == out["windows"]
    table = cli("monitor", "run", "test-system")
    assert table.code == 0 and "windows" in table.err
    # each alert line names its feature in brackets (printed as text, not read as markup)
    assert f"[{out['alerts'][0]['scope']}] = " in table.out
    alerts = cli("monitor", "alerts", "--format", "json").json()
    assert alerts["total"] == len(out["alerts"])
    acked = cli("monitor", "alert", str(alerts["items"][0]["id"]), "--status", "acknowledged", "--note",
                "on it", "--format", "json")
    assert acked.json()["status"] == "acknowledged"
    assert cli("monitor", "list", "--format", "json").json()[0]["last_status"] == "ok"
    assert len(cli("monitor", "show", "test-system", "--format", "json").json()["windows"]) == len(out["windows"])


def test_incremental_rerun_recomputes_only_new_days(cli: Any, workspace: Path) -> None:
    frame = make_log(days=16)
    log = workspace / "log.parquet"
    write_log(frame[frame.ts < "2026-01-15"], log)
    spec = write_spec(workspace, log)
    first = cli("monitor", "run", str(spec), "--format", "json").json()
    write_log(frame, log)  # the same file, rewritten with more days
    second = cli("monitor", "run", "test-system", "--format", "json").json()
    assert len(second["windows"]) > len(first["windows"])
    assert second["run"]["computed_windows"] < len(second["windows"])
    full = cli("monitor", "run", "test-system", "--full", "--format", "json").json()
    assert full["windows"] == second["windows"]


BAD_SPECS = [
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\nwindow: 1 day\n",
     "window", "30m, 1h, 1d"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01}\n", "reference", "end"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-09, end: 2026-01-01}\n",
     "reference.end", "later"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\nthresholds:\n"
     "  recal: {min: 0.7}\n", "thresholds.recal", "did you mean 'recall'"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\nthresholds:\n"
     "  roc_auc: {min: 0.7}\n", "thresholds.roc_auc", "columns.score"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\ntask: regresion\n",
     "task", "regression"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\nthresholds:\n"
     "  psi: {}\n", "thresholds.psi", "max"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\ncolumns:\n"
     "  numeric: [a]\n  categorical: [a]\n", "columns.categorical", "one role"),
    ("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\ncolums: {}\n",
     "colums", "columns"),
]


@pytest.mark.parametrize(("text", "location", "fix"), BAD_SPECS)
def test_bad_specs_name_field_line_and_fix(text: str, location: str, fix: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_spec_text(text, "monitor.yaml")
    issue = next(i for i in caught.value.issues if i.location == location)
    assert fix in (issue.fix or "") + issue.message
    assert issue.line is not None and issue.file == "monitor.yaml"


def test_cli_exit_2_on_bad_spec_and_unreadable_logs(cli: Any, workspace: Path) -> None:
    bad = workspace / "bad.yaml"
    bad.write_text("system: test-system\nlog: x.parquet\nreference: {start: 2026-01-01, end: 2026-01-06}\n"
                   "thresholds:\n  recal: {min: 0.7}\n")
    result = cli("monitor", "run", str(bad))
    assert result.code == 2 and "bad.yaml:5" in result.err and "recall" in result.err
    assert "Traceback" not in result.err
    missing = write_spec(workspace, workspace / "nowhere.parquet")
    result = cli("monitor", "run", str(missing))
    assert result.code == 2 and "nowhere.parquet" in result.err
    broken = workspace / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    result = cli("monitor", "run", str(write_spec(workspace, broken)))
    assert result.code == 2 and "broken.parquet" in result.err and "Traceback" not in result.err
    csv = workspace / "quoting.csv"
    csv.write_text('event_id,ts,y_pred\n"e1,2026-01-01T00:00:00Z,1\ne2,"2026-01-02,0\n')
    result = cli("monitor", "run", str(write_spec(workspace, csv)))
    assert result.code == 2 and "quoting.csv" in result.err
    wrong = write_log(make_log().drop(columns=["f0"]), workspace / "nofeature.parquet")
    result = cli("monitor", "run", str(write_spec(workspace, wrong)))
    assert result.code == 2 and "'f0'" in result.err and "columns.numeric" in result.err
    text = make_log().assign(y_pred="yes")
    result = cli("monitor", "run", str(write_spec(workspace, write_log(text, workspace / "text.parquet"))))
    assert result.code == 2 and "wrong type" in result.err
    assert cli("monitor", "run", "no-such-system").code == 2


def test_durations() -> None:
    assert parse_duration("1h").total_seconds() == 3600
    assert parse_duration("7d").days == 7 and parse_duration("2w").days == 14
    for bad in ("0d", "1y", "d", "1.5h"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_a_mistyped_spec_file_is_reported_as_a_missing_file(cli: Any, workspace: Path) -> None:
    result = cli("monitor", "run", str(workspace / "monitr.yaml"))
    assert result.code == 2 and "file not found" in result.err and "system" not in result.err
    unknown = cli("monitor", "run", "no-such-system")
    assert unknown.code == 2 and "system 'no-such-system' not found" in unknown.err


def test_one_shot_runs_keep_freed_memory_on_glibc() -> None:
    """The console script's process tunes glibc; a process running the CLI in-process does not."""
    import platform
    import subprocess
    import sys

    from haechi.cli.startup import keep_freed_memory

    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    script = ("from haechi.cli.startup import keep_freed_memory, pause_collector\n"
              "pause_collector()\nprint(keep_freed_memory())")
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == str(glibc)
    assert keep_freed_memory() is False  # this test process called no console script


def test_run_as_csv_gives_one_row_per_window_with_the_table_columns(cli: Any, workspace: Path) -> None:
    """``--format csv`` printed empty lines: it wrote the run's dict instead of its window rows."""
    import csv
    import io

    log = write_log(make_log(n=600, days=8), workspace / "log.parquet")
    result = cli("monitor", "run", str(write_spec(workspace, log)), "--format", "csv")
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 3  # 8 days, 5 of reference: three daily windows
    assert list(rows[0]) == ["start", "n", "n_labeled", "accuracy", "recall", "f1", "roc_auc", "max_dpd",
                             "max_psi", "max_missing", "alerts"]
    assert rows[0]["start"].startswith("2026-01-06") and int(rows[0]["n"]) > 0
