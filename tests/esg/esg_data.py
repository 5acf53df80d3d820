"""Synthetic line data for the ESG service tests: daily periods with a known effect."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

COLUMNS = [
    "period_start",
    "period_end",
    "planned_busy_time_h",
    "actual_production_time_h",
    "ideal_cycle_time_s",
    "produced_qty",
    "good_qty",
    "scrap_qty",
    "first_pass_good_qty",
    "energy_kwh",
    "unplanned_downtime_h",
    "failures",
    "repair_time_h",
    "hours_worked",
    "recordable_injuries",
    "lost_time_injuries",
]


def line_csv(
    path: Path,
    start: dt.date,
    days: int,
    split: dt.date,
    *,
    seed: int = 1,
    scrap_before: float = 0.04,
    scrap_after: float = 0.04,
    energy_before: float = 5000.0,
    energy_after: float = 5000.0,
) -> Path:
    """Write ``days`` daily rows; scrap and energy change at ``split``."""
    rng = np.random.default_rng(seed)
    lines = [",".join(COLUMNS)]
    for i in range(days):
        day = start + dt.timedelta(days=i)
        after = day >= split
        produced = int(rng.integers(900, 1100))
        scrap = int(rng.binomial(produced, scrap_after if after else scrap_before))
        good = produced - scrap
        apt = round(float(rng.uniform(13, 15)), 2)
        energy = round(float(rng.normal(energy_after if after else energy_before, 60)), 1)
        failures = int(rng.poisson(0.3))
        lines.append(
            ",".join(
                str(v)
                for v in [
                    day.isoformat(),
                    day.isoformat(),
                    16,
                    apt,
                    40,
                    produced,
                    good,
                    scrap,
                    good - int(rng.integers(0, 5)),
                    energy,
                    round(failures * 0.8, 2),
                    failures,
                    round(failures * 0.6, 2),
                    160,
                    int(rng.random() < 0.02),
                    0,
                ]
            )
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def build_esg_demo(hc, today: dt.date = dt.date(2026, 11, 26)):  # type: ignore[no-untyped-def]
    """The demo company and only the ESG step (other capabilities' steps are tested by them)."""
    from haechi.demo import esg as demo_esg
    from haechi.demo.company import create_company

    ctx = create_company(hc, today)
    demo_esg.populate(hc, ctx)
    return ctx
