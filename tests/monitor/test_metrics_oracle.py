"""Every metric of every window against scikit-learn, Fairlearn and SciPy on the raw rows.

The log has nulls (labels, predictions, scores, features, sensitive values), ties
(rounded scores, integer features), a tiny group, a group missing from a window, a
single-class window, unseen categories, and a day with no rows at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from metrics_logs import (
    GAP_DAY,
    NO_OLD_DAY,
    REF_DAYS,
    SINGLE_CLASS_DAY,
    close,
    make_log,
    oracle_categorical,
    oracle_fairness,
    oracle_multiclass,
    oracle_multiclass_groups,
    oracle_numeric,
    oracle_performance,
    oracle_regression,
    window_frames,
    write_log,
    write_spec,
)

from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec


def _run(tmp_path: Path, frame: pd.DataFrame, task: str = "binary_classification",
         fmt: str = "parquet") -> dict[str, Any]:
    log = write_log(frame, tmp_path / f"log.{ {'parquet': 'parquet', 'csv': 'csv', 'json': 'jsonl'}[fmt] }", fmt)
    return run_spec(load_spec(write_spec(tmp_path, log, task)))


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = make_log()
    return frame, _run(tmp_path_factory.mktemp("binary"), frame)


def _pairs(frame: pd.DataFrame, out: dict[str, Any]) -> list[tuple[pd.DataFrame, dict[str, Any]]]:
    _ref, windows = window_frames(frame)
    assert [pd.Timestamp(w["start"]) for w in out["windows"]] == [start for start, _ in windows]
    return [(rows, result) for (_start, rows), result in zip(windows, out["windows"], strict=True)]


def test_window_grid_and_sizes(binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = binary
    ref, _ = window_frames(frame)
    assert out["reference"]["n"] == len(ref)
    assert out["reference"]["start"] == "2026-01-01T00:00:00Z"
    assert out["windows"][0]["start"] == "2026-01-06T00:00:00Z"
    for rows, result in _pairs(frame, out):
        assert result["n"] == len(rows)
        assert result["n_labeled"] == int(rows.y_true.notna().sum())
    gap = out["windows"][GAP_DAY - REF_DAYS]
    assert gap["n"] == 0 and gap["performance"]["accuracy"] is None
    assert gap["drift"]["f0"]["ks"] is None and gap["data_quality"]["missing_share"]["f0"] is None


def test_performance_matches_sklearn(binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = binary
    for rows, result in _pairs(frame, out):
        want = oracle_performance(rows)
        for name, value in want.items():
            assert close(result["performance"][name], value), (result["start"], name)
    single = out["windows"][SINGLE_CLASS_DAY - REF_DAYS]["performance"]
    assert single["roc_auc"] is None and single["recall"] == 0.0


def test_fairness_matches_fairlearn(binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = binary
    for rows, result in _pairs(frame, out):
        for attr in ("sex", "age"):
            block, want = result["fairness"][attr], oracle_fairness(rows, attr)
            assert {g: v["n"] for g, v in block["groups"].items()} == want["n"]
            if "selection_rate" not in want:
                continue
            for group, rate in want["selection_rate"].items():
                assert close(block["groups"][group]["selection_rate"], rate)
            assert close(block["demographic_parity_difference"], want["dpd"])
            assert close(block["demographic_parity_ratio"], want["dpr"])
            for group in want.get("tpr", {}):
                assert close(block["groups"][group]["tpr"], want["tpr"][group]), (result["start"], attr, group)
                assert close(block["groups"][group]["fpr"], want["fpr"][group])
            if "eod" in want:
                assert close(block["equalized_odds_difference"], want["eod"]), (result["start"], attr)


def test_small_and_empty_groups_are_flagged(binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    _frame, out = binary
    window = out["windows"][0]["fairness"]["sex"]
    assert window["groups"]["X"]["small"] is True and "X" in window["small_groups"]
    assert window["groups"]["F"]["small"] is False
    assert "old" not in out["windows"][NO_OLD_DAY - REF_DAYS]["fairness"]["age"]["groups"]


def test_drift_matches_scipy(binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = binary
    ref, _ = window_frames(frame)
    for rows, result in _pairs(frame, out):
        for feature in ("f0", "f1", "f2"):
            want = oracle_numeric(ref[feature], rows[feature])
            for name, value in want.items():
                assert close(result["drift"][feature][name], value), (result["start"], feature, name)
        for feature in ("c0", "c1"):
            want = oracle_categorical(ref[feature], rows[feature])
            for name, value in want.items():
                assert close(result["drift"][feature][name], value), (result["start"], feature, name)
    assert out["windows"][NO_OLD_DAY - REF_DAYS]["drift"]["c0"]["unseen"] == ["zz"]


def test_missing_share(binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = binary
    for rows, result in _pairs(frame, out):
        if rows.empty:
            continue
        shares = result["data_quality"]["missing_share"]
        for column in ("y_pred", "y_true", "score", "sex", "age", "f0", "f1", "f2", "c0", "c1"):
            assert close(shares[column], rows[column].isna().mean()), (result["start"], column)


def test_regression_matches_sklearn(tmp_path: Path) -> None:
    frame = make_log(task="regression", seed=11)
    out = _run(tmp_path, frame, task="regression")
    for rows, result in _pairs(frame, out):
        for name, value in oracle_regression(rows).items():
            assert close(result["performance"][name], value), (result["start"], name)
        for attr in ("sex", "age"):
            for group, block in result["fairness"][attr]["groups"].items():
                sub = rows[(rows[attr] == group) & rows.y_true.notna() & rows.y_pred.notna()]
                assert close(block["mae"], (sub.y_true - sub.y_pred).abs().mean() if len(sub) else None)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_lines_give_the_same_numbers(tmp_path: Path, fmt: str,
                                                  binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, parquet_out = binary
    out = _run(tmp_path, frame, fmt=fmt)
    assert len(out["windows"]) == len(parquet_out["windows"])
    for got, want in zip(out["windows"], parquet_out["windows"], strict=True):
        assert got["n"] == want["n"]
        for feature in ("f0", "c0"):
            for name, value in want["drift"][feature].items():
                if name != "unseen":
                    assert close(got["drift"][feature][name], value)
        assert close(got["performance"]["f1"], want["performance"]["f1"])


def test_the_cached_reference_gives_the_same_drift(tmp_path: Path,
                                                   binary: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    """Second run: the reference summary comes memory-mapped from disk, windows are recomputed."""
    frame, first = binary
    log = write_log(frame, tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, "binary_classification"))
    refs = tmp_path / "refs"
    (refs / "ref-0123").mkdir(parents=True)   # a summary of an older reference (older layout)
    fresh = run_spec(spec, reference_dir=refs)
    kept = [p.name for p in refs.iterdir()]
    assert len(kept) == 1 and kept[0].startswith("ref2-")
    again = run_spec(spec, reference_dir=refs, full=True)
    assert again["run"]["computed_windows"] == len(first["windows"])
    for cached, computed, want in zip(again["windows"], fresh["windows"], first["windows"], strict=True):
        assert cached["drift"] == computed["drift"] == want["drift"]


@pytest.fixture(scope="module")
def multiclass(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = make_log(task="multiclass_classification")
    return frame, _run(tmp_path_factory.mktemp("multiclass"), frame, "multiclass_classification")


def rows_of(frame: pd.DataFrame, window: dict[str, Any]) -> pd.DataFrame:
    start = pd.Timestamp(window["start"])
    return frame[(frame.ts >= start) & (frame.ts < start + pd.Timedelta(days=1))]


def test_multiclass_matches_sklearn(multiclass: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = multiclass
    checked = 0
    for rows, result in _pairs(frame, out):
        want = oracle_multiclass(rows)
        for name in ("accuracy", "macro_f1", "weighted_f1"):
            assert close(result["performance"][name], want[name]), (result["start"], name)
        matrix = result["confusion_matrix"]
        assert matrix["labels"] == want["labels"] and matrix["counts"] == want["matrix"], result["start"]
        assert list(result["classes"]) == want["labels"]
        for cls, values in result["classes"].items():
            assert close(values["class_precision"], want["precision"][cls]), (result["start"], cls)
            assert close(values["class_recall"], want["recall"][cls]), (result["start"], cls)
            checked += 1
    assert checked > 30
    single = out["windows"][SINGLE_CLASS_DAY - REF_DAYS]
    day = rows_of(frame, single)
    assert single["classes"]["review"]["support"] == int((day.y_true.notna() & day.y_pred.notna()).sum()) > 0
    assert all(v["support"] == 0 for c, v in single["classes"].items() if c != "review")
    gap = out["windows"][GAP_DAY - REF_DAYS]
    assert gap["performance"]["macro_f1"] is None and gap["confusion_matrix"] == {"labels": [], "counts": []}


def test_multiclass_groups_match_fairlearn(multiclass: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = multiclass
    for rows, result in _pairs(frame, out):
        for attr in ("sex", "age"):
            block, want = result["fairness"][attr], oracle_multiclass_groups(rows, attr)
            for name in ("accuracy_difference", "macro_f1_difference", "class_recall_difference"):
                assert close(block[name], want[name]), (result["start"], attr, name)
            for group, expected in want["groups"].items():
                got = block["groups"][group]
                assert close(got["accuracy"], expected["accuracy"]) and close(got["macro_f1"], expected["macro_f1"])
                assert close(got["weighted_f1"], expected["weighted_f1"])
                assert got["confusion_matrix"] == {"labels": expected["labels"], "counts": expected["matrix"]}
                for cls, values in got["classes"].items():
                    assert close(values["class_recall"], expected["recall"][cls])
                    assert close(values["class_precision"], expected["precision"][cls])
