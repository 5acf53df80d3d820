"""ESG explanations, units and effect labels have Korean beside the English (Korean pages show it)."""

from __future__ import annotations

import datetime as dt

from tests.walk.language import english_in

from haechi.esg import effect as fx
from haechi.esg.analysis import IMPLIED, implied
from haechi.esg.kpi import UNIT_KO, UNITS, Period, aggregate


def period(day: int, **values: float) -> Period:
    start = dt.datetime(2026, 3, day, tzinfo=dt.UTC)
    return Period(period_start=start, period_end=start + dt.timedelta(days=1), **values)


def test_null_kpi_reasons_read_in_korean() -> None:
    idle = period(3, planned_busy_time_h=0, actual_production_time_h=0, produced_qty=0, good_qty=0, failures=0,
                  repair_time_h=0, hours_worked=0, recordable_injuries=0)
    k = aggregate([idle])
    assert set(k["reasons_ko"]) == set(k["reasons"])
    assert k["reasons"]["mtbf_h"].startswith("no failures in the period")  # English unchanged
    for name, text in k["reasons_ko"].items():
        assert english_in(text) == [], (name, text)


def test_effect_reasons_notes_units_and_implied_quantities_read_in_korean() -> None:
    before = [period(d, planned_busy_time_h=8, actual_production_time_h=8, produced_qty=100, good_qty=90)
              for d in (1, 2)]
    out = fx.estimate(before, before, "scrap_rate")
    assert out["verdict"] == "insufficient_data" and english_in(out["reason_ko"]) == []
    assert all(english_in(UNIT_KO.get(u, u)) == [] for u in UNITS.values())
    winter = before
    later = dt.timedelta(days=180)
    summer = [Period(p.period_start + later, p.period_end + later, 8, 8, 200, 180) for p in winter]
    notes = fx.context(winter, summer)["notes_ko"]
    assert len(notes) == 2 and all(english_in(n) == [] for n in notes)
    for kpi in IMPLIED:
        shown = implied({"kpi": kpi, "difference": 0.1, "ci_low": 0.0, "ci_high": 0.2}, summer)
        assert shown and english_in(f"{shown['quantity_ko']} {shown['unit_ko']}") == [], kpi



def test_grid_factors_carry_their_sources_korean_name() -> None:
    from haechi.esg import factors

    shown = factors.factor_by_id("kr-mcee-2023").to_dict(factors.load_sources())
    assert shown["source_name"].startswith("Korea national electricity emission factor")
    assert english_in(shown["source_name_ko"]) == []
