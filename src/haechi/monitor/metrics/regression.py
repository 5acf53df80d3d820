"""Regression metrics (mae, rmse, r2) from mergeable sums.

Engines return, per window and per window × group, the number of rows with both a
label and a prediction, the sums of absolute and squared errors, and the mean and
centred sum of squares of the label. The centred form (merged with Chan's formula)
keeps r2 accurate where ``Σy² − (Σy)²/n`` would cancel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class RegressionSums:
    """Mergeable error sums for one scope."""

    n: int = 0                  # rows with a label and a prediction
    abs_error: float = 0.0      # Σ |y - ŷ|
    sq_error: float = 0.0       # Σ (y - ŷ)²
    label_mean: float = 0.0     # mean of y
    label_m2: float = 0.0       # Σ (y - mean)²

    def __add__(self, other: RegressionSums) -> RegressionSums:
        if other.n == 0:
            return RegressionSums(self.n, self.abs_error, self.sq_error, self.label_mean, self.label_m2)
        if self.n == 0:
            return RegressionSums(other.n, other.abs_error, other.sq_error, other.label_mean, other.label_m2)
        n = self.n + other.n
        delta = other.label_mean - self.label_mean
        mean = self.label_mean + delta * other.n / n
        m2 = self.label_m2 + other.label_m2 + delta * delta * self.n * other.n / n
        return RegressionSums(n, self.abs_error + other.abs_error, self.sq_error + other.sq_error, mean, m2)


def regression_metrics(s: RegressionSums) -> dict[str, float | None]:
    """mae, rmse and r2 as scikit-learn computes them; ``None`` without rows.

    r2 follows scikit-learn's ``force_finite``: with a constant label it is 1.0 for a
    perfect prediction and 0.0 otherwise; with fewer than two rows it is undefined.
    """
    if s.n == 0:
        return {"mae": None, "rmse": None, "r2": None}
    return {"mae": s.abs_error / s.n, "rmse": math.sqrt(s.sq_error / s.n), "r2": _r2(s)}


def _r2(s: RegressionSums) -> float | None:
    if s.n < 2:
        return None
    if s.label_m2 == 0.0:
        return 1.0 if s.sq_error == 0.0 else 0.0
    return 1.0 - s.sq_error / s.label_m2
