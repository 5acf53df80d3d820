"""Fairness per sensitive attribute: group rates and the Fairlearn disparity metrics.

Groups are the values of the attribute present in the window (rows with a null value
belong to no group; the attribute's missing share shows how many). Every group reports
its size and is flagged ``small`` under ``min_group_size``; small groups still count in
the disparity metrics, as in Fairlearn — flagged, not hidden.

Conventions follow Fairlearn 0.x so the numbers match it as the oracle:

* selection rate is over rows with a prediction (Fairlearn ``selection_rate``);
* a group with labeled rows but no positives has tpr 0 (Fairlearn ``true_positive_rate``
  normalises the confusion matrix and turns 0/0 into 0), likewise fpr without negatives;
* equalized odds difference = max(max−min tpr, max−min fpr) over groups with labeled rows;
* demographic parity ratio = min/max selection rate (0/0 gives null here, where Fairlearn
  would return nan).
"""

from __future__ import annotations

from typing import Any

from .classification import Confusion, false_positive_rate, selection_rate, true_positive_rate
from .regression import RegressionSums, regression_metrics


def _spread(values: list[float]) -> float | None:
    return max(values) - min(values) if values else None


def binary_fairness(groups: dict[str, Confusion], min_group_size: int) -> dict[str, Any]:
    """Group breakdown and disparity metrics of one attribute in one window."""
    out_groups: dict[str, dict[str, Any]] = {}
    for name in sorted(groups):
        c = groups[name]
        out_groups[name] = {
            "n": c.n, "n_labeled": c.n_scored,
            "selection_rate": selection_rate(c),
            "tpr": true_positive_rate(c), "fpr": false_positive_rate(c),
            "small": c.n < min_group_size,
        }
    rates = [g["selection_rate"] for g in out_groups.values() if g["selection_rate"] is not None]
    tprs = [g["tpr"] for g in out_groups.values() if g["tpr"] is not None]
    fprs = [g["fpr"] for g in out_groups.values() if g["fpr"] is not None]
    tpr_gap, fpr_gap = _spread(tprs), _spread(fprs)
    ratio = None
    if rates and max(rates) > 0:
        ratio = min(rates) / max(rates)
    return {
        "groups": out_groups,
        "demographic_parity_difference": _spread(rates),
        "demographic_parity_ratio": ratio,
        "equalized_odds_difference": None if tpr_gap is None or fpr_gap is None else max(tpr_gap, fpr_gap),
        "small_groups": [name for name, g in out_groups.items() if g["small"]],
    }


def regression_fairness(groups: dict[str, tuple[int, RegressionSums]], min_group_size: int) -> dict[str, Any]:
    """Per-group error (mae, rmse) and the spread of mae between groups.

    ``groups`` maps a group to (rows in the group, error sums over its labeled rows).
    """
    out_groups: dict[str, dict[str, Any]] = {}
    for name in sorted(groups):
        n, sums = groups[name]
        metrics = regression_metrics(sums)
        out_groups[name] = {"n": n, "n_labeled": sums.n, "mae": metrics["mae"], "rmse": metrics["rmse"],
                            "small": n < min_group_size}
    maes = [g["mae"] for g in out_groups.values() if g["mae"] is not None]
    return {"groups": out_groups, "mae_difference": _spread(maes),
            "small_groups": [name for name, g in out_groups.items() if g["small"]]}
