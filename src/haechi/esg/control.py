"""Before/after effect adjusted by a control line (difference in differences).

A line the AI system does not act on, observed over the same two windows, carries the
changes both lines share (season, demand, a new shift pattern). The adjusted effect is
``(treated after − treated before) − (control after − control before)``; its interval
comes from the same seeded bootstrap, resampling periods in each of the four groups
independently. It rests on the assumption that both lines would have moved alike
without the AI ("parallel trends") — still an observed change, not causal proof.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .effect import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    MIN_PERIODS,
    _matrix,
    _point,
    _replicates,
    _verdict,
    estimate,
    statistic_for,
)
from .kpi import Period

ASSUMPTION = "assumes the control line would have changed like the treated line without the AI (parallel trends)"
ASSUMPTION_KO = "AI가 없었다면 대조 라인과 대상 라인이 같은 방향·크기로 변했을 것이라고 가정합니다(평행 추세)"


def estimate_with_control(
    before: Sequence[Period],
    after: Sequence[Period],
    control_before: Sequence[Period],
    control_after: Sequence[Period],
    kpi: str,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
    block_length: int = 1,
) -> dict[str, Any]:
    """The plain effect of :func:`estimate` plus ``control`` and the ``adjusted`` effect."""
    options: dict[str, Any] = {
        "resamples": resamples,
        "seed": seed,
        "confidence": confidence,
        "block_length": block_length,
    }
    out = estimate(before, after, kpi, **options)
    control = estimate(control_before, control_after, kpi, **options)
    out["control"] = {k: control[k] for k in ("before", "after", "difference", "n_before", "n_after", "verdict")}
    out["adjusted"] = _adjusted([before, after, control_before, control_after], kpi, options, out["direction"])
    return out


def _adjusted(groups: list[Sequence[Period]], kpi: str, options: dict[str, Any], direction: str) -> dict[str, Any]:
    stat = statistic_for(kpi)
    data = [_matrix(g, stat) for g in groups]
    result: dict[str, Any] = {
        "difference": None,
        "ci_low": None,
        "ci_high": None,
        "verdict": "insufficient_data",
        "reason": None,
        "assumption": ASSUMPTION,
        "assumption_ko": ASSUMPTION_KO,
    }
    if min(len(d) for d in data) < MIN_PERIODS:
        result["reason"] = f"fewer than {MIN_PERIODS} periods in a window of one line"
        return result
    points = [_point(d, stat) for d in data]
    if any(p is None for p in points):
        result["reason"] = "the KPI is undefined in a window (zero denominator)"
        return result
    tb, ta, cb, ca = (float(p) for p in points)  # type: ignore[arg-type]
    result["difference"] = (ta - tb) - (ca - cb)
    rng = np.random.default_rng(options["seed"])
    reps = [_replicates(d, stat, rng, options["resamples"], options["block_length"]) for d in data]
    diffs = (reps[1] - reps[0]) - (reps[3] - reps[2])
    if np.isnan(diffs).sum() > 0.01 * options["resamples"]:
        result["reason"] = "the KPI was undefined in too many resamples (zero denominators)"
        return result
    alpha = (1 - options["confidence"]) / 2
    low, high = np.nanquantile(diffs, [alpha, 1 - alpha])
    result.update(ci_low=float(low), ci_high=float(high), verdict=_verdict(float(low), float(high), direction))
    return result
