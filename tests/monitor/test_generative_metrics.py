"""Every generative metric of every window against pandas/NumPy on the raw rows.

The log has nulls in every flag, integer latencies (ties), a small group, sessions that
span windows, rows without a session, a day without rows and a day where nothing left
the service (label coverage null, not zero).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from generative_logs import (
    EMPTY_DAY,
    NO_RELEASE_DAY,
    START,
    make_generative_log,
    oracle_groups,
    oracle_score_groups,
    oracle_scores,
    oracle_window,
    window_rows,
    write_generative,
)

from haechi.domain.errors import ValidationFailed
from haechi.monitor.alerts import evaluate
from haechi.monitor.metrics.catalog import for_task, places
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.fixture(scope="module")
def text_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = make_generative_log()
    return frame, run_spec(load_spec(write_generative(frame, tmp_path_factory.mktemp("gen"))))


def _pairs(frame: pd.DataFrame, out: dict[str, Any]) -> list[tuple[pd.DataFrame, dict[str, Any]]]:
    return [(window_rows(frame, pd.Timestamp(w["start"]).to_pydatetime()), w) for w in out["windows"]]


def test_window_metrics_match_the_oracle(text_run: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = text_run
    assert out["generative"]["required_marks"] == ["text"]
    assert out["windows"][0]["start"] == "2026-03-05T00:00:00Z" and len(out["windows"]) == 6
    for rows, window in _pairs(frame, out):
        assert window["n"] == len(rows)
        assert window["released"] == int((rows.released.fillna(0) != 0).sum())
        expected = oracle_window(rows, ["text"]) if len(rows) else {}
        for metric, value in window["performance"].items():
            assert close(value, expected.get(metric)), (window["start"], metric, value, expected.get(metric))


def test_empty_and_unreleased_days_give_null_not_zero(text_run: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    _frame, out = text_run
    by_day = {w["start"][:10]: w for w in out["windows"]}
    empty = by_day[(START + pd.Timedelta(days=EMPTY_DAY)).strftime("%Y-%m-%d")]
    assert empty["n"] == 0 and set(empty["performance"].values()) == {None}
    unreleased = by_day[(START + pd.Timedelta(days=NO_RELEASE_DAY)).strftime("%Y-%m-%d")]
    assert unreleased["n"] > 0 and unreleased["released"] == 0
    assert unreleased["performance"]["label_coverage"] is None
    assert unreleased["performance"]["refusal_rate"] is not None


def test_app_score_means_match_the_oracle(text_run: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = text_run
    columns = {"groundedness": "score_groundedness", "toxicity": "score_toxicity"}
    for rows, window in _pairs(frame, out):
        if not len(rows):
            assert "scores" not in window
            continue
        expected = oracle_scores(rows, columns)
        assert set(window["scores"]) == set(columns)
        for name, values in window["scores"].items():
            assert values["n"] == expected[name]["n"]
            assert close(values["score_mean"], expected[name]["score_mean"]), (window["start"], name)
        assert window["scores"]["groundedness"]["n"] < len(rows)   # unscored outputs are left out


def test_score_thresholds_alert_per_score_and_mapped_scores_are_checked(tmp_path: Path) -> None:
    frame = make_generative_log(n=1200, seed=3).rename(columns={"score_groundedness": "eval_grounded"})
    extra = "  scores: {grounded: eval_grounded}\n"
    spec = write_generative(frame, tmp_path, extra=extra)
    spec.write_text(spec.read_text() + "thresholds:\n  score_mean: {min: 0.8, scope: [grounded]}\n")
    out = run_spec(load_spec(spec))
    busy = [w for w in out["windows"] if w["n"]]
    assert all(set(w["scores"]) == {"grounded"} for w in busy)  # a mapping replaces the score_ columns
    expected = {(w["start"], "grounded") for w in busy
                if frame.loc[window_rows(frame, pd.Timestamp(w["start"]).to_pydatetime()).index,
                             "eval_grounded"].mean() < 0.8}
    assert expected and {(a["window_start"], a["scope"]) for a in out["alerts"]} == expected
    assert {a["family"] for a in out["alerts"]} == {"service"}
    spec.write_text(spec.read_text().replace("scope: [grounded]", "scope: [groundedness]"))
    with pytest.raises(ValidationFailed) as caught:
        load_spec(spec)
    assert [(i.location, i.message) for i in caught.value.issues] == [
        ("thresholds.score_mean.scope", "'groundedness' is not a score named under generative.scores")]
    spec.write_text(spec.read_text().replace("eval_grounded}", "eval_missing}").replace("[groundedness]",
                                                                                          "[grounded]"))
    with pytest.raises(ValidationFailed) as caught:
        run_spec(load_spec(spec))
    assert [(i.location, i.message) for i in caught.value.issues] == [
        ("columns.generative.scores.grounded", "column 'eval_missing' is not in the log")]


def test_group_rates_and_gaps_match_the_oracle(text_run: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    frame, out = text_run
    for rows, window in _pairs(frame, out):
        if not len(rows):
            continue
        for column in ("language", "channel"):
            expected = oracle_groups(rows, column)
            block = window["fairness"][column]
            assert set(block["groups"]) == set(expected["groups"])
            for group, values in block["groups"].items():
                assert values["n"] == expected["groups"][group]["n"]
                assert values["small"] == (values["n"] < 20)
                for metric in ("refusal_rate", "complaint_rate", "handover_rate", "latency_p95"):
                    assert close(values[metric], expected["groups"][group][metric]), (column, group, metric)
            for gap in ("refusal_rate_difference", "complaint_rate_difference", "handover_rate_difference",
                        "latency_p95_difference", "refusal_rate_ratio"):
                assert close(block[gap], expected[gap]), (window["start"], column, gap)


def test_score_means_per_group_match_pandas_groupby(tmp_path: Path) -> None:
    frame = make_generative_log(n=1500, seed=7)
    frame.loc[frame.language == "ko", "score_groundedness"] -= 0.2   # Korean answers less grounded
    frame.loc[frame.language == "ja", "score_groundedness"] = np.nan  # a group the app never scores
    spec = write_generative(frame, tmp_path)
    spec.write_text(spec.read_text() + "thresholds:\n  score_mean_difference: {max: 0.15, scope: [groundedness]}\n")
    out = run_spec(load_spec(spec))
    columns = {"groundedness": "score_groundedness", "toxicity": "score_toxicity"}
    breaches = set()
    for rows, window in _pairs(frame, out):
        if not len(rows):
            continue
        for column in ("language", "channel"):
            expected = oracle_score_groups(rows, column, columns)
            block = window["fairness"][column]
            assert set(block["groups"]) == set(expected["groups"])
            for group, values in block["groups"].items():
                assert {s: v["n"] for s, v in values["scores"].items()} == \
                    {s: v["n"] for s, v in expected["groups"][group].items()}
                for name, score in values["scores"].items():
                    assert close(score["score_mean"], expected["groups"][group][name]["score_mean"]), (group, name)
            assert set(block["score_mean_difference"]) == set(columns)
            for name, gap in block["score_mean_difference"].items():
                assert close(gap, expected["score_mean_difference"][name]), (window["start"], column, name)
                if name == "groundedness" and gap is not None and gap > 0.15:
                    breaches.add((window["start"], column))
        unscored = window["fairness"]["language"]["groups"]["ja"]["scores"]["groundedness"]
        assert unscored == {"n": 0, "score_mean": None}   # null, not 0
    alerts = [a for a in out["alerts"] if a["metric"] == "score_mean_difference"]
    assert breaches and {(a["window_start"], a["group"]) for a in alerts} == breaches
    assert {(a["scope"], a["family"]) for a in alerts} == {("groundedness", "fairness")}


def test_media_marks_deepfake_and_c2pa_from_a_csv_log(tmp_path: Path) -> None:
    frame = make_generative_log(n=1500, seed=11)
    extra = "  required_marks: [c2pa, visible]\n"
    out = run_spec(load_spec(write_generative(frame, tmp_path, "image", extra, name="log.csv")))
    assert out["generative"] == {"modality": "image", "required_marks": ["c2pa", "visible"]}
    for rows, window in _pairs(frame, out):
        expected = oracle_window(rows, ["c2pa", "visible"]) if len(rows) else {}
        for metric in ("label_coverage", "c2pa_verified_share", "deepfake_mark_coverage", "latency_p99"):
            assert close(window["performance"][metric], expected.get(metric)), (window["start"], metric)


def test_a_required_mark_the_log_lacks_gives_null_coverage(tmp_path: Path) -> None:
    frame = make_generative_log(n=600).drop(columns=["mark_text", "complaint"])
    out = run_spec(load_spec(write_generative(frame, tmp_path)))
    busy = [w for w in out["windows"] if w["n"]]
    assert {w["performance"]["label_coverage"] for w in busy} == {None}
    assert {w["performance"]["complaint_rate"] for w in busy} == {None}
    assert all(w["performance"]["refusal_rate"] is not None for w in busy)


def test_the_engine_produces_exactly_the_generative_catalogue(text_run: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    _frame, out = text_run
    window = max(out["windows"], key=lambda w: w["n"])
    names = {m.name for m in for_task("generative")}
    produced = set(window["performance"]) | {"n", "released"} | set(window["data_quality"])
    for block in window["fairness"].values():
        produced |= set(block) - {"groups", "small_groups"}
        for group in block["groups"].values():
            produced |= set(group) - {"n", "small", "scores"}
            produced |= {m for values in group.get("scores", {}).values() for m in values} - {"n"}
    for block in window["drift"].values():
        produced |= set(block) - {"n", "unseen"}
    for block in window["scores"].values():
        produced |= set(block) - {"n"}
    assert produced - names == set()
    assert {n for n in names if not any(True for _ in places(window, n))} == set()


def test_thresholds_raise_alerts_with_catalogue_families(text_run: tuple[pd.DataFrame, dict[str, Any]],
                                                         tmp_path: Path) -> None:
    frame, _ = text_run
    extra = "thresholds:\n  label_coverage: {min: 0.99}\n  refusal_rate_difference: {max: 0.05}\n" \
            "  latency_p95: {max: 100}\n  pii_leak_rate: {max: 0.001}\n"
    spec = write_generative(frame, tmp_path)
    spec.write_text(spec.read_text() + extra)
    out = run_spec(load_spec(spec))
    families = {(a["metric"], a["family"]) for a in out["alerts"]}
    assert families == {("label_coverage", "transparency"), ("refusal_rate_difference", "fairness"),
                        ("latency_p95", "service"), ("pii_leak_rate", "privacy")}
    gap = next(a for a in out["alerts"] if a["metric"] == "refusal_rate_difference")
    assert gap["scope"] in ("language", "channel")
    assert evaluate(load_spec(spec), out["windows"]) == out["alerts"]


def test_spec_checks_for_generative_monitors(tmp_path: Path) -> None:
    frame = make_generative_log(n=200)
    spec = write_generative(frame, tmp_path)
    text = spec.read_text()
    spec.write_text(text + "engine: spark\nthresholds:\n  accuracy: {min: 0.9}\n  refusal_rte: {max: 0.1}\n")
    with pytest.raises(ValidationFailed) as caught:
        load_spec(spec)
    found = {i.location: (i.message, i.fix) for i in caught.value.issues}
    assert found["engine"][0] == "the Spark engine does not compute generative metrics yet"
    assert "'accuracy' does not apply to task generative" in found["thresholds.accuracy"][1]
    assert "did you mean 'refusal_rate'?" in found["thresholds.refusal_rte"][1]
    spec.write_text(text.replace("  modality: text\n", "  modality: text\n  required_marks: [watermark]\n"))
    with pytest.raises(ValidationFailed) as caught:
        load_spec(spec)
    assert caught.value.issues[0].location.startswith("generative.required_marks")
    spec.write_text(text.replace("  timestamp: ts\n", "  timestamp: ts\n  model_version: model_version\n"))
    with pytest.raises(ValidationFailed) as caught:
        load_spec(spec)
    assert [(i.location, i.message) for i in caught.value.issues] == [
        ("columns.model_version", "a generative monitor does not break windows down by model version")]
    spec.write_text(text.replace("task: generative", "task: regression"))
    with pytest.raises(ValidationFailed) as caught:
        load_spec(spec)
    # (and language, a group and a drift feature, is mapped twice: only generative monitors allow it)
    assert [i.location for i in caught.value.issues] == ["columns.categorical", "generative"]


def test_a_mapped_role_the_log_lacks_is_named(tmp_path: Path) -> None:
    frame = make_generative_log(n=200)
    spec = write_generative(frame, tmp_path, extra="  refused: did_refuse\n")
    with pytest.raises(ValidationFailed) as caught:
        run_spec(load_spec(spec))
    assert [(i.location, i.message) for i in caught.value.issues] == [
        ("columns.generative.refused", "column 'did_refuse' is not in the log")]


def test_the_cli_table_and_dashboard_charts_read_the_generative_rows(
        text_run: tuple[pd.DataFrame, dict[str, Any]], tmp_path: Path) -> None:
    from haechi.cli.monitor import window_rows as cli_rows
    from haechi.monitor.metrics import catalog
    from haechi.web.routes.monitor import build_charts, table_metrics

    frame, out = text_run
    columns = catalog.table_columns("generative")
    assert list(cli_rows(out)[0]) == ["start", *columns, "alerts"]
    assert {"label_coverage", "notice_coverage", "refusal", "latency_p95", "max_gap"} <= set(columns)
    spec = load_spec(write_generative(frame, tmp_path))
    charts = build_charts(spec.model_dump(mode="json", exclude_unset=True), out["windows"], "ko")
    drawn = {m for c in charts for m in catalog.charts("generative")[c["id"]]}
    tables = {m for ms in table_metrics("generative").values() for m in ms}
    assert {m.name for m in for_task("generative")} - {"n", "released"} <= drawn | tables
    latency = next(c for c in charts if c["id"] == "gen-latency")
    assert latency["unit"] == "milliseconds" and latency["title"] == "응답 시간 중앙값(p50)"
    assert [s["label"] for s in latency["series"]] == ["응답 시간 중앙값(p50)", "응답 시간 p95", "응답 시간 p99"]
    coverage = next(c for c in charts if c["id"] == "gen-label_coverage")
    assert coverage["family"] == "transparency" and coverage["higher_is_better"] is True
    assert coverage["series"][0]["data"] == [w["performance"]["label_coverage"] for w in out["windows"]]


def test_documents_chart_a_generative_monitors_shares_and_group_rates(
        text_run: tuple[pd.DataFrame, dict[str, Any]]) -> None:
    from haechi.reports.monitoring_view import monitoring_view

    _frame, out = text_run
    section = {"available": True, "monitors": [{"name": "default", "windows": out["windows"],
                                                "spec": {"task": "generative"}, "thresholds": {}}]}
    view = monitoring_view(section, "ko")[0]
    shares, *gaps = view["charts"][:3]
    assert "구간별 표시·고지·개인정보·응답 거부 비율" in shares
    assert "표시 적용률" in shares and "응답 시간 p95" not in shares    # milliseconds are not shares
    assert all("응답 시간 p95 격차" not in chart for chart in gaps)
    language = next(g for g in view["groups"] if g["attribute"] == "language")
    assert language["columns"] == ["refusal_rate", "complaint_rate", "handover_rate", "latency_p95"]
    latest = out["windows"][-1]["fairness"]["language"]
    assert language["gaps"]["refusal_rate_difference"] == latest["refusal_rate_difference"]
    assert "language별 응답 거부율 (최근 구간)" in view["group_charts"][0]
