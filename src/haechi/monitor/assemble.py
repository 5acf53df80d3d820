"""Window results in the JSON shape of ``spec/monitoring.md`` (pure: counts in, dict out)."""

from __future__ import annotations

from typing import Any

from .aggregate import LABEL, PRED, SCORE, Layout, WindowStats
from .metrics.catalog import METRICS
from .metrics.classification import classification_metrics
from .metrics.drift import categorical_drift
from .metrics.fairness import binary_fairness, regression_fairness
from .metrics.multiclass import class_block, confusion_matrix, multiclass_fairness, multiclass_metrics
from .metrics.regression import regression_metrics
from .windows import Window

#: drift metrics of a numeric feature (null in a window without values of it)
NUMERIC_DRIFT = tuple(m.name for m in METRICS.values() if m.scope == "feature" and "numeric" in m.kinds)
#: performance metrics that need a score column (left out when the spec maps none)
NEEDS_SCORE = frozenset(m.name for m in METRICS.values() if "score" in m.needs)


def window_result(window: Window, stats: WindowStats | None, reference: WindowStats, layout: Layout, *,
                  drift: dict[str, dict[int, dict[str, Any]]], auc: dict[int, float | None],
                  min_group_size: int, generative: Any = None) -> dict[str, Any]:
    """One window's metrics; a window without rows has ``n: 0`` and null metrics.

    ``generative``: the generative pass's counts of a ``task: generative`` monitor."""
    stats = stats or WindowStats()
    if layout.task == "generative":
        from .generative.assemble import generative_window

        return generative_window(window, stats, reference, layout, drift=drift, counts=generative,
                                 min_group_size=min_group_size)
    out: dict[str, Any] = {**window.to_dict(), "n": stats.n, "n_labeled": stats.non_null.get(LABEL, 0)}
    out["performance"] = _performance(stats, layout, auc.get(window.index))
    if layout.multiclass:  # per class and the whole table, beside the window's single values
        out["classes"] = class_block(stats.cells)
        out["confusion_matrix"] = confusion_matrix(stats.cells)
    if layout.sensitive:
        out["fairness"] = _fairness(stats, layout, min_group_size)
    if layout.numeric or layout.categorical:
        out["drift"] = _drift(window.index, stats, reference, layout, drift)
    out["data_quality"] = {"missing_share": _missing(stats, layout)}
    return out


def _performance(stats: WindowStats, layout: Layout, auc: float | None) -> dict[str, Any]:
    if layout.task == "regression":
        return regression_metrics(stats.regression)
    if layout.multiclass:
        return multiclass_metrics(stats.cells)
    metrics = classification_metrics(stats.confusion, auc)
    if not layout.columns.score:
        return {name: value for name, value in metrics.items() if name not in NEEDS_SCORE}
    return metrics


def _fairness(stats: WindowStats, layout: Layout, min_group_size: int) -> dict[str, Any]:
    out = {}
    for key, name in layout.sensitive:
        groups = stats.groups.get(key, {})
        if layout.task == "regression":
            out[name] = regression_fairness(groups, min_group_size)
        elif layout.multiclass:
            out[name] = multiclass_fairness(groups, min_group_size)
        else:
            out[name] = binary_fairness(groups, min_group_size)
    return out


def _drift(index: int, stats: WindowStats, reference: WindowStats, layout: Layout,
           drift: dict[str, dict[int, dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in layout.numeric:
        out[name] = drift.get(key, {}).get(index) or {"n": 0, **dict.fromkeys(NUMERIC_DRIFT)}
    for key, name in layout.categorical:
        out[name] = categorical_drift(reference.categories.get(key, {}), stats.categories.get(key, {}))
    return out


def _missing(stats: WindowStats, layout: Layout) -> dict[str, float | None]:
    cols = layout.columns
    out: dict[str, float | None] = {}
    sources = [(PRED, cols.prediction), (LABEL, cols.label), (SCORE, cols.score)]
    for internal, name in sources + layout.numeric:
        if name:
            out[name] = _share(stats.n - stats.non_null.get(internal, 0), stats.n)
    for key, name in layout.sensitive + layout.categorical:
        out[name] = _share(stats.key_nulls.get(key, 0), stats.n)
    return out


def _share(missing: int, n: int) -> float | None:
    return missing / n if n else None


def reference_summary(reference: WindowStats) -> dict[str, Any]:
    """Size of the reference as the output reports it."""
    return {"n": reference.n, "n_labeled": reference.non_null.get(LABEL, 0)}
