"""The catalogue of monitoring metrics: one row per metric, the single source of names.

Everything that names a metric reads this table, so a metric is declared exactly once:

* spec validation — which thresholds exist for a task and which columns each needs
  (``needs``);
* alert evaluation — where the metric's values live in a window result (``scope``,
  read through :func:`places`) and its ``family``;
* ``haechi monitor run`` — the summary table's columns (``column``: the worst value of
  the window);
* the dashboard — which chart draws it (``chart``), its legend (``label``/``label_ko``,
  ``short``/``short_ko``), ``unit`` and which way is good (``higher_is_better``);
* PDF documents — performance and fairness-gap charts by family, scope and direction;
* the docs (``docs/monitoring.md`` lists the rows).

The engines compute every metric of a task; ``tests/monitor/test_metric_catalogue.py``
checks that what they produce and what each consumer shows are exactly these rows. The
formulas live beside it in ``classification``, ``regression``, ``fairness`` and
``drift``; the definitions are those of ``spec/monitoring.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

Family = Literal["volume", "performance", "fairness", "drift", "data_quality", "transparency", "privacy", "service"]
#: where one value of the metric lives in a window result: the window itself
#: (``n``/``n_labeled`` at the top, the rest under ``performance``), each sensitive
#: attribute under ``fairness``, each group of an attribute, each feature under
#: ``drift``, each column under ``data_quality.<metric>``, each class of a multiclass
#: window under ``classes``, each app score of a generative window under ``scores``
Scope = Literal["window", "attribute", "group", "feature", "column", "class", "score"]
Task = Literal["binary_classification", "multiclass_classification", "regression", "generative"]
#: spec columns a threshold on the metric needs (checked when the spec names its columns)
Need = Literal["score", "label", "sensitive", "features"]
Unit = Literal["rows", "rate", "score", "prediction units", "coefficient", "difference", "ratio", "index",
               "statistic", "feature units", "distance", "p-value", "milliseconds"]
EVERY: tuple[Task, ...] = ("binary_classification", "multiclass_classification", "regression")
BINARY: tuple[Task, ...] = ("binary_classification",)
MULTICLASS: tuple[Task, ...] = ("multiclass_classification",)
CLASSIFICATION: tuple[Task, ...] = ("binary_classification", "multiclass_classification")
REGRESSION: tuple[Task, ...] = ("regression",)
_LABEL: frozenset[Need] = frozenset({"label"})
_GROUPS: frozenset[Need] = frozenset({"sensitive"})
_LABELED_GROUPS: frozenset[Need] = frozenset({"label", "sensitive"})
_FEATURES: frozenset[Need] = frozenset({"features"})


@dataclass(frozen=True)
class MetricInfo:
    """What a metric is called, where it lives, and which way is good."""

    name: str
    family: Family
    scope: Scope
    tasks: tuple[Task, ...]
    label: str
    label_ko: str
    higher_is_better: bool | None
    oracle: str
    kinds: tuple[str, ...] = ()  # feature kinds for drift metrics: numeric / categorical
    unit: Unit = "rate"
    needs: frozenset[Need] = frozenset()
    #: column of the ``haechi monitor run`` table showing the window's worst value (None:
    #: not in the table); metrics of different tasks may share a column
    column: str | None = None
    #: id of the dashboard chart that draws it (None: shown in a table only); window
    #: metrics with the same id share one chart, one series each
    chart: str | None = None
    #: short name for table headers and legends (default: ``label``)
    short: str = ""
    short_ko: str = ""


_ROWS = [
    MetricInfo("n", "volume", "window", EVERY, "rows", "행 수", None, "count of rows in the window",
               unit="rows", column="n", chart="volume"),
    MetricInfo("n_labeled", "volume", "window", EVERY, "labeled rows", "레이블 있는 행 수", None,
               "count of rows with a label", unit="rows", needs=_LABEL, column="n_labeled", chart="volume"),
    MetricInfo("accuracy", "performance", "window", CLASSIFICATION, "accuracy", "정확도", True,
               "sklearn.metrics.accuracy_score", needs=_LABEL, column="accuracy", chart="perf-accuracy"),
    MetricInfo("precision", "performance", "window", BINARY, "precision", "정밀도", True,
               "sklearn.metrics.precision_score(zero_division=0)", needs=_LABEL, chart="perf-precision"),
    MetricInfo("recall", "performance", "window", BINARY, "recall", "재현율", True,
               "sklearn.metrics.recall_score(zero_division=0)", needs=_LABEL, column="recall", chart="perf-recall"),
    MetricInfo("f1", "performance", "window", BINARY, "F1", "F1 점수", True,
               "sklearn.metrics.f1_score(zero_division=0)", unit="score", needs=_LABEL, column="f1",
               chart="perf-f1"),
    MetricInfo("roc_auc", "performance", "window", BINARY, "ROC AUC", "ROC AUC", True,
               "sklearn.metrics.roc_auc_score(label, score)", unit="score", needs=frozenset({"label", "score"}),
               column="roc_auc", chart="perf-roc_auc"),
    MetricInfo("macro_f1", "performance", "window", MULTICLASS, "macro F1", "매크로 F1 점수", True,
               "sklearn.metrics.f1_score(average='macro', zero_division=0)", unit="score", needs=_LABEL,
               column="macro_f1", chart="perf-macro_f1"),
    MetricInfo("weighted_f1", "performance", "window", MULTICLASS, "weighted F1", "가중 F1 점수", True,
               "sklearn.metrics.f1_score(average='weighted', zero_division=0)", unit="score", needs=_LABEL,
               chart="perf-weighted_f1"),
    MetricInfo("class_precision", "performance", "class", MULTICLASS, "precision per class", "클래스별 정밀도",
               True, "sklearn.metrics.precision_score(average=None, zero_division=0)", needs=_LABEL,
               chart="perf-class_precision"),
    MetricInfo("class_recall", "performance", "class", MULTICLASS, "recall per class", "클래스별 재현율", True,
               "sklearn.metrics.recall_score(average=None, zero_division=0)", needs=_LABEL,
               column="min_class_recall", chart="perf-class_recall"),
    MetricInfo("mae", "performance", "window", REGRESSION, "mean absolute error", "평균 절대 오차",
               False, "sklearn.metrics.mean_absolute_error", unit="prediction units", needs=_LABEL, column="mae",
               chart="perf-mae", short="MAE"),
    MetricInfo("rmse", "performance", "window", REGRESSION, "root mean squared error",
               "평균 제곱근 오차", False, "sklearn.metrics.root_mean_squared_error", unit="prediction units",
               needs=_LABEL, column="rmse", chart="perf-rmse", short="RMSE"),
    MetricInfo("r2", "performance", "window", REGRESSION, "R²", "결정계수 R²", True,
               "sklearn.metrics.r2_score", unit="coefficient", needs=_LABEL, column="r2", chart="perf-r2"),
    MetricInfo("selection_rate", "fairness", "group", BINARY, "selection rate", "선정률", None,
               "fairlearn.metrics.selection_rate per group", needs=_GROUPS),
    MetricInfo("tpr", "fairness", "group", BINARY, "true positive rate", "참양성률", True,
               "fairlearn.metrics.true_positive_rate per group", needs=_LABELED_GROUPS),
    MetricInfo("fpr", "fairness", "group", BINARY, "false positive rate", "거짓양성률", False,
               "fairlearn.metrics.false_positive_rate per group", needs=_LABELED_GROUPS),
    MetricInfo("demographic_parity_difference", "fairness", "attribute", BINARY,
               "demographic parity difference", "인구통계적 동등성 차이", False,
               "fairlearn.metrics.demographic_parity_difference", unit="difference", needs=_GROUPS,
               column="max_dpd", chart="fair-demographic_parity_difference"),
    MetricInfo("demographic_parity_ratio", "fairness", "attribute", BINARY,
               "demographic parity ratio", "인구통계적 동등성 비율", True,
               "fairlearn.metrics.demographic_parity_ratio", unit="ratio", needs=_GROUPS,
               chart="fair-demographic_parity_ratio"),
    MetricInfo("equalized_odds_difference", "fairness", "attribute", BINARY,
               "equalized odds difference", "균등 오즈 차이", False,
               "fairlearn.metrics.equalized_odds_difference", unit="difference", needs=_LABELED_GROUPS,
               chart="fair-equalized_odds_difference"),
    MetricInfo("mae_difference", "fairness", "attribute", REGRESSION,
               "MAE difference between groups", "집단 간 MAE 차이", False,
               "max - min of sklearn mean_absolute_error per group", unit="prediction units",
               needs=_LABELED_GROUPS, column="max_dpd", chart="fair-mae_difference"),
    MetricInfo("accuracy_difference", "fairness", "attribute", MULTICLASS,
               "accuracy difference between groups", "집단 간 정확도 차이", False,
               "max - min of sklearn accuracy_score per group (fairlearn MetricFrame.difference())",
               unit="difference", needs=_LABELED_GROUPS, column="max_gap", chart="fair-accuracy_difference"),
    MetricInfo("macro_f1_difference", "fairness", "attribute", MULTICLASS,
               "macro F1 difference between groups", "집단 간 매크로 F1 차이", False,
               "max - min of sklearn f1_score(average='macro') per group", unit="difference",
               needs=_LABELED_GROUPS, chart="fair-macro_f1_difference"),
    MetricInfo("class_recall_difference", "fairness", "attribute", MULTICLASS,
               "largest recall difference of a class between groups", "클래스 재현율의 최대 집단 간 차이",
               False, "max over classes of (max - min of sklearn recall_score(average=None) per group)",
               unit="difference", needs=_LABELED_GROUPS, chart="fair-class_recall_difference"),
    MetricInfo("psi", "drift", "feature", EVERY, "population stability index", "모집단 안정성 지수",
               False, "spec/monitoring.md PSI (deciles of the reference)", ("numeric", "categorical"),
               unit="index", needs=_FEATURES, column="max_psi", chart="drift-psi", short="PSI",
               short_ko="모집단 안정성 지수(PSI)"),
    MetricInfo("ks", "drift", "feature", EVERY, "Kolmogorov–Smirnov statistic", "K-S 통계량", False,
               "scipy.stats.ks_2samp(...).statistic", ("numeric",), unit="statistic", needs=_FEATURES,
               chart="drift-ks", short="KS statistic"),
    MetricInfo("wasserstein", "drift", "feature", EVERY, "Wasserstein distance", "바서슈타인 거리",
               False, "scipy.stats.wasserstein_distance", ("numeric",), unit="feature units", needs=_FEATURES,
               chart="drift-wasserstein"),
    MetricInfo("js_distance", "drift", "feature", EVERY, "Jensen–Shannon distance",
               "젠슨-섀넌 거리", False, "scipy.spatial.distance.jensenshannon(base=2)",
               ("categorical",), unit="distance", needs=_FEATURES, chart="drift-js_distance"),
    MetricInfo("chi2_pvalue", "drift", "feature", EVERY, "chi-squared p-value", "카이제곱 p-값", True,
               "scipy.stats.chi2_contingency(correction=False).pvalue", ("categorical",), unit="p-value",
               needs=_FEATURES, chart="drift-chi2_pvalue"),
    MetricInfo("missing_share", "data_quality", "column", EVERY, "missing share", "결측 비율", False,
               "share of null values in the column", column="max_missing", chart="missing"),
]

# generative monitors: their own rows, and the tabular rows they share (volume, drift, missing shares)
from .catalog_generative import GENERATIVE_ROWS, SHARED_WITH_GENERATIVE  # noqa: E402  (the rows use MetricInfo)

_ROWS = [replace(row, tasks=(*row.tasks, "generative")) if row.name in SHARED_WITH_GENERATIVE else row
         for row in _ROWS] + GENERATIVE_ROWS
METRICS: dict[str, MetricInfo] = {row.name: row for row in _ROWS}


def metric_names(task: str | None = None) -> list[str]:
    """Names of the metrics that apply to ``task`` (all when ``None``)."""
    return [m.name for m in _ROWS if task is None or task in m.tasks]


def info(name: str) -> MetricInfo:
    """The catalogue row of ``name``; ``KeyError`` if unknown."""
    return METRICS[name]


def for_task(task: str | None) -> list[MetricInfo]:
    """The rows that apply to ``task`` (all when ``None``), in catalogue order."""
    return [m for m in _ROWS if task is None or task in m.tasks]


def short_label(name: str, lang: str = "en") -> str:
    """The short name of a metric in ``lang`` (``ko`` or English) for headers and legends."""
    row = METRICS[name]
    if lang == "ko":
        return row.short_ko or row.label_ko
    return row.short or row.label


def messages(lang: str) -> dict[str, str]:
    """The dashboard's ``monitor.metrics.<name>`` texts in ``lang``: short names from this table."""
    return {f"monitor.metrics.{row.name}": short_label(row.name, lang) for row in _ROWS}


def table_columns(task: str | None) -> dict[str, list[str]]:
    """``haechi monitor run`` table columns of ``task`` → the metrics each shows, in order."""
    columns: dict[str, list[str]] = {}
    for row in for_task(task):
        if row.column:
            columns.setdefault(row.column, []).append(row.name)
    return columns


#: the order of the dashboard's charts by family (within a family: catalogue order)
CHART_FAMILIES: tuple[Family, ...] = ("performance", "transparency", "privacy", "service", "volume", "fairness",
                                      "drift", "data_quality")


def charts(task: str | None) -> dict[str, list[str]]:
    """Dashboard chart ids of ``task`` → the metrics each draws, performance first."""
    out: dict[str, list[str]] = {}
    for row in sorted(for_task(task), key=lambda m: CHART_FAMILIES.index(m.family)):
        if row.chart:
            out.setdefault(row.chart, []).append(row.name)
    return out


#: one value of a metric: value, place (feature, attribute, column or app score; None for
#: the window), group (or None; for a score's gap between groups, the group column), and
#: the rows behind it
Place = tuple[float | None, str | None, str | None, int | None]


def places(window: dict[str, Any], name: str) -> Iterator[Place]:
    """Every value of metric ``name`` in one window result, where its scope puts it."""
    row = METRICS[name]
    if row.scope == "window":
        block = window if row.family == "volume" else window.get("performance") or {}
        yield block.get(name), None, None, window.get("n")
    elif row.scope == "attribute":
        for attr, fairness in (window.get("fairness") or {}).items():
            yield fairness.get(name), attr, None, window.get("n")
    elif row.scope == "group":
        yield from _group_places(window, name)
    elif row.scope == "class":
        yield from _class_places(window, name)
    elif row.scope == "feature":
        for feature, drift in (window.get("drift") or {}).items():
            if name in drift:
                yield drift[name], feature, None, drift.get("n")
    elif row.scope == "score":
        yield from _score_places(window, name)
    else:
        shares = (window.get("data_quality") or {}).get(name) or {}
        for column, value in shares.items():
            yield value, column, None, window.get("n")


def _score_places(window: dict[str, Any], name: str) -> Iterator[Place]:
    """Each app score's mean, or each score's gap between the groups of each group column."""
    if METRICS[name].family == "fairness":
        for attr, fairness in (window.get("fairness") or {}).items():
            for score, value in (fairness.get(name) or {}).items():
                yield value, score, attr, window.get("n")
        return
    for score, values in (window.get("scores") or {}).items():
        yield values.get(name), score, None, values.get("n")


def _group_places(window: dict[str, Any], name: str) -> Iterator[Place]:
    for attr, fairness in (window.get("fairness") or {}).items():
        for group, values in fairness.get("groups", {}).items():
            if not values.get("small"):  # too few rows to mean anything: shown, never judged
                yield values.get(name), attr, group, values.get("n")


def _class_places(window: dict[str, Any], name: str) -> Iterator[Place]:
    """Each class of a multiclass window; the rows behind a value are the class's support.

    A class with no true rows has recall 0 and one never predicted precision 0 (as
    scikit-learn's ``zero_division=0`` shows them), but there is nothing to judge: such a
    value is given as ``None`` so it raises no alert."""
    denominators = {"class_recall": "support", "class_precision": "predicted"}
    for cls, values in (window.get("classes") or {}).items():
        judged = values.get(denominators.get(name, ""), 1) != 0
        yield values.get(name) if judged else None, cls, None, values.get("support")


def worst(window: dict[str, Any], name: str) -> float | None:
    """The metric's worst value in the window (its direction decides; unknown: the largest)."""
    values = [v for v, *_ in places(window, name) if v is not None]
    if not values:
        return None
    return min(values) if METRICS[name].higher_is_better else max(values)
