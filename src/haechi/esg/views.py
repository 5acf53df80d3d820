"""Turn stored ESG rows into the JSON figures users see (no database access here).

Each energy figure carries its method, PUE (and whether it was assumed), the factor
with its year and source, and whether a fallback was used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haechi.store.esg_tables import EsgEnergyRecord, EsgPeriod, EsgSocial

from . import energy, factors
from .kpi import MEASURES, Period


def days(start: dt.date, end: dt.date) -> int:
    """Days in an inclusive date range."""
    return (end - start).days + 1


def overlap_share(start: dt.date, end: dt.date, frm: dt.date | None, to: dt.date | None) -> float:
    """Share of an inclusive record range that falls in ``[frm, to]`` (pro-rating by days)."""
    lo = max(start, frm) if frm else start
    hi = min(end, to) if to else end
    return max(days(lo, hi), 0) / days(start, end) if hi >= lo else 0.0


def energy_view(row: EsgEnergyRecord, slug: str, share: float = 1.0) -> dict[str, Any]:
    """One energy record with facility energy and location-based emissions (× ``share``)."""
    factor = factors.factor_by_id(row.factor_id)
    choice = factors.FactorChoice(factor, row.factor_fallback, row.country)
    kwh = row.kwh * share
    facility = energy.facility_kwh(kwh, row.pue)
    return {
        "id": row.id,
        "system": slug,
        "activity": row.activity,
        "method": row.method,
        "start": row.start_date.isoformat(),
        "end": row.end_date.isoformat(),
        "share_in_period": share,
        "kwh": kwh,
        "pue": row.pue if row.pue is not None else 1.0,
        "pue_assumed": row.pue is None,
        "facility_kwh": facility,
        "country": row.country,
        "emissions_location_tco2e": energy.location_tco2e(facility, factor.value),
        **choice.describe(),
        "inference_count": row.inference_count,
        "external_id": row.external_id,
        "note": row.note,
        "details": row.details,
        "recorded_by": row.actor,
        "data_quality": _quality(row),
        "pue_given": row.pue is not None,
    }


def _quality(row: EsgEnergyRecord) -> str:
    """A short data-quality label: measured beats tool-estimated beats estimated."""
    quality = {"metered": "measured", "codecarbon": "tool_estimate", "estimated": "estimate"}[row.method]
    if row.factor_fallback:
        quality += f"; factor fallback ({row.factor_fallback})"
    if row.pue is None:
        quality += "; PUE not given (1.0)"
    return quality


def period_of(row: EsgPeriod) -> Period:
    """The pure :class:`Period` of a stored row."""
    values = {name: getattr(row, name) for name in MEASURES if name != "ideal_run_time_h"}
    return Period(period_start=row.period_start, period_end=row.period_end, **values)


def social_view(row: EsgSocial, slug: str | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "indicator": row.indicator,
        "system": slug,
        "value": row.value,
        "items": row.items,
        "start": row.start_date.isoformat(),
        "end": row.end_date.isoformat(),
        "note": row.note,
        "recorded_by": row.actor,
    }
