"""Effect estimation on synthetic data with a known injected effect, and on data with none.

SciPy's ``stats.bootstrap`` (percentile method, independent resampling of each sample)
is the oracle for the interval.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from haechi.esg.effect import context, estimate
from haechi.esg.kpi import Period

START = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)


def line(rng: np.random.Generator, days: int, offset: int, scrap_p: float, energy_mean: float) -> list[Period]:
    """Synthetic press-line days: scrap ~ Binomial(PQ, scrap_p), energy ~ Normal."""
    out = []
    for day in range(days):
        produced = int(rng.integers(900, 1100))
        scrap = int(rng.binomial(produced, scrap_p))
        start = START + dt.timedelta(days=offset + day)
        out.append(
            Period(
                start,
                start + dt.timedelta(days=1),
                planned_busy_time_h=16,
                actual_production_time_h=float(rng.uniform(13, 15)),
                produced_qty=produced,
                good_qty=produced - scrap,
                scrap_qty=scrap,
                ideal_cycle_time_s=40,
                energy_kwh=float(rng.normal(energy_mean, 80)),
            )
        )
    return out


def test_injected_scrap_effect_is_recovered() -> None:
    rng = np.random.default_rng(7)
    before, after = line(rng, 150, 0, 0.040, 5000), line(rng, 150, 150, 0.030, 5000)
    result = estimate(before, after, "scrap_rate", resamples=3000)
    assert result["ci_low"] <= -0.010 <= result["ci_high"]
    assert result["ci_high"] < 0 and result["verdict"] == "improved"
    assert result["n_before"] == 150 and result["n_after"] == 150
    assert result["difference"] == pytest.approx(result["after"] - result["before"])
    assert "not causal proof" in result["label"] and "인과" in result["label_ko"]
    assert result["method"]["resampling_unit"] == "period"


def test_injected_energy_effect_on_mean_per_period() -> None:
    rng = np.random.default_rng(11)
    before, after = line(rng, 120, 0, 0.03, 5000), line(rng, 120, 120, 0.03, 4700)
    result = estimate(before, after, "energy_kwh")
    assert result["statistic"] == "mean per period"
    assert result["ci_low"] <= -300 <= result["ci_high"] and result["verdict"] == "improved"


def test_no_effect_claimed_on_data_with_none() -> None:
    claims = 0
    for seed in range(40):
        rng = np.random.default_rng(1000 + seed)
        before, after = line(rng, 90, 0, 0.035, 5000), line(rng, 90, 90, 0.035, 5000)
        if estimate(before, after, "scrap_rate", resamples=1000)["verdict"] != "no_clear_change":
            claims += 1
    assert claims <= 6  # about 2 expected at 95 %; P(more than 6 of 40) < 2 %


def test_interval_covers_the_true_effect_most_of_the_time() -> None:
    covered = 0
    for seed in range(40):
        rng = np.random.default_rng(2000 + seed)
        before, after = line(rng, 90, 0, 0.04, 5000), line(rng, 90, 90, 0.032, 5000)
        r = estimate(before, after, "scrap_rate", resamples=1000)
        covered += r["ci_low"] <= -0.008 <= r["ci_high"]
    assert covered >= 33  # nominal 95 %; allows for Monte Carlo error and the percentile method


def test_interval_matches_scipy_bootstrap() -> None:
    rng = np.random.default_rng(3)
    before, after = line(rng, 100, 0, 0.04, 5000), line(rng, 100, 100, 0.04, 4900)
    ours = estimate(before, after, "energy_kwh", resamples=20000)
    a = np.array([p.energy_kwh for p in after])
    b = np.array([p.energy_kwh for p in before])
    ref = stats.bootstrap(
        (a, b),
        lambda x, y, axis=-1: np.mean(x, axis=axis) - np.mean(y, axis=axis),
        method="percentile",
        n_resamples=20000,
        random_state=np.random.default_rng(5),
    )
    assert ours["ci_low"] == pytest.approx(ref.confidence_interval.low, abs=4)
    assert ours["ci_high"] == pytest.approx(ref.confidence_interval.high, abs=4)


def test_ratio_interval_matches_scipy_on_indices() -> None:
    rng = np.random.default_rng(4)
    before, after = line(rng, 80, 0, 0.04, 5000), line(rng, 80, 80, 0.03, 5000)
    ours = estimate(before, after, "scrap_rate", resamples=20000)

    def rate(periods: list[Period], idx: np.ndarray) -> np.ndarray:
        scrap = np.array([p.scrap_qty for p in periods])[idx.astype(int)]
        produced = np.array([p.produced_qty for p in periods])[idx.astype(int)]
        return np.asarray(scrap.sum(axis=-1) / produced.sum(axis=-1))

    ref = stats.bootstrap(
        (np.arange(80.0), np.arange(80.0)),
        lambda ia, ib, axis=-1: rate(after, ia) - rate(before, ib),
        method="percentile",
        n_resamples=20000,
        random_state=np.random.default_rng(6),
    )
    assert ours["ci_low"] == pytest.approx(ref.confidence_interval.low, abs=6e-4)
    assert ours["ci_high"] == pytest.approx(ref.confidence_interval.high, abs=6e-4)


def test_oee_and_block_bootstrap_and_reproducibility() -> None:
    rng = np.random.default_rng(8)
    before, after = line(rng, 60, 0, 0.04, 5000), line(rng, 60, 60, 0.02, 5000)
    one = estimate(before, after, "oee", block_length=7)
    assert one == estimate(before, after, "oee", block_length=7)
    assert one["before"] is not None and one["method"]["block_length"] == 7
    assert one["ci_low"] <= one["difference"] <= one["ci_high"]


def test_insufficient_data_claims_nothing() -> None:
    rng = np.random.default_rng(9)
    result = estimate(line(rng, 3, 0, 0.04, 5000), line(rng, 30, 3, 0.01, 5000), "scrap_rate")
    assert result["verdict"] == "insufficient_data" and result["ci_low"] is None
    assert "fewer than 5 periods" in result["reason"]
    empty = estimate(line(rng, 10, 0, 0.04, 5000), line(rng, 10, 10, 0.04, 5000), "mtbf_h")
    assert empty["verdict"] == "insufficient_data" and empty["n_before"] == 0


def test_context_flags_volume_and_season() -> None:
    rng = np.random.default_rng(10)
    before = line(rng, 60, 0, 0.04, 5000)
    after = [
        Period(
            p.period_start,
            p.period_end,
            p.planned_busy_time_h,
            p.actual_production_time_h,
            p.produced_qty * 1.5,
            p.good_qty,
        )
        for p in line(rng, 60, 200, 0.04, 5000)
    ]
    ctx = context(before, after)
    assert ctx["volume_change"] == pytest.approx(0.5, abs=0.05)
    assert len(ctx["notes"]) == 2 and ctx["months_before"] == [1, 12]


def test_implied_quantities_follow_the_change() -> None:
    from haechi.esg.analysis import implied

    rng = np.random.default_rng(12)
    before, after = line(rng, 100, 0, 0.05, 5000), line(rng, 100, 100, 0.03, 5000)
    result = estimate(before, after, "scrap_rate", resamples=1000)
    units = implied(result, after)
    produced = sum(p.produced_qty for p in after)
    assert units is not None and units["unit"] == "units"
    assert units["value"] == pytest.approx(-result["difference"] * produced)
    assert units["interval"] == sorted([-result["ci_high"] * produced, -result["ci_low"] * produced])
    assert implied(estimate(before, after, "energy_kwh", resamples=200), after) is None


def shifted(periods: list[Period], kwh: float) -> list[Period]:
    """The same periods with ``kwh`` more energy each (a shock shared by every line)."""
    return [
        Period(
            p.period_start,
            p.period_end,
            p.planned_busy_time_h,
            p.actual_production_time_h,
            p.produced_qty,
            p.good_qty,
            p.ideal_cycle_time_s,
            p.scrap_qty,
            energy_kwh=(p.energy_kwh or 0) + kwh,
        )
        for p in periods
    ]


def test_control_line_removes_a_shared_shock() -> None:
    from haechi.esg.control import estimate_with_control

    rng = np.random.default_rng(21)
    # Both lines use 300 kWh more per day after the split (season); the AI saves 500 on the treated one.
    before, after = line(rng, 120, 0, 0.03, 5000), shifted(line(rng, 120, 120, 0.03, 4500), 300)
    c_before, c_after = line(rng, 120, 0, 0.03, 3000), shifted(line(rng, 120, 120, 0.03, 3000), 300)
    result = estimate_with_control(before, after, c_before, c_after, "energy_kwh", resamples=2000)
    assert not result["ci_low"] <= -500 <= result["ci_high"]  # the plain estimate is biased by the shock
    adjusted = result["adjusted"]
    assert adjusted["ci_low"] <= -500 <= adjusted["ci_high"] and adjusted["verdict"] == "improved"
    assert result["control"]["difference"] == pytest.approx(300, abs=40)
    assert "parallel trends" in adjusted["assumption"]
    few = estimate_with_control(before, after, c_before[:3], c_after, "energy_kwh", resamples=200)
    assert few["adjusted"]["verdict"] == "insufficient_data"
