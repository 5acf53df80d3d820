"""Formulas against hand-computed cases: KPIs, energy, PUE, location and market emissions."""

from __future__ import annotations

import datetime as dt

import pytest

from haechi.esg import energy, factors
from haechi.esg.kpi import Period, aggregate, monthly

UTC = dt.UTC


def period(day: int, **values: float) -> Period:
    start = dt.datetime(2026, 3, day, tzinfo=UTC)
    return Period(period_start=start, period_end=start + dt.timedelta(days=1), **values)


P1 = period(
    1,
    planned_busy_time_h=8,
    actual_production_time_h=7,
    ideal_cycle_time_s=30,
    produced_qty=700,
    good_qty=665,
    scrap_qty=35,
    first_pass_good_qty=650,
    energy_kwh=350,
    unplanned_downtime_h=0.5,
    failures=1,
    repair_time_h=0.5,
    hours_worked=80,
    recordable_injuries=0,
    lost_time_injuries=0,
    material_kg=1000,
    waste_kg=40,
)
P2 = period(
    2,
    planned_busy_time_h=8,
    actual_production_time_h=6,
    ideal_cycle_time_s=30,
    produced_qty=600,
    good_qty=588,
    scrap_qty=12,
    first_pass_good_qty=580,
    energy_kwh=310,
    unplanned_downtime_h=1.5,
    failures=2,
    repair_time_h=1.2,
    hours_worked=80,
    recordable_injuries=1,
    lost_time_injuries=1,
    material_kg=900,
    waste_kg=20,
)


def test_kpis_sum_first_then_divide() -> None:
    k = aggregate([P1, P2])
    assert k["availability"] == pytest.approx(13 / 16)
    assert k["performance"] == pytest.approx(5 / 6)  # 30 s × 1300 / 3600 = 10.8333 h over 13 h
    assert k["quality"] == pytest.approx(1253 / 1300)
    assert k["oee"] == pytest.approx(13 / 16 * 5 / 6 * 1253 / 1300)
    assert k["scrap_rate"] == pytest.approx(47 / 1300)
    assert k["first_pass_yield"] == pytest.approx(1230 / 1300)
    assert k["energy_per_good_unit_kwh"] == pytest.approx(660 / 1253)
    assert k["unplanned_downtime_h"] == pytest.approx(2.0)
    assert k["mtbf_h"] == pytest.approx(13 / 3)
    assert k["mttr_h"] == pytest.approx(1.7 / 3)
    assert k["trir"] == pytest.approx(1250.0)  # 1 × 200,000 / 160 h
    assert k["ltifr"] == pytest.approx(6250.0)  # 1 × 1,000,000 / 160 h
    assert k["material_kg"] == 1900 and k["waste_kg"] == 60
    assert k["n_periods"] == 2 and k["reasons"] == {}


def test_ratio_of_sums_is_not_mean_of_ratios() -> None:
    k = aggregate([P1, P2])
    mean_of_ratios = (35 / 700 + 12 / 600) / 2
    assert k["scrap_rate"] != pytest.approx(mean_of_ratios)


def test_zero_denominators_are_null_with_reason() -> None:
    idle = period(
        3,
        planned_busy_time_h=0,
        actual_production_time_h=0,
        produced_qty=0,
        good_qty=0,
        failures=0,
        repair_time_h=0,
        hours_worked=0,
        recordable_injuries=0,
    )
    k = aggregate([idle])
    for key in (
        "availability",
        "quality",
        "mtbf_h",
        "mttr_h",
        "trir",
        "oee",
        "energy_per_good_unit_kwh",
    ):
        assert k[key] is None, key
        assert k["reasons"][key], key
    assert "Σ failures = 0" in k["reasons"]["mtbf_h"]
    assert "not recorded" in k["reasons"]["energy_per_good_unit_kwh"]


def test_kpi_uses_only_periods_that_recorded_its_inputs() -> None:
    partial = period(3, planned_busy_time_h=8, actual_production_time_h=8, produced_qty=100, good_qty=100)
    k = aggregate([P1, partial])
    assert k["coverage"]["energy_per_good_unit_kwh"] == 1
    assert k["energy_per_good_unit_kwh"] == pytest.approx(350 / 665)
    assert k["availability"] == pytest.approx(15 / 16)


def test_monthly_series() -> None:
    april = Period(dt.datetime(2026, 4, 1, tzinfo=UTC), dt.datetime(2026, 4, 2, tzinfo=UTC), 8, 8, 100, 90)
    months = monthly([P1, P2, april])
    assert [m["month"] for m in months] == ["2026-03", "2026-04"]
    assert months[1]["quality"] == pytest.approx(0.9)


def test_pue_and_location_emissions_korea() -> None:
    facility = energy.facility_kwh(1250.5, 1.3)
    assert facility == pytest.approx(1625.65)
    choice = factors.choose_factor("KR", dt.date(2026, 3, 31))
    assert choice.factor.value == 0.4173 and choice.factor.data_year == 2023
    assert choice.factor.published == dt.date(2025, 12, 18) and not choice.flagged
    assert energy.location_tco2e(facility, choice.factor.value) == pytest.approx(1.62565 * 0.4173)
    assert energy.facility_kwh(100, None) == 100  # PUE unknown = 1.0


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 12, 17), 0.4541),
        (dt.date(2025, 12, 18), 0.4173),
        (dt.date(2025, 6, 30), 0.4541),
    ],
)
def test_latest_factor_published_on_or_before_end_date(day: dt.date, expected: float) -> None:
    assert factors.choose_factor("kr", day).factor.value == expected


def test_no_factor_before_publication_is_an_error_or_flagged_fallback() -> None:
    with pytest.raises(factors.FactorNotFound, match="published on or before 2025-01-31"):
        factors.choose_factor("KR", dt.date(2025, 1, 31))
    later = factors.choose_factor("KR", dt.date(2025, 1, 31), fallback="later")
    assert later.factor.value == 0.4541 and later.fallback == "later" and later.flagged


def test_unknown_country_fails_clearly() -> None:
    with pytest.raises(factors.FactorNotFound) as info:
        factors.choose_factor("XX", dt.date(2026, 11, 1))
    assert "unknown country 'XX'" in info.value.message and info.value.issues[0].fix
    with pytest.raises(factors.FactorNotFound, match="no country"):
        factors.choose_factor(None, dt.date(2026, 11, 1))
    world = factors.choose_factor("XX", dt.date(2026, 11, 1), fallback="world")
    assert world.factor.value == 0.475 and world.fallback == "world"


def test_dataset_factor_for_other_countries_and_kr_dataset_not_automatic() -> None:
    us = factors.choose_factor("US", dt.date(2026, 11, 1))
    assert us.factor.value == pytest.approx(0.369473) and us.factor.source == "codecarbon-owid"
    assert factors.factor_by_id("kr-owid-2023").value == pytest.approx(0.430567)
    assert factors.factor_by_id("kr-ets-legacy").value == 0.45941
    assert factors.load_sources()["kr-mcee-2025"]["urls"]


def test_estimate_from_hardware() -> None:
    est = energy.estimate_kwh([energy.Device("gpu", 400, 8, 0.6), energy.Device("cpu", 200, 2, 0.5)], 10)
    assert est["kwh"] == pytest.approx(21.2)  # (8×400×0.6 + 2×200×0.5) W × 10 h
    assert est["average_power_w"] == pytest.approx(2120)


def test_per_1000_inferences() -> None:
    assert energy.per_1000(5.0, 20_000) == (pytest.approx(0.25), None)
    assert energy.per_1000(5.0, 0)[0] is None
    assert "no inference event count" in str(energy.per_1000(5.0, None)[1])


def _usage(key: str, system: str, mwh: float) -> energy.Usage:
    return energy.Usage(key, system, "KR", dt.date(2026, 6, 30), mwh, 0.4173)


def test_market_based_with_instruments_and_residual() -> None:
    a, b = _usage("a", "vision", 10), _usage("b", "chatbot", 30)
    rec = energy.Instrument("rec-1", "rec", "KR", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 20)
    unused = energy.allocate_instruments([a, b], [rec])
    assert unused == {"rec-1": 0}
    assert a.market_tco2e() == pytest.approx(5 * 0.4173)
    assert b.market_tco2e() == pytest.approx(15 * 0.4173)
    assert energy.market_basis(a) == "instruments_and_location_residual"


def test_system_bound_instrument_goes_first_and_nothing_is_double_counted() -> None:
    a, b = _usage("a", "vision", 10), _usage("b", "chatbot", 30)
    ppa = energy.Instrument("ppa", "ppa", "KR", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 8, 0.0, "vision")
    rec = energy.Instrument("rec", "rec", "KR", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 20)
    energy.allocate_instruments([a, b], [rec, ppa])
    assert a.market_tco2e() == pytest.approx((2 - 20 * 2 / 32) * 0.4173)
    assert b.market_tco2e() == pytest.approx((30 - 20 * 30 / 32) * 0.4173)


def test_instrument_outside_period_or_country_or_too_large() -> None:
    a = _usage("a", "vision", 10)
    old = energy.Instrument("old", "rec", "KR", dt.date(2025, 1, 1), dt.date(2025, 12, 31), 5)
    jp = energy.Instrument("jp", "rec", "JP", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 5)
    big = energy.Instrument("big", "green_premium", "KR", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 50, 0.01)
    unused = energy.allocate_instruments([a], [old, jp, big])
    assert unused == {"old": 5, "jp": 5, "big": 40}
    assert a.market_tco2e() == pytest.approx(10 * 0.01)
    assert energy.market_basis(a) == "instruments"
    assert energy.market_basis(_usage("c", "x", 1)) == "location_factor_no_instruments"
