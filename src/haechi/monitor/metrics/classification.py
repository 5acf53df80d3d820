"""Binary classification metrics from counts (positive class 1).

Engines never hand rows to Python: they return a confusion count per window (and per
window × group), and the score/label pairs of a window sorted by score. These functions
turn those into the values scikit-learn computes on the raw rows; the tests compare
both. Rows whose label or prediction is not 0 or 1 (null included) fall outside the
four cells and so outside the label-based metrics, as the spec asks.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass
class Confusion:
    """Counts for one scope: all rows, predictions, selections and the 2×2 table."""

    n: int = 0            # rows
    n_pred: int = 0       # rows with a prediction
    n_selected: int = 0   # rows predicted 1
    n_labeled: int = 0    # rows with a label
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def __add__(self, other: Confusion) -> Confusion:
        return Confusion(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def n_scored(self) -> int:
        """Rows in the 2×2 table (label and prediction both 0/1)."""
        return self.tp + self.fp + self.tn + self.fn


def _ratio(num: int, den: int) -> float:
    """``num / den``, or 0.0 when ``den`` is 0 (scikit-learn's ``zero_division=0``)."""
    return num / den if den else 0.0


def classification_metrics(c: Confusion, roc_auc: float | None) -> dict[str, float | None]:
    """accuracy, precision, recall, f1 (``zero_division=0``) and the given roc_auc.

    All are ``None`` when no row has both a label and a prediction.
    """
    if c.n_scored == 0:
        return {"accuracy": None, "precision": None, "recall": None, "f1": None, "roc_auc": None}
    return {
        "accuracy": (c.tp + c.tn) / c.n_scored,
        "precision": _ratio(c.tp, c.tp + c.fp),
        "recall": _ratio(c.tp, c.tp + c.fn),
        "f1": _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
        "roc_auc": roc_auc,
    }


def selection_rate(c: Confusion) -> float | None:
    """Share of rows predicted 1 among rows with a prediction."""
    return c.n_selected / c.n_pred if c.n_pred else None


def true_positive_rate(c: Confusion) -> float | None:
    """tp / (tp + fn); ``None`` without labeled rows; 0.0 without positives (Fairlearn)."""
    if c.n_scored == 0:
        return None
    return _ratio(c.tp, c.tp + c.fn)


def false_positive_rate(c: Confusion) -> float | None:
    """fp / (fp + tn); ``None`` without labeled rows; 0.0 without negatives (Fairlearn)."""
    if c.n_scored == 0:
        return None
    return _ratio(c.fp, c.fp + c.tn)


class AucAccumulator:
    """Exact ROC AUC from (score, label) pairs arriving sorted by score, in chunks.

    AUC is the Mann–Whitney probability that a positive outscores a negative, ties
    counting one half — the area under scikit-learn's trapezoidal ROC curve. The sum is
    kept in integers (twice the area), so it is exact whatever the window size. Chunks
    may split a run of equal scores, so the last score's counts wait for the next chunk.
    """

    def __init__(self) -> None:
        self.pos = 0          # positives with a score below the pending one
        self.neg = 0          # negatives with a score below the pending one
        self.area2 = 0        # sum over positives of (2 × negatives below + tied negatives)
        self._pending: tuple[float, int, int] | None = None

    def add(self, scores: np.ndarray, labels: np.ndarray) -> None:
        """Add a chunk; ``scores`` ascending and ≥ every score of earlier chunks."""
        if len(scores) == 0:
            return
        starts = np.flatnonzero(np.r_[True, scores[1:] != scores[:-1]])
        uniq = scores[starts]
        pos_at = np.add.reduceat((labels == 1).astype(np.int64), starts)
        neg_at = np.add.reduceat((labels == 0).astype(np.int64), starts)
        if self._pending is not None and uniq[0] == self._pending[0]:
            pos_at[0] += self._pending[1]
            neg_at[0] += self._pending[2]
        elif self._pending is not None:
            self._settle(np.array([self._pending[1]]), np.array([self._pending[2]]))
        self._settle(pos_at[:-1], neg_at[:-1])
        self._pending = (float(uniq[-1]), int(pos_at[-1]), int(neg_at[-1]))

    def _settle(self, pos_at: np.ndarray, neg_at: np.ndarray) -> None:
        if len(pos_at) == 0:
            return
        neg_before = self.neg + np.cumsum(neg_at) - neg_at
        self.area2 += int(np.sum(pos_at * (2 * neg_before + neg_at)))
        self.pos += int(pos_at.sum())
        self.neg += int(neg_at.sum())

    def result(self) -> float | None:
        """The AUC, or ``None`` when positives or negatives are missing."""
        if self._pending is not None:
            self._settle(np.array([self._pending[1]]), np.array([self._pending[2]]))
            self._pending = None
        if self.pos == 0 or self.neg == 0:
            return None
        return self.area2 / (2 * self.pos * self.neg)


def auc_of_classes(positives: np.ndarray, negatives: np.ndarray) -> float | None:
    """Exact ROC AUC from the scores of the positives and of the negatives, in any order.

    The same Mann–Whitney count as :class:`AucAccumulator`, for a whole window at once:
    two value sorts and two merges of sorted keys are several times cheaper than one
    stable argsort of the (score, label) pairs. Twice the area is summed in integers.
    """
    if len(positives) == 0 or len(negatives) == 0:
        return None
    pos, neg = np.sort(positives), np.sort(negatives)
    below = np.searchsorted(neg, pos, side="left")
    at_or_below = np.searchsorted(neg, pos, side="right")
    area2 = int(below.sum()) + int(at_or_below.sum())   # 2·below + tied = below + at_or_below
    return area2 / (2 * len(pos) * len(neg))
