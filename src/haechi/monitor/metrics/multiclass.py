"""Multiclass classification metrics from a confusion table (class names are text).

Engines count rows per (label, prediction) pair of a window — and of each group of a
sensitive attribute — and these functions turn the pairs into what scikit-learn computes
on the raw rows: the classes are those seen as a label or a prediction among the rows
that have both (``sklearn.utils.multiclass.unique_labels``), precision/recall/F1 use
``zero_division=0``, the weighted F1 weighs each class by its support (true count).

Class names are compared as text: a log whose label is ``2`` and whose prediction is
``2.0`` holds two classes, so both columns should use the same type.
"""

from __future__ import annotations

from typing import Any

#: (label, prediction) → rows
Cells = dict[tuple[str, str], int]


def class_order(classes: set[str]) -> list[str]:
    """Numeric class names in numeric order (``2`` before ``10``), then the others as text."""
    def key(name: str) -> tuple[int, float, str]:
        try:
            return (0, float(name), name)
        except ValueError:
            return (1, 0.0, name)
    return sorted(classes, key=key)


def confusion_matrix(cells: Cells) -> dict[str, Any]:
    """``{"labels": [...], "counts": [[...]]}``: rows are true classes, columns predicted
    (``sklearn.metrics.confusion_matrix(y_true, y_pred, labels=labels)``)."""
    labels = class_order({c for pair in cells for c in pair})
    index = {name: i for i, name in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    for (truth, predicted), n in cells.items():
        counts[index[truth]][index[predicted]] += n
    return {"labels": labels, "counts": counts}


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def per_class(cells: Cells) -> dict[str, dict[str, Any]]:
    """Support, precision and recall of every class (``zero_division=0``)."""
    matrix = confusion_matrix(cells)
    counts = matrix["counts"]
    out = {}
    for i, name in enumerate(matrix["labels"]):
        true_n = sum(counts[i])
        predicted_n = sum(row[i] for row in counts)
        out[name] = {"support": true_n, "predicted": predicted_n,
                     "class_precision": _ratio(counts[i][i], predicted_n),
                     "class_recall": _ratio(counts[i][i], true_n)}
    return out


def _f1(tp: int, predicted: int, support: int) -> float:
    return _ratio(2 * tp, predicted + support)


def multiclass_metrics(cells: Cells) -> dict[str, float | None]:
    """accuracy, macro and weighted F1; all ``None`` when no row has a label and a prediction."""
    total = sum(cells.values())
    if total == 0:
        return {"accuracy": None, "macro_f1": None, "weighted_f1": None}
    classes = per_class(cells)
    correct = {name: cells.get((name, name), 0) for name in classes}
    f1 = {name: _f1(correct[name], c["predicted"], c["support"]) for name, c in classes.items()}
    return {"accuracy": sum(correct.values()) / total,
            "macro_f1": sum(f1.values()) / len(f1),
            "weighted_f1": sum(f1[name] * c["support"] for name, c in classes.items()) / total}


def class_block(cells: Cells) -> dict[str, dict[str, Any]]:
    """Per class: support (true rows), predicted rows, and the precision and recall of the
    catalogue (``class`` scope)."""
    return {name: {"support": c["support"], "predicted": c["predicted"], "class_precision": c["class_precision"],
                   "class_recall": c["class_recall"]} for name, c in per_class(cells).items()}


def _spread(values: list[float]) -> float | None:
    return max(values) - min(values) if values else None


def multiclass_fairness(groups: dict[str, tuple[int, Cells]], min_group_size: int) -> dict[str, Any]:
    """Per group: accuracy, macro/weighted F1, per-class precision and recall and the
    confusion matrix; per attribute the gaps between groups (groups with labeled rows):
    ``accuracy_difference``, ``macro_f1_difference`` and ``class_recall_difference``
    (the largest max − min of one class's recall over the groups where the class occurs
    as a label — a multiclass equal opportunity)."""
    out_groups: dict[str, dict[str, Any]] = {}
    for name in sorted(groups):
        n, cells = groups[name]
        labeled = sum(cells.values())
        out_groups[name] = {"n": n, "n_labeled": labeled, **multiclass_metrics(cells),
                            "classes": class_block(cells), "confusion_matrix": confusion_matrix(cells),
                            "small": n < min_group_size}
    judged = [g for g in out_groups.values() if g["n_labeled"]]
    recalls: dict[str, list[float]] = {}
    for group in judged:
        for cls, values in group["classes"].items():
            if values["support"]:
                recalls.setdefault(cls, []).append(values["class_recall"])
    class_gaps = [gap for values in recalls.values() if (gap := _spread(values)) is not None]
    return {"groups": out_groups,
            "accuracy_difference": _spread([g["accuracy"] for g in judged]),
            "macro_f1_difference": _spread([g["macro_f1"] for g in judged]),
            "class_recall_difference": max(class_gaps) if class_gaps else None,
            "small_groups": [name for name, g in out_groups.items() if g["small"]]}
