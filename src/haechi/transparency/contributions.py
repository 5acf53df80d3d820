"""Feature contributions for one decision: the "main criteria" of an explanation.

KR Art. 34(1)(2) asks for the main criteria behind a high-impact AI's final result as far
as technically feasible (also Art. 3(2)); EU Art. 86 for the main elements of a decision.
Contributions can be supplied with the logged event; for scikit-learn models Haechi
computes them exactly, so ``baseline + sum(contributions)`` equals the model's own output:

* linear models: ``coef_j * (x_j - mean_j)`` against a background mean, on the
  ``decision_function`` (log-odds for logistic regression) or ``predict`` scale;
* trees and tree ensembles (decision tree, random forest, extra trees, gradient boosting):
  the change in the node value along the decision path, credited to the split feature
  (Saabas' method), on the probability scale for classifier trees and forests and on the
  raw (log-odds) scale for gradient boosting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from haechi.domain.errors import Issue, ValidationFailed


@dataclass(frozen=True)
class Contributions:
    """Per-feature contributions on ``scale``; ``baseline + sum(values) == output``."""

    features: list[str]
    values: list[float]
    baseline: float
    output: float
    scale: str
    method: str

    def ranked(self, top: int | None = None) -> list[tuple[str, float]]:
        pairs = sorted(zip(self.features, self.values, strict=True), key=lambda p: -abs(p[1]))
        return pairs[:top] if top else pairs

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "output": self.output,
            "scale": self.scale,
            "method": self.method,
            "contributions": [{"feature": f, "value": v} for f, v in self.ranked()],
        }


def supplied(
    values: dict[str, float], output: float | None = None, baseline: float | None = None, scale: str = "score"
) -> Contributions:
    """Contributions given with the logged event (e.g. computed by the team's own tooling)."""
    clean = {str(k): _number(v, f"contributions.{k}") for k, v in values.items()}
    total = sum(clean.values())
    base = baseline if baseline is not None else ((output - total) if output is not None else 0.0)
    return Contributions(list(clean), list(clean.values()), base, base + total, scale, "supplied with the event")


def _number(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            f"{where} is not a number", key="transparency.not_a_number", values={"where": where},
            issues=[Issue(where, f"got {value!r}", "give a number")],
        ) from None
    if not np.isfinite(number):
        raise ValidationFailed(
            f"{where} is not finite", key="transparency.not_finite", values={"where": where},
            issues=[Issue(where, "NaN or infinite", "give a finite number")],
        )
    return number


def compute(
    model: Any,
    x: dict[str, float] | list[float],
    feature_names: list[str] | None = None,
    background: Any = None,
    target_class: int | None = None,
) -> Contributions:
    """Exact contributions for a fitted scikit-learn linear or tree model."""
    names = _names(model, x, feature_names)
    row = np.asarray([x[n] for n in names] if isinstance(x, dict) else x, dtype=float)
    if hasattr(model, "estimators_") and hasattr(model, "init_"):
        return _gradient_boosting(model, row, names, target_class)
    if hasattr(model, "tree_") or (hasattr(model, "estimators_") and hasattr(model.estimators_[0], "tree_")):
        return _trees(model, row, names, target_class)
    if hasattr(model, "coef_") and hasattr(model, "intercept_"):
        return _linear(model, row, names, background, target_class)
    raise ValidationFailed(
        f"cannot compute contributions for {type(model).__name__}",
        key="transparency.contributions_unsupported", values={"model": type(model).__name__},
        issues=[
            Issue(
                "model",
                "unsupported model",
                "use a scikit-learn linear or tree model, or supply contributions with the event",
            )
        ],
    )


def _names(model: Any, x: dict[str, float] | list[float], given: list[str] | None) -> list[str]:
    names = given or [str(n) for n in getattr(model, "feature_names_in_", [])]
    if not names and isinstance(x, dict):
        names = list(x)
    if not names:
        names = [f"x{i}" for i in range(len(x))]
    if isinstance(x, dict):
        missing = [n for n in names if n not in x]
        if missing:
            raise ValidationFailed(
                f"the event lacks features the model needs: {', '.join(missing)}",
                key="transparency.missing_features", values={"features": ", ".join(missing)},
                issues=[Issue(f"features.{n}", "missing", "log every model input") for n in missing],
            )
    return names


def _class_index(model: Any, target_class: int | None) -> int:
    classes = getattr(model, "classes_", None)
    if classes is None:
        return 0
    return int(target_class) if target_class is not None else len(classes) - 1


def _linear(model: Any, row: np.ndarray, names: list[str], background: Any, target_class: int | None) -> Contributions:
    coef = np.atleast_2d(model.coef_)
    intercept = np.atleast_1d(model.intercept_)
    k = 0 if coef.shape[0] == 1 else _class_index(model, target_class)
    mean = np.asarray(background, dtype=float).mean(axis=0) if background is not None else np.zeros_like(row)
    values = coef[k] * (row - mean)
    baseline = float(intercept[k] + coef[k] @ mean)
    is_classifier = hasattr(model, "classes_")
    scale = "log-odds (decision function)" if is_classifier else "predicted value"
    return Contributions(
        names,
        [float(v) for v in values],
        baseline,
        baseline + float(values.sum()),
        scale,
        "linear model: coefficient x (value - background mean)",
    )


def _tree_path(tree: Any, row: np.ndarray, k: int, classifier: bool) -> tuple[float, np.ndarray]:
    """Root value and per-feature changes along the path of ``row`` through one tree."""
    t = tree.tree_
    values = t.value[:, 0, :] if t.value.ndim == 3 else t.value
    if classifier:
        values = values / values.sum(axis=1, keepdims=True)
    node_value = values[:, k] if classifier else values[:, 0]
    contrib = np.zeros(row.shape[0])
    node = 0
    while t.children_left[node] != -1:
        feature = t.feature[node]
        child = t.children_left[node] if row[feature] <= t.threshold[node] else t.children_right[node]
        contrib[feature] += node_value[child] - node_value[node]
        node = child
    return float(node_value[0]), contrib


def _trees(model: Any, row: np.ndarray, names: list[str], target_class: int | None) -> Contributions:
    trees = model.estimators_ if hasattr(model, "estimators_") else [model]
    classifier = hasattr(model, "classes_")
    k = _class_index(model, target_class) if classifier else 0
    bias, total = 0.0, np.zeros(row.shape[0])
    for tree in trees:
        root, contrib = _tree_path(tree, row, k, classifier)
        bias, total = bias + root, total + contrib
    bias, total = bias / len(trees), total / len(trees)
    scale = "probability" if classifier else "predicted value"
    return Contributions(
        names,
        [float(v) for v in total],
        bias,
        bias + float(total.sum()),
        scale,
        "tree path attribution (Saabas): change of node value along the decision path",
    )


def _gradient_boosting(model: Any, row: np.ndarray, names: list[str], target_class: int | None) -> Contributions:
    stages = model.estimators_
    k = 0 if stages.shape[1] == 1 else _class_index(model, target_class)
    init = float(np.asarray(model._raw_predict_init(row.reshape(1, -1)))[0, k])
    bias, total = init, np.zeros(row.shape[0])
    for stage in stages[:, k]:
        root, contrib = _tree_path(stage, row, 0, classifier=False)
        bias += model.learning_rate * root
        total += model.learning_rate * contrib
    scale = "log-odds (raw score)" if hasattr(model, "classes_") else "predicted value"
    return Contributions(
        names,
        [float(v) for v in total],
        bias,
        bias + float(total.sum()),
        scale,
        "gradient boosting: tree path attribution scaled by the learning rate",
    )
