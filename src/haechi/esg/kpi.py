"""Industrial KPIs (ISO 22400-2 and safety practice) from period records: pure formulas.

Periods are aggregated by summing first and dividing last, so a long shift weighs more
than a short one and a ratio of averages never hides a zero. A ratio whose denominator
is zero is ``None`` with a reason, never 0 or infinity. A KPI uses only the periods that
recorded every input it needs; ``coverage`` says how many that was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

Direction = Literal["higher_better", "lower_better"]


@dataclass(frozen=True)
class Period:
    """One production period (day or shift) of one line; ``None`` = not recorded."""

    period_start: dt.datetime
    period_end: dt.datetime
    planned_busy_time_h: float
    actual_production_time_h: float
    produced_qty: float
    good_qty: float
    ideal_cycle_time_s: float | None = None
    scrap_qty: float | None = None
    first_pass_good_qty: float | None = None
    energy_kwh: float | None = None
    unplanned_downtime_h: float | None = None
    failures: float | None = None
    repair_time_h: float | None = None
    hours_worked: float | None = None
    recordable_injuries: float | None = None
    lost_time_injuries: float | None = None
    material_kg: float | None = None
    waste_kg: float | None = None

    def value(self, name: str) -> float | None:
        """A measured input, including the derived ideal run time in hours."""
        if name == "ideal_run_time_h":
            if self.ideal_cycle_time_s is None:
                return None
            return self.ideal_cycle_time_s * self.produced_qty / 3600.0
        result: float | None = getattr(self, name)
        return result


MEASURES: tuple[str, ...] = tuple(f.name for f in fields(Period) if f.name not in ("period_start", "period_end"))


@dataclass(frozen=True)
class RatioKpi:
    """``scale × Σ numerator / Σ denominator``."""

    name: str
    numerator: str
    denominator: str
    direction: Direction
    unit: str
    zero_reason: str
    scale: float = 1.0


@dataclass(frozen=True)
class SumKpi:
    """``Σ measure`` over the periods."""

    name: str
    measure: str
    direction: Direction
    unit: str


RATIOS: tuple[RatioKpi, ...] = (
    RatioKpi(
        "availability",
        "actual_production_time_h",
        "planned_busy_time_h",
        "higher_better",
        "ratio",
        "no planned busy time (Σ planned_busy_time_h = 0)",
    ),
    RatioKpi(
        "performance",
        "ideal_run_time_h",
        "actual_production_time_h",
        "higher_better",
        "ratio",
        "no actual production time (Σ actual_production_time_h = 0)",
    ),
    RatioKpi(
        "quality",
        "good_qty",
        "produced_qty",
        "higher_better",
        "ratio",
        "nothing produced (Σ produced_qty = 0)",
    ),
    RatioKpi(
        "scrap_rate",
        "scrap_qty",
        "produced_qty",
        "lower_better",
        "ratio",
        "nothing produced (Σ produced_qty = 0)",
    ),
    RatioKpi(
        "first_pass_yield",
        "first_pass_good_qty",
        "produced_qty",
        "higher_better",
        "ratio",
        "nothing produced (Σ produced_qty = 0)",
    ),
    RatioKpi(
        "energy_per_good_unit_kwh",
        "energy_kwh",
        "good_qty",
        "lower_better",
        "kWh/unit",
        "no good units (Σ good_qty = 0)",
    ),
    RatioKpi(
        "mtbf_h",
        "actual_production_time_h",
        "failures",
        "higher_better",
        "h",
        "no failures in the period (Σ failures = 0): MTBF is at least the operating time",
    ),
    RatioKpi(
        "mttr_h",
        "repair_time_h",
        "failures",
        "lower_better",
        "h",
        "no failures in the period (Σ failures = 0)",
    ),
    RatioKpi(
        "trir",
        "recordable_injuries",
        "hours_worked",
        "lower_better",
        "per 200,000 h",
        "no hours worked recorded (Σ hours_worked = 0)",
        200_000.0,
    ),
    RatioKpi(
        "ltifr",
        "lost_time_injuries",
        "hours_worked",
        "lower_better",
        "per 1,000,000 h",
        "no hours worked recorded (Σ hours_worked = 0)",
        1_000_000.0,
    ),
)
SUMS: tuple[SumKpi, ...] = (
    SumKpi("unplanned_downtime_h", "unplanned_downtime_h", "lower_better", "h"),
    SumKpi("energy_kwh", "energy_kwh", "lower_better", "kWh"),
    SumKpi("produced_qty", "produced_qty", "higher_better", "units"),
    SumKpi("good_qty", "good_qty", "higher_better", "units"),
    SumKpi("scrap_qty", "scrap_qty", "lower_better", "units"),
    SumKpi("material_kg", "material_kg", "lower_better", "kg"),
    SumKpi("waste_kg", "waste_kg", "lower_better", "kg"),
    SumKpi("recordable_injuries", "recordable_injuries", "lower_better", "cases"),
    SumKpi("lost_time_injuries", "lost_time_injuries", "lower_better", "cases"),
    SumKpi("hours_worked", "hours_worked", "higher_better", "h"),
)
#: Korean beside the English zero-denominator reasons and units (pages in Korean read these).
ZERO_REASONS_KO: dict[str, str] = {
    "availability": "계획 가동 시간 없음(합계 0)",
    "performance": "실제 생산 시간 없음(합계 0)",
    "quality": "생산량 없음(합계 0)",
    "scrap_rate": "생산량 없음(합계 0)",
    "first_pass_yield": "생산량 없음(합계 0)",
    "energy_per_good_unit_kwh": "양품 없음(합계 0)",
    "mtbf_h": "기간 중 고장 없음(합계 0): MTBF는 최소한 가동 시간 이상",
    "mttr_h": "기간 중 고장 없음(합계 0)",
    "trir": "근로 시간 기록 없음(합계 0)",
    "ltifr": "근로 시간 기록 없음(합계 0)",
}
UNIT_KO: dict[str, str] = {"ratio": "비율", "kWh/unit": "kWh/개", "h": "시간", "units": "개", "cases": "건",
                           "kg": "kg", "kWh": "kWh", "per 200,000 h": "200,000시간당",
                           "per 1,000,000 h": "1,000,000시간당"}
MEASURE_KO: dict[str, str] = {
    "planned_busy_time_h": "계획 가동 시간", "actual_production_time_h": "실제 생산 시간", "produced_qty": "생산량",
    "good_qty": "양품 수량", "ideal_cycle_time_s": "이상 사이클 타임", "ideal_run_time_h": "이상 가동 시간",
    "scrap_qty": "불량(스크랩) 수량", "first_pass_good_qty": "초회 양품 수량", "energy_kwh": "에너지 사용량",
    "unplanned_downtime_h": "비계획 정지 시간", "failures": "고장 건수", "repair_time_h": "수리 시간",
    "hours_worked": "근로 시간", "recordable_injuries": "기록 대상 재해", "lost_time_injuries": "휴업 재해",
    "material_kg": "원자재 투입량", "waste_kg": "폐기물 발생량",
}
OEE_PARTS_KO = {"availability": "가동률", "performance": "성능 효율", "quality": "품질률"}
OEE_PARTS = ("availability", "performance", "quality")
KPI_NAMES: tuple[str, ...] = (
    *(r.name for r in RATIOS[:3]),
    "oee",
    *(r.name for r in RATIOS[3:]),
    *(s.name for s in SUMS),
)
DIRECTIONS: dict[str, Direction] = {
    **{r.name: r.direction for r in RATIOS},
    **{s.name: s.direction for s in SUMS},
    "oee": "higher_better",
}
UNITS: dict[str, str] = {
    **{r.name: r.unit for r in RATIOS},
    **{s.name: s.unit for s in SUMS},
    "oee": "ratio",
}


def _complete(periods: Sequence[Period], needed: Iterable[str]) -> list[Period]:
    names = tuple(needed)
    return [p for p in periods if all(p.value(n) is not None for n in names)]


def ratio_of_sums(periods: Sequence[Period], kpi: RatioKpi) -> tuple[float | None, str | None, int]:
    """``(value, reason, periods used)`` of one ratio KPI."""
    used = _complete(periods, (kpi.numerator, kpi.denominator))
    if not used:
        return None, f"not recorded ({kpi.numerator} or {kpi.denominator} missing)", 0
    num = sum(p.value(kpi.numerator) or 0.0 for p in used)
    den = sum(p.value(kpi.denominator) or 0.0 for p in used)
    if den == 0:
        return None, kpi.zero_reason, len(used)
    return kpi.scale * num / den, None, len(used)


def aggregate(periods: Sequence[Period]) -> dict[str, Any]:
    """Every KPI over ``periods`` (sums first, then ratios), with reasons and coverage.

    The result has one key per KPI (spec ``esg kpi``), plus ``n_periods``, ``reasons``
    (KPI → why it is null) and ``coverage`` (KPI → periods that recorded its inputs).
    """
    out: dict[str, Any] = {"n_periods": len(periods)}
    reasons: dict[str, str] = {}
    coverage: dict[str, int] = {}
    for kpi in RATIOS:
        value, reason, used = ratio_of_sums(periods, kpi)
        out[kpi.name], coverage[kpi.name] = value, used
        if reason:
            reasons[kpi.name] = reason
    out["oee"] = _oee(out, reasons)
    for total in SUMS:
        used_periods = _complete(periods, (total.measure,))
        coverage[total.name] = len(used_periods)
        out[total.name] = sum(p.value(total.measure) or 0.0 for p in used_periods) if used_periods else None
        if not used_periods:
            reasons[total.name] = f"not recorded ({total.measure} missing)"
    out["reasons"], out["coverage"] = reasons, coverage
    out["reasons_ko"] = reasons_ko(reasons)
    return out


def _not_recorded_ko(reason: str) -> str | None:
    if reason.startswith("not recorded (") and reason.endswith(" missing)"):
        names = reason[len("not recorded ("):-len(" missing)")].split(" or ")
        return f"기록 없음 ({' 또는 '.join(MEASURE_KO.get(n, n) for n in names)} 누락)"
    return None


def reasons_ko(reasons: dict[str, str]) -> dict[str, str]:
    """The Korean of :func:`aggregate`'s ``reasons`` (KPI → why it is null)."""
    out: dict[str, str] = {}
    for name, reason in reasons.items():
        if name == "oee":
            continue
        out[name] = _not_recorded_ko(reason) or ZERO_REASONS_KO.get(name, reason)
    if "oee" in reasons:
        missing = [m for m in OEE_PARTS if m in reasons]
        out["oee"] = ", ".join(f"{OEE_PARTS_KO[m]}({out[m]})" for m in missing) + " 값이 필요함"
    return out


def _oee(values: dict[str, Any], reasons: dict[str, str]) -> float | None:
    missing = [part for part in OEE_PARTS if values.get(part) is None]
    if missing:
        reasons["oee"] = "needs " + ", ".join(f"{m} ({reasons.get(m, 'null')})" for m in missing)
        return None
    return float(values["availability"] * values["performance"] * values["quality"])


def kpi_parts(name: str) -> tuple[str, str, float] | None:
    """``(numerator, denominator, scale)`` of a ratio KPI, ``None`` for a sum or OEE."""
    for kpi in RATIOS:
        if kpi.name == name:
            return kpi.numerator, kpi.denominator, kpi.scale
    return None


def sum_measure(name: str) -> str | None:
    """The measure a sum KPI adds up, ``None`` for ratios."""
    return next((s.measure for s in SUMS if s.name == name), None)


def monthly(periods: Sequence[Period]) -> list[dict[str, Any]]:
    """KPIs per calendar month of ``period_start``: the seasonality view beside an effect."""
    months: dict[str, list[Period]] = {}
    for p in sorted(periods, key=lambda p: p.period_start):
        months.setdefault(p.period_start.strftime("%Y-%m"), []).append(p)
    return [
        {
            "month": month,
            **{k: v for k, v in aggregate(group).items() if k not in ("reasons", "reasons_ko", "coverage")},
        }
        for month, group in months.items()
    ]
