"""The catalogue of monitoring metrics: one row per metric, the single source of names.

Spec validation (which thresholds exist), alert evaluation (where a metric lives in a
window result), the dashboard (labels, which direction is good) and the docs all read
this table, so a metric is declared exactly once. The formulas live beside it in
``classification``, ``regression``, ``fairness``, ``drift`` and ``quality``; the
definitions are those of ``spec/monitoring.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Family = Literal["volume", "performance", "fairness", "drift", "data_quality"]
#: where one value of the metric lives in a window result
Scope = Literal["window", "attribute", "group", "feature", "column"]
Task = Literal["binary_classification", "regression"]
BOTH: tuple[Task, ...] = ("binary_classification", "regression")
BINARY: tuple[Task, ...] = ("binary_classification",)
REGRESSION: tuple[Task, ...] = ("regression",)


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


_ROWS = [
    MetricInfo("n", "volume", "window", BOTH, "rows", "행 수", None, "count of rows in the window"),
    MetricInfo("n_labeled", "volume", "window", BOTH, "labeled rows", "레이블 있는 행 수", None,
               "count of rows with a label"),
    MetricInfo("accuracy", "performance", "window", BINARY, "accuracy", "정확도", True,
               "sklearn.metrics.accuracy_score"),
    MetricInfo("precision", "performance", "window", BINARY, "precision", "정밀도", True,
               "sklearn.metrics.precision_score(zero_division=0)"),
    MetricInfo("recall", "performance", "window", BINARY, "recall", "재현율", True,
               "sklearn.metrics.recall_score(zero_division=0)"),
    MetricInfo("f1", "performance", "window", BINARY, "F1", "F1 점수", True,
               "sklearn.metrics.f1_score(zero_division=0)"),
    MetricInfo("roc_auc", "performance", "window", BINARY, "ROC AUC", "ROC AUC", True,
               "sklearn.metrics.roc_auc_score(label, score)"),
    MetricInfo("mae", "performance", "window", REGRESSION, "mean absolute error", "평균 절대 오차",
               False, "sklearn.metrics.mean_absolute_error"),
    MetricInfo("rmse", "performance", "window", REGRESSION, "root mean squared error",
               "평균 제곱근 오차", False, "sklearn.metrics.root_mean_squared_error"),
    MetricInfo("r2", "performance", "window", REGRESSION, "R²", "결정계수 R²", True,
               "sklearn.metrics.r2_score"),
    MetricInfo("selection_rate", "fairness", "group", BINARY, "selection rate", "선정률", None,
               "fairlearn.metrics.selection_rate per group"),
    MetricInfo("tpr", "fairness", "group", BINARY, "true positive rate", "참양성률", True,
               "fairlearn.metrics.true_positive_rate per group"),
    MetricInfo("fpr", "fairness", "group", BINARY, "false positive rate", "거짓양성률", False,
               "fairlearn.metrics.false_positive_rate per group"),
    MetricInfo("demographic_parity_difference", "fairness", "attribute", BINARY,
               "demographic parity difference", "인구통계적 동등성 차이", False,
               "fairlearn.metrics.demographic_parity_difference"),
    MetricInfo("demographic_parity_ratio", "fairness", "attribute", BINARY,
               "demographic parity ratio", "인구통계적 동등성 비율", True,
               "fairlearn.metrics.demographic_parity_ratio"),
    MetricInfo("equalized_odds_difference", "fairness", "attribute", BINARY,
               "equalized odds difference", "균등 오즈 차이", False,
               "fairlearn.metrics.equalized_odds_difference"),
    MetricInfo("mae_difference", "fairness", "attribute", REGRESSION,
               "MAE difference between groups", "집단 간 MAE 차이", False,
               "max - min of sklearn mean_absolute_error per group"),
    MetricInfo("psi", "drift", "feature", BOTH, "population stability index", "모집단 안정성 지수",
               False, "spec/monitoring.md PSI (deciles of the reference)", ("numeric", "categorical")),
    MetricInfo("ks", "drift", "feature", BOTH, "Kolmogorov–Smirnov statistic", "K-S 통계량", False,
               "scipy.stats.ks_2samp(...).statistic", ("numeric",)),
    MetricInfo("wasserstein", "drift", "feature", BOTH, "Wasserstein distance", "바서슈타인 거리",
               False, "scipy.stats.wasserstein_distance", ("numeric",)),
    MetricInfo("js_distance", "drift", "feature", BOTH, "Jensen–Shannon distance",
               "젠슨-섀넌 거리", False, "scipy.spatial.distance.jensenshannon(base=2)",
               ("categorical",)),
    MetricInfo("chi2_pvalue", "drift", "feature", BOTH, "chi-squared p-value", "카이제곱 p-값", True,
               "scipy.stats.chi2_contingency(correction=False).pvalue", ("categorical",)),
    MetricInfo("missing_share", "data_quality", "column", BOTH, "missing share", "결측 비율", False,
               "share of null values in the column"),
]

METRICS: dict[str, MetricInfo] = {row.name: row for row in _ROWS}


def metric_names(task: str | None = None) -> list[str]:
    """Names of the metrics that apply to ``task`` (all when ``None``)."""
    return [m.name for m in _ROWS if task is None or task in m.tasks]


def info(name: str) -> MetricInfo:
    """The catalogue row of ``name``; ``KeyError`` if unknown."""
    return METRICS[name]
