"""Before/after effect of an AI system on a KPI, with a seeded bootstrap interval.

The resampling unit is the *period* (a day or shift row): each bootstrap replicate draws
periods with replacement, separately before and after, and recomputes the KPI as a ratio
of sums (or, for additive KPIs, the mean per period). With ``block_length > 1`` runs of
consecutive periods are drawn instead (moving-block bootstrap), which keeps day-to-day
correlation inside the replicate. The percentile interval of ``after − before`` is
reported with both sample sizes. An interval that contains zero is reported as *no clear
change*: the estimate is shown but no effect is claimed.

This is an observed change, not causal proof; the caller shows volume and seasonality
beside it so a reader can judge what else changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .kpi import DIRECTIONS, UNIT_KO, UNITS, Period, kpi_parts, sum_measure

DEFAULT_RESAMPLES = 4000
DEFAULT_SEED = 20260122  # the day the Korean AI Basic Act entered into force
MIN_PERIODS = 5
LABEL_EN = (
    "Observed change, not causal proof: other changes in the same time (volume, season, "
    "staffing, materials, other projects) may explain part or all of it."
)
LABEL_KO = (
    "관측된 변화이며 인과관계의 증거가 아닙니다. 같은 기간의 다른 변화(생산량, 계절, 인력, "
    "자재, 다른 개선 활동)가 일부 또는 전부를 설명할 수 있습니다."
)


@dataclass(frozen=True)
class Statistic:
    """How a KPI is computed from per-period measures: Σ num / Σ den or a mean per period."""

    measures: tuple[str, ...]
    kind: str  # "ratio", "oee" or "mean_per_period"
    scale: float = 1.0


def statistic_for(kpi: str) -> Statistic:
    """The bootstrap statistic of ``kpi`` (raises ``KeyError`` for an unknown KPI)."""
    if kpi == "oee":
        return Statistic(
            (
                "actual_production_time_h",
                "planned_busy_time_h",
                "ideal_run_time_h",
                "good_qty",
                "produced_qty",
            ),
            "oee",
        )
    parts = kpi_parts(kpi)
    if parts:
        return Statistic((parts[0], parts[1]), "ratio", parts[2])
    measure = sum_measure(kpi)
    if measure is None:
        raise KeyError(kpi)
    return Statistic((measure,), "mean_per_period")


def _matrix(periods: Sequence[Period], stat: Statistic) -> np.ndarray:
    """Rows = periods with every measure recorded; columns = measures."""
    rows = [[p.value(m) for m in stat.measures] for p in periods]
    kept = [r for r in rows if all(v is not None for v in r)]
    return np.asarray(kept, dtype=float).reshape(len(kept), len(stat.measures))


def _evaluate(sums: np.ndarray, stat: Statistic, n: int) -> np.ndarray:
    """The statistic from column sums (shape ``(..., measures)``); NaN where undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if stat.kind == "mean_per_period":
            return np.asarray(sums[..., 0] / n)
        if stat.kind == "ratio":
            out = stat.scale * sums[..., 0] / sums[..., 1]
        else:  # OEE = APT/PBT × ideal/APT × GQ/PQ
            out = (sums[..., 0] / sums[..., 1]) * (sums[..., 2] / sums[..., 0]) * (sums[..., 3] / sums[..., 4])
    return np.where(np.isfinite(out), out, np.nan)


def _indices(rng: np.random.Generator, n: int, resamples: int, block: int) -> np.ndarray:
    if block <= 1 or n <= block:
        return rng.integers(0, n, size=(resamples, n))
    blocks = -(-n // block)
    starts = rng.integers(0, n - block + 1, size=(resamples, blocks))
    return (starts[:, :, None] + np.arange(block)).reshape(resamples, -1)[:, :n]


CHUNK = 512  # resamples per pass: memory stays at CHUNK × periods, whatever the data size


def _replicates(data: np.ndarray, stat: Statistic, rng: np.random.Generator, resamples: int, block: int) -> np.ndarray:
    """The statistic on ``resamples`` bootstrap replicates of the periods in ``data``.

    Each replicate is a vector of how often each period was drawn; the column sums are
    then one matrix product (no copy of the data per replicate).
    """
    n = len(data)
    out = []
    for start in range(0, resamples, CHUNK):
        size = min(CHUNK, resamples - start)
        idx = _indices(rng, n, size, block)
        flat = (np.arange(size)[:, None] * n + idx).ravel()
        counts = np.bincount(flat, minlength=size * n).reshape(size, n).astype(float)
        out.append(_evaluate(counts @ data, stat, n))
    return np.concatenate(out)


def estimate(
    before: Sequence[Period],
    after: Sequence[Period],
    kpi: str,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
    block_length: int = 1,
) -> dict[str, Any]:
    """Effect of the change between ``before`` and ``after`` periods on ``kpi``.

    Returns ``before``, ``after``, ``difference`` (after − before), ``relative_change``,
    ``ci_low``/``ci_high`` (percentile bootstrap), ``n_before``/``n_after`` (periods used),
    ``verdict`` (``improved``, ``worsened``, ``no_clear_change`` or ``insufficient_data``)
    and the method, so the figure can be reproduced.
    """
    stat = statistic_for(kpi)
    data_b, data_a = _matrix(before, stat), _matrix(after, stat)
    out: dict[str, Any] = {
        "kpi": kpi,
        "unit": UNITS[kpi],
        "unit_ko": UNIT_KO.get(UNITS[kpi], UNITS[kpi]),
        "direction": DIRECTIONS[kpi],
        "statistic": "mean per period" if stat.kind == "mean_per_period" else "ratio of sums",
        "n_before": len(data_b),
        "n_after": len(data_a),
        "confidence": confidence,
        "method": {
            "bootstrap": "percentile",
            "resampling_unit": "period",
            "resamples": resamples,
            "seed": seed,
            "block_length": block_length,
        },
        "label": LABEL_EN,
        "label_ko": LABEL_KO,
    }
    point_b = _point(data_b, stat)
    point_a = _point(data_a, stat)
    out.update(
        before=point_b,
        after=point_a,
        difference=None,
        relative_change=None,
        ci_low=None,
        ci_high=None,
        reason=None,
        reason_ko=None,
    )
    if min(len(data_b), len(data_a)) < MIN_PERIODS:
        out.update(
            verdict="insufficient_data",
            reason=f"fewer than {MIN_PERIODS} periods on one side (before {len(data_b)}, after {len(data_a)})",
            reason_ko=f"한쪽 기간 수가 {MIN_PERIODS}개 미만 (전 {len(data_b)}, 후 {len(data_a)})",
        )
        return out
    if point_b is None or point_a is None:
        out.update(
            verdict="insufficient_data",
            reason="the KPI is undefined before or after (zero denominator)",
            reason_ko="도입 전 또는 후의 KPI를 정의할 수 없음 (분모 0)",
        )
        return out
    out["difference"] = point_a - point_b
    out["relative_change"] = out["difference"] / point_b if point_b else None
    _interval(
        out,
        data_b,
        data_a,
        stat,
        resamples=resamples,
        seed=seed,
        confidence=confidence,
        block=block_length,
    )
    return out


def _point(data: np.ndarray, stat: Statistic) -> float | None:
    if len(data) == 0:
        return None
    value = float(_evaluate(data.sum(axis=0), stat, len(data)))
    return None if np.isnan(value) else value


def _interval(
    out: dict[str, Any],
    data_b: np.ndarray,
    data_a: np.ndarray,
    stat: Statistic,
    *,
    resamples: int,
    seed: int,
    confidence: float,
    block: int,
) -> None:
    rng = np.random.default_rng(seed)
    diffs = _replicates(data_a, stat, rng, resamples, block) - _replicates(data_b, stat, rng, resamples, block)
    undefined = int(np.isnan(diffs).sum())
    out["method"]["undefined_resamples"] = undefined
    if undefined > 0.01 * resamples:
        out.update(
            verdict="insufficient_data",
            reason=f"the KPI was undefined in {undefined} of {resamples} resamples (zero denominators)",
            reason_ko=f"재표본 {resamples}개 중 {undefined}개에서 KPI를 정의할 수 없음 (분모 0)",
        )
        return
    alpha = (1 - confidence) / 2
    low, high = np.nanquantile(diffs, [alpha, 1 - alpha])
    out["ci_low"], out["ci_high"] = float(low), float(high)
    out["verdict"] = _verdict(float(low), float(high), out["direction"])


def _verdict(low: float, high: float, direction: str) -> str:
    if low <= 0 <= high:
        return "no_clear_change"
    went_up = low > 0
    return "improved" if went_up == (direction == "higher_better") else "worsened"


def context(before: Sequence[Period], after: Sequence[Period]) -> dict[str, Any]:
    """Volume and seasonality beside an effect: what else changed between the windows."""
    vol_b = _mean_volume(before)
    vol_a = _mean_volume(after)
    change = (vol_a - vol_b) / vol_b if vol_b and vol_a is not None else None
    months_b = sorted({p.period_start.month for p in before})
    months_a = sorted({p.period_start.month for p in after})
    notes, notes_ko = [], []
    if change is not None and abs(change) > 0.10:
        notes.append(
            f"production volume per period changed by {change:+.0%}: part of the KPI change may come from volume"
        )
        notes_ko.append(f"기간당 생산량이 {change:+.0%} 변함: KPI 변화의 일부는 생산량 변화 때문일 수 있음")
    shared = set(months_b) & set(months_a)
    if months_a and len(shared) * 2 < len(months_a):
        notes.append(
            "the before and after windows cover mostly different months of the year: seasonal effects are not separated"
        )
        notes_ko.append("도입 전후 구간이 대부분 서로 다른 달에 걸쳐 있어 계절 효과가 분리되지 않음")
    return {
        "volume_per_period_before": vol_b,
        "volume_per_period_after": vol_a,
        "volume_change": change,
        "months_before": months_b,
        "months_after": months_a,
        "notes": notes,
        "notes_ko": notes_ko,
    }


def _mean_volume(periods: Sequence[Period]) -> float | None:
    return sum(p.produced_qty for p in periods) / len(periods) if periods else None
