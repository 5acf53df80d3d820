"""An energy record as given, checked before it is stored, and the grid factor it takes.

Recording, estimating and importing energy all build an :class:`EnergyEntry`, so one set of
checks speaks for all three (a wrong field is named with its fix, in English and Korean).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from . import energy, factors
from .service_base import check_range, invalid


@dataclass(frozen=True)
class EnergyEntry:
    """The energy one system used for one activity over ``[start, end]``."""

    activity: str
    kwh: float
    start: dt.date
    end: dt.date
    pue: float | None = None
    method: str = "metered"
    note: str | None = None
    inference_count: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    external_id: str | None = None

    def __post_init__(self) -> None:
        _check_names(self.activity, self.method)
        _check_amounts(self.kwh, self.pue, self.inference_count)
        check_range(self.start, self.end, "record")


def _check_names(activity: str, method: str) -> None:
    for name, value, allowed, name_ko in (("activity", activity, energy.ACTIVITIES, "활동"),
                                          ("method", method, energy.METHODS, "방법")):
        if value not in allowed:
            raise invalid(name, f"unknown {name} '{value}'", "use one of: " + ", ".join(allowed),
                          f"알 수 없는 {name_ko} '{value}'")


def _check_amounts(kwh: float, pue: float | None, inference_count: int | None) -> None:
    if not math.isfinite(kwh) or kwh < 0:  # NaN or Infinity would blank every total it joins
        raise invalid(
            "kwh",
            f"energy must be a finite number of kWh, zero or more (got {kwh:g})",
            "give the energy used, zero or more",
            "에너지는 0 이상",
        )
    if pue is not None and (not math.isfinite(pue) or pue < 1):
        raise invalid(
            "pue",
            f"PUE {pue:g} is not a finite number of 1.0 or more",
            "PUE = facility ÷ IT energy, so 1.0 or more",
            "PUE는 1.0 이상이어야 합니다",
        )
    if inference_count is not None and inference_count < 0:
        raise invalid("inferences", "negative inference count", "give zero or more", "추론 횟수는 0 이상")


def grid_factor(country: str | None, end: dt.date, factor_id: str | None, fallback: str) -> factors.FactorChoice:
    """The factor named by ``factor_id``, else the country's factor in force at ``end``."""
    if factor_id:
        return factors.FactorChoice(factors.factor_by_id(factor_id), "explicit", country)
    return factors.choose_factor(country, end, fallback)


def check_estimate(devices: list[energy.Device], hours: float) -> None:
    """Refuse an estimate from impossible hardware or hours."""
    for i, device in enumerate(devices):
        if not math.isfinite(device.tdp_w) or device.tdp_w <= 0 or device.count < 1 \
                or not 0 <= device.utilisation <= 1:
            raise invalid(
                f"devices[{i}]",
                "impossible device (TDP ≤ 0, count < 1 or utilisation outside 0–1)",
                "give TDP in watts, a count of 1 or more and utilisation between 0 and 1",
                "장치 값이 올바르지 않습니다",
            )
    if not math.isfinite(hours) or hours < 0 or not devices:
        raise invalid(
            "hours",
            "an estimate needs devices and hours ≥ 0",
            "give --device and --hours",
            "장치와 시간을 입력하세요",
        )
