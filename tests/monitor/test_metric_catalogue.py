"""The metric catalogue is the one list of metrics: the engine produces exactly its rows, and
the spec check, alert families, the CLI table, the dashboard charts and tables, the
dashboard's metric names and the docs all read it. A metric added to the catalogue alone
reaches each of them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from metrics_logs import make_log, write_log, write_spec

from haechi.cli.monitor import window_rows
from haechi.domain.errors import ValidationFailed
from haechi.monitor import alerts
from haechi.monitor.metrics import catalog
from haechi.monitor.metrics.catalog import METRICS, MetricInfo, for_task, places
from haechi.monitor.runner import run_spec
from haechi.monitor.spec import load_spec
from haechi.web import i18n
from haechi.web.routes.monitor import build_charts, table_metrics

TASKS = ("binary_classification", "multiclass_classification", "regression")
ROOT = Path(__file__).resolve().parents[2]
@pytest.fixture(scope="module", params=TASKS)
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp(request.param)
    log = write_log(make_log(n=3000, days=8, task=request.param), tmp / "log.parquet")
    return run_spec(load_spec(write_spec(tmp, log, request.param)))


def _metric_keys(window: dict[str, Any]) -> set[str]:
    """Every key of a window result that names a metric, wherever it lives."""
    keys = set(window.get("performance") or {}) | {"n", "n_labeled"}
    for block in (window.get("fairness") or {}).values():
        keys |= set(block) - {"groups", "small_groups"}
        for group in block.get("groups", {}).values():
            keys |= set(group) - {"n", "n_labeled", "small", "classes", "confusion_matrix"}
    for block in (window.get("drift") or {}).values():
        keys |= set(block) - {"n", "unseen"}
    for block in (window.get("classes") or {}).values():
        keys |= set(block) - {"support", "predicted"}
    return keys | set(window.get("data_quality") or {})


def test_the_engine_produces_exactly_the_catalogue(run: dict[str, Any]) -> None:
    task = run["task"]
    window = max(run["windows"], key=lambda w: w["n"])
    produced = _metric_keys(window)
    names = {m.name for m in for_task(task)}
    # (regression groups carry the window's error metrics per group: mae, rmse)
    assert produced - names == set(), "the engine names metrics the catalogue does not know"
    missing = {n for n in names if not any(True for _ in places(window, n))}
    assert missing == set(), "catalogue metrics the engine does not produce where their scope says"


def test_every_consumer_reads_the_catalogue(run: dict[str, Any], tmp_path: Path) -> None:
    task = run["task"]
    names = [m.name for m in for_task(task)]
    # spec check: a threshold on every catalogue metric is accepted; anything else is not
    thresholds = "".join(f"  {n}: {{max: 1.0e9}}\n" for n in names)
    log = write_log(make_log(n=200, days=8, task=task), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, task, "thresholds:\n" + thresholds))
    assert list(spec.thresholds) == names
    with pytest.raises(ValidationFailed) as refused:
        load_spec(write_spec(tmp_path, log, task, "thresholds:\n  not_a_metric: {max: 1}\n"))
    assert [i.message for i in refused.value.issues] == ["unknown metric for this monitor"]
    # CLI table: the catalogue's columns, in its order
    columns = catalog.table_columns(task)
    assert list(window_rows(run)[0]) == ["start", *columns, "alerts"]
    assert {m for ms in columns.values() for m in ms} == {m.name for m in for_task(task) if m.column}
    # dashboard: every metric is drawn in a chart or shown in a latest-window table
    charts = build_charts(spec.model_dump(mode="json", exclude_unset=True), run["windows"], "en")
    drawn = {m for c in charts for m in catalog.charts(task)[c["id"]]}  # KeyError: a chart not in the catalogue
    tables = {m for ms in table_metrics(task).values() for m in ms}
    assert set(names) - {"n", "n_labeled"} <= drawn | tables
    assert (drawn | tables) <= set(METRICS)
    for chart in charts:
        first = catalog.charts(task)[chart["id"]][0]
        assert (chart["family"], chart["unit"], chart["higher_is_better"]) == (
            METRICS[first].family, METRICS[first].unit, METRICS[first].higher_is_better)
    # alert families come from the catalogue
    for alert in alerts.evaluate(spec.model_copy(update={"thresholds": {
            n: t.model_copy(update={"max": -1.0e9}) for n, t in spec.thresholds.items()}}), run["windows"]):
        assert alert["family"] == METRICS[alert["metric"]].family
    # the dashboard's metric names and the user docs
    for lang in ("en", "ko"):
        assert {k for k in i18n.catalog(lang) if k.startswith("monitor.metrics.")} == {
            f"monitor.metrics.{n}" for n in METRICS}
    docs = (ROOT / "docs" / "monitoring.md").read_text(encoding="utf-8")
    assert [n for n in METRICS if f"`{n}`" not in docs] == []


BALANCED = MetricInfo("balanced_accuracy", "performance", "window", ("binary_classification",),
                      "balanced accuracy", "균형 정확도", True, "sklearn.metrics.balanced_accuracy_score",
                      unit="rate", needs=frozenset({"label"}), column="balanced_accuracy",
                      chart="perf-balanced_accuracy")


@pytest.fixture
def balanced(monkeypatch: pytest.MonkeyPatch) -> MetricInfo:
    """``balanced_accuracy`` declared in the catalogue and nowhere else."""
    monkeypatch.setattr(catalog, "_ROWS", [*catalog._ROWS, BALANCED])
    monkeypatch.setitem(catalog.METRICS, BALANCED.name, BALANCED)
    i18n.catalog.cache_clear()
    yield BALANCED
    i18n.catalog.cache_clear()


def test_a_metric_only_in_the_catalogue_reaches_spec_cli_charts_alerts_and_labels(
        balanced: MetricInfo, tmp_path: Path) -> None:
    log = write_log(make_log(n=400, days=8), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, extra="thresholds:\n  balanced_accuracy: {min: 0.9}\n"))
    assert spec.thresholds["balanced_accuracy"].min == 0.9  # the spec check knows it
    out = copy.deepcopy(run_spec(spec))  # the engine has no formula for it yet: add its values
    for i, window in enumerate(out["windows"]):
        window["performance"]["balanced_accuracy"] = 0.5 + i / 100
    assert [r["balanced_accuracy"] for r in window_rows(out)][:2] == ["0.5000", "0.5100"]
    chart = next(c for c in build_charts(spec.model_dump(mode="json", exclude_unset=True), out["windows"], "ko")
                 if c["id"] == "perf-balanced_accuracy")
    assert chart["title"] == "균형 정확도" and chart["series"][0]["data"][:2] == [0.5, 0.51]
    assert chart["thresholds"] == [{"label": "최소 0.9", "value": 0.9}]
    raised = [a for a in alerts.evaluate(spec, out["windows"]) if a["metric"] == "balanced_accuracy"]
    assert len(raised) == len(out["windows"]) and {a["family"] for a in raised} == {"performance"}
    assert alerts.describe(raised[0]).startswith("test-system: balanced accuracy = 0.5")
    assert i18n.Translator("ko")("monitor.metrics.balanced_accuracy") == "균형 정확도"
    # a regression spec does not accept it: the catalogue says which tasks it applies to
    with pytest.raises(ValidationFailed) as refused:
        load_spec(write_spec(tmp_path, log, "regression", "thresholds:\n  balanced_accuracy: {min: 0.9}\n"))
    assert "'balanced_accuracy' does not apply to task regression" in (refused.value.issues[0].fix or "")


def test_a_threshold_names_the_columns_its_metric_needs(tmp_path: Path) -> None:
    log = write_log(make_log(n=200, days=8), tmp_path / "log.parquet")
    thresholds = "thresholds:\n  roc_auc: {min: 0.7}\n  equalized_odds_difference: {max: 1}\n"
    path = write_spec(tmp_path, log, extra=thresholds)
    text = path.read_text().replace("  label: y_true\n", "").replace("  score: score\n", "")
    path.write_text(text.replace("  sensitive: [sex, age]\n", ""))
    with pytest.raises(ValidationFailed) as caught:
        load_spec(path)
    found = [(i.location, i.message) for i in caught.value.issues]
    assert found == [("thresholds.roc_auc", "roc_auc needs a score column"),
                     ("thresholds.roc_auc", "roc_auc needs a label column"),
                     ("thresholds.equalized_odds_difference", "equalized_odds_difference needs a label column"),
                     ("thresholds.equalized_odds_difference", "equalized_odds_difference needs sensitive columns")]


def test_a_threshold_scope_names_places_its_metric_has(tmp_path: Path) -> None:
    """A misspelt scope used to be accepted and silently matched nothing, so the threshold
    never raised an alert; the catalogue's scope says which columns are valid."""
    log = write_log(make_log(n=200, days=8), tmp_path / "log.parquet")
    good = ("thresholds:\n  psi: {max: 0.1, scope: [f0, c1]}\n"
            "  demographic_parity_difference: {max: 0.1, scope: [sex]}\n"
            "  missing_share: {max: 0.1, scope: [y_true, age]}\n")
    assert load_spec(write_spec(tmp_path, log, extra=good)).thresholds["psi"].scope == ["f0", "c1"]
    bad = ("thresholds:\n  psi: {max: 0.1, scope: [f9]}\n  ks: {max: 0.1, scope: [c0]}\n"
           "  recall: {min: 0.5, scope: [sex]}\n  tpr: {min: 0.5, scope: [gender]}\n")
    with pytest.raises(ValidationFailed) as refused:
        load_spec(write_spec(tmp_path, log, extra=bad))
    assert [(i.location, i.message) for i in refused.value.issues] == [
        ("thresholds.psi.scope", "'f9' is not a column psi is computed for"),
        ("thresholds.ks.scope", "'c0' is not a column ks is computed for"),
        ("thresholds.recall.scope", "recall has one value per window: it has no scope"),
        ("thresholds.tpr.scope", "'gender' is not a column tpr is computed for")]
    assert refused.value.issues[0].fix == "use one of: f0, f1, f2, c0, c1"
    assert refused.value.issues[1].fix == "use one of: f0, f1, f2"
